"""A name lexicon as a feature for the character NER.

Each character gets the position and type of the longest lexicon name covering it
(`B_LOC`, `I_ORG`, `E_PER`, `S_LOC`, or nothing). The NER learns how far to trust it; a name the
statistical model has never seen but the lexicon knows becomes easier to find. The lexicon is
built by `kg.train.lexicon` from corpora other than the NER's own training data (People's
Daily nr/ns/nt words, CLUENER names, the administrative divisions), so the model cannot learn
that a lexicon match is always an entity.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

MAX_LEN = 10
MIN_LEN = 2


class Lexicon:
    def __init__(self, names: dict[str, str] | None = None):
        self.names: dict[str, str] = dict(names or {})  # surface -> PER/LOC/ORG
        # Longest name starting with each two characters: most positions start none, so most
        # cost one dict lookup instead of one per possible length.
        self.longest: dict[str, int] = {}
        for name in self.names:
            self.longest[name[:2]] = max(self.longest.get(name[:2], 0), len(name))

    def __len__(self) -> int:
        return len(self.names)

    def tags(self, text: str) -> list[str]:
        """One tag a character: '' or e.g. 'B_LOC' (longest match from the left wins)."""
        n = len(text)
        out = [""] * n
        names, longest = self.names, self.longest
        i = 0
        while i < n:
            for length in range(min(longest.get(text[i : i + 2], 0), n - i), MIN_LEN - 1, -1):
                label = names.get(text[i : i + length])
                if label is not None:
                    out[i] = "B_" + label
                    for j in range(i + 1, i + length - 1):
                        out[j] = "I_" + label
                    out[i + length - 1] = "E_" + label
                    i += length
                    break
            else:
                i += 1
        return out

    def to_disk(self, path: Path) -> None:
        with open(path, "w", encoding="utf8") as f:
            for name in sorted(self.names):
                f.write(f"{name}\t{self.names[name]}\n")

    @classmethod
    def from_disk(cls, path: Path) -> "Lexicon":
        names = {}
        with open(path, encoding="utf8") as f:
            for line in f:
                name, _, label = line.rstrip("\n").partition("\t")
                if name and label:
                    names[name] = label
        return cls(names)


WORD_MAX_LEN = 6
# W<longest word starting here, 4 = four or more><longest ending here>, m: inside a longer word
_WORD_TAGS = {
    (s, e, m): f"W{min(s, 4)}{min(e, 4)}{'m' if m else ''}"
    for s in range(WORD_MAX_LEN + 1)
    for e in range(WORD_MAX_LEN + 1)
    for m in (0, 1)
}


class WordList:
    """Dictionary words as a feature for the character NER (word boundaries without a segmenter).

    Each character gets one symbol from every dictionary word (2 to 6 characters) found over it:
    the longest one starting at it, the longest one ending at it, and whether one runs through
    it. Entity edges are word edges, so this tells the model where words (and so names) may
    begin and end, at the cost of a few set lookups a character instead of running pkuseg.
    The words come from the People's Daily segmentation corpus (`kg.train.lexicon`).
    """

    def __init__(self, words: Iterable[str] = ()):
        self.words = frozenset(w for w in words if 2 <= len(w) <= WORD_MAX_LEN)
        # Longest word starting with each two characters: most positions cost one lookup.
        self.longest: dict[str, int] = {}
        for w in self.words:
            self.longest[w[:2]] = max(self.longest.get(w[:2], 0), len(w))

    def __len__(self) -> int:
        return len(self.words)

    def tags(self, text: str) -> list[str]:
        n = len(text)
        starts = [0] * n
        ends = [0] * n
        inside = [0] * n
        words, get = self.words, self.longest.get
        for i in range(n - 1):
            top = get(text[i : i + 2])
            if top is None:
                continue
            for length in range(2, min(top, n - i) + 1):
                if text[i : i + length] in words:
                    starts[i] = length
                    j = i + length - 1
                    if ends[j] < length:
                        ends[j] = length
                    for k in range(i + 1, j):
                        inside[k] = 1
        return [_WORD_TAGS[x] for x in zip(starts, ends, inside)]

    def to_disk(self, path: Path) -> None:
        with open(path, "w", encoding="utf8") as f:
            for w in sorted(self.words):
                f.write(w + "\n")

    @classmethod
    def from_disk(cls, path: Path) -> "WordList":
        with open(path, encoding="utf8") as f:
            return cls(line.strip() for line in f)
