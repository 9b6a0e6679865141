"""A user's list of names to find: `kg build --names FILE`, `kg entities --names FILE`.

An archive knows its own world: the local companies, the bureaus under their current names, the
province's programmes. One name a line, a tab, then its type:

    吉林化纤集团有限责任公司	ORG
    中国移动	ORG
    查干湖	LOC
    十大跃升行动	PRG

Blank lines and lines starting with # are skipped. People, places and organisations (PER, LOC,
ORG) join the NER's name lexicon: the model is told of them as it is told of the names it was
trained with, and finds them where the context reads as a name (on its dev split it finds 98%
of the new names its lexicon lists, against 67% of those it does not). Programmes and events
(PRG, EVT), and names of three characters or more, are also found wherever they are written.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.rules import alternation

MODEL_LABELS = ("PER", "LOC", "ORG")
RULE_LABELS = ("PRG", "EVT")


@dataclass(frozen=True, eq=False)
class Names:
    """Listed names by label; `digest` tells one list from another (the build cache keys on it)."""

    model: dict[str, str] = field(default_factory=dict)  # name -> PER/LOC/ORG
    rules: dict[str, str] = field(default_factory=dict)  # name -> PRG/EVT
    digest: str = ""

    def __bool__(self) -> bool:
        return bool(self.model or self.rules)

    def __eq__(self, other) -> bool:
        return isinstance(other, Names) and (self.digest, self.model, self.rules) == (other.digest, other.model, other.rules)

    def __hash__(self) -> int:
        return hash(self.digest)


def read_names(path: str | Path) -> Names:
    """The names of a list file; a bad line is an error naming the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise KgError(f"cannot read the names list: {e.strerror or e}", str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise KgError("not UTF-8 text", str(path), line) from None
    model: dict[str, str] = {}
    rules: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, label = line.rpartition("\t")
        if not sep:  # a space will do where the name has none: 中国移动 ORG
            name, sep, label = line.rpartition(" ")
        name, label = name.strip(), label.strip().upper()
        if not sep or not name or label not in MODEL_LABELS + RULE_LABELS:
            raise KgError(
                f"expected a name, a tab and one of {', '.join(MODEL_LABELS + RULE_LABELS)}; got {line!r}", str(path), n
            )
        if len(name) < 2:
            raise KgError(f"a listed name has two characters or more; got {name!r}", str(path), n)
        (model if label in MODEL_LABELS else rules)[name] = label
    return Names(model, rules, hashlib.sha1(raw).hexdigest()[:12])


# A listed person, place or organisation this long is also taken wherever it is written (the
# longer of two overlapping readings wins, so 中国移动 beats the model's 中国); a shorter one
# (一汽, 华为) could be a piece of another word, and is left to the model, which knows it now.
EXACT_MIN = 3


def find_listed(text: str, names: Names) -> list[tuple[int, int, str]]:
    """(start, end, label) of each occurrence in `text` of a listed programme or event, or of a
    listed name of EXACT_MIN characters or more; of two that start together, the longer."""
    pattern = _pattern(names)
    if pattern is None:
        return []
    return [(m.start(), m.end(), names.rules.get(m.group()) or names.model[m.group()]) for m in pattern.finditer(text)]


@functools.lru_cache(maxsize=4)
def _pattern(names: Names) -> re.Pattern | None:
    listed = [*names.rules, *(n for n in names.model if len(n) >= EXACT_MIN)]
    if not listed:
        return None
    return re.compile(alternation(listed))
