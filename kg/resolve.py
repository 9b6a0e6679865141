"""Resolution: mentions become entities, one per real-world thing across a whole run.

Names are normalised (NFKC, outer quotes and book-title marks removed, spaces collapsed). Then:

- Kind: one kind per name, by majority over the run (the NER may call 长春市 an ORG once and a
  LOC five times); a PER or ORG whose name is an administrative division by its form
  (长春市, 延边州, 陕西西安, 通榆县乌兰花镇) is a place, and so is a bare short name (敦化) in an
  article that names the division in full (敦化市); a LOC ending in 有限公司, 集团, 委员会, 厅, 局,
  大学... an organisation.
- Deixis: 本报 is the article's publisher (a feed record's `source`, else --publisher);
  我省/全省/本省 the home province; 省委 中共<province>委员会; 省政府 <province>人民政府;
  an organisation 省X / 我省X / 本省X is <province>X (省射击队 -> 吉林省射击队).
  With a home city (`--home-city`, a city paper's) 我市/全市/本市, 市委, 市政府 and 市X are the
  city's in the same way; without one they stay unresolved.
- No node for what names no one in particular: a bare surname (徐 of 徐某), a bare head word
  (公司, 委员会), the kinds of division (市州, 乡镇).
- One-character places: in a pair or list (中美, 港澳, 京津冀) they are the country, region or
  province they abbreviate; a lone one (the NER reading 以 in 珲春市以政府…) makes no node.
- Places: looked up in the gazetteer (`kg.geo`): the entity is the division (official name, code,
  coordinates, parent chain up to the province), every surface form an alias. An ambiguous name
  (朝阳区) takes the candidate inside the places named in the same article, else inside the home
  province, else stays a place of its own. A township under a known county (通榆县乌兰花镇)
  stays unresolved but is located in the county.
- Organisations: short forms join their full names when exactly one full name fits, across all
  articles of the run (a short form that fits two stays separate). Names are compared on a key:
  legal suffixes dropped (有限公司, 集团, 公司, 股份...), 人民政府 = 政府, 中共X委员会 = X委, a
  leading place written the same way (吉林 = 吉林省). A key also matches a longer name's key with
  its group prefix (国网, 中国) or, for companies, its leading place taken off
  (省电力公司 = 国网吉林省电力有限公司, 启星铝业 = 吉林启星铝业有限公司), and a 2-3 character
  abbreviation matches a company named in the same article whose name holds its characters in
  order, the last one in the final word (一汽 = 中国第一汽车集团). The longest name of a group
  is its canonical name; the others are its aliases.
- Events: an event named without its year, edition or scope in an article that also names it
  with them (全国速度滑冰冠军赛 beside 2024年全国速度滑冰冠军赛, 边境口岸合作座谈会 beside
  中俄边境口岸合作座谈会) is that one; elsewhere a shorter name may mean any edition and stays
  its own entity.

Work is per distinct name (dictionary look-ups, plus a bucketed scan for abbreviations), so a
run's cost grows with its vocabulary, not with the square of its mentions.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from kg.geo import Gazetteer, Place
from kg.nlp.orgs import BARE_HEAD
from kg.records import LABEL_KIND, Context, Entity, Mention, entity_key

_OUTER = re.compile(r"^[“”\"'‘’《〈「『]+|[“”\"'‘’》〉」』]+$")

# A tie in the kind vote goes to the earlier kind (the NER calls names PER wrongly most often).
KIND_ORDER = ("Organization", "Place", "Event", "Programme", "Person")
LEGAL_SUFFIXES = (
    "集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司",
    "集团公司", "总公司", "集团", "公司", "股份",
)
GROUP_PREFIXES = ("国网", "中国")
# What a company's name says it does, after its brand: 启星 is 吉林启星铝业有限公司's brand.
# A name whose brand is followed by another word (一汽解放) is a different company from the brand.
_TRADE = re.compile(
    r"(?:[铝钢铁铜煤纸糖酒茶药农林牧渔矿盐油气电瓷]业|实业|工业|商业|物业|置业|矿业|化工|化学|科技|技术|电子|电气|电器|"
    r"电力|能源|新能源|汽车|机械|装备|制造|材料|建材|建设|建工|纺织|服装|食品|医药|制药|生物|光电|通信|"
    r"信息|软件|网络|物流|传媒|文化|旅游|地产|投资|控股|银行|证券|保险|信托|航空|航运|港务|水务|环保)"
)
_HOME_ORG = re.compile(r"^(?:我省|本省|省)(?![级内外会市区份里])(.{2,})$")
_HOME_CITY_ORG = re.compile(r"^(?:我市|本市|市)(?![级内外会区场民长值])(.{2,})$")
# 州X and 县X of the one prefecture or county an article names (州文旅局, 县教育局, 县委)
_LOCAL_ORG = {
    "州": re.compile(r"^(?:我州|本州|州)(?![级内外会区长域里])(.{2,})$"),
    "县": re.compile(r"^(?:我县|本县|县)(?![级内外会区长域里城])(.{2,})$"),
}
_TOWNSHIP = re.compile(r"(镇|乡|村|街道|社区|苏木|嘎查|屯|开发区|新区|园区)$")
_ADMIN_TAIL = "省市州县区旗盟"
# Heads no place name has: a LOC ending in one is an organisation the NER mislabelled.
_ORG_HEADS = (*LEGAL_SUFFIXES, "委员会", "大学", "学院", "医院", "银行", "协会", "研究院", "研究所", "厅", "局", "署")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def canonical_name(text: str) -> str:
    name = unicodedata.normalize("NFKC", text)
    name = re.sub(r"\s+", " ", name).strip()
    # Strip enclosing quotes only when they enclose the whole name (“双千工程”), not “揭榜挂帅”机制.
    if _OUTER.sub("", name).count("“") == _OUTER.sub("", name).count("”"):
        name = _OUTER.sub("", name)
    return name


_DIVISION_WORDS = re.compile("[省市州县区乡镇村盟旗]{2,}")

# One-character short names of countries, regions and provinces, as in 中美, 港澳, 京津冀, 苏浙沪.
# Ambiguous ones (巴, 马, 新, 伊, 苏联/江苏 aside) are left out.
_ONE_CHAR_PLACES = {
    "中": "中国", "华": "中国", "美": "美国", "日": "日本", "俄": "俄罗斯", "英": "英国", "法": "法国",
    "德": "德国", "意": "意大利", "韩": "韩国", "朝": "朝鲜", "印": "印度", "以": "以色列", "越": "越南",
    "泰": "泰国", "港": "香港", "台": "台湾", "京": "北京市", "津": "天津市", "沪": "上海市",
    "渝": "重庆市", "冀": "河北省", "晋": "山西省", "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省",
    "苏": "江苏省", "浙": "浙江省", "皖": "安徽省", "闽": "福建省", "赣": "江西省", "鲁": "山东省",
    "豫": "河南省", "鄂": "湖北省", "湘": "湖南省", "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省",
    "川": "四川省", "蜀": "四川省", "黔": "贵州省", "滇": "云南省", "藏": "西藏自治区", "陕": "陕西省",
    "甘": "甘肃省", "陇": "甘肃省", "蒙": "内蒙古自治区",
}


def _one_char_place(m: Mention, one_char: dict[tuple[str, int], str]) -> str | None:
    """The full name of a one-character place that stands in a pair or list of them (中美, 港澳,
    京津冀); None for a lone one (珲春市以政府…: 以 is no 以色列), which makes no node."""
    neighbours = {one_char.get((m.article, m.start - 1)), one_char.get((m.article, m.start + 1))} - {None}
    if not neighbours:
        return None
    if m.text == "澳":  # 港澳 is Macao, 中澳 Australia
        return "澳门" if neighbours & {"港", "台"} else "澳大利亚"
    return _ONE_CHAR_PLACES.get(m.text)


def deixis_name(text: str, context: Context) -> str | None:
    """The real name behind 我省/全省/本省/省委/省政府, 我市/全市/本市/市委/市政府 and 本报, and the
    government a bare 省长/副市长 stands for, when the context gives it."""
    if text == "本报":
        return context.publisher
    level, home = ("省", context.home_province) if "省" in text else ("市", context.home_city)
    if not home:
        return None
    if text in (f"我{level}", f"全{level}", f"本{level}"):
        return home
    if text == f"{level}委":
        return f"中共{home}委员会"
    if text == f"{level}政府" or re.fullmatch(f"(?:副|代)?{level}长", text):  # 省长胡玉亭 (kg.patterns)
        return f"{home}人民政府"
    return None


def home_org_name(
    name: str, province: str | None, city: str | None = None, local: dict[str, str] | None = None
) -> str:
    """省射击队 / 我省射击队 -> 吉林省射击队; 省委宣传部 -> 中共吉林省委宣传部 (given 吉林省);
    市科技局 -> 长春市科技局 (given the home city 长春市); 州文旅局 -> 延边朝鲜族自治州文旅局 and
    县委 -> 中共农安县委员会 (given `local`, {"州": 延边朝鲜族自治州, "县": 农安县})."""
    homes = [(province, _HOME_ORG, "省"), (city, _HOME_CITY_ORG, "市")]
    homes += [(home, _LOCAL_ORG[level], level) for level, home in (local or {}).items()]
    for home, pattern, level in homes:
        if not home:
            continue
        # 省委宣传部 -> 中共吉林省委宣传部; 省委 alone (the NER's, not the deixis rule's) -> 中共吉林省委员会
        if name.startswith(f"{level}委"):
            return f"中共{home}委{name[2:] or '员会'}"
        if name.startswith(f"{level}政府"):
            return f"{home}人民政府{name[3:]}"
        m = pattern.match(name)
        if m:
            return f"{home}{m[1]}"
    return name


def person_key(name: str) -> str:
    return entity_key("Person", canonical_name(name))


def place_key(place: Place) -> str:
    """Divisions are keyed by code: two 朝阳区 are two places."""
    return entity_key("Place", place.code)


@dataclass
class Resolution:
    entities: dict[str, Entity] = field(default_factory=dict)
    key_of: dict[Mention, str] = field(default_factory=dict)
    mentions: Counter = field(default_factory=Counter)  # entity key -> mention count
    places: dict[str, Place] = field(default_factory=dict)  # entity key -> division, parents included
    located_in: dict[str, str] = field(default_factory=dict)  # place key -> enclosing place key
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, any name) -> entity key

    def add(self, kind: str, name: str, surface: str | None = None, key: str | None = None) -> str:
        key = key or entity_key(kind, name)
        old = self.entities.get(key)
        aliases = set(old.aliases) if old else set()
        if surface and surface != name:
            aliases.add(surface)
        self.entities[key] = Entity(key, kind, old.name if old else name, frozenset(aliases))
        self.names[(kind, name)] = key
        if surface:
            self.names.setdefault((kind, surface), key)
        return key

    def key_for(self, kind: str, name: str) -> str:
        """The key of the entity called `name` in this run (by any of its names), else a new one."""
        name = canonical_name(name)
        return self.names.get((kind, name)) or entity_key(kind, name)

    def add_place(self, place: Place, gazetteer: Gazetteer, surface: str | None = None) -> str:
        """The division's node, with its parents up to the province."""
        key = self.add("Place", place.name, surface, key=place_key(place))
        self.places[key] = place
        child = key
        for parent in gazetteer.chain(place)[1:]:
            pkey = self.add("Place", parent.name, key=place_key(parent))
            self.places[pkey] = parent
            self.located_in[child] = pkey
            child = pkey
        return key


