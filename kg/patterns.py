"""Typed relations from trigger words between the mentions of one sentence (and one article).

Each pattern is a small function over the article text, the sentence bounds and the sentence's
mentions (sorted by offset). It yields `(subject, predicate, object, rule)`; `find_relations` checks
the types against the ontology (`SIGNATURES`), drops duplicates and adds the evidence, whose
confidence is the rule's precision measured on the tune split of `tests/data/relations_dev.jsonl`
with gold entities (`python -m kg.bench.relations --gold-entities --rules`), smoothed and rounded.

The patterns are trigger lexicons plus entity types plus short gaps; they never name an entity.
A pass over the whole article (`find_article_relations`) links players introduced as 我省小将 /
选手 / 队员 to the one team the article has named before them.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from kg.geo import Gazetteer
from kg.nlp.orgs import BARE_HEAD, ENDS_IN_HEAD, ZONE_END
from kg.records import Evidence, Mention, Relation
from kg.rules import committee_event as rule_committee_event

Found = tuple[Mention, str, Mention, str]  # subject, predicate, object, rule
Pattern = Callable[[str, int, int, list[Mention]], Iterable[Found]]
PATTERNS: list[Pattern] = []

# Which labels each predicate joins (ontology/kg.ttl domains and ranges).
SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "memberOf": (frozenset({"PER"}), frozenset({"ORG"})),
    "leads": (frozenset({"PER"}), frozenset({"ORG"})),
    "locatedIn": (frozenset({"ORG", "LOC"}), frozenset({"LOC"})),
    "partOf": (frozenset({"PRG", "ORG"}), frozenset({"PRG", "ORG"})),
    "cooperatesWith": (frozenset({"ORG"}), frozenset({"ORG"})),
    "founded": (frozenset({"PER", "ORG"}), frozenset({"ORG"})),
    "implements": (frozenset({"ORG", "LOC"}), frozenset({"PRG"})),
    "organizer": (frozenset({"EVT"}), frozenset({"ORG"})),
    "location": (frozenset({"EVT"}), frozenset({"LOC"})),
    "participant": (frozenset({"EVT"}), frozenset({"PER", "ORG"})),
}
SYMMETRIC = frozenset({"cooperatesWith"})

# Each rule's precision on the tune split with gold entities, add-one smoothed, to 0.05, at most
# 0.95: `python -m kg.bench.relations --gold-entities --rules` prints it next to these values.
CONFIDENCE: dict[str, float] = {
    "agreement-trigger": 0.95,
    "among-them": 0.8,
    "appointed-as": 0.9,
    "at-event": 0.9,
    "attends": 0.9,
    "attends-earlier-event": 0.85,
    "carried-out-by": 0.8,
    "committee": 0.85,
    "enumeration": 0.9,
    "founded-in": 0.65,
    "held-in": 0.95,
    "held-in-before": 0.8,
    "home-government-head": 0.9,
    "place-government-head": 0.9,  # as home-government-head: its organisation is named by no span, so the dev file cannot hold it
    "host-trigger": 0.9,
    "hosted-by": 0.9,
    "hosted-by-earlier": 0.8,
    "is-capital-of": 0.75,
    "is-title-of": 0.65,
    "joint-action": 0.95,
    "launch-trigger": 0.95,
    "leads-delegation": 0.75,
    "located-at": 0.9,
    "made-up-of": 0.9,
    "one-of": 0.75,
    "opened-at": 0.75,
    "place-before-org": 0.9,
    "place-chain": 0.85,
    "place-prefix": 0.95,
    "place-programme": 0.75,
    "set-up-by": 0.75,
    "sets-up": 0.95,
    "subsidiary": 0.9,
    "team-earlier": 0.85,
    "title-after-org": 0.95,
    "wins-at-earlier-event": 0.8,
    "wins-after-competition": 0.9,
}
DEFAULT_CONFIDENCE = 0.5  # (0 + 1) / (0 + 2): a rule that never fired on the tune split

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_CLAUSE_END = set("，,；;。！？!?：:\n")
_OPEN_Q, _CLOSE_Q = "“‘\"「『", "”’\"」』"
# Negation (not 不断, 不少, 不仅, 不但, 不同)
_NEG = "未|尚未|没有|没|不(?![断少仅但同久])|未能|无法|否认|拒绝|暂停|终止|取消"


def pattern(fn: Pattern) -> Pattern:
    PATTERNS.append(fn)
    return fn


# --- helpers ----------------------------------------------------------------------------------

def _gap(text: str, a: Mention, b: Mention) -> str:
    return text[a.end : b.start]


def _clause_start(text: str, s: int, pos: int) -> int:
    i = pos
    while i > s and text[i - 1] not in _CLAUSE_END:
        i -= 1
    return i


def _clause_end(text: str, e: int, pos: int) -> int:
    i = pos
    while i < e and text[i] not in _CLAUSE_END:
        i += 1
    return i


def _no_clause_break(gap: str) -> bool:
    return not any(c in _CLAUSE_END for c in gap)


# A list separator between two names, quotes allowed around it: A、B和C, “A”与“B”.
_SEP = re.compile(f"[{_CLOSE_Q}]?(、|和|与|及|以及|同|跟|、以及)[{_OPEN_Q}]?")
_SEP_PAIRED = {"与", "同", "跟"}  # A、B与C: two sides


def _runs_forward(text: str, ms: list[Mention], i: int, labels: Iterable[str]) -> list[Mention]:
    """ms[i] and the mentions listed right after it: A、B和C."""
    labels = set(labels)
    run = [ms[i]]
    for m in ms[i + 1 :]:
        if m.start < run[-1].end:
            continue
        if m.label in labels and _SEP.fullmatch(_gap(text, run[-1], m)):
            run.append(m)
        else:
            break
    return run


def _run_back(text: str, ms: list[Mention], i: int, labels: Iterable[str]) -> list[Mention]:
    """ms[i] and the mentions listed right before it, in text order."""
    labels = set(labels)
    run = [ms[i]]
    for m in reversed(ms[:i]):
        if m.end > run[0].start:
            continue
        if m.label in labels and _SEP.fullmatch(_gap(text, m, run[0])):
            run.insert(0, m)
        else:
            break
    return run


def _last_before(ms: list[Mention], pos: int, labels: Iterable[str], lo: int) -> int | None:
    """Index of the last mention with a label in `labels` ending at or before `pos` and starting at or after `lo`."""
    labels = set(labels)
    best = None
    for k, m in enumerate(ms):
        if m.end <= pos and m.start >= lo and m.label in labels:
            best = k
    return best


def _first_after(ms: list[Mention], pos: int, labels: Iterable[str], hi: int) -> int | None:
    labels = set(labels)
    for k, m in enumerate(ms):
        if m.start >= pos and m.end <= hi and m.label in labels:
            return k
    return None


def _index(ms: list[Mention], m: Mention) -> int:
    return next(k for k, x in enumerate(ms) if x is m)


# --- memberOf / leads -------------------------------------------------------------------------

# Heads of an organisation: leads + memberOf. 副X is a member only; 处长/科长 head a unit inside it.
HEAD_TITLES = (
    "董事长", "总经理", "总裁", "首席执行官", "局长", "厅长", "部长", "书记", "主任", "院长", "校长",
    "队长", "主教练", "行长", "理事长", "会长", "主席", "社长", "所长", "馆长", "台长", "站长",
    "总编辑", "团长", "司令员", "政委", "市长", "县长", "区长", "省长", "州长", "镇长", "乡长",
    "党组书记", "党委书记", "党工委书记", "总干事", "总理",
)
MEMBER_TITLES = (
    "教授", "副教授", "讲师", "研究员", "副研究员", "助理研究员", "工程师", "总工程师", "技术员",
    "技术工人", "工人", "职工", "员工", "干部", "医生", "医师", "护士", "护士长", "药师", "记者",
    "编辑", "教师", "老师", "学生", "研究生", "博士生", "队员", "球员", "运动员", "选手", "前锋",
    "中锋", "后卫", "门将", "守门员", "中场", "教练", "教练员", "会员", "馆员", "预报员", "委员",
    "常委", "处长", "科长", "经理", "总监", "董事", "监事", "干警", "民警", "律师", "设计师",
    "分析师", "专家", "院士", "负责人", "成员", "主持人", "播音员", "飞行员", "科研人员",
    "工作人员", "志愿者", "主力队员", "主力", "秘书长",
)
_TITLE_MOD = "(?:首席|高级|资深|主任|主治|特级|正高级|技术|常务|执行|党委|党组|党工委)?"
_ONE_TITLE = (
    f"(?P<vice>副)?{_TITLE_MOD}(?:"
    + "|".join(sorted(set(HEAD_TITLES + MEMBER_TITLES), key=len, reverse=True))
    + ")"
)
_TITLE_RE = re.compile(_ONE_TITLE)
_TITLE_ITEM = _ONE_TITLE.replace("(?P<vice>副)", "(?:副)")
_TITLE_CORE = f"{_TITLE_ITEM}(?:(?:、|兼){_TITLE_ITEM})*"
# What may stand between an organisation and a person: 的一名 + titles joined by 、/兼.
_TITLE_CHAIN = re.compile(f"(?:的)?(?:一名|一位)?{_TITLE_CORE}")
_HEAD_SET = frozenset(HEAD_TITLES)
# A unit inside the organisation, between it and a title: 植物保护学院, 急诊科, 研发部
_SUB_UNIT = re.compile(
    f"的?[{_HAN}]{{2,10}}?(?:学院|系|研究所|研究院|研究室|实验室|中心|科|处|室|部|分公司|车间|支队|大队|分院|门诊)"
)
_NAME_GOES_ON = re.compile(f"[{_HAN}]?(?:等|们)")
_FORMER = re.compile("(?:原|(?<![目此之提以当眼面日年空])前|曾任|曾是|曾经是)$")
_FORMER_LIST = re.compile("(?<![草平高中太])(?:原|前任)(?![因则料来本始先])[^，,。；;]*、$")


def _is_head(chain: str) -> bool:
    """Does the chain of titles hold a head title before any deputy one?

    After a deputy title the next ones usually belong to another body: 市委副书记、市长 heads the
    city government, not the 市委.
    """
    for part in re.split("、|兼", re.sub("^(?:的)?(?:一名|一位)?", "", chain)):
        m = _TITLE_RE.fullmatch(part)
        if not m or m.group("vice"):
            return False
        bare = re.sub(f"^{_TITLE_MOD}", "", part)
        if part in _HEAD_SET or bare in _HEAD_SET:
            return True
    return False


# The party committee of a body (通化钢铁集团党委, 吉林大学党委): its secretary and members are
# the body's, as the news means them.
_COMMITTEE_OF = re.compile("(?:党委|党组|党工委)$")


def _body_of(org: Mention) -> Mention:
    """通化钢铁集团党委 -> 通化钢铁集团 (a nested mention); other organisations as they are."""
    m = _COMMITTEE_OF.search(org.text)
    body = org.text[: m.start()] if m else ""
    if len(body) < 4 or not ENDS_IN_HEAD.search(body) or BARE_HEAD.fullmatch(body):
        return org
    return Mention(org.article, org.start, org.start + len(body), body, "ORG", org.source + "+body")


def _membership(person: Mention, org: Mention, chain: str, rule: str) -> Iterator[Found]:
    org = _body_of(org)
    yield person, "memberOf", org, rule
    if _is_head(chain):
        yield person, "leads", org, rule


@pattern
def title_after_org(text, s, e, ms):
    """ORG(的)TITLE PER: 吉林恒信铝业董事长王建国, 省射击队队员李雪; then 、TITLE PER for the same ORG."""
    for i, org in enumerate(ms):
        if org.label != "ORG":
            continue
        k = i + 1
        while k < len(ms) and ms[k].start < org.end:
            k += 1
        if k >= len(ms) or ms[k].label != "PER" or _FORMER.search(text[max(s, org.start - 2) : org.start]):
            continue
        if _FORMER_LIST.search(text, _clause_start(text, s, org.start), org.start):
            continue  # 原中共浙江省委常委、杭州市委书记王国平: 原 covers the whole list
        chain = _gap(text, org, ms[k])
        unit = _SUB_UNIT.match(chain)
        if _TITLE_CHAIN.fullmatch(chain):
            yield from _membership(ms[k], org, chain, "title-after-org")
        elif unit and _TITLE_CHAIN.fullmatch(chain, unit.end()):
            # 吉林农业大学植物保护学院教授宋德明: a member; a head of the unit does not head the ORG
            yield ms[k], "memberOf", org, "title-after-org"
        elif chain == "的" and _TITLE_RE.match(text, ms[k].end) and not _NAME_GOES_ON.match(text, ms[k].end):
            # 梅河口市中心医院的刘红医生
            t = _TITLE_RE.match(text, ms[k].end)
            yield from _membership(ms[k], org, t.group(), "title-after-org")
            continue
        else:
            continue
        # 院长陈卫东、护士长王芳: the next title + person belongs to the same organisation
        while k + 1 < len(ms) and ms[k + 1].label == "PER":
            nxt = _gap(text, ms[k], ms[k + 1])
            m = re.fullmatch(f"、({_TITLE_CHAIN.pattern})", nxt)
            if not m or _GOV_HEAD.fullmatch(m.group(1)) and "政府" not in org.text:
                break  # 省委书记景海、省长韩立新: the governor heads the government, not the 省委
            k += 1
            yield from _membership(ms[k], org, m.group(1), "title-after-org")


# A head of government before a person, with no organisation written. After a division, the
# division's 人民政府: 吉林省省长胡玉亭, 吉林省长胡玉亭, 长春市副市长周明 (Chinese divisions only, so
# not 纽约市长). Bare, the home government, which `kg.resolve.deixis_name` names from the home
# province or city (no node without one): 省长胡玉亭, 省委副书记、代省长胡玉亭, 由副市长周明主持,
# 胡玉亭任省长; not after any other word (全省长, 县市长). Never for a former holder (原省长).
_GOV_HEAD = re.compile("(?P<vice>副|代)?(?P<level>[省市县区州旗盟镇乡])?长")
_HOME_HEAD = re.compile(f"(?:^|(?<=[^{_HAN}])|(?<=[由和与及同跟对向请是为任]))(?P<title>(?P<vice>副|代)?[省市]长)$")
# Verbs that give a person a post: 任, 出任, 当选为 (胡玉亭任省长; appointed_as: 张志刚出任通化市文旅局局长)
_APPOINT = "(?:现)?(?:担任|出任|兼任|升任|调任|当选为?|任)"
_APPOINTED_HEAD = re.compile(_APPOINT + "(?P<title>(?P<vice>副|代)?[省市]长)(?![^，,。；;、])")


def _government_of(place: Mention, level: str | None) -> str | None:
    """吉林省 (or 吉林 before 省长) -> 吉林省人民政府; None unless a division of that level."""
    name = place.text if not level or place.text.endswith(level) else place.text + level
    if name[-1] not in "省市县区州旗盟":
        return None
    gaz = Gazetteer.load()
    if not gaz.is_place_name(name):
        return None
    p = gaz.lookup(name)
    return f"{p.name if p is not None else name}人民政府"


@pattern
def government_head(text, s, e, ms):
    """PLACE(省|市…)长 PER and a bare (副|代)省长/市长 PER: the government's head, or a member."""
    for i, per in enumerate(ms):
        if per.label != "PER":
            continue
        place = ms[i - 1] if i and ms[i - 1].label == "LOC" else None
        m = _GOV_HEAD.fullmatch(text, place.end, per.start) if place else None
        if m:
            name = _government_of(place, m.group("level"))
            if name is None or _FORMER.search(text[max(s, place.start - 2) : place.start]):
                continue
            gov = Mention(per.article, place.start, per.start, name, "ORG", "rule:title")
            rule = "place-government-head"
            yield gov, "locatedIn", place, rule
        else:
            m = _HOME_HEAD.search(text, max(s, per.start - 3), per.start)
            if m and (any(x.end == m.start() for x in ms) or _FORMER.search(text[max(s, m.start() - 2) : m.start()])):
                continue
            m = m or _APPOINTED_HEAD.match(text, per.end, e)  # 胡玉亭任省长
            if not m:
                continue
            gov = Mention(per.article, m.start("title"), m.end("title"), m.group("title"), "ORG", "rule:deixis")
            rule = "home-government-head"
        yield per, "memberOf", gov, rule
        if m.group("vice") != "副":
            yield per, "leads", gov, rule


