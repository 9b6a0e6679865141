"""Export the graph of `kg.graph` as RDF: an `rdflib.Graph`, Turtle and N-Triples.

Data IRIs live under the configurable base IRI; all of them are ASCII, Chinese is only in literals:

- `{base}article/{key}`: a `schema:NewsArticle` (node kind "Article");
- `{base}entity/{key}`: a `schema:Person`, `schema:Organization`, `schema:Place`, `schema:Event`
  or `kg:Programme`;
- `{base}evidence/{16 hex}`: an `rdf:Statement` per `Evidence` item of an edge, hashed over
  (subject, predicate, object, article, start, end, rule), so re-runs mint the same IRIs;
- `{base}statement/{16 hex}`: the one `rdf:Statement` of a `coOccursWith` edge, hashed over
  (subject, predicate, object); it carries `kg:evidenceCount` instead of sentences.

Every edge is one plain triple; its evidence hangs off reified statements (no RDF-star, no
blank nodes). The files are written by the small writers below rather than rdflib's serializers:
triples sorted by their N-Triples form, so one graph gives byte-identical files whatever order
its nodes and edges were added in, and large graphs write without rdflib's bookkeeping.
"""
from __future__ import annotations

import math
import os
import re
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import IO, Iterable, Iterator
from urllib.parse import quote

import networkx as nx
from rdflib import Graph, Literal, URIRef

from kg.errors import KgError
from kg.files import atomic_write
from kg.records import Evidence, short_hash
from kg.vocab import KG, PROV, RDF, RDFS, SDO, SKOS, XSD

__all__ = ["EDGE_PREDICATES", "KIND_CLASS", "to_rdf", "write_ntriples", "write_turtle"]

KIND_CLASS: dict[str, URIRef] = {
    "Article": SDO.NewsArticle,
    "Person": SDO.Person,
    "Organization": SDO.Organization,
    "Place": SDO.Place,
    "Event": SDO.Event,
    "Programme": KG.Programme,
}

# The graph's predicate names and the properties they become.
EDGE_PREDICATES: dict[str, URIRef] = {
    "author": SDO.author,
    "photographer": SDO.contributor,
    "mentions": SDO.mentions,
    "publisher": SDO.publisher,
    "memberOf": KG.memberOf,
    "leads": KG.leads,
    "locatedIn": KG.locatedIn,
    "partOf": KG.partOf,
    "cooperatesWith": KG.cooperatesWith,
    "founded": KG.founded,
    "implements": KG.implements,
    "organizer": KG.organizer,
    "location": KG.location,
    "participant": KG.participant,
    "coOccursWith": KG.coOccursWith,
}

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_rdf(G: nx.MultiDiGraph, base_iri: str) -> Graph:
    """The RDF graph of `G` (see `kg.graph` for its contract), with data IRIs under `base_iri`."""
    _check_base(base_iri)
    g = Graph(bind_namespaces="core")
    for prefix, ns in _prefixes(base_iri):
        g.bind(prefix, ns, override=True)
    for key, data in G.nodes(data=True):
        _add_node(g, base_iri, key, data)
    for u, v, data in G.edges(data=True):
        _add_edge(g, base_iri, G, u, v, data)
    return g


def write_turtle(
    G: nx.MultiDiGraph, path: str | os.PathLike | IO[str], base_iri: str, rdf: Graph | None = None
) -> None:
    """Write `G` as Turtle to `path` (atomically) or to an open text file.

    `rdf`: `to_rdf(G, base_iri)` when the caller already has it (a build writes two formats).
    """
    _write(_turtle_lines(rdf if rdf is not None else to_rdf(G, base_iri), _prefixes(base_iri)), path)


def write_ntriples(
    G: nx.MultiDiGraph, path: str | os.PathLike | IO[str], base_iri: str, rdf: Graph | None = None
) -> None:
    """Write `G` as N-Triples, one triple a line in sorted order, to `path` or an open text file."""
    _write(_ntriples_lines(rdf if rdf is not None else to_rdf(G, base_iri)), path)


# --- graph -> triples -----------------------------------------------------------------------


def _check_base(base_iri: str) -> None:
    if not base_iri.isascii() or not _SCHEME.match(base_iri) or not base_iri.endswith(("/", "#")):
        raise KgError(
            f"base IRI {base_iri!r} must be an ASCII absolute IRI ending in '/' or '#', "
            "e.g. 'https://example.org/kg/'; Chinese belongs in labels, not IRIs"
        )
    if re.search(r'[\s<>"{}|\\^`]', base_iri):
        raise KgError(f"base IRI {base_iri!r} contains a character IRIs cannot hold (space, <, >, ...)")


