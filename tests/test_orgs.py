"""Completing organisation names that start with a place."""
from __future__ import annotations

import pytest

from kg.nlp.orgs import complete_orgs
from kg.nlp.pipeline import Ent


def ents(text, *spans):
    return [Ent(s, e, lab, text[s:e], "ner") for s, e, lab in spans]


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("巴基斯坦外交部发言人说", [(0, 4, "LOC")], [("巴基斯坦外交部", "ORG")]),
        ("辽宁省岫岩县青山橡胶产品实业公司成立", [(0, 3, "LOC"), (3, 6, "LOC")], [("辽宁省岫岩县青山橡胶产品实业公司", "ORG")]),
        ("马来西亚男队获胜", [(0, 6, "LOC")], [("马来西亚男队", "ORG")]),
        ("吉林省速度滑冰队派出12名选手", [(0, 3, "LOC")], [("吉林省速度滑冰队", "ORG")]),
        ("通化市人民政府与国药集团签约", [(0, 3, "LOC")], [("通化市人民政府", "ORG")]),
        # a division the model read as an organisation runs on the same way; other organisations not
        ("由内蒙古自治区人民政府主办", [(1, 7, "ORG")], [("内蒙古自治区人民政府", "ORG")]),
        ("国家体育总局体育文化发展中心", [(0, 6, "ORG")], [("国家体育总局", "ORG")]),
        ("长春高新技术产业(集团)股份有限公司加大投入", [(0, 2, "LOC")], [("长春高新技术产业(集团)股份有限公司", "ORG")]),
        ("吉林市文化广电和旅游局局长介绍", [(0, 3, "LOC")], [("吉林市文化广电和旅游局", "ORG")]),
        ("中国科学院长春光学精密机械与物理研究所等院所", [(0, 5, "ORG"), (14, 19, "ORG")],
         [("中国科学院长春光学精密机械与物理研究所", "ORG")]),
        ("吉林大学与物理研究所合作", [(0, 4, "ORG"), (5, 10, "ORG")], [("吉林大学", "ORG"), ("物理研究所", "ORG")]),
        ("吉林大学、物理研究所", [(0, 4, "ORG"), (5, 10, "ORG")], [("吉林大学", "ORG"), ("物理研究所", "ORG")]),
        ("长春理工大学成立光电与信息学院", [(0, 6, "ORG"), (8, 15, "ORG")],
         [("长春理工大学", "ORG"), ("光电与信息学院", "ORG")]),
        ("山西省公安厅通报", [(0, 3, "LOC")], [("山西省公安厅", "ORG")]),
        # the trade name the model left out, whatever follows 公司 (生产, 员工, 长期)
        ("吉林通鑫玄武岩科技股份有限公司生产车间", [(0, 2, "LOC"), (4, 15, "ORG")], [("吉林通鑫玄武岩科技股份有限公司", "ORG")]),
        ("长春恒达机械有限公司员工", [(0, 2, "LOC")], [("长春恒达机械有限公司", "ORG")]),
        ("北京大学生物系", [(0, 2, "LOC")], [("北京", "LOC")]),  # 大学生, not 大学
        ("长春市民政局发布", [(0, 3, "LOC")], [("长春市民政局", "ORG")]),
        ("中国一汽发布新车", [(0, 2, "LOC"), (2, 4, "ORG")], [("中国一汽", "ORG")]),
        ("美国波音公司", [(0, 2, "LOC"), (2, 6, "ORG")], [("美国", "LOC"), ("波音公司", "ORG")]),
        # a department's name longer than eight characters before its head
        ("记者从四平市人力资源和社会保障局获悉", [(3, 6, "LOC"), (11, 16, "ORG")], [("四平市人力资源和社会保障局", "ORG")]),
        ("中国发展新格局", [(0, 2, "LOC")], [("中国", "LOC")]),
        ("南亚地区局势紧张", [(0, 2, "LOC")], [("南亚", "LOC")]),
        ("长春站候车大厅", [(0, 3, "LOC")], [("长春站", "LOC")]),
        ("北京和上海旅游局", [(0, 2, "LOC"), (3, 5, "LOC")], [("北京", "LOC"), ("上海旅游局", "ORG")]),
        # left alone: no head word, a function word in between, X政府, a one-character place
        ("中国西部地区", [(0, 2, "LOC")], [("中国", "LOC")]),
        ("北京和上海的公司", [(0, 2, "LOC"), (3, 5, "LOC")], [("北京", "LOC"), ("上海", "LOC")]),
        ("中国政府表示", [(0, 2, "LOC")], [("中国", "LOC")]),
        ("美头500家大公司", [(0, 1, "LOC")], [("美", "LOC")]),
        ("长春市局长说", [(0, 3, "LOC")], [("长春市", "LOC")]),
        ("吉林省军队", [(0, 3, "LOC")], [("吉林省", "LOC")]),  # 队 alone is no team's head
        # a quantifier, a pronoun, a verb or a rank between place and head: no name
        ("阿根廷一家电视台记者", [(0, 3, "LOC")], [("阿根廷", "LOC")]),
        ("南非军方负责人会见我代表团", [(0, 2, "LOC")], [("南非", "LOC")]),
        ("开发区没有小学", [(0, 3, "LOC")], [("开发区", "LOC")]),
        # a meeting verb: the place holds the meeting, the body after it is named apart
        ("内蒙古自治区召开自治区党委全会", [(0, 6, "LOC"), (8, 13, "ORG")], [("内蒙古自治区", "LOC"), ("自治区党委", "ORG")]),
        ("比利时第二大银行", [(0, 3, "LOC")], [("比利时", "LOC")]),
        ("北京市各卫生部门", [(0, 3, "LOC")], [("北京市", "LOC")]),  # 部门 is no ministry
        # a company or team named by its place alone is a common noun; a ministry is a name
        ("美国公司利用", [(0, 2, "LOC")], [("美国", "LOC")]),
        ("广东球队战绩", [(0, 2, "LOC")], [("广东", "LOC")]),
        ("美国财政部宣布", [(0, 2, "LOC")], [("美国财政部", "ORG")]),
        ("吉林省长城汽车公司", [(0, 3, "LOC")], [("吉林省长城汽车公司", "ORG")]),
        # an administrative place right before an organisation is part of its name
        ("山东省枣庄市市中区回民小学组织", [(0, 3, "LOC"), (3, 6, "LOC"), (6, 13, "ORG")],
         [("山东省枣庄市市中区回民小学", "ORG")]),
        ("内蒙古鄂托克前旗人武部", [(0, 3, "LOC"), (3, 8, "LOC"), (8, 11, "ORG")], [("内蒙古鄂托克前旗人武部", "ORG")]),
        ("美国麻省理工学院", [(0, 2, "LOC"), (2, 8, "ORG")], [("美国", "LOC"), ("麻省理工学院", "ORG")]),
        ("吉林省、长春理工大学", [(0, 3, "LOC"), (4, 10, "ORG")], [("吉林省", "LOC"), ("长春理工大学", "ORG")]),
        # a role or "subsidiary of" after an organisation is not part of its name
        ("皇马巨星贝尔复出", [(0, 4, "ORG"), (4, 6, "PER")], [("皇马", "ORG"), ("贝尔", "PER")]),
        ("湖南广电旗下芒果TV", [(0, 9, "ORG")], [("湖南广电", "ORG")]),
        ("中国足协主席表示", [(0, 6, "ORG")], [("中国足协", "ORG")]),
        ("党委书记", [(0, 4, "ORG")], [("党委", "ORG")]),
        ("大会主席团", [(0, 5, "ORG")], [("大会主席团", "ORG")]),  # a body, not a role
        ("长春高新技术产业(集团)股份有限公司等", [(0, 2, "LOC"), (8, 18, "ORG")], [("长春高新技术产业(集团)股份有限公司", "ORG")]),
        ("美国波音公司宣布", [(0, 2, "LOC"), (2, 6, "ORG")], [("美国", "LOC"), ("波音公司", "ORG")]),
        # a name does not stop inside its head word
        ("长春鑫达汽车零部件有限公司已成长", [(0, 10, "ORG")], [("长春鑫达汽车零部件有限公司", "ORG")]),
        ("大会筹备委员会成立", [(0, 6, "ORG")], [("大会筹备委员会", "ORG")]),
        ("北京大学院长", [(0, 4, "ORG")], [("北京大学", "ORG")]),
        ("北大学生", [(0, 2, "ORG")], [("北大", "ORG")]),
        ("中日友协会长", [(0, 4, "ORG")], [("中日友协", "ORG")]),
        # a city and its new area are one place
        ("长春新区发布规划", [(0, 2, "LOC")], [("长春新区", "LOC")]),
        ("推动长春新区、吉林高新区", [(2, 4, "LOC"), (4, 6, "LOC")], [("长春新区", "LOC")]),
        ("长春新区管理委员会", [(0, 2, "LOC"), (2, 4, "LOC")], [("长春新区管理委员会", "ORG")]),
        ("浦东新区管理委员会", [(0, 2, "LOC")], [("浦东新区管理委员会", "ORG")]),
        ("长春新区域", [(0, 2, "LOC")], [("长春", "LOC")]),
        ("建成国家碳纤维工程技术研究中心", [(3, 15, "ORG")], [("国家碳纤维工程技术研究中心", "ORG")]),
        ("太阳能板已投用，太阳升起", [(0, 2, "LOC"), (8, 10, "LOC")], [("太阳", "LOC")]),
        # a development zone named by its place is one place, with the places the model found inside
        ("长春汽车经济技术开发区今年", [(0, 2, "LOC")], [("长春汽车经济技术开发区", "LOC")]),
        ("长春净月高新技术产业开发区投用", [(0, 2, "LOC"), (2, 4, "LOC")], [("长春净月高新技术产业开发区", "LOC")]),
        ("延吉高新区签约", [(0, 2, "LOC")], [("延吉高新区", "LOC")]),
        ("长春光电信息产业基地已入驻企业86家", [(0, 2, "LOC")], [("长春光电信息产业基地", "LOC")]),
        ("长春汽车经济技术开发区管委会", [(0, 2, "LOC")], [("长春汽车经济技术开发区管委会", "ORG")]),
        # not across a verb, nor from a one-character place that leads a list
        ("在龙口市召开全国科技进步示范区", [(1, 4, "LOC")], [("龙口市", "LOC")]),
        ("中韩国际合作示范区", [(0, 1, "LOC"), (1, 2, "LOC")], [("中", "LOC"), ("韩", "LOC")]),
        # an organisation inside the run keeps the place apart
        ("吉林大学科技园区", [(0, 2, "LOC"), (2, 4, "ORG")], [("吉林", "LOC"), ("大学", "ORG")]),
    ],
)
def test_complete_orgs(text, spans, expected):
    assert [(e.text, e.label) for e in complete_orgs(text, ents(text, *spans))] == expected


