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


def _lines(source: str):
    stream = sys.stdin if source == "-" else None
    if stream is None:
        try:
            stream = open(source, encoding="utf-8-sig")
        except OSError as e:
            raise KgError(f"cannot read: {e.strerror}", path=source)
    with stream:
        try:
            for line in stream:
                yield line.rstrip("\r\n")
        except UnicodeDecodeError:
            raise KgError("not UTF-8 text; convert it first (e.g. iconv -f GB18030 -t UTF-8)", path=source)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--out", default="output", show_default=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--publisher", help="Who 本报 is, e.g. 吉林日报.")
@click.option("--home-province", help="Who 我省/全省/省委 refer to, e.g. 吉林省.")
@click.option("--date", "issue_date", callback=_parse_date, help="Issue date YYYY-MM-DD: the year of datelines like 2月7日.")
@click.option("--base-iri", default=Context.base_iri, show_default=True, help="Base of every IRI in the output.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def build(inputs, out, publisher, home_province, issue_date, base_iri, quiet):
    """Build the knowledge graph of INPUTS (.md/.txt pages, .jsonl feeds, folders) into OUT."""
    from kg.build import build as run_build

    context = Context(publisher=publisher, home_province=home_province, date=issue_date, base_iri=base_iri)

    def progress(items, total):
        if quiet or total < 20:
            return items
        from tqdm import tqdm

        return tqdm(items, total=total, unit="article", file=sys.stderr)

    _, result = run_build(inputs, out, context, progress)
    if not quiet:
        ents = ", ".join(f"{k} {v}" for k, v in sorted(result.entities.items()))
        rels = ", ".join(f"{k} {v}" for k, v in sorted(result.relations.items()))
        click.echo(f"{result.articles} articles in {result.seconds:.1f}s -> {out}/", err=True)
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


@main.command()
@click.argument("source", default="-")
def entities(source):
    """Find names in each line of SOURCE: one JSON object a line (PER/LOC/ORG/PRG/EVT, char offsets)."""
    from kg.nlp.pipeline import load

    nlp = load()
    lines, texts = itertools.tee(_lines(source))
    for text, ents in zip(lines, nlp.entities(texts)):
        record = {
            "text": text,
            "entities": [{"start": e.start, "end": e.end, "label": e.label, "text": e.text} for e in ents],
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
