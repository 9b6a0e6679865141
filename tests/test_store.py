"""The embedded store, the shipped SPARQL queries, `kg query`, `kg serve` and `kg push`."""
from __future__ import annotations

import csv
from decimal import Decimal
import io
import json
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from kg.cli import main
from kg.errors import KgError
from kg.rdf import write_ntriples
from kg.records import Evidence, entity_key, short_hash
from kg.vocab import XSD
from kg.store import display_width, format_result, format_table, load_store, push, query, read_query

QUERIES = Path(__file__).resolve().parent.parent / "ontology" / "queries"
BASE = "http://example.org/kg/"

ART1 = "art-" + short_hash("我省启动实施“科技赋能振兴行动”")
ART2 = "art-" + short_hash("长春市朝阳区推进创新平台建设")
ART3 = "art-" + short_hash("吉林电力员工张琼月获奖")
REPORTER = entity_key("Person", "林晓雪")
PER = entity_key("Person", "张琼月")
ORG = entity_key("Organization", "国网吉林省电力有限公司")
PAPER = entity_key("Organization", "示例日报")
PROVINCE = entity_key("Place", "吉林省")
CITY = entity_key("Place", "长春市")
DISTRICT = entity_key("Place", "朝阳区")
ELSEWHERE = entity_key("Place", "中国")
PRG = entity_key("Programme", "科技赋能振兴行动")
PART = entity_key("Programme", "创新平台提质专项行动")
SUBPART = entity_key("Programme", "长春创新平台试点")

S1 = "我省启动实施“科技赋能振兴行动”。"
S2 = "“科技赋能振兴行动”包括创新平台提质专项行动等四个专项行动。"
S3 = "长春市朝阳区的国网吉林省电力有限公司推进长春创新平台试点。"
S4 = "国网吉林省电力有限公司技术员张琼月获奖。"


def _article(title: str, day: str) -> dict:
    return dict(kind="Article", label=title, aliases=(), mentions=0, title=title, subtitle="", date=day,
                source="page.md", line=1, url="", publisher="示例日报")


def _entity(kind: str, name: str, mentions: int, aliases=()) -> dict:
    return dict(kind=kind, label=name, aliases=tuple(aliases), mentions=mentions)


def _edge(predicate: str, *evidence: Evidence, **extra) -> dict:
    return dict(predicate=predicate, weight=max(1, len(evidence)), evidence=tuple(evidence), **extra)


def small_graph() -> nx.MultiDiGraph:
    """Articles on two days, a programme with parts, people, a place hierarchy, with evidence."""
    G = nx.MultiDiGraph()
    G.add_node(ART1, **_article("我省启动实施“科技赋能振兴行动”", "2024-03-14"))
    G.add_node(ART2, **_article("长春市朝阳区推进创新平台建设", "2024-03-15"))
    G.add_node(ART3, **_article("吉林电力员工张琼月获奖", "2024-03-15"))
    G.add_node(REPORTER, **_entity("Person", "林晓雪", 1))
    G.add_node(PER, **_entity("Person", "张琼月", 1))
    G.add_node(ORG, **_entity("Organization", "国网吉林省电力有限公司", 2, ["吉林电力"]))
    G.add_node(PAPER, **_entity("Organization", "示例日报", 0))
    G.add_node(PROVINCE, **_entity("Place", "吉林省", 3, ["吉林", "我省"]))
    G.add_node(CITY, **_entity("Place", "长春市", 1, ["长春"]))
    G.add_node(DISTRICT, **_entity("Place", "朝阳区", 1))
    G.add_node(ELSEWHERE, **_entity("Place", "中国", 1))
    G.add_node(PRG, **_entity("Programme", "科技赋能振兴行动", 2))
    G.add_node(PART, **_entity("Programme", "创新平台提质专项行动", 1))
    G.add_node(SUBPART, **_entity("Programme", "长春创新平台试点", 1))
    for art in (ART1, ART2, ART3):
        G.add_edge(art, PAPER, key="publisher", **_edge("publisher"))
    G.add_edge(ART1, REPORTER, key="author", **_edge("author"))
    for art, ents in ((ART1, [PROVINCE, PRG, PART]), (ART2, [PROVINCE, CITY, DISTRICT, ORG, SUBPART]), (ART3, [ORG, PER])):
        for e in ents:
            G.add_edge(art, e, key="mentions", **_edge("mentions"))
    relations = [
        (PROVINCE, "implements", PRG, Evidence(ART1, S1, 0, len(S1), "launch-trigger", 0.7)),
        (PROVINCE, "implements", PRG, Evidence(ART1, "全省推进“科技赋能振兴行动”。", 40, 54, "launch-trigger", 0.6)),
        (PART, "partOf", PRG, Evidence(ART1, S2, 20, 20 + len(S2), "enumeration", 0.85)),
        (SUBPART, "partOf", PART, Evidence(ART2, S3, 0, len(S3), "enumeration", 0.8)),
        (ORG, "implements", SUBPART, Evidence(ART2, S3, 0, len(S3), "launch-trigger", 0.7)),
        (ORG, "locatedIn", DISTRICT, Evidence(ART2, S3, 0, len(S3), "place-prefix", 0.7)),
        (DISTRICT, "locatedIn", CITY, Evidence(ART2, S3, 0, len(S3), "place-prefix", 0.9)),
        (CITY, "locatedIn", PROVINCE, Evidence(ART2, S3, 0, len(S3), "place-prefix", 0.9)),
        (PROVINCE, "locatedIn", ELSEWHERE, Evidence(ART1, S1, 0, len(S1), "place-prefix", 0.9)),
        (PER, "memberOf", ORG, Evidence(ART3, S4, 0, len(S4), "member-title", 0.8)),
    ]
    for u, p, v, ev in relations:
        if G.has_edge(u, v, key=p):
            d = G.edges[u, v, p]
            d["evidence"] += (ev,)
            d["weight"] = len(d["evidence"])
        else:
            G.add_edge(u, v, key=p, **_edge(p, ev, **({"position": "技术员"} if p == "memberOf" else {})))
    return G


