"""Score `kg segment` on the SIGHAN-2005 PKU test with the official scorer.

    python -m kg.bench.segment --data ../shared/data

Runs the same command users run (`kg segment FILE`), then `perl score` (needs perl and diff),
and prints the scorer's summary lines plus characters per second.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--corpus", default="pku", choices=["pku", "msr"])
    args = ap.parse_args(argv)
    seg = args.data / "seg"
    test, gold = seg / f"{args.corpus}_test.utf8", seg / f"{args.corpus}_test_gold.utf8"
    words = seg / f"{args.corpus}_training_words.utf8"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.utf8"
        t0 = time.perf_counter()
        with open(out, "w", encoding="utf8") as f:
            subprocess.run([sys.executable, "-m", "kg", "segment", str(test)], stdout=f, check=True)
        secs = time.perf_counter() - t0
        res = subprocess.run(["perl", str(seg / "score"), str(words), str(gold), str(out)],
                             capture_output=True, text=True, check=True)
    summary = res.stdout[res.stdout.find("=== SUMMARY"):]
    print(summary.strip())
    # The scorer rounds to three places; the counts on its ### line give the exact figures.
    fields = next(line for line in res.stdout.splitlines() if line.startswith("###")).split()
    _ins, dels, subs, _nchange, n_true, n_test = (int(x) for x in fields[2:8])
    tp = n_true - dels - subs
    p, r = tp / n_test, tp / n_true
    print(f"=== exact: P {100 * p:.2f}  R {100 * r:.2f}  F {200 * p * r / (p + r):.2f}")
    n = len(test.read_text(encoding="utf8"))
    print(f"=== {n} characters in {secs:.1f}s (incl. start-up): {n / secs:,.0f} chars/s")


if __name__ == "__main__":
    main()
