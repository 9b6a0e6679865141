"""GEXF export: schema-valid GEXF 1.3 that networkx reads back, byte-identical on re-runs."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from kg.gexf import NS_GEXF, PALETTE, node_size, read_gexf, write_gexf
from kg.records import Evidence

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "gexf"
G_NS = {"g": NS_GEXF}

ART1, ART2 = "art-0000000000000001", "art-0000000000000002"
PER, ORG = "per-00000000000000a1", "org-00000000000000b1"
LOC, PRG = "loc-00000000000000c1", "prg-00000000000000d1"
ORG_LABEL = "国网吉林省电力有限公司 & <长春分公司>"
EV1 = Evidence(ART1, "张琼月是国网吉林省电力有限公司“党员服务队”队长。", 10, 34, "rule:title", 0.8)
EV2 = Evidence(ART2, "国网吉林省电力有限公司张琼月说：\"<要>&做好\"", 3, 25, "ner+pattern", 0.95)


def nodes() -> list[tuple[str, dict]]:
    article = {"kind": "Article", "aliases": (), "mentions": 0, "subtitle": "", "source": "page.md",
               "url": "", "publisher": "吉林日报"}
    return [
        (ART1, {**article, "label": "十大跃升行动 <头版> & 要闻", "title": "十大跃升行动 <头版> & 要闻",
                "date": "2024-02-07", "line": 1}),
        (ART2, {**article, "label": "电网建设\n提速", "title": "电网建设\n提速", "date": "2024-03-01",
                "line": 40}),
        (PER, {"kind": "Person", "label": "张琼月", "aliases": ("张队长",), "mentions": 2}),
        (ORG, {"kind": "Organization", "label": ORG_LABEL, "aliases": ("吉林电力", "国网吉林电力"),
               "mentions": 5}),
        (LOC, {"kind": "Place", "label": "吉林省", "aliases": ("吉",), "mentions": 3,
               "adcode": "220000", "lat": 43.8965, "lon": 125.3245}),
        (PRG, {"kind": "Programme", "label": "十大跃升行动", "aliases": (), "mentions": 1}),
    ]


def edges() -> list[tuple[str, str, str, dict]]:
    def rel(evidence):
        return {"weight": len(evidence), "evidence": tuple(evidence)}

    return [
        (PER, "memberOf", ORG, rel([EV1, EV2])),
        (ORG, "locatedIn", LOC, rel([EV1])),
        (ORG, "implements", PRG, rel([EV2])),
        (ART1, "author", PER, {"weight": 1, "evidence": ()}),
        (ART1, "mentions", PER, {"weight": 1, "evidence": ()}),  # same pair, second predicate
        (ART1, "mentions", ORG, {"weight": 3, "evidence": ()}),
        (ART1, "mentions", PRG, {"weight": 1, "evidence": ()}),
        (ART2, "mentions", ORG, {"weight": 2, "evidence": ()}),
        (ART2, "mentions", PER, {"weight": 1, "evidence": ()}),
        (ART2, "mentions", LOC, {"weight": 3, "evidence": ()}),
    ]


def build(reverse: bool = False) -> nx.MultiDiGraph:
    """The graph of `kg.graph`'s contract, built by hand, in either insertion order."""
    order = reversed if reverse else list
    G = nx.MultiDiGraph()
    for node, data in order(nodes()):
        G.add_node(node, **data)
    for u, predicate, v, data in order(edges()):
        G.add_edge(u, v, key=predicate, predicate=predicate, **data)
    return G


@pytest.fixture(scope="module")
def gexf_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gexf") / "graph.gexf"
    write_gexf(build(), path)
    return path


def undated() -> nx.MultiDiGraph:
    G = build()
    for node in (ART1, ART2):
        G.nodes[node]["date"] = ""
    return G


def awkward() -> nx.MultiDiGraph:
    """Control characters, quotes and outer spaces in labels; an unknown kind; no edges."""
    G = nx.MultiDiGraph()
    G.add_node("org-1", kind="Organization", label=' \x01“双千工程”\t"办公室"\x0b ', aliases=("a|b",),
               mentions=0)
    G.add_node("xyz-1", kind="Thing", label="", aliases=(), mentions=7)
    return G


@pytest.mark.parametrize("make", [build, undated, awkward, nx.MultiDiGraph], ids=lambda f: f.__name__)
def test_valid_against_schema(tmp_path, make):
    xmlschema = pytest.importorskip("xmlschema")
    xsd = SCHEMAS / "1.3" / "gexf.xsd"
    if not xsd.exists():
        pytest.skip(f"GEXF schema not found at {xsd}")
    write_gexf(make(), tmp_path / "g.gexf")
    xmlschema.XMLSchema(str(xsd)).validate(str(tmp_path / "g.gexf"))
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == make().number_of_nodes()


