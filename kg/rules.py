"""Rule-based recognition of programmes (PRG) and events (EVT) in Chinese news text.

No corpus labels programmes (policies, campaigns, action plans, mechanisms, major projects) or
events (conferences, competitions, forums, fairs), so they are found by rules. Pure `re`, with
every pattern compiled once at import: this runs on every sentence of large archives.

Span conventions (the dev set `tests/data/prg_evt_dev.jsonl` follows them):

- Quotes around a whole name: the span is the text inside them, marks excluded.
  `推进“双千工程”` -> `双千工程`; `开展“春雷行动2023”` -> `春雷行动2023`.
- A programme suffix right after a closing quote, when the quoted text is not a name by itself:
  the span runs from the opening quote to the end of the suffix, marks included.
  `“揭榜挂帅”机制`, `“十四五”规划`, `“专精特新”中小企业培育计划`. If the quoted text is a name
  by itself, what follows is left out: `“强基计划”招生改革` -> `强基计划`.
- Modifiers before an opening quote are not part of a programme: `科技创新“十大跃升行动”` ->
  `十大跃升行动`. An event name does run left through a quoted part, whose theme or brand is part
  of the official name: `第三届“一带一路”国际合作高峰论坛`, `“绿色转型 数智赋能”…推广会`.
- A quoted short slogan without a suffix (`“一老一小”`, `“卡脖子”`) is a programme only right
  after a verb that launches one (实施/启动/推进/开展/落实/深化/推行): `推进“访惠聚”驻村工作` -> `访惠聚`.
- 《…》 titles of plans, measures, regulations and laws: the span is the title without 《》
  (`关于完善吉林省科技激励机制的若干举措`). Titles of newspapers, books and films do not match.
- Unquoted names: the longest run of name characters before the suffix, cut after the last
  verb or function word (`实施区域创新体系效能跃升行动` -> `区域创新体系效能跃升行动`; items of
  `A、B和C` are separate). Leading dates and deictics are dropped (`本届进博会` -> `进博会`),
  years and ordinals are kept (`2023年全省科技工作会议`, `第十届…博览会`, `首届…论坛`). A trailing
  开幕式/闭幕式 is not part of the event.
- Unquoted programme names need a specific modifier: generic phrases (`长效机制`, `系统工程`,
  `学习计划`, `发展战略`) do not match; 机制/改革/政策/规划/体系/模式/试点 count only quoted,
  titled or versioned (`人才政策3.0版`). Events with a weak head (会议/大会/比赛/赛事/展会) need a
  scope, year or ordinal (`全省…会议`, `省政府第十次常务会议`); `本次比赛`, `这次会议` do not match.

The result is sorted and non-overlapping; where candidates overlap the longest wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PRG = "PRG"
EVT = "EVT"


@dataclass(frozen=True)
class RuleSpan:
    start: int
    end: int
    label: str
    rule: str  # "title", "quoted", "quoted+suffix", "quoted+context", "suffix", "event-suffix", "known"


# --- character classes -----------------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_NAME_CHAR = re.compile(f"[{_HAN}0-9０-９A-Za-zＡ-Ｚａ-ｚ]")
_JOINERS = set("·・—-－+＋")  # only between two name characters: 中国—东盟, 中国·西安
_OPEN_TO_CLOSE = {"“": "”", '"': '"', "‘": "’", "「": "」", "『": "』"}
_CLOSE_TO_OPEN = {"”": "“", "’": "‘", "」": "「", "』": "『"}
_SENTENCE_PUNCT = set("，。！？；：,!?;\n")

_MAX_PRG_RUN = 24
_MAX_EVT_RUN = 32
_MAX_QUOTED = 30
_LOOKAHEAD = 6  # characters a stop word plus its look-ahead can span past the start of a head

# --- suffixes --------------------------------------------------------------------------------

# Unquoted programme heads; each with the characters that may not follow it (a following
# character that makes a longer word: 工程师, 计划生育, 战略性, 行动迟缓).
_PRG_SUFFIXES: dict[str, str] = {
    "行动计划": "生于书表",
    "行动": "迟起自不能力派者路轨纲指准步缓便人上中",
    "工程": "师款车队院局兵学系部处科类量化专机项有公集股咨监承造设物质施勘招",
    "计划": "生于在将投用到开建完实总单内外经书表好中要明今后年下每逐成通以收增减购向对从把利推发引启未了",
    "战略": "性合部意眼高机定布伙新储支地目重任安思层投决管研转规资协对同委游经导",
    "重大专项": "资债检整治行工规计斗督审巡附扣基经补贷活小方研任激奖支招培能申验管",
    "科技专项": "资债检整治行工规计斗督审巡附扣基经补贷活小方研任激奖支招培能申验管",
    "重点专项": "资债检整治行工规计斗督审巡附扣基经补贷活小方研任激奖支招培能申验管",
    "工作法": "",
    "攻坚战": "",
    "保卫战": "",
    "倡议": "书",
    "月活动": "",
    "周活动": "",
    "专项活动": "",
    "主题活动": "",
    "实践活动": "",
    "创建活动": "",
    # campaigns named by where they take something: 冰雪运动进校园活动, 法律进社区活动
    **{f"进{where}活动": "" for where in ("校园", "社区", "农村", "乡村", "企业", "机关", "家庭", "万家", "基层", "军营", "景区")},
}
_VERSIONED = r"(?:政策|改革|新政|计划|行动|方案|措施|举措|机制|体系)[0-9０-９]+(?:\.[0-9]+)?版"

# Heads that make a programme only with quotes, a title or a version (unquoted they are
# almost always common nouns: 长效机制, 现代产业体系, 惠企政策).
_QUOTED_PRG_SUFFIXES = (
    "行动计划", "行动方案", "实施方案", "方案", "行动", "工程", "计划", "机制", "战略", "专项",
    "工作法", "体系", "模式", "政策", "规划", "纲要", "项目", "试点", "改革", "活动", "倡议",
    "走廊", "负责制", "责任制", "攻坚战", "保卫战", "会战", "布局",
)

_TITLE_SUFFIXES = (
    "规划", "纲要", "方案", "条例", "办法", "意见", "举措", "措施", "计划", "决定", "通知", "规定",
    "细则", "法", "法典", "政策", "行动", "工程", "机制", "战略", "目录", "清单", "准则", "规则",
)

# Event heads. Strong heads name an event with any specific modifier (企业家座谈会); weak
# heads also need a scope, year or ordinal (全省…会议, 2023年…比赛).
_EVT_STRONG = (
    "博览交易会", "博览（交易）会", "博览(交易)会", "博览会", "展览会", "展销会", "交易会", "洽谈会", "推介会", "推广会", "对接会",
    "交流会", "研讨会", "座谈会", "报告会", "发布会", "招聘会", "双选会", "见面会", "听证会",
    "品鉴会", "恳谈会", "团拜会", "订货会", "展示会",
    "推进会", "现场会", "观摩会", "动员会", "表彰会", "誓师大会", "代表大会", "工作会议", "圆桌会议", "峰会",
    "论坛", "年会", "冠军赛", "锦标赛", "联赛", "公开赛", "邀请赛", "挑战赛", "大奖赛", "巡回赛",
    "选拔赛", "大赛", "运动会", "马拉松赛", "马拉松", "自行车赛", "丰收节", "大展", "艺术节", "电影节", "音乐节", "文化节",
    "旅游节", "美食节", "购物节", "啤酒节", "冰雪节", "读书节", "科技节", "体育节", "戏剧节",
    "动漫节", "灯会", "庙会", "活动周", "宣传周", "艺术周", "文化周", "电影周", "时装周", "科技周",
    "旅游周", "全会", "嘉年华",
)
# (博会: the short form of any 博览会, 声博会, 智博会, named by an edition, year or scope)
_EVT_WEAK = ("会议", "大会", "比赛", "赛事", "竞赛", "展会", "展览", "典礼", "党代会", "展演", "汇演", "会演", "博会")
# 会议中心, 人民大会堂, 论坛报, 比赛场地: buildings and things, not events
_EVT_NOT_FOLLOWED = "中心|室|厅|堂|馆|址|报(?![名道告送到价])|桌|场馆|场地|项目|展馆|展区|展位|会场"
_EVT_NOT_FOLLOWED_RE = re.compile(_EVT_NOT_FOLLOWED)
# Short names of well-known recurring events: no modifier needed (本届进博会 -> 进博会).
_EVT_KNOWN = (
    "奥运会", "冬奥会", "残奥会", "冬残奥会", "亚运会", "亚残运会", "全运会", "大运会", "青运会",
    "学青会", "世运会", "进博会", "广交会", "服贸会", "消博会", "数博会", "高交会", "投洽会",
    "东博会", "农交会", "糖酒会", "世博会", "文博会", "冬博会", "链博会", "世界杯", "两会",
    "亚冬会", "冬运会", "残运会", "特奥会", "民运会", "农运会", "军运会", "城运会", "省运会",
    "亚洲杯", "欧洲杯", "美洲杯", "非洲杯", "联合会杯",
)


def alternation(words) -> str:
    """A regex alternation of literal words, longest first (博览(交易)会 holds brackets)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_PRG_SUFFIX_RE = re.compile(
    "|".join(
        [f"{_VERSIONED}"]
        + [
            f"{re.escape(s)}(?![{re.escape(bad)}])" if bad else re.escape(s)
            for s, bad in sorted(_PRG_SUFFIXES.items(), key=lambda kv: -len(kv[0]))
        ]
    )
)
_EVT_SUFFIX_RE = re.compile(
    # (not the 年会 of 今年会是, 青年会)
    f"(?<![今明去当每青])年会(?!{_EVT_NOT_FOLLOWED})|"
    f"(?!年会)(?:{alternation(_EVT_STRONG + _EVT_WEAK + _EVT_KNOWN)})(?!{_EVT_NOT_FOLLOWED})"
)
_SEVERAL_RE = re.compile("[两三四五六七八九十]大$")
# Unquoted, a count of programmes is no programme's name: 实施两大工程 (quoted it is one: 四川发布了
# 科技成果转化“十大行动”; and so is 十大跃升行动).
_COUNT_ONLY_RE = re.compile("[一二两三四五六七八九十百]+大")
_ONE_MORE_RE = re.compile("(?:又|另)?一(?!带一路)")
# A competition's stage is part of its name: 全国大学生数学竞赛决赛, 锦标赛半决赛.
# a stage after a competition's name: …大赛总决赛, …联赛（长春站）, …锦标赛(吉林赛区)
_STAGE_RE = re.compile("总决赛|半决赛|决赛|复赛|预赛|初赛|资格赛|[(（][\u4e00-\u9fff]{2,6}(?:站|赛区|分站)[)）]")
_EVT_SUFFIX_AT_END = re.compile(f"(?:{alternation(_EVT_STRONG + _EVT_WEAK + _EVT_KNOWN)})$")
_EVT_WEAK_SET = frozenset(_EVT_WEAK)
# Any X节 is a festival when it has an edition or a year (第七届…长白山人参节, 2024…梨花节); not
# 节日/节目/节约/节能…, not the holidays (2024年春节, 2023年中秋节).
_FESTIVAL_RE = re.compile("节(?![日目约能点奏假俭气水电后前礼庆拍制])")
_HOLIDAYS = tuple(
    """中秋 国庆 端午 清明 元宵 重阳 劳动 儿童 妇女 教师 护士 记者 青年 建军 情人 圣诞 感恩 七夕 腊八
    小年 五一 六一 八一 三八 五四 七一 十一 新春 春 万圣 复活 父亲 母亲""".split()
)
_EVT_KNOWN_SET = frozenset(_EVT_KNOWN)

