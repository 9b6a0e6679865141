"""CSV tables for spreadsheets: entities, relations and their evidence, from the graph of `kg.graph`.

Encoding is UTF-8 with a byte-order mark ("utf-8-sig"): the main readers are data journalists
opening the files in Excel, which decodes a BOM-less CSV in the local code page and garbles
Chinese. pandas and LibreOffice skip the BOM; Python's `csv` needs `encoding="utf-8-sig"`
(plain "utf-8" leaves "\\ufeff" glued to the first column name).

Rows are sorted (entities by id; relations by (source, predicate, target); evidence then by
article and offsets), so the same graph always gives the same bytes.

A text cell that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe, so
that a spreadsheet shows it as text instead of running it as a formula (CSV injection); numbers
such as -3.5 are left alone.
"""
from __future__ import annotations

import csv
import os
from contextlib import contextmanager
from typing import IO, Iterable, Iterator

import networkx as nx

from kg.files import atomic_write
from kg.records import Evidence

ENCODING = "utf-8-sig"
SEP = "|"  # joins aliases and rules inside one cell

ENTITY_COLUMNS = ("id", "kind", "label", "aliases", "mentions", "adcode", "lat", "lon")
RELATION_COLUMNS = (
    "source", "source_label", "predicate", "target", "target_label",
    "weight", "evidence_count", "example_sentence", "rules", "max_confidence",
)
EVIDENCE_COLUMNS = (
    "source", "predicate", "target", "article", "start", "end", "rule", "confidence", "sentence",
)


def write_entities_csv(G: nx.MultiDiGraph, path: str | os.PathLike | IO[str]) -> None:
    """One row per node, articles included (kind "Article", label = title), so the table is a
    complete node list for the relations table (and for Gephi's spreadsheet import)."""
    rows = (
        (
            str(node),
            data.get("kind", ""),
            data.get("label", ""),
            _join(data.get("aliases")),
            _int(data.get("mentions")),
            _text(data.get("adcode")),
            _number(data.get("lat")),
            _number(data.get("lon")),
        )
        for node, data in sorted(G.nodes(data=True), key=lambda item: str(item[0]))
    )
    _write(path, ENTITY_COLUMNS, rows)


def write_relations_csv(G: nx.MultiDiGraph, path: str | os.PathLike | IO[str]) -> None:
    """One row per (source, predicate, target); `example_sentence` is the sentence of the most
    confident evidence. Author and mentions edges are included (no evidence: empty columns)."""
    rows = []
    for u, predicate, v, data in _sorted_edges(G):
        evidence = _sorted_evidence(data.get("evidence"))
        best = max(evidence, key=lambda e: e.confidence, default=None)  # first of equals
        rows.append((
            u, _label(G, u), predicate, v, _label(G, v),
            _weight(data.get("weight", len(evidence))),
            len(evidence),
            best.sentence if best else "",
            SEP.join(sorted({e.rule for e in evidence})),
            _number(best.confidence) if best else "",
        ))
    _write(path, RELATION_COLUMNS, rows)


def write_evidence_csv(G: nx.MultiDiGraph, path: str | os.PathLike | IO[str]) -> None:
    """One row per Evidence of every relation: where it was read, by which rule, how sure."""
    rows = (
        (u, predicate, v, e.article, e.start, e.end, e.rule, _number(e.confidence), e.sentence)
        for u, predicate, v, data in _sorted_edges(G)
        for e in _sorted_evidence(data.get("evidence"))
    )
    _write(path, EVIDENCE_COLUMNS, rows)


def _write(path, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    with _open(path) as f:
        writer = csv.writer(f, lineterminator="\r\n")  # RFC 4180, what Excel writes
        writer.writerow(columns)
        writer.writerows(tuple(_cell(v) for v in row) for row in rows)


@contextmanager
def _open(path) -> Iterator[IO[str]]:
    if hasattr(path, "write"):
        yield path
    else:
        with atomic_write(path, "w", encoding=ENCODING) as f:
            yield f


def _sorted_edges(G: nx.MultiDiGraph) -> list[tuple[str, str, str, dict]]:
    if G.is_multigraph():
        edges = G.edges(keys=True, data=True)
    else:
        edges = ((u, v, None, d) for u, v, d in G.edges(data=True))
    found = [(str(u), str(d.get("predicate") or k or "related"), str(v), d) for u, v, k, d in edges]
    return sorted(found, key=lambda e: e[:3])


def _sorted_evidence(evidence: Iterable[Evidence] | None) -> list[Evidence]:
    return sorted(
        evidence or (),
        key=lambda e: (e.article, e.start, e.end, e.rule, -e.confidence, e.sentence),
    )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _label(G: nx.MultiDiGraph, node: str) -> str:
    data = G.nodes[node] if node in G else {}
    return data.get("label") or data.get("title") or ""


def _join(values) -> str:
    if not values:
        return ""
    if isinstance(values, str):
        return values
    return SEP.join(sorted(str(v) for v in values))


def _int(value) -> int:
    return int(value) if value not in (None, "") else 0


def _text(value) -> str:
    return "" if value is None else str(value)


def _number(value) -> str:
    return "" if value in (None, "") else repr(float(value))


def _weight(value) -> str:
    """Evidence counts are whole numbers: "2", not "2.0"; anything else keeps its decimals."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)
