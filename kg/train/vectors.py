"""Pretrain character and character-bigram vectors on the raw text of ../shared/data.

    python -m kg.train.vectors --data ../shared/data --out build/vectors

Text comes from every TRAINING corpus (People's Daily, MSR, MSRA NER train, CLUENER, FinRE,
UD train, DuEE unlabeled); TEST files are never read. Characters are NFKC-folded exactly as
`kg.nlp.chars` folds them, and bigrams use the same `<s>` boundary, so every feature the NER
model hashes has a pretrained vector under the same string. Writes OUT/pipeline, a blank
character pipeline holding the vectors table (what `[initialize] vectors` expects).
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Iterator

import numpy as np

from kg.nlp.chars import BOUNDARY, fold

SEED = 11


def raw_lines(data: Path) -> Iterator[str]:
    seg = data / "seg"
    for name in ("pd1998-01.pos.txt", "pd1998-02.seg.txt", "msr_training.utf8"):
        for line in open(seg / name, encoding="utf8"):
            toks = [t.rsplit("/", 1)[0] if "/" in t[1:] else t for t in line.split()]
            yield "".join(toks)
    chars: list[str] = []
    for line in open(data / "ner" / "msra_train.bio", encoding="utf8"):
        if line.strip():
            chars.append(line[0])
        elif chars:
            yield "".join(chars)
            chars = []
    for name in ("ner/cluener_train.jsonl", "unlabeled/duee_test1.jsonl"):
        for line in open(data / name, encoding="utf8"):
            yield json.loads(line)["text"]
    for name in ("re/finre_train.txt", "re/finre_valid.txt"):
        for line in open(data / name, encoding="utf8"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4:
                yield parts[3]
    for line in open(data / "ud" / "udc_old_train.conll", encoding="utf8"):
        if line.startswith("# text"):
            yield line.split("=", 1)[1].strip()


def sequences(data: Path, skip: frozenset = frozenset()) -> tuple[list[list[str]], list[list[str]]]:
    """Characters and bigrams of each line of raw text; a line sharing a stretch (hash) in `skip`
    left out."""
    from kg.train.distill import stretches

    chars, bigrams = [], []
    for text in raw_lines(data):
        text = re.sub(r"\s+", "", text)
        if not text or (skip and any(h in skip for h in stretches(text))):
            continue
        c = [fold(ch) for ch in text]
        p = [BOUNDARY, *c, BOUNDARY]
        chars.append(c)
        bigrams.append([p[i] + p[i + 1] for i in range(len(p) - 1)])
    return chars, bigrams


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("build/vectors"))
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--max-bigrams", type=int, default=40000)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument(
        "--no-dev-text",
        action="store_true",
        help="leave out the NER's dev split (kg.train.ner's) so that dev names are as new to the "
        "vectors as test names",
    )
    args = ap.parse_args(argv)

    from gensim.models import Word2Vec  # training-time only: pip install gensim
    import spacy
    from spacy.vectors import Vectors

    skip: frozenset = frozenset()
    if args.no_dev_text:
        from kg.train.ner import dev_text_stretches

        # any line sharing a 20-character stretch with it: MSR's segmented text repeats MSRA's
        skip = dev_text_stretches(args.data)
    chars, bigrams = sequences(args.data, skip)
    print(f"{len(chars)} lines, {sum(map(len, chars))} characters", flush=True)
    common = dict(vector_size=args.dim, window=5, sg=1, negative=5, workers=1, seed=SEED, epochs=args.epochs)
    cv = Word2Vec(chars, min_count=3, **common)
    bv = Word2Vec(bigrams, min_count=5, max_final_vocab=args.max_bigrams, **common)
    keys = list(cv.wv.index_to_key) + list(bv.wv.index_to_key)
    data = np.vstack([cv.wv.vectors, bv.wv.vectors]).astype("float32")
    data /= np.linalg.norm(data, axis=1, keepdims=True) + 1e-8
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.CharTokenizer.v1"}}})
    nlp.vocab.vectors = Vectors(data=data, keys=[nlp.vocab.strings.add(k) for k in keys])
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out / "pipeline")
    print(f"{len(cv.wv.index_to_key)} chars + {len(bv.wv.index_to_key)} bigrams x {args.dim} -> {args.out / 'pipeline'}")


if __name__ == "__main__":
    main()
