"""The NER's character features: folding, bigrams, lexicon tags; offsets never move."""
from __future__ import annotations

import pytest
import spacy

from kg.nlp.chars import CharTokenizer, fold
from kg.nlp.lexicon import Lexicon


@pytest.fixture(scope="module")
def tokenizer():
    nlp = spacy.blank("zh")
    return CharTokenizer(nlp.vocab, Lexicon({"长春市": "LOC", "江泽民": "PER", "长春": "LOC"}))


@pytest.mark.parametrize("ch, folded", [("１", "1"), ("Ａ", "A"), ("，", ","), ("国", "国"), ("℃", "℃")])
def test_fold_keeps_one_character(ch, folded):
    assert fold(ch) == folded


@pytest.mark.parametrize("text", ["长春市１２月", "", " 空 格 ", "℃和㎡"])
def test_one_token_per_character(tokenizer, text):
    doc = tokenizer(text)
    assert [t.text for t in doc] == list(text)
    assert doc.text == text


def test_bigram_features(tokenizer):
    doc = tokenizer("长春１")
    assert [t.norm_ for t in doc] == ["长", "春", "1"]
    assert [t.lemma_ for t in doc] == ["<s>长", "长春", "春1"]
    assert [t.tag_ for t in doc] == ["长春", "春1", "1<s>"]


@pytest.mark.parametrize(
    "text, tags",
    [
        ("长春市人", ["B_LOC", "I_LOC", "E_LOC", ""]),  # the longest name wins
        ("在长春", ["", "B_LOC", "E_LOC"]),
        ("江泽民长春", ["B_PER", "I_PER", "E_PER", "B_LOC", "E_LOC"]),
        ("无名", ["", ""]),
    ],
)
def test_lexicon_tags(tokenizer, text, tags):
    assert tokenizer.lexicon.tags(text) == tags
    doc = tokenizer(text)
    assert [str(t.morph) for t in doc] == [f"Lex={t}" if t else "" for t in tags]


def test_lexicon_round_trip(tmp_path):
    lex = Lexicon({"长春市": "LOC", "国网": "ORG"})
    lex.to_disk(tmp_path / "lex.tsv")
    assert Lexicon.from_disk(tmp_path / "lex.tsv").names == lex.names


def test_always_joined_words():
    from kg.train.segmenter import always_joined

    sents = [["中国", "人民"], ["中国", "人民"], ["人民", "银行"]] + [["人民银行"]] * 40 + [["中国人民"]]
    joined = always_joined(sents)
    assert "人民银行" in joined  # 40 whole against 1 split
    assert "中国人民" not in joined  # 1 whole against 2 split


def test_word_tokenizer_joins_neighbours_the_corpus_writes_whole():
    from kg.nlp.words import PkusegTokenizer

    tok = PkusegTokenizer(spacy.blank("zh").vocab)
    tok.joins = frozenset({"人民银行"})
    assert tok._join(["中国", "人民", "银行", "行长"]) == ["中国", "人民银行", "行长"]
    assert tok._join(["人民", "银行家"]) == ["人民", "银行家"]


def test_the_lexicon_may_list_common_words_behind_names(tmp_path):
    from kg.train.lexicon import collect

    (tmp_path / "seg").mkdir()
    (tmp_path / "ner").mkdir()
    (tmp_path / "seg" / "pd1998-01.pos.txt").write_text(
        "北京/ns  发展中国家/n  发展/v  １９９８年/t  江/nr  泽民/nr\n"
        "北京/ns  发展中国家/n  发展/v  １９９８年/t\n", encoding="utf8")
    (tmp_path / "ner" / "cluener_train.jsonl").write_text('{"text": "北京", "label": {"organization": {"北京": [[0, 1]]}}}\n', encoding="utf8")
    assert collect(tmp_path).names == {"北京": "LOC", "江泽民": "PER"}
    with_words = collect(tmp_path, word_count=2).names
    assert with_words == {"北京": "LOC", "江泽民": "PER", "发展中国家": "W", "发展": "W"}
    assert Lexicon(with_words).tags("在发展中国家") == ["", "B_W", "I_W", "I_W", "I_W", "E_W"]


def test_the_lexicon_leaves_out_the_cluener_names_the_benchmark_holds_out(tmp_path):
    import json

    from kg.train.distill import cluener_split
    from kg.train.lexicon import collect

    (tmp_path / "seg").mkdir()
    (tmp_path / "ner").mkdir()
    (tmp_path / "seg" / "pd1998-01.pos.txt").write_text("北京/ns\n", encoding="utf8")
    firms = [f"公司{chr(0x4e00 + 40 * i)}{chr(0x4e01 + 40 * i)}" for i in range(10)]
    rows = [{"text": f, "label": {"company": {f: [[0, len(f) - 1]]}}} for f in firms]
    (tmp_path / "ner" / "cluener_train.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf8")
    held = {r["text"] for r in cluener_split(tmp_path)[1]}
    assert len(held) == 2
    names = collect(tmp_path).names
    assert {f for f in firms if f in names} == set(firms) - held


def test_training_names_are_those_marked_nearly_wherever_written():
    from kg.train.lexicon import training_names

    sents = [
        ("张骞进得宫去", [(0, 2, "PER")]),
        ("中心主任说，中心已接待", [(0, 2, "ORG")]),  # marked once of two: left out
        ("博望侯张骞的故乡在城固", [(3, 5, "PER"), (9, 11, "LOC")]),
        ("城固县的城固人", [(0, 3, "LOC"), (4, 6, "LOC")]),
        ("ＡＢ公司", [(0, 4, "ORG")]),  # folded as the lexicon folds
        ("他到了中心", []),
    ]
    names = training_names(sents)
    assert names == {"张骞": "PER", "城固县": "LOC", "AB公司": "ORG"}  # 城固: two of three
    assert "中心" in training_names(sents, min_share=0.3)


def test_packaging_adds_the_training_names_to_the_lexicon_read_at_run_time(tmp_path):
    from kg.train.package import add_training_names

    model = tmp_path / "model"
    (model / "tokenizer").mkdir(parents=True)
    Lexicon({"长春市": "LOC", "吉林": "LOC"}).to_disk(model / "tokenizer" / "lexicon.tsv")
    train = [("张骞进宫", [(0, 2, "PER")]), ("长春市", [(0, 3, "ORG")])]
    assert add_training_names(model, train) == 1
    assert Lexicon.from_disk(model / "tokenizer" / "lexicon.tsv").names == {"长春市": "ORG", "吉林": "LOC", "张骞": "PER"}