# An event's organising committee: 长春国际马拉松|组委会 is an organisation named after the event.
COMMITTEE = re.compile("组委会|组织委员会|执委会|筹委会")

# X长制: 河长制, 林长制, 田长制, 链长制 (not 家长制).
_CHIEF_SYSTEM_RE = re.compile("(?:河湖|网格|河|湖|林|田|路|链|山|街|巷|楼|园|警)长制")
# A quoted working system (“标准地+承诺制”, “首问负责制”) is a name by itself, like “林长制”; not
# the 制 of a verb or an abstract noun (“严格控制”, “创新体制”), nor “家长制”.
_QUOTED_SYSTEM_RE = re.compile("..+(?<![体机编控限管抑节牵遏压克强专法印绘研复定录烧学税币兵帝官建])(?<!家长)制")
# 党的二十大, 党的十九届六中全会
_PARTY_CONGRESS_RE = re.compile(
    "党的(?:[二三]?十[一二三四五六七八九]?)(?:大|届[一二三四五六七八九]中全会)"
)

_QUOTE_RE = re.compile(
    "|".join(
        f"{re.escape(o)}([^{re.escape(o + c)}\\n]{{1,{_MAX_QUOTED}}}){re.escape(c)}"
        for o, c in _OPEN_TO_CLOSE.items()
    )
)
_TITLE_RE = re.compile(f"《([^《》\\n]{{2,60}})》")
# 电视剧《破冰行动》, 电影《红海行动》: works, not programmes
_WORK_BEFORE_TITLE_RE = re.compile(
    "(?:电视剧|电影|影片|纪录片|综艺|小说|歌曲|专辑|话剧|舞剧|节目|剧集|新书|著作|动画片?)$"
)
# 《…行动计划（2023—2027年）》: a bracketed period or status after the head
_TITLE_SUFFIX_RE = re.compile(
    f"(?:{alternation(_TITLE_SUFFIXES)})(?:（[^（）]{{2,14}}）|\\([^()]{{2,14}}\\))?$"
)
_QUOTED_NAME_RE = re.compile(
    f"(?:{alternation(_QUOTED_PRG_SUFFIXES)})(?:[0-9]+(?:\\.[0-9]+)?版|[0-9]{{4}})?$"
)
# After a closing quote: a short run of name characters ending in a programme head.
# (Not followed by a noun that makes the head a modifier: “过滤”政策文本, “…大厅”政策受理系统.)
_COMPOUND_AFTER_HEAD = (
    "文本|文件|受理|审批|系统|平台|红利|资金|体系|性|法规|研究|宣传|解读|咨询|措施|兑现|扶持|环境|"
    "制度|效应|待遇|申报|汇编|工具|框架|库|包|类|合作|伙伴"
)
_AFTER_QUOTE_PRG_RE = re.compile(
    f"[{_HAN}0-9]{{0,10}}?(?:{alternation(_QUOTED_PRG_SUFFIXES)})(?![{_HAN}])"
    f"|[{_HAN}0-9]{{0,10}}(?:{alternation(_QUOTED_PRG_SUFFIXES)})(?!{_COMPOUND_AFTER_HEAD})"
)
_QUOTE_INNER_BAD = re.compile("[，。！？；：,!?;]")
# A quoted sentence (speech), not a name.
_SPEECH_RE = re.compile("我们|你们|他们|咱们|(?<![重主需必纲])要(?!素)|了|吗|呢|吧")
_QUANTIFIER_RE = re.compile("[多位名个枚些]")
_FEW_RE = re.compile("[几数多][场个次轮]")
# What may precede a known short name: a year, an ordinal, a place (杭州亚运会, 第19届亚运会).
_KNOWN_EVENT_RUN_RE = re.compile(
    f"(?:(?:19|20)[0-9]{{2}}年?)?(?:第[0-9一二三四五六七八九十]+届)?(?:[{_HAN}]{{2,3}})?$"
)
# Verbs that launch a programme; a quoted slogan right after one of them is its name.
_LAUNCH_VERB_RE = re.compile("(?:实施|启动|推进|开展|落实|深化|推行|参与|融入)$")
# A kind of economy or industry is no slogan of a programme: 推进“林下经济”, 发展“银发经济”.
_SECTOR_RE = re.compile("(?:经济|产业|行业|业态)$")
# A list of quoted names that a class noun after 等 calls measures: 推出“船边直提”“抵港直装”等改革措施.
_QUOTED_LIST_ITEM_RE = re.compile(f"、?(?:{_QUOTE_RE.pattern})")
# The class noun ends a word: text, or a verb that takes the measures as its subject, follows
# (…等措施落地见效), not a longer noun (…等措施费).
_MEASURES_AFTER_LIST_RE = re.compile(
    f"等[{_HAN}]{{0,4}}?(?:措施|举措|政策|制度|机制|模式|行动|工程|改革)"
    f"(?:(?![{_HAN}])|(?=落地|落实|见效|实施|出台|推出|推行|取得|发挥|释放|惠及|覆盖|施行|生效))"
)
_NOT_A_PROGRAMME_AFTER = re.compile("目标|时期|期间|精神|理念|要求|难题|问题|之年|字|式|型|化")

