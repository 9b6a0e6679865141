"""The SVG picture: valid XML, Chinese labels, entities only, byte-identical on re-runs."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.draw import draw_svg, render_svg
from kg.gexf import PALETTE, read_gexf, write_gexf
from kg.records import Evidence

SVG = "{http://www.w3.org/2000/svg}"
ART1, ART2 = "art-0000000000000001", "art-0000000000000002"
PER, REP, PUB = "per-00000000000000a1", "per-00000000000000a2", "org-00000000000000b0"
ORG, LOC, PRG = "org-00000000000000b1", "loc-00000000000000c1", "prg-00000000000000d1"
EVT, LONE = "evt-00000000000000e1", "loc-00000000000000c2"
EV = Evidence(ART1, "张琼月是国网吉林省电力有限公司“党员服务队”队长。", 0, 24, "rule:title", 0.8)

ENTITIES = {
    PER: ("Person", "张琼月", 2),
    REP: ("Person", "景洋", 0),  # a reporter: never named in the text
    PUB: ("Organization", "吉林日报", 0),
    ORG: ("Organization", "国网吉林省电力有限公司 & <长春>", 5),
    LOC: ("Place", "吉林省", 7),
    PRG: ("Programme", "十大跃升行动", 1),
    EVT: ("Event", "全国射击冠军赛", 3),
    LONE: ("Place", "珲春市", 4),  # no typed relation: drawn in the rows below the network
}
ENTITY_LABELS = [label for _, label, _ in ENTITIES.values()]


def build(reverse: bool = False) -> nx.MultiDiGraph:
    """A graph of `kg.graph`'s contract, built by hand, in either insertion order."""
    order = reversed if reverse else list
    article = {"kind": "Article", "aliases": (), "mentions": 0, "subtitle": "", "source": "page.md",
               "url": "", "publisher": "吉林日报", "line": 1}
    nodes = [
        (ART1, {**article, "label": "电网建设提速", "title": "电网建设提速", "date": "2024-02-07"}),
        (ART2, {**article, "label": "冠军赛开幕", "title": "冠军赛开幕", "date": "2024-03-01"}),
    ] + [
        (key, {"kind": kind, "label": label, "aliases": ("吉林电力",) if key == ORG else (), "mentions": n})
        for key, (kind, label, n) in ENTITIES.items()
    ]
    edges = [
        (PER, "memberOf", ORG, {"weight": 1, "evidence": (EV,)}),
        (ORG, "locatedIn", LOC, {"weight": 1, "evidence": (EV,)}),
        (ORG, "implements", PRG, {"weight": 1, "evidence": (EV,)}),
        (EVT, "location", LOC, {"weight": 2, "evidence": (EV,)}),
        (ART1, "publisher", PUB, {"weight": 1, "evidence": ()}),
        (ART2, "publisher", PUB, {"weight": 1, "evidence": ()}),
        (ART1, "author", REP, {"weight": 1, "evidence": ()}),
        (ART2, "author", REP, {"weight": 1, "evidence": ()}),
    ] + [(art, "mentions", key, {"weight": 1, "evidence": ()}) for art in (ART1, ART2) for key in ENTITIES]
    G = nx.MultiDiGraph()
    for node, data in order(nodes):
        G.add_node(node, **data)
    for u, predicate, v, data in order(edges):
        G.add_edge(u, v, key=predicate, predicate=predicate, **data)
    return G


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg.encode("utf8"))
    assert root.tag == f"{SVG}svg"
    return root


def drawn_nodes(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("class") == "node"}


def edge_titles(root: ET.Element) -> list[str]:
    return [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]


@pytest.fixture(scope="module")
def svg() -> str:
    return render_svg(build())


def test_svg_is_xml_with_chinese_labels_and_cjk_fonts(svg):
    root = parse(svg)
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert set(ENTITY_LABELS) <= texts
    assert "Noto Sans CJK SC" in root.get("font-family") and "sans-serif" in root.get("font-family")


def test_one_circle_per_entity_and_no_articles(svg):
    nodes = drawn_nodes(parse(svg))
    assert set(nodes) == set(ENTITIES)
    assert all(len(g.findall(f"{SVG}circle")) == 1 for g in nodes.values())
    assert "电网建设提速" not in svg  # article titles are not drawn


