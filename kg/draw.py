"""A picture of the graph: `draw_svg(G, path)` writes a standalone SVG any browser shows offline.

What is drawn (the graph of `kg.graph`, or the one `kg.gexf.read_gexf` reads back):

- Entities only. Article nodes and their `mentions` edges are left out: an archive has far more
  of them than of anything else, and every entity would hang off a star of articles.
- Typed relations between the entities kept (partOf, locatedIn, implements, ...), as light grey
  arrows; the relation name and `weight` show on hover (<title>).
- Authors: an article's `author` and `photographer` edges become one dashed edge from the
  person to the article's publisher ("reporter", "photographer"; weight = articles), as
  `ontology/queries/people-organisations.rq` lists them, so reporters do not float alone.
- When there are more than `max_nodes` entities, the most prominent are kept: mentions plus
  the articles a person wrote or photographed or an organisation published (so a publisher
  and its reporters, who are seldom named in the text, still count), ties by label and id.
- Colour per kind is `kg.gexf.PALETTE`, as in Gephi; the radius grows with the square root of
  `mentions` (relative to the most mentioned entity drawn). Labels are SVG <text> (searchable
  and selectable in a browser) with a CJK font list ending in sans-serif.
- Entities with no drawn edge are laid out in rows under the network, by kind, most prominent
  first: a force layout would push them to the rim and squeeze the network into the middle.

Layout: per connected component, `networkx.spring_layout(seed=42)` refined by stress
majorization so that every edge is about `EDGE_LENGTH` long (see `_layout`); the components
are packed in rows, largest first. No plotting library: the SVG is written here.
Output is byte-identical for the same graph, whatever the insertion order or PYTHONHASHSEED,
and the same from `kg.graph` as from its GEXF read back (so `kg draw` redraws what `kg build`
drew): coordinates are rounded to one decimal and every list is sorted. No interactive HTML
page: it would need a JavaScript graph library, and the picture must open offline; hovering
in the SVG shows names, and Gephi is the tool for exploring.
"""
from __future__ import annotations

import math
import os
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path
from typing import IO, Iterable

import networkx as nx
import numpy as np

from kg.errors import KgError
from kg.files import atomic_write
from kg.gexf import OTHER_COLOUR, PALETTE, one_line, read_gexf

FONTS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
KIND_ZH = {"Person": "人物", "Organization": "机构", "Place": "地点", "Programme": "项目", "Event": "事件"}
# Article edges drawn as person -> publisher, under the name people-organisations.rq gives them.
AUTHOR_ROLES = {"author": "reporter", "photographer": "photographer"}
NOT_DRAWN = {"mentions", "publisher", "author", "photographer"}

FONT_SIZE = 12
MARGIN = 24
HEADER = 66  # title and legend
MIN_WIDTH = 960
GAP = 24  # between the boxes of two connected components
EDGE_LENGTH = 80.0  # px
EDGE_COLOUR = "#b4b4b4"
TEXT_COLOUR = "#333333"
DASH = ' stroke-dasharray="5,3"'  # edges read from bylines, not from a sentence



def draw_svg(G: nx.MultiDiGraph, path: str | os.PathLike | IO[bytes], max_nodes: int = 150) -> None:
    """Draw `G` as SVG to a path (atomically) or a binary file object; see the module docstring."""
    data = render_svg(G, max_nodes).encode("utf8")
    if hasattr(path, "write"):
        path.write(data)
    else:
        with atomic_write(path, "wb") as f:
            f.write(data)


def draw_folder(out: str | os.PathLike, max_nodes: int = 150) -> Path:
    """Draw the graph that `kg build` wrote into `out` (its graph.gexf) as `out/graph.svg`."""
    out = Path(out)
    source = out / "graph.gexf"
    if not source.is_file():
        raise KgError(f"no graph.gexf here; run kg build INPUT... --out {out} first", path=str(out))
    try:
        G = read_gexf(source)
    except (ET.ParseError, nx.NetworkXError, ValueError) as e:
        raise KgError(f"not a GEXF file kg can read ({e}); rebuild it with kg build", path=str(source))
    draw_svg(G, out / "graph.svg", max_nodes)
    return out / "graph.svg"