@pattern
def appointed_as(text, s, e, ms):
    """PER担任/出任/任ORG TITLE; PER，ORG TITLE (apposition); then ，PER任TITLE for the same ORG."""
    for i, per in enumerate(ms[:-1]):
        if per.label != "PER":
            continue
        org = ms[i + 1]
        if org.label != "ORG":
            continue
        verb = _gap(text, per, org)
        if not re.fullmatch(f"{_APPOINT}|[，,]", verb):
            continue
        end = _clause_end(text, e, org.end)
        m = _TITLE_CHAIN.match(text, org.end, end)
        if not m or m.end() != end and not re.match("[以至后时期间，,。；]|的?职务|一职", text[m.end() : m.end() + 2]):
            continue
        yield from _membership(per, org, m.group(), "appointed-as")
        # 高建军任X党委书记，王建国任总经理
        rest = ms[i + 2 :]
        if rest and rest[0].label == "PER" and re.fullmatch("[，,、]", text[end : rest[0].start]):
            m2 = re.match(f"(?:担任|出任|兼任|任)({_TITLE_CHAIN.pattern})", text[rest[0].end : e])
            if m2:
                yield from _membership(rest[0], org, m2.group(1), "appointed-as")


@pattern
def is_title_of(text, s, e, ms):
    """PER是ORG的(一名)TITLE: 赵雅文是吉林省图书馆的一名馆员 (not 曾是)."""
    for i, per in enumerate(ms[:-1]):
        org = ms[i + 1]
        if per.label != "PER" or org.label != "ORG":
            continue
        if not re.fullmatch("(?:现在|目前|现|也|还)?是", _gap(text, per, org)):
            continue
        m = _TITLE_CHAIN.match(text, org.end, _clause_end(text, e, org.end))
        if m and m.group().startswith("的"):
            yield from _membership(per, org, m.group(), "is-title-of")