@pytest.mark.parametrize(
    "text, names",
    [
        ("由省科技厅牵头,会同省发展改革委、省财政厅等部门", ["省科技厅", "省发展改革委", "省财政厅"]),
        ("我省射击队在本次比赛中表现出色", ["我省射击队"]),
        ("据省税务局相关负责人介绍", ["省税务局"]),
        ("各省科技厅", []),
        ("全省税务系统", []),
        ("省委、省政府", []),
        ("省内企业和省级平台", []),
        ("省长说", []),
        # the 省 of a named province, or of a word, is not the paper's home province
        ("山西省公安队伍执法大检查", []),
        ("全国30家省市电视台联合摄制", []),
        ("河北省向各市、省直部门发出通知", []),
        ("在大藏省设立金融企划局", []),
        ("在省科技厅的支持下", ["省科技厅"]),
        # 和 inside one body's name
        ("省工业和信息化厅相关负责人介绍", ["省工业和信息化厅"]),
        ("省人力资源和社会保障厅发布通知", ["省人力资源和社会保障厅"]),
        ("省领导和市委书记", []),
        # 办 of a verb (举办, 承办) ends no office's name
        ("省文联联合举办的艺术节", []),
    ],
)
def test_deictic_orgs(text, names):
    from kg.nlp.orgs import deictic_orgs

    assert [text[s:e] for s, e in deictic_orgs(text)] == names


