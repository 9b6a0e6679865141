"""The tagging NER's decoder: the best valid BILUO path, the same as trying every path."""
from __future__ import annotations

import itertools

import numpy
import pytest
import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example

from kg.nlp.tagner import _constraints, biluo_tags, decode, spans_of, viterbi

TAGS = biluo_tags(["LOC", "PER"])  # O, B/I/L/U-LOC, B/I/L/U-PER


def _valid(path: tuple[int, ...]) -> bool:
    trans, start, end = _constraints(TAGS)
    if start[path[0]] < 0 or end[path[-1]] < 0:
        return False
    return all(trans[a, b] == 0 for a, b in zip(path, path[1:]))


def _brute_force(scores: numpy.ndarray) -> tuple[int, ...]:
    paths = (p for p in itertools.product(range(len(TAGS)), repeat=len(scores)) if _valid(p))
    return max(paths, key=lambda p: sum(scores[i, t] for i, t in enumerate(p)))


def test_constraints_follow_biluo():
    trans, start, end = _constraints(TAGS)
    t = TAGS.index
    assert trans[t("B-LOC"), t("L-LOC")] == 0 and trans[t("B-LOC"), t("I-LOC")] == 0
    assert trans[t("B-LOC"), t("L-PER")] < 0  # a name keeps its label
    assert trans[t("O"), t("I-LOC")] < 0 and trans[t("U-PER"), t("L-PER")] < 0
    assert trans[t("L-LOC"), t("B-PER")] == 0 and trans[t("O"), t("U-LOC")] == 0
    assert start[t("I-PER")] < 0 and start[t("B-PER")] == 0
    assert end[t("B-LOC")] < 0 and end[t("L-LOC")] == 0 and end[t("O")] == 0


def test_viterbi_finds_the_best_valid_path_for_sentences_of_different_lengths():
    rng = numpy.random.default_rng(3)
    scores = [rng.normal(size=(n, len(TAGS))).astype("float32") for n in (1, 4, 2, 5, 3)]
    trans, start, end = _constraints(TAGS)
    got = viterbi(scores, trans, start, end)
    for s, path in zip(scores, got):
        assert tuple(path.tolist()) == _brute_force(s)


def test_decode_takes_valid_argmax_paths_as_they_are_and_searches_the_rest():
    rng = numpy.random.default_rng(5)
    t = TAGS.index
    scores = []
    for n in (3, 0, 5, 1, 4, 2):
        s = rng.normal(size=(n, len(TAGS))).astype("float32")
        if n in (3, 4):  # a clear valid reading: O ... O U-PER
            s[:, t("O")] += 10
            s[-1, t("U-PER")] += 20
        scores.append(s)
    trans, start, end = _constraints(TAGS)
    got = decode(scores, trans, start, end)
    assert [len(p) for p in got] == [3, 0, 5, 1, 4, 2]
    for s, path in zip(scores, got):
        if len(s):
            assert tuple(path.tolist()) == _brute_force(s)
    assert decode([], trans, start, end) == []


def test_viterbi_repairs_an_argmax_that_is_no_valid_path():
    """Per character the argmax reads O I-LOC L-LOC: the decoder opens the name instead."""
    trans, start, end = _constraints(TAGS)
    s = numpy.full((3, len(TAGS)), -5.0, dtype="float32")
    t = TAGS.index
    s[0, t("O")], s[0, t("B-LOC")] = 0.0, -0.5
    s[1, t("I-LOC")] = 0.0
    s[2, t("L-LOC")] = 0.0
    (path,) = viterbi([s], trans, start, end)
    assert spans_of(path, TAGS) == [(0, 3, "LOC")]


def test_viterbi_of_nothing():
    trans, start, end = _constraints(TAGS)
    assert viterbi([], trans, start, end) == []
    assert [len(p) for p in viterbi([numpy.zeros((0, len(TAGS)), "float32")], trans, start, end)] == [0]


def test_spans_of_a_path():
    t = TAGS.index
    path = numpy.array([t("U-PER"), t("O"), t("B-LOC"), t("I-LOC"), t("L-LOC"), t("B-PER"), t("L-PER")])
    assert spans_of(path, TAGS) == [(0, 1, "PER"), (2, 5, "LOC"), (5, 7, "PER")]


