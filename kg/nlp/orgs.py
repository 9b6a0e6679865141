"""Complete organisation names that the NER cut at a place or person name.

Chinese organisation names often start with a place (巴基斯坦外交部, 杭州南方儿童食品企业公司);
a character model trained with a place lexicon tends to stop at the place. A name that runs on
from a place span, over at most eight Han characters without function words, to an
organisation head word (公司, 大学, 研究所, 委员会, 外交部, 男队, ...) is one organisation.
X政府 is left alone: the MSRA convention (and many users) read 中国政府 as the place 中国;
X人民政府 is the organisation.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import Iterable, Sequence

# Head words that end organisation names. Single characters that also end ordinary words
# (部 in 西部, 会 in 大会, 局 in 结局) need a longer head (外交部, 委员会, 公安局).
# Ministries end a name (巴基斯坦外交部) and are names of their own (商务部).
_MINISTRIES = "外交部|国防部|财政部|商务部|教育部|卫生部|农业部|内政部|外贸部|文化部|司法部"
_HEADS = (
    "股份有限公司|有限责任公司|有限公司|公司|集团|银行|证券交易所|交易所|"
    "大学|学院|中学|小学|学校|幼儿园|医院|研究院|研究所|研究中心|研究会|科学院|设计院|"
    "协会|学会|基金会|联合会|商会|工会|委员会|筹委会|联委会|代表团|俱乐部|"
    "出版社|报社|杂志社|通讯社|电视台|广播电台|电台|剧团|乐团|马戏团|艺术团|合唱团|"
    "大使馆|领事馆|使馆|法院|检察院|"
    + _MINISTRIES + "|"
    "公安局|税务局|统计局|管理局|办公厅|办公室|管委会|"
    "男队|女队|国家队|代表队|球队|集训队|青年队|少年队|"
    "滑冰队|速滑队|滑雪队|冰壶队|射击队|射箭队|游泳队|跳水队|田径队|体操队|举重队|击剑队|柔道队|"
    "摔跤队|拳击队|自行车队|赛艇队|皮划艇队|武术队|棋队|"
    "农场|林场|工厂|总厂|分厂|合作社|联盟|党委|市委|省委|县委|人民政府|"
    # a government bureau or department after a place (吉林市文化广电和旅游局, 山西省公安厅),
    # but not the 局/厅 of 格局, 大局, 餐厅, 展厅
    "(?:(?<![格布结大当全僵开出赛棋饭骗残时政])|(?<=[民财邮]政))局(?![势面部限域外内地])|(?<![餐大客展舞门歌营])厅"
)
# 长春高新技术产业(集团)股份有限公司: a bracketed 集团 may sit before the legal form. Not the 大学
# of 大学生 nor the 学院 of 学院长; after 公司 and 集团 anything may follow (公司生产, 公司员工).
# Government departments whose names run longer than that: 四平市人力资源和社会保障局.
_LONG_DEPARTMENTS = (
    "人力资源和社会保障|住房和城乡建设|工业和信息化|文化广电和旅游|文化和旅游|市场监督管理|"
    "退役军人事务|林业和草原|政务服务和数字化建设管理|机关事务管理|地方金融监督管理|发展和改革"
)
_RUN = re.compile(r"(?:" + _LONG_DEPARTMENTS + r"|[\u4e00-\u9fff]{0,8}?)(?:[(（]集团[)）])?(?:" + _HEADS
                  + r")(?:(?<=公司)|(?<=集团)|(?![长员生史门]))")
# Words that a name does not run across: a quantifier or demonstrative (阿根廷一家电视台, 北京市几位
# 中学校长), a rank (比利时第二大银行), a pronoun, and verbs of reporting and doing
# (南非军方负责人会见我代表团, 开发区没有小学, 在美国开设公司, 新疆维吾尔自治区召开自治区党委…;
# no organisation in MSRA's training part holds one of the meeting verbs).
_NOT_IN_NAME = re.compile(
    "[一两几这那该各某每][家所位个支名座]|第[一二三四五六七八九十0-9]+大|[我你他她]|"
    "没有|会见|会谈|负责人|经营|开设|伪装|转移|参加|搞|召开|举行|举办|出席|印发|主持|部署|表彰"
)
# Heads that MSRA (and a reader) take as a common noun right after a place: 美国公司, 广东球队.
_BARE_COMMON = re.compile("公司|球队|俱乐部")
ENDS_IN_HEAD = re.compile(r"(?:" + _HEADS + r")$")
# A head word on its own (公司, 银行, 委员会) names no organisation in particular; a ministry does.
BARE_HEAD = re.compile(r"(?!(?:" + _MINISTRIES + r")$)(?:" + _HEADS + r"|政府|中心|机构|单位|部门|组织|队)")
# Characters that end a name: a name may not run across them.
_BREAK = set("的在和与及是了把被对向从为将于由等或并也都")
# 和 joining two parts of one body's name: 文化广电和旅游局, 住房和城乡建设厅.
_JOINED = re.compile(r"[\u4e00-\u9fff]{2,}和[\u4e00-\u9fff]{2,}")


def _breaks_name(run: str) -> bool:
    """Whether a function word cuts `run`; 和 joining two parts of one body's name
    (文化广电和旅游局, 工业和信息化厅) does not."""
    if _JOINED.fullmatch(run):
        return bool((_BREAK - {"和"}) & set(run))
    return bool(_BREAK & set(run))


# An institution and, right after it, one of its institutes: 中国科学院长春光学精密机械与物理研究所
# read as 中国科学院 … 物理研究所: the model may split a name at a 与/和 inside it (精密机械与物理).
_PARENT = re.compile("(?:科学院|研究院|大学|集团|总公司)$")
_BRANCH = re.compile("(?:研究所|研究院|研究中心|实验室|分院|学院|医院|分公司)$")
_AND = {"与", "和"}
_BETWEEN = re.compile(r"[\u4e00-\u9fff]{2,12}")
# Only a split at a conjunction is repaired; words that make the two a clause are not a name:
# 长春理工大学成立光电产业学院, 延边大学合作成立…研究院.
_CLAUSE = re.compile("成立|合作|共建|组建|设立|创办|创建|联合|携手|签|建|办|就|将|曾|已|正|在|向|对")


def _join_institutes(text: str, ents: list) -> list:
    out = []
    for e in ents:
        prev = out[-1] if out else None
        gap = text[prev.end : e.start] if prev is not None else ""
        if (
            prev is not None and prev.label == "ORG" and e.label == "ORG"
            and _PARENT.search(prev.text) and _BRANCH.search(e.text)
            and _BETWEEN.fullmatch(gap) and gap[0] not in _BREAK and _AND & set(gap)
            and not (set(gap) - _AND) & _BREAK and not _CLAUSE.search(gap)
        ):
            out[-1] = replace(prev, end=e.end, text=text[prev.start : e.end], source=prev.source + "+institute")
            continue
        out.append(e)
    return out


def complete_orgs(text: str, ents: Sequence) -> list:
    """Entities with a role cut off the end of an organisation (皇马巨星 → 皇马), each place span
    that heads an organisation name grown into an ORG, the administrative places right before an
    organisation joined to it, and an institution joined to its institute named right after it.

    `ents` have start, end, label, text (kg.nlp.pipeline.Ent); overlapped spans are dropped.
    """
    ents = [_national(text, e) for e in ents if not _IN_COMMON_WORD.match(text, e.start) or e.label != "LOC"]
    ents = _ministries(text, _finish_heads(text, ents))
    return _join_institutes(text, _join_place_prefix(text, _grow_places(text, _trim_roles(ents))))


# A minister's title names the ministry: 芬兰农林部长, 印尼经济、财政和工业统筹部长.
# MSRA marks the ministry with its country (芬兰农林部; 236 of the 462 部长 in its training part
# follow an organisation ending in 部). The model often reads the country alone. Not a
# ministerial meeting (部长级会议) nor ministers (产油国部长).
_MINISTRY_TITLE = re.compile(r"([\u4e00-\u9fff、]{1,12}?)部长(?![级会们理])")
# not a ministry's name: a rank or a second office before the title (美国助理国防部长, 副总理兼文化部长),
# taking office (内阁担任部长), a government's ministers (蒙古新政府部长)
_NOT_MINISTRY = re.compile("助理|代理|兼|副|前|总理|首相|总统|任|当|[部的国]|政府$")


def _may_name_ministry(run: str) -> bool:
    """Whether `run`, between a country and 部长, may be the rest of a ministry's name."""
    return not (_NOT_MINISTRY.search(run) or _NOT_IN_NAME.search(run) or _breaks_name(run.replace("、", "")))