def resolve(
    mentions: Iterable[Mention], context: Context, publishers: dict[str, str] | None = None
) -> Resolution:
    """One entity per real-world thing across `mentions` (see the module docstring for the rules).

    `publishers` maps an article id to the article's own publisher (a feed record's `source`, a
    新华社 dateline): 本报 in that article is that publisher rather than `context.publisher`."""
    publishers = publishers or {}
    gaz = Gazetteer.load()
    home = gaz.lookup(context.home_province) if context.home_province else None
    if home is not None and home.level != "province":
        home = None  # 我省 needs a province; another division is left as the user wrote it
    province = home.name if home else context.home_province
    city_place = gaz.lookup(context.home_city, home) if context.home_city else None
    if city_place is not None and city_place.level not in ("city", "county"):
        city_place = None  # 我市 needs a city; another division is left as the user wrote it
    city = city_place.name if city_place else context.home_city
    res = Resolution()

    # 1. What each mention names, before any merging: (mention, kind as read, normalised name).
    items: list[tuple[Mention, str, str]] = []
    votes: dict[str, Counter] = defaultdict(Counter)
    placeish: dict[str, bool] = {}
    deictic: list[tuple[Mention, str, str]] = []
    mentions = list(mentions)
    # Places each article names in full: a bare short name there (敦化 beside 敦化市, often in a
    # kicker the NER reads as a person) is that place.
    named_places: dict[str, set[str]] = defaultdict(set)
    one_char: dict[tuple[str, int], str] = {}  # (article, start) -> one-character place mention
    for m in mentions:
        if LABEL_KIND.get(m.label) == "Place":
            named_places[m.article].add(canonical_name(m.text))
            if m.end - m.start == 1:
                one_char[(m.article, m.start)] = m.text
    for m in mentions:
        kind = LABEL_KIND.get(m.label)
        if kind is None:
            continue
        if m.source == "rule:deixis":
            publisher = publishers.get(m.article) or context.publisher
            name = deixis_name(m.text, Context(publisher=publisher, home_province=province, home_city=city))
            if name:
                deictic.append((m, kind, name))
            continue
        name = canonical_name(m.text)
        if not name:
            continue
        if _DIVISION_WORDS.fullmatch(name):
            continue  # 各市州, 省市县: the kinds of division, not one
        bare = kind == "Organization" and BARE_HEAD.fullmatch(name) and name not in ("省委", "市委")
        if kind == "Person" and len(name) == 1 or bare:
            continue  # 徐 (of 徐某), 公司 (该公司): no one in particular
        if kind == "Place" and len(name) == 1:
            name = _one_char_place(m, one_char)
            if name is None:
                continue
        if kind in ("Person", "Organization"):
            if name not in placeish:
                placeish[name] = gaz.is_place_name(name) or _township(name, gaz) is not None
            if placeish[name]:
                kind = "Place"
            elif named_places[m.article] and (short_of := gaz.lookup(name)) is not None:
                if short_of.name in named_places[m.article]:
                    kind = "Place"
        elif kind == "Place" and name.endswith(_ORG_HEADS):
            kind = "Organization"  # 吉林省电力有限公司 is no place, whatever the NER said
        votes[name][kind] += 1
        items.append((m, kind, name))
    kind_of = {
        name: max(c.items(), key=lambda kv: (kv[1], -KIND_ORDER.index(kv[0])))[0] for name, c in votes.items()
    }

    # 2. Places: unambiguous names first; their divisions then settle the ambiguous ones nearby.
    place_items = [(m, n, n) for m, _, n in items if kind_of[n] == "Place"]
    place_items += [(m, n, None) for m, k, n in deictic if k == "Place"]
    nearby: dict[str, set[str]] = defaultdict(set)
    found: dict[Mention, Place] = {}
    for m, name, _ in place_items:
        p = gaz.lookup(name)
        if m.source == "rule:deixis":
            p = (home or p) if name == province else (city_place or p) if name == city else p
        if p is not None:
            found[m] = p
            nearby[m.article].add(p.code)
    for m, name, surface in place_items:
        p = found.get(m)
        if p is None and nearby[m.article]:
            p = gaz.lookup(name, sorted(nearby[m.article]))
        if p is None and home is not None:
            p = gaz.lookup(name, home)
        if p is not None:
            key = res.add_place(p, gaz, surface)
        else:
            key = res.add("Place", name, surface)
            area = _township(name, gaz)
            if area is not None:
                res.located_in[key] = res.add_place(area, gaz)
        res.key_of[m] = key
        res.mentions[key] += 1

    # Without a home city, 市科技局 in an article that names one city and no other (长春市, or
    # 敦化市 of a county-level city) is that city's: a reader takes it so, and otherwise every
    # city's 市科技局 in a run would be one node.
    # So too 州X and 县X, home city or not, in an article that names one prefecture (延边朝鲜族自治州)
    # or one county.
    named: dict[tuple[str, str], set[str]] = defaultdict(set)  # (article, 市|州|县) -> names
    for m, p in found.items():
        if p.level in ("city", "county") and p.name[-1] in "市州县":
            named[(m.article, p.name[-1])].add(p.name)
    unique = {key: next(iter(c)) for key, c in named.items() if len(c) == 1}
    article_city = {a: name for (a, level), name in unique.items() if level == "市"} if city is None else {}
    local: dict[str, dict[str, str]] = defaultdict(dict)
    for (a, level), name in unique.items():
        if level != "市":
            local[a][level] = name

    # 3. Organisations: group names that are the same organisation, then one entity per group.
    org_items = [
        (m, home_org_name(n, province, article_city.get(m.article, city), local.get(m.article)), n)
        for m, _, n in items if kind_of[n] == "Organization"
    ]
    org_items += [(m, n, None) for m, k, n in deictic if k == "Organization"]
    names = {n for _, n, _ in org_items}
    if context.publisher:
        names.add(canonical_name(context.publisher))
    articles: dict[str, set[str]] = defaultdict(set)
    for m, n, _ in org_items:
        articles[n].add(m.article)
    group_of = _group_organisations(names, gaz, articles)
    canonical: dict[str, str] = {}
    for name in sorted(names):
        root = group_of[name]
        best = canonical.get(root)
        if best is None or (len(name), name) > (len(best), best):
            canonical[root] = name
    for name in sorted(names):
        res.names[("Organization", name)] = res.add("Organization", canonical[group_of[name]])
    if context.publisher:
        res.add("Organization", canonical[group_of[canonical_name(context.publisher)]], canonical_name(context.publisher))
    for m, name, surface in org_items:
        key = res.add("Organization", canonical[group_of[name]], surface)
        res.names[("Organization", name)] = key
        res.key_of[m] = key
        res.mentions[key] += 1

    # 4. Everything else: one entity per name and kind. An event named in short in an article
    # that also names it in full (全国速度滑冰冠军赛 beside 2024年全国速度滑冰冠军赛) is that
    # one; across articles the short name may be any edition and stays apart.
    events_in: dict[str, set[str]] = defaultdict(set)
    programmes_in: dict[str, set[str]] = defaultdict(set)
    for m, _, name in items:
        if kind_of[name] == "Event":
            events_in[m.article].add(name)
        elif kind_of[name] == "Programme":
            programmes_in[m.article].add(name)
    # A person's name cut one character short in one place (张琼 from 张琼月继昨天…) is the full
    # name the same article gives at least as often.
    person_counts: dict[str, Counter] = defaultdict(Counter)
    for m, _, name in items:
        if kind_of[name] == "Person":
            person_counts[m.article][name] += 1
    for m, _, name in items:
        kind = kind_of[name]
        if kind in ("Place", "Organization"):
            continue
        if kind == "Person" and len(name) >= 2:
            here = person_counts[m.article]
            longer = [n for n in here if len(n) == len(name) + 1 and n.startswith(name) and here[n] >= here[name]]
            if len(longer) == 1:
                name = longer[0]
        fuller = None
        if kind == "Event":
            fuller = _fuller_event(name, events_in[m.article])
        elif kind == "Programme":
            fuller = _expanded_programme(name, programmes_in[m.article])
        key = res.add(kind, fuller, name) if fuller else res.add(kind, name)
        res.key_of[m] = key
        res.mentions[key] += 1
    return res


