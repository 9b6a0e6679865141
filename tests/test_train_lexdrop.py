"""Lexicon dropout (kg.train.lexdrop): whole matches hidden at the given rate, nothing else touched."""
from __future__ import annotations

import random

import pytest
import spacy
from spacy.training import Example

from kg.nlp.chars import CharTokenizer
from kg.nlp.lexicon import Lexicon
from kg.train.lexdrop import create_lexicon_dropout_corpus, drop_matches


@pytest.fixture(scope="module")
def tokenizer():
    nlp = spacy.blank("zh")
    return CharTokenizer(nlp.vocab, Lexicon({"长春市": "LOC", "江泽民": "PER", "吉林大学": "ORG"}))


def tags(doc):
    return [str(t.morph) for t in doc]


TEXT = "江泽民在长春市的吉林大学讲话"


def test_rate_zero_keeps_every_match(tokenizer):
    doc = tokenizer(TEXT)
    before = tags(doc)
    assert drop_matches(doc, 0.0, random.Random(0), {}) == 0
    assert tags(doc) == before


def test_rate_one_hides_every_match_and_keeps_the_text_features(tokenizer):
    doc = tokenizer(TEXT)
    bigrams = [t.lemma_ for t in doc]
    assert drop_matches(doc, 1.0, random.Random(0), {}) == 3
    assert set(tags(doc)) == {""}
    assert [t.lemma_ for t in doc] == bigrams and doc.text == TEXT


def test_a_match_is_hidden_whole_or_not_at_all(tokenizer):
    rng = random.Random(3)
    hidden = 0
    for _ in range(200):
        doc = tokenizer(TEXT)
        hidden += drop_matches(doc, 0.5, rng, {})
        t = tags(doc)
        for start, end in [(0, 3), (4, 7), (8, 12)]:
            assert len({x == "" for x in t[start:end]}) == 1
    assert 200 < hidden < 400  # about half of 600


def test_reader_hides_matches_in_the_predicted_doc_only(tmp_path, tokenizer):
    from spacy.tokens import DocBin

    nlp = spacy.blank("zh")
    nlp.tokenizer = tokenizer
    ref = nlp.make_doc(TEXT)
    ref.ents = [ref.char_span(0, 3, label="PER")]
    DocBin(docs=[ref]).to_disk(tmp_path / "train.spacy")
    read = create_lexicon_dropout_corpus(tmp_path / "train.spacy", lexicon_dropout=1.0)
    (eg,) = list(read(nlp))
    assert isinstance(eg, Example)
    assert set(tags(eg.predicted)) == {""}
    assert [(e.text, e.label_) for e in eg.reference.ents] == [("江泽民", "PER")]


def test_a_type_rate_overrides_the_rate_for_that_type_only(tokenizer):
    doc = tokenizer(TEXT)
    assert drop_matches(doc, 1.0, random.Random(0), {}, {"ORG": 0.0}) == 2
    t = tags(doc)
    assert set(t[0:3]) == {""} and set(t[4:7]) == {""}
    assert t[8:12] == ["Lex=B_ORG", "Lex=I_ORG", "Lex=I_ORG", "Lex=E_ORG"]


def test_reader_rejects_a_rate_outside_zero_to_one(tmp_path):
    with pytest.raises(ValueError, match="lexicon_dropout"):
        create_lexicon_dropout_corpus(tmp_path / "x.spacy", lexicon_dropout=1.5)
    with pytest.raises(ValueError, match="type_dropout.ORG"):
        create_lexicon_dropout_corpus(tmp_path / "x.spacy", lexicon_dropout=0.5, type_dropout={"ORG": -1})


def test_a_gold_sentence_sees_the_names_of_the_other_folds_only(tmp_path):
    from kg.train.lexdrop import NameFolds, fold_of, write_name_folds

    # two sentences naming 张骞, in different folds; one naming 王莽 alone
    texts = [f"{i}日张骞进宫" for i in range(12)]
    first = next(t for t in texts if fold_of(t, 2) == 0)
    second = next(t for t in texts if fold_of(t, 2) == 1)
    alone = next(f"{i}年王莽居摄" for i in range(12) if fold_of(f"{i}年王莽居摄", 2) == 0)
    at = first.index("张")
    gold = [(first, [(at, at + 2, "PER")]), (second, [(second.index("张"), second.index("张") + 2, "PER")]),
            (alone, [(alone.index("王"), alone.index("王") + 2, "PER")])]
    full = write_name_folds(tmp_path, Lexicon({"长春市": "LOC"}), gold, 2)
    assert full.names == {"长春市": "LOC", "张骞": "PER", "王莽": "PER"}
    folds = NameFolds(tmp_path)
    nlp = spacy.blank("zh")
    tok = CharTokenizer(nlp.vocab, full)
    doc = tok(first)
    assert folds.apply(doc)
    assert tags(doc)[at : at + 2] == ["Lex=B_PER", "Lex=E_PER"]  # named in the other fold
    doc = tok(alone)
    assert folds.apply(doc)
    assert all(t == "" for t in tags(doc))  # its only name is its own
    doc = tok("王莽居摄在长春市")  # not a gold sentence: the whole lexicon
    assert not folds.apply(doc)
    assert tags(doc)[:2] == ["Lex=B_PER", "Lex=E_PER"]