# --- left boundaries -------------------------------------------------------------------------

# Function words and verbs that end the words before a name: the name starts after the last
# one. Look-arounds keep them from firing inside words (共和国, 数据要素, 中等职业).
_COMMON_STOPS = [
    "(?<!共)和(?!旅游|平|谐|美|睦)", "(?<![普涉危波])及(?!时|格)", "或", "以及", "的", "了", "是",
    "为(?!民|侨)", "将(?!军)", "把", "被", "(?<!自)由", "(?<![面导志方意倾动走])向",
    "对(?![接外口标话俄日韩美欧非台港澳东])", "从", "在", "于", "到(?!位)", "(?<![中平高同初均对优])等",
    "(?<![重主需必纲只简])要(?!素|点|件|闻)", "(?<![可所加予得难])以(?!工|旧|奖|赛)",
    "(?<![经通超越穿])过(?!境|渡)", "自从", "已经", "曾经", "据悉", "据了解", "据介绍", "获悉",
    "(?<![兼合吞])并(?!购|网|联|行|举|肩|列|存)", "即(?!墨)",
    "了解到", "记者", "包括", "涵盖", "其中", "又", "也", "还", "已", "而", "但",
    "今年", "去年", "明年", "近日", "日前", "目前", "作为", "成为", "就是", "称为", "名为", "正式",
    "先后", "分别", "同期", "此外", "一批", "一项", "多次", "多场", "多届",
    # verbs and quantifiers that end the words before a name in older and foreign news
    "曾", "任何", "这项", "这一", "此次", "本次", "这次", "那次", "该次", "这场", "那场", "本场", "该场",
    "这届", "那届", "几届", "几次", "看(?!守)", "给", "继(?!续)",
    "接受", "发起(?!人)", "关注", "变成", "产生", "进行", "维护", "完善", "根据", "当作", "使(?!馆|用|命|团)",
    "应(?!用|急|届|对)", "有(?!限|关|色|机|线|效|奖)", "成立(?!大会|庆典|仪式|周年)", "(?<![通资])讯",
    "随着", "公布", "重启", "赢回", "上半年", "下半年", "可以", "能够", "尽管", "最近",
]
_PRG_STOPS = [
    "实施", "启动", "推进", "推动", "开展", "落实", "深入", "深化", "加快", "围绕", "通过", "出台",
    "制定", "印发", "发布", "推出", "部署", "推行", "实行", "执行", "组织", "谋划", "打造", "打赢",
    "打好", "打响", "承担", "入选", "获批", "参与", "参加", "纳入", "列入", "按照", "依托", "借助",
    "聚焦", "结合", "持续", "全面", "大力", "积极", "扎实", "稳步", "率先", "着力", "加强", "强化",
    "完善", "健全", "建立", "构建", "提出", "动员", "全力", "坚决", "坚定不移", "不断", "继续",
    "进一步", "采取", "开启", "迎来", "响应", "设立", "申报", "项目", "新一轮", "牵头", "宣布",
    "获得", "荣获", "获评", "评为", "暂停", "停止", "策划", "发动", "发生",
    "符合", "利用", "付出", "称赞", "见证", "询问", "保证", "却", "修订", "修改",
    "完成", "超过", "查处", "掀起", "打入", "介绍", "下达", "举行", "举办", "召开", "没能", "未能", "迟迟",
]
_EVT_STOPS = [
    "召开", "举办", "举行", "开幕", "闭幕", "出席", "参加", "参与", "参会", "参赛", "参展", "主办", "承办",
    "协办", "(?<!合作)(?<!贸易)(?<!卫生)组织(?!工作|部)", "传达学习", "学习贯彻", "传达", "贯彻",
    "开展", "启动", "亮相", "观摩", "主持", "来到", "走进", "聚焦", "备战", "赴", "出征", "夺得",
    "获得", "荣获", "迎来", "筹办", "办好", "签约", "收获", "落实", "推出", "赢得",
    "加盟", "参战", "征战", "出战", "击败", "战胜", "兵败", "宣布", "排名", "遭遇", "遭受", "经历",
    "(?<![规准法原细守总否实])则", "通往", "直通", "锁定", "晋级", "进军", "冲击", "无缘", "告别", "简称", "设立",
    "很多", "许多", "不少",
    "接见", "现身", "闪耀", "包揽", "列入", "力争", "办成", "取得", "加冕", "护卫",
    # a league as a common noun in match reports: 结束联赛的, 屈居联赛亚军, 两队联赛争冠
    "结束", "屈居", "继续", "携手", "觊觎", "迎接", "选入", "逛", "双方", "两队", "周末", "周中",
    "本周", "上周", "下周", "卫冕", "队内", "战队", "争夺", "各类", "各种", "主场", "客场",
]
_PRG_STOP_RE = re.compile("|".join(sorted(_COMMON_STOPS + _PRG_STOPS, key=len, reverse=True)))
_EVT_STOP_RE = re.compile("|".join(sorted(_COMMON_STOPS + _EVT_STOPS, key=len, reverse=True)))

