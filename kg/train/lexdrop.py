"""Lexicon dropout: a training corpus reader that hides some name-lexicon matches.

The NER's name lexicon (`kg.nlp.lexicon`) marks each character inside a listed name. A model
trained with every match shown learns to lean on the list: on the dev split it finds nearly
all new names the lexicon lists and far fewer of those it lacks, and most names in new text
are unlisted. This reader hides each lexicon match of a training sentence with probability
`lexicon_dropout` (drawn anew each epoch), so the model also learns to find names from their
context and make-up. Dev and run-time text keep the whole lexicon.

    [corpora.train]
    @readers = "kg.LexiconDropoutCorpus.v1"
    path = ${paths.train}
    lexicon_dropout = 0.25
"""
from __future__ import annotations

import random
from pathlib import Path

import numpy
from spacy.attrs import MORPH
from spacy.tokens import Doc
from spacy.training import Corpus
from spacy.util import registry


def drop_matches(doc: Doc, rate: float, rng: random.Random, kinds: dict[int, str]) -> int:
    """Clear the lexicon feature (MORPH `Lex=B_LOC` ...) of each match in `doc` with probability
    `rate`; `kinds` caches a morph id's position letter (B/I/E, '' for none). Returns the count."""
    if not len(doc):
        return 0
    column = doc.to_array([MORPH])
    values = column.tolist()
    strings = doc.vocab.strings
    dropped = 0
    start = None
    for i, value in enumerate(values):
        kind = kinds.get(value)
        if kind is None:
            text = strings[value] if value else ""
            kind = kinds[value] = text[4] if text.startswith("Lex=") else ""
        if kind == "B":
            start = i
        elif kind == "E" and start is not None:
            if rng.random() < rate:
                column[start : i + 1] = 0
                dropped += 1
            start = None
    if dropped:
        doc.from_array([MORPH], numpy.ascontiguousarray(column.reshape(-1, 1)))
    return dropped


@registry.readers("kg.LexiconDropoutCorpus.v1")
def create_lexicon_dropout_corpus(
    path: Path,
    lexicon_dropout: float = 0.25,
    seed: int = 0,
    gold_preproc: bool = False,
    max_length: int = 0,
    limit: int = 0,
):
    if not 0.0 <= lexicon_dropout <= 1.0:
        raise ValueError(f"kg.LexiconDropoutCorpus.v1: lexicon_dropout must lie in [0, 1], not {lexicon_dropout}")
    corpus = Corpus(path, gold_preproc=gold_preproc, max_length=max_length, limit=limit)
    rng = random.Random(seed)
    kinds: dict[int, str] = {}

    def read(nlp):
        for eg in corpus(nlp):
            if lexicon_dropout:
                drop_matches(eg.predicted, lexicon_dropout, rng, kinds)
            yield eg

    return read
