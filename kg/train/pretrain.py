"""Pretrain the NER's tok2vec on raw text: guess masked characters from their context.

    python -m kg.train.pretrain --data ../shared/data --out build/pretrain/tok2vec.bin \
        --vectors build/vectors/pipeline --lexicon build/lexicon.tsv

The NER's CNN learns from about 10M characters of labelled text (gold and machine-labelled);
the raw text of ../shared/data is read only through the character and bigram vectors. Here
the same CNN (the tok2vec of `configs/ner_tag.cfg`, with its features) reads the raw text with
15% of the characters hidden, BERT's way: 80% of them replaced by a mask character, 10% by a
random one, 10% left as they are. A softmax over the commonest characters guesses each.
spaCy's own `pretrain` masks by replacing a token's text, which our features never see (they
are computed from the sentence by `kg.nlp.chars`), so the masking is done on the text itself:
the character, both its bigrams and the lexicon's reading of it all lose it.

`kg.train.ner --init-tok2vec OUT` then starts from these weights. The raw text is
`kg.train.vectors.raw_lines` (no TEST file); lines sharing a 20-character stretch with the
NER's dev split are left out, so the dev score stays a score on unread text.
"""
from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter
from pathlib import Path
from typing import Iterator

import numpy as np

from kg.nlp.chars import fold
from kg.nlp.sentences import split_sentences

MASK = "\ue000"  # a private-use character: no text has it, no vector is stored for it
MAX_LEN = 120  # characters per training text; longer sentences are cut into pieces


def pieces(text: str) -> Iterator[str]:
    """Sentences of `text` in pieces of at most MAX_LEN characters, whitespace removed."""
    text = re.sub(r"\s+", "", text)
    for s, e in split_sentences(text):
        for i in range(s, e, MAX_LEN):
            piece = text[i : min(e, i + MAX_LEN)]
            if len(piece) >= 4:
                yield piece


def training_texts(data: Path) -> list[str]:
    """The raw text, in pieces, without the NER's dev split."""
    from kg.train.distill import stretches
    from kg.train.ner import dev_text_stretches
    from kg.train.vectors import raw_lines

    skip = dev_text_stretches(data)
    seen: set[str] = set()
    texts = []
    for line in raw_lines(data):
        if any(h in skip for h in stretches(line)):
            continue
        for piece in pieces(line):
            if piece not in seen:  # MSR and MSRA repeat each other's sentences
                seen.add(piece)
                texts.append(piece)
    return texts


def mask(text: str, classes: dict[str, int], alphabet: list[str], rate: float, rng: random.Random):
    """(masked text, positions, target classes) for one text."""
    chars = list(text)
    positions, targets = [], []
    for i, ch in enumerate(text):
        if rng.random() >= rate:
            continue
        positions.append(i)
        targets.append(classes.get(fold(ch), len(alphabet)))
        roll = rng.random()
        if roll < 0.8:
            chars[i] = MASK
        elif roll < 0.9:
            chars[i] = rng.choice(alphabet)
    return "".join(chars), positions, targets


def build_tok2vec(config_path: Path, vectors: Path, lexicon: Path, sample: list[str]):
    """The NER config's nlp with vectors loaded and its tok2vec initialised on `sample`."""
    from spacy import util
    from spacy.training.initialize import load_vectors_into_model

    from kg.nlp import embed as _embed  # noqa: F401  (registers kg.CharBigramEmbed.v1)
    from kg.nlp import tagner as _tagner  # noqa: F401  (registers kg_tag_ner)

    config = util.load_config(config_path, overrides={"nlp.tokenizer.lexicon_path": str(lexicon)})
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    load_vectors_into_model(nlp, str(vectors))
    tok2vec = nlp.get_pipe("tok2vec").model
    tok2vec.initialize(X=[nlp.make_doc(t) for t in sample])
    return nlp, tok2vec