# Dropped from the start of a run: dates, time words, deictics (本届, 我省, 该).
_LEADING_JUNK_RE = re.compile(  # used with match(text, pos): no ^, which would only match at 0
    "(?:[0-9]+(?:家|个|项|名|位|批|场|轮|种|类|届|次|起|粒|球)|[一二三四五六七八九十两几多数]+(?:个|场|轮|项|家|名|位|批|种|类|起|次)|"
    "(?:[0-9]{1,2}月)?[0-9]{1,2}日|[0-9]{1,2}月(?:份)?|今天|昨天|昨日|今日|当天|当日|近期|日前|上年|前年|"
    "此前|随后|上午|下午|晚上|当时|当年|那时|本届|本次|此次|这次|该次|上次|下次|这届|下一?届|上一?届|历届|每届|各届|"
    "这一|这项|该项|此项|这家|该家|那家|一家|这些|那些|这场|那场|这个|一场|一次|"
    "该市|该省|该县|该区|该地|各地|各级|"
    "本|该|这|此|那|每|各|据|我国|我省|我市|我区|我县|我州|我校|全体|新赛季|本赛季|上赛季|赛季|新一届|暨|其他|其它|"
    "[上下本首次]轮|一年一度|一届|(?:新华社|中新社|中新网|新华网|人民网|央视网)[0-9\u4e00-\u9fff]{0,10}?电(?!视|影|子|力|网|动)|"
    "[\u4e00-\u9fff]{2,8}?[0-9]{1,2}月[0-9]{1,2}日电)+"
)
# Kinds of act: no programme's name on their own, nor at the end of one before 行动 (极端暴力行动)
_KINDS_OF_ACT = "恐怖主义 恐怖 暴力 犯罪 侵略 报复 破坏 挑衅 敌对 抗议 示威 罢工 军事 拘捕 抓捕 逮捕 搜捕 突袭 营救".split()
_GENERIC_PRG_RUN = frozenset(_KINDS_OF_ACT) | frozenset(
    """实际 具体 联合 统一 一致 自觉 共同 集体 救援 有力 专项 紧急 一系列 系列 重大 有效 果断
    迅速 坚决 务实 切实 学习 工作 年度 生产 发展 采购 出行 旅行 训练 招生 投资 教学 原 总 长期 短期
    中期 整体 详细 初步 五年 三年 十年 两年 研究 建设 实施 国家 总体 长远 全球 竞争 营销 品牌 经营
    裁员 召回 增持 减持 回购 上市 融资 发行 扩张 招聘 收购 并购 重要 企业 公司 系统 土木 软件 水利
    重点 基础 配套 德政 民生 民心 形象 面子 一揽子 相关 有关 头号 一号 收入 支出
    各项 这项 一项 整个 在建 施工 宣传 庆祝 纪念 文体 志愿服务 主题 公益 文明 环保 节约 全民 书面
    非法 违法 维和 反恐 贷款 维修 扩建 改扩建 改建 新建 续建 基建 培训 合作 个人 改造 预算 飞行 追加
    袭击 优质 示范 防洪 改革 主体 一期 二期 三期 四期 首期 新一期""".split()
)
_KIND_OF_ACT_RE = re.compile(f"(?:{alternation(_KINDS_OF_ACT)})$")
_ENGINEERING_DISCIPLINE_RE = re.compile(
    "(?:土木|软件|系统|机械|电气|化学|化工|生物|遗传|环境|材料|水利|通信|信息|交通|建筑|市政|安装|"
    "装饰|隧道|桥梁|电子|测绘|工业|农业|医学|基因|蛋白质|细胞)$"
)
# (a place as subject too: 今年冬季吉林市计划接待游客…)
_PLANNER_RE = re.compile(
    "(?:公司|企业|集团|银行|工厂|团队|部门|政府|国务院|[部局委厅署]|我们|他们|她们|他|她|[省市县州镇乡])$"
)
_STRATEGIST_RE = re.compile("(?:公司|企业|集团|银行|舰队|部队|军队|球队|俱乐部|国防部|军)$")
# A company's or a person's own plan to do something (资产出售计划, 股份回购计划, 新厂扩产计划):
# the run is a short object plus a business act, not a programme's name.
_ROUTINE_PLAN_RE = re.compile(
    "(?:出售|收购|并购|增持|减持|回购|上市|融资|发行|重组|裁员|扩产|扩张|分红|转让|出资|采购|销售|"
    "生产|增产|减产|招聘|出行|旅行|购房|装修|搬迁|改造|维修|投资|购债|新车|自杀|备胎|增资|扩股)$"
)
_GENERIC_EVT_RUN = frozenset(
    """新闻 视频 电话 专题 工作 全体 紧急 重要 相关 有关 各类 各种 各项 大型 小型 线上 线下 现场
    高水平 国际性 年度 系列 专场 主题 网络 学术 在线 线上线下 高端 重大 一年一度 高规格 多场 国内 省级 市级
    国家级 首场 分 总结 高峰 不同 各大 主要 国内外 顶级 职业 次级 重要赛事
    后续 今后 未来 此后 以后 近期 其他 其它 更多 多个 多项 各级 今年 明年 去年 新品 什么""".split()
)
# Year, ordinal, scope: what makes a weak event head specific.
_EVT_ORDINAL_RE = re.compile(
    "(?:19|20)[0-9]{2}(?:年度?)?|第?[0-9一二三四五六七八九十百零]+[届次]|首届"
)
_EVT_SCOPE_RE = re.compile(
    "全国|全省|全市|全区|全县|全州|全盟|全球|世界|国际|中国|中央|亚洲|国务院|党中央|政府|人大|政协|"
    "省|市|县|区|州|杯|夏季|冬季|春季|秋季"
)