def _fuller_event(name: str, names: set[str]) -> str | None:
    """The one longer name of the same article that ends with `name`: 2024年全国速度滑冰冠军赛
    or 中俄边境口岸合作座谈会 for 边境口岸合作座谈会. Several such names count as one when each
    ends with the next shorter (第19届杭州亚运会 > 杭州亚运会 > 亚运会)."""
    if len(name) < 3:
        return None
    longer = sorted((n for n in names if len(n) > len(name) and n.endswith(name)), key=len)
    if longer and all(b.endswith(a) for a, b in zip(longer, longer[1:])):
        return _fuller_event(longer[-1], names) or longer[-1]  # 冬运会 < 全国冬运会 < 第十四届…
    # 冬运会 or 全国冬运会 for 第十四届全国冬季运动会: the one name it abbreviates
    found = {n for n in names if len(n) > len(name) and _abbreviates(name, n)}
    return found.pop() if len(found) == 1 else None


def _abbreviates(short: str, full: str) -> bool:
    """Whether `full` ends with `short`'s characters in order, at most one character left out
    between two of them and at least one left out in all (冬运会: 冬[季]运[动]会; not 全运会 for
    全国残疾人运动会)."""
    def ends_from(i: int, k: int) -> bool:  # short[k] is at full[i]: can the rest follow?
        if k == len(short) - 1:
            return i == len(full) - 1
        return any(j < len(full) and full[j] == short[k + 1] and ends_from(j, k + 1) for j in (i + 1, i + 2))

    return short not in full and any(c == short[0] and ends_from(i, 0) for i, c in enumerate(full))


