"""Resolution: mentions become entities, one per real-world thing within a run.

Names are normalised (NFKC, outer quotes and book-title marks removed, spaces collapsed), the
words a newspaper uses for itself and its home (本报, 我省, 省委, 省政府) are replaced by the names
the user gave in the Context, and every other surface form becomes an alias.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from kg.records import LABEL_KIND, Context, Entity, Mention, entity_key

_OUTER = re.compile(r"^[“”\"'‘’《〈「『]+|[“”\"'‘’》〉」』]+$")


def canonical_name(text: str) -> str:
    name = unicodedata.normalize("NFKC", text)
    name = re.sub(r"\s+", " ", name).strip()
    # Strip enclosing quotes only when they enclose the whole name (“双千工程”), not “揭榜挂帅”机制.
    if _OUTER.sub("", name).count("“") == _OUTER.sub("", name).count("”"):
        name = _OUTER.sub("", name)
    return name


def deixis_name(text: str, context: Context) -> str | None:
    """The real name behind 我省/全省/本省/省委/省政府/本报, when the context gives it."""
    province = context.home_province
    if text in ("我省", "全省", "本省"):
        return province
    if text == "省委" and province:
        return f"中共{province}委员会"
    if text == "省政府" and province:
        return f"{province}人民政府"
    if text == "本报":
        return context.publisher
    return None


def person_key(name: str) -> str:
    return entity_key("Person", canonical_name(name))


@dataclass
class Resolution:
    entities: dict[str, Entity] = field(default_factory=dict)
    key_of: dict[Mention, str] = field(default_factory=dict)
    mentions: Counter = field(default_factory=Counter)  # entity key -> mention count

    def add(self, kind: str, name: str, surface: str | None = None) -> str:
        key = entity_key(kind, name)
        old = self.entities.get(key)
        aliases = set(old.aliases) if old else set()
        if surface and surface != name:
            aliases.add(surface)
        self.entities[key] = Entity(key, kind, name, frozenset(aliases))
        return key


def resolve(mentions: Iterable[Mention], context: Context) -> Resolution:
    res = Resolution()
    surfaces: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        kind = LABEL_KIND.get(m.label)
        if kind is None:
            continue
        if m.source == "rule:deixis":
            name = deixis_name(m.text, context)
            if not name:
                continue
            surface = None  # 我省 is not a name of 吉林省, only a way to point at it
        else:
            name = canonical_name(m.text)
            surface = unicodedata.normalize("NFKC", m.text).strip()
        if not name:
            continue
        key = res.add(kind, name, surface)
        res.key_of[m] = key
        res.mentions[key] += 1
    return res
