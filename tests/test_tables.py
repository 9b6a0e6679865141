"""CSV tables: what a spreadsheet user opens; read back with the csv module."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kg.tables import (
    ENTITY_COLUMNS, EVIDENCE_COLUMNS, RELATION_COLUMNS,
    write_entities_csv, write_evidence_csv, write_relations_csv,
)
try:  # the sample graph of the GEXF tests; tests/ is on sys.path under pytest's default import mode
    from test_gexf import ART1, EV1, EV2, LOC, ORG, ORG_LABEL, PER, build, edges, nodes
except ImportError:  # tests/ made a package, or --import-mode=importlib
    from tests.test_gexf import ART1, EV1, EV2, LOC, ORG, ORG_LABEL, PER, build, edges, nodes

WRITERS = {
    "entities": (write_entities_csv, ENTITY_COLUMNS),
    "relations": (write_relations_csv, RELATION_COLUMNS),
    "evidence": (write_evidence_csv, EVIDENCE_COLUMNS),
}


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tables")
    G = build()
    paths = {}
    for name, (write, _) in WRITERS.items():
        paths[name] = folder / f"{name}.csv"
        write(G, paths[name])
    return paths


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_header_and_bom(tables, name):
    raw = tables[name].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs it to read Chinese as UTF-8
    with open(tables[name], encoding="utf-8-sig", newline="") as f:
        assert tuple(next(csv.reader(f))) == WRITERS[name][1]


@pytest.mark.parametrize("name", sorted(WRITERS))
@pytest.mark.parametrize("reverse", [False, True])
def test_bytes_do_not_depend_on_insertion_order(tables, tmp_path, name, reverse):
    write, _ = WRITERS[name]
    path = tmp_path / f"{name}.csv"
    write(build(reverse=reverse), path)
    assert path.read_bytes() == tables[name].read_bytes()


def test_entities(tables):
    rows = read_rows(tables["entities"])
    assert [r["id"] for r in rows] == sorted(n for n, _ in nodes())
    by_id = {r["id"]: r for r in rows}
    assert by_id[ORG]["label"] == ORG_LABEL
    assert by_id[ORG]["aliases"] == "吉林电力|国网吉林电力"
    assert by_id[ORG]["mentions"] == "5"
    assert by_id[ORG]["adcode"] == by_id[ORG]["lat"] == ""
    assert by_id[LOC]["kind"] == "Place"
    assert (by_id[LOC]["adcode"], float(by_id[LOC]["lat"]), float(by_id[LOC]["lon"])) == (
        "220000", 43.8965, 125.3245)
    assert by_id[ART1]["kind"] == "Article"


def test_relations(tables):
    rows = read_rows(tables["relations"])
    assert [(r["source"], r["predicate"], r["target"]) for r in rows] == sorted(
        (u, p, v) for u, p, v, _ in edges())
    member = next(r for r in rows if r["predicate"] == "memberOf")
    assert member["source_label"] == "张琼月" and member["target_label"] == ORG_LABEL
    assert member["weight"] == member["evidence_count"] == "2"
    assert member["example_sentence"] == EV2.sentence  # the most confident one
    assert member["rules"] == "ner+pattern|rule:title"
    assert float(member["max_confidence"]) == 0.95
    mention = next(r for r in rows if (r["source"], r["predicate"], r["target"]) == (ART1, "mentions", ORG))
    assert (mention["weight"], mention["evidence_count"], mention["rules"], mention["max_confidence"]) == (
        "3", "0", "", "")


def test_evidence(tables):
    rows = read_rows(tables["evidence"])
    assert len(rows) == sum(len(d["evidence"]) for *_, d in edges())
    member = [r for r in rows if (r["source"], r["predicate"], r["target"]) == (PER, "memberOf", ORG)]
    got = [(r["article"], int(r["start"]), int(r["end"]), r["rule"], float(r["confidence"]), r["sentence"])
           for r in member]
    assert got == [(e.article, e.start, e.end, e.rule, e.confidence, e.sentence) for e in (EV1, EV2)]


def test_writes_to_text_file_object(tables):
    buffer = io.StringIO(newline="")
    write_relations_csv(build(), buffer)
    assert buffer.getvalue() == tables["relations"].read_bytes().decode("utf-8-sig")


def test_text_that_looks_like_a_formula_is_kept_as_text(tmp_path):
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("org-1", kind="Organization", label="=HYPERLINK(\"http://x\")", aliases=["@团队", "-3.5"], mentions=1)
    G.add_node("loc-1", kind="Place", label="长春市", mentions=2, lat=43.8, lon=-125.3)
    write_entities_csv(G, tmp_path / "e.csv")
    rows = {r["id"]: r for r in read_rows(tmp_path / "e.csv")}
    assert rows["org-1"]["label"] == "'=HYPERLINK(\"http://x\")"
    assert rows["org-1"]["aliases"] == "'-3.5|@团队"  # the joined cell starts with "-", and is no number
    assert rows["loc-1"]["lon"] == "-125.3"  # a number stays a number
