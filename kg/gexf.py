"""GEXF 1.3 for Gephi: `write_gexf(G, path)` / `read_gexf(path)` over the graph of `kg.graph`.

One <node> per graph node (label = the Chinese name or the article title; attributes `type`,
`mentions`, `aliases`, and `date`, `adcode`, `lat`, `lon` where known; colour per kind, size
from mentions) and one <edge> per (source, predicate, target) with `label` = predicate,
`kind` = predicate, `weight` = evidence count, and attributes `relation` and `confidence`.

Why GEXF 1.3 and not 1.2draft: the file validates against the 1.3 XSD in `shared/schemas/gexf/`
and networkx.read_gexf reads it (networkx 3.x knows the 1.3 namespace), so both checks hold,
as they would for 1.2draft; only 1.3 has the edge `kind` attribute, which Gephi's importer takes
as the edge type, so that two relations between the same pair of nodes (author + mentions,
partOf + cooperatesWith) stay two edges instead of being merged into one on import.

Why <color>/<size> carry no `viz:` prefix: both official XSDs (1.3 and 1.2draft) declare these
elements in the GEXF namespace itself, so `viz:color` fails validation. Gephi (ImporterGEXF
matches local names) and graphology/sigma.js (they fall back to the bare tag) read the bare
elements; networkx only looks for them in the viz namespace, so `read_gexf` returns no `viz`
data, which the user does not need: `type` and `mentions` are ordinary attributes.

Output is byte-identical for the same graph whatever the insertion order: nodes sorted by id,
edges by (source, predicate, target), attribute declarations in a fixed order.
"""
from __future__ import annotations

import math
import os
import re
from datetime import date
from typing import IO, Iterable, Iterator

import networkx as nx

from kg.files import atomic_write

VERSION = "1.3"
NS_GEXF = "http://gexf.net/1.3"

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. Articles are
# grey so that the entities stand out; an unknown kind gets dark grey.
PALETTE: dict[str, tuple[int, int, int]] = {
    "Article": (170, 170, 170),
    "Person": (213, 94, 0),  # vermillion
    "Organization": (0, 114, 178),  # blue
    "Place": (0, 158, 115),  # bluish green
    "Programme": (230, 159, 0),  # orange
    "Event": (204, 121, 167),  # reddish purple
}
OTHER_COLOUR = (90, 90, 90)

# (id = title, GEXF type, graph attribute it comes from). `type` and `mentions` and `aliases`
# are written for every node; the others only when some node has a value.
NODE_ATTRIBUTES = (
    ("type", "string", "kind"),
    ("mentions", "integer", "mentions"),
    ("aliases", "string", "aliases"),
    ("date", "string", "date"),
    ("adcode", "string", "adcode"),
    ("lat", "double", "lat"),
    ("lon", "double", "lon"),
)
ALWAYS = {"type", "mentions", "aliases"}
EDGE_ATTRIBUTES = (
    ("relation", "string"),
    ("confidence", "double"),  # highest confidence among the edge's evidence
)

# Characters XML 1.0 forbids even as references; news text scraped from the web may hold them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def node_size(mentions: int) -> float:
    """Gephi node size: grows with the square root so a few hubs do not hide everything else."""
    return 5.0 + 3.0 * math.sqrt(max(mentions, 0))


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike | IO[bytes]) -> None:
    """Write `G` (see `kg.graph`) as GEXF 1.3 to a path (atomically) or a binary file object."""
    if hasattr(path, "write"):
        _write(G, path)
    else:
        with atomic_write(path, "wb") as f:
            _write(G, f)


def read_gexf(path: str | os.PathLike | IO[bytes]) -> nx.MultiDiGraph:
    """Read a GEXF file; edges are keyed by their relation, as in the graph that was written.

    Node attributes are what the file holds: `label`, `type`, `mentions` (int), `aliases`
    ("|"-joined), `date`, `adcode`, `lat`, `lon`; edges have `label`, `relation`, `weight` (float).
    """
    H = nx.read_gexf(path, version=VERSION)
    G = nx.MultiDiGraph()
    G.graph.update(H.graph)
    G.add_nodes_from(H.nodes(data=True))
    for u, v, data in H.edges(data=True):
        G.add_edge(u, v, key=data.get("relation", data.get("label", data.get("id"))), **data)
    return G


def _write(G: nx.MultiDiGraph, out: IO[bytes]) -> None:
    for chunk in _lines(G):
        out.write(chunk.encode("utf8"))