def test_an_organisation_named_once_is_marked_where_the_article_names_it_again():
    from kg.nlp.orgs import repeat_names

    text = "一汽发布新车型。当天，一汽职工代表和一汽人出席，共产党人也在。"
    found = ents(text, (0, 2, "ORG"), (24, 27, "ORG"))  # 一汽; 共产党 (of 共产党人, misread)
    got = [(e.text, e.start, e.source) for e in repeat_names(text, found)]
    assert ("一汽", 11, "rule:repeat") in got  # 一汽职工
    assert not any(e[1] == 18 for e in got)  # 一汽人: the name is part of a longer word
    assert [e for e in got if e[0] == "共产党"] == [("共产党", 24, "ner")]
    assert repeat_names("公司成立。公司发展。", ents("公司成立。公司发展。", (0, 2, "ORG")))[1:] == []  # a bare head
    # a person too; not a place
    text = "喻晖向卫生局投诉。因为喻晖没有肝病，长沙和长沙人都知道。"
    got = [(e.text, e.start, e.label) for e in repeat_names(text, ents(text, (0, 2, "PER"), (18, 20, "LOC")))]
    assert got == [("喻晖", 0, "PER"), ("喻晖", 11, "PER"), ("长沙", 18, "LOC")]


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("温家宝会见芬兰农林部长卡莱维", [(5, 7, "LOC"), (11, 14, "PER")], [("芬兰农林部", "ORG"), ("卡莱维", "PER")]),
        ("印尼经济、财政和工业统筹部长吉南亚尔", [(0, 2, "LOC")], [("印尼经济、财政和工业统筹部", "ORG")]),
        # a rank, a second office, taking office, ministers of a meeting: the place stays
        ("美国助理国防部长富兰克", [(0, 2, "LOC")], [("美国", "LOC")]),
        ("意大利副总理兼文化部长韦尔特", [(0, 3, "LOC"), (7, 10, "ORG")], [("意大利", "LOC"), ("文化部", "ORG")]),
        ("东盟农林部长级会议在泰国举行", [(0, 2, "LOC"), (10, 12, "LOC")], [("东盟", "LOC"), ("泰国", "LOC")]),
        ("海湾产油国部长会议", [(0, 2, "LOC")], [("海湾", "LOC")]),
        ("泰国的部长们", [(0, 2, "LOC")], [("泰国", "LOC")]),
    ],
)
def test_a_minister_s_title_names_the_ministry(text, spans, expected):
    got = complete_orgs(text, ents(text, *spans))
    assert [(e.text, e.label) for e in got] == expected


