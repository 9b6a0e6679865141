"""Extraction: an article's entities become Mentions, and patterns over them Relations.

The NLP stage hands over plain `Ent` spans (offsets into `Article.text`); nothing here sees spaCy.
"""
from __future__ import annotations

import re
from typing import Iterable

from kg.nlp.pipeline import Ent
from kg.nlp.sentences import split_sentences
from kg.patterns import find_relations
from kg.records import Article, Mention, Relation

# Words a newspaper uses for its home province, its governing bodies and itself.
DEIXIS = re.compile(r"我省|全省|本省|省委|省政府|本报")
DEIXIS_LABEL = {"我省": "LOC", "全省": "LOC", "本省": "LOC", "省委": "ORG", "省政府": "ORG", "本报": "ORG"}


def deixis_mentions(article: Article) -> list[Mention]:
    return [
        Mention(article.id, m.start(), m.end(), m.group(), DEIXIS_LABEL[m.group()], "rule:deixis")
        for m in DEIXIS.finditer(article.text)
    ]


def extract(article: Article, ents: Iterable[Ent]) -> tuple[list[Mention], list[Relation]]:
    """Mentions and relations of one article, given the entities found in `article.text`."""
    text = article.text
    mentions = [Mention(article.id, e.start, e.end, e.text, e.label, e.source) for e in ents]
    covered = {i for m in mentions for i in range(m.start, m.end)}
    mentions += [m for m in deixis_mentions(article) if not covered & set(range(m.start, m.end))]
    mentions.sort(key=lambda m: (m.start, m.end))
    relations: list[Relation] = []
    for s, e in split_sentences(text):
        in_sent = [m for m in mentions if s <= m.start and m.end <= e]
        if len(in_sent) >= 2:
            relations.extend(find_relations(article.id, text, s, e, in_sent))
    return mentions, relations
