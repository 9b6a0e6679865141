"""The one place that chains the stages: read -> nlp -> extract -> resolve -> graph -> export."""
from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from kg import cache
from kg.cache import Analysis
from kg.errors import KgError
from kg.extract import extract
from kg.graph import build_graph
from kg.names import Names
from kg.read import read_paths
from kg.records import Article, Context
from kg.resolve import resolve

Progress = Callable[[Iterable, int], Iterable]


@dataclass
class BuildResult:
    articles: int = 0  # in the graph, including those of earlier builds into the same folder
    new_articles: int = 0  # analysed by this run
    entities: Counter = field(default_factory=Counter)  # kind -> count
    relations: Counter = field(default_factory=Counter)  # predicate -> edges
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)


def _no_progress(items: Iterable, total: int) -> Iterable:
    return items


def analyse(
    articles: Sequence[Article],
    progress: Progress = _no_progress,
    batch_size: int = 16,
    org_classifier: bool = False,
    names: Names | None = None,
) -> list[Analysis]:
    """Mentions and relations of every article (the NLP and extraction stages); `names`: a
    user's list of names to find (kg.names)."""
    if not articles:
        return []
    from kg.nlp.pipeline import load

    nlp = load()
    out = []
    ents_iter = nlp.entities((a.text for a in articles), batch_size=batch_size, names=names)
    for article, ents in progress(zip(articles, ents_iter), len(articles)):
        ms, rs = extract(article, ents, classify_orgs=org_classifier)
        out.append(Analysis(article, ms, rs))
    return out


def unique_articles(articles: Iterable[Article]) -> list[Article]:
    """Drop repeats of the same content (the same article in two files or twice in a feed)."""
    seen: set[str] = set()
    out = []
    for a in articles:
        if a.id not in seen:
            seen.add(a.id)
            out.append(a)
    return out


def _check_writable(out: Path) -> None:
    """Fail before the analysis, not after it, when the output folder cannot be written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=out).close()
    except OSError as e:
        raise KgError(f"cannot write the output here: {e.strerror or e}", str(out)) from None


def build(
    inputs: Sequence[str | Path],
    out: str | Path = "output",
    context: Context = Context(),
    progress: Progress = _no_progress,
    fresh: bool = False,
    org_classifier: bool = False,
    names: Names | None = None,
):
    """Build the graph of `inputs` and write it under `out`; returns the graph and a summary.

    Articles analysed by earlier builds into `out` stay in the graph and are not analysed again
    (see kg.cache); those read again take this run's metadata. `fresh=True` starts from nothing.
    """
    from kg.draw import draw_svg
    from kg.gexf import write_gexf
    from kg.rdf import to_rdf, write_ntriples, write_turtle
    from kg.store import load_store
    from kg.tables import write_entities_csv, write_evidence_csv, write_relations_csv

    t0 = time.perf_counter()
    out = Path(out)
    articles = unique_articles(read_paths(inputs, context))
    _check_writable(out)
    # analyses made with other options are made again: the classifier, another names list
    options = " ".join(x for x in ("org-classifier" if org_classifier else "", f"names:{names.digest}" if names else "") if x)
    known = {} if fresh else cache.load(out, options)
    todo = []
    for a in articles:
        an = known.get(a.id)
        if an is not None and an.article.text == a.text:
            # Analysed before, read again now: this run's file, line and context (--publisher,
            # --date) are what the graph shows, not those of the build that analysed it.
            known[a.id] = Analysis(a, an.mentions, an.relations)
        else:
            known.pop(a.id, None)  # same title and paragraphs, new subtitle or captions
            todo.append(a)
    new = analyse(todo, progress, org_classifier=org_classifier, names=names)
    analyses = list(known.values()) + new
    articles = [an.article for an in analyses]
    publishers = {a.id: a.publisher for a in articles if a.publisher}
    resolution = resolve((m for an in analyses for m in an.mentions), context, publishers)
    G = build_graph(articles, (r for an in analyses for r in an.relations), resolution, context)
    rdf = to_rdf(G, context.base_iri)  # once for both the Turtle and the N-Triples

    writers = [
        ("graph.ttl", lambda p: write_turtle(G, p, context.base_iri, rdf)),
        ("graph.nt", lambda p: write_ntriples(G, p, context.base_iri, rdf)),
        ("graph.gexf", lambda p: write_gexf(G, p)),
        ("graph.svg", lambda p: draw_svg(G, p)),
        ("entities.csv", lambda p: write_entities_csv(G, p)),
        ("relations.csv", lambda p: write_relations_csv(G, p)),
        ("evidence.csv", lambda p: write_evidence_csv(G, p)),
        # After graph.nt, which it loads: the embedded SPARQL store, swapped in whole.
        ("store", lambda p: load_store(out / "graph.nt", p)),
    ]
    result = BuildResult(articles=len(articles), new_articles=len(new))
    for name, write in writers:
        write(out / name)
        result.files.append(out / name)
    cache.save(out, analyses, options)  # last: a failed write above leaves the old cache, so nothing is lost
    result.entities = Counter(d["kind"] for _, d in G.nodes(data=True) if d["kind"] != "Article")
    result.relations = Counter(p for _, _, p in G.edges(keys=True))
    result.seconds = time.perf_counter() - t0
    return G, result