def test_networkx_reads_nodes(gexf_file):
    H = nx.read_gexf(gexf_file)
    G = build()
    assert set(H.nodes) == set(G.nodes)
    assert H.number_of_nodes() == G.number_of_nodes()
    for node, data in G.nodes(data=True):
        got = H.nodes[node]
        assert got["type"] == data["kind"]
        assert got["mentions"] == data["mentions"] and isinstance(got["mentions"], int)
        assert got["aliases"] == "|".join(data["aliases"])
    assert H.nodes[ORG]["label"] == ORG_LABEL
    assert H.nodes[ART1]["label"] == "十大跃升行动 <头版> & 要闻"
    assert H.nodes[ART2]["label"] == "电网建设 提速"  # labels are one line
    assert H.nodes[ART1]["date"] == "2024-02-07"
    assert H.nodes[LOC]["adcode"] == "220000"
    assert H.nodes[LOC]["lat"] == pytest.approx(43.8965)
    assert "adcode" not in H.nodes[ORG] and "date" not in H.nodes[ORG]


def test_networkx_reads_one_edge_per_relation(gexf_file):
    H = nx.read_gexf(gexf_file)
    expected = {(u, p, v): d["weight"] for u, p, v, d in edges()}
    got = {}
    for u, v, data in H.edges(data=True):
        triple = (u, data["relation"], v)
        assert triple not in got, f"two edges for {triple}"
        assert data["label"] == data["relation"]
        assert isinstance(data["weight"], float)
        got[triple] = data["weight"]
    assert got == expected
    memberof = [d for u, v, d in H.edges(data=True) if d["relation"] == "memberOf"]
    assert memberof[0]["confidence"] == pytest.approx(0.95)


def test_read_gexf_keys_edges_by_relation(gexf_file):
    H = read_gexf(gexf_file)
    assert isinstance(H, nx.MultiDiGraph)
    assert set(H.edges(keys=True)) == {(u, v, p) for u, p, v, _ in edges()}
    assert H.edges[PER, ORG, "memberOf"]["weight"] == 2.0


@pytest.mark.parametrize("reverse", [False, True])
def test_bytes_do_not_depend_on_insertion_order(gexf_file, tmp_path, reverse):
    path = tmp_path / "again.gexf"
    write_gexf(build(reverse=reverse), path)
    assert path.read_bytes() == gexf_file.read_bytes()


def test_writes_to_binary_file_object(gexf_file):
    buffer = io.BytesIO()
    write_gexf(build(), buffer)
    assert buffer.getvalue() == gexf_file.read_bytes()


def test_text_is_utf8_and_escaped(gexf_file):
    raw = gexf_file.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    text = raw.decode("utf8")
    assert "国网吉林省电力有限公司 &amp; &lt;长春分公司&gt;" in text  # not &#22269;...
    ET.fromstring(raw)  # well-formed


@pytest.mark.parametrize("node,kind", [(PER, "Person"), (ORG, "Organization"), (ART1, "Article")])
def test_colour_per_kind_and_size_from_mentions(gexf_file, node, kind):
    root = ET.parse(gexf_file).getroot()
    element = root.find(f".//g:node[@id='{node}']", G_NS)
    colour = element.find("g:color", G_NS)
    assert tuple(int(colour.get(c)) for c in "rgb") == PALETTE[kind]
    mentions = dict(nodes())[node]["mentions"]
    assert float(element.find("g:size", G_NS).get("value")) == pytest.approx(node_size(mentions), abs=1e-3)


def test_dynamic_starts_from_article_dates(gexf_file):
    H = nx.read_gexf(gexf_file)
    assert H.graph["mode"] == "dynamic"
    assert H.nodes[ART2]["start"] == "2024-03-01"
    assert H.nodes[PER]["start"] == "2024-02-07"  # first article that links to it
    assert H.nodes[LOC]["start"] == "2024-02-07"  # its locatedIn evidence is from ART1
    implements = [d for u, v, d in H.edges(data=True) if d["relation"] == "implements"]
    assert implements[0]["start"] == "2024-03-01"


def test_static_without_dates(tmp_path):
    write_gexf(undated(), tmp_path / "g.gexf")
    H = nx.read_gexf(tmp_path / "g.gexf")
    assert H.graph["mode"] == "static"
    assert "start" not in H.nodes[PER]


def test_failed_write_keeps_old_file(gexf_file, tmp_path):
    path = tmp_path / "graph.gexf"
    write_gexf(build(), path)
    G = build()
    G.edges[PER, ORG, "memberOf"]["weight"] = "many"
    with pytest.raises(ValueError):
        write_gexf(G, path)
    assert path.read_bytes() == gexf_file.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["graph.gexf"]
