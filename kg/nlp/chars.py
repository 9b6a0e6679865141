"""Character tokenizer for the NER model.

Chinese NER is scored on character spans, and a word segmenter may glue an entity to its
neighbour (`辽源市的` -> one word). The NER model therefore reads one token per character and
sees words only as features. Features live in token attributes that spaCy's `MultiHashEmbed`
already hashes, so the model is a stock spaCy NER:

- NORM: the character, NFKC-normalised (full-width digits and letters fold to ASCII);
- LEMMA: the bigram with the previous character; TAG: the bigram with the next character;
- MORPH (`kg.CharTokenizer.v2` with a lexicon): `Lex=B_LOC` etc., see `kg.nlp.lexicon`.
"""
from __future__ import annotations

import unicodedata

from pathlib import Path

import numpy
from spacy.attrs import LEMMA, MORPH, NORM, TAG
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from kg.nlp.lexicon import Lexicon

LEXICON_FILE = "lexicon.tsv"
FEATURE_ATTRS = [NORM, LEMMA, TAG]

BOUNDARY = "<s>"


def fold(ch: str) -> str:
    """NFKC of one character when that stays one character (so offsets never move)."""
    n = unicodedata.normalize("NFKC", ch)
    return n if len(n) == 1 else ch


class _FoldTable(dict):
    """str.translate table of `fold`, filled as characters are first seen."""

    def __missing__(self, code: int) -> str:
        self[code] = value = fold(chr(code))
        return value


_FOLD = _FoldTable()


class CharTokenizer:
    """One token per character, with character n-gram features set on each token."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon | None = None):
        self.vocab = vocab
        self.lexicon = lexicon
        self._lex_ids: dict[str, int] = {"": 0}

    def __call__(self, text: str) -> Doc:
        chars = list(text)
        doc = Doc(self.vocab, words=chars, spaces=[False] * len(chars))
        if not chars:
            return doc
        folded_text = text.translate(_FOLD)
        folded = list(folded_text)
        padded = [BOUNDARY, *folded, BOUNDARY]
        add = self.vocab.strings.add
        bigrams = [add(a + b) for a, b in zip(padded, padded[1:])]
        # from_array is several times faster than setting three string attributes per token
        columns = [[add(c) for c in folded], bigrams[:-1], bigrams[1:]]
        attrs = FEATURE_ATTRS
        if self.lexicon is not None:
            columns.append(self._lexicon_ids(self.lexicon.tags(folded_text)))
            attrs = attrs + [MORPH]
        doc.from_array(attrs, numpy.ascontiguousarray(numpy.array(columns, dtype="uint64").T))
        return doc

    def _lexicon_ids(self, tags: list[str]) -> list[int]:
        """String ids of lexicon tags: a dozen values, so a dict beats StringStore.add."""
        ids = self._lex_ids
        for tag in set(tags) - ids.keys():
            ids[tag] = self.vocab.strings.add("Lex=" + tag)
        return [ids[t] for t in tags]

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # The only state is the lexicon; it travels with the pipeline folder.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "CharTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        if self.lexicon is not None:
            Path(path).mkdir(parents=True, exist_ok=True)
            self.lexicon.to_disk(Path(path) / LEXICON_FILE)

    def from_disk(self, path, **kwargs) -> "CharTokenizer":
        if (Path(path) / LEXICON_FILE).exists():
            self.lexicon = Lexicon.from_disk(Path(path) / LEXICON_FILE)
        return self


@registry.tokenizers("kg.CharTokenizer.v1")
def create_char_tokenizer():
    def make(nlp):
        return CharTokenizer(nlp.vocab)

    return make


@registry.tokenizers("kg.CharTokenizer.v2")
def create_char_tokenizer_v2(lexicon_path: str | None = None):
    """With a name lexicon; a saved pipeline carries its own copy (tokenizer/lexicon.tsv)."""

    # spaCy does not interpolate ${paths.*} variables inside [nlp]: give the path itself.
    if lexicon_path and not Path(lexicon_path).exists():
        raise ValueError(f"kg.CharTokenizer.v2: no lexicon at {lexicon_path!r} (build it with kg.train.lexicon)")

    def make(nlp):
        lex = Lexicon.from_disk(Path(lexicon_path)) if lexicon_path else None
        return CharTokenizer(nlp.vocab, lex)

    return make