@pattern
def works_at(text, s, e, ms):
    """PER…到/在/进入ORG工作/任职; PER加入ORG: the nearest person before is a member."""
    for i, org in enumerate(ms):
        if org.label != "ORG":
            continue
        before = text[max(s, org.start - 2) : org.start]
        joined = re.search("(?:加入|入职)$", before)
        works = re.search("(?:到|在|进入)$", before) and re.match("(?:工作|任职|就职|上班)", text[org.end : org.end + 2])
        if not (joined or works):
            continue
        k = _last_before(ms, org.start, ("PER",), max(s, org.start - 40))
        if k is not None:
            yield ms[k], "memberOf", org, "works-at"


@pattern
def made_up_of(text, s, e, ms):
    """由A、B和C(等5名队员)组成的ORG: the people listed make up the team or body, each a member."""
    for t in re.finditer(f"(?:等(?:[0-9一二三四五六七八九十百多余]+[名位个][{_HAN}]{{0,3}}?)?)?(?:共同)?组成的", text[s:e]):
        a, b = s + t.start(), s + t.end()
        k = _first_after(ms, b, ("ORG",), e)
        j = _last_before(ms, a, ("PER",), s)
        if k is None or ms[k].start != b or j is None or ms[j].end != a:
            continue
        for per in _run_back(text, ms, j, ("PER",)):
            yield per, "memberOf", ms[k], "made-up-of"


@pattern
def comes_from(text, s, e, ms):
    """来自ORG的PER: 来自长春理工大学的郭晨阳 (not 来自延边的…: a place is not an employer)."""
    for i, org in enumerate(ms[:-1]):
        if org.label != "ORG" or not text[max(s, org.start - 2) : org.start] == "来自":
            continue
        nxt = ms[i + 1]
        gap = _gap(text, org, nxt)
        if nxt.label == "PER" and re.fullmatch(f"的(?:{_TITLE_CORE})?", gap):
            yield nxt, "memberOf", org, "comes-from"


@pattern
def leads_delegation(text, s, e, ms):
    """PER率领/带领ORG: the person heads it (王海涛率领吉林省代表团)."""
    for i, per in enumerate(ms[:-1]):
        org = ms[i + 1]
        if per.label == "PER" and org.label == "ORG" and re.fullmatch("(?:率领|带领|率)", _gap(text, per, org)):
            yield per, "leads", org, "leads-delegation"
            yield per, "memberOf", org, "leads-delegation"


# --- locatedIn --------------------------------------------------------------------------------

# A place name at the start of an organisation's name: 长春市|交通运输局, 吉林省|科技厅.
# Past its first character a division's name holds no other division's tail: 朝阳区|红旗街道,
# not the banner 朝阳区红旗 (市中区 is a district).
_NAME_HAN = f"[{_HAN}](?:(?![省市县区州盟旗])[{_HAN}])"
_PLACE_PREFIX = re.compile(
    f"(?!中国|中华|国家|国网|全国|中共|中央)"
    f"(?:(?:(?![省市])[{_HAN}]){{2,8}}?(?:自治州|自治县|自治旗)"
    f"|{_NAME_HAN}{{1,2}}?省|{_NAME_HAN}{{1,3}}?(?:市|县|州|盟|旗)|{_NAME_HAN}{{1,9}}?区"
    # banners of five or six characters (阿鲁科尔沁旗, 科尔沁右翼前旗), checked in the gazetteer
    f"|[{_HAN}]{{5,6}}?旗)"
    f"(?![{_HAN}]{{0,1}}$)"
)
# An organisation's own name is not a place: 东北师范大学净月校区…
_ORG_WORD = re.compile("大学|学院|学校|中学|小学|公司|集团|中心|协会|银行|医院|研究")
# Words that make the suffix part of a longer word: 市场, 县域, 区域, 州立
_NOT_AFTER_PREFIX = re.compile("场|域|级|委|长|属|内|外|直")
_TEMPORARY_BODIES = re.compile("(?:代表团|考察团|调研组|工作组|代表队|观察团)$")
_CHAIN_OK_BEFORE = re.compile("(?:来自|飞往|前往|开往|到|至|赴|从|去|往|离开|回到|返回)$")


def place_prefixes(article: str, org: Mention) -> list[Mention]:
    """The places an organisation's name starts with (四平市|铁东区|人民法院), as nested LOC mentions;
    for a development zone (a LOC), the place it is named after (延吉|高新区)."""
    if org.label == "LOC":
        return _zone_place(article, org)
    if org.label != "ORG" or _TEMPORARY_BODIES.search(org.text):
        return []
    places: list[Mention] = []
    pos = 0
    while True:
        m = _PLACE_PREFIX.match(org.text, pos)
        if not m or _ORG_WORD.search(m.group()):
            return places
        # 省长, 市场, 县域 (but 吉林省|长春市: a place name that starts with 长)
        if _NOT_AFTER_PREFIX.match(org.text, m.end()) and not _starts_with_place(org.text[m.end() :]):
            return places
        # every banner (旗) and league (盟) is in the gazetteer; 一汽红旗, 中韩联盟 are none
        if m.group()[-1] in "旗盟" and not Gazetteer.load().is_place_name(m.group()):
            return places
        places.append(Mention(article, org.start + pos, org.start + m.end(), m.group(), "LOC", "rule:place-prefix"))
        pos = m.end()


def _starts_with_place(text: str) -> bool:
    """Whether `text` starts with a division's name (长春, 长白朝鲜族自治县)."""
    return len(Gazetteer.load().split(text)[0]) >= 2


def _zone_place(article: str, zone: Mention) -> list[Mention]:
    # a zone the gazetteer lists whole (长春汽车经济技术开发区) has its place from the gazetteer's tree
    if not ZONE_END.search(zone.text) or Gazetteer.load().is_place_name(zone.text):
        return []
    prefix, _, rest = Gazetteer.load().split(zone.text)  # the longest leading division name
    if len(prefix) < 2 or not rest:
        return []
    return [Mention(article, zone.start, zone.start + len(prefix), prefix, "LOC", "rule:place-prefix")]


def _place_chain(text: str, ms: list[Mention], k: int) -> list[Mention]:
    """ms[k] (a LOC) and the LOCs written right after it with nothing between: 吉林市龙潭区.

    Not 中俄朝: one-character abbreviations are lists of countries, not a chain.
    """
    chain = [ms[k]]
    for m in ms[k + 1 :]:
        if m.label == "LOC" and m.start == chain[-1].end and min(len(m.text), len(chain[-1].text)) >= 2:
            chain.append(m)
        else:
            break
    return chain


@pattern
def place_chain(text, s, e, ms):
    """LOC LOC with nothing between: the inner place is in the outer one (白城市洮北区)."""
    for a, b in zip(ms, ms[1:]):
        # not 中美, 日韩: one-character abbreviations are lists of countries; nor 图们江鸭绿江,
        # 泰山华山: two rivers or two mountains are a list (but 长白山天池, 黑龙江哈尔滨)
        if a.label == "LOC" and b.label == "LOC" and a.end == b.start and min(len(a.text), len(b.text)) >= 2:
            if a.text[-1] == b.text[-1] and a.text[-1] in "江河湖山峰岛":
                continue
            yield b, "locatedIn", a, "place-chain"


