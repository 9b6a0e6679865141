"""Score `kg entities` on the MSRA NER test set (span level, NFKC both sides, PER/LOC/ORG).

    python -m kg.bench.ner --data ../shared/data

Feeds the test sentences, one a line, to the same `kg entities` command users run, and
prints exact-span precision, recall and F per label and overall, plus characters per second.
Only PER/LOC/ORG predictions are scored (PRG/EVT are not annotated in MSRA).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

from kg.train.ner import read_bio

LABELS = ("PER", "LOC", "ORG")


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: list[set], pred: list[set]) -> dict[str, tuple[float, float, float]]:
    tp, np_, ng = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        for lab in LABELS:
            gl = {x for x in g if x[2] == lab}
            pl = {x for x in p if x[2] == lab}
            tp[lab] += len(gl & pl)
            np_[lab] += len(pl)
            ng[lab] += len(gl)
    out = {lab: prf(tp[lab], np_[lab], ng[lab]) for lab in LABELS}
    out["ALL"] = prf(sum(tp.values()), sum(np_.values()), sum(ng.values()))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--file", type=Path, help="a .bio file (default: ner/msra_test.bio)")
    args = ap.parse_args(argv)
    sents = list(read_bio(args.file or args.data / "ner" / "msra_test.bio"))
    texts = [unicodedata.normalize("NFKC", t) for t, _ in sents]
    # NFKC may change a sentence's length; keep gold spans as strings to compare by position+text.
    gold = [{(s, e, lab) for s, e, lab in spans} for _, spans in sents]
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.txt"
        inp.write_text("\n".join(t for t, _ in sents) + "\n", encoding="utf8")
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "kg", "entities", str(inp)],
                             capture_output=True, text=True, check=True)
        secs = time.perf_counter() - t0
    pred = []
    for line in res.stdout.splitlines():
        rec = json.loads(line)
        pred.append({(e["start"], e["end"], e["label"]) for e in rec["entities"]})
    assert len(pred) == len(gold), (len(pred), len(gold))
    for lab, (p, r, f) in score(gold, pred).items():
        print(f"{lab:4} P {p:.4f}  R {r:.4f}  F {f:.4f}")
    n = sum(len(t) for t in texts)
    print(f"{len(sents)} sentences, {n} characters in {secs:.1f}s (incl. start-up): {n / secs:,.0f} chars/s")


if __name__ == "__main__":
    main()