def save(tok2vec, path: Path) -> None:
    """Write the weights whole or not at all."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(tok2vec.to_bytes())
    tmp.replace(path)


class Pretrainer:
    """The masked-character task over a tok2vec: `step` trains on one batch of texts."""

    def __init__(self, nlp, tok2vec, alphabet: list[str], rate: float = 0.15, learn_rate=0.001, seed: int = 13):
        from thinc.api import Adam, Softmax

        self.nlp, self.tok2vec, self.alphabet, self.rate = nlp, tok2vec, alphabet, rate
        self.classes = {ch: i for i, ch in enumerate(alphabet)}
        self.head = Softmax(len(alphabet) + 1, tok2vec.get_dim("nO"))  # the last class: any other
        self.head.initialize()
        self.optimizer = Adam(learn_rate=learn_rate, grad_clip=1.0, L2=0.0, use_averages=False)
        self.rng = random.Random(seed)

    def step(self, texts: list[str]) -> tuple[float, int, int]:
        """One update; (summed loss, characters guessed right, characters hidden)."""
        masked = [mask(t, self.classes, self.alphabet, self.rate, self.rng) for t in texts]
        gold = np.concatenate([np.asarray(m[2], dtype="int64") for m in masked])
        if not len(gold):
            return 0.0, 0, 0
        docs = [self.nlp.make_doc(m[0]) for m in masked]
        lengths = [len(d) for d in docs]
        Ys, backprop = self.tok2vec.begin_update(docs)
        offsets = np.cumsum([0] + lengths[:-1])
        rows = np.concatenate([off + np.asarray(m[1], dtype="int64") for off, m in zip(offsets, masked)])
        Y = np.vstack(Ys)
        P, head_backprop = self.head.begin_update(Y[rows])
        hit = np.arange(len(gold)), gold
        loss = float(-np.log(P[hit] + 1e-9).sum())
        right = int((P.argmax(axis=1) == gold).sum())
        dP = P.copy()
        dP[hit] -= 1.0
        dY = np.zeros_like(Y)
        dY[rows] = head_backprop(dP / len(gold))
        backprop(np.split(dY, np.cumsum(lengths[:-1])))
        self.tok2vec.finish_update(self.optimizer)
        self.head.finish_update(self.optimizer)
        self.optimizer.step_schedules()
        return loss, right, len(gold)


def batches(texts: list[str], batch_chars: int, rng: random.Random) -> Iterator[list[str]]:
    """Endless batches of about `batch_chars` characters, each pass over `texts` shuffled."""
    order = list(range(len(texts)))
    batch, n = [], 0
    while True:
        rng.shuffle(order)
        for i in order:
            batch.append(texts[i])
            n += len(texts[i])
            if n >= batch_chars:
                yield batch
                batch, n = [], 0


def main(argv: list[str] | None = None) -> None:
    from kg.train.ner import TAG_CONFIG

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("build/pretrain/tok2vec.bin"))
    ap.add_argument("--config", type=Path, default=TAG_CONFIG)
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors/pipeline"))
    ap.add_argument("--lexicon", type=Path, default=Path("build/lexicon.tsv"))
    ap.add_argument("--steps", type=int, default=12000)
    ap.add_argument("--batch-chars", type=int, default=2000)
    ap.add_argument("--rate", type=float, default=0.15, help="share of characters to hide")
    ap.add_argument("--classes", type=int, default=6000, help="the commonest characters to guess; others are one class")
    ap.add_argument("--learn-rate", type=float, default=0.001)
    ap.add_argument("--save-every", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)

    from thinc.api import fix_random_seed, warmup_linear

    fix_random_seed(args.seed)
    texts = training_texts(args.data)
    counts = Counter(fold(ch) for t in texts for ch in t)
    alphabet = [ch for ch, _ in counts.most_common(args.classes)]
    covered = sum(counts[c] for c in alphabet) / sum(counts.values())
    print(f"{len(texts)} texts, {sum(counts.values())} characters; {len(alphabet)} classes cover {covered:.4f}", flush=True)

    nlp, tok2vec = build_tok2vec(args.config, args.vectors, args.lexicon, texts[:200])
    schedule = warmup_linear(args.learn_rate, 500, args.steps)
    trainer = Pretrainer(nlp, tok2vec, alphabet, args.rate, schedule, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    loss_sum = right = seen = 0.0
    for step, batch in enumerate(batches(texts, args.batch_chars, random.Random(args.seed)), 1):
        loss, ok, n = trainer.step(batch)
        loss_sum, right, seen = loss_sum + loss, right + ok, seen + n
        if step % 200 == 0:
            print(f"step {step}  loss {loss_sum / seen:.3f}  acc {right / seen:.4f}  {time.time() - t0:.0f}s", flush=True)
            loss_sum = right = seen = 0.0
        if step % args.save_every == 0 or step == args.steps:
            save(tok2vec, args.out)
            save(tok2vec, args.out.with_name(f"{args.out.stem}-{step}{args.out.suffix}"))
        if step == args.steps:
            break
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
