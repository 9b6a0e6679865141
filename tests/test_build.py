"""End to end: `kg build` on the bundled example and on the real sample page."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDF, SDO

from kg.build import build
from kg.cli import main
from kg.records import Context

from conftest import EXAMPLE_PAGE, REPO, SAMPLE_PAGE

JILIN = Context(publisher="吉林日报", home_province="吉林省", date=date(2023, 2, 8))
OUTPUTS = ("graph.ttl", "graph.nt", "graph.gexf", "graph.svg", "entities.csv", "relations.csv", "evidence.csv")


@pytest.fixture(scope="session")
def example_build(pipeline, tmp_path_factory):
    out = tmp_path_factory.mktemp("example")
    G, result = build([EXAMPLE_PAGE], out, JILIN)
    return G, result, out


@pytest.fixture(scope="session")
def sample_build(pipeline, tmp_path_factory):
    if not SAMPLE_PAGE.exists():
        pytest.skip("../shared/samples is not present")
    out = tmp_path_factory.mktemp("sample")
    G, result = build([SAMPLE_PAGE], out, JILIN)
    return G, result, out


@pytest.mark.parametrize("name", OUTPUTS)
def test_example_writes_every_output(example_build, name):
    _, result, out = example_build
    assert (out / name).stat().st_size > 0
    assert not list(out.glob("*.part"))


def test_example_turtle_parses_in_rdflib_and_oxigraph(example_build):
    G, result, out = example_build
    g = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    articles = set(g.subjects(RDF.type, SDO.NewsArticle))
    assert len(articles) == result.articles > 0
    quads = list(pyoxigraph.parse(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(g)


def test_example_gexf_reads_back(example_build):
    G, _, out = example_build
    H = nx.read_gexf(out / "graph.gexf")
    assert H.number_of_nodes() == G.number_of_nodes()
    kinds = {d.get("type") for _, d in H.nodes(data=True)}
    assert {"Article", "Person"} <= kinds


def test_sample_page_articles_and_authors(sample_build):
    G, result, out = sample_build
    assert result.articles == 8
    g = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    headlines = {str(o) for s in g.subjects(RDF.type, SDO.NewsArticle) for o in g.objects(s, SDO.headline)}
    assert "我省实施“十大跃升行动”推进科技创新" in headlines
    assert "2023年全国射击冠军赛收官" in headlines
    authors = {}
    for art in g.subjects(RDF.type, SDO.NewsArticle):
        title = str(g.value(art, SDO.headline))
        authors[title] = {str(g.value(p, rdflib.RDFS.label)) for p in g.objects(art, SDO.author)}
    assert authors["我省实施“十大跃升行动”推进科技创新"] == {"景洋"}
    assert authors["2023年全国射击冠军赛收官"] == {"刘勃", "张宽"}
    assert authors["2022年我省释放税费政策红利超400亿元"] == {"徐慕旗"}


def test_sample_page_finds_the_programme(sample_build):
    G, _, _ = sample_build
    nodes = {(d["label"], d["kind"]) for _, d in G.nodes(data=True)}
    assert ("十大跃升行动", "Programme") in nodes
    assert ("吉林省", "Place") in nodes  # 我省 with --home-province 吉林省


def test_build_is_byte_identical(pipeline, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build([EXAMPLE_PAGE], a, JILIN)
    build([EXAMPLE_PAGE], b, JILIN)
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_bad_input_names_file_and_line_and_writes_nothing(pipeline, tmp_path):
    bad = tmp_path / "news.jsonl"
    bad.write_text('{"text": "长春市召开会议。"}\n{"title": "没有正文"}\n', encoding="utf8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(bad), "--out", str(out), "-q"])
    assert res.exit_code == 1
    assert f"{bad}:2:" in res.output
    assert "Traceback" not in res.output
    assert not out.exists() or not any(out.iterdir())


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_second_build_into_same_folder_changes_nothing(pipeline, tmp_path):
    out = tmp_path / "out"
    _, first = build([EXAMPLE_PAGE], out, JILIN)
    before = _snapshot(out)
    _, second = build([EXAMPLE_PAGE], out, JILIN)
    assert second.new_articles == 0 and second.articles == first.articles
    assert _snapshot(out) == before
    store = pyoxigraph.Store.read_only(str(out / "store"))
    assert len(store) == len((out / "graph.nt").read_text(encoding="utf8").splitlines())


def test_adding_an_article_adds_only_its_triples(pipeline, tmp_path):
    out = tmp_path / "out"
    build([EXAMPLE_PAGE], out, JILIN)
    old = set((out / "graph.nt").read_text(encoding="utf8").splitlines())
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"title": "松原市召开冬捕节", "text": "松原市今天召开第二十届查干湖冰雪渔猎文化旅游节。"}\n', encoding="utf8")
    _, result = build([extra], out, JILIN)
    assert result.new_articles == 1 and result.articles > 1
    new = set((out / "graph.nt").read_text(encoding="utf8").splitlines())
    # Nothing is lost or rewritten, except the mention counts of entities the new article names.
    changed = {t for t in old - new if "#mentionCount>" not in t}
    assert not changed
    added = new - old
    assert any("松原市召开冬捕节" in t for t in added)
    # the same article again adds nothing
    build([extra], out, JILIN)
    assert set((out / "graph.nt").read_text(encoding="utf8").splitlines()) == new


def test_fresh_build_forgets_earlier_articles(pipeline, tmp_path):
    out = tmp_path / "out"
    build([EXAMPLE_PAGE], out, JILIN)
    extra = tmp_path / "one.jsonl"
    extra.write_text('{"text": "长春市今天召开会议。"}\n', encoding="utf8")
    _, result = build([extra], out, JILIN, fresh=True)
    assert result.articles == 1


def test_cache_fingerprint_covers_all_analysis_code_and_models():
    # A cache that outlives a change of the code or models it came from gives a stale graph.
    from kg import cache

    root = Path(cache.__file__).resolve().parent
    seen = {p.relative_to(root).as_posix() for p in cache._stage_files(root)}
    for rel in ("extract.py", "patterns.py", "rules.py", "relclf.py", "nlp/orgs.py", "nlp/lexicon.py",
                "nlp/embed.py", "nlp/pipeline.py", "nlp/chars.py", "nlp/sentences.py"):
        assert rel in seen, rel
    for model in ("ner", "finre"):
        for p in (root / "models" / model).rglob("*"):
            if p.is_file():
                assert p.relative_to(root).as_posix() in seen, p


def test_rebuild_takes_the_new_context_of_articles_read_again(pipeline, tmp_path):
    # The cache keeps the analysis of an article, not its metadata: a rebuild with another
    # --publisher or --date must not show the old ones (nor leave the new publisher unlinked).
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"title": "会议", "text": "长春市今天召开会议。"}\n', encoding="utf8")
    out = tmp_path / "out"
    build([feed], out, Context(publisher="甲日报", date=date(2023, 2, 8)))
    G, result = build([feed], out, Context(publisher="乙日报", date=date(2024, 3, 15)))
    assert result.new_articles == 0
    (art,) = [n for n, d in G.nodes(data=True) if d["kind"] == "Article"]
    assert G.nodes[art]["date"] == "2024-03-15" and G.nodes[art]["publisher"] == "乙日报"
    assert [G.nodes[v]["label"] for _, v, k in G.out_edges(art, keys=True) if k == "publisher"] == ["乙日报"]
    assert "甲日报" not in (out / "graph.ttl").read_text(encoding="utf8")


def test_benbao_in_a_feed_record_is_the_records_source(pipeline, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"title": "通知", "source": "长春日报", "text": "本报将于明天推出特刊。"}\n'
        '{"title": "消息", "text": "本报记者今天走访了农安县。"}\n',
        encoding="utf8",
    )
    G, _ = build([feed], tmp_path / "out", Context(publisher="吉林日报", date=date(2023, 2, 8)))
    mentioned = {
        G.nodes[a]["title"]: {G.nodes[v]["label"] for _, v, k in G.out_edges(a, keys=True) if k == "mentions"}
        for a, d in G.nodes(data=True)
        if d["kind"] == "Article"
    }
    assert "长春日报" in mentioned["通知"] and "吉林日报" not in mentioned["通知"]
    assert "吉林日报" in mentioned["消息"]


def test_home_city_from_the_command_line(pipeline, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"title": "会议", "text": "市委召开常委会议,部署我市春耕生产工作。"}\n', encoding="utf8")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["build", str(feed), "--out", str(out), "--home-province", "吉林省", "--home-city", "长春", "-q"]
    )
    assert res.exit_code == 0, res.output
    labels = {d["label"]: d["type"] for _, d in nx.read_gexf(out / "graph.gexf").nodes(data=True)}
    assert labels.get("长春市") == "Place" and labels.get("中共长春市委员会") == "Organization"


def test_unwritable_output_is_a_clean_error_before_any_analysis(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "长春市今天召开会议。"}\n', encoding="utf8")
    (tmp_path / "a-file").write_text("", encoding="utf8")
    res = CliRunner().invoke(main, ["build", str(feed), "--out", str(tmp_path / "a-file" / "out"), "-q"])
    assert res.exit_code == 1, res.output
    assert res.output.startswith(f"kg: error: {tmp_path / 'a-file' / 'out'}: cannot write")
    assert "Traceback" not in res.output


def test_atomic_write_failure_is_a_kg_error(tmp_path):
    from kg.errors import KgError
    from kg.files import atomic_write

    (tmp_path / "a-file").write_text("", encoding="utf8")
    with pytest.raises(KgError, match="cannot write"):
        with atomic_write(tmp_path / "a-file" / "graph.ttl") as f:
            f.write("x")
    with pytest.raises(KgError, match="No space left"):
        with atomic_write(tmp_path / "graph.ttl") as f:
            raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == [tmp_path / "a-file"]


def test_blank_publisher_is_no_publisher(pipeline, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"title": "会议", "text": "本报讯 长春市今天召开会议。"}\n', encoding="utf8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(feed), "--out", str(out), "-q", "--publisher", " ", "--home-province", " "])
    assert res.exit_code == 0, res.output
    g = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    assert all(str(label).strip() for label in g.objects(None, rdflib.RDFS.label))
    assert not list(g.objects(None, SDO.publisher))


@pytest.mark.parametrize("which", ["example", "sample"])
def test_built_graph_conforms_to_shapes(request, which):
    import pyshacl

    _, _, out = request.getfixturevalue(f"{which}_build")
    data = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    shapes = rdflib.Graph().parse(REPO / "ontology" / "shapes.ttl", format="turtle")
    ontology = rdflib.Graph().parse(REPO / "ontology" / "kg.ttl", format="turtle")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, advanced=True)
    assert conforms, report


def test_sample_page_has_every_relation_type(sample_build):
    G, _, _ = sample_build
    predicates = {p for _, _, p in G.edges(keys=True)}
    typed = {"memberOf", "locatedIn", "partOf", "cooperatesWith", "organizer", "location", "implements", "participant"}
    assert typed | {"author", "mentions"} <= predicates
    for u, v, p, d in G.edges(keys=True, data=True):
        if p in typed - {"locatedIn"}:
            assert d["evidence"] and all(ev.sentence for ev in d["evidence"]), (u, p, v)
