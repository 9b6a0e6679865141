"""Name replacement for training (kg.train.augment) and the new-name recall of kg.bench.ner_dev."""
from __future__ import annotations

import random

from kg.bench.ner_dev import new_names, not_listed, recall_of
from kg.nlp.lexicon import Lexicon
from kg.train.augment import NamePools, augmented, replace_names

TRAIN = [
    ("张三到北京参观北京大学。", [(0, 2, "PER"), (3, 5, "LOC"), (7, 11, "ORG")]),
    ("李四在上海。", [(0, 2, "PER"), (3, 5, "LOC")]),
    ("王小明访问奥运会。", [(0, 3, "PER"), (5, 6, "LOC")]),
    ("今天没有名字。", []),
]


def test_every_longer_name_is_replaced_by_one_of_its_type_and_the_spans_follow():
    pools = NamePools(TRAIN, {"长春": "LOC", "吉林大学": "ORG", "海": "LOC"})
    assert "长春" in pools.names["LOC"] and "吉林大学" in pools.names["ORG"]
    assert "海" not in pools.names["LOC"]  # single characters are never put in
    rng = random.Random(3)
    for _ in range(50):
        text, spans = replace_names(*TRAIN[0], pools, rng)
        assert text.endswith("参观" + text[spans[2][0]:spans[2][1]] + "。")
        assert [lab for _, _, lab in spans] == ["PER", "LOC", "ORG"]
        assert text[spans[1][0]:spans[1][1]] in pools.names["LOC"]
        assert text[spans[2][0]:spans[2][1]] in pools.names["ORG"]
        name = text[spans[0][0]:spans[0][1]]
        assert 2 <= len(name) <= 3 and name[0] in "张李王"  # drawn, or made up from the people's surnames
        assert text[spans[0][1]] == "到" and text[spans[1][1]:spans[2][0]] == "参观"


def test_single_characters_stay_and_sentences_without_names_give_no_copies():
    pools = NamePools(TRAIN)
    copies = augmented(TRAIN, pools, copies=2, seed=1)
    assert len(copies) == 6  # three sentences with names, twice
    olympics = [c for c in copies if c[0].endswith("奥运会。")]
    assert len(olympics) == 2
    for text, spans in olympics:
        assert spans[-1][2] == "LOC" and text[spans[-1][0]:spans[-1][1]] == "奥"
    assert augmented(TRAIN, pools, copies=2, seed=1) == copies  # seeded


def test_new_names_are_those_the_training_part_lacks_with_that_type():
    dev = [("张三和赵六去了北京。", [(0, 2, "PER"), (3, 5, "PER"), (7, 9, "LOC")]),
           ("北京大学在上海？", [(0, 4, "ORG"), (5, 7, "PER")])]
    new = new_names(dev, TRAIN)
    assert new == [{(3, 5, "PER")}, {(5, 7, "PER")}]  # 上海 is known, but as a place
    pred = [{(3, 5, "PER"), (7, 9, "LOC")}, {(5, 7, "LOC")}]
    got = recall_of(new, pred)
    assert got["PER"] == (0.5, 2) and got["ALL"] == (0.5, 2) and got["LOC"] == (0.0, 0)


def test_made_up_names_are_like_the_type_s_names_but_none_of_them():
    from kg.train.augment import NameChain

    # names sharing two characters in the middle let the chain join them: 长白山 + 白山湖
    places = ["长白山市", "白山湖", "松花江市", "花江县", "四平市", "平原县"]
    chain = NameChain(places)
    rng = random.Random(4)
    made = {chain.draw(rng) for _ in range(200)} - {None}
    assert {"长白山湖", "白山市", "松花江县"} <= made and not made & set(places)
    assert all(len(m) >= 2 and m[-1] in "市湖县" for m in made)  # the chain keeps how the names end
    assert NameChain(["长春", "吉林"]).draw(random.Random(1)) is None  # nothing new to write
    pools = NamePools(TRAIN, {p: "LOC" for p in places}, invent=1.0)
    for _ in range(50):
        text, spans = replace_names(*TRAIN[1], pools, rng)
        assert text[spans[1][0]:spans[1][1]] in made  # always made up, never 北京 or a listed place
    assert "LOC" not in NamePools(TRAIN).chains  # off by default


def test_new_names_the_lexicon_lacks_are_scored_apart():
    texts = ["张三和赵六去了北京。"]
    new = [{(0, 2, "PER"), (3, 5, "PER"), (7, 9, "LOC")}]
    assert not_listed(new, texts, Lexicon({"赵六": "PER"})) == [{(0, 2, "PER"), (7, 9, "LOC")}]
    assert not_listed(new, texts, None) == new
