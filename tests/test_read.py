"""Reading pages and feeds: layout rules (headings, datelines, broken paragraphs, photos), errors."""
from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.read import parse_page, read_file, read_paths
from kg.records import Context

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
EXAMPLES = Path(__file__).resolve().parents[1] / "kg" / "examples"
CTX = Context(publisher="吉林日报", date=date(2023, 2, 8))

DATED = "本报2月7日讯(记者景洋)今天,全省科技工作会议召开。"


def page(text: str, context: Context = CTX):
    return parse_page(text, "page.md", context)


def one(text: str, context: Context = CTX):
    articles = page(text, context)
    assert len(articles) == 1, [a.title for a in articles]
    return articles[0]


# --- headings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, title, subtitle",
    [
        (f"# 主标题\n\n## 副标题\n\n{DATED}", "主标题", "副标题"),
        (f"## 主标题\n### 副标题一\n\n### 副标题二\n\n{DATED}", "主标题", "副标题一 副标题二"),
        (f"## 2023年全国射击冠军赛收官\n\n### 我省射击队收获一金一铜\n\n{DATED}", "2023年全国射击冠军赛收官",
         "我省射击队收获一金一铜"),
        (f"# 只有标题\n\n{DATED}", "只有标题", ""),
        # the largest heading is the title, whatever its place in the block
        (f"## 引题在上\n\n# 大字主标题\n\n{DATED}", "大字主标题", "引题在上"),
        (f"## 同级第一\n\n## 同级第二\n\n{DATED}", "同级第一", "同级第二"),
    ],
)
def test_heading_block_is_title_and_subtitle(text, title, subtitle):
    a = one(text)
    assert (a.title, a.subtitle) == (title, subtitle)


@pytest.mark.parametrize("kicker", ["珲春:", "珲春：", "珲春 :"])
def test_heading_ending_in_colon_is_a_kicker(kicker):
    a = one(f"## {kicker}\n\n### 提升民生服务质量 擦亮基层治理底色\n\n{DATED}")
    assert a.title == "提升民生服务质量 擦亮基层治理底色"
    assert a.subtitle == kicker


@pytest.mark.parametrize("inner", ["## 以“放”促“合”:坚持开放", "### 小标题"])
def test_heading_after_undated_piece_is_a_section_of_it(inner):
    text = f"""# 新闻

{DATED}

## 和声激荡新吉林

(上接第一版)各市(州)同长春双向奔赴。

{inner}

地区联动,开放对接。

## 又一节

要点在于“放”。
"""
    news, piece = page(text)
    assert news.title == "新闻"
    assert piece.title == "和声激荡新吉林"
    assert piece.continued_from == "第一版"
    section = inner.lstrip("# ")
    assert piece.paragraphs == ("各市(州)同长春双向奔赴。", section, "地区联动,开放对接。", "又一节", "要点在于“放”。")


@pytest.mark.parametrize("dated_first", [True, False])
def test_heading_after_dated_article_starts_an_article(dated_first):
    # after an article with a dateline, even an undated heading is a new article (a commentary)
    text = f"# 甲\n\n{DATED}\n\n# 乙\n\n评论正文。\n"
    if not dated_first:  # a page without any dateline: every heading is an article
        text = "# 甲\n\n正文。\n\n# 乙\n\n评论正文。\n\n## 丙\n\n又一篇。\n"
    titles = [a.title for a in page(text)]
    assert titles == (["甲", "乙"] if dated_first else ["甲", "乙", "丙"])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("开头没有标题的文字。\n\n# 标题\n\n正文。", [("", 1), ("标题", 3)]),
        ("\n\n  \n# 标题\n\n正文。", [("标题", 4)]),
        ("纯文本文章,没有标题。\n\n第二段。", [("", 1)]),
    ],
)
def test_text_before_first_heading_is_an_untitled_article(text, expected):
    assert [(a.title, a.line) for a in page(text)] == expected


