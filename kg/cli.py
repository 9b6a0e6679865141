"""Command line: a thin layer over the library. Library errors become one clean message."""
from __future__ import annotations

import itertools
import json
import sys
from datetime import date
from pathlib import Path

import click

from kg.errors import KgError
from kg.records import Context


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KgError as e:
            click.echo(f"kg: error: {e}", err=True)
            sys.exit(1)
        except BrokenPipeError:
            sys.exit(0)


@click.group(cls=_Group)
@click.version_option(package_name="kg")
def main() -> None:
    """kg: turn Chinese news text into a knowledge graph (Turtle, GEXF, CSV)."""


def _parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2023-02-08")


def _name(ctx, param, value):
    """A name option: surrounding spaces dropped; a blank one is no name (no empty label)."""
    return (value or "").strip() or None


def _lines(source: str):
    """The lines of a file (or stdin, `-`) without their ends. Split at \\n only, as for stdin
    (a stray \\r stays in its line: output stays line for line); each line decoded on its own, so
    a bad byte is reported with its line."""
    from kg.read import _decode

    stream = sys.stdin.buffer if source == "-" else None
    if stream is None:
        try:
            stream = open(source, "rb")
        except OSError as e:
            raise KgError(f"cannot read: {e.strerror}", path=source)
    with stream:
        for lineno, raw in enumerate(stream, 1):
            yield _decode(raw, Path(source), lineno).rstrip("\r\n")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--out", default="output", show_default=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--publisher", callback=_name, help="Who 本报 is, e.g. 吉林日报.")
