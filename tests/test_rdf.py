"""The RDF exporter: IRIs, mapping, determinism, round trips, and SHACL validation."""
from __future__ import annotations

import io
import random
from pathlib import Path

import networkx as nx
import pyoxigraph
import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.errors import KgError
from kg.rdf import EDGE_PREDICATES, to_rdf, write_ntriples, write_turtle
from kg.records import Evidence, entity_key, short_hash
from kg.vocab import KG, RDF, RDFS, SDO, SKOS, XSD

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
BASE = "http://example.org/kg/"

ART1 = "art-" + short_hash("吉林电力十大跃升行动启动")
ART2 = "art-" + short_hash("全省电力行业推广会在长春召开")
PER = entity_key("Person", "张琼月")
REPORTER = entity_key("Person", "景洋")
PHOTOGRAPHER = entity_key("Person", "潘硕")
ORG = entity_key("Organization", "国网吉林省电力有限公司")
PAPER = entity_key("Organization", "吉林日报")
PLACE = entity_key("Place", "吉林省")
PRG = entity_key("Programme", "十大跃升行动")
EVT = entity_key("Event", "全省电力行业推广会")

SENT1 = "国网吉林省电力有限公司员工张琼月介绍了十大跃升行动。"
SENT2 = "张琼月是国网吉林省电力有限公司的一名技术员。"


def ev(article: str, sentence: str, start: int, rule: str, confidence: float) -> Evidence:
    return Evidence(article, sentence, start, start + len(sentence), rule, confidence)


NODES: list[tuple[str, dict]] = [
    (ART1, dict(kind="Article", label="吉林电力十大跃升行动启动", aliases=(), mentions=0,
                title="吉林电力十大跃升行动启动", subtitle="“双千工程”同步推进", date="2024-02-07",
                source="pages/吉林日报-0207.md", line=3, url="https://example.com/news/吉林 0207?a=1&b=%zz",
                publisher="吉林日报")),
    (ART2, dict(kind="Article", label="全省电力行业推广会在长春召开", aliases=(), mentions=0,
                title="全省电力行业推广会在长春召开", subtitle="", date="", source="feed.jsonl", line=17,
                url="", publisher="")),
    (PER, dict(kind="Person", label="张琼月", aliases=(), mentions=3)),
    (REPORTER, dict(kind="Person", label="景洋", aliases=(), mentions=1)),
    (PHOTOGRAPHER, dict(kind="Person", label="潘硕", aliases=(), mentions=1)),
    (ORG, dict(kind="Organization", label="国网吉林省电力有限公司", aliases=("国网吉林电力", "吉林电力"),
               mentions=4)),
    (PAPER, dict(kind="Organization", label="吉林日报", aliases=("本报",), mentions=1)),
    (PLACE, dict(kind="Place", label="吉林省", aliases=("吉林", "我省"), mentions=5, adcode="220000",
                 lat=43.8868, lon=125.3245)),
    (PRG, dict(kind="Programme", label="十大跃升行动", aliases=(), mentions=2)),
    (EVT, dict(kind="Event", label="全省电力行业推广会", aliases=("推广会",), mentions=1)),
]

MEMBER_EVIDENCE = (
    ev(ART1, SENT1, 14, "rule:org-staff", 0.8),
    ev(ART2, SENT2, 20, "rule:member-title", 0.9123),
)

EDGES: list[tuple[str, str, dict]] = [
    (ART1, REPORTER, dict(predicate="author", weight=1, evidence=())),
    (ART1, PHOTOGRAPHER, dict(predicate="photographer", weight=1, evidence=())),
    (ART1, PAPER, dict(predicate="publisher", weight=1, evidence=())),
    (ART1, PER, dict(predicate="mentions", weight=2, evidence=())),
    (ART1, ORG, dict(predicate="mentions", weight=2, evidence=())),
    (ART1, PRG, dict(predicate="mentions", weight=2, evidence=())),
    (ART1, PLACE, dict(predicate="mentions", weight=1, evidence=())),  # > 3 objects: one a line in Turtle
    (ART2, PER, dict(predicate="mentions", weight=1, evidence=())),
    (ART2, PLACE, dict(predicate="mentions", weight=1, evidence=())),
    (ART2, EVT, dict(predicate="mentions", weight=1, evidence=())),
    (PER, ORG, dict(predicate="memberOf", weight=2, evidence=MEMBER_EVIDENCE)),
    (ORG, PLACE, dict(predicate="locatedIn", weight=1,
                      evidence=(ev(ART1, SENT1, 14, "rule:org-place-prefix", 0.7),))),
    (ORG, PRG, dict(predicate="implements", weight=1, evidence=(ev(ART1, SENT1, 14, "rule:implements", 0.6),))),
    (EVT, ORG, dict(predicate="organizer", weight=1, evidence=(ev(ART2, "国网吉林省电力有限公司主办全省电力行业推广会。", 0, "rule:organizer", 0.75),))),
    (EVT, PLACE, dict(predicate="location", weight=1, evidence=(ev(ART2, "推广会在吉林省长春市召开。", 30, "rule:location", 0.7),))),
    (EVT, PER, dict(predicate="participant", weight=1, evidence=(ev(ART2, SENT2, 20, "rule:participant", 0.5),))),
    (PER, ORG, dict(predicate="leads", weight=1, position="技术组长",
                    evidence=(ev(ART2, SENT2, 20, "rule:leader-title", 0.65),))),
    (PER, PRG, dict(predicate="coOccursWith", weight=3,
                    evidence=(ev(ART1, SENT1, 14, "cooccurrence", 1.0), ev(ART1, "张琼月说十大跃升行动很重要。", 40, "cooccurrence", 1.0)))),
]