def render_svg(G: nx.MultiDiGraph, max_nodes: int = 150) -> str:
    """The SVG text of `draw_svg`."""
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    nodes = _entities(G)
    edges, prominence = _edges(G, nodes)
    for n, d in nodes.items():
        prominence[n] += d["mentions"]
    ranked = sorted(nodes, key=lambda n: (-prominence[n], nodes[n]["label"], n))
    kept = set(ranked[:max_nodes])
    edges = {(u, v): p for (u, v), p in edges.items() if u in kept and v in kept}
    linked = sorted({n for pair in edges for n in pair})
    loose = _by_kind([n for n in ranked if n in kept and n not in set(linked)], nodes)

    top = max([nodes[n]["mentions"] for n in kept] + [1])

    def radius(n: str) -> float:
        return 3.0 + 11.0 * math.sqrt(nodes[n]["mentions"] / top)

    legend, legend_width = _legend(Counter(nodes[n]["kind"] for n in kept))
    boxes = _components(linked, edges, nodes, radius)
    width = max([legend_width, MIN_WIDTH] + [bw + 2 * MARGIN for _, bw, _ in boxes])
    pos, rows_top = _pack(boxes, width, HEADER + MARGIN)
    rows, height = _rows(loose, nodes, radius, width, rows_top)
    pos.update(rows)

    out: list[str] = []
    w = out.append
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}"'
        f' viewBox="0 0 {_n(width)} {_n(height)}" font-family="{FONTS}" font-size="{FONT_SIZE}">\n'
    )
    w("<title>kg: entities and relations</title>\n")
    w(
        "<style>.edge:hover .line{stroke:#333}.node:hover circle{stroke:#333}</style>\n"
    )
    w('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7"'
      f' orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="{EDGE_COLOUR}"/></marker></defs>\n')
    w('<rect width="100%" height="100%" fill="#ffffff"/>\n')
    shown = f"{len(kept)} of {len(nodes)}" if len(kept) < len(nodes) else f"{len(nodes)}"
    n_edges = sum(len(p) for p in edges.values())
    w(
        f'<text x="{MARGIN}" y="{MARGIN}" font-size="14" fill="{TEXT_COLOUR}">{shown} entities, '
        f"{n_edges} edges (articles and their mentions not drawn; hover for names)</text>\n"
    )
    w(legend)

    w('<g id="edges" fill="none">\n')
    for (u, v), preds in sorted(edges.items()):
        w(_edge(u, v, preds, nodes, pos, radius))
    w("</g>\n")
    w('<g id="nodes">\n')
    if loose and linked:
        w(f'<text x="{MARGIN}" y="{_n(rows_top)}" fill="#777777">Not linked by a drawn relation:</text>\n')
    for n in linked + loose:
        w(_node(n, nodes[n], pos[n], radius(n)))
    w("</g>\n</svg>\n")
    return "".join(out)


def _entities(G: nx.Graph) -> dict[str, dict]:
    """Entity nodes with the attributes drawn; works on both `kg.graph` and GEXF read-back."""
    nodes = {}
    for n, d in G.nodes(data=True):
        kind = d.get("kind") or d.get("type") or "Other"
        if kind == "Article":
            continue
        aliases = d.get("aliases") or ()
        if isinstance(aliases, str):
            aliases = aliases.split("|")
        nodes[str(n)] = {
            "kind": kind,
            "label": one_line(d.get("label") or n),
            "mentions": int(d.get("mentions") or 0),
            "aliases": sorted(one_line(a) for a in aliases if a),
        }
    return nodes


def _edges(G: nx.Graph, nodes: dict) -> tuple[dict[tuple[str, str], dict[str, float]], Counter]:
    """(source, target) -> {relation: weight} for entity pairs, author edges folded in; and
    per entity the articles it wrote, photographed or published."""
    edges: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    publishers: dict[str, list[str]] = defaultdict(list)
    roles = []
    articles: Counter = Counter()
    for u, v, pred, weight in _all_edges(G):
        if pred in AUTHOR_ROLES or pred == "publisher":
            articles[v] += 1
        if pred == "publisher":
            publishers[u].append(v)
        elif pred in AUTHOR_ROLES:
            roles.append((u, AUTHOR_ROLES[pred], v))
        elif pred not in NOT_DRAWN and u in nodes and v in nodes and u != v:
            edges[(u, v)][pred] = edges[(u, v)].get(pred, 0) + weight
    for article, role, person in roles:
        for pub in publishers.get(article, ()):
            if person in nodes and pub in nodes and person != pub:
                edges[(person, pub)][role] = edges[(person, pub)].get(role, 0) + 1
    return dict(edges), articles


def _all_edges(G: nx.Graph) -> Iterable[tuple[str, str, str, float]]:
    if G.is_multigraph():
        items = G.edges(keys=True, data=True)
    else:
        items = ((u, v, None, d) for u, v, d in G.edges(data=True))
    for u, v, key, d in items:
        pred = d.get("predicate") or d.get("relation") or key or d.get("label") or "related"
        yield str(u), str(v), str(pred), float(d.get("weight", 1) or 1)


