"""The shipped pipeline: segmentation and entities keep the text and its offsets exact."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.nlp.sentences import split_sentences

TEXTS = [
    "国网吉林省电力有限公司与中广核公司在长春签订合作协议。",
    "本报讯(记者 王明)全省科技工作会议今天召开，１２月３１日发布。",
    "  前后有空格 的 文本  ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_words_rebuild_text(pipeline, text):
    words = pipeline.words.tokenizer.cut(text)
    assert "".join(words) == text
    doc = pipeline.words(text)
    assert doc.text == text


@pytest.mark.parametrize("text", TEXTS)
def test_segment_drops_only_whitespace(pipeline, text):
    [words] = list(pipeline.segment([text]))
    assert "".join(words) == "".join(text.split())
    assert all(w.strip() == w and w for w in words)


@pytest.mark.parametrize("text", TEXTS)
def test_entity_offsets_point_into_text(pipeline, text):
    [ents] = list(pipeline.entities([text]))
    for e in ents:
        assert text[e.start : e.end] == e.text
        assert e.label in {"PER", "LOC", "ORG", "PRG", "EVT"}
    spans = sorted((e.start, e.end) for e in ents)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "entities must not overlap"


@pytest.mark.parametrize("text", ["启动实施科技创新“十大跃升行动”，召开2023年全省科技工作会议。"])
def test_rules_add_programmes_and_events(pipeline, text):
    [ents] = list(pipeline.entities([text]))
    labels = {(e.text, e.label) for e in ents}
    assert ("十大跃升行动", "PRG") in labels
    assert any(lab == "EVT" and "科技工作会议" in t for t, lab in labels)


@pytest.mark.parametrize("text", ["第一句话。第二句话！第三句？最后没有句号", "一\n\n二"])
def test_sentences_cover_text(text):
    spans = split_sentences(text)
    assert "".join(text[s:e] for s, e in spans) == "".join(text.split())
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)


def test_cli_segment_keeps_lines(pipeline):
    inp = "共同创造美好的新世纪\n\n二○○一年新年贺词\n"
    res = CliRunner().invoke(main, ["segment", "-"], input=inp)
    assert res.exit_code == 0, res.output
    lines = res.output.split("\n")
    assert lines[1] == ""
    assert len(lines) == 4
    assert "  " in lines[0]


def test_cli_entities_context_option(pipeline):
    inp = "国网吉林省电力有限公司在长春召开推广会。\n"
    for args in (["--context", "0"], ["--context", "5"], []):
        res = CliRunner().invoke(main, ["entities", *args, "-"], input=inp)
        assert res.exit_code == 0, res.output
    res = CliRunner().invoke(main, ["entities", "--context", "-1", "-"], input=inp)
    assert res.exit_code != 0 and "--context" in res.output


def test_cli_entities_format(pipeline):
    inp = "国网吉林省电力有限公司在长春召开推广会。\n\n"
    res = CliRunner().invoke(main, ["entities", "-"], input=inp)
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in res.output.splitlines()]
    assert len(recs) == 2
    assert recs[1] == {"text": "", "entities": []}
    for e in recs[0]["entities"]:
        assert set(e) == {"start", "end", "label", "text"}
        assert recs[0]["text"][e["start"] : e["end"]] == e["text"]


def test_cli_missing_file_is_a_clean_error():
    res = CliRunner().invoke(main, ["segment", "no/such/file.txt"])
    assert res.exit_code == 1
    assert "no/such/file.txt" in res.output and "Traceback" not in res.output


def test_cli_segment_file_is_line_for_line_and_names_a_bad_line(pipeline, tmp_path):
    path = tmp_path / "in.txt"
    path.write_bytes("第一行\r还是第一行\n第二行\n".encode("utf8"))  # a stray \r is no line end
    res = CliRunner().invoke(main, ["segment", str(path)])
    assert res.exit_code == 0, res.output
    assert len(res.output.splitlines()) == 2
    path.write_bytes("第一行\n第二行\n".encode("utf8") + "第三行".encode("gbk") + b"\n")
    res = CliRunner().invoke(main, ["segment", str(path)])
    assert res.exit_code == 1
    assert f"kg: error: {path}:3: not UTF-8 text" in res.output and "Traceback" not in res.output


def test_names_inside_an_event_are_reported_nested(pipeline):
    text = "第十二届日内瓦国际图书博览会昨天开幕。"
    ents = next(pipeline.entities([text]))
    flat = [e for e in ents if not e.nested]
    nested = [e for e in ents if e.nested]
    assert ("第十二届日内瓦国际图书博览会", "EVT") in [(e.text, e.label) for e in flat]
    assert [(e.text, e.label) for e in nested] == [("日内瓦", "LOC")]
    taken = [i for e in flat for i in range(e.start, e.end)]
    assert len(taken) == len(set(taken))  # the flat reading never overlaps


def test_the_place_a_zone_is_named_after_is_reported_nested(pipeline):
    [ents] = pipeline.entities(["长春汽车经济技术开发区今年新签约项目32个。"])
    assert [(e.text, e.label, e.nested) for e in ents] == [
        ("长春汽车经济技术开发区", "LOC", False), ("长春", "LOC", True)]
    [ents] = pipeline.entities(["浦东新区今年新签约项目32个。"])  # a city's new area is one place
    assert [(e.text, e.nested) for e in ents] == [("浦东新区", False)]


def test_an_edition_never_opens_a_nested_name(pipeline):
    from dataclasses import replace

    from kg.nlp.pipeline import Ent, _nested_names

    event = Ent(0, 15, "EVT", "第十五届全国大学生数学竞赛决赛", "rule:event-suffix")
    misread = Ent(0, 11, "ORG", "第十五届全国大学生数学", "ner")
    inside = Ent(4, 6, "LOC", "全国", "ner")
    assert _nested_names([misread, inside], [event]) == [Ent(4, 6, "LOC", "全国", "ner", nested=True)]
    # a body named by its term stays: 十四届全国人大 in 十四届全国人大一次会议
    session = Ent(0, 11, "EVT", "十四届全国人大一次会议", "rule:event-suffix")
    congress = Ent(0, 7, "ORG", "十四届全国人大", "ner")
    assert _nested_names([congress], [session]) == [replace(congress, nested=True)]


def test_an_event_s_committee_is_an_organisation():
    from kg.nlp.pipeline import Ent, _committees

    text = "第十五届全国运动会组委会宣布"
    event = Ent(0, 9, "EVT", "第十五届全国运动会", "rule:event-suffix")
    assert _committees(text, [event], []) == [Ent(0, 12, "ORG", "第十五届全国运动会组委会", "rule:committee")]
    # the model's own reading of the committee stands
    assert _committees(text, [event], [Ent(4, 12, "ORG", "全国运动会组委会", "ner")]) == []
    assert _committees("第十五届全国运动会宣布", [event], []) == []


def test_the_event_in_a_committee_s_name_is_listed_nested(pipeline):
    from kg.nlp.pipeline import Ent, _committee_events

    committee = Ent(2, 14, "ORG", "第十五届全国运动会组委会", "rule:committee")
    assert _committee_events([committee]) == [
        Ent(2, 11, "EVT", "第十五届全国运动会", "rule:committee", nested=True)
    ]
    assert _committee_events([Ent(0, 5, "ORG", "赛事组委会", "ner")]) == []
    [ents] = pipeline.entities(["长春国际马拉松组委会发布了比赛路线。"])
    flat = [(e.text, e.label) for e in ents if not e.nested]
    nested = [(e.text, e.label) for e in ents if e.nested]
    assert flat == [("长春国际马拉松组委会", "ORG")]
    assert ("长春国际马拉松", "EVT") in nested


def test_a_count_is_no_nested_name_but_a_congress_is(pipeline):
    from dataclasses import replace

    from kg.nlp.pipeline import Ent, _nested_names

    programme = Ent(0, 6, "PRG", "五大提升工程", "rule:suffix")
    assert _nested_names([Ent(0, 2, "ORG", "五大", "ner")], [programme]) == []
    report = Ent(0, 5, "PRG", "十五大精神", "rule:suffix")
    congress = Ent(0, 3, "ORG", "十五大", "ner")
    assert _nested_names([congress], [report]) == [replace(congress, nested=True)]


def test_one_character_names_inside_an_event_are_listed_but_make_no_node(pipeline):
    from kg.extract import extract
    from kg.records import Article

    text = "本届曼谷亚运会在泰国举行。"
    ents = next(pipeline.entities([text]))
    assert ("亚", "LOC", True) in [(e.text, e.label, e.nested) for e in ents]  # as MSRA marks it
    article = Article(title="", paragraphs=(text,), source="t.md", line=1)
    mentions, _ = extract(article, ents)
    assert "曼谷" in [m.text for m in mentions] and "亚" not in [m.text for m in mentions]


def test_nested_names_become_mentions_but_not_pattern_input(pipeline):
    from kg.extract import extract
    from kg.records import Article

    text = "第十二届日内瓦国际图书博览会昨天开幕。"
    article = Article(title="", paragraphs=(text,), source="t.md", line=1)
    assert article.text == text
    mentions, relations = extract(article, next(pipeline.entities([text])))
    assert ("日内瓦", "LOC") in [(m.text, m.label) for m in mentions]
    assert not relations


@pytest.mark.parametrize(
    "text",
    ["辽源市的企业家张琼月继续参加2024年全国射击冠军赛。", "本届曼谷亚运会在泰国举行。", "  空格 和\n换行  ", ""],
)
def test_docs_are_words_with_whole_entities(pipeline, text):
    [doc] = list(pipeline.docs([text]))
    assert doc.text == text
    ents = next(pipeline.entities([text]))
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (e.start, e.end, e.label) for e in ents if not e.nested
    ]
    # one-character abbreviations inside an event's name (亚 of 亚运会) are left out of the Doc
    assert len(doc.spans["nested"]) == sum(e.nested and e.end - e.start >= 2 for e in ents)
    ents = [e for e in ents if not e.nested or e.end - e.start >= 2]
    # tokens are the PKU words, cut further only at entity edges
    word_edges = set()
    pos = 0
    for w in pipeline.words.tokenizer.cut(text):
        pos += len(w)
        word_edges.add(pos)
    token_edges = {t.idx + len(t) for t in doc}
    ent_edges = {x for e in ents for x in (e.start, e.end)}
    assert word_edges <= token_edges <= word_edges | ent_edges


def test_people_listed_with_spaces_are_two_people():
    from kg.nlp.pipeline import Ent, _split_listed_people

    text = "记者 钱铮 马曹冉"
    one = Ent(3, 9, "PER", text[3:9], "ner")
    assert [(e.text, e.start, e.end) for e in _split_listed_people([one])] == [("钱铮", 3, 5), ("马曹冉", 6, 9)]
    foreign = Ent(0, 8, "PER", "丹尼尔·戈德斯坦", "ner")
    assert _split_listed_people([foreign]) == [foreign]


def test_a_name_has_no_dash_or_open_quote_at_its_edges():
    from kg.nlp.pipeline import Ent, _trim_edges

    def ent(text, label="ORG"):
        return Ent(10, 10 + len(text), label, text, "ner")

    assert _trim_edges([ent("—白城", "LOC")]) == [Ent(11, 13, "LOC", "白城", "ner")]
    assert _trim_edges([ent("《经济周刊")]) == [Ent(11, 15, "ORG", "经济周刊", "ner")]
    assert _trim_edges([ent("“美育特色学校")]) == [Ent(11, 17, "ORG", "美育特色学校", "ner")]
    kept = [ent("波兰《生活报》"), ent("北京市海淀区少年宫『多来咪合唱团』"), ent("“发现号”航天飞机")]
    assert _trim_edges(kept) == kept
    assert _trim_edges([ent("——", "LOC")]) == []


def test_a_surname_with_lao_names_the_person_by_the_surname():
    from kg.nlp.pipeline import Ent, _surname_alone

    ents = [Ent(0, 2, "PER", "吕老", "ner"), Ent(3, 5, "PER", "梁某", "ner"), Ent(6, 9, "PER", "王老五", "ner"),
            Ent(10, 12, "LOC", "北总", "ner")]
    assert [(e.start, e.end, e.text) for e in _surname_alone(ents)] == [
        (0, 1, "吕"), (3, 4, "梁"), (6, 9, "王老五"), (10, 12, "北总")]


def test_a_kicker_naming_the_article_s_place_is_that_place():
    from kg.extract import kicker_mentions
    from kg.records import Article, Mention

    article = Article(title="打造便民服务圈", subtitle="敦化：", paragraphs=("敦化市推行集成服务。",), source="t.md", line=1)
    text = article.text
    full = Mention(article.id, text.index("敦化市"), text.index("敦化市") + 3, "敦化市", "LOC", "ner")
    [kicker] = kicker_mentions(article, [full])
    assert (text[kicker.start : kicker.end], kicker.label) == ("敦化", "LOC")
    # not when the article never names the place in full, nor when the model read the kicker already
    assert kicker_mentions(article, []) == []
    assert kicker_mentions(article, [full, kicker]) == []
    topic = Article(title="打造便民服务圈", subtitle="民生：", paragraphs=("民生市场",), source="t.md", line=1)
    assert kicker_mentions(topic, [Mention(topic.id, 8, 12, "民生市场", "LOC", "ner")]) == []


def test_every_citys_body_is_no_one_body():
    from kg.extract import extract
    from kg.nlp.pipeline import Ent
    from kg.records import Article

    text = "各市州供电公司与国网吉林省电力有限公司签订协议。"
    article = Article(title="", paragraphs=(text,), source="t.md", line=1)
    ents = [Ent(3, 8, "ORG", "州供电公司", "ner"), Ent(9, 19, "ORG", "国网吉林省电力有限公司", "ner")]
    mentions, _ = extract(article, ents)
    assert [m.text for m in mentions if m.label == "ORG"] == ["国网吉林省电力有限公司"]


@pytest.mark.parametrize(
    "name, parts",
    [
        ("敦化市吉林敖东药业集团", [("敦化市", "LOC"), ("吉林敖东药业集团", "ORG")]),
        ("通化市通化钢铁集团", [("通化市", "LOC"), ("通化钢铁集团", "ORG")]),
        ("吉林省通化钢铁集团", [("吉林省通化钢铁集团", "ORG")]),  # a province starts a registered name
        ("长春市一汽集团", [("长春市一汽集团", "ORG")]),
        ("敦化市吉林敖东药业研究所", [("敦化市吉林敖东药业研究所", "ORG")]),  # not a company
    ],
)
def test_a_company_after_its_city_is_the_company_in_that_city(name, parts):
    from kg.extract import _city_before_company
    from kg.nlp.pipeline import Ent

    assert [(e.text, e.label) for e in _city_before_company(name, Ent(0, len(name), "ORG", name, "ner"))] == parts


def test_a_hyphenated_foreign_name_is_one_person():
    from kg.nlp.pipeline import Ent, _join_name_parts

    sent = "火箭和埃里克-戈登续约，张三-李四搭档"
    ents = [Ent(3, 6, "PER", "埃里克", "ner"), Ent(7, 9, "PER", "戈登", "ner"),
            Ent(12, 14, "PER", "张三", "ner"), Ent(15, 17, "PER", "李四", "ner")]
    assert [(e.text, e.start, e.end) for e in _join_name_parts(sent, ents)] == [
        ("埃里克-戈登", 3, 9), ("张三", 12, 14), ("李四", 15, 17)]