@click.option("--home-province", callback=_name, help="Who 我省/全省/省委 refer to, e.g. 吉林省.")
@click.option("--home-city", callback=_name, help="Who 我市/全市/市委 refer to in a city paper, e.g. 长春市.")
@click.option("--date", "issue_date", callback=_parse_date, help="Issue date YYYY-MM-DD: the year of datelines like 2月7日.")
@click.option("--base-iri", default=Context.base_iri, show_default=True, help="Base of every IRI in the output.")
@click.option("--fresh", is_flag=True, help="Forget articles of earlier builds into OUT.")
@click.option(
    "--org-classifier",
    is_flag=True,
    help="Also ask the FinRE classifier about organisation pairs no pattern relates (~5-10% slower; adds few edges).",
)
@click.option(
    "--names",
    "names_file",
    type=click.Path(exists=True, dir_okay=False),
    help="A list of names to find, one a line: name, a tab, PER/LOC/ORG/PRG/EVT.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def build(inputs, out, publisher, home_province, home_city, issue_date, base_iri, fresh, org_classifier, names_file, quiet):
    """Build the knowledge graph of INPUTS (.md/.txt pages, .jsonl feeds, folders) into OUT.

    Building again into the same OUT adds the new articles to the graph (articles are known by
    a hash of their content, so nothing is analysed or written twice); --fresh starts over.
    """
    from kg.build import build as run_build

    context = Context(
        publisher=publisher, home_province=home_province, home_city=home_city, date=issue_date, base_iri=base_iri
    )

    def progress(items, total):
        if quiet or total < 20:
            return items
        from tqdm import tqdm

        return tqdm(items, total=total, unit="article", file=sys.stderr)

    names = _read_names(names_file)
    _, result = run_build(inputs, out, context, progress, fresh=fresh, org_classifier=org_classifier, names=names)
    if not quiet:
        ents = ", ".join(f"{k} {v}" for k, v in sorted(result.entities.items()))
        rels = ", ".join(f"{k} {v}" for k, v in sorted(result.relations.items()))
        click.echo(
            f"{result.articles} articles ({result.new_articles} new) in {result.seconds:.1f}s -> {out}/", err=True
        )
        click.echo(f"entities: {ents}", err=True)
        click.echo(f"edges: {rels}", err=True)
        for f in result.files:
            click.echo(f"  {f}", err=True)


@main.command()
@click.argument("source", default="-")
def segment(source):
    """Split each line of SOURCE (a file, or - for stdin) into PKU-standard words, two spaces apart."""
    from kg.nlp.pipeline import load

    nlp = load()
    out = sys.stdout
    for words in nlp.segment(_lines(source)):
        out.write("  ".join(words) + "\n")


def _read_names(path):
    from kg.names import read_names

    return read_names(path) if path else None


@main.command()
@click.argument("source", default="-")
@click.option(
    "--names",
    "names_file",
    type=click.Path(exists=True, dir_okay=False),
    help="A list of names to find, one a line: name, a tab, PER/LOC/ORG/PRG/EVT.",
)
@click.option(
    "--context",
    default=None,
    metavar="N",
    type=click.IntRange(0),
    help="Also mark a person or organisation named in this many lines before and after a line "
    "(lines of one article name the same people)  [default: 20; 0: each line alone]",
)
def entities(source, names_file, context):
    """Find names in each line of SOURCE: one JSON object a line (PER/LOC/ORG/PRG/EVT, char offsets).

    A name inside a programme or event name (曼谷 in 曼谷亚运会), and the event inside its organising
    committee's name (长春国际马拉松 in 长春国际马拉松组委会), are listed too, with "nested": true.
    """
    from kg.nlp.pipeline import LINE_CONTEXT, load

    names = _read_names(names_file)
    nlp = load()
    lines, texts = itertools.tee(_lines(source))
    context = LINE_CONTEXT if context is None else context
    for text, ents in zip(lines, nlp.entities(texts, names=names, context=context)):
        record = {
            "text": text,
            "entities": [
                {"start": e.start, "end": e.end, "label": e.label, "text": e.text, **({"nested": True} if e.nested else {})}
                for e in ents
            ],
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@main.command()
@click.argument("query_or_file")
@click.option("--out", default="output", show_default=True, type=click.Path(file_okay=False), help="Output folder of kg build (its store/ is queried).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
    help="table: aligned text (long values cut); csv, json: SPARQL 1.1 results formats.",
)
def query(query_or_file, out, fmt):
    """Run a SPARQL query on the graph built into OUT.

    QUERY_OR_FILE is a .rq file (e.g. ontology/queries/programme-implementers.rq), a SPARQL
    string, or - for stdin. The prefixes kg:, schema:, rdf:, rdfs:, skos:, xsd: and prov: need
    no PREFIX line. CONSTRUCT and DESCRIBE results are listed as subject, predicate, object.
    """
    from kg.store import query as run_query
    from kg.store import query_prefixes, read_query, write_result

    sparql, source = read_query(query_or_file)
    result = run_query(Path(out) / "store", sparql, source=source)
    sys.stdout.flush()
    write_result(result, fmt, sys.stdout.buffer, query_prefixes(sparql))
    sys.stdout.buffer.flush()


@main.command()
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://localhost:3030/ds/data (Fuseki) or http://localhost:7878/store (Oxigraph).")
@click.option("--out", default="output", show_default=True, type=click.Path(file_okay=False), help="Output folder of kg build (its graph.nt is sent).")
@click.option("--graph", "graph_iri", help="Named graph IRI to write into (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph (HTTP POST) instead of replacing it (HTTP PUT).")
def push(endpoint, out, graph_iri, append):
    """Send the built graph to a running triple store (SPARQL 1.1 Graph Store HTTP Protocol).

    Replaces the target graph by default, so pushing again after a rebuild leaves no stale
    triples. User and password, if the store needs them, go in the URL: http://user:pw@host/...
    """
    from kg.store import push as run_push

    result = run_push(Path(out) / "graph.nt", endpoint, graph_iri, append)
    target = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    verb = "added to" if append else "replaced"
    click.echo(f"{result.triples} triples {verb} {target} at {result.url} (HTTP {result.status})", err=True)


@main.command()
@click.option("--out", default="output", show_default=True, type=click.Path(file_okay=False), help="Output folder of kg build (its store/ is served).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--quiet", "-q", is_flag=True, help="Do not log requests.")
def serve(out, host, port, quiet):
    """Answer SPARQL queries on the built graph over HTTP (read-only SPARQL 1.1 Protocol).

    GET or POST /query; results as JSON, XML, CSV or TSV by the Accept header. A rebuild of
    OUT is picked up by the next request. Stop with Ctrl-C.
    """
    from kg.serve import make_server

    server = make_server(out, host, port, log=None if quiet else sys.stderr)
    h, p = server.server_address[:2]
    click.echo(f"SPARQL endpoint on {Path(out) / 'store'}: http://{h}:{p}/query (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.option("--out", default="output", show_default=True, type=click.Path(file_okay=False), help="Output folder of kg build (its graph.gexf is drawn).")
@click.option("--max-nodes", default=150, show_default=True, type=click.IntRange(1), help="Draw only this many entities, the most mentioned.")
def draw(out, max_nodes):
    """Draw the built graph as a picture, OUT/graph.svg (kg build writes one with the defaults).

    Entities coloured by type and sized by mentions, typed relations as arrows (names on
    hover), reporters linked to their newspaper; articles and mentions are left out.
    """
    from kg.draw import draw_folder

    path = draw_folder(out, max_nodes)
    click.echo(f"wrote {path}", err=True)
