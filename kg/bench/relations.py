"""Precision, recall and F1 of typed relations, per predicate, on the relation dev set.

    python -m kg.bench.relations [--file tests/data/relations_dev.jsonl] [--gold-entities]
                                 [--errors tune|test|all] [--rules]

The dev file has one snippet (a sentence, or two of one article) per line:
`{"text": ..., "entities": [[start, end, label], ...], "relations": [[subj, predicate, obj], ...],
"split": "tune"|"test"}`, with character offsets and `subj`/`obj` indices into `entities`. Lines with
`"split": "test"` are held out: patterns and their confidences are tuned on the others.

Two modes, both through `kg.extract.extract` (mentions, deixis, sentence and article passes):

- `--gold-entities`: the gold spans are the entities and the organisation-pair classifier
  (`kg.relclf`) is off, so the score is that of the patterns (`kg.patterns`) alone.
  Only outermost spans are given: a place nested at the start of an organisation
  (`[[长春市]交通运输局]`) is for the patterns to find, as it is at run time.
- default, end to end: the entities come from the shipped pipeline (`kg.nlp.pipeline.load()`) and
  `extract` runs as `kg build` runs it.

A relation is matched by (subject text, predicate, object text) within its line; `cooperatesWith`
is symmetric, so its pair is unordered.

Annotation conventions (gold was written before the patterns were tuned):

- Entity spans follow `kg.rules` for PRG/EVT and the MSRA style for PER/LOC/ORG (an organisation
  keeps its place prefix: 长春市交通运输局). 我省/省委/省政府 are entities where a relation needs them.
- What the snippet states or directly implies, also across its two sentences; not what a reader
  would only guess. Types follow `ontology/kg.ttl` (no `cooperatesWith` between places, no
  `founded` by a place).
- memberOf: staff, players, members, students (not alumni: 校友, 毕业于); deputies (副市长) are
  members only. leads: heads (董事长, 局长, 书记, 院长, 队长, 主教练, 行长, 率领…), always with
  memberOf. Former roles (原董事长, 曾是) are not annotated.
- locatedIn: an organisation whose name starts with a place (长春市…局, 吉林省…厅, 长春新区管委会) is
  located in it, except delegations (代表团); in a chain of places (吉林市龙潭区) the inner one is in the
  outer one, and what the text puts at the chain is located in each of them.
- cooperatesWith: agreements, partnerships and joint work (签约, 合作, 携手, 联合/共同 + verb, also
  joint hosting or founding); not talks (谈判, 接洽), refusals or denials. A、B与C: A-C and B-C.
- participant: taking part, attending, competing, speaking at or exhibiting in the event; not being
  absent (缺席), preparing (备战) or watching.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.bench import jsonl_records
from kg.bench.prg_evt import Score

Triple = tuple[str, str, str]  # (subject text, predicate, object text)
PREDICATES = (
    "memberOf", "leads", "locatedIn", "partOf", "cooperatesWith",
    "founded", "implements", "organizer", "location", "participant",
)
SYMMETRIC = frozenset({"cooperatesWith"})
LABELS = frozenset({"PER", "LOC", "ORG", "PRG", "EVT"})
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "tests" / "data" / "relations_dev.jsonl"


@dataclass(frozen=True)
class Example:
    text: str
    entities: tuple[tuple[int, int, str], ...]
    gold: frozenset[Triple]
    split: str  # "tune" or "test"
    line: int


def triple(subj: str, pred: str, obj: str) -> Triple:
    if pred in SYMMETRIC and obj < subj:
        subj, obj = obj, subj
    return (subj, pred, obj)


def read_examples(path: str | Path) -> list[Example]:
    """Examples of a dev file; errors name the file and line."""
    examples = []
    expected = "{'text': ..., 'entities': [[start, end, label], ...], 'relations': [[subj, predicate, obj], ...]}"
    for n, rec in jsonl_records(path, expected):
        where = f"{path}:{n}"
        try:
            text = rec["text"]
            ents = tuple((int(s), int(e), str(lab)) for s, e, lab in rec.get("entities", []))
            rels = [(int(a), str(p), int(b)) for a, p, b in rec.get("relations", [])]
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{where}: expected {expected}: {err}") from None
        for s, e, lab in ents:
            if not 0 <= s < e <= len(text):
                raise ValueError(f"{where}: span [{s}, {e}] outside the text ({len(text)} characters)")
            if lab not in LABELS:
                raise ValueError(f"{where}: unknown label {lab!r}; expected one of {', '.join(sorted(LABELS))}")
        gold = set()
        for a, p, b in rels:
            if p not in PREDICATES:
                raise ValueError(f"{where}: unknown predicate {p!r}; expected one of {', '.join(PREDICATES)}")
            if not (0 <= a < len(ents) and 0 <= b < len(ents)):
                raise ValueError(f"{where}: relation [{a}, {p!r}, {b}] refers to a missing entity")
            gold.add(triple(text[ents[a][0] : ents[a][1]], p, text[ents[b][0] : ents[b][1]]))
        split = rec.get("split", "tune")
        if split not in ("tune", "test"):
            raise ValueError(f"{where}: split must be 'tune' or 'test', not {split!r}")
        examples.append(Example(text, ents, frozenset(gold), split, n))
    return examples


# --- predictors ---------------------------------------------------------------------------------
# A predictor maps an example to the relations found in its text (kg.records.Relation).

def outermost(ents: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The spans not inside another one: what a flat NER could return."""
    ents = sorted(set(ents), key=lambda x: (x[0], -x[1]))
    out: list[tuple[int, int, str]] = []
    for s, e, lab in ents:
        if out and s < out[-1][1]:
            continue
        out.append((s, e, lab))
    return out


