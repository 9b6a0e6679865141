"""Extraction: an article's entities become Mentions, and patterns over them Relations.

The NLP stage hands over plain `Ent` spans (offsets into `Article.text`); nothing here sees spaCy.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from kg.geo import Gazetteer
from kg.nlp.pipeline import Ent
from kg.nlp.sentences import split_sentences
from kg.patterns import find_article_relations, find_relations
from kg.records import Article, Mention, Relation
from kg.relclf import org_pair_relations

# Words a newspaper uses for its home province or city, their governing bodies and itself.
DEIXIS = re.compile(r"我省|全省|本省|省委|省政府|我市|全市|本市|市委|市政府|本报")
DEIXIS_LABEL = {
    "我省": "LOC", "全省": "LOC", "本省": "LOC", "省委": "ORG", "省政府": "ORG",
    "我市": "LOC", "全市": "LOC", "本市": "LOC", "市委": "ORG", "市政府": "ORG", "本报": "ORG",
}


def deixis_mentions(article: Article) -> list[Mention]:
    return [
        Mention(article.id, m.start(), m.end(), m.group(), DEIXIS_LABEL[m.group()], "rule:deixis")
        for m in DEIXIS.finditer(article.text)
    ]


# A kicker over the title naming the article's place (`敦化：`): the model, reading the bare short
# name without context, may miss it. It is that place when the article names it in full (敦化市).
_KICKER = re.compile(r"([\u4e00-\u9fff]{2,8})[:：]")
_DIVISION_SUFFIX = re.compile("(?:市|县|区|旗|州|盟|镇|乡)$")


def kicker_mentions(article: Article, mentions: list[Mention]) -> list[Mention]:
    m = _KICKER.fullmatch(article.subtitle)
    if not m:
        return []
    short = m.group(1)
    start = len(article.title) + 1 if article.title else 0
    if any(x.start < start + len(short) and start < x.end for x in mentions):
        return []
    places = {x.text for x in mentions if x.label == "LOC"}
    if not any(p.startswith(short) and _DIVISION_SUFFIX.fullmatch(p[len(short):]) for p in places):
        return []
    return [Mention(article.id, start, start + len(short), short, "LOC", "rule:kicker")]


_EVERY = re.compile("各[省市州县区]*$")
_COMPANY_END = re.compile("(?:公司|集团)$")


def _city_before_company(text: str, e: Ent) -> list[Ent]:
    """敦化市|吉林敖东药业集团, 通化市|通化钢铁集团: a company whose name starts with a place,
    written after the city or county it is in, is the company; the city before it is where it is
    (the NER, after MSRA, reads one organisation). Other organisations are left as read."""
    if e.label != "ORG" or not _COMPANY_END.search(e.text):
        return [e]
    gaz = Gazetteer.load()
    # the city or county written in full first (not a chain: 通化市|通化 is the city, then the name)
    prefix = next((e.text[:k] for k in range(min(len(e.text) - 4, 10), 1, -1)
                   if e.text[k - 1] in "市县区" and any(p.level != "province" for p in gaz.full.get(e.text[:k], []))), "")
    rest = e.text[len(prefix):]
    if not prefix or not gaz.split(rest)[0]:
        return [e]
    cut = e.start + len(prefix)
    return [replace(e, end=cut, text=prefix, label="LOC"), replace(e, start=cut, text=rest)]


def extract(
    article: Article, ents: Iterable[Ent], classify_orgs: bool = False
) -> tuple[list[Mention], list[Relation]]:
    """Mentions and relations of one article, given the entities found in `article.text`.

    With `classify_orgs` (`kg build --org-classifier`; off by default: on 2,000 news lines it
    added one doubtful edge, for ~5-10% more build time), the FinRE classifier (kg.relclf) adds relations between two
    organisations of a sentence that no pattern related.
    """
    text = article.text
    # 朝鲜 of 朝鲜族, 蒙古 of 蒙古族: MSRA (and so `kg entities`) reads a place there, but the
    # graph would link an ethnic group to a country
    ents = [e for e in ents if not (e.label == "LOC" and text.startswith("族", e.end))]
    # 各市州供电公司: the NER may read 州供电公司, but 各 makes it every city's, no one body
    ents = [e for e in ents if not (e.label == "ORG" and _EVERY.search(text, max(0, e.start - 4), e.start))]
    ents = [part for e in ents for part in (_city_before_company(text, e) if not e.nested else [e])]
    mentions = [Mention(article.id, e.start, e.end, e.text, e.label, e.source) for e in ents if not e.nested]
    covered = {i for m in mentions for i in range(m.start, m.end)}
    mentions += [m for m in deixis_mentions(article) if not covered & set(range(m.start, m.end))]
    mentions += kicker_mentions(article, mentions)
    mentions.sort(key=lambda m: (m.start, m.end))
    relations: list[Relation] = []
    sentences = split_sentences(text)
    for s, e in sentences:
        in_sent = [m for m in mentions if s <= m.start and m.end <= e]
        if in_sent:
            relations.extend(find_relations(article.id, text, s, e, in_sent))
    relations.extend(find_article_relations(article.id, text, mentions, sentences))
    if classify_orgs:
        relations.extend(org_pair_relations(article.id, text, sentences, mentions, relations))
    # Patterns may name a place nested in an organisation's name (长春市 in 长春市交通运输局):
    # it becomes a mention too, so that it resolves to a node.
    # So may the NER inside a programme or event name (曼谷 in 曼谷亚运会); patterns never see those.
    # A one-character abbreviation there (亚 of 亚运会) names no node.
    known = set(mentions)
    nested = {m for r in relations for m in (r.subject, r.object) if m not in known}
    # one mention a span: the NER's place inside a zone's name is also the place a pattern names
    spans = {(m.start, m.end, m.label) for m in nested}
    nested |= {Mention(article.id, e.start, e.end, e.text, e.label, e.source) for e in ents
               if e.nested and e.end - e.start >= 2 and (e.start, e.end, e.label) not in spans}
    mentions = sorted([*mentions, *nested], key=lambda m: (m.start, m.end))
    return mentions, relations
