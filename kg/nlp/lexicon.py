"""A name lexicon as a feature for the character NER.

Each character gets the position and type of the longest lexicon name covering it
(`B_LOC`, `I_ORG`, `E_PER`, `S_LOC`, or nothing). The NER learns how far to trust it; a name the
statistical model has never seen but the lexicon knows becomes easier to find. The lexicon is
built by `kg.train.lexicon` from corpora other than the NER's own training data (People's
Daily nr/ns/nt words, CLUENER names, the administrative divisions), so the model cannot learn
that a lexicon match is always an entity. The shipped model's copy also lists, for run time
only, the names its training data marks (kg.train.lexicon.training_names).
"""
from __future__ import annotations

from pathlib import Path

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

    def plus(self, names: dict[str, str]) -> "Lexicon":
        """This lexicon with `names` (surface -> type) added; theirs win."""
        return Lexicon({**self.names, **names})

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