def build(order: str = "as-listed") -> nx.MultiDiGraph:
    """The test graph, its nodes, edges and evidence added in the given order."""
    nodes, edges = list(NODES), list(EDGES)
    if order == "reversed":
        nodes.reverse()
        edges = [(u, v, {**d, "evidence": tuple(reversed(d["evidence"]))}) for u, v, d in reversed(edges)]
    elif order == "shuffled":
        rng = random.Random(7)
        rng.shuffle(nodes)
        rng.shuffle(edges)
    G = nx.MultiDiGraph()
    if order == "edges-first":
        for u, v, d in edges:
            G.add_edge(u, v, key=d["predicate"], **d)
    for key, data in nodes:
        G.add_node(key, **data)
    if order != "edges-first":
        for u, v, d in edges:
            G.add_edge(u, v, key=d["predicate"], **d)
    return G


def iri(key: str) -> URIRef:
    return URIRef(f"{BASE}{'article' if key.startswith('art-') else 'entity'}/{key}")


@pytest.fixture(scope="session")
def graph() -> Graph:
    return to_rdf(build(), BASE)


@pytest.fixture(scope="session")
def files(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("rdf")
    write_turtle(build(), out / "graph.ttl", BASE)
    write_ntriples(build(), out / "graph.nt", BASE)
    return {"turtle": (out / "graph.ttl").read_bytes(), "nt": (out / "graph.nt").read_bytes()}


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")


def validate(data: Graph, shapes: Graph, ontology: Graph, inference: str = "none") -> tuple[bool, str]:
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference=inference)
    return conforms, text


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        print("only in expected:\n" + only_expected.serialize(format="nt"))
        print("only in actual:\n" + only_actual.serialize(format="nt"))
        pytest.fail("graphs differ (see diff above)")


# --- parsing and round trips ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_rdflib_round_trip(graph, files, fmt):
    assert_isomorphic(graph, Graph().parse(data=files[fmt].decode("utf8"), format=fmt))


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_pyoxigraph_parses(graph, files, fmt):
    rdf_format = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}[fmt]
    triples = list(pyoxigraph.parse(files[fmt], rdf_format))
    assert len(triples) == len(graph)


def test_turtle_and_ntriples_agree(files):
    assert_isomorphic(
        Graph().parse(data=files["nt"].decode("utf8"), format="nt"),
        Graph().parse(data=files["turtle"].decode("utf8"), format="turtle"),
    )


def test_ntriples_is_sorted_one_triple_a_line(files):
    lines = files["nt"].decode("utf8").splitlines()
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


@pytest.mark.parametrize("order", ["reversed", "shuffled", "edges-first"])
@pytest.mark.parametrize("writer,name", [(write_turtle, "turtle"), (write_ntriples, "nt")])
def test_byte_identical_whatever_the_insertion_order(files, tmp_path, order, writer, name):
    writer(build(order), tmp_path / "out", BASE)
    assert (tmp_path / "out").read_bytes() == files[name]


@pytest.mark.parametrize("writer", [write_turtle, write_ntriples])
def test_writes_to_open_file_and_leaves_no_temporary_file(files, tmp_path, writer):
    buf = io.StringIO()
    writer(build(), buf, BASE)
    writer(build(), tmp_path / "g", BASE)
    assert buf.getvalue().encode("utf8") == (tmp_path / "g").read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["g"]


# --- IRIs -------------------------------------------------------------------------------------


