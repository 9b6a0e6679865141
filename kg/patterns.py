"""Typed relations from trigger words between the mentions of one sentence.

Each pattern is a small function over the sentence text and its mentions (sorted by offset);
it returns Relations with the sentence as evidence, the pattern's name as the rule and a fixed
confidence that reflects how often the pattern was right on the relation dev set.
"""
from __future__ import annotations

import re
from typing import Callable

from kg.records import Evidence, Mention, Relation

Pattern = Callable[[str, int, int, list[Mention]], list[tuple[Mention, str, Mention, str, float]]]
PATTERNS: list[Pattern] = []

AGENTS = ("ORG", "LOC")
_LIST_SEP = re.compile(r"^\s*(、|，|,|和|与|及|以及|、以及|和省)?\s*$")


def pattern(fn: Pattern) -> Pattern:
    PATTERNS.append(fn)
    return fn


def _between(text: str, a: Mention, b: Mention) -> str:
    return text[a.end : b.start]


def _run(text: str, first: Mention, mentions: list[Mention], labels: tuple[str, ...]) -> list[Mention]:
    """`first` and the mentions that follow it as a list: A、B和C."""
    run = [first]
    for m in mentions:
        if m.start < run[-1].end:
            continue
        if m.label in labels and _LIST_SEP.match(_between(text, run[-1], m)):
            run.append(m)
        else:
            break
    return run


@pattern
def enumeration_part_of(text, s, e, ms):
    """X包括A、B…和J / X包括实施A、B: every item of the same kind is part of X."""
    out = []
    for i, whole in enumerate(ms):
        if whole.label not in ("PRG", "ORG"):
            continue
        rest = ms[i + 1 :]
        if not rest:
            continue
        gap = _between(text, whole, rest[0])
        if not re.fullmatch(r"[”’\"]?(主要)?(包括|包含|涵盖|由|分为)(实施|开展)?[:：]?", gap):
            continue
        for part in _run(text, rest[0], rest[1:], (whole.label,)):
            if part.label == whole.label:
                out.append((part, "partOf", whole, "enumeration", 0.85))
    return out


@pattern
def organizer(text, s, e, ms):
    """由A、B主办，C承办的…EVT: each host organises the event."""
    events = [m for m in ms if m.label == "EVT"]
    if not events:
        return []
    out = []
    for i, m in enumerate(ms):
        if m.label != "ORG" or (i and ms[i - 1].label == "ORG" and _LIST_SEP.match(_between(text, ms[i - 1], m))):
            continue
        run = _run(text, m, ms[i + 1 :], ("ORG",))
        tail = text[run[-1].end : run[-1].end + 6]
        if re.match(r"\s*(共同|联合)?(主办|承办|协办|举办|组织)", tail):
            event = next((ev for ev in events if ev.start >= run[-1].end), None)
            if event is not None:
                out += [(event, "organizer", org, "host-trigger", 0.8) for org in run]
    return out


@pattern
def event_location(text, s, e, ms):
    """EVT…在LOC召开/举行/收官: where the event took place."""
    out = []
    for ev in (m for m in ms if m.label == "EVT"):
        for loc in (m for m in ms if m.label == "LOC" and m.start > ev.end):
            before, after = text[loc.start - 1 : loc.start], text[loc.end : loc.end + 4]
            if before == "在" and re.match(r"(市|省)?(召开|举行|举办|开幕|闭幕|收官|落幕|开赛|启幕)", after):
                out.append((ev, "location", loc, "held-in", 0.85))
            elif before == "在" and re.match(r"[\u4e00-\u9fff]{2,4}(召开|举行|收官)", after):
                out.append((ev, "location", loc, "held-in", 0.7))
    return out


@pattern
def cooperation(text, s, e, ms):
    """A与B(、C)签订/签署/合作/携手: every pair of the run cooperates."""
    out = []
    orgs = [m for m in ms if m.label in AGENTS]
    for i, a in enumerate(orgs):
        rest = orgs[i + 1 :]
        if not rest or not re.fullmatch(r"\s*(与|和|同|携手)\s*", _between(text, a, rest[0])):
            continue
        partners = _run(text, rest[0], rest[1:], AGENTS)
        tail = text[partners[-1].end : partners[-1].end + 12]
        if re.search(r"签订|签署|签约|合作|携手|战略协议|框架协议", tail):
            out += [(a, "cooperatesWith", b, "agreement-trigger", 0.8) for b in partners]
    return out


@pattern
def located_in(text, s, e, ms):
    """LOC(的)ORG: 辽源市的吉林启星铝业 / 长春市政务服务中心 written as two spans."""
    out = []
    for a, b in zip(ms, ms[1:]):
        if a.label == "LOC" and b.label == "ORG" and _between(text, a, b) in ("", "的"):
            out.append((b, "locatedIn", a, "place-before-org", 0.75))
    return out


@pattern
def implements(text, s, e, ms):
    """ORG/LOC …启动/实施/推进/落实… PRG: the agent implements the programme."""
    out = []
    for prg in (m for m in ms if m.label == "PRG"):
        lead = text[s : prg.start]
        trig = None
        for t in re.finditer(r"启动|实施|推进|落实|推行|开展|推出|出台|制定", lead):
            trig = t
        if trig is None:
            continue
        agents = [m for m in ms if m.label in AGENTS and m.end <= s + trig.start()]
        if agents:
            out.append((agents[-1], "implements", prg, "launch-trigger", 0.7))
    return out


def find_relations(article: str, text: str, s: int, e: int, mentions: list[Mention]) -> list[Relation]:
    """Relations in the sentence text[s:e] among `mentions` (all inside it, sorted)."""
    found: dict[tuple, Relation] = {}
    sentence = text[s:e]
    for fn in PATTERNS:
        for subj, pred, obj, rule, conf in fn(text, s, e, mentions):
            if subj == obj:
                continue
            ev = Evidence(article, sentence, s, e, rule, conf)
            found.setdefault((subj.start, pred, obj.start), Relation(subj, pred, obj, ev))
    return list(found.values())