def test_colour_per_kind_is_the_gexf_palette(svg):
    nodes = drawn_nodes(parse(svg))
    for key, (kind, _, _) in ENTITIES.items():
        r, g, b = PALETTE[kind]
        assert nodes[key].find(f"{SVG}circle").get("fill") == f"#{r:02x}{g:02x}{b:02x}"


def test_radius_grows_with_mentions(svg):
    nodes = drawn_nodes(parse(svg))
    r = {key: float(g.find(f"{SVG}circle").get("r")) for key, g in nodes.items()}
    assert r[LOC] > r[ORG] > r[PER] > r[REP]


def test_typed_relations_drawn_mentions_not_and_bylines_folded(svg):
    titles = edge_titles(parse(svg))
    assert len(titles) == 5
    assert "全国射击冠军赛 → 吉林省: location, weight 2" in titles
    assert "国网吉林省电力有限公司 & <长春> → 十大跃升行动: implements, weight 1" in titles
    assert "景洋 → 吉林日报: reporter, 2 articles" in titles
    assert not any("mentions" in t for t in titles)


@pytest.mark.parametrize("max_nodes", [1, 3, 6])
def test_max_nodes_keeps_the_most_prominent(max_nodes):
    root = parse(render_svg(build(), max_nodes=max_nodes))
    kept = set(drawn_nodes(root))
    assert len(kept) == max_nodes
    # 吉林省 (7 mentions) first; the reporter and the paper count their two articles.
    assert LOC in kept
    for u, v in [(u, v) for t in edge_titles(root) for u, v in [t.split(":")[0].split(" → ")]]:
        assert {u, v} <= {ENTITIES[k][1] for k in kept}


def test_byte_identical_whatever_the_insertion_order(svg):
    assert render_svg(build(reverse=True)) == svg
    assert render_svg(build()) == svg


def test_gexf_read_back_draws_the_same_picture(svg, tmp_path):
    write_gexf(build(), tmp_path / "graph.gexf")
    assert render_svg(read_gexf(tmp_path / "graph.gexf")) == svg


def test_coordinates_have_at_most_one_decimal(svg):
    root = parse(svg)
    for el in root.iter():
        for name in ("cx", "cy", "r", "x", "y", "x1", "y1", "x2", "y2"):
            value = el.get(name)
            if value is not None and "." in value:
                assert len(value.split(".")[1]) == 1, (el.tag, name, value)


@pytest.mark.parametrize("graph", [nx.MultiDiGraph(), nx.MultiDiGraph([(ART1, PER)])])
def test_empty_and_attributeless_graphs_still_draw(graph):
    parse(render_svg(graph))


def test_draw_svg_to_path_and_file(svg, tmp_path):
    draw_svg(build(), tmp_path / "g.svg")
    assert (tmp_path / "g.svg").read_text(encoding="utf8") == svg
    buf = io.BytesIO()
    draw_svg(build(), buf)
    assert buf.getvalue() == svg.encode("utf8")
    assert not list(tmp_path.glob("*.part"))


def test_cli_draw_reads_the_built_gexf(svg, tmp_path):
    write_gexf(build(), tmp_path / "graph.gexf")
    result = CliRunner().invoke(main, ["draw", "--out", str(tmp_path), "--max-nodes", "4"])
    assert result.exit_code == 0, result.output
    assert len(drawn_nodes(parse((tmp_path / "graph.svg").read_text(encoding="utf8")))) == 4


def test_cli_draw_without_a_build_says_what_to_do(tmp_path):
    result = CliRunner().invoke(main, ["draw", "--out", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "run kg build" in result.output


def test_same_bytes_whatever_the_hash_seed(svg, tmp_path):
    """Set iteration order changes with PYTHONHASHSEED; the picture must not."""
    write_gexf(build(), tmp_path / "graph.gexf")
    code = "import sys; from kg.draw import draw_folder; draw_folder(sys.argv[1])"
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, check=True)
        outputs.add((tmp_path / "graph.svg").read_bytes())
    assert outputs == {svg.encode("utf8")}