def test_names_found_in_neighbouring_texts_are_marked_too():
    from kg.nlp.orgs import repeat_names

    text = "喻晖又向卫生局投诉，长沙也知道。"
    neighbours = ents("打假英雄喻晖在长沙", (4, 6, "PER"), (7, 9, "LOC")) + ents("一汽公司", (0, 4, "ORG"))
    got = [(e.text, e.start, e.label, e.source) for e in repeat_names(text, [], neighbours)]
    assert got == [("喻晖", 0, "PER", "rule:repeat")]  # a place is not repeated; 一汽公司 is not here
    # the text's own reading of a span stands
    own = ents(text, (0, 3, "PER"))
    assert [(e.text, e.start) for e in repeat_names(text, own, neighbours)] == [("喻晖又", 0)]


def test_a_line_is_read_with_the_names_of_the_lines_around_it():
    from kg.nlp.pipeline import _with_neighbours

    lines = ["记者喻晖报道", "", "内容", "喻晖说", "喻晖写", "无关", "喻晖到"]
    found = [(t, ents(t, (2, 4, "PER")) if i == 0 else []) for i, t in enumerate(lines)]
    for context, marked in [(1, []), (3, [3]), (4, [3, 4]), (6, [3, 4, 6])]:
        out = list(_with_neighbours(iter(found), context))
        assert [t for t, _ in out] == lines
        assert [i for i, (_, es) in enumerate(out) if i and es] == marked, context
        assert [(e.text, e.start) for e in out[3][1]] == ([("喻晖", 0)] if 3 in marked else [])
    assert list(_with_neighbours(iter([]), 3)) == []


def test_an_autonomous_division_s_name_is_kept_whole():
    from kg.nlp.divisions import whole_divisions

    text = "前郭尔罗斯蒙古族自治县人民政府承办"
    # the model's person and organisation inside the county's name
    out = whole_divisions(text, ents(text, (1, 5, "PER"), (5, 15, "ORG")))
    assert [(e.text, e.label) for e in out] == [("前郭尔罗斯蒙古族自治县人民政府", "ORG")]
    text = "双江拉祜族佤族布朗族傣族自治县和积石山保安族东乡族撒拉族自治县"
    out = whole_divisions(text, ents(text, (1, 4, "PER"), (7, 9, "PER")))
    assert [(e.text, e.label) for e in out] == [
        ("双江拉祜族佤族布朗族傣族自治县", "LOC"), ("积石山保安族东乡族撒拉族自治县", "LOC")]
    # read whole already, or inside a longer name: unchanged
    text = "长白朝鲜族自治县人民政府"
    assert whole_divisions(text, ents(text, (0, 12, "ORG"))) == ents(text, (0, 12, "ORG"))
    # no autonomous division named: unchanged
    text = "长春市人民政府"
    assert whole_divisions(text, ents(text, (0, 3, "LOC"))) == ents(text, (0, 3, "LOC"))
