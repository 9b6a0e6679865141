"""A user's list of names (kg.names): read with clear errors, used by the NER and the rules."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KgError
from kg.names import Names, find_listed, read_names

TEXT = "中国一汽与宁德时代新能源科技股份有限公司联合成立电池研发中心。"


def write(tmp_path, text: str, name: str = "names.tsv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf8")
    return path


def test_read_names(tmp_path):
    path = write(tmp_path, "# local bodies\n\n吉林化纤集团有限责任公司\tORG\n中国移动 org\n十大跃升行动\tPRG\n查干湖\tLOC\n")
    names = read_names(path)
    assert names.model == {"吉林化纤集团有限责任公司": "ORG", "中国移动": "ORG", "查干湖": "LOC"}
    assert names.rules == {"十大跃升行动": "PRG"}
    assert names and len(names.digest) == 12
    assert read_names(write(tmp_path, "查干湖\tLOC\n", "other.tsv")).digest != names.digest


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("中国移动\tORG\n一汽\tCOMPANY\n", 2, "expected a name, a tab and one of"),
        ("中国移动\n", 1, "expected a name, a tab and one of"),
        ("\tORG\n", 1, "expected a name"),
        ("汽\tORG\n", 1, "two characters or more"),
    ],
)
def test_a_bad_line_is_named(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(KgError) as err:
        read_names(path)
    assert err.value.line == line and err.value.path == str(path) and message in err.value.message


def test_not_utf8_is_named(tmp_path):
    path = tmp_path / "names.tsv"
    path.write_bytes("中国移动\tORG\n".encode("utf8") + "一汽\tORG\n".encode("gbk"))
    with pytest.raises(KgError) as err:
        read_names(path)
    assert err.value.line == 2 and "UTF-8" in err.value.message


def test_find_listed_takes_the_longer_name():
    names = Names(rules={"跃升行动": "PRG", "十大跃升行动": "PRG", "冰雪节": "EVT"})
    text = "实施十大跃升行动，办好冰雪节"
    assert find_listed(text, names) == [(2, 8, "PRG"), (11, 14, "EVT")]
    assert find_listed(text, Names()) == []


def test_long_listed_names_are_taken_wherever_written():
    names = Names(model={"中国移动": "ORG", "一汽": "ORG"}, rules={"数字吉林": "PRG"})
    text = "中国移动与一汽共建数字吉林"
    assert find_listed(text, names) == [(0, 4, "ORG"), (9, 13, "PRG")]  # 一汽: left to the model


def test_listed_names_are_found(pipeline):
    text = "中国一汽与宁德时代联合成立电池研发中心。"  # the model reads a person 宁德
    [before] = pipeline.entities([text])
    assert ("宁德时代", "ORG") not in [(e.text, e.label) for e in before]
    names = Names(model={"宁德时代": "ORG"}, rules={"联合成立电池研发": "EVT"}, digest="t")
    [after] = pipeline.entities([text], names=names)
    found = [(e.text, e.label) for e in after]
    assert ("宁德时代", "ORG") in found
    assert ("联合成立电池研发", "EVT") in found
    [doc] = pipeline.docs([text], names=names)
    assert ("宁德时代", "ORG") in [(e.text, e.label_) for e in doc.ents]
    # the list holds for that call only
    [again] = pipeline.entities([text])
    assert again == before


def test_cli_entities_with_names(pipeline, tmp_path):
    names = write(tmp_path, "宁德时代新能源科技股份有限公司\tORG\n")
    source = write(tmp_path, TEXT + "\n", "in.txt")
    res = CliRunner().invoke(main, ["entities", str(source), "--names", str(names)])
    assert res.exit_code == 0, res.output
    found = [(e["text"], e["label"]) for e in json.loads(res.output)["entities"]]
    assert ("宁德时代新能源科技股份有限公司", "ORG") in found


def test_cli_names_errors_are_clean(tmp_path):
    source = write(tmp_path, TEXT + "\n", "in.txt")
    bad = write(tmp_path, "一汽\tCOMPANY\n")
    res = CliRunner().invoke(main, ["entities", str(source), "--names", str(bad)])
    assert res.exit_code == 1 and f"kg: error: {bad}:1: expected a name" in res.output
    assert "Traceback" not in res.output
    res = CliRunner().invoke(main, ["build", str(source), "--names", str(tmp_path / "missing.tsv"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "does not exist" in res.output
    assert not (tmp_path / "o").exists()


def test_build_with_names_analyses_again(pipeline, tmp_path):
    from kg.build import build

    page = write(tmp_path, "# 电池\n\n" + TEXT + "\n", "page.md")
    out = tmp_path / "out"
    _, first = build([page], out)
    assert first.new_articles == 1
    names = read_names(write(tmp_path, "宁德时代新能源科技股份有限公司\tORG\n"))
    G, second = build([page], out, names=names)
    assert second.new_articles == 1  # made with another list: analysed again
    assert "宁德时代新能源科技股份有限公司" in {d.get("label") for _, d in G.nodes(data=True)}
    _, third = build([page], out, names=names)
    assert third.new_articles == 0