# --- paragraphs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, joined",
    [
        ("十大跃升行动包括医药", True),  # a Han character
        ("增长了12", True),  # a digit
        ("提质增效;", True),  # a semicolon: a list of clauses goes on
        ("提质增效；", True),
        ("会上,国网吉林省电力有限公司与大唐、", True),
        ("近年来,国网吉林省电力有限公司发挥,", True),
        ("深入推进“双千工程”", True),  # a quoted term, not a quoted sentence
        ("人才政策3.", True),  # 3. + 0版
        ("制定《若干举措》", True),
        ("会议召开。", False),
        ("真的吗？", False),
        ("太好了！", False),
        ("等等……", False),
        ("“我们将全力以赴。”", False),
        ("他说：「好。」", False),
        ("详情如下：", False),
        ("(完)", False),
        ("一、加强组织领导", False),  # a numbered subhead
    ],
)
def test_paragraph_broken_by_layout_is_rejoined(first, joined):
    a = one(f"# 标题\n\n{DATED}\n\n{first}\n\n下一段。")
    if joined:
        assert a.paragraphs[-1] == first + "下一段。"
    else:
        assert a.paragraphs[-2:] == (first, "下一段。")


@pytest.mark.parametrize("second", [",后面是逗号开头。", "、后面是顿号开头。"])
def test_paragraph_that_cannot_start_a_sentence_is_rejoined(second):
    a = one(f"# 标题\n\n{DATED}\n\n前一段完整。\n\n{second}")
    assert a.paragraphs[-1] == "前一段完整。" + second


@pytest.mark.parametrize(
    "text, paragraphs",
    [
        # never across a heading (the next article)
        (f"# 甲\n\n{DATED}\n\n断开的\n\n# 乙\n\n{DATED}", ("今天,全省科技工作会议召开。", "断开的")),
        # never into a caption nor across a credit
        (f"# 甲\n\n{DATED}\n\n断开的\n\n图为会议现场。\n\n本报记者 潘硕 摄\n\n后一段。",
         ("今天,全省科技工作会议召开。", "断开的", "后一段。")),
        # never across a byline at the start
        ("# 甲\n\n本报记者 张三 李四\n\n正文第一段。", ("正文第一段。",)),
        # a numbered subhead starts a paragraph of its own
        (f"# 甲\n\n{DATED}\n\n未完的\n\n一、加强组织领导", ("今天,全省科技工作会议召开。", "未完的", "一、加强组织领导")),
    ],
)
def test_paragraphs_are_never_joined_across(text, paragraphs):
    assert page(text)[0].paragraphs == paragraphs


@pytest.mark.parametrize(
    "body, paragraphs",
    [
        ("第一行\n第二行。", ("第一行第二行。",)),  # Chinese: no space between lines
        ("  缩进的段落。  \n\n\u3000\u3000全角空格缩进。", ("缩进的段落。", "全角空格缩进。")),
        ("GDP\ngrowth。", ("GDP growth。",)),  # Latin words keep a space
        ("第一段。\n\n\n\n\n第二段。", ("第一段。", "第二段。")),
        ("第一段。\r\n\r\n第二段。\r\n", ("第一段。", "第二段。")),
    ],
)
def test_paragraph_whitespace(body, paragraphs):
    assert one(f"# 标题\n\n{body}").paragraphs == paragraphs


# --- datelines, bylines, continuation ------------------------------------------------------


