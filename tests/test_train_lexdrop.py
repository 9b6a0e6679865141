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


def test_reader_rejects_a_rate_outside_zero_to_one(tmp_path):
    with pytest.raises(ValueError, match="lexicon_dropout"):
        create_lexicon_dropout_corpus(tmp_path / "x.spacy", lexicon_dropout=1.5)
