"""Small typed records passed between the stages of the data flow.

read -> Article; extract -> Mention, Relation; resolve -> Entity. Offsets are character offsets
into `Article.text`, the one string the NLP stage sees for an article.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


def short_hash(*parts: str) -> str:
    """16 hex characters of a SHA-1 over the parts: stable across runs and machines."""
    h = hashlib.sha1("\x1f".join(parts).encode("utf8"))
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Context:
    """What the text leaves implicit, given by the user (`--publisher`, `--home-province`,
    `--home-city`, `--date`)."""

    publisher: str | None = None  # 本报 -> this name
    home_province: str | None = None  # 我省/全省/省委 -> this province
    home_city: str | None = None  # 我市/全市/市委 -> this city (a city paper's)
    date: date | None = None  # issue date; a dateline `2月7日` takes its year
    base_iri: str = "http://example.org/kg/"


@dataclass(frozen=True)
class Article:
    """One article: a page section under a heading, or one line of a `.jsonl` file."""

    title: str
    paragraphs: tuple[str, ...]
    source: str  # the input file, as given
    line: int  # 1-based line in `source` where the article starts
    subtitle: str = ""  # kicker or subtitle heading right after the title
    date: date | None = None
    authors: tuple[str, ...] = ()  # reporters named in datelines and bylines
    photographers: tuple[str, ...] = ()  # `本报记者 潘硕 摄`
    captions: tuple[str, ...] = ()  # photo captions
    publisher: str | None = None
    url: str | None = None
    external_id: str | None = None  # `id` of a `.jsonl` record
    continued_from: str | None = None  # `(上接第一版)` -> 第一版

    @property
    def text(self) -> str:
        """Title, subtitle, paragraphs and captions, one per line: what offsets refer to."""
        parts = [self.title, self.subtitle, *self.paragraphs, *self.captions]
        return "\n".join(p for p in parts if p)

    @property
    def id(self) -> str:
        """Content hash: the same article gets the same id in every run and every folder."""
        return "art-" + short_hash(self.title, *self.paragraphs)


@dataclass(frozen=True)
class Mention:
    """A name found in an article's text."""

    article: str  # Article.id
    start: int
    end: int
    text: str
    label: str  # PER, LOC, ORG, PRG, EVT
    source: str  # what found it: "ner", "rule:quoted", "rule:suffix", ...


@dataclass(frozen=True)
class Evidence:
    """Why a relation is believed: where it was read and what read it."""

    article: str  # Article.id
    sentence: str
    start: int  # offsets of the sentence in Article.text
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Relation:
    """A typed relation between two mentions of one article."""

    subject: Mention
    predicate: str  # a property name of ontology/kg.ttl, e.g. "memberOf"
    object: Mention
    evidence: Evidence


@dataclass(frozen=True)
class Entity:
    """A real-world thing after resolution: one graph node."""

    key: str  # opaque ASCII id, e.g. "org-1a2b3c4d5e6f7a8b"; also the IRI's last segment
    kind: str  # Person, Organization, Place, Programme, Event
    name: str  # canonical Chinese name
    aliases: frozenset[str] = field(default_factory=frozenset)


LABEL_KIND = {
    "PER": "Person",
    "ORG": "Organization",
    "LOC": "Place",
    "PRG": "Programme",
    "EVT": "Event",
}
KIND_PREFIX = {
    "Person": "per",
    "Organization": "org",
    "Place": "loc",
    "Programme": "prg",
    "Event": "evt",
}


def entity_key(kind: str, name: str) -> str:
    return f"{KIND_PREFIX[kind]}-{short_hash(kind, name)}"