@pytest.mark.parametrize(
    "first, authors, day, rest, publisher",
    [
        ("本报2月7日讯(记者景洋)记者从会上了解到。", ("景洋",), date(2023, 2, 7), "记者从会上了解到。", "吉林日报"),
        ("本报讯(记者徐慕旗)近日,会议召开。", ("徐慕旗",), date(2023, 2, 8), "近日,会议召开。", "吉林日报"),
        ("本报2月7日讯(记者刘勃 张宽)比赛收官。", ("刘勃", "张宽"), date(2023, 2, 7), "比赛收官。", "吉林日报"),
        ("本报讯（记者 王明 通讯员 李华）会议召开。", ("王明", "李华"), date(2023, 2, 8), "会议召开。", "吉林日报"),
        ("本报讯(记者景洋 实习生 李四)会议召开。", ("景洋", "李四"), date(2023, 2, 8), "会议召开。", "吉林日报"),
        ("新华社北京2月7日电(记者 张三)会议召开。", ("张三",), date(2023, 2, 7), "会议召开。", "新华社"),
        ("本报长春2月7日讯 会议召开。", (), date(2023, 2, 7), "会议召开。", "吉林日报"),
        ("本报长春2月7日讯(吉林日报全媒体记者 赵六)会议召开。", ("赵六",), date(2023, 2, 7), "会议召开。", "吉林日报"),
        ("本报2月7日讯(记者景洋)", ("景洋",), date(2023, 2, 7), None, "吉林日报"),  # a paragraph of its own
        ("（记者 王明 通讯员 李华）会议召开。", ("王明", "李华"), date(2023, 2, 8), "会议召开。", "吉林日报"),
        ("本报记者 张三 李四", ("张三", "李四"), date(2023, 2, 8), None, "吉林日报"),
        ("■本报记者 张三 通讯员 李四", ("张三", "李四"), date(2023, 2, 8), None, "吉林日报"),
    ],
)
def test_dateline_and_byline(first, authors, day, rest, publisher):
    a = one(f"# 标题\n\n{first}\n\n下一段。")
    assert a.authors == authors
    assert a.date == day
    assert a.publisher == publisher
    assert a.paragraphs == ((rest,) if rest else ()) + ("下一段。",)


@pytest.mark.parametrize(
    "first",
    [
        "本报记者从省科技厅获悉,今年将实施新政。",
        "本报从省电力公司获悉,今年将实施新政。",
        "本报通讯员李华近日采写了这篇报道。",
        "记者从会上获悉,今年将实施新政。",
        "(图文)会议召开。",
    ],
)
def test_not_a_dateline(first):
    a = one(f"# 标题\n\n{first}")
    assert a.authors == () and a.paragraphs == (first,)


@pytest.mark.parametrize(
    "dateline, issue, expected",
    [
        ("本报2月7日讯", date(2023, 2, 8), date(2023, 2, 7)),
        ("本报12月31日讯", date(2024, 1, 1), date(2023, 12, 31)),  # issue month earlier: last year
        ("本报2023年2月7日讯", date(2024, 5, 1), date(2023, 2, 7)),  # a year given wins
        ("本报长春7日讯", date(2023, 2, 8), date(2023, 2, 7)),  # day only: the issue month
        ("本报长春31日讯", date(2023, 2, 8), date(2023, 1, 31)),  # or the month before
        ("本报2月30日讯", date(2023, 2, 8), date(2023, 2, 8)),  # no such day: the issue date
        ("本报2月7日讯", None, None),  # no issue date: no year
        ("本报讯", None, None),
    ],
)
def test_dateline_date(dateline, issue, expected):
    a = one(f"# 标题\n\n{dateline}(记者景洋)会议召开。", Context(date=issue))
    assert a.date == expected
    assert a.publisher is None  # 本报 with no --publisher


@pytest.mark.parametrize(
    "marker, page_name",
    [("(上接第一版)", "第一版"), ("（上接第1版）", "第1版"), ("（上接第二版） ", "第二版"), ("(上接A1版)", "A1版")],
)
def test_continuation_marker(marker, page_name):
    a = one(f"# 评论\n\n{marker}新技术新业态聚沙成塔。\n\n众人一心,黄土成金。(下转第三版)")
    assert a.continued_from == page_name
    assert a.paragraphs == ("新技术新业态聚沙成塔。", "众人一心,黄土成金。")
    assert a.authors == ()