def _ministries(text: str, ents: list) -> list:
    out = []
    ents = sorted(ents, key=lambda e: e.start)
    for i, e in enumerate(ents):
        nxt = ents[i + 1].start if i + 1 < len(ents) else len(text)
        m = _MINISTRY_TITLE.match(text, e.end) if e.label == "LOC" and e.end - e.start >= 2 else None
        if m and m.end() - 1 <= nxt and _may_name_ministry(m.group(1)):
            end = m.end() - 1  # after 部
            e = replace(e, end=end, label="ORG", text=text[e.start : end], source=e.source + "+ministry")
        out.append(e)
    return out


# 太阳 is a place to MSRA (65 times in its training part), 太阳能 and 太阳电池 are not (never marked)
_IN_COMMON_WORD = re.compile("太阳(?:能|电池)")


def _national(text: str, e):
    """国|家碳纤维工程技术研究中心: a name the model started after the 国 of 国家 starts at it."""
    if e.label == "ORG" and e.text.startswith("家") and e.start and text[e.start - 1] == "国":
        return replace(e, start=e.start - 1, text=text[e.start - 1 : e.end], source=e.source + "+national")
    return e


# The plain head words of two or more characters, longest first, for _finish_heads
_PLAIN_HEADS = sorted((h for h in _HEADS.split("|") if len(h) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", h)),
                      key=len, reverse=True)


def _finish_heads(text: str, ents: Sequence) -> list:
    """An organisation that stops inside its head word runs on to the head's end:
    长春鑫达汽车零部件有|限公司, 筹备委员|会. Not one that already ends in a head (北京大学|院长),
    nor on one character each side of the cut (北大|学生, 中日友协|会长)."""
    out = []
    starts = [e.start for e in ents]
    for e in ents:
        if e.label == "ORG" and not ENDS_IN_HEAD.search(e.text):
            for head in _PLAIN_HEADS:
                k = next((k for k in range(len(head) - 1, 0, -1)
                          if text.endswith(head[:k], 0, e.end) and text.startswith(head[k:], e.end)), 0)
                new_end = e.end + len(head) - k
                # one character on each side is too little to go by: 北大|学生, 中日友协|会长
                if k and (k >= 2 or new_end - e.end >= 2) and not any(e.end <= s < new_end for s in starts):
                    e = replace(e, end=new_end, text=text[e.start : new_end], source=e.source + "+head")
                    break
        out.append(e)
    return out


# A person's role or a "subsidiary of" is not part of an organisation's name, though the model
# may run on into it before a name: 皇马巨星|贝尔, 湖南广电旗下|芒果TV, 中国足协主席. No
# organisation in MSRA's training part ends in one of these words.
_ROLE_AT_END = re.compile(
    "(?:巨星|球星|明星|主帅|主教练|教练|领队|队长|门将|前锋|后卫|中场|主席|总裁|董事长|总经理|"
    "发言人|部长|局长|厅长|院长|校长|社长|书记|主任|委员|记者|专家|选手|球员|队员|员工|官员)$"
)
_SUBSIDIARY = re.compile("旗下")


def _trim_roles(ents: Sequence) -> list:
    out = []
    for e in ents:
        if e.label == "ORG":
            m = _SUBSIDIARY.search(e.text, 2) or _ROLE_AT_END.search(e.text, 2)
            if m:
                e = replace(e, end=e.start + m.start(), text=e.text[: m.start()], source=e.source + "+role-cut")
        out.append(e)
    return out


# A Chinese administrative place right before an organisation's name is part of the name:
# 山东省枣庄市|市中区回民小学, 河北省|邯郸市朝阳肝病专科医院 (MSRA marks such names whole; a
# foreign country before a body's own name stays apart: 美国|麻省理工学院).
_ADMIN_PLACE = re.compile("(?:省|市|县|区|乡|镇|旗|州|盟)$")


def _take_places_before(out: list, start: int) -> int:
    """Pop the places written right before `start` off the end of `out`; where the first began."""
    while out and out[-1].label == "LOC" and out[-1].end == start:
        start = out.pop().start
    return start


def _join_place_prefix(text: str, ents: list) -> list:
    out: list = []
    for e in ents:
        # 中国|一汽 too: MSRA marks 中国 + organisation as one name 1,057 times in its training part, apart twice
        if e.label == "ORG" and out and out[-1].label == "LOC" and out[-1].end == e.start and (
            _ADMIN_PLACE.search(out[-1].text) or out[-1].text == "中国"
        ):
            start = _take_places_before(out, e.start)
            e = replace(e, start=start, text=text[start : e.end], source=e.source + "+place")
        out.append(e)
    return out


def _grow_places(text: str, ents: Sequence) -> list:
    ents = sorted(ents, key=lambda e: e.start)
    out = []
    i = 0
    while i < len(ents):
        e = ents[i]
        if e.label == "LOC" and ENDS_IN_HEAD.search(e.text):  # 马来西亚男队 read as a place
            e = replace(e, label="ORG", source=e.source + "+org-head")
        m = _ZONE.match(text, e.end) if e.label == "LOC" else None
        # (not after a one-character place, which leads a list: 中|美|合作示范区)
        if m and (m.start("head") == e.end or e.end - e.start >= 2) and _may_run(text[e.end : m.start("head")]):
            inside = [x for x in ents[i + 1 :] if x.start < m.end()]
            # places inside the zone's name (长春|净月|高新技术产业开发区), or a bare 新区 the model
            # read as a place of its own, go with the place before it
            if all(x.label == "LOC" and x.end <= m.end() for x in inside):
                del ents[i + 1 : i + 1 + len(inside)]
                tag = "+new-area" if m.group() == "新区" else "+zone"
                e = replace(e, end=m.end(), text=text[e.start : m.end()], source=e.source + tag)
        # not 美/华: abbreviations lead lists; a division the model read as an organisation
        # (内蒙古自治区|人民政府) runs on the same way
        if (e.label == "LOC" or (e.label == "ORG" and _ADMIN_PLACE.search(e.text))) and e.end - e.start >= 2:
            m = _RUN.match(text, e.end)
            if m and m.end() > e.end and _may_run(text[e.end : m.end()]):
                inside = [x for x in ents[i + 1 :] if x.start < m.end()]
                # places inside the name, or the model's piece of its tail after words it left
                # out (长春|高新技术产业|(集团)股份有限公司); an organisation right after the place
                # keeps its own name (美国|波音公司)
                if all(x.end <= m.end() and (x.label == "LOC" or (x.label == "ORG" and x.end == m.end() and x.start > e.end))
                       for x in inside):
                    start = _take_places_before(out, e.start)  # 辽宁省|岫岩县…公司
                    out.append(replace(e, start=start, end=m.end(), label="ORG", text=text[start : m.end()],
                                       source=e.source + "+org-head"))
                    i += 1 + len(inside)
                    continue
        out.append(e)
        i += 1
    return out


# A development zone is named by its place: 浦东新区, 长春新区 (MSRA marks 11 such new areas whole,
# one not), 长春汽车经济技术开发区, 吉林高新技术产业开发区, 延吉高新区. The model, trained on 1990s
# text that rarely names zones (MSRA marks the place of 金川开发区 alone), stops at the place.
# Today's provincial news names them all the time, as places that sign, plan and host. A city's
# 新区 is read as one place, as MSRA does; the place a development zone is named for is also
# reported nested (kg.nlp.pipeline), as a place inside an event's name is.
_ZONE_HEADS = (
    "经济技术开发区|高新技术产业开发区|高新技术开发区|经济开发区|工业开发区|开发区|"
    "高新区|经开区|自贸区|自由贸易试验区|综合保税区|保税区|工业园区|产业园区|产业园|工业园|"
    "示范区|合作区|产业基地|新区(?!域)"
)
_ZONE = re.compile(r"[\u4e00-\u9fff]{0,10}?(?P<head>" + _ZONE_HEADS + ")")
ZONE_END = re.compile("(?:" + _ZONE_HEADS + ")$")


def _may_run(run: str) -> bool:
    """Whether the text between a place and the end of an organisation head can be part of a name."""
    return not (_breaks_name(run) or _NOT_IN_NAME.search(run) or _BARE_COMMON.fullmatch(run))


# Provincial news names bodies of its own province by 省 + name: 省科技厅, 省税务局, 我省射击队,
# 省委宣传部. Resolution turns them into 吉林省科技厅 etc. when the home province is known.
_DEICTIC_HEADS = (
    "委员会|联合会|办公室|办公厅|协会|学会|中心|公司|集团|银行|"
    "厅|局|委|(?<![举承主协创开兴督申筹合])办|院|队|馆|台|社(?!会)|所|站|部"
)
_DEICTIC = re.compile(
    r"(?<![各外该跨分全])(?:我|本)?省(?!委$)([\u4e00-\u9fff]{1,10}?)(?:" + _DEICTIC_HEADS + r")(?![长员门])"
)
# A bare 省 opens a name only after a word boundary: 在省科技厅, 、省直机关; never the 省 that ends
# a place (山西省公安厅 is the model's to find) or a word (全国30家省市电视台).
_BEFORE_BARE = _BREAK | set("到给让经据以向使按同请")


def deictic_orgs(text: str) -> list[tuple[int, int]]:
    """Spans of organisations named 省X / 我省X (X a few characters ending in 厅/局/队/...)."""
    spans = []
    for m in _DEICTIC.finditer(text):
        x = m.group(1)
        if _breaks_name(x) or x.startswith(("委", "政府", "内", "外", "级")) or "第" in x:
            continue
        before = text[m.start() - 1] if m.start() else ""
        if text[m.start()] == "省" and "\u4e00" <= before <= "\u9fff" and before not in _BEFORE_BARE:
            continue
        spans.append((m.start(), m.end()))
    return spans


# An article that names an organisation once by a short name (一汽, 格力, 二炮) usually names it
# again, and the model, reading ±8 characters, may miss the later ones: on the NER's dev split
# (articles of 100 sentences) marking them lifts ORG F 0.875 → 0.885 and all names 0.907 → 0.909.
# So with people (喻晖 … 喻晖没有肝病): PER F 0.9125 → 0.9147, all 0.9121 → 0.9126. Not places:
# a place's name is often a piece of a word (中 of 中方), and marking every one costs 0.005.
# Not before a character that makes the name part of a longer word: 共产党人, 财政部门.
_LONGER_WORD_AFTER = set("人门员部长们家")


def repeat_names(text: str, ents: Sequence, neighbours: Iterable = ()) -> list:
    """`ents` plus an entity at every other plain occurrence in `text` (an article, a line) of an
    organisation's or a person's name of two or more characters found among them (not a bare
    head: 公司, 中心); sorted by start, the longer span first. `neighbours`: entities found in
    nearby texts (the lines around a line), whose names are looked for too."""
    names: dict[str, object] = {}
    for e in itertools.chain(ents, neighbours):
        if len(e.text) >= 2 and not getattr(e, "nested", False) and (
                e.label == "PER" or (e.label == "ORG" and not BARE_HEAD.fullmatch(e.text))):
            names.setdefault(e.text, e)
    if not names:
        return list(ents)
    taken = [False] * (len(text) + 1)
    for e in ents:
        taken[e.start : e.end] = [True] * (e.end - e.start)
    found = []
    for name in sorted(names, key=len, reverse=True):
        template = names[name]
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(taken[start:end]) and not (template.label == "ORG" and text[end : end + 1] in _LONGER_WORD_AFTER):
                found.append(replace(template, start=start, end=end, source="rule:repeat", nested=False))
                taken[start:end] = [True] * len(name)
            start = text.find(name, end)
    return sorted([*ents, *found], key=lambda e: (e.start, -e.end))