def _components(linked: list[str], edges: dict, nodes: dict, radius) -> list[tuple[dict, float, float]]:
    """A layout per connected component, largest first: (positions in a box, width, height).

    Laid out together, components drift apart and the picture is mostly empty; packed side by
    side, each gets room in proportion to its size.
    """
    H = nx.Graph()
    H.add_nodes_from(linked)
    H.add_edges_from(sorted(edges))
    comps = sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: (-len(c), c[0]))
    boxes = []
    for comp in comps:
        # A fresh graph in sorted order: a subgraph view iterates over a set, whose order
        # changes with PYTHONHASHSEED, and the layout depends on the node order.
        C = nx.Graph()
        C.add_nodes_from(comp)
        C.add_edges_from(sorted(tuple(sorted(e)) for e in H.subgraph(comp).edges))
        pos = {n: (_r(x * EDGE_LENGTH), _r(y * EDGE_LENGTH)) for n, (x, y) in _layout(C).items()}
        left = min(pos[n][0] - radius(n) for n in comp)
        right = max(pos[n][0] + radius(n) + 3 + _text_width(nodes[n]["label"]) for n in comp)
        top = min(pos[n][1] - radius(n) for n in comp)
        bottom = max(pos[n][1] + radius(n) for n in comp)
        pos = {n: (x - left, y - top) for n, (x, y) in pos.items()}
        boxes.append((pos, right - left, bottom - top))
    return boxes


def _layout(C: nx.Graph, iterations: int = 200) -> dict[str, tuple[float, float]]:
    """Positions of a connected graph with edges about one unit long.

    Stress majorization (SMACOF, weights 1/d^2, as Kamada-Kawai but with numpy alone, no scipy)
    from `networkx.spring_layout(seed=42)`: a spring layout alone puts the leaves of a hub on top
    of it, and its scale follows the longest chain rather than the edges.
    """
    n = len(C)
    if n == 1:
        return {next(iter(C)): (0.0, 0.0)}
    if n < 500:
        raw = nx.spring_layout(C, seed=42, weight=None)
        X = np.array([raw[v] for v in C], dtype=float)
    else:  # networkx would need scipy for these
        X = np.random.default_rng(42).random((n, 2))
    index = {v: i for i, v in enumerate(C)}
    D = np.zeros((n, n))
    for u, lengths in nx.all_pairs_shortest_path_length(C):
        for v, d in lengths.items():
            D[index[u], index[v]] = d
    W = np.zeros((n, n))
    off = D > 0
    W[off] = D[off] ** -2.0
    L = -W
    np.fill_diagonal(L, W.sum(axis=1))
    L_pinv = np.linalg.pinv(L)
    for _ in range(iterations):
        dist = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
        B = np.zeros((n, n))
        ok = off & (dist > 1e-12)
        B[ok] = -W[ok] * D[ok] / dist[ok]
        np.fill_diagonal(B, -B.sum(axis=1))
        X = L_pinv @ (B @ X)
    X -= X.mean(axis=0)
    return {v: (float(X[i, 0]), float(X[i, 1])) for v, i in index.items()}


def _pack(boxes: list, width: float, y: float) -> tuple[dict, float]:
    """Place the component boxes in rows (shelves) from `y` down; positions and the bottom."""
    pos: dict[str, tuple[float, float]] = {}
    x, row_h = MARGIN, 0.0
    for box, bw, bh in boxes:
        if x + bw > width - MARGIN and x > MARGIN:
            x, y, row_h = MARGIN, y + row_h + GAP, 0.0
        pos.update({n: (_r(x + bx), _r(y + by)) for n, (bx, by) in box.items()})
        x += bw + GAP
        row_h = max(row_h, bh)
    return pos, (y + row_h + MARGIN if boxes else y)


def _by_kind(ranked: list[str], nodes: dict) -> list[str]:
    """Group by kind in legend order; `sorted` is stable, so each kind stays in rank order."""
    order = {kind: i for i, kind in enumerate(PALETTE)}
    return sorted(ranked, key=lambda n: (order.get(nodes[n]["kind"], len(order)), nodes[n]["kind"]))


def _rows(loose: list[str], nodes: dict, radius, width: float, y: float) -> tuple[dict, float]:
    """Positions of the entities without drawn edges, in rows from `y` down; and the total height."""
    pos = {}
    if not loose:
        return pos, y + MARGIN
    row_h = 2 * max(radius(n) for n in loose) + 8
    y += 18 + row_h / 2
    x = MARGIN
    for n in loose:
        r = radius(n)
        step = 2 * r + 4 + _text_width(nodes[n]["label"]) + 14
        if x + step > width - MARGIN and x > MARGIN:
            x, y = MARGIN, y + row_h
        pos[n] = (_r(x + r), _r(y))
        x += step
    return pos, y + row_h / 2 + MARGIN


