"""ontology/kg.ttl, ontology/shapes.ttl, kg.vocab.KG and kg.rdf agree with each other."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import ORG, OWL, PROV, SH, get_annotations

from kg.rdf import EDGE_PREDICATES, KIND_CLASS
from kg.vocab import KG, RDF, RDFS, SDO, SKOS

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
NS = str(KG._NS)
KG_TERMS = {KG[name] for name in get_annotations(KG)}
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def defined_terms(ontology: Graph) -> set[URIRef]:
    return {
        s for s, t in ontology.subject_objects(RDF.type)
        if isinstance(s, URIRef) and s.startswith(NS) and t in (OWL.Class, *PROPERTY_TYPES)
    }


def used_kg_iris(g: Graph) -> set[URIRef]:
    return {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(NS)}


def test_vocab_class_and_ontology_define_the_same_terms(ontology):
    defined = defined_terms(ontology)
    assert KG_TERMS - defined == set(), "in kg.vocab.KG but not defined in ontology/kg.ttl"
    assert defined - KG_TERMS == set(), "defined in ontology/kg.ttl but missing from kg.vocab.KG"


@pytest.mark.parametrize("name", ["ontology", "shapes"])
def test_every_kg_iri_used_is_defined(ontology, shapes, name):
    g = {"ontology": ontology, "shapes": shapes}[name]
    assert used_kg_iris(g) - defined_terms(ontology) == set(), f"undefined kg: term in {name}.ttl (typo?)"


@pytest.mark.parametrize("term", sorted(KG_TERMS), ids=lambda t: t.removeprefix(NS))
def test_term_has_chinese_and_english_label_and_comment(ontology, term):
    labels = {lit.language: lit for lit in ontology.objects(term, RDFS.label)}
    assert set(labels) == {"zh", "en"}, f"{term}: one rdfs:label @zh and one @en"
    assert len(list(ontology.objects(term, RDFS.label))) == 2
    assert ontology.value(term, RDFS.comment) is not None


@pytest.mark.parametrize(
    "prop", sorted(t for t in KG_TERMS if t != KG.Programme), ids=lambda t: t.removeprefix(NS)
)
def test_property_has_domain_and_range(ontology, prop):
    assert set(ontology.objects(prop, RDF.type)) & set(PROPERTY_TYPES)
    assert len(list(ontology.objects(prop, RDFS.domain))) == 1, "one rdfs:domain (a union for several classes)"
    assert len(list(ontology.objects(prop, RDFS.range))) == 1


def test_programme_is_a_class(ontology):
    assert (KG.Programme, RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize(
    "vocab", [SDO, ORG, PROV, SKOS], ids=lambda v: v.__name__
)
def test_aligned_terms_exist(ontology, vocab):
    ns = str(vocab._NS)
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and t.startswith(ns)}
    assert used, f"no {ns} term used"
    assert {t for t in used if t not in vocab} == set(), f"misspelt {ns} terms"


def test_exporter_relations_are_the_ontology_object_properties(ontology):
    relations = {p for p in EDGE_PREDICATES.values() if p in KG_TERMS}
    object_properties = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if p in KG_TERMS}
    assert relations == object_properties - {KG.article}


def test_exporter_classes_exist(ontology):
    assert {c for c in KIND_CLASS.values() if c not in SDO} == {KG.Programme}


def test_shapes_cover_every_relation_and_class(shapes):
    targeted = set(shapes.objects(None, SH.targetSubjectsOf))
    assert {p for p in EDGE_PREDICATES.values() if p in KG_TERMS} <= targeted
    assert set(KIND_CLASS.values()) | {RDF.Statement} <= set(shapes.objects(None, SH.targetClass))


def test_shapes_allow_every_exported_predicate_on_statements(shapes):
    (node,) = (n for n in shapes.subjects(SH.path, RDF.predicate) if shapes.value(n, SH["in"]) is not None)
    allowed = set(shapes.items(shapes.value(node, SH["in"])))
    assert allowed == set(EDGE_PREDICATES.values())


def test_shapes_graph_is_valid_shacl(shapes):
    # meta_shacl checks the shapes graph against the SHACL-for-SHACL shapes first.
    conforms, _, report = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, report


@pytest.mark.parametrize("name", ["kg.ttl", "shapes.ttl"])
def test_pyoxigraph_parses(name):
    assert list(pyoxigraph.parse(path=str(ONTOLOGY_DIR / name), format=pyoxigraph.RdfFormat.TURTLE))