def test_iris_are_ascii_and_there_are_no_blank_nodes(graph):
    terms = {t for triple in graph for t in triple}
    assert not [t for t in terms if isinstance(t, BNode)]
    assert not [t for t in terms if isinstance(t, URIRef) and not t.isascii()]


@pytest.mark.parametrize("base", ["https://data.example.org/news/", "urn:x-kg:run#"])
def test_base_iri_is_configurable_and_hashes_do_not_depend_on_it(graph, base):
    other = to_rdf(build(), base)
    local = {str(t).rsplit("/", 1)[-1] for t in other.subjects() if str(t).startswith(base)}
    assert local == {str(t).rsplit("/", 1)[-1] for t in graph.subjects() if str(t).startswith(BASE)}


@pytest.mark.parametrize("base", ["http://example.org/kg", "http://例子.org/kg/", "example.org/kg/", "http://x.org/a b/"])
def test_bad_base_iri_is_a_user_error(base):
    with pytest.raises(KgError, match="base IRI"):
        to_rdf(build(), base)


def test_url_becomes_an_ascii_iri(graph):
    (url,) = graph.objects(iri(ART1), SDO.url)
    assert url == URIRef("https://example.com/news/%E5%90%89%E6%9E%97%200207?a=1&b=%25zz")


# --- the mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,cls",
    [(ART1, SDO.NewsArticle), (PER, SDO.Person), (ORG, SDO.Organization), (PLACE, SDO.Place),
     (EVT, SDO.Event), (PRG, KG.Programme)],
)
def test_one_type_and_one_chinese_label(graph, key, cls):
    assert list(graph.objects(iri(key), RDF.type)) == [cls]
    (label,) = graph.objects(iri(key), RDFS.label)
    assert label.language == "zh" and label == Literal(dict(NODES)[key]["label"], lang="zh")


def test_entity_attributes(graph):
    org = iri(ORG)
    assert set(graph.objects(org, SKOS.altLabel)) == {Literal("国网吉林电力", lang="zh"), Literal("吉林电力", lang="zh")}
    assert graph.value(org, KG.mentionCount) == Literal(4)
    place = iri(PLACE)
    assert graph.value(place, KG.adcode) == Literal("220000")
    assert graph.value(place, SDO.latitude) == Literal("43.8868", datatype=XSD.decimal)
    assert graph.value(place, SDO.longitude) == Literal("125.3245", datatype=XSD.decimal)


def test_article_attributes(graph):
    art = iri(ART1)
    assert graph.value(art, SDO.headline) == Literal("吉林电力十大跃升行动启动", lang="zh")
    assert graph.value(art, SDO.alternativeHeadline) == Literal("“双千工程”同步推进", lang="zh")
    assert graph.value(art, SDO.datePublished) == Literal("2024-02-07", datatype=XSD.date)
    assert graph.value(art, KG.sourceFile) == Literal("pages/吉林日报-0207.md")
    assert graph.value(art, KG.sourceLine) == Literal(3)
    assert graph.value(art, SDO.publisher) == iri(PAPER)
    assert graph.value(art, SDO.author) == iri(REPORTER)
    assert graph.value(art, SDO.contributor) == iri(PHOTOGRAPHER)
    assert graph.value(art, KG.mentionCount) is None
    # An article without subtitle, date or URL gets none of those triples.
    assert not {SDO.alternativeHeadline, SDO.datePublished, SDO.url} & set(graph.predicates(iri(ART2)))


@pytest.mark.parametrize("name", sorted(EDGE_PREDICATES))
def test_every_edge_is_one_triple(graph, name):
    edges = [(u, v) for u, v, d in EDGES if d["predicate"] == name]
    for u, v in edges:
        assert (iri(u), EDGE_PREDICATES[name], iri(v)) in graph
    assert len(list(graph.subject_objects(EDGE_PREDICATES[name]))) == len(edges)


def test_each_evidence_item_is_a_statement(graph):
    statements = sorted(graph.subjects(RDF.predicate, KG.memberOf))
    assert len(statements) == 2 and all(str(s).startswith(f"{BASE}evidence/") for s in statements)
    by_article = {graph.value(s, KG.article): s for s in statements}
    for item in MEMBER_EVIDENCE:
        st = by_article[iri(item.article)]
        assert graph.value(st, RDF.type) == RDF.Statement
        assert graph.value(st, RDF.subject) == iri(PER) and graph.value(st, RDF.object) == iri(ORG)
        assert graph.value(st, KG.sentence) == Literal(item.sentence, lang="zh")
        assert graph.value(st, KG.start) == Literal(item.start)
        assert graph.value(st, KG.end) == Literal(item.end)
        assert graph.value(st, KG.rule) == Literal(item.rule)
    assert graph.value(by_article[iri(ART2)], KG.confidence) == Literal("0.912", datatype=XSD.decimal)


