"""What the NLP stage found in each article, kept under the output folder between runs.

A later `kg build` into the same folder analyses only articles whose content hash it has not
seen, then resolves and writes the graph of everything seen so far: new articles are added,
IRIs stay the same (they hash content and names), nothing is duplicated. The cache is keyed by
a fingerprint of the models and extraction code; when that changes, everything is analysed again.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from pathlib import Path

from kg.files import atomic_write
from kg.records import Article, Evidence, Mention, Relation

CACHE_FILE = Path(".kg") / "analysis.jsonl"
FORMAT = 1
# Everything `kg.build.analyse` runs: the extraction code, the whole NLP package (the NER's
# tokenizer, embeddings, lexicon, organisation completion), the gazetteer code and data the rules
# consult, and every file of the models it loads (kg.relclf's is optional: its arrival or
# retraining changes the relations too).
_STAGE_FILES = ("extract.py", "patterns.py", "rules.py", "relclf.py", "records.py", "geo.py", "names.py")
_STAGE_DIRS = ("nlp",)
_MODEL_DIRS = ("models/ner", "models/finre")


def _stage_files(root: Path) -> list[Path]:
    files = [root / rel for rel in _STAGE_FILES]
    files += [p for d in _STAGE_DIRS for p in sorted((root / d).glob("*.py"))]
    files += [p for d in _MODEL_DIRS for p in sorted((root / d).rglob("*")) if p.is_file()]
    files.append(root / "models" / "places.tsv")  # the gazetteer the rules and patterns consult
    return files


def fingerprint(options: str = "") -> str:
    """Changes whenever the models, the code that turns text into mentions and relations, or the
    analysis options (e.g. the org-pair classifier on or off) do."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha1(f"format {FORMAT} {options}".encode())
    for p in _stage_files(root):
        rel = p.relative_to(root).as_posix()
        h.update(rel.encode() + (p.read_bytes() if p.exists() else b"-"))
    return h.hexdigest()[:16]


@dataclasses.dataclass
class Analysis:
    article: Article
    mentions: list[Mention]
    relations: list[Relation]


def _article_to_json(a: Article) -> dict:
    d = dataclasses.asdict(a)
    d["date"] = a.date.isoformat() if a.date else None
    return d


def _article_from_json(d: dict) -> Article:
    d = dict(d)
    d["date"] = date.fromisoformat(d["date"]) if d.get("date") else None
    for key in ("paragraphs", "authors", "photographers", "captions"):
        d[key] = tuple(d.get(key) or ())
    return Article(**d)


def _to_json(an: Analysis) -> dict:
    index = {m: i for i, m in enumerate(an.mentions)}
    return {
        "article": _article_to_json(an.article),
        "mentions": [[m.start, m.end, m.text, m.label, m.source] for m in an.mentions],
        "relations": [
            [index[r.subject], r.predicate, index[r.object], dataclasses.asdict(r.evidence)]
            for r in an.relations
            if r.subject in index and r.object in index
        ],
    }


def _from_json(d: dict) -> Analysis:
    article = _article_from_json(d["article"])
    mentions = [Mention(article.id, s, e, text, label, source) for s, e, text, label, source in d["mentions"]]
    relations = [
        Relation(mentions[s], pred, mentions[o], Evidence(**ev)) for s, pred, o, ev in d["relations"]
    ]
    return Analysis(article, mentions, relations)


def load(out: Path, options: str = "") -> dict[str, Analysis]:
    """Cached analyses by article id, in the order they were first seen; {} when stale or absent."""
    path = Path(out) / CACHE_FILE
    if not path.exists():
        return {}
    try:
        with open(path, encoding="utf8") as f:
            header = json.loads(f.readline() or "{}")
            if header.get("fingerprint") != fingerprint(options):
                return {}
            cached = [_from_json(json.loads(line)) for line in f if line.strip()]
    except (ValueError, KeyError, TypeError):
        return {}  # a damaged cache costs one full analysis, never a wrong graph
    return {an.article.id: an for an in cached}


def save(out: Path, analyses: list[Analysis], options: str = "") -> None:
    with atomic_write(Path(out) / CACHE_FILE) as f:
        f.write(json.dumps({"format": FORMAT, "fingerprint": fingerprint(options)}) + "\n")
        for an in analyses:
            f.write(json.dumps(_to_json(an), ensure_ascii=False, sort_keys=True) + "\n")