@pattern
def place_before_org(text, s, e, ms):
    """LOC(的)ORG, LOC的LOC: 辽源市的吉林启星铝业, 敦化市吉林敖东药业集团 (not 来自延边的…, 飞往延吉的…)."""
    for k, loc in enumerate(ms):
        if loc.label != "LOC" or (k and ms[k - 1].label == "LOC" and ms[k - 1].end == loc.start):
            continue
        chain = _place_chain(text, ms, k)
        j = k + len(chain)
        if j >= len(ms) or (ms[j].label, _gap(text, chain[-1], ms[j])) not in (("ORG", ""), ("ORG", "的"), ("LOC", "的")):
            continue
        if _CHAIN_OK_BEFORE.search(text[max(s, loc.start - 2) : loc.start]):
            continue
        for place in chain:
            yield ms[j], "locatedIn", place, "place-before-org"


@pattern
def located_at(text, s, e, ms):
    """X位于/地处/坐落于LOC(LOC): 吉林启星铝业位于辽源市, 查干湖位于松原市前郭尔罗斯蒙古族自治县."""
    for i, x in enumerate(ms[:-1]):
        if x.label not in ("ORG", "LOC"):
            continue
        k = i + 1
        if ms[k].label != "LOC":
            continue
        if not re.fullmatch("(?:总部)?(?:位于|地处|坐落于|坐落在|座落于|地处于|设在|落户|落户于)", _gap(text, x, ms[k])):
            continue
        if len(ms[k].text) < 2:
            continue  # 位于中俄朝三国交界地带: one-character abbreviations of countries
        for place in _place_chain(text, ms, k):
            yield x, "locatedIn", place, "located-at"


# A facility opened or finished somewhere is there: 一汽红旗新能源汽车工厂在长春…正式投产.
_FACILITY = re.compile("(?:工厂|厂|基地|产业园|园区|中心|分院|分公司|分行|门店|旗舰店)$")
# the verb soon after the place (在长春汽车经济技术开发区正式投产)
_OPENED = re.compile(f"[{_HAN}]{{0,16}}?(?:投产|开工|建成|落成|开业|揭牌|启用|竣工|运营|开园|开馆)")


@pattern
def opened_at(text, s, e, ms):
    """FACILITY在LOC(…)(正式)投产/建成/揭牌: the facility (an organisation by its head: 工厂, 基地,
    分院) is in the place and each place of its chain."""
    for i, x in enumerate(ms[:-1]):
        if x.label != "ORG" or not _FACILITY.search(x.text) or ms[i + 1].label != "LOC":
            continue
        chain = _place_chain(text, ms, i + 1)
        if _gap(text, x, chain[0]) not in ("在", "于") or len(chain[0].text) < 2:
            continue
        end = _clause_end(text, e, chain[-1].end)
        if _OPENED.match(text, chain[-1].end, end):
            for place in chain:
                yield x, "locatedIn", place, "opened-at"


@pattern
def headquartered_in(text, s, e, ms):
    """总部设在/位于LOC的ORG: 总部设在长春的中国一汽."""
    for k, loc in enumerate(ms):
        if loc.label != "LOC" or not re.search("总部(?:设在|位于|在)$", text[max(s, loc.start - 4) : loc.start]):
            continue
        chain = _place_chain(text, ms, k)
        j = k + len(chain)
        if j < len(ms) and ms[j].label == "ORG" and _gap(text, chain[-1], ms[j]) == "的":
            for place in chain:
                yield ms[j], "locatedIn", place, "headquartered-in"


@pattern
def is_capital_of(text, s, e, ms):
    """X是LOC的省会/首府/唯一的…: 长春市是吉林省的省会."""
    for i, x in enumerate(ms[:-1]):
        loc = ms[i + 1]
        if x.label not in ("ORG", "LOC") or loc.label != "LOC":
            continue
        if _gap(text, x, loc) != "是" and not re.fullmatch("[^，,。；]{0,12}，?是", _gap(text, x, loc)):
            continue
        if not re.fullmatch("(?:据了解|据介绍|目前|如今|其中)?[，,]?", text[_clause_start(text, s, x.start) : x.start]):
            continue  # 坐落在长春市净月区，是…: x is not the subject
        if re.match("的?(?:省会|首府|首都|下辖|所辖|辖区|唯一|最大的|首个|首家)", text[loc.end : loc.end + 4]):
            yield x, "locatedIn", loc, "is-capital-of"


# --- partOf -----------------------------------------------------------------------------------

@pattern
def enumeration(text, s, e, ms):
    """X包括A、B…和J / X包括实施A、B / “五大工程”，即A、B…: every item of the same kind is part of X."""
    for i, whole in enumerate(ms[:-1]):
        if whole.label not in ("PRG", "ORG"):
            continue
        gap = _gap(text, whole, ms[i + 1])
        if not re.fullmatch(
            f"[{_CLOSE_Q}]?[，,]?(?:主要)?(?:包括|包含|涵盖|分为|下设|即|分别是|分别为|具体是|具体为)(?:实施|开展)?[:：]?[{_OPEN_Q}]?",
            gap,
        ):
            continue
        for part in _runs_forward(text, ms, i + 1, (whole.label,)):
            if part.label == whole.label:
                yield part, "partOf", whole, "enumeration"


@pattern
def one_of(text, s, e, ms):
    """A是/作为B的(重要)组成部分/…之一: 双千工程是十大跃升行动的重要内容之一."""
    for i, part in enumerate(ms[:-1]):
        if part.label != "PRG":
            continue
        end = _clause_end(text, e, part.end)
        m = re.compile(f"[{_CLOSE_Q}]?(?:是|作为|成为|列为|属于)").match(text, part.end, end)
        if not m:
            continue
        for k in range(i + 1, len(ms)):
            whole = ms[k]
            if whole.end > end:
                break
            if whole.label != "PRG":
                continue
            tail = text[whole.end : min(end, whole.end + 14)]
            if re.match(f"[{_CLOSE_Q}]?[{_HAN}]{{0,8}}?(?:之一|组成部分|一部分|子项|重要内容|重要举措)", tail):
                yield part, "partOf", whole, "one-of"
                break


@pattern
def among_them(text, s, e, ms):
    """…B…，其中A…: A is one of B (我省实施“十大工程”，其中“数字吉林建设工程”…)."""
    for m in re.finditer(f"[，,](?:其中|这其中)(?:的|，|,|包括|包含|有)?[{_OPEN_Q}]?", text[s:e]):
        pos = s + m.end()
        # programmes only: in lists of companies 其中 picks examples, not units (其中中信证券跌幅居前)
        k = _first_after(ms, pos, ("PRG",), e)
        if k is None or ms[k].start != pos:
            continue
        j = _last_before(ms, s + m.start(), ("PRG",), s)
        if j is None:
            continue
        for part in _runs_forward(text, ms, k, ("PRG",)):
            yield part, "partOf", ms[j], "among-them"


@pattern
def within_programme(text, s, e, ms):
    """在B中，A…: 在“十大跃升行动”中，科技成果转化跃升行动最受关注."""
    for i, whole in enumerate(ms[:-1]):
        if whole.label != "PRG" or not re.search(f"在[{_OPEN_Q}]?$", text[max(s, whole.start - 2) : whole.start]):
            continue
        nxt = ms[i + 1]
        if nxt.label == "PRG" and re.fullmatch(f"[{_CLOSE_Q}]?(?:中|当中|里)[，,][{_OPEN_Q}]?", _gap(text, whole, nxt)):
            yield nxt, "partOf", whole, "within-programme"


@pattern
def subsidiary(text, s, e, ms):
    """B旗下/下属(的)A, B的子公司A, A隶属于B, A是B旗下的…/的子公司: A is part of B.

    Not 所属: A所属的B is the B that A belongs to as often as a unit of A.
    """
    for i, a in enumerate(ms[:-1]):
        b = ms[i + 1]
        if a.label != "ORG" or b.label != "ORG":
            continue
        gap = _gap(text, a, b)
        after_b = text[b.end : b.end + 10]
        # B旗下的A / B下属的A / B的子公司A / B研发总院下属的A
        if re.fullmatch(f"(?:[^和与及、，,]{{0,6}}?(?:旗下|下属|直属))的?|的(?:全资|控股)?(?:子公司|分公司|下属企业|下属单位)", gap):
            yield b, "partOf", a, "subsidiary"
        # A隶属于B / A是B旗下的 / A是B的全资子公司
        elif re.fullmatch("(?:是|为|系)?(?:隶属于|隶属|从属于|归属于)", gap) or (
            re.fullmatch("(?:是|为|系)", gap)
            and re.match("(?:旗下|下属|直属|的(?:全资|控股)?(?:子公司|分公司|下属))", after_b)
        ):
            yield a, "partOf", b, "subsidiary"


# --- cooperatesWith ---------------------------------------------------------------------------