def _extract(ex: Example, ents, patterns_only: bool) -> list:
    from kg.extract import extract
    from kg.records import Article

    article = Article(title="", paragraphs=(ex.text,), source="relations_dev.jsonl", line=ex.line)
    assert article.text == ex.text
    if patterns_only:
        return extract(article, ents, classify_orgs=False)[1]
    return extract(article, ents)[1]


def gold_entity_predictor(ex: Example) -> list:
    from kg.nlp.pipeline import Ent

    ents = [Ent(s, e, lab, ex.text[s:e], "gold") for s, e, lab in outermost(ex.entities)]
    return _extract(ex, ents, patterns_only=True)


def pipeline_predictor(examples: list[Example]) -> Callable[[Example], list]:
    """End to end: entities from the shipped pipeline, found once for all examples."""
    from kg.nlp.pipeline import load

    found = dict(zip((ex.line for ex in examples), load().entities(ex.text for ex in examples)))
    return lambda ex: _extract(ex, found[ex.line], patterns_only=False)


def triples(relations) -> frozenset[Triple]:
    return frozenset(triple(r.subject.text, r.predicate, r.object.text) for r in relations)


# --- scoring ------------------------------------------------------------------------------------

def score(golds: Iterable[frozenset[Triple]], preds: Iterable[frozenset[Triple]]) -> dict[str, Score]:
    """Counts per predicate and "ALL" (micro), over parallel sequences of per-line triple sets."""
    counts = {p: [0, 0, 0] for p in (*PREDICATES, "ALL")}
    for gold, pred in zip(golds, preds, strict=True):
        for p in (*PREDICATES, "ALL"):
            g = gold if p == "ALL" else {t for t in gold if t[1] == p}
            q = pred if p == "ALL" else {t for t in pred if t[1] == p}
            c = counts[p]
            c[0] += len(g & q)
            c[1] += len(q - g)
            c[2] += len(g - q)
    return {p: Score(*c) for p, c in counts.items()}


def macro_f(scores: dict[str, Score]) -> float:
    used = [s for p, s in scores.items() if p != "ALL" and s.tp + s.fp + s.fn]
    return sum(s.f for s in used) / len(used) if used else 0.0


def evaluate(
    examples: list[Example], predict: Callable[[Example], list] = gold_entity_predictor
) -> tuple[dict[str, dict[str, Score]], dict[int, list]]:
    """Scores per split ("tune", "test") and predicate, and the relations found per line."""
    found = {ex.line: predict(ex) for ex in examples}
    out = {}
    for split in ("tune", "test"):
        exs = [ex for ex in examples if ex.split == split]
        out[split] = score([ex.gold for ex in exs], [triples(found[ex.line]) for ex in exs])
    return out, found


