"""The NER's CNN + BiLSTM context encoder: shapes, whole-sentence context, gradients, disk."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example

from kg.nlp import tagner as _tagner  # noqa: F401  (registers kg_tag_ner)
from kg.nlp.encoders import window_bilstm_encoder


def _encoder(depth=1, window=1):
    model = window_bilstm_encoder(width=8, depth=depth, window_size=window, maxout_pieces=2, lstm_width=3)
    rng = numpy.random.default_rng(0)
    X = [rng.normal(size=(n, 8)).astype("float32") for n in (6, 1, 12)]
    model.initialize(X=X)
    return model, X


def test_each_character_gets_the_cnn_vector_and_the_lstm_vector():
    model, X = _encoder()
    Y = model.predict(X)
    assert model.get_dim("nO") == 14
    assert [y.shape for y in Y] == [(6, 14), (1, 14), (12, 14)]


def test_the_lstm_half_sees_the_whole_sentence_and_the_cnn_half_only_its_window():
    model, X = _encoder(depth=1, window=1)
    far = [x.copy() for x in X]
    far[2][11] += 3.0  # the last character of the 12-character sentence
    before, after = model.predict(X)[2][0], model.predict(far)[2][0]
    assert numpy.allclose(before[:8], after[:8])  # the CNN reads ±1 character
    assert not numpy.allclose(before[8:], after[8:])


@pytest.mark.parametrize("where", [(0, 0, 0), (0, 5, 7), (2, 3, 4), (2, 11, 1), (1, 0, 2)])
def test_input_gradients_match_finite_differences(where):
    # the LSTM part alone (the input beside the BiLSTM's output over it): a smooth function, so
    # central differences are exact to float32 rounding; the CNN's maxout has kinks
    encoder, X = _encoder()
    model = encoder.layers[1]
    rng = numpy.random.default_rng(1)
    R = [rng.normal(size=(len(x), 14)) for x in X]  # loss = sum(R * Y)

    def loss(Xs):
        return sum(float((r * y.astype("float64")).sum()) for r, y in zip(R, model.predict(Xs)))

    _, backprop = model.begin_update(X)
    dX = backprop([r.astype("float32") for r in R])
    b, t, k = where
    eps = 1e-2
    up, down = [x.copy() for x in X], [x.copy() for x in X]
    up[b][t, k] += eps
    down[b][t, k] -= eps
    assert dX[b][t, k] == pytest.approx((loss(up) - loss(down)) / (2 * eps), rel=1e-3, abs=1e-3)


def _example(nlp, words, ents):
    ref = Doc(nlp.vocab, words=words)
    ref.set_ents([Span(ref, s, e, label=lab) for s, e, lab in ents], default="outside")
    return Example(Doc(nlp.vocab, words=words), ref)


def test_a_tagger_over_the_encoder_learns_and_loads_back_from_disk(tmp_path):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    embed = {"@architectures": "spacy.MultiHashEmbed.v2", "width": 16, "attrs": ["NORM"], "rows": [500],
             "include_static_vectors": False}
    encode = {"@architectures": "kg.WindowBiLSTMEncoder.v1", "width": 16, "depth": 1, "window_size": 1,
              "maxout_pieces": 2, "lstm_width": 8}
    tok2vec = {"@architectures": "spacy.Tok2Vec.v2", "embed": embed, "encode": encode}
    nlp.add_pipe("kg_tag_ner", name="ner", config={"model": {"@architectures": "spacy.Tagger.v2", "tok2vec": tok2vec}})
    examples = [
        _example(nlp, list("张三去北京"), [(0, 2, "PER"), (3, 5, "LOC")]),
        _example(nlp, list("李四到上海"), [(0, 2, "PER"), (3, 5, "LOC")]),
    ]
    optimizer = nlp.initialize(lambda: examples)
    losses = [nlp.update(examples, sgd=optimizer)["ner"] for _ in range(100)]
    assert losses[-1] < losses[0] / 10
    doc = nlp(Doc(nlp.vocab, words=list("张三去北京")))
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(0, 2, "PER"), (3, 5, "LOC")]
    nlp.to_disk(tmp_path / "m")
    back = spacy.load(tmp_path / "m")
    doc = back(Doc(back.vocab, words=list("李四到上海")))
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(0, 2, "PER"), (3, 5, "LOC")]