_AGREEMENT = re.compile(
    "签订|签署|签约|签下|合作|携手|牵手|联手|战略协议|框架协议|备忘录|结为|结成|共建|"
    "(?:联合|共同)(?:出资)?(?:建设|成立|组建|设立|攻关|推出|实施|开发|研发|打造|完成|主办|举办|承办|发起|"
    "创办|申报|出资|投资|宣布|发布|开展|推进|运营)"
)
_TALKS = re.compile("谈判|接洽|磋商|洽谈|商谈|意向|寻找|传闻")
_FAILED = re.compile(f"(?:{_NEG})(?:能|再)?(?:达成|签|续签|签订|签署|合作)")
_PARTNER_VERB = "携手|牵手|联手|联姻"
_PARTNER_GAP = re.compile(
    "(?:上月|本月|近日|日前|今天|昨天|今年|去年|此前|还|也|将|已|正式|再次|首次|分别|[0-9]+月[0-9]+日)*"
    f"(?:分别)?(?:与|和|同|跟|{_PARTNER_VERB})"
)


@pattern
def cooperation(text, s, e, ms):
    """A与B(、C)签订/合作/联合…; A、B和C三方签署; A、B与C签约 (A-C, B-C): organisations that work together."""
    used: set[int] = set()
    for i, a in enumerate(ms):
        if a.label != "ORG" or i in used:
            continue
        # the whole list of organisations starting at a, with its separators
        run = [a]
        seps: list[str] = []
        for m in ms[i + 1 :]:
            if m.start < run[-1].end:
                continue
            gap = _gap(text, run[-1], m)
            sep = _SEP.fullmatch(gap)
            pg = _PARTNER_GAP.fullmatch(gap)
            if m.label == "ORG" and (sep or pg):
                run.append(m)
                verb = re.search(f"(?:{_PARTNER_VERB})$", gap)
                seps.append(sep.group(1) if sep else ("携手" if verb else "与"))
            else:
                break
        if len(run) < 2:
            continue
        used.update(_index(ms, m) for m in run)
        end = _clause_end(text, e, run[-1].end)
        tail = text[run[-1].end : min(e, run[-1].end + 24)]
        paired = any(sep in _SEP_PAIRED or sep == "携手" for sep in seps)
        joined_by_verb = "携手" in seps
        trig = _AGREEMENT.search(tail)
        if not joined_by_verb:
            if not trig:
                continue
            before_trig = tail[: trig.start()]
            if re.search(f"{_NEG}", before_trig) or _TALKS.search(before_trig):
                continue
            # a trigger in a later clause counts only for 双方/两者 coming back to the pair
            if run[-1].end + trig.start() > end and not re.search("双方|两家|三方|各方|两者", before_trig):
                continue
            if not paired:
                together = re.search("双方|三方|四方|多方|各方|共同|联合|合资|彼此|互相|相互", tail)
                # 公司与B、C签约: B and C are both partners of someone else
                if re.search(f"(?:与|同|和|跟|{_PARTNER_VERB})$", text[max(s, run[0].start - 2) : run[0].start]):
                    continue
                # A和B未能与C签订 / A、B等也与集团签署: co-subjects of a deal with a third party
                if re.search("与|同|跟|向|对", before_trig) and not together:
                    continue
                # 建设银行、中信银行等N家银行推出…合作业务: each on its own
                if re.match("等", tail) and not together:
                    continue
        if _FAILED.search(text[run[-1].end : e]) and not re.match(f"[{_CLOSE_Q}]?的(?:合作|战略)", tail):
            continue
        if paired:
            cut = next(k for k, sep in enumerate(seps) if sep in _SEP_PAIRED or sep == "携手") + 1
            left, right = run[:cut], run[cut:]
            pairs = [(x, y) for x in left for y in right]
        else:
            pairs = [(x, y) for k, x in enumerate(run) for y in run[k + 1 :]]
        rule = "agreement-trigger" if joined_by_verb or re.match("签|合作|携手|牵手|联手|战略|框架|备忘", trig.group()) else "joint-action"
        for x, y in pairs:
            yield x, "cooperatesWith", y, rule


# --- organizer --------------------------------------------------------------------------------

_HOST = re.compile("(?:共同|联合)?(?:主办|承办|协办|举办|组织开展|组织|发起|筹办)")


@pattern
def organizer(text, s, e, ms):
    """由A、B主办，C承办的EVT; EVT由A主办; A举办/组织开展EVT: each host organises the event."""
    events = [m for m in ms if m.label == "EVT"]
    if not events:
        return
    for i, m in enumerate(ms):
        if m.label != "ORG":
            continue
        if i and ms[i - 1].label == "ORG" and _SEP.fullmatch(_gap(text, ms[i - 1], m)):
            continue  # inside a run: handled from its first member
        run = [x for x in _runs_forward(text, ms, i, ("ORG",)) if x.label == "ORG"]
        after = text[run[-1].end : e]
        host = re.match(f"(?:将于[^，,。；]{{0,8}}?|日前|近日|今天|昨天|今年|在[^，,。；]{{0,10}}?)*{_HOST.pattern}", after)
        if not host:
            continue
        pos = run[-1].end + host.end()
        by = text[max(s, run[0].start - 1) : run[0].start] == "由"
        # 由A主办、B承办的EVT / A承办的EVT / A举办EVT: the next event; EVT由A主办: the one before.
        nxt = next((ev for ev in events if ev.start >= pos), None)
        prev = next((ev for ev in reversed(events) if ev.end <= run[0].start), None)
        between = text[pos : nxt.start] if nxt else ""
        # 主办的EVT, 举办了EVT, 主办，C承办的EVT
        if nxt and re.fullmatch(f"(?:了|的|[、，,][^。；;]*?(?:{_HOST.pattern})的)?[{_OPEN_Q}]?", between):
            event = nxt
        elif prev is not None and (by or re.search("会议|活动|比赛|赛事", text[prev.end : run[0].start])):
            event = prev
        elif nxt and not by and _no_clause_break(between) and len(between) <= 6:
            event = nxt
        else:
            continue
        rule = "hosted-by" if event is prev else "host-trigger"
        for org in run:
            yield event, "organizer", org, rule


# An event's organising committee, named after it: 长春国际马拉松组委会 organises 长春国际马拉松. The
# event is found in the committee's name by the event rules (kg.rules) and, like the place at the
# start of an organisation's name, becomes a nested mention (`kg entities` lists it as nested too).
def committee_event(article: str, org: Mention) -> Mention | None:
    """The event an organising committee is named after (长春国际马拉松|组委会), as a nested EVT mention."""
    span = rule_committee_event(org.text) if org.label == "ORG" else None
    if span is None:
        return None
    s, e = span
    return Mention(article, org.start + s, org.start + e, org.text[s:e], "EVT", "rule:committee")


# --- location ---------------------------------------------------------------------------------

_HELD = "召开|举行|举办|开幕|闭幕|收官|落幕|开赛|启幕|开展|进行|开跑|拉开帷幕|落下帷幕|揭幕|鸣枪"


@pattern
def event_location(text, s, e, ms):
    """EVT…在LOC(…)召开/举行/收官; EVT落户LOC; 在LOC举行的EVT."""
    for k, loc in enumerate(ms):
        if loc.label != "LOC" or (k and ms[k - 1].label == "LOC" and ms[k - 1].end == loc.start):
            continue
        chain = _place_chain(text, ms, k)
        before = text[max(s, loc.start - 3) : loc.start]
        if re.search("(?:落户|移师)于?$", before):
            verb_end = chain[-1].end
        else:
            # 在LOC召开, 于LOC开幕, 在LOC北大湖滑雪度假区开幕: a held-verb soon after the place
            held = re.match(f"[^，,。；;]{{0,10}}?(?:{_HELD})", text[chain[-1].end : e])
            if not (before.endswith(("在", "于")) and held):
                continue
            verb_end = chain[-1].end + held.end()
        # the event: right after 在LOC举行的 (LOC before EVT), or the nearest one before in the clause
        nxt = _first_after(ms, verb_end, ("EVT",), e)
        if nxt is not None and re.fullmatch(f"(?:的|了)?[{_OPEN_Q}]?", text[verb_end : ms[nxt].start]):
            for place in chain:
                yield ms[nxt], "location", place, "held-in-before"
            continue
        lo = _clause_start(text, s, loc.start)
        j = _last_before(ms, loc.start, ("EVT",), lo)
        if j is None:
            continue
        gap = text[ms[j].end : loc.start]
        if re.search("(?:结束|闭幕|之后|后|前|期间|以来)[，,]?", gap) and not re.search("在$", gap):
            continue
        for event in _run_back(text, ms, j, ("EVT",)):  # A和B在LOC开赛: every event of the list
            for place in chain:
                yield event, "location", place, "held-in"


# --- participant ------------------------------------------------------------------------------