# Parts of a programme's name that its short name takes one character of: “千村示范、万村整治”工程.
_PART_SEP = re.compile(r"[、，,]")


def _expanded_programme(name: str, names: set[str]) -> str | None:
    """The one programme of the same article that `name` abbreviates by the first character of
    each part: 千万工程 for “千村示范、万村整治”工程, 两路工程 for “路网提升、路灯亮化”工程."""
    found = set()
    for full in names:
        body = full.replace("“", "").replace("”", "")
        for cut in range(2, 5):  # the shared head: 工程, 行动, 计划, 三年行动 ...
            head = body[-cut:]
            if not name.endswith(head) or len(name) - cut < 2:
                continue
            parts = [p for p in _PART_SEP.split(body[:-cut]) if p]
            if len(parts) >= 2 and all(len(p) >= 2 for p in parts):
                if "".join(p[0] for p in parts) == name[:-cut]:
                    found.add(full)
    return found.pop() if len(found) == 1 else None


# --- organisation names -----------------------------------------------------------------------


def _core(name: str) -> tuple[str, bool]:
    """The name without legal suffixes (一汽集团 -> 一汽), and whether it had one (a company)."""
    core, company = name, False
    stripped = True
    while stripped:
        stripped = False
        for suffix in LEGAL_SUFFIXES:
            if core.endswith(suffix) and len(core) - len(suffix) >= 2:
                core, company, stripped = core[: -len(suffix)], True, True
                break
    return core, company


