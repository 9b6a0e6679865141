"""Score the shipped FinRE relation classifier on the FinRE valid set.

    python -m kg.bench.finre --data ../shared/data

Prints micro precision, recall and F over the 43 real labels (a prediction of `unknown` counts
as no prediction, a gold `unknown` as no gold), macro-F over the real labels present in valid,
and the same with one reading order only (no averaging of (head, tail) with (tail, head)).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.relclf import MODEL_DIR, OrgRelationClassifier
from kg.train.finre import evaluate, read_finre


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--model", type=Path, default=MODEL_DIR, help="model folder (default: the shipped one)")
    ap.add_argument("--file", type=Path, help="a FinRE file (default: re/finre_valid.txt)")
    args = ap.parse_args(argv)
    instances = read_finre(args.file or args.data / "re" / "finre_valid.txt")
    clf = OrgRelationClassifier.from_disk(args.model)
    print(f"{len(instances)} instances, {len(clf.labels)} labels, model {args.model}")
    for symmetric in (True, False):
        clf.symmetric = symmetric
        t0 = time.perf_counter()
        s = evaluate(clf, instances)
        rate = len(instances) / (time.perf_counter() - t0)
        name = "both orders averaged (shipped)" if symmetric else "one order"
        print(f"{name}: micro P {s['micro_p']:.4f} R {s['micro_r']:.4f} F {s['micro_f']:.4f} "
              f"(without unknown), macro-F {s['macro_f']:.4f}; {rate:.0f} pairs/s")


if __name__ == "__main__":
    main()
