"""Train the FinRE relation classifier for organisation pairs (see kg.relclf).

    python -m kg.train.finre --data ../shared/data --out build/finre --vectors build/vectors/pipeline

Cuts a dev split from `re/finre_train.txt` (whole sentences, so that no sentence is on both
sides), writes spaCy DocBins of the marked sentences, keeps the commonest rows of the character
and bigram vectors of kg.train.vectors (OUT/vectors), runs `spacy train` with
`configs/finre.cfg` (checkpoints chosen by micro-F without `unknown` on dev), then picks the
confidence threshold of the extraction pass per property on dev (the lowest with precision
>= --precision; a property that never reaches it stays off), stores them in
OUT/model-best/meta.json and prints the scores on `re/finre_valid.txt`, which plays no part in
training or tuning. About 15 minutes on one core; the model is ~6 MB.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from kg.relclf import (
    OFF, PREDICATES, SYMMETRIC, UNKNOWN, OrgRelationClassifier, finre_scores, locate, mark, pair_allowed,
)

CONFIG = Path(__file__).parent / "configs" / "finre.cfg"
Instance = tuple[str, str, str, str]  # head, tail, relation, sentence


def read_finre(path: Path) -> list[Instance]:
    """`head<TAB>tail<TAB>relation<TAB>sentence` lines, blank lines between instances."""
    out = []
    with open(path, encoding="utf8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            parts = line.split("\t", 3)
            if len(parts) != 4:
                raise ValueError(f"{path}:{n}: expected head<TAB>tail<TAB>relation<TAB>sentence")
            out.append(tuple(parts))
    return out


def read_labels(path: Path) -> list[str]:
    return [line.split()[0] for line in open(path, encoding="utf8") if line.strip()]


def pair_items(instances: list[Instance]) -> tuple[list[tuple[str, tuple, tuple]], list[int]]:
    """(sentence, head span, tail span) of each instance that can be located, and their indexes."""
    items, keep = [], []
    for i, (h, t, _, s) in enumerate(instances):
        spans = locate(s, h, t)
        if spans:
            items.append((s, *spans))
            keep.append(i)
    return items, keep


def split_by_sentence(instances: list[Instance], dev_size: int, seed: int) -> tuple[list, list]:
    sents = sorted({x[3] for x in instances})
    random.Random(seed).shuffle(sents)
    dev_sents, n = set(), 0
    per_sent = defaultdict(int)
    for x in instances:
        per_sent[x[3]] += 1
    for s in sents:
        if n >= dev_size:
            break
        dev_sents.add(s)
        n += per_sent[s]
    dev = [x for x in instances if x[3] in dev_sents]
    train = [x for x in instances if x[3] not in dev_sents]
    return train, dev


def to_docbin(nlp, instances: list[Instance], labels: list[str]) -> tuple[DocBin, int]:
    db = DocBin(store_user_data=False)
    items, keep = pair_items(instances)
    for (s, h, t), i in zip(items, keep):
        doc = nlp.make_doc(mark(s, h, t))
        doc.cats = {lab: float(lab == instances[i][2]) for lab in labels}
        db.add(doc)
    return db, len(instances) - len(keep)


def evaluate(clf: OrgRelationClassifier, instances: list[Instance]) -> dict[str, float]:
    items, keep = pair_items(instances)
    pred = [UNKNOWN] * len(instances)  # an instance that cannot be marked gets no prediction
    for i, (lab, _) in zip(keep, clf.predict_labels(items)):
        pred[i] = lab
    return finre_scores([x[2] for x in instances], pred)


def pair_questions(instances: list[Instance]):
    """The questions the extraction pass asks, one per unordered pair of names in a sentence
    (the first in the text as `a`), with the set of (property, subject, object) FinRE gives it.

    A pair annotated more than once (合作 and 签约, or unknown and 合作) has every label's triple."""
    gold: dict[tuple, set] = {}
    for h, t, r, s in instances:
        spans = locate(s, h, t)
        if not spans:
            continue
        (a, sa), (b, sb) = sorted([(h, spans[0]), (t, spans[1])], key=lambda x: x[1])
        triples = gold.setdefault((s, a, sa, b, sb), set())
        if r in PREDICATES:
            pred, head_first = PREDICATES[r]
            subj, obj = (h, t) if head_first else (t, h)
            triples.add((pred, *(sorted([subj, obj]) if pred in SYMMETRIC else (subj, obj))))
    return gold


def choose_thresholds(clf: OrgRelationClassifier, instances: list[Instance], min_precision: float,
                      min_support: int = 10) -> dict[str, dict]:
    """Per property, the lowest threshold (0.30, 0.32, ... 0.98) at which the pass's answers on
    these instances reach `min_precision`, with at least `min_support` answers; else OFF.
    Recall is over every gold pair, also those the pass does not ask about."""
    gold = pair_questions(instances)
    keys = [k for k in gold if pair_allowed(k[0], k[2], k[4])]  # what the pass asks
    answers = clf.relations([(s, sa, sb) for s, a, sa, b, sb in keys])
    out = {}
    for pred in dict.fromkeys(p for p, _ in PREDICATES.values()):
        scored = []  # (probability, right)
        for (s, a, sa, b, sb), (p, a_first, q) in zip(keys, answers):
            if p == pred:
                subj, obj = (a, b) if a_first else (b, a)
                triple = (p, *(sorted([subj, obj]) if p in SYMMETRIC else (subj, obj)))
                scored.append((q, triple in gold[(s, a, sa, b, sb)]))
        n_gold = sum(any(t[0] == pred for t in g) for g in gold.values())
        out[pred] = {"threshold": OFF, "precision": None, "recall": 0.0, "answers": 0, "gold": n_gold}
        for k in range(30, 100, 2):
            hits = [ok for q, ok in scored if q >= k / 100]
            if len(hits) >= min_support and sum(hits) / len(hits) >= min_precision:
                out[pred] = {"threshold": k / 100, "precision": round(sum(hits) / len(hits), 3),
                             "recall": round(sum(hits) / max(n_gold, 1), 3), "answers": len(hits), "gold": n_gold}
                break
    return out