def test_leads_statement_carries_the_position(graph):
    (st,) = graph.subjects(RDF.predicate, KG.leads)
    assert graph.value(st, KG.position) == Literal("技术组长", lang="zh")


def test_cooccurrence_is_one_counted_statement(graph):
    (st,) = graph.subjects(RDF.predicate, KG.coOccursWith)
    assert str(st).startswith(f"{BASE}statement/")
    assert graph.value(st, KG.evidenceCount) == Literal(3)
    assert graph.value(st, KG.sentence) is None
    assert set(graph.objects(st, KG.article)) == {iri(ART1)}


def test_unknown_predicate_is_rejected():
    G = build()
    G.add_edge(PER, ORG, key="likes", predicate="likes", weight=1, evidence=())
    with pytest.raises(ValueError, match="'likes'.*ontology/kg.ttl"):
        to_rdf(G, BASE)


@pytest.mark.parametrize("key", ["org-张", "org 1", ""])
def test_non_ascii_node_key_is_rejected(key):
    G = build()
    G.add_node(key, kind="Organization", label="某公司", aliases=(), mentions=1)
    with pytest.raises(ValueError, match="ASCII"):
        to_rdf(G, BASE)


# --- SHACL ------------------------------------------------------------------------------------


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_export_conforms_to_shapes(graph, shapes, ontology, inference):
    conforms, report = validate(graph, shapes, ontology, inference)
    assert conforms, report


def _relabel_without_lang(g: Graph) -> None:
    g.remove((iri(PER), RDFS.label, None))
    g.add((iri(PER), RDFS.label, Literal("张琼月")))


def _second_label(g: Graph) -> None:
    g.add((iri(ORG), RDFS.label, Literal("吉林电力", lang="zh")))


def _member_of_place(g: Graph) -> None:
    g.add((iri(PER), KG.memberOf, iri(PLACE)))


def _located_in_programme(g: Graph) -> None:
    g.add((iri(ORG), KG.locatedIn, iri(PRG)))


def _author_is_organization(g: Graph) -> None:
    g.add((iri(ART2), SDO.author, iri(ORG)))


def _no_headline(g: Graph) -> None:
    g.remove((iri(ART1), SDO.headline, None))


def _date_as_string(g: Graph) -> None:
    g.set((iri(ART1), SDO.datePublished, Literal("2024-02-07")))


def _confidence_above_one(g: Graph) -> None:
    st = next(g.subjects(RDF.predicate, KG.memberOf))
    g.set((st, KG.confidence, Literal("1.5", datatype=XSD.decimal)))


def _statement_without_sentence(g: Graph) -> None:
    st = next(g.subjects(RDF.predicate, KG.memberOf))
    g.remove((st, KG.sentence, None))


def _statement_of_unasserted_triple(g: Graph) -> None:
    g.remove((iri(ORG), KG.locatedIn, iri(PLACE)))


def _adcode_not_digits(g: Graph) -> None:
    g.set((iri(PLACE), KG.adcode, Literal("吉林")))


@pytest.mark.parametrize(
    "break_it,expected",
    [
        (_relabel_without_lang, "rdfs:label"),
        (_second_label, "rdfs:label"),
        (_member_of_place, "kg:memberOf"),
        (_located_in_programme, "kg:locatedIn"),
        (_author_is_organization, "schema:author"),
        (_no_headline, "schema:headline"),
        (_date_as_string, "schema:datePublished"),
        (_confidence_above_one, "kg:confidence"),
        (_statement_without_sentence, "exactly one shape"),
        (_statement_of_unasserted_triple, "does not assert"),
        (_adcode_not_digits, "kg:adcode"),
    ],
    ids=lambda x: x.__name__.strip("_") if callable(x) else "",
)
def test_broken_graph_fails_validation(graph, shapes, ontology, break_it, expected):
    broken = Graph()
    for t in graph:
        broken.add(t)
    break_it(broken)
    conforms, report = validate(broken, shapes, ontology)
    assert not conforms, f"{break_it.__name__} should not conform"
    assert expected in report, report


def test_member_of_place_in_the_networkx_graph_fails_validation(shapes, ontology):
    G = build()
    G.add_edge(PER, PLACE, key="memberOf", predicate="memberOf", weight=1,
               evidence=(ev(ART2, SENT2, 20, "rule:bad", 0.5),))
    conforms, report = validate(to_rdf(G, BASE), shapes, ontology)
    assert not conforms and "memberOf" in report