# --- helpers ---------------------------------------------------------------------------------

def _is_name_char(text: str, i: int) -> bool:
    ch = text[i]
    if _NAME_CHAR.match(ch):
        return True
    if ch in _JOINERS or ch == ".":
        before = i > 0 and _NAME_CHAR.match(text[i - 1])
        after = i + 1 < len(text) and _NAME_CHAR.match(text[i + 1])
        if ch == ".":
            return bool(before and after and text[i - 1].isdigit() and text[i + 1].isdigit())
        return bool(before and after)
    return False


def _walk_left(
    text: str, end: int, max_len: int, through_quotes: bool
) -> tuple[int, list[tuple[int, int]]]:
    """Start of the run of name characters ending at `end`, and the quoted parts jumped over."""
    i = end
    jumped: list[tuple[int, int]] = []
    while i > 0 and end - i < max_len:
        ch = text[i - 1]
        if _is_name_char(text, i - 1):
            if ch == "暨" and _EVT_SUFFIX_AT_END.search(text, max(0, i - 8), i - 1):
                break  # A暨B with A a complete event: two events
            i -= 1
        elif ch in ")）":
            # a short bracketed place inside a name: 中国(深圳)国际…, 全国学生(青年)运动会
            j = text.rfind("(" if ch == ")" else "（", max(0, i - 7), i - 1)
            if j <= 0 or not all(_NAME_CHAR.match(c) for c in text[j + 1 : i - 1]) or j + 1 == i - 1:
                break
            if not _NAME_CHAR.match(text[j - 1]):
                break
            i = j
        elif through_quotes and ch in _CLOSE_TO_OPEN:
            j = text.rfind(_CLOSE_TO_OPEN[ch], max(0, i - _MAX_QUOTED - 2), i - 1)
            if j < 0 or any(c in _SENTENCE_PUNCT for c in text[j + 1 : i - 1]):
                break
            jumped.append((j, i))
            i = j
        else:
            break
    return i, jumped