def _spelling(core: str) -> str:
    """Spelling variants of government bodies made equal: 中共吉林省委员会 = 吉林省委,
    吉林省高级人民法院 = 吉林省高院."""
    core = core.removeprefix("中共") if len(core) > 4 else core
    core = core.replace("人民政府", "政府")
    core = core.replace("高级人民法院", "高院").replace("中级人民法院", "中院")  # 长春中院
    return re.sub(f"([{_ADMIN_TAIL}])委员会", r"\1委", core)


def _place_key(text: str, gaz: Gazetteer) -> tuple[str, str]:
    """(key, rest): a leading division written by code, so 吉林省电力 and 吉林电力 agree."""
    head, area, rest = gaz.split(text)
    if area is not None and rest:
        return f"<{area.code}>{rest}", rest
    return text, ""


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _group_organisations(
    names: Iterable[str], gaz: Gazetteer, articles: dict[str, set[str]] | None = None
) -> dict[str, str]:
    """Each organisation name -> the name standing for its group (union-find over distinct names).

    `articles`: the articles each name occurs in; an abbreviation only joins a full name it shares
    an article with (农行 is not 农村商业银行 just because both are in the run)."""
    articles = articles or {}
    parent: dict[str, str] = {}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    primary: dict[str, str] = {}
    raw_core: dict[str, str] = {}
    alt_index: dict[str, set[str]] = defaultdict(set)
    # (article, one of the last two characters of a company's core) -> names: an abbreviation
    # is only compared with the companies of its own articles, not with every company of the run
    tail_index: dict[tuple[str, str], set[str]] = defaultdict(set)
    listed: set[str] = set()  # 吉电股份: a listed company's own short name, not an abbreviation
    # (article, first two characters of a company's name after its place) -> names: 启星 is
    # looked up beside the companies of its articles whose name opens with it
    brand_index: dict[tuple[str, str], set[str]] = defaultdict(set)
    brand_of: dict[str, str] = {}
    is_company: dict[str, bool] = {}
    for name in sorted(names):
        parent[name] = name
        core, company = _core(name)
        core = _spelling(core)
        raw_core[name] = core
        key, rest = _place_key(core, gaz)
        alts = set()
        for prefix in GROUP_PREFIXES:
            if core.startswith(prefix) and len(core) - len(prefix) >= 3:
                inner, rest = _place_key(core[len(prefix):], gaz)
                key = prefix + inner  # 国网吉林电力 = 国网吉林省电力
                alts.add(inner)  # 吉林省电力(公司) = 国网吉林省电力(有限公司)
                break
        if (company or core.endswith(("队", "俱乐部"))) and len(rest) >= 3:
            alts.add(rest)  # 启星铝业 = 吉林启星铝业(有限公司); 亚泰队 = 长春亚泰队
        is_company[name] = company
        if company:
            brand_of[name] = rest or core
            for article in articles.get(name, ()):
                brand_index[(article, brand_of[name][:2])].add(name)
        primary[name] = key
        for a in alts - {key}:
            alt_index[a].add(name)
        if company:
            for ch in set(core[-2:]):
                for article in articles.get(name, ()):
                    tail_index[(article, ch)].add(name)
        if name.endswith("股份"):
            listed.add(name)

    # Same key: one group (一汽 and 一汽集团; 吉林省政府 and 吉林省人民政府).
    by_key: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names):
        by_key[primary[name]].append(name)
    for group in by_key.values():
        for other in group[1:]:
            parent[find(other)] = find(group[0])

    # Shorter keys join the one longer group they fit; longer ones are settled first.
    for key in sorted(by_key, key=lambda k: (-len(k), k)):
        group = by_key[key]
        me = find(group[0])
        targets = {find(n) for n in alt_index.get(key, ())} - {me}
        core = raw_core[group[0]]
        short = _CJK.fullmatch(core) and not listed & set(group) and not _is_placeish(core, gaz)
        seen_in = set().union(*(articles.get(n, ()) for n in group)) if short else set()
        if short and 2 <= len(core) <= 3:
            near = set().union(*(tail_index.get((a, core[-1]), ()) for a in seen_in))
            for n in near:
                long = raw_core[n]
                if (
                    len(long) >= len(core) + 2
                    and core[-1] in long[-2:]
                    and not long.startswith(core)
                    and not long.endswith(core)  # 信托 is the kind of 重庆国际信托, not its name
                    and _is_subsequence(core, long)
                ):
                    targets.add(find(n))
        # A brand (启星, 一汽解放) is the company of its article whose name is the brand plus a
        # trade; a group holding a company's name (一汽 with 一汽集团) is a company of its own.
        if short and len(core) <= 6 and not any(is_company[n] for n in group):
            near = set().union(*(brand_index.get((a, core[:2]), ()) for a in seen_in))
            for n in near:
                if brand_of[n].startswith(core) and _TRADE.fullmatch(brand_of[n][len(core):]):
                    targets.add(find(n))
        targets.discard(me)
        if len(targets) == 1:
            parent[me] = targets.pop()
    return {n: find(n) for n in parent}


def _township(name: str, gaz: Gazetteer) -> Place | None:
    """The county of a township the gazetteer does not list: 通榆县乌兰花镇 -> 通榆县."""
    head, area, rest = gaz.split(name)
    if area is not None and head[-1] in _ADMIN_TAIL and len(rest) >= 2 and _TOWNSHIP.search(rest):
        return area
    return None


def _is_placeish(text: str, gaz: Gazetteer) -> bool:
    return text in gaz.full or text in gaz.short