def rule_precision(examples: list[Example], found: dict[int, list], split: str = "tune") -> dict[str, Score]:
    """Per rule: how many of the relations it produced are gold (fn is left at 0)."""
    counts: dict[str, list[int]] = {}
    for ex in examples:
        if ex.split != split:
            continue
        seen = set()
        for r in found[ex.line]:
            t = triple(r.subject.text, r.predicate, r.object.text)
            if (t, r.evidence.rule) in seen:
                continue
            seen.add((t, r.evidence.rule))
            c = counts.setdefault(r.evidence.rule, [0, 0, 0])
            c[0 if t in ex.gold else 1] += 1
    return {rule: Score(*c) for rule, c in sorted(counts.items())}


def format_table(results: dict[str, dict[str, Score]]) -> str:
    lines = [f"{'split':6} {'predicate':15} {'P':>6} {'R':>6} {'F':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for split, by_pred in results.items():
        for p in (*PREDICATES, "ALL"):
            s = by_pred[p]
            lines.append(f"{split:6} {p:15} {s.p:6.3f} {s.r:6.3f} {s.f:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}")
        lines.append(f"{split:6} {'macro F':15} {'':6} {'':6} {macro_f(by_pred):6.3f}")
    return "\n".join(lines)


def confidence(s: Score) -> float:
    """A rule's confidence: its precision with add-one smoothing (few firings say little), to 0.05,
    at most 0.95 (a dev set this size cannot show a rule is never wrong)."""
    return min(0.95, round((s.tp + 1) / (s.tp + s.fp + 2) * 20) / 20)


def format_rules(precision: dict[str, Score]) -> str:
    """Per rule: precision on the tune split and the confidence `kg.patterns.CONFIDENCE` should hold."""
    from kg.patterns import CONFIDENCE

    lines = [f"{'rule':24} {'P':>6} {'tp':>4} {'fp':>4} {'conf':>5} {'shipped':>7}"]
    for rule, s in precision.items():
        p = s.tp / (s.tp + s.fp) if s.tp + s.fp else 0.0
        shipped = f"{CONFIDENCE[rule]:7.2f}" if rule in CONFIDENCE else f"{'-':>7}"
        lines.append(f"{rule:24} {p:6.3f} {s.tp:4d} {s.fp:4d} {confidence(s):5.2f} {shipped}")
    return "\n".join(lines)


def format_errors(examples: list[Example], found: dict[int, list], split: str | None = None) -> str:
    lines = []
    for ex in examples:
        if split and ex.split != split:
            continue
        rules = {}
        for r in found[ex.line]:
            rules.setdefault(triple(r.subject.text, r.predicate, r.object.text), r.evidence.rule)
        pred = frozenset(rules)
        for t in sorted(ex.gold - pred):
            lines.append(f"{ex.line:4d} {ex.split} FN {t[0]} {t[1]} {t[2]}")
        for t in sorted(pred - ex.gold):
            lines.append(f"{ex.line:4d} {ex.split} FP {t[0]} {t[1]} {t[2]}  [{rules[t]}]")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=str(DEFAULT_FILE), help="dev set (.jsonl)")
    ap.add_argument("--gold-entities", action="store_true",
                    help="use the gold entity spans (scores the patterns alone) instead of the pipeline")
    ap.add_argument("--errors", choices=("tune", "test", "all"), help="also list wrong relations of a split")
    ap.add_argument("--rules", action="store_true",
                    help="also print each rule's precision on the tune split and the confidence it implies")
    args = ap.parse_args(argv)
    try:
        examples = read_examples(args.file)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    predict = gold_entity_predictor if args.gold_entities else pipeline_predictor(examples)
    results, found = evaluate(examples, predict)
    mode = "gold entities" if args.gold_entities else "end to end (shipped pipeline)"
    n = Counter(ex.split for ex in examples)
    g = Counter(ex.split for ex in examples for _ in ex.gold)
    print(f"{args.file}: {n['tune']} tune / {n['test']} test lines, {g['tune']} / {g['test']} gold relations; {mode}")
    print(format_table(results))
    if args.rules:
        print(format_rules(rule_precision(examples, found)))
    if args.errors:
        print(format_errors(examples, found, None if args.errors == "all" else args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
