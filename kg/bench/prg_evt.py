"""Exact-span precision, recall and F1 of programme (PRG) and event (EVT) recognition.

    python -m kg.bench.prg_evt [--file tests/data/prg_evt_dev.jsonl] [--errors]

The dev file has one sentence per line: `{"text": ..., "entities": [[start, end, label], ...]}`,
character offsets; lines with `"split": "test"` are held out (rules are tuned on the others).
`score` takes any predictor's output, so the full pipeline can be scored the same way.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.bench import jsonl_records

Span = tuple[int, int, str]
LABELS = ("PRG", "EVT")
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "tests" / "data" / "prg_evt_dev.jsonl"


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass(frozen=True)
class Example:
    text: str
    gold: frozenset[Span]
    split: str  # "tune" or "test"
    line: int


def read_examples(path: str | Path) -> list[Example]:
    """Examples of a dev file; errors name the file and line."""
    examples = []
    expected = "{'text': ..., 'entities': [[start, end, label], ...]}"
    for n, rec in jsonl_records(path, expected):
        try:
            text = rec["text"]
            gold = frozenset((int(s), int(e), str(lab)) for s, e, lab in rec.get("entities", []))
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise ValueError(f"{path}:{n}: expected {expected}: {err}") from None
        for s, e, lab in gold:
            if not 0 <= s < e <= len(text):
                raise ValueError(f"{path}:{n}: span [{s}, {e}] outside the text ({len(text)} characters)")
        examples.append(Example(text, gold, rec.get("split", "tune"), n))
    return examples


def score(pairs_gold: Iterable[Iterable[Span]], pairs_pred: Iterable[Iterable[Span]]) -> dict[str, Score]:
    """Exact-span counts per label and "ALL", over parallel sequences of per-sentence span sets."""
    counts = {lab: [0, 0, 0] for lab in (*LABELS, "ALL")}
    for gold, pred in zip(pairs_gold, pairs_pred, strict=True):
        gold, pred = set(gold), set(pred)
        for lab in {s[2] for s in gold | pred} | {"ALL"}:
            g = gold if lab == "ALL" else {s for s in gold if s[2] == lab}
            p = pred if lab == "ALL" else {s for s in pred if s[2] == lab}
            c = counts.setdefault(lab, [0, 0, 0])
            c[0] += len(g & p)
            c[1] += len(p - g)
            c[2] += len(g - p)
    return {lab: Score(*c) for lab, c in counts.items()}


def rule_predictor(text: str) -> list[Span]:
    from kg.rules import find_programmes_events

    return [(s.start, s.end, s.label) for s in find_programmes_events(text)]


def pipeline_predictor(text: str) -> list[Span]:
    """PRG/EVT spans as `kg entities` outputs them: the rules after overlap with the NER."""
    from kg.nlp.pipeline import load

    [ents] = list(load().entities([text]))
    return [(e.start, e.end, e.label) for e in ents if e.label in LABELS]


def evaluate(
    examples: list[Example], predict: Callable[[str], Iterable[Span]] = rule_predictor
) -> dict[str, dict[str, Score]]:
    """Scores per split ("tune", "test") and label."""
    preds = [frozenset(predict(ex.text)) for ex in examples]
    out = {}
    for split in ("tune", "test"):
        idx = [i for i, ex in enumerate(examples) if ex.split == split]
        out[split] = score([examples[i].gold for i in idx], [preds[i] for i in idx])
    return out


def format_table(results: dict[str, dict[str, Score]]) -> str:
    lines = [f"{'split':6} {'label':5} {'P':>6} {'R':>6} {'F':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for split, by_label in results.items():
        for lab in (*LABELS, "ALL"):
            s = by_label.get(lab, Score(0, 0, 0))
            lines.append(f"{split:6} {lab:5} {s.p:6.3f} {s.r:6.3f} {s.f:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}")
    return "\n".join(lines)


def format_errors(examples: list[Example], split: str | None = None) -> str:
    lines = []
    for ex in examples:
        if split and ex.split != split:
            continue
        pred = set(rule_predictor(ex.text))
        for s, e, lab in sorted(ex.gold - pred):
            lines.append(f"{ex.line:4d} {ex.split} FN {lab} {ex.text[s:e]}")
        for s, e, lab in sorted(pred - ex.gold):
            lines.append(f"{ex.line:4d} {ex.split} FP {lab} {ex.text[s:e]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=str(DEFAULT_FILE), help="dev set (.jsonl)")
    ap.add_argument("--errors", choices=("tune", "test", "all"), help="also list wrong spans of a split")
    ap.add_argument("--pipeline", action="store_true", help="score the whole pipeline (kg entities), not the rules alone")
    args = ap.parse_args(argv)
    try:
        examples = read_examples(args.file)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(format_table(evaluate(examples, pipeline_predictor if args.pipeline else rule_predictor)))
    if args.errors:
        print(format_errors(examples, None if args.errors == "all" else args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
