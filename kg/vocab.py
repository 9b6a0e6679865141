"""The RDF vocabularies the exporter uses; `KG` mirrors `ontology/kg.ttl` term for term.

A misspelt term fails loudly (`KG.memberof` raises AttributeError) instead of minting a new IRI.
`tests/test_ontology.py` keeps this class and the Turtle file in step.
"""
from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, DefinedNamespace, Namespace
from rdflib.namespace import SDO as _SDO
from rdflib.namespace import XSD as _XSD

__all__ = ["KG", "PROV", "RDF", "RDFS", "SDO", "SKOS", "XSD"]


# rdflib's SDO and XSD only warn on unknown terms; these fail like the others do.
class SDO(_SDO):
    """schema.org, with its `https://schema.org/` namespace (rdflib's choice, and schema.org's)."""

    _fail = True


class XSD(_XSD):
    _fail = True


class KG(DefinedNamespace):
    """kg-news ontology: `https://w3id.org/kg-news/ontology#` (fixed; not the data base IRI)."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg-news/ontology#")

    # Classes
    Programme: URIRef  # policy, campaign, action plan, mechanism, major project

    # Typed relations
    memberOf: URIRef  # Person -> Organization
    leads: URIRef  # Person -> Organization
    locatedIn: URIRef  # Organization | Place -> Place
    partOf: URIRef  # Programme -> Programme, Organization -> Organization
    cooperatesWith: URIRef  # Organization <-> Organization (symmetric)
    founded: URIRef  # Person | Organization -> Organization
    implements: URIRef  # Organization | Place -> Programme
    organizer: URIRef  # Event -> Organization
    location: URIRef  # Event -> Place
    participant: URIRef  # Event -> Person | Organization

    # Same sentence, not a typed relation
    coOccursWith: URIRef

    # Provenance, on rdf:Statement nodes
    article: URIRef  # -> schema:NewsArticle
    sentence: URIRef
    start: URIRef
    end: URIRef
    rule: URIRef
    confidence: URIRef
    position: URIRef
    evidenceCount: URIRef

    # Bookkeeping on articles and entities
    mentionCount: URIRef
    sourceFile: URIRef
    sourceLine: URIRef
    adcode: URIRef