def _prefixes(base_iri: str) -> tuple[tuple[str, str], ...]:
    return (
        ("article", f"{base_iri}article/"),
        ("entity", f"{base_iri}entity/"),
        ("evidence", f"{base_iri}evidence/"),
        ("kg", str(KG._NS)),
        ("prov", str(PROV)),
        ("rdf", str(RDF)),
        ("rdfs", str(RDFS)),
        ("schema", str(SDO)),
        ("skos", str(SKOS)),
        ("statement", f"{base_iri}statement/"),
        ("xsd", str(XSD)),
    )


def _node_iri(base_iri: str, key: object, data: dict) -> URIRef:
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"node {key!r}: keys must be ASCII like 'org-1a2b3c4d5e6f7a8b' (see kg.graph)")
    kind = data.get("kind")
    if kind not in KIND_CLASS:
        raise ValueError(f"node {key!r}: kind {kind!r} is not one of {', '.join(KIND_CLASS)}")
    return URIRef(f"{base_iri}{'article' if kind == 'Article' else 'entity'}/{key}")


def _article_iri(base_iri: str, article: str) -> URIRef:
    if not _KEY.match(article):
        raise ValueError(f"evidence article {article!r}: not an Article.id like 'art-1a2b3c4d5e6f7a8b'")
    return URIRef(f"{base_iri}article/{article}")


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _integer(n: int) -> Literal:
    return Literal(str(int(n)), datatype=XSD.integer)


def _decimal(x: float, places: int | None = None) -> Literal:
    if not math.isfinite(x):
        raise ValueError(f"{x!r} is not a finite number")
    # Plain notation: repr() may give "1e-05", which is not an xsd:decimal lexical form.
    lexical = f"{x:.{places}f}" if places is not None else format(Decimal(repr(float(x))), "f")
    if "." not in lexical:
        lexical += ".0"
    return Literal(lexical, datatype=XSD.decimal)


def _add_node(g: Graph, base_iri: str, key: str, data: dict) -> None:
    s = _node_iri(base_iri, key, data)
    kind = data["kind"]
    label = data.get("label") or ""
    g.add((s, RDF.type, KIND_CLASS[kind]))
    g.add((s, RDFS.label, _zh(label)))
    for alias in data.get("aliases") or ():
        if alias and alias != label:
            g.add((s, SKOS.altLabel, _zh(alias)))
    if kind != "Article":
        g.add((s, KG.mentionCount, _integer(data.get("mentions") or 0)))
    if kind == "Article":
        g.add((s, SDO.headline, _zh(data.get("title") or label)))
        if data.get("subtitle"):
            g.add((s, SDO.alternativeHeadline, _zh(data["subtitle"])))
        if data.get("date"):
            g.add((s, SDO.datePublished, _date(key, data["date"])))
        if data.get("source"):
            g.add((s, KG.sourceFile, Literal(str(data["source"]))))
        if data.get("line") is not None:
            g.add((s, KG.sourceLine, _integer(data["line"])))
        url = _url_iri(data.get("url") or "")
        if url is not None:
            g.add((s, SDO.url, url))
    elif kind == "Place":
        if data.get("adcode"):
            g.add((s, KG.adcode, Literal(str(data["adcode"]))))
        if data.get("lat") is not None:
            g.add((s, SDO.latitude, _decimal(data["lat"])))
        if data.get("lon") is not None:
            g.add((s, SDO.longitude, _decimal(data["lon"])))


def _date(key: str, value: str | date) -> Literal:
    text = value.isoformat() if isinstance(value, date) else str(value)
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"node {key!r}: date {text!r} is not YYYY-MM-DD") from None
    return Literal(text, datatype=XSD.date)


def _url_iri(url: str) -> URIRef | None:
    """The URL as an ASCII IRI, or None when it has no scheme (then it cannot be an absolute IRI)."""
    url = url.strip()
    if not _SCHEME.match(url):
        return None
    url = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url)  # a lone % would make the IRI invalid
    return URIRef(quote(url, safe="!#$%&'()*+,/:;=?@[]~"))


