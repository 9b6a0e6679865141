"""Word tokenizer: the project's own spacy-pkuseg model inside a spaCy pipeline.

spaCy's stock `ChineseTokenizer` drops whitespace that pkuseg does not see and loads pkuseg's
float64 weights as they are. This tokenizer keeps the text exact (every character, spaces
included, is in the Doc), ships the weights as float16 (a quarter of the size; the decoder
still runs in float64) and can take a user dictionary of names that must stay one word.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

_RUN = re.compile(r"\S+")
# The training text (People's Daily, 1998) writes digits, Latin letters and ASCII punctuation
# full-width; newer text mostly half-width. pkuseg also renames `-._,|/*:` to one symbol, so
# `55.6` would not look like a number. Folding ASCII to full-width before the model sees the
# text (one character for one, so offsets stay put) puts new text in the training's form.
_TO_FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
MODEL_FILES = ("features.msgpack", "weights.npz")
JOINS_FILE = "joins.txt"
JOIN_MAX_LEN = 4  # longest word joins.txt holds (see kg.train.segmenter.always_joined)


def _load_pkuseg(model_dir: Path):
    import spacy_pkuseg

    seg = spacy_pkuseg.pkuseg(model_name=str(model_dir), user_dict=None)
    seg.model.w = np.asarray(seg.model.w, dtype=np.float64)
    return seg


def shrink_model(src: Path, dst: Path) -> None:
    """Copy a trained pkuseg model without what decoding never reads, weights as float16.

    The word-bigram list only serves training (decoding looks `ww.` features up in
    feature_to_idx directly), so it is left out: about half the size of features.msgpack.
    """
    import srsly

    dst.mkdir(parents=True, exist_ok=True)
    if (src / JOINS_FILE).exists():
        shutil.copy(src / JOINS_FILE, dst / JOINS_FILE)
    features = srsly.read_msgpack(src / "features.msgpack")
    features["bigram"] = []
    srsly.write_msgpack(dst / "features.msgpack", features)
    npz = np.load(src / "weights.npz")
    np.savez_compressed(dst / "weights.npz", sizes=npz["sizes"], w=npz["w"].astype(np.float16))


class PkusegTokenizer:
    """Split text into PKU-standard words; whitespace becomes its own tokens."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.seg = None
        self.model_dir: Path | None = None
        self.joins: frozenset[str] = frozenset()

    def cut(self, text: str) -> list[str]:
        """Words of `text`, whitespace runs included, so that "".join(words) == text."""
        if self.seg is None:
            raise ValueError("PkusegTokenizer has no model: load the pipeline from disk")
        words: list[str] = []
        pos = 0
        for m in _RUN.finditer(text):
            if m.start() > pos:
                words.append(text[pos : m.start()])
            run = m.group()
            start = 0
            for w in self._join(self.seg._cut(run.translate(_TO_FULLWIDTH))):
                words.append(run[start : start + len(w)])
                start += len(w)
            pos = m.end()
        if pos < len(text):
            words.append(text[pos:])
        return words

    def _join(self, words: list[str]) -> list[str]:
        """Glue neighbours that make a word the training corpus always writes whole."""
        joins = self.joins
        if not joins:
            return words
        out: list[str] = []
        for w in words:
            if out and len(out[-1]) + len(w) <= JOIN_MAX_LEN and out[-1] + w in joins:
                out[-1] += w
            else:
                out.append(w)
        return out

    def __call__(self, text: str) -> Doc:
        words = self.cut(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def to_disk(self, path, **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model_dir is not None and self.model_dir.resolve() != path.resolve():
            for name in MODEL_FILES:
                shutil.copy(self.model_dir / name, path / name)
            if self.joins:
                (path / JOINS_FILE).write_text("\n".join(sorted(self.joins)) + "\n", encoding="utf8")

    def from_disk(self, path, **kwargs) -> "PkusegTokenizer":
        self.model_dir = Path(path)
        self.seg = _load_pkuseg(self.model_dir)
        joins = self.model_dir / JOINS_FILE
        if joins.exists():
            self.joins = frozenset(joins.read_text(encoding="utf8").split())
        return self

    def to_bytes(self, **kwargs) -> bytes:
        raise NotImplementedError("save the word pipeline with to_disk")

    def from_bytes(self, data: bytes, **kwargs) -> "PkusegTokenizer":
        raise NotImplementedError("load the word pipeline with spacy.load(path)")


@registry.tokenizers("kg.PkusegTokenizer.v1")
def create_pkuseg_tokenizer():
    def make(nlp):
        return PkusegTokenizer(nlp.vocab)

    return make