def prune_vectors(src: Path, dest: Path, rows: int) -> None:
    """Copy the vectors pipeline of kg.train.vectors with its first `rows` rows only.

    kg.train.vectors writes the characters first, then the bigrams, each by frequency: the first
    rows are every character and the commonest bigrams. The table ships inside the model, so it
    is kept small; rarer bigrams still have their hashed embeddings.
    """
    from spacy.vectors import Vectors

    if not (src / "config.cfg").exists():
        raise SystemExit(f"{src}: no vectors pipeline; build it with `python -m kg.train.vectors --out {src.parent}`")
    nlp = spacy.load(src)
    table = nlp.vocab.vectors
    keys = sorted(table.key2row, key=table.key2row.get)[:rows]
    data = table.data[[table.key2row[k] for k in keys]]
    nlp.vocab.vectors = Vectors(data=data.copy(), keys=keys)
    nlp.to_disk(dest)


def write_thresholds(model_dir: Path, dev: list[Instance], min_precision: float) -> dict[str, dict]:
    """Choose the pass's thresholds on dev and store them in the model's meta.json."""
    chosen = choose_thresholds(OrgRelationClassifier.from_disk(model_dir), dev, min_precision)
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf8"))
    meta["kg_finre"] = {"thresholds": {p: c["threshold"] for p, c in chosen.items()}, "dev": chosen}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf8")
    return chosen


def drop_strings(model_dir: Path) -> None:
    """Empty the saved string table but for the markers.

    The tokenizer adds every character and bigram it meets to the table, which would ship them
    all (~1.5 MB); the model looks features and vectors up by hash, and the tokenizer adds the
    strings again at run time, so predictions do not change.
    """
    from kg.relclf import HEAD_CLOSE, HEAD_OPEN, TAIL_CLOSE, TAIL_OPEN

    path = model_dir / "vocab" / "strings.json"
    path.write_text(json.dumps([HEAD_OPEN, HEAD_CLOSE, TAIL_OPEN, TAIL_CLOSE]), encoding="utf8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("build/finre"))
    ap.add_argument("--config", type=Path, default=CONFIG)
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors/pipeline"), help="output of kg.train.vectors")
    ap.add_argument("--vector-rows", type=int, default=12000, help="rows of the vectors table kept (the model ships them)")
    ap.add_argument("--dev-size", type=int, default=1500, help="instances cut from train for dev")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--precision", type=float, default=0.8, help="dev precision the threshold must reach")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N instances only (smoke tests)")
    ap.add_argument("--override", action="append", default=[], metavar="KEY=VALUE",
                    help="config override, e.g. training.max_steps=200")
    args = ap.parse_args(argv)

    re_dir = args.data / "re"
    labels = read_labels(re_dir / "finre_relation2id.txt")
    train, dev = split_by_sentence(read_finre(re_dir / "finre_train.txt"), args.dev_size, args.seed)
    if args.limit:
        train, dev = train[: args.limit], dev[: max(args.limit // 5, 50)]
    # Reference docs only need the right tokens; features are made again by the trained pipeline.
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.CharTokenizer.v1"}}})
    args.out.mkdir(parents=True, exist_ok=True)
    for name, part in (("train", train), ("dev", dev)):
        db, skipped = to_docbin(nlp, part, labels)
        db.to_disk(args.out / f"{name}.spacy")
        print(f"{name}: {len(part) - skipped} instances ({skipped} without two separate names)", flush=True)

    prune_vectors(args.vectors, args.out / "vectors", args.vector_rows)

    from spacy.cli.train import train as spacy_train

    overrides = {
        "paths.train": str(args.out / "train.spacy"),
        "paths.dev": str(args.out / "dev.spacy"),
        "paths.vectors": str(args.out / "vectors"),
    }
    for kv in args.override:
        key, _, value = kv.partition("=")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value  # a bare string
    t0 = time.perf_counter()
    spacy_train(args.config, args.out, overrides=overrides)
    minutes = (time.perf_counter() - t0) / 60

    best = args.out / "model-best"
    drop_strings(best)
    chosen = write_thresholds(best, dev, args.precision)
    clf = OrgRelationClassifier.from_disk(best)

    dev_s = evaluate(clf, dev)
    valid_s = evaluate(clf, read_finre(re_dir / "finre_valid.txt"))
    size = sum(f.stat().st_size for f in best.rglob("*") if f.is_file()) / 1e6
    print(f"trained in {minutes:.1f} min; model-best {size:.1f} MB")
    for pred, c in chosen.items():
        print(f"{pred}: threshold {c['threshold']:.2f}, dev precision {c['precision']}, recall {c['recall']:.3f} "
              f"({c['answers']} answers, {c['gold']} gold pairs)")
    for name, s in (("dev", dev_s), ("FinRE valid", valid_s)):
        print(f"{name}: micro P {s['micro_p']:.4f} R {s['micro_r']:.4f} F {s['micro_f']:.4f} "
              f"(without unknown), macro-F {s['macro_f']:.4f}")


if __name__ == "__main__":
    main()