def _cut_at_stops(text: str, start: int, end: int, stop_re: re.Pattern, jumped) -> int:
    """Move `start` past the last stop word in text[start:end] that is not inside a quote."""
    new_start = start
    # endpos past `end`: look-aheads must see the head (组织(?!工作) in 全国组织工作会议)
    for m in stop_re.finditer(text, start, end + _LOOKAHEAD):
        if m.start() >= end:
            break
        if m.end() > end or any(a <= m.start() < b for a, b in jumped):
            continue
        new_start = m.end()
    return new_start


def _trim_leading(text: str, start: int, end: int) -> int:
    m = _LEADING_JUNK_RE.match(text, start, end)
    return m.end() if m else start


def _left_run(text: str, suffix_start: int, label: str) -> tuple[int, str]:
    """Start of the name ending at `suffix_start` and its modifier text (the run before the head)."""
    if label == PRG:
        lo, jumped = _walk_left(text, suffix_start, _MAX_PRG_RUN, through_quotes=False)
        lo = _cut_at_stops(text, lo, suffix_start, _PRG_STOP_RE, jumped)
    else:
        lo, jumped = _walk_left(text, suffix_start, _MAX_EVT_RUN, through_quotes=True)
        lo = _cut_at_stops(text, lo, suffix_start, _EVT_STOP_RE, jumped)
    lo = _trim_leading(text, lo, suffix_start)
    if text[lo : lo + 1] in ("(", "（"):  # a byline in brackets first: 电（黎梦青）意大利足球甲级联赛
        close = text.find(")" if text[lo] == "(" else "）", lo, suffix_start)
        if close > 0:
            lo = _trim_leading(text, close + 1, suffix_start)
    while lo < suffix_start and not (_NAME_CHAR.match(text[lo]) or text[lo] in _OPEN_TO_CLOSE):
        lo += 1  # never start on a joiner or a bracket
    return lo, text[lo:suffix_start]