def _lines(G: nx.MultiDiGraph) -> Iterator[str]:
    nodes = sorted(G.nodes(data=True), key=lambda item: str(item[0]))
    edges = sorted(
        ((str(u), _predicate(k, d), str(v), d) for u, v, k, d in _edges(G)),
        key=lambda e: e[:3],
    )
    node_start, edge_start = _first_dates(G)
    dynamic = bool(node_start or edge_start)
    present = {title for _, data in nodes for title, _, key in NODE_ATTRIBUTES if _has(data.get(key))}
    node_attrs = [a for a in NODE_ATTRIBUTES if a[0] in ALWAYS or a[0] in present]

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<gexf xmlns="{NS_GEXF}" version="{VERSION}">\n'
    yield "  <meta>\n    <creator>kg</creator>\n  </meta>\n"
    mode = ' mode="dynamic" timeformat="date"' if dynamic else ' mode="static"'
    yield f'  <graph defaultedgetype="directed"{mode}>\n'
    yield '    <attributes class="node" mode="static">\n'
    for title, gexf_type, _ in node_attrs:
        yield f'      <attribute id="{title}" title="{title}" type="{gexf_type}"/>\n'
    yield "    </attributes>\n"
    yield '    <attributes class="edge" mode="static">\n'
    for title, gexf_type in EDGE_ATTRIBUTES:
        yield f'      <attribute id="{title}" title="{title}" type="{gexf_type}"/>\n'
    yield "    </attributes>\n"

    yield f'    <nodes count="{len(nodes)}">\n'
    for node, data in nodes:
        yield from _node(str(node), data, node_attrs, node_start.get(node))
    yield "    </nodes>\n"
    yield f'    <edges count="{len(edges)}">\n'
    for i, (u, predicate, v, data) in enumerate(edges):
        yield from _edge(f"e{i}", u, predicate, v, data, edge_start.get((u, predicate, v)))
    yield "    </edges>\n"
    yield "  </graph>\n</gexf>\n"


def _node(node: str, data: dict, attrs: list, start: str | None) -> Iterator[str]:
    label = one_line(data.get("label") or data.get("title") or node)
    when = f' start="{start}"' if start else ""
    yield f"      <node id={_attr(node)} label={_attr(label)}{when}>\n"
    yield "        <attvalues>\n"
    for title, gexf_type, key in attrs:
        value = _scalar(data.get(key), gexf_type, default=title in ALWAYS)
        if value is not None:
            yield f'          <attvalue for="{title}" value={_attr(value)}/>\n'
    yield "        </attvalues>\n"
    r, g, b = PALETTE.get(data.get("kind"), OTHER_COLOUR)
    yield f'        <color r="{r}" g="{g}" b="{b}"/>\n'
    yield f'        <size value="{node_size(_int(data.get("mentions"))):.3f}"/>\n'
    yield "      </node>\n"


def _edge(eid: str, u: str, predicate: str, v: str, data: dict, start: str | None) -> Iterator[str]:
    weight = _number(data.get("weight", 1))
    when = f' start="{start}"' if start else ""
    yield (
        f'      <edge id="{eid}" source={_attr(u)} target={_attr(v)} label={_attr(one_line(predicate))}'
        f" kind={_attr(one_line(predicate))} weight=\"{weight}\"{when}>\n"
    )
    yield "        <attvalues>\n"
    yield f'          <attvalue for="relation" value={_attr(predicate)}/>\n'
    confidences = [e.confidence for e in data.get("evidence") or ()]
    if confidences:
        yield f'          <attvalue for="confidence" value="{_number(max(confidences))}"/>\n'
    yield "        </attvalues>\n"
    yield "      </edge>\n"


def _edges(G: nx.Graph) -> Iterable[tuple]:
    if G.is_multigraph():
        return G.edges(keys=True, data=True)
    return ((u, v, None, d) for u, v, d in G.edges(data=True))


def _predicate(key, data: dict) -> str:
    return str(data.get("predicate") or key or "related")


def _first_dates(G: nx.MultiDiGraph) -> tuple[dict, dict]:
    """Earliest article date at which each node and edge appears, for Gephi's timeline.

    An article starts on its date; an entity on the date of the first article linked to it;
    an article's edge on the article's date; a typed relation on the date of its earliest evidence.
    """
    article_date = {}
    for node, data in G.nodes(data=True):
        if data.get("kind") == "Article" and _iso_date(data.get("date")):
            article_date[node] = data["date"]
    node_start: dict = dict(article_date)
    edge_start: dict = {}

    def earliest(table: dict, key, day: str) -> None:
        if key not in table or day < table[key]:
            table[key] = day

    for u, v, k, data in _edges(G):
        days = [article_date[e.article] for e in data.get("evidence") or () if e.article in article_date]
        if u in article_date:
            days.append(article_date[u])
        if days:
            day = min(days)
            edge_start[(str(u), _predicate(k, data), str(v))] = day
            for node in (u, v):
                if G.nodes[node].get("kind") != "Article":
                    earliest(node_start, node, day)
    return node_start, edge_start


def _iso_date(value) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _has(value) -> bool:
    return value is not None and value != "" and value != ()


def _scalar(value, gexf_type: str, default: bool) -> str | None:
    """One attribute value as text of the declared type; None leaves the attvalue out."""
    if not _has(value):
        if not default:
            return None
        value = 0 if gexf_type == "integer" else ""
    if gexf_type == "integer":
        return str(_int(value))
    if gexf_type == "double":
        return _number(value)
    if isinstance(value, (tuple, list, set, frozenset)):
        value = "|".join(sorted(str(v) for v in value))
    return _clean(str(value))


def _int(value) -> int:
    return int(value) if _has(value) else 0


def _number(value) -> str:
    return repr(float(value))


def _clean(text: str) -> str:
    return _INVALID_XML.sub("", text)


def one_line(text) -> str:
    """Labels are xs:token in the schema: one line, no outer spaces, no characters XML forbids."""
    return _SPACE.sub(" ", _clean(str(text))).strip()


def _attr(value: str) -> str:
    """A double-quoted XML attribute value; newlines and tabs survive as character references."""
    value = (
        _clean(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )
    return f'"{value}"'