# --- photos --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "credit, names",
    [
        ("本报记者 潘硕 摄", ("潘硕",)),
        ("记者 潘硕 摄", ("潘硕",)),
        ("潘硕 摄", ("潘硕",)),
        ("新华社记者 张三 摄", ("张三",)),
        ("(本报记者 潘硕 摄)", ("潘硕",)),
        ("本报记者 潘硕 通讯员 李华 摄", ("潘硕", "李华")),
    ],
)
def test_photo_credit(credit, names):
    a = one(f"# 标题\n\n{DATED}\n\n图为村民正在用积分兑换商品。\n\n{credit}")
    assert a.photographers == names
    assert a.captions == ("图为村民正在用积分兑换商品。",)
    assert a.paragraphs == ("今天,全省科技工作会议召开。",)
    assert a.authors == ("景洋",)


@pytest.mark.parametrize("text", ["他们在这里拍摄", "张三拍摄", "这是一张由他拍摄"])
def test_not_a_photo_credit(text):
    a = one(f"# 标题\n\n正文。\n\n{text}")
    assert a.photographers == () and a.captions == ()


@pytest.mark.parametrize(
    "body, paragraphs, captions",
    [
        # the paragraph just before the credit is the caption, with or without 图为
        ("正文。\n\n近日,游客在长白山滑雪。\n\n本报记者 潘硕 摄", ("正文。",), ("近日,游客在长白山滑雪。",)),
        # several 图为/上图/下图 paragraphs before one credit
        ("正文。\n\n上图:会场。\n\n下图:展区。\n\n本报记者 潘硕 摄", ("正文。",), ("上图:会场。", "下图:展区。")),
        # caption and credit in one paragraph
        ("正文。\n\n图为会场。本报记者 潘硕 摄", ("正文。",), ("图为会场。",)),
        # the tail of a body paragraph the layout cut is no caption
        ("正文被截断在\n\n这里结束。\n\n本报记者 潘硕 摄", ("正文被截断在这里结束。",), ()),
    ],
)
def test_captions(body, paragraphs, captions):
    a = one(f"# 标题\n\n{body}")
    assert (a.paragraphs, a.captions, a.photographers) == (paragraphs, captions, ("潘硕",))


def test_caption_between_articles_belongs_to_the_one_before():
    text = f"# 甲\n\n{DATED}\n\n图为会场。\n\n本报记者 潘硕 摄\n\n## 乙\n\n{DATED}"
    first, second = page(text)
    assert first.captions == ("图为会场。",) and first.photographers == ("潘硕",)
    assert second.captions == () and second.photographers == ()


def test_article_text_source_and_line():
    a = page(f"\n\n# 甲\n\n## 乙\n\n{DATED}\n\n图为会场。\n\n本报记者 潘硕 摄")[0]
    assert (a.source, a.line) == ("page.md", 3)
    assert a.text == "甲\n乙\n今天,全省科技工作会议召开。\n图为会场。"


# --- .jsonl --------------------------------------------------------------------------------


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf8")
    return path


def test_jsonl_record(tmp_path):
    record = {
        "id": "a1",
        "title": "标题",
        "text": "本报2月7日讯(记者刘勃 张宽)比赛在西安收官,我省射击队收获\n1枚金牌。\n\n第二段。",
        "date": "2023-02-07T08:30:00+08:00",
        "source": "吉林日报",
        "url": "https://example.org/a1",
    }
    path = write_lines(tmp_path / "news.jsonl", "", json.dumps(record, ensure_ascii=False),
                       json.dumps({"text": "只有正文。", "id": 7}, ensure_ascii=False))
    a, b = read_file(path, Context(date=date(2024, 1, 1)))
    assert a.title == "标题" and a.external_id == "a1" and a.url == "https://example.org/a1"
    assert a.date == date(2023, 2, 7) and a.publisher == "吉林日报"
    assert a.authors == ("刘勃", "张宽")
    assert a.paragraphs == ("比赛在西安收官,我省射击队收获1枚金牌。", "第二段。")
    assert (a.source, a.line) == (str(path), 2)
    assert (b.title, b.external_id, b.date, b.line, b.publisher) == ("", "7", date(2024, 1, 1), 3, None)


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"text": "断了', "not valid JSON"),
        ('{"title": "无正文"}', 'missing field "text"'),
        ('{"text": "  "}', 'missing field "text"'),
        ('{"text": 3}', 'field "text" must be a string'),
        ('{"text": "正文。", "title": ["x"]}', 'field "title" must be a string'),
        ('{"text": "正文。", "date": "2月7日"}', 'field "date": expected YYYY-MM-DD'),
        ('{"text": "正文。", "date": "2023-02-30"}', 'field "date": expected YYYY-MM-DD'),
        ('["正文"]', "expected a JSON object"),
        # json.loads accepts a lone surrogate escape; no UTF-8 output could hold it
        ('{"text": "正文\\ud800。"}', 'field "text": "\\ud800" is half of a surrogate pair'),
        ('{"text": "正文。", "title": "\\udc00"}', 'field "title": "\\udc00" is half'),
    ],
)
def test_jsonl_errors_name_file_and_line(tmp_path, line, message):
    path = write_lines(tmp_path / "file.jsonl", '{"text": "好的一行。"}', line)
    with pytest.raises(KgError) as e:
        list(read_paths([path]))
    assert f"file.jsonl:2: {message}" in str(e.value)
    assert (e.value.path, e.value.line) == (str(path), 2)