def _programme_run_ok(run: str, head: str) -> bool:
    if len(run) < 2 or run in _GENERIC_PRG_RUN or _COUNT_ONLY_RE.fullmatch(run):
        return False
    if head == "行动" and _KIND_OF_ACT_RE.search(run):
        return False  # 极端暴力行动, 空服员罢工行动
    if head == "工程" and _ENGINEERING_DISCIPLINE_RE.search(run):
        return False
    if head == "倡议" and len(run) < 4:
        return False
    if head == "计划" and _PLANNER_RE.search(run):
        return False  # 该公司计划…: a subject before the verb 计划
    if head == "战略" and _STRATEGIST_RE.search(run):
        return False  # 第六舰队战略, 集团战略: a body's own strategy (not 科技强省战略)
    if head == "计划" and run.endswith("原"):
        return False  # 比原计划提前: the original plan
    if head == "计划" and len(run) <= 6 and _ROUTINE_PLAN_RE.search(run):
        return False
    return True


# 全国人民代表大会, 省人民代表大会: the legislature, an organisation (its sessions are events)
_LEGISLATURE_RUN_RE = re.compile("(?:全国|[省市县区州])?人民")


# …人民代表大会第三次会议, …党代会第二次全体会议: a session of a congress is one event, named in full
_CONGRESS_SESSION_RE = re.compile("(?:代表大会|党代会)第[0-9一二三四五六七八九十]+次(?:全体)?$")


def _event_run_ok(run: str, head: str) -> bool:
    if head == "代表大会" and _LEGISLATURE_RUN_RE.fullmatch(run):
        return False
    if head == "会议" and run.endswith("政治协商"):
        return False  # 中国人民政治协商会议: the body (its sessions are events)
    residual = _EVT_ORDINAL_RE.sub("", run).strip("()（）")
    if (
        head in _EVT_WEAK_SET
        and (_EVT_SUFFIX_RE.search(run) or _FEW_RE.search(run))
        and not _CONGRESS_SESSION_RE.search(run)
    ):
        return False  # a stage or session of an event found on its own (…锦标赛第二站比赛)
    if _SEVERAL_RE.search(run):
        return False  # 欧洲五大联赛: several events, not one
    if head == "联赛" and "轮" in run:
        return False  # 曼城上轮联赛, 近两轮联赛: a team's recent games in a league
    if head in _EVT_WEAK_SET and _ONE_MORE_RE.match(run):
        return False  # 又一重大国际综合性冰雪赛事: a description, not a name
    if head in _EVT_WEAK_SET:
        # 全省安全生产…会议, 省政府第十次常务会议, 十四届全国人大一次会议; not 国际比赛, 2023年会议
        has_ordinal = residual != run.strip("()（）")
        if not (has_ordinal or _EVT_SCOPE_RE.search(run)):
            return False
        if not has_ordinal:
            residual = _EVT_SCOPE_RE.sub("", residual)
    return len(residual) >= 2 and residual not in _GENERIC_EVT_RUN


# --- rule families ---------------------------------------------------------------------------

def _titles(text: str, rejected: list[tuple[int, int]]):
    """Programme documents among 《…》 titles; other titles (papers, books, films) go to `rejected`."""
    for m in _TITLE_RE.finditer(text):
        inner = m.group(1)
        # 《意见》, 《规划》: short forms of a title given in full earlier
        if (
            _TITLE_SUFFIX_RE.search(inner)
            and len(inner) >= (3 if inner.endswith("法") else 4)
            and not _WORK_BEFORE_TITLE_RE.search(text, max(0, m.start() - 4), m.start())
        ):
            yield RuleSpan(m.start(1), m.end(1), PRG, "title")
        else:
            rejected.append((m.start(1), m.end(1)))


def _quoted(text: str):
    listed_until = -1  # end of a quoted programme that a launch verb introduced: “直播带岗”“送岗下乡”
    for m in _QUOTE_RE.finditer(text):
        g = next(i for i in range(1, 6) if m.group(i) is not None)
        inner, a, b = m.group(g), m.start(g), m.end(g)
        close = m.end()
        if (_QUOTED_NAME_RE.search(inner) or _QUOTED_SYSTEM_RE.fullmatch(inner)) and not _QUOTE_INNER_BAD.search(inner):
            if len(inner) >= 3 and not _SPEECH_RE.search(inner):
                yield RuleSpan(a, b, PRG, "quoted")
            continue
        if _QUOTE_INNER_BAD.search(inner):
            continue
        if len(inner) >= 3 and _EVT_SUFFIX_AT_END.search(inner):
            yield RuleSpan(a, b, EVT, "quoted")  # 开展“农民丰收节”系列活动: the event, not a programme
            continue
        after = _AFTER_QUOTE_PRG_RE.match(text, close)
        stop = after and _PRG_STOP_RE.search(text, close, after.end())
        if stop:  # a verb ends the name: “两城三区”空间布局|推进重大项目
            after = _AFTER_QUOTE_PRG_RE.match(text, close, stop.start())
        # (…“庆丰收”中国农民丰收节系列活动: the activities of an event, which the event rule names)
        if after and not _PRG_STOP_RE.search(text, close, after.end()) and not _EVT_SUFFIX_RE.search(
            text, close, after.end()
        ):
            yield RuleSpan(m.start(), after.end(), PRG, "quoted+suffix")
            continue
        introduced = (
            _LAUNCH_VERB_RE.search(text, max(0, m.start() - 2), m.start())
            or (listed_until >= 0 and text[listed_until : m.start()] in ("", "、"))
            or _measures_listed(text, close)
        )
        if (
            2 <= len(inner) <= 10
            and introduced
            and not _NOT_A_PROGRAMME_AFTER.match(text, close)
            and not _SECTOR_RE.search(inner)
        ):
            yield RuleSpan(a, b, PRG, "quoted+context")
            listed_until = close