_ATTEND = (
    "报名参加|组队参加|参加|出席|参与|参赛|参展|参会|亮相|出征|征战|列席|应邀出席|代表.{0,4}出席|"
    "致辞|讲话|发言|作报告"
)
# 参赛选手, 参展商品: the verb used as a modifier of a noun
_ATTEND_AS_NOUN = re.compile("选手|队伍|人员|运动员|作品|项目|资格|名额|商品|企业|单位|商|者|代表")
_SPEECH = re.compile("致辞|讲话|发言|作报告")
# 夺得8枚金牌, 获得冠军, 位列团体第一: a result at a competition named earlier in the sentence
_RESULT = re.compile(
    "(?:以[^，,。；]{1,12}?)?(?:夺得|获得|摘得|斩获|荣获|收获|获|位列|位居|名列)"
    "[^，,。；]{0,6}?(?:[0-9０-９一二三四五六七八九十两]+枚|金牌|银牌|铜牌|冠军|亚军|季军|第[一二三四五六七八]|一等奖|金奖|银奖|铜奖)"
)
_AT_EVENT_VERBS = (
    "夺得|获得|摘得|斩获|荣获|收获|获|夺冠|位列|排名|战胜|击败|不敌|负于|打入|发言|讲话|致辞|强调|指出|"
    "表示|签订|签署|签约|展示|发布|亮相|入选"
)
_OPPONENT = re.compile("(?:[0-9０-９]+比[0-9０-９]+)?(?:战胜|击败|不敌|负于|输给|逼平|战平)$")


def _agents_before(text: str, ms: list[Mention], pos: int, lo: int, max_gap: int) -> list[Mention]:
    """The PER/ORG list that is the subject of a verb at `pos`: nearest run before it in the clause."""
    k = _last_before(ms, pos, ("PER", "ORG", "LOC"), lo)
    while k is not None and text[max(lo, ms[k].start - 1) : ms[k].start] == "在":
        k = _last_before(ms, ms[k].start, ("PER", "ORG", "LOC"), lo)  # 在全省: where, not who
    if k is None:
        return []
    gap = text[ms[k].end : pos]
    if len(gap) > max_gap or not _no_clause_break(gap) or any(m.start >= ms[k].end and m.end <= pos for m in ms if m.label == "EVT"):
        return []
    run = _run_back(text, ms, k, ("PER", "ORG", "LOC"))
    # 总经理赵永强、副总经理孙海波: people listed with their titles
    while run[0].label == "PER":
        p = _index(ms, run[0])
        if not p or ms[p - 1].label != "PER" or not re.fullmatch(f"、{_TITLE_CORE}", _gap(text, ms[p - 1], run[0])):
            break
        run.insert(0, ms[p - 1])
    # 王海涛率领吉林省代表团: the leader takes part too
    first = _index(ms, run[0])
    if first and ms[first - 1].label == "PER" and re.fullmatch("率领|带领|率", _gap(text, ms[first - 1], run[0])):
        run.insert(0, ms[first - 1])
    return [m for m in run if m.label in ("PER", "ORG")]


@pattern
def attends(text, s, e, ms):
    """A(、B)参加/出席/参展/亮相EVT; EVT…吸引A、B参赛; EVT…，PER出席开幕式: the agents take part."""
    events = [m for m in ms if m.label == "EVT"]
    if not events:
        return
    for t in re.finditer(_ATTEND, text[s:e]):
        a, b = s + t.start(), s + t.end()
        lo = _clause_start(text, s, a)
        if re.search(f"(?:{_NEG})[^，,。]{{0,2}}$", text[lo:a]) or _ATTEND_AS_NOUN.match(text, b):
            continue
        agents = _agents_before(text, ms, a, lo, 16)
        if not agents:
            continue
        nxt = _first_after(ms, b, ("EVT",), _clause_end(text, e, b))
        if nxt is not None and len(text[b : ms[nxt].start]) <= 12 and not _SPEECH.fullmatch(t.group()):
            event, rule = ms[nxt], "attends"
        else:
            prev = _last_before(ms, agents[0].start, ("EVT",), s)
            if prev is None:
                continue
            event, rule = ms[prev], "attends-earlier-event"
        for agent in agents:
            yield event, "participant", agent, rule


@pattern
def wins_at_earlier_event(text, s, e, ms):
    """EVT…，A以…成绩位列第一 / A获得8枚金牌: a result at the competition named before in the sentence."""
    for t in _RESULT.finditer(text, s, e):
        lo = _clause_start(text, s, t.start())
        agents = _agents_before(text, ms, t.start(), lo, 3)
        if not agents or re.search(f"(?:{_NEG})[能再]?$|为$|替$|帮$", text[lo : agents[0].start]):
            continue  # 没能为阿根廷国家队夺得…
        prev = _last_before(ms, agents[0].start, ("EVT",), s)
        if prev is None or ms[prev].end > lo or text[max(s, ms[prev].start - 1) : ms[prev].start] == "在":
            continue  # same clause or 在EVT上: at_event's business
        if re.search("目前|至今|累计|生涯|此前|历史上|迄今", text[ms[prev].end : t.start()]):
            continue  # 目前，刘诗雯获得6个世界单打冠军: a career record, not a result at the event
        for agent in agents:
            yield ms[prev], "participant", agent, "wins-at-earlier-event"


@pattern
def at_event(text, s, e, ms):
    """A在EVT上/中夺得/发言…; 在EVT上，A与B签订…; A在EVT中不敌B: the agents (and the opponent) take part."""
    for i, ev in enumerate(ms):
        if ev.label != "EVT" or text[max(s, ev.start - 1) : ev.start] != "在":
            continue
        m = re.match(f"(?:[{_HAN}]{{0,8}}?(?:比赛|决赛|半决赛|预赛|项目|赛场|分会场))?(?:上|中|期间|现场)[，,]?", text[ev.end : ev.end + 14])
        if not m:
            continue
        pos = ev.end + m.end()
        end = _clause_end(text, e, pos)
        verb = re.compile(f"[^，,。；]*?({_AT_EVENT_VERBS})").match(text, pos, end)
        if not verb:
            continue
        agents: list[Mention] = []
        lo = _clause_start(text, s, ev.start)
        before = _agents_before(text, ms, ev.start - 1, lo, 4)
        agents += before
        # 在EVT上，A与B签订: the names between the event and the verb
        agents += [x for x in ms if x.label in ("PER", "ORG") and pos <= x.start and x.end <= verb.start(1)]
        # A在EVT中0比2不敌B: the opponent
        k = _first_after(ms, verb.end(1), ("ORG", "PER"), end)
        if k is not None and _OPPONENT.search(text[pos : verb.end(1)]) and ms[k].start - verb.end(1) <= 1:
            agents.append(ms[k])
        for agent in agents:
            yield ev, "participant", agent, "at-event"


@pattern
def at_event_mentioned_before(text, s, e, ms):
    """EVT…，A在本次比赛中表现出色: 本次/这次/本届 + event noun points back at the event named before."""
    for t in re.finditer(
        "在(?:本次|这次|此次|本届|该)(?:比赛|赛事|大赛|锦标赛|冠军赛|联赛|大会|会议|论坛|博览会|活动)(?:中|上|期间)", text[s:e]
    ):
        a = s + t.start()
        lo = _clause_start(text, s, a)
        agents = _agents_before(text, ms, a, lo, 2)
        if not agents:
            continue
        prev = _last_before(ms, agents[0].start, ("EVT",), s)
        if prev is None:
            continue
        for agent in agents:
            yield ms[prev], "participant", agent, "at-event-mentioned-before"


# --- implements -------------------------------------------------------------------------------

# A place followed by the rest of an organisation's name: 吉林省|工业和信息化厅, 白山市|人民政府
_UNNAMED_BODY = re.compile(
    f"[{_HAN}]{{1,12}}?(?:局|厅|委|委员会|政府|办公厅|办公室|部|院|所|中心|公司|集团|大学|学校|协会|银行|医院|队)"
    "(?:等|共同|联合|正式|近日|日前|今年|将|已|还)*"
)
_LAUNCH = (
    "启动实施|启动|实施|推进|落实|推行|开展|推出|出台|制定|印发|推广|深化|执行|部署|发布|全面推行"
)