def _add_edge(g: Graph, base_iri: str, G: nx.MultiDiGraph, u: str, v: str, data: dict) -> None:
    name = data.get("predicate")
    p = EDGE_PREDICATES.get(name)
    if p is None:
        raise ValueError(
            f"edge {u} -> {v}: predicate {name!r} is not one of {', '.join(EDGE_PREDICATES)}; "
            "a new relation needs a property in ontology/kg.ttl, kg.vocab.KG and kg.rdf.EDGE_PREDICATES"
        )
    s = _node_iri(base_iri, u, G.nodes[u])
    o = _node_iri(base_iri, v, G.nodes[v])
    g.add((s, p, o))
    evidence: tuple[Evidence, ...] = tuple(data.get("evidence") or ())

    if name == "coOccursWith":
        # One counted statement: listing every shared sentence would dwarf the rest of the graph.
        st = URIRef(f"{base_iri}statement/{short_hash(u, name, v)}")
        _add_statement(g, st, s, p, o)
        g.add((st, KG.evidenceCount, _integer(data.get("weight") or len(evidence))))
        for ev in evidence:
            g.add((st, KG.article, _article_iri(base_iri, ev.article)))
        return

    # Two items read at the same place by the same rule get one IRI: keep the surer one.
    best: dict[str, Evidence] = {}
    for ev in evidence:
        h = short_hash(u, name, v, ev.article, str(ev.start), str(ev.end), ev.rule)
        if h not in best or ev.confidence > best[h].confidence:
            best[h] = ev
    position = data.get("position")
    for h, ev in best.items():
        st = URIRef(f"{base_iri}evidence/{h}")
        _add_statement(g, st, s, p, o)
        g.add((st, KG.article, _article_iri(base_iri, ev.article)))
        g.add((st, KG.sentence, _zh(ev.sentence)))
        g.add((st, KG.start, _integer(ev.start)))
        g.add((st, KG.end, _integer(ev.end)))
        g.add((st, KG.rule, Literal(ev.rule)))
        g.add((st, KG.confidence, _decimal(ev.confidence, places=3)))
        if position:
            g.add((st, KG.position, _zh(position)))


def _add_statement(g: Graph, st: URIRef, s: URIRef, p: URIRef, o: URIRef) -> None:
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, s))
    g.add((st, RDF.predicate, p))
    g.add((st, RDF.object, o))


# --- writers ----------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_TURTLE_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_TURTLE_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04X}", text)


def _iri_nt(iri: str) -> str:
    if _IRI_FORBIDDEN.search(iri):
        raise ValueError(f"IRI {iri!r} holds a character N-Triples and Turtle cannot write")
    return f"<{iri}>"


def _nt(term: URIRef | Literal) -> str:
    if isinstance(term, Literal):
        text = f'"{_escape(str(term))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^{_iri_nt(term.datatype)}"
        return text
    if isinstance(term, URIRef):
        return _iri_nt(term)
    raise ValueError(f"{term!r}: only IRIs and literals are written; blank nodes are not deterministic")


def _sorted_triples(g: Graph) -> list[tuple[str, str, str, tuple]]:
    return sorted((_nt(s), _nt(p), _nt(o), (s, p, o)) for s, p, o in g)


def _ntriples_lines(g: Graph) -> Iterator[str]:
    for s, p, o, _ in _sorted_triples(g):
        yield f"{s} {p} {o} .\n"


def _turtle_lines(g: Graph, prefixes: Iterable[tuple[str, str]]) -> Iterator[str]:
    prefixes = tuple(prefixes)
    for prefix, ns in prefixes:
        yield f"@prefix {prefix}: {_iri_nt(ns)} .\n"
    # Longest namespace first, so `{base}entity/` wins over a shorter overlapping one.
    by_length = sorted(prefixes, key=lambda pn: -len(pn[1]))

    def name(term: URIRef | Literal) -> str:
        if isinstance(term, Literal):
            return _literal_ttl(term, name)
        for prefix, ns in by_length:
            if term.startswith(ns) and _LOCAL.match(term[len(ns):]):
                return f"{prefix}:{term[len(ns):]}"
        return _nt(term)

    rows = sorted(_sorted_triples(g), key=lambda r: (r[0], r[3][1] != RDF.type, r[1], r[2]))
    for _, group in groupby(rows, key=lambda r: r[0]):
        group = list(group)
        yield "\n" + name(group[0][3][0])
        by_predicate = [list(ps) for _, ps in groupby(group, key=lambda r: r[1])]
        for i, ps in enumerate(by_predicate):
            p = ps[0][3][1]
            # Long object lists (an article's mentions) one a line, so diffs and eyes can follow.
            objects = (" , " if len(ps) <= 3 else " ,\n        ").join(name(r[3][2]) for r in ps)
            end = " ." if i == len(by_predicate) - 1 else " ;"
            yield f"{' ' if i == 0 else '    '}{'a' if p == RDF.type else name(p)} {objects}{end}\n"


def _literal_ttl(term: Literal, name) -> str:
    lexical = str(term)
    if term.datatype == XSD.integer and _TURTLE_INTEGER.match(lexical):
        return lexical
    if term.datatype == XSD.decimal and _TURTLE_DECIMAL.match(lexical):
        return lexical
    text = f'"{_escape(lexical)}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^{name(term.datatype)}"
    return text


def _write(lines: Iterable[str], path: str | os.PathLike | IO[str]) -> None:
    if hasattr(path, "write"):
        path.writelines(lines)
        return
    with atomic_write(path) as f:
        f.writelines(lines)