def _measures_listed(text: str, pos: int) -> bool:
    """Whether the quoted names that end at `pos` (and any that follow it) are called measures:
    “船边直提”“抵港直装”等改革措施."""
    while (item := _QUOTED_LIST_ITEM_RE.match(text, pos)) is not None:
        pos = item.end()
    return _MEASURES_AFTER_LIST_RE.match(text, pos) is not None


def _programme_suffixes(text: str):
    for m in _PRG_SUFFIX_RE.finditer(text):
        head = m.group()
        lo, run = _left_run(text, m.start(), PRG)
        if _programme_run_ok(run, head):
            yield RuleSpan(lo, m.end(), PRG, "suffix")
    for m in _CHIEF_SYSTEM_RE.finditer(text):
        yield RuleSpan(m.start(), m.end(), PRG, "suffix")


def _event_suffixes(text: str):
    for m in _EVT_SUFFIX_RE.finditer(text):
        head = m.group()
        lo, run = _left_run(text, m.start(), EVT)
        if head in _EVT_KNOWN_SET:
            # 杭州亚运会, 第19届亚运会; but 多位奥运会(金牌得主) -> 奥运会
            if run and (run in _GENERIC_EVT_RUN or not _KNOWN_EVENT_RUN_RE.match(run)
                        or _QUANTIFIER_RE.search(run)):
                lo, run = m.start(), ""
            yield RuleSpan(lo, m.end(), EVT, "event-suffix" if run else "known")
        elif _event_run_ok(run, head):
            stage = _STAGE_RE.match(text, m.end()) if head.endswith("赛") else None
            end = stage.end() if stage else m.end()
            if head.endswith("会") and text.startswith("议", end):
                end += 1  # 工作推进会议, 动员会议: the head is 会议, which the match 推进会 hid
                if _EVT_NOT_FOLLOWED_RE.match(text, end):
                    continue  # 博览会议中心: a building
            yield RuleSpan(lo, end, EVT, "event-suffix")
    for m in _FESTIVAL_RE.finditer(text):
        if _EVT_SUFFIX_AT_END.search(text, max(0, m.end() - 8), m.end()):
            continue  # 艺术节, 冰雪节: a head of their own
        lo, run = _left_run(text, m.start(), EVT)
        residual = _EVT_ORDINAL_RE.sub("", run).strip("()（）")
        if residual.endswith(_HOLIDAYS):
            continue
        if (residual != run.strip("()（）") and len(residual) >= 2) or _place_festival(run):
            yield RuleSpan(lo, m.end(), EVT, "event-suffix")
    for m in _PARTY_CONGRESS_RE.finditer(text):
        yield RuleSpan(m.start(), m.end(), EVT, "known")


# …节 named by a division and two to four characters of its own: 吉林市冬捕节, 长春市消夏节 (not
# 长春市各环节, 吉林省季节)
_FESTIVAL_OWN = re.compile("[\u4e00-\u9fff]{2,4}")
_NOT_IN_FESTIVAL = set("个各每些这那该此本其的环细季关调章音情礼和与及等")


def _place_festival(run: str) -> bool:
    from kg.geo import Gazetteer

    gaz = Gazetteer.load()
    place, _, rest = gaz.split(run)
    return (bool(place) and gaz.is_place_name(place) and _FESTIVAL_OWN.fullmatch(rest) is not None
            and not _NOT_IN_FESTIVAL & set(rest))


def find_programmes_events(text: str) -> list[RuleSpan]:
    """Programme and event spans in `text`, sorted and non-overlapping (longest wins)."""
    rejected: list[tuple[int, int]] = []
    candidates = [
        *_titles(text, rejected),
        *_quoted(text),
        *_programme_suffixes(text),
        *_event_suffixes(text),
    ]
    if rejected:  # nothing inside the title of a film or a newspaper: 电视剧《破冰行动》
        candidates = [c for c in candidates if not any(a <= c.start and c.end <= b for a, b in rejected)]
    candidates.sort(key=lambda s: (s.start - s.end, s.start))
    taken = bytearray(len(text))
    chosen: list[RuleSpan] = []
    for span in candidates:
        if span.end <= span.start or any(taken[span.start : span.end]):
            continue
        taken[span.start : span.end] = b"\x01" * (span.end - span.start)
        chosen.append(span)
    chosen.sort(key=lambda s: s.start)
    return chosen


_COMMITTEE_AT_END = re.compile(f"(?:{COMMITTEE.pattern})$")


def committee_event(name: str) -> tuple[int, int] | None:
    """The span of the event an organising committee is named after, inside the committee's
    name (长春国际马拉松|组委会 -> (0, 7)); None when the name is no event's committee."""
    m = _COMMITTEE_AT_END.search(name)
    if m is None:
        return None
    head = name[: m.start()]
    event = next((r for r in find_programmes_events(head) if r.label == EVT and r.end == len(head)), None)
    return (event.start, event.end) if event else None