@pattern
def implements(text, s, e, ms):
    """A(、B)…启动/实施/推进/出台…PRG: the agents (organisations or places) implement the programme."""
    for t in re.finditer(_LAUNCH, text[s:e]):
        a, b = s + t.start(), s + t.end()
        lo = _clause_start(text, s, a)
        k = _first_after(ms, b, ("PRG",), _clause_end(text, e, b))
        if k is None or len(text[b : ms[k].start]) > 10 or any(
            m.label in ("ORG", "LOC", "PER") and b <= m.start < ms[k].start for m in ms
        ):
            continue
        prgs = [x for x in _runs_forward(text, ms, k, ("PRG",)) if x.label == "PRG"]
        j = _last_before(ms, a, ("ORG", "LOC", "PER"), lo)
        while j is not None and text[max(lo, ms[j].start - 1) : ms[j].start] in ("在", "对", "向", "给", "为"):
            j = _last_before(ms, ms[j].start, ("ORG", "LOC", "PER"), lo)  # 在全省开展, 对伊朗实施: not who
        if j is None or ms[j].label == "PER":
            continue
        gap = text[ms[j].end : a]
        if len(gap) > 12 or re.search(f"(?:{_NEG})$|负责人|代表|专家|企业家|群众|认为|表示|学习|借鉴", gap):
            continue
        if _UNNAMED_BODY.fullmatch(gap):
            continue  # 吉林省[工业和信息化厅]启动…: the rest of a name the NER cut short; that body acts
        agents = _run_back(text, ms, j, ("ORG", "LOC"))
        # 除X外，A还将实施Y: A carries out X too
        extra = []
        if re.search("还|也", gap):
            for x in ms:
                if x.label == "PRG" and x.end <= agents[0].start and re.search(
                    f"除(?:了)?[{_OPEN_Q}]?$", text[max(s, x.start - 3) : x.start]
                ) and re.match(f"[{_CLOSE_Q}]?(?:以)?外|[{_CLOSE_Q}]?之外", text[x.end : x.end + 3]):
                    extra.append(x)
        for agent in agents:
            for prg in prgs + extra:
                yield agent, "implements", prg, "launch-trigger"


@pattern
def carried_out_by(text, s, e, ms):
    """PRG由A(牵头|负责)?实施/负责; X和Y分别由A和B负责: the agents implement the programmes."""
    for i, prg in enumerate(ms):
        if prg.label != "PRG" or (i and ms[i - 1].label == "PRG" and _SEP.fullmatch(_gap(text, ms[i - 1], prg))):
            continue
        prgs = [x for x in _runs_forward(text, ms, i, ("PRG",)) if x.label == "PRG"]
        last = prgs[-1]
        k = _index(ms, last) + 1
        if k >= len(ms) or ms[k].label not in ("ORG", "LOC"):
            continue
        gap = _gap(text, last, ms[k])
        m = re.fullmatch(f"[{_CLOSE_Q}]?(分别)?由", gap)
        if not m:
            continue
        agents = [x for x in _runs_forward(text, ms, k, ("ORG", "LOC")) if x.label in ("ORG", "LOC")]
        if not re.match("(?:牵头|负责|具体|共同|联合)?(?:组织)?(?:实施|负责|推进|落实|牵头)", text[agents[-1].end : agents[-1].end + 6]):
            continue
        if m.group(1) and len(agents) == len(prgs):
            pairs = list(zip(agents, prgs))
        else:
            pairs = [(a, p) for a in agents for p in prgs]
        for agent, p in pairs:
            yield agent, "implements", p, "carried-out-by"


@pattern
def place_programme(text, s, e, ms):
    """LOC“PRG”: 浙江“千万工程”, 长春市“金融助企”系列举措: the place's own programme."""
    for a, b in zip(ms, ms[1:]):
        if a.label in ("LOC",) and b.label == "PRG" and re.fullmatch(f"的?[{_OPEN_Q}]?", _gap(text, a, b)):
            if not _CHAIN_OK_BEFORE.search(text[max(s, a.start - 2) : a.start]):
                yield a, "implements", b, "place-programme"


# --- founded ----------------------------------------------------------------------------------

_FOUND = "(?:共同|联合|合作|合资|出资|投资|牵头|发起|独资)*(?:成立|组建|设立|创办|创建|创立|筹建)"
# 成立专门运营终端的子公司联通华盛: a short description of the new body before its name
_NEW_BODY = re.compile(f"(?:了|的)?(?:[^，,。；;]{{0,12}}?(?:的|子公司|分公司|公司|企业|机构|平台|联盟))?[{_OPEN_Q}]?")


@pattern
def sets_up(text, s, e, ms):
    """A(与B)(在LOC)成立/组建/创办ORG: the agents founded it; founded 在LOC → it is located there."""
    for t in re.finditer(_FOUND, text[s:e]):
        a, b = s + t.start(), s + t.end()
        k = _first_after(ms, b, ("ORG", "PER", "LOC"), e)
        if k is None or ms[k].label != "ORG" or not _NEW_BODY.fullmatch(text, b, ms[k].start):
            continue
        if text.startswith("于", b):
            continue  # 前身是成立于1984年的…: when it was founded, not by whom
        new = ms[k]
        lo = _clause_start(text, s, a)
        j = _last_before(ms, a, ("PER", "ORG", "LOC"), lo)
        if j is None:
            continue
        place = None
        if ms[j].label == "LOC" and text[max(s, ms[j].start - 1) : ms[j].start] == "在":
            place = ms[j]
            j = _last_before(ms, ms[j].start, ("PER", "ORG"), lo)
            if j is None:
                continue
        gap = text[ms[j].end : a]
        if len(gap) > 12 or re.search("计划|拟|将要|准备|筹划|(?:未|尚未|没有)$", gap) or gap.startswith("、"):
            continue
        if place is None and ms[j].label == "LOC":
            # 长春市今年新成立…: a place cannot found (ontology); nothing to say
            continue
        # A与B联合成立C / A携手B成立C
        agents = [x for x in _run_back(text, ms, j, ("ORG", "PER")) if x.label in ("ORG", "PER")]
        p = _index(ms, agents[0])
        while p and ms[p - 1].label == "ORG" and _PARTNER_GAP.fullmatch(_gap(text, ms[p - 1], ms[p])):
            agents.insert(0, ms[p - 1])
            p -= 1
        for agent in agents:
            yield agent, "founded", new, "sets-up"
        if place is not None:
            yield new, "locatedIn", place, "founded-in"


@pattern
def set_up_by(text, s, e, ms):
    """由A(和B)(共同)创办/组建的ORG; ORG…由A和B共同组建: passive founding."""
    for i, m in enumerate(ms):
        if m.label not in ("PER", "ORG") or text[max(s, m.start - 1) : m.start] != "由":
            continue
        agents = [x for x in _runs_forward(text, ms, i, ("PER", "ORG")) if x.label in ("PER", "ORG")]
        t = re.match(f"(?:等[^，,。；]{{0,8}}?|于?[0-9０-９]{{2,4}}年)?{_FOUND}", text[agents[-1].end : e])
        if not t:
            continue
        pos = agents[-1].end + t.end()
        k = _first_after(ms, pos, ("ORG",), e)
        if k is not None and re.fullmatch("的", text[pos : ms[k].start]):
            new = ms[k]
        else:
            # ORG于2020年由A和B共同组建: the organisation before, with at most a date between
            lo = _clause_start(text, s, m.start)
            j = _last_before(ms, m.start, ("ORG",), lo)
            if j is None or not re.fullmatch("(?:于|在|是)?[^，,。；]{0,10}?", text[ms[j].end : m.start - 1]):
                continue
            new = ms[j]
        for agent in agents:
            yield agent, "founded", new, "set-up-by"


# --- article-level: players introduced by their team earlier in the article ------------------

_TEAM = re.compile("(?:队|俱乐部|代表队)$")
_PLAYER_BEFORE = re.compile(
    f"(?:^|[，,。；;：:、\\s]|在|的)(?P<who>我省|我市|本省|全省|省内|[{_HAN}]{{2,4}}?)?"
    "(?:小将|选手|球员|队员|运动员|名将|老将|新秀|健儿|主力|女将|男将|新星|骁将|悍将)$"
)


# 论坛由A、B共同主办 after the forum was named in full: the head word, at the start of its clause,
# stands for the last event named before whose name ends with it (比赛, 赛事 and 活动: for the
# last event named before, 越野跑 or 马拉松 as well).
_EVENT_BACK_BY = re.compile(
    "(?:本次|此次|这次|本届|该)?(论坛|大会|会议|峰会|博览会|展览会|交易会|洽谈会|推介会|推广会|推进会|研讨会|"
    "座谈会|发布会|比赛|赛事|大赛|活动|文化节|旅游节|艺术节|音乐节)由"
)
_ANY_EVENT = {"比赛", "赛事", "活动"}


