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

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from kg.nlp.lexicon import Lexicon

LEXICON_FILE = "lexicon.tsv"

BOUNDARY = "<s>"


def fold(ch: str) -> str:
    """NFKC of one character when that stays one character (so offsets never move)."""
    n = unicodedata.normalize("NFKC", ch)
    return n if len(n) == 1 else ch


class CharTokenizer:
    """One token per character, with character n-gram features set on each token."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon | None = None):
        self.vocab = vocab
        self.lexicon = lexicon

    def __call__(self, text: str) -> Doc:
        chars = list(text)
        doc = Doc(self.vocab, words=chars, spaces=[False] * len(chars))
        folded = [fold(c) for c in chars]
        padded = [BOUNDARY, *folded, BOUNDARY]
        for i, tok in enumerate(doc):
            tok.norm_ = folded[i]
            tok.lemma_ = padded[i] + padded[i + 1]
            tok.tag_ = padded[i + 1] + padded[i + 2]
        if self.lexicon is not None:
            for tok, tag in zip(doc, self.lexicon.tags("".join(folded))):
                if tag:
                    tok.set_morph("Lex=" + tag)
        return doc

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

    def make(nlp):
        lex = Lexicon.from_disk(Path(lexicon_path)) if lexicon_path and Path(lexicon_path).exists() else None
        return CharTokenizer(nlp.vocab, lex)

    return make
