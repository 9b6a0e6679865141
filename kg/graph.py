"""Assemble articles, resolved entities and relations into one `networkx.MultiDiGraph`.

The graph is the contract between the NLP side and every exporter (rdf, gexf, tables):

- Node id: an opaque ASCII key, `art-<16 hex>` for articles and `per-/org-/loc-/prg-/evt-<16 hex>`
  for entities (see `kg.records.entity_key`). It is also the last segment of the node's IRI.
- Node attributes, every node:
  `kind` (str: Article, Person, Organization, Place, Programme, Event),
  `label` (str: the Chinese name, or the article title), `aliases` (tuple[str, ...], sorted),
  `mentions` (int: how many times the run saw it; 0 for articles).
- Extra node attributes of articles: `title`, `subtitle`, `date` (ISO `YYYY-MM-DD` or ""),
  `source` (input file), `line` (int), `url` (str or ""), `publisher` (str or "").
- Extra node attributes of places (when known): `adcode` (str), `lat`, `lon` (float).
- Edges: one per (source, predicate, target); the MultiDiGraph key is the predicate name.
  Attributes: `predicate` (str: a property of ontology/kg.ttl such as "memberOf", or "author",
  "mentions", "publisher"), `weight` (int: evidence count, or mention count for "mentions"),
  `evidence` (tuple[kg.records.Evidence, ...], sorted; may be empty for author/mentions and for
  the `locatedIn` edges of the gazetteer's hierarchy: 珲春市 -> 延边朝鲜族自治州 -> 吉林省).
  A relation whose entities, once resolved, are of kinds its property does not join (see
  `relation_fits`) is left out, so the graph keeps to ontology/shapes.ttl.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

import networkx as nx

from kg.patterns import SIGNATURES
from kg.records import LABEL_KIND, Article, Context, Evidence, Relation
from kg.resolve import Resolution, canonical_name

# Domain and range of each relation in entity kinds (ontology/kg.ttl, ontology/shapes.ttl).
KIND_SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    pred: (frozenset(LABEL_KIND[x] for x in domain), frozenset(LABEL_KIND[x] for x in range_))
    for pred, (domain, range_) in SIGNATURES.items()
}


def relation_fits(predicate: str, subject_kind: str, object_kind: str) -> bool:
    """Whether a relation between entities of these kinds is one the ontology allows.

    Extraction checks the labels of the mentions; resolution may then give a name another kind
    (a majority of PER for 苏宁, 突尼斯 a place by its form), so the graph checks again.
    """
    sig = KIND_SIGNATURES.get(predicate)
    if sig is None:
        return True
    if predicate == "partOf" and subject_kind != object_kind:
        return False  # a programme is part of a programme, an organisation of an organisation
    return subject_kind in sig[0] and object_kind in sig[1]


def _article_attrs(a: Article, publisher: str | None) -> dict:
    return {
        "kind": "Article",
        "label": a.title or a.text[:30],
        "aliases": (),
        "mentions": 0,
        "title": a.title,
        "subtitle": a.subtitle,
        "date": a.date.isoformat() if a.date else "",
        "source": a.source,
        "line": a.line,
        "url": a.url or "",
        "publisher": publisher or "",
    }


def _entity_node(G: nx.MultiDiGraph, key: str, kind: str, name: str, aliases=(), mentions: int = 0) -> None:
    if key in G:
        G.nodes[key]["mentions"] += mentions
        G.nodes[key]["aliases"] = tuple(sorted(set(G.nodes[key]["aliases"]) | set(aliases)))
    else:
        G.add_node(key, kind=kind, label=name, aliases=tuple(sorted(aliases)), mentions=mentions)


def _add_edge(G: nx.MultiDiGraph, u: str, pred: str, v: str, evidence=(), weight: int | None = None) -> None:
    if G.has_edge(u, v, key=pred):
        data = G.edges[u, v, pred]
        data["evidence"] = tuple(sorted(set(data["evidence"]) | set(evidence), key=_ev_order))
        data["weight"] = weight if weight is not None else max(1, len(data["evidence"]))
    else:
        ev = tuple(sorted(set(evidence), key=_ev_order))
        G.add_edge(u, v, key=pred, predicate=pred, evidence=ev, weight=weight if weight is not None else max(1, len(ev)))


def _ev_order(ev: Evidence):
    return (ev.article, ev.start, ev.end, ev.rule)


def build_graph(
    articles: Iterable[Article],
    relations: Iterable[Relation],
    resolution: Resolution,
    context: Context = Context(),
) -> nx.MultiDiGraph:
    """The knowledge graph of a run (see the module docstring for its shape)."""
    G = nx.MultiDiGraph(base_iri=context.base_iri)
    for ent in resolution.entities.values():
        _entity_node(G, ent.key, ent.kind, ent.name, ent.aliases, resolution.mentions[ent.key])
    for key, place in resolution.places.items():
        G.nodes[key]["adcode"] = place.code
        if place.lat is not None and place.lon is not None:
            G.nodes[key]["lat"], G.nodes[key]["lon"] = place.lat, place.lon

    per_article: dict[str, Counter] = defaultdict(Counter)
    for mention, key in resolution.key_of.items():
        per_article[mention.article][key] += 1

    for a in articles:
        publisher = a.publisher or context.publisher
        G.add_node(a.id, **_article_attrs(a, publisher))
        if publisher:
            pkey = resolution.key_for("Organization", publisher)
            _entity_node(G, pkey, "Organization", canonical_name(publisher))
            _add_edge(G, a.id, "publisher", pkey)
        for role, names in (("author", a.authors), ("photographer", a.photographers)):
            for name in names:
                pkey = resolution.key_for("Person", name)
                _entity_node(G, pkey, "Person", canonical_name(name))
                _add_edge(G, a.id, role, pkey)
        for key, n in sorted(per_article[a.id].items()):
            _add_edge(G, a.id, "mentions", key, weight=n)

    grouped: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    kind = {key: ent.kind for key, ent in resolution.entities.items()}
    for r in relations:
        s, o = resolution.key_of.get(r.subject), resolution.key_of.get(r.object)
        if s and o and s != o and relation_fits(r.predicate, kind[s], kind[o]):
            grouped[(s, r.predicate, o)].append(r.evidence)
    for (s, p, o), evs in sorted(grouped.items()):
        _add_edge(G, s, p, o, evs)
    # The gazetteer's hierarchy is known, not read in a sentence: no evidence, weight 1.
    for child, parent in sorted(resolution.located_in.items()):
        _add_edge(G, child, "locatedIn", parent)
    return G