@pytest.fixture(scope="module")
def tiny_nlp():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    cfg = {"model": {"tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "width": 32, "depth": 1,
                                 "embed_size": 500, "window_size": 1, "maxout_pieces": 2,
                                 "subword_features": False, "pretrained_vectors": None}}}
    nlp.add_pipe("kg_tag_ner", name="ner", config=cfg)
    return nlp


def _example(nlp, words, ents, missing=()):
    doc = Doc(nlp.vocab, words=words)
    ref = Doc(nlp.vocab, words=words)
    ref.set_ents([Span(ref, s, e, label=lab) for s, e, lab in ents], missing=[ref[i : i + 1] for i in missing],
                 default="outside")
    return Example(doc, ref)


def test_it_learns_names_and_sets_doc_ents(tiny_nlp):
    nlp = tiny_nlp
    examples = [
        _example(nlp, list("张三去北京"), [(0, 2, "PER"), (3, 5, "LOC")]),
        _example(nlp, list("李四到上海"), [(0, 2, "PER"), (3, 5, "LOC")]),
    ]
    optimizer = nlp.initialize(lambda: examples)
    assert nlp.get_pipe("ner").labels[0] == "O" and len(nlp.get_pipe("ner").labels) == 9
    for _ in range(60):
        nlp.update(examples, sgd=optimizer)
    doc = nlp(Doc(nlp.vocab, words=list("张三去北京")))
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(0, 2, "PER"), (3, 5, "LOC")]
    assert nlp.evaluate(examples)["ents_f"] == 1.0


def test_missing_annotation_is_left_out_of_the_loss(tiny_nlp):
    ner = tiny_nlp.get_pipe("ner")
    eg = _example(tiny_nlp, list("王五来吉林"), [(0, 2, "PER")], missing=(3, 4))
    scores = ner.model.predict([eg.predicted])
    _, d_scores = ner.get_loss([eg], [ner.model.ops.softmax(s) for s in scores])
    assert numpy.allclose(d_scores[0][3:], 0.0)
    assert not numpy.allclose(d_scores[0][:3], 0.0)


def test_soft_targets_survive_a_docbin_and_follow_the_model_s_tag_order(tiny_nlp):
    from spacy.tokens import DocBin

    from kg.nlp.tagner import set_soft_targets, soft_targets

    doc = Doc(tiny_nlp.vocab, words=list("张三"))
    tags = ["O", "U-PER", "B-PER", "L-PER"]
    probs = numpy.array([[0.1, 0.2, 0.7, 0.0], [0.2, 0.0, 0.0, 0.8]], dtype="float32")
    set_soft_targets(doc, tags, probs)
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    back = next(DocBin().from_bytes(data).get_docs(tiny_nlp.vocab))
    got = soft_targets(back, ["O", "B-PER", "I-PER", "L-PER", "U-PER"])
    assert numpy.allclose(got, [[0.1, 0.7, 0.0, 0.0, 0.2], [0.2, 0.0, 0.0, 0.8, 0.0]], atol=1e-3)
    assert soft_targets(back, ["O", "B-PER"]) is None  # a tag the model lacks: no soft targets
    with pytest.raises(ValueError):
        set_soft_targets(doc, tags, probs[:1])


def test_soft_targets_replace_the_gold_tags_in_the_loss(tiny_nlp):
    from kg.nlp.tagner import set_soft_targets

    ner = tiny_nlp.get_pipe("ner")
    eg = _example(tiny_nlp, list("王五来"), [(0, 2, "PER")])
    target = numpy.full((3, len(ner.labels)), 0.01, dtype="float32")
    target[:, ner.labels.index("O")] = 1.0
    target /= target.sum(1, keepdims=True)
    set_soft_targets(eg.reference, list(ner.labels), target)
    probs = [ner.model.ops.softmax(s) for s in ner.model.predict([eg.predicted])]
    loss, d_scores = ner.get_loss([eg], probs)
    assert numpy.allclose(d_scores[0], probs[0] - target, atol=1e-3)
    assert loss > 0
