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
    type_dropout = null
    name_folds = null

`type_dropout` ({"ORG": 0.0}) sets the rate for the matches of one name type, overriding
`lexicon_dropout` for that type.

`name_folds` (a folder `write_name_folds` fills): the lexicon a model reads at run time also
lists the names of MSRA's training part (kg.train.lexicon.training_names). To train with that
lexicon without telling each gold sentence its own names, the gold sentences are cut into K
folds and a sentence of fold k sees the lexicon with the names of the other folds only: as new
text sees the names of the training text. Other sentences (machine-labelled, name-replaced
copies) keep the pipeline's lexicon.
"""
from __future__ import annotations

import random
import zlib
from pathlib import Path

import numpy
from spacy.attrs import MORPH
from spacy.tokens import Doc
from spacy.training import Corpus
from spacy.util import registry

from kg.nlp.chars import CharTokenizer
from kg.nlp.lexicon import Lexicon

GOLD_FILE = "gold-sentences.txt"  # crc32 of each gold training sentence, one a line


def fold_of(text: str, folds: int) -> int:
    return zlib.crc32(text.encode("utf8")) % folds


def write_name_folds(out: Path, base: Lexicon, gold: list, folds: int) -> Lexicon:
    """Write fold lexicons for `gold` ((text, spans) sentences) into `out`: fold k's lexicon is
    `base` plus the training names (kg.train.lexicon.training_names) of the other folds.
    Returns `base` plus the names of all of `gold`: the lexicon of every other text."""
    from kg.train.lexicon import training_names

    out.mkdir(parents=True, exist_ok=True)
    by_fold = [[] for _ in range(folds)]
    for sent in gold:
        by_fold[fold_of(sent[0], folds)].append(sent)
    for k in range(folds):
        others = [s for j, part in enumerate(by_fold) if j != k for s in part]
        base.plus(training_names(others)).to_disk(out / f"fold{k}.tsv")
    (out / GOLD_FILE).write_text("".join(f"{zlib.crc32(t.encode('utf8'))}\n" for t, _ in gold), encoding="utf8")
    return base.plus(training_names(gold))


class NameFolds:
    """Gives each gold sentence its fold's lexicon tags (MORPH), see `write_name_folds`."""

    def __init__(self, folder: Path):
        paths = sorted(Path(folder).glob("fold*.tsv"), key=lambda p: int(p.stem[4:]))
        if not paths:
            raise ValueError(f"kg.LexiconDropoutCorpus.v1: no fold lexicons in {folder}")
        self.lexicons = [Lexicon.from_disk(p) for p in paths]
        self.gold = {int(line) for line in (Path(folder) / GOLD_FILE).read_text().split()}
        self.tokenizers: dict[int, list[CharTokenizer]] = {}

    def apply(self, doc: Doc) -> bool:
        """Set `doc`'s lexicon tags from its fold's lexicon if it is a gold sentence."""
        crc = zlib.crc32(doc.text.encode("utf8"))
        if crc not in self.gold or not len(doc):
            return False
        toks = self.tokenizers.get(id(doc.vocab))
        if toks is None:
            toks = self.tokenizers[id(doc.vocab)] = [CharTokenizer(doc.vocab, lex) for lex in self.lexicons]
        tagged = toks[crc % len(toks)](doc.text)
        doc.from_array([MORPH], numpy.ascontiguousarray(tagged.to_array([MORPH]).reshape(-1, 1)))
        return True


def drop_matches(
    doc: Doc, rate: float, rng: random.Random, kinds: dict[int, tuple[str, str]], rates: dict[str, float] | None = None
) -> int:
    """Clear the lexicon feature (MORPH `Lex=B_LOC` ...) of each match in `doc` with probability
    `rate`, or `rates[type]` for a type it names; `kinds` caches a morph id's position letter
    (B/I/E, '' for none) and type. Returns the count."""
    if not len(doc):
        return 0
    column = doc.to_array([MORPH])
    values = column.tolist()
    strings = doc.vocab.strings
    dropped = 0
    start = None
    for i, value in enumerate(values):
        cached = kinds.get(value)
        if cached is None:
            text = strings[value] if value else ""
            cached = kinds[value] = (text[4], text[6:]) if text.startswith("Lex=") else ("", "")
        kind, label = cached
        if kind == "B":
            start = i
        elif kind == "E" and start is not None:
            if rng.random() < (rates.get(label, rate) if rates else rate):
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
    name_folds: str | None = None,
    type_dropout: dict[str, float] | None = None,
):
    for what, value in [("lexicon_dropout", lexicon_dropout), *((f"type_dropout.{k}", v) for k, v in (type_dropout or {}).items())]:
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"kg.LexiconDropoutCorpus.v1: {what} must lie in [0, 1], not {value}")
    rates = dict(type_dropout) if type_dropout else None
    corpus = Corpus(path, gold_preproc=gold_preproc, max_length=max_length, limit=limit)
    rng = random.Random(seed)
    kinds: dict[int, tuple[str, str]] = {}
    folds = NameFolds(Path(name_folds)) if name_folds else None

    def read(nlp):
        for eg in corpus(nlp):
            if folds is not None:
                folds.apply(eg.predicted)
            if lexicon_dropout or rates:
                drop_matches(eg.predicted, lexicon_dropout, rng, kinds, rates)
            yield eg

    return read