def _hosted_by_earlier_event(article: str, text: str, mentions: list[Mention], sentences) -> Iterator[Relation]:
    for s, e in sentences:
        for m in _EVENT_BACK_BY.finditer(text, s, e):
            if _clause_start(text, s, m.start()) != m.start():
                continue  # 首届…论坛由: the event is named right there (organizer)
            # in a sentence before: within one, the sentence's own organizer pattern decides
            events = [
                x for x in mentions
                if x.label == "EVT" and x.end <= s and (m[1] in _ANY_EVENT or x.text.endswith(m[1]))
            ]
            i = next((k for k, x in enumerate(mentions) if x.start == m.end()), None)
            if not events or i is None or mentions[i].label != "ORG":
                continue
            event = events[-1]
            es = next((a for a, b in sentences if a <= event.start < b), s)
            ev = Evidence(article, text[es:e], es, e, "hosted-by-earlier", CONFIDENCE["hosted-by-earlier"])
            # 由A主办，B、C承办: each run of hosts with its verb, until one has none
            while i is not None and mentions[i].label == "ORG":
                run = [x for x in _runs_forward(text, mentions, i, ("ORG",)) if x.label == "ORG"]
                host = _HOST.match(text, run[-1].end, e)
                if not host:
                    break
                for org in run:
                    yield Relation(event, "organizer", org, ev)
                nxt = host.end() + 1 if text[host.end() : host.end() + 1] in ("，", ",", "；") else -1
                i = next((k for k, x in enumerate(mentions) if x.start == nxt), None)


# A competition: 冠军赛, 运动会, 联赛 (and its stage in brackets: 联赛（长春站）)
_COMPETITION = re.compile("(?:赛|运动会|锦标赛|杯|大奖赛)(?:[(（][^)）]{1,8}[)）])?$")
# 夺冠, 获得女子500米亚军, 摘得2枚金牌, 位列团体第一
_WIN = re.compile(
    "夺冠|(?:夺得|获得|摘得|斩获|荣获|收获|获|位列|位居|名列)[^，,。；]{0,10}?"
    "(?:[0-9０-９一二三四五六七八九十两]+枚|金牌|银牌|铜牌|冠军|亚军|季军|第[一二三四五六七八])"
)
# a result of another time: 去年曾获得全国冠军, 生涯累计夺得…, 历史上首次夺冠
_OTHER_TIME = re.compile("去年|前年|此前|以往|曾|上届|上一届|历史上|生涯|累计|至今|迄今|目前|先后|多次|首次")
# what may stand between the clause's start and its subject, and between the names of the
# subject: 队友王雪晴, 吉林队选手李文浩, 来自肯尼亚的选手基普罗蒂奇
_BEFORE_SUBJECT = re.compile("(?:其中|随后|此外|同时|来自|我省|我市|小将|选手|队员|队友|名将|新秀|[、，,])*")
_IN_SUBJECT = re.compile(f"(?:的)?(?:选手|队员|小将|名将|新秀|运动员|组合)?|{_SEP.pattern}")


def _subject_at(text: str, ms: list[Mention], lo: int, end: int) -> list[Mention]:
    """The names that open the clause starting at `lo` (吉林队选手李文浩, 张琳、刘晓), before `end`."""
    start = _BEFORE_SUBJECT.match(text, lo).end()
    k = next((i for i, m in enumerate(ms) if m.start == start), None)
    if k is None or ms[k].label not in ("PER", "ORG", "LOC") or ms[k].end > end:
        return []
    subject = [ms[k]]
    for m in ms[k + 1 :]:
        if m.start >= end or not _IN_SUBJECT.fullmatch(text, subject[-1].end, m.start):
            break
        subject.append(m)
    return subject


def _results_after_competition(article: str, text: str, mentions: list[Mention], sentences) -> Iterator[Relation]:
    """…冠军赛在长春落幕。吉林队选手李文浩…夺冠，队友王雪晴获得亚军: a sentence naming no event
    gives the results of the one competition the article named before: the winners take part."""
    for s, e in sentences:
        in_sent = [m for m in mentions if s <= m.start and m.end <= e]
        if any(m.label == "EVT" for m in in_sent):
            continue  # the sentence's own patterns decide
        before = [m for m in mentions if m.label == "EVT" and m.end <= s and _COMPETITION.search(m.text)]
        # one competition, perhaps named shorter too (a headline's 全国速度滑冰冠军赛, the
        # body's 2024年全国速度滑冰冠军赛)
        named = {m.text for m in before}
        if len({x for x in named if not any(x != y and x in y for y in named)}) != 1:
            continue
        event = max(before, key=lambda m: (len(m.text), m.start))
        for t in _WIN.finditer(text, s, e):
            lo = _clause_start(text, s, t.start())
            if _OTHER_TIME.search(text, lo, t.start()) or re.search(f"(?:{_NEG})[能再]?$", text[lo : t.start()]):
                continue
            subject = _subject_at(text, in_sent, lo, t.start())
            if not subject and lo > s:  # …韩雪莹发挥稳定，以1分57秒26的成绩夺冠: the clause before names who
                subject = _subject_at(text, in_sent, _clause_start(text, s, lo - 1), t.start())
            ev = Evidence(article, text[s:e], s, e, "wins-after-competition", CONFIDENCE["wins-after-competition"])
            for agent in subject:
                if agent.label in ("PER", "ORG"):
                    yield Relation(event, "participant", agent, ev)


def find_article_relations(article: str, text: str, mentions: list[Mention], sentences) -> list[Relation]:
    """Article-level relations: 我省小将/选手/队员 PER → memberOf the one team named before (…队);
    论坛由A主办 → A organises the last …论坛 named before; results in a sentence after the one
    competition named before → the winners take part in it."""
    mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    out: list[Relation] = list(_hosted_by_earlier_event(article, text, mentions, sentences))
    out += _results_after_competition(article, text, mentions, sentences)
    for k, per in enumerate(mentions):
        if per.label != "PER":
            continue
        s, e = next(((a, b) for a, b in sentences if a <= per.start < b), (per.start, per.end))
        prev = mentions[k - 1] if k else None
        if prev is not None and prev.label == "ORG" and _TITLE_CHAIN.fullmatch(text, prev.end, per.start):
            continue  # ORG TITLE PER: title_after_org decides
        m = _PLAYER_BEFORE.search(text, max(0, per.start - 8), per.start)
        if not m:
            continue
        who = m.group("who") or ""
        teams = [x for x in mentions if x.label == "ORG" and x.end <= per.start and _TEAM.search(x.text)]
        if who and who not in ("我省", "我市", "本省", "全省", "省内"):
            teams = [x for x in teams if who in x.text]
        names = {x.text for x in teams}
        if len(names) != 1:
            continue
        team = teams[-1]
        ts = next((a for a, b in sentences if a <= team.start < b), s)
        ev = Evidence(article, text[ts:e], ts, e, "team-earlier", CONFIDENCE["team-earlier"])
        out.append(Relation(per, "memberOf", team, ev))
    return out


# --- driver -----------------------------------------------------------------------------------

def _type_ok(subj: Mention, pred: str, obj: Mention) -> bool:
    sig = SIGNATURES.get(pred)
    return sig is not None and subj.label in sig[0] and obj.label in sig[1]


def find_relations(article: str, text: str, s: int, e: int, mentions: list[Mention]) -> list[Relation]:
    """Relations in the sentence text[s:e] among `mentions` (all inside it, sorted).

    Subjects or objects may be mentions the NER did not return: the place at the start of an
    organisation's name (`place_prefixes`), the event a committee is named after
    (`committee_event`), the government a 省长 stands for (`government_head`); the
    caller adds them to the article's mentions.
    """
    found: dict[tuple, Relation] = {}
    sentence = text[s:e]

    def add(subj: Mention, pred: str, obj: Mention, rule: str) -> None:
        if subj == obj or not _type_ok(subj, pred, obj):
            return
        key = (subj.start, subj.end, pred, obj.start, obj.end)
        if pred in SYMMETRIC:
            key = (pred, *sorted([(subj.start, subj.end), (obj.start, obj.end)]))
        if key not in found:
            ev = Evidence(article, sentence, s, e, rule, CONFIDENCE.get(rule, DEFAULT_CONFIDENCE))
            found[key] = Relation(subj, pred, obj, ev)

    ms = sorted(mentions, key=lambda m: (m.start, m.end))
    for m in ms:
        event = committee_event(article, m)
        if event is not None:
            add(event, "organizer", m, "committee")
        places = place_prefixes(article, m)
        for k, place in enumerate(places):
            add(m, "locatedIn", place, "place-prefix")
            if k:
                add(place, "locatedIn", places[k - 1], "place-prefix")
    # A person alone in a sentence may still have a title that stands for an organisation.
    for fn in PATTERNS if len(ms) >= 2 else (government_head,):
        for subj, pred, obj, rule in fn(text, s, e, ms):
            add(subj, pred, obj, rule)
    return list(found.values())