# --- files and folders ---------------------------------------------------------------------


def test_folder_is_read_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "2.md").write_text("# 二\n\n正文。", encoding="utf8")
    (tmp_path / "a.txt").write_text("# 一\n\n正文。", encoding="utf8")
    (tmp_path / "c.jsonl").write_text('{"title": "三", "text": "正文。"}\n', encoding="utf8")
    (tmp_path / "notes.csv").write_text("skipped", encoding="utf8")
    (tmp_path / ".hidden" / "x.md").write_text("# 隐藏\n\n正文。", encoding="utf8")
    titles = [a.title for a in read_paths([tmp_path])]
    assert titles == ["一", "二", "三"]
    # a file named twice (also inside a folder given) is read once
    assert [a.title for a in read_paths([tmp_path / "a.txt", str(tmp_path)])] == ["一", "二", "三"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("page.pdf", b"%PDF", "cannot read .pdf: give .md or .txt pages, .jsonl feeds"),
        ("missing.md", None, "no such file or folder"),
        ("gbk.md", "# 标题\n\n正文。".encode("utf8") + b"\n" + "第三行".encode("gbk"), "gbk.md:4: not UTF-8"),
        ("gbk.jsonl", b'{"text": "ok"}\n' + '{"text": "坏"}'.encode("gbk"), "gbk.jsonl:2: not UTF-8"),
    ],
)
def test_bad_input_is_a_kg_error(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(KgError, match=message.replace(".", r"\.")):
        list(read_paths([path]))


def test_file_name_in_another_encoding_is_kept_printable(tmp_path):
    # a GBK name (新闻) out of a Windows zip: every output must still be able to write it
    name = os.fsdecode(b"\xd0\xc2\xce\xc5")
    (tmp_path / f"{name}.md").write_text("# 标题\n\n正文。", encoding="utf8")
    (tmp_path / f"{name}.jsonl").write_text('{"text": "正文二。"}\n', encoding="utf8")
    articles = list(read_paths([tmp_path]))
    assert [Path(a.source).name for a in articles] == ["\\xd0\\xc2\\xce\\xc5.jsonl", "\\xd0\\xc2\\xce\\xc5.md"]
    for a in articles:
        a.source.encode("utf8")


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(KgError, match="no .md, .txt, .jsonl files"):
        read_paths([tmp_path])


def test_missing_path_fails_before_reading(tmp_path):
    (tmp_path / "a.md").write_text("# 甲\n\n正文。", encoding="utf8")
    with pytest.raises(KgError, match="no such file"):
        read_paths([tmp_path / "a.md", tmp_path / "typo.md"])  # raised at the call, not mid-run


@pytest.mark.parametrize("suffix", [".md", ".jsonl"])
def test_utf8_bom_is_fine(tmp_path, suffix):
    text = "# 标题\n\n正文。" if suffix == ".md" else '{"title": "标题", "text": "正文。"}'
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf8"))
    (a,) = read_paths([path])
    assert (a.title, a.paragraphs) == ("标题", ("正文。",))


def test_reading_is_deterministic():
    text = (EXAMPLES / "daily-page.md").read_text(encoding="utf8")
    assert page(text) == page(text)


# --- bundled examples and the real sample --------------------------------------------------


def test_example_page():
    ctx = Context(publisher="吉林日报", date=date(2024, 3, 15))
    articles = read_file(EXAMPLES / "daily-page.md", ctx)
    assert len(articles) == 6
    science, sport, city, energy, firms, comment = articles
    assert science.authors == ("林晓雪",) and science.date == date(2024, 3, 14)
    assert any("共同推进,力争" in p for p in science.paragraphs)  # re-joined
    assert (sport.subtitle, sport.authors) == ("我省选手夺得两金一银", ("赵明远", "孙佳宁"))
    assert (city.subtitle, city.authors) == ("敦化：", ("韩冬", "金英姬"))
    assert energy.photographers == ("高原",) and len(energy.captions) == 1
    assert firms.authors == ("王立新", "刘畅") and firms.date == date(2024, 3, 15)
    assert comment.continued_from == "第一版" and len(comment.paragraphs) == 4
    assert {a.publisher for a in articles} == {"吉林日报"}


def test_example_feed():
    articles = read_file(EXAMPLES / "articles.jsonl", Context(date=date(2024, 3, 15)))
    assert [a.line for a in articles] == [1, 2, 3]
    assert articles[0].authors == ("朴成哲",) and articles[0].date == date(2024, 3, 14)
    assert articles[1].photographers == ("金海燕",) and len(articles[1].captions) == 1


SAMPLE = SAMPLES / "jilin-daily-page.md"


@pytest.fixture(scope="module")
def sample():
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is not here")
    return read_file(SAMPLE, CTX)


def test_sample_page_articles(sample):
    assert [(a.title, a.subtitle) for a in sample] == [
        ("我省实施“十大跃升行动”推进科技创新", ""),
        ("2022年我省释放税费政策红利超400亿元", ""),
        ("2023年全国射击冠军赛收官", "我省射击队收获一金一铜"),
        ("提升民生服务质量 擦亮基层治理底色", "珲春:"),
        ("加快构建新发展格局的生动实践", ""),
        ("加快绿色低碳转型 服务吉林经济发展", "绿电赋能生态强省建设示范推广会召开"),
        ("数字赋能 助力惠企惠民政策直达", "长春市创新优化营商环境"),
        ("和声激荡新吉林", ""),
    ]
    assert [a.authors for a in sample] == [
        ("景洋",), ("徐慕旗",), ("刘勃", "张宽"), ("相文雅",), (), ("杨悦",), ("孙红丽",), (),
    ]
    assert [a.photographers for a in sample] == [(), (), (), (), (), ("潘硕",), (), ()]
    assert [a.continued_from for a in sample] == [None] * 4 + ["第一版", None, None, "第一版"]
    assert [a.line for a in sample] == [3, 19, 29, 41, 53, 59, 83, 105]


def test_sample_page_layout(sample):
    first, *_ = sample
    assert first.date == date(2023, 2, 7)
    assert first.paragraphs[0].startswith("记者从2023年全省科技工作会议上了解到")
    assert any(p.endswith("科技支撑民生发展跃升行动、医药强省建设跃升行动。") for p in first.paragraphs)
    assert len(first.paragraphs) == 4  # the list broken at 加 / 工 is one paragraph again
    green = sample[5]
    assert green.captions and green.captions[0].startswith("近年来,通榆县乌兰花镇")
    assert "会上,国网吉林省电力有限公司与大唐、中广核公司现场签订绿电交易合同" in green.paragraphs[1]
    commentary = sample[7]
    assert "以“放”促“合”:坚持以更加开放的环境促进要素流动融合" in commentary.paragraphs
    assert "积蓄育机:在推进项目合作中“新”“老”产业加速隆起" in commentary.paragraphs
    assert any(p.startswith("一花独放不是春,百花齐放春满园。近年来,长春经济") for p in commentary.paragraphs)