def _legend(kinds: Counter) -> tuple[str, float]:
    """The legend of kinds and edge styles under the title, and the width it needs."""
    x, y = MARGIN, MARGIN + 26
    parts = ['<g id="legend">\n']
    for kind in [*PALETTE, *sorted(set(kinds) - set(PALETTE))]:
        if kind == "Article" or not kinds[kind]:
            continue
        text = " ".join(filter(None, (kind, KIND_ZH.get(kind), f"({kinds[kind]})")))
        parts.append(f'<circle cx="{_n(x + 6)}" cy="{y - 4}" r="6" fill="{_colour(kind)}"/>')
        parts.append(f'<text x="{_n(x + 16)}" y="{y}" fill="{TEXT_COLOUR}">{_esc(text)}</text>\n')
        x += 16 + _text_width(text) + 18
    right = x
    x, y = MARGIN, y + 18
    styles = (("", "typed relation"), (DASH, "reporter / photographer of the publisher (from bylines)"))
    for dash, text in styles:
        parts.append(
            f'<line x1="{_n(x)}" y1="{y - 4}" x2="{_n(x + 28)}" y2="{y - 4}" stroke="{EDGE_COLOUR}"'
            f' stroke-width="2"{dash}/>'
        )
        parts.append(f'<text x="{_n(x + 34)}" y="{y}" fill="{TEXT_COLOUR}">{_esc(text)}</text>\n')
        x += 34 + _text_width(text) + 18
    parts.append("</g>\n")
    return "".join(parts), max(right, x) + MARGIN - 18


def _edge(u: str, v: str, preds: dict, nodes: dict, pos: dict, radius) -> str:
    (x1, y1), (x2, y2) = pos[u], pos[v]
    dx, dy = x2 - x1, y2 - y1
    d = math.hypot(dx, dy) or 1.0
    # Start and end on the circles, not at their centres, so the arrowhead stays visible.
    ax, ay = x1 + dx * radius(u) / d, y1 + dy * radius(u) / d
    bx, by = x2 - dx * (radius(v) + 1) / d, y2 - dy * (radius(v) + 1) / d
    weight = sum(preds.values())
    derived = all(p in AUTHOR_ROLES.values() for p in preds)
    names = "; ".join(
        f"{p}, {_count(w)} article{'s' if w != 1 else ''}" if p in AUTHOR_ROLES.values()
        else f"{p}, weight {_count(w)}"
        for p, w in sorted(preds.items())
    )
    title = f"{nodes[u]['label']} → {nodes[v]['label']}: {names}"
    coords = f'x1="{_n(ax)}" y1="{_n(ay)}" x2="{_n(bx)}" y2="{_n(by)}"'
    width = _n(min(4.0, 1.2 + math.log2(weight)))
    dash = DASH if derived else ""
    return (
        f'<g class="edge"><title>{_esc(title)}</title>'
        f'<line {coords} stroke="#ffffff" stroke-opacity="0" stroke-width="8"/>'
        f'<line class="line" {coords} stroke="{EDGE_COLOUR}" stroke-width="{width}"{dash} marker-end="url(#arrow)"/>'
        "</g>\n"
    )


def _node(n: str, data: dict, xy: tuple[float, float], r: float) -> str:
    x, y = xy
    title = f"{data['label']} · {data['kind']} · {data['mentions']} mentions"
    if data["aliases"]:
        title += " · " + " | ".join(data["aliases"])
    return (
        f'<g class="node" id="{_esc(n)}"><title>{_esc(title)}</title>'
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{_colour(data["kind"])}" stroke="#ffffff"/>'
        f'<text x="{_n(x + r + 3)}" y="{_n(y + FONT_SIZE * 0.35)}" fill="{TEXT_COLOUR}">{_esc(data["label"])}</text>'
        "</g>\n"
    )


def _colour(kind: str) -> str:
    r, g, b = PALETTE.get(kind, OTHER_COLOUR)
    return f"#{r:02x}{g:02x}{b:02x}"


def _text_width(text: str) -> float:
    """Approximate rendered width: CJK characters are one em, the rest about 0.6 em."""
    return sum(FONT_SIZE if unicodedata.east_asian_width(c) in "WF" else FONT_SIZE * 0.6 for c in text)


def _count(w: float) -> str:
    return str(int(w)) if float(w).is_integer() else f"{w:g}"


def _r(value: float) -> float:
    return round(float(value), 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def _n(value: float) -> str:
    return f"{_r(value):.1f}".removesuffix(".0")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