def nt_lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf8").splitlines() if line.strip())


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """An output folder as `kg build` leaves it: graph.nt and store/."""
    out = tmp_path_factory.mktemp("out")
    write_ntriples(small_graph(), out / "graph.nt", BASE)
    load_store(out / "graph.nt", out / "store")
    return out


def rows(out: Path, sparql: str) -> list[dict[str, str]]:
    data = json.loads(format_result(query(out / "store", sparql), "json"))
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


# --- the store ------------------------------------------------------------------------------


def test_load_store_counts_every_triple(out):
    assert rows(out, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": str(nt_lines(out / "graph.nt"))}]


def test_reloading_replaces_the_content(tmp_path):
    nt = tmp_path / "graph.nt"
    write_ntriples(small_graph(), nt, BASE)
    n = nt_lines(nt)
    assert load_store(nt, tmp_path / "store") == n
    assert load_store(nt, tmp_path / "store") == n  # not 2n
    smaller = small_graph()
    smaller.remove_node(ART3)
    write_ntriples(smaller, tmp_path / "smaller.nt", BASE)
    assert load_store(tmp_path / "smaller.nt", tmp_path / "store") == nt_lines(tmp_path / "smaller.nt") < n
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt", "smaller.nt", "store"]  # no leftovers


def test_a_failed_load_keeps_the_previous_store(tmp_path):
    nt = tmp_path / "graph.nt"
    write_ntriples(small_graph(), nt, BASE)
    n = load_store(nt, tmp_path / "store")
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf8")
    with pytest.raises(KgError, match="bad.nt"):
        load_store(bad, tmp_path / "store")
    assert rows(tmp_path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": str(n)}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nt", "graph.nt", "store"]


def test_missing_store_says_to_build_first(tmp_path):
    with pytest.raises(KgError, match="kg build") as e:
        query(tmp_path / "store", "ASK {}")
    assert str(tmp_path / "store") in str(e.value)


def test_bad_sparql_names_the_file_and_the_position(out, tmp_path):
    rq = tmp_path / "broken.rq"
    rq.write_text("# a comment\nSELECT ?x WHERE { ?x ?y }\n", encoding="utf8")
    sparql, source = read_query(str(rq))
    with pytest.raises(KgError) as e:
        query(out / "store", sparql, source=source)
    assert re.match(rf"{re.escape(str(rq))}: not valid SPARQL: line \d+, column \d+: expected ", str(e.value))


def test_updates_are_refused(out):
    with pytest.raises(KgError, match="read-only"):
        query(out / "store", "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }")
    assert format_result(query(out / "store", "ASK { <http://example.org/a> ?p ?o }"), "table") == "false\n"


@pytest.mark.parametrize("arg", ["missing.rq"])
def test_a_missing_query_file_is_an_error(arg):
    with pytest.raises(KgError, match="no such query file"):
        read_query(arg)


# --- the shipped queries --------------------------------------------------------------------

# What each shipped query answers on the small graph, as it ships (with its default names).
EXPECTED: dict[str, set[tuple[str, ...]]] = {
    "programme-implementers.rq": {
        # (programme, part, implementer, type, sentences)
        ("科技赋能振兴行动", "科技赋能振兴行动", "吉林省", "place", "2"),
        ("科技赋能振兴行动", "长春创新平台试点", "国网吉林省电力有限公司", "organisation", "1"),
    },
    "people-organisations.rq": {
        # (person, organisation, relation, position, sources)
        ("张琼月", "国网吉林省电力有限公司", "member", "技术员", "1"),
        ("林晓雪", "示例日报", "reporter", "", "1"),
    },
    "places-in-province.rq": {
        # (province, in, entity, type): 中国 is above 吉林省, not in it
        ("吉林省", "吉林省", "长春市", "place"),
        ("吉林省", "长春市", "朝阳区", "place"),
        ("吉林省", "朝阳区", "国网吉林省电力有限公司", "organisation"),
    },
    "edge-evidence.rq": {
        # (subject, predicate, object, confidence, rule, date, headline, sentence)
        ("吉林省", "implements", "科技赋能振兴行动", "0.7", "launch-trigger", "2024-03-14", "我省启动实施“科技赋能振兴行动”", S1),
        ("吉林省", "implements", "科技赋能振兴行动", "0.6", "launch-trigger", "2024-03-14", "我省启动实施“科技赋能振兴行动”", "全省推进“科技赋能振兴行动”。"),
    },
    "mentions-over-time.rq": {
        # (entity, type, date, articles, headlines)
        ("吉林省", "place", "2024-03-14", "1", "我省启动实施“科技赋能振兴行动”"),
        ("吉林省", "place", "2024-03-15", "1", "长春市朝阳区推进创新平台建设"),
    },
}


def shipped() -> list[Path]:
    return sorted(QUERIES.glob("*.rq"))


def test_the_expected_queries_ship():
    assert set(EXPECTED) <= {p.name for p in shipped()}


@pytest.mark.parametrize("rq", shipped(), ids=lambda p: p.name)
def test_shipped_query_explains_itself_and_is_standard_sparql(rq):
    text = rq.read_text(encoding="utf8")
    head = text.split("\n", 3)[:3]
    assert all(line.startswith("#") for line in head), "start with # lines saying what it answers"
    assert "VALUES" in text and ("change" in text.lower() or "replace" in text.lower())
    prepareQuery(text)  # rdflib parses it too: no Oxigraph-only syntax, so Fuseki runs it


@pytest.mark.parametrize("rq", shipped(), ids=lambda p: p.name)
def test_shipped_query_answers_on_a_small_graph(out, rq):
    sparql, source = read_query(str(rq))
    data = json.loads(format_result(query(out / "store", sparql, source=source), "json"))
    variables = data["head"]["vars"]
    got = [tuple(b.get(v, {}).get("value", "") for v in variables) for b in data["results"]["bindings"]]
    assert got, f"{rq.name} returns no rows"
    if rq.name in EXPECTED:
        assert set(got) == EXPECTED[rq.name]


@pytest.mark.parametrize("rq", shipped(), ids=lambda p: p.name)
def test_rdflib_gives_the_same_rows(out, rq):
    """The queries are plain SPARQL 1.1: another engine gives the same answer."""
    sparql = rq.read_text(encoding="utf8")
    ours = json.loads(format_result(query(out / "store", sparql), "json"))["results"]["bindings"]
    g = Graph().parse(out / "graph.nt", format="nt")
    theirs = json.loads(g.query(sparql).serialize(format="json"))["results"]["bindings"]

    def value(term: dict) -> str:
        # Oxigraph keeps numbers by value ("0.700" comes back as "0.7"); rdflib keeps the text.
        if term.get("datatype") == str(XSD.decimal):
            return str(Decimal(term["value"]).normalize())
        return term["value"]

    def norm(bindings):
        return sorted(json.dumps({k: value(v) for k, v in b.items()}, sort_keys=True) for b in bindings)

    assert norm(ours) == norm(theirs)


# --- kg query -------------------------------------------------------------------------------


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_cli_query_formats(out, fmt):
    result = invoke("query", str(QUERIES / "edge-evidence.rq"), "--out", str(out), "--format", fmt)
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf8")  # .stdout turns CRLF into LF
    if fmt == "json":
        data = json.loads(text)
        assert data["head"]["vars"][:3] == ["subject", "predicate", "object"]
        b = data["results"]["bindings"][0]
        assert b["subject"] == {"type": "literal", "value": "吉林省", "xml:lang": "zh"}
        assert b["confidence"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    elif fmt == "csv":
        assert "\r\n" in text
        table = list(csv.reader(io.StringIO(text)))
        assert table[0][:3] == ["subject", "predicate", "object"]
        assert len(table) == 3 and table[1][-1] in (S1, "全省推进“科技赋能振兴行动”。")
    else:
        lines = text.splitlines()
        assert lines[-1] == "(2 rows)"
        # Padding counts display columns: on every line, the two columns before each column
        # start of the header rule are blank (a Chinese character counted as one would shift them).
        rule = lines[1]
        starts = [i for i, c in enumerate(rule) if c == "-" and i > 0 and rule[i - 1] == " "]
        for line in [lines[0], *lines[2:-1]]:
            cells = _by_display_column(line)
            assert len(cells) <= len(rule), line
            for s in starts:
                assert cells[s - 2 : s] in ([" ", " "], [" "], []), line


def _by_display_column(line: str) -> list[str]:
    """The character at each display column of a line (a wide character fills two)."""
    cols: list[str] = []
    for c in line:
        cols += [c] * display_width(c)
    return cols


def test_cli_query_string_with_default_prefixes(out):
    result = invoke("query", "SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name",
                    "--out", str(out), "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf8").split("\r\n") == ["name", "张琼月", "林晓雪", ""]


def test_cli_query_construct_and_ask(out):
    result = invoke("query", "CONSTRUCT WHERE { ?s kg:partOf ?o }", "--out", str(out), "--format", "json")
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["subject", "predicate", "object"]
    assert len(data["results"]["bindings"]) == 2
    table = invoke("query", "CONSTRUCT WHERE { ?s kg:partOf ?o }", "--out", str(out)).stdout
    assert "kg:partOf" in table and table.endswith("(2 rows)\n")
    assert invoke("query", "ASK { ?s kg:locatedIn ?o }", "--out", str(out)).stdout == "true\n"


def test_cli_query_errors_are_one_clean_line(out, tmp_path):
    result = invoke("query", "SELECT ?x WHERE {", "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: not valid SPARQL: line 1")
    result = invoke("query", "ASK {}", "--out", str(tmp_path / "nothing"))
    assert result.exit_code == 1 and "kg build" in result.stderr


@pytest.mark.parametrize(
    "text,width", [("abc", 3), ("吉林省", 6), ("ＡＢ", 4), ("“双千工程”", 10), ("e\u0301", 1)]
)
def test_display_width(text, width):
    assert display_width(text) == width


def test_table_cuts_long_values(out):
    sparql = "SELECT ?s WHERE { ?st kg:sentence ?s } ORDER BY DESC(STRLEN(?s)) LIMIT 1"
    table = format_table(query(out / "store", sparql), max_cell=10)
    cell = table.splitlines()[2]
    assert cell.endswith("…") and display_width(cell) <= 10


# --- kg serve -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(out):
    from kg.serve import make_server

    server = make_server(out, "127.0.0.1", 0, log=None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def http(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


PEOPLE = "SELECT ?name WHERE { ?p a <https://schema.org/Person> ; rdfs:label ?name } ORDER BY ?name"


def test_serve_answers_get_in_json(endpoint):
    status, ctype, body = http(f"{endpoint}/query?" + urllib.parse.urlencode({"query": PEOPLE}),
                               headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and ctype == "application/sparql-results+json"
    names = [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert names == ["张琼月", "林晓雪"]


@pytest.mark.parametrize(
    "accept,ctype,start",
    [
        ("text/csv", "text/csv", b"name\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", b"?name\n"),
        ("application/sparql-results+xml", "application/sparql-results+xml", b"<?xml"),
        ("*/*", "application/sparql-results+json", b"{"),
    ],
)
def test_serve_answers_post_by_accept_header(endpoint, accept, ctype, start):
    status, got, body = http(f"{endpoint}/query", PEOPLE.encode("utf8"),
                             {"Content-Type": "application/sparql-query", "Accept": accept})
    assert status == 200 and got.startswith(ctype) and body.startswith(start)
    form = urllib.parse.urlencode({"query": PEOPLE}).encode()
    status, got, body2 = http(f"{endpoint}/query", form,
                              {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    assert status == 200 and body2 == body


def test_serve_construct_is_turtle(endpoint):
    q = urllib.parse.urlencode({"query": "CONSTRUCT WHERE { ?s kg:partOf ?o }"})
    status, ctype, body = http(f"{endpoint}/query?{q}")
    assert status == 200 and ctype.startswith("text/turtle")
    assert len(Graph().parse(data=body.decode("utf8"), format="turtle")) == 2


def test_serve_refuses_updates_and_bad_queries(endpoint):
    update = b"INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    assert http(f"{endpoint}/query", update, {"Content-Type": "application/sparql-update"})[0] == 403
    assert http(f"{endpoint}/update", update, {"Content-Type": "application/sparql-update"})[0] == 403
    form = urllib.parse.urlencode({"update": update.decode()}).encode()
    assert http(f"{endpoint}/query", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    status, _, body = http(f"{endpoint}/query?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {"}))
    assert status == 400 and b"not valid SPARQL" in body
    assert http(f"{endpoint}/query?" + urllib.parse.urlencode({"query": PEOPLE}), headers={"Accept": "image/png"})[0] == 406


@pytest.mark.parametrize("length", ["-1", "many"])
def test_serve_answers_a_bad_content_length_at_once(endpoint, length):
    host, port = urllib.parse.urlsplit(endpoint).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(
            f"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {length}\r\n\r\nASK {{}}".encode()
        )
        # answered (and closed) while the client still holds its end open
        reply = b""
        while chunk := s.recv(4096):
            reply += chunk
        assert reply.startswith(b"HTTP/1.1 400")


def test_serve_picks_up_a_rebuilt_store(tmp_path):
    from kg.serve import make_server

    nt = tmp_path / "graph.nt"
    write_ntriples(small_graph(), nt, BASE)
    n = load_store(nt, tmp_path / "store")
    server = make_server(tmp_path, "127.0.0.1", 0, log=None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/query?" + urllib.parse.urlencode(
            {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
        )
        before = json.loads(http(url)[2])["results"]["bindings"][0]["n"]["value"]
        nt.write_text(nt.read_text(encoding="utf8").splitlines(keepends=True)[0], encoding="utf8")
        load_store(nt, tmp_path / "store")
        after = json.loads(http(url)[2])["results"]["bindings"][0]["n"]["value"]
        assert (int(before), int(after)) == (n, 1)
    finally:
        server.shutdown()
        server.server_close()


# --- kg push --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real Oxigraph server (the `oxigraph` package's CLI) on a free local port."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "oxigraph"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                http(f"{url}/query")
                break
            except urllib.error.URLError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode(errors='replace')}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def count_on(url: str, graph: str | None = None) -> int:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    q = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"})
    status, _, body = http(f"{url}/query?{q}", headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_push_into_an_oxigraph_server(out, oxigraph_server):
    n = nt_lines(out / "graph.nt")
    result = invoke("push", "--endpoint", f"{oxigraph_server}/store", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"{n} triples replaced the default graph" in result.stderr
    assert count_on(oxigraph_server) == n
    # PUT replaces: pushing again leaves the same count.
    assert push(out / "graph.nt", f"{oxigraph_server}/store").triples == n
    assert count_on(oxigraph_server) == n
    # A named graph, added to with POST.
    g = "http://example.org/graphs/吉林"
    r = push(out / "graph.nt", f"{oxigraph_server}/store", graph=g, append=True)
    assert (r.method, r.triples) == ("POST", n) and "graph=http%3A%2F%2Fexample.org%2Fgraphs%2F%E5%90%89" in r.url
    assert count_on(oxigraph_server, g) == n
    assert count_on(oxigraph_server) == n


def test_push_errors_name_the_endpoint(out, oxigraph_server):
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(KgError, match=f"{endpoint}: connection refused"):
        push(out / "graph.nt", endpoint)
    with pytest.raises(KgError, match=r"HTTP 404.*/nothere"):
        push(out / "graph.nt", f"{oxigraph_server}/nothere")


def test_push_refused_without_a_server(out):
    endpoint = f"http://127.0.0.1:{free_port()}/ds/data"
    result = invoke("push", "--endpoint", endpoint, "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"kg: error: {endpoint}: connection refused; is the triple store running there?\n"


# --- kg build -------------------------------------------------------------------------------


def test_build_writes_the_store_and_a_rebuild_replaces_it(pipeline, tmp_path):
    from kg.build import build
    from kg.records import Context

    from conftest import EXAMPLE_PAGE

    context = Context(publisher="示例日报", home_province="吉林省")
    for _ in range(2):
        build([EXAMPLE_PAGE], tmp_path, context)
        assert rows(tmp_path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": str(nt_lines(tmp_path / "graph.nt"))}]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ".kg"]  # .kg: the analysis cache
