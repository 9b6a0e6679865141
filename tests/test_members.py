"""The NER's vote with its member models where it is unsure (kg.nlp.members)."""
from __future__ import annotations

import numpy
import pytest

from kg.nlp.members import (
    majority,
    member_bytes,
    receptive_field,
    runs,
    set_members,
    settled,
    stretch,
    top_probs,
    unsure_region,
)
from kg.nlp.tagner import biluo_tags, path_of, spans_of

TAGS = biluo_tags(["LOC", "ORG", "PER"])
TEXT = "新华社北京3月5日电 国务院总理李强在人民大会堂作政府工作报告，吉林省代表团的张明参加了讨论。"


def test_majority_keeps_what_more_than_half_find():
    a, b, c = (0, 2, "PER"), (3, 5, "LOC"), (3, 6, "LOC")
    assert majority([{a, b}, {a, c}, {a}]) == {a}
    assert majority([{a, b}, {a, b}, {c}]) == {a, b}
    assert majority([{a}, set()]) == set()  # one of two is not a majority


def test_path_of_is_the_inverse_of_spans_of():
    spans = [(0, 1, "PER"), (2, 5, "LOC"), (5, 7, "ORG")]
    assert spans_of(path_of(spans, 9, TAGS), TAGS) == spans
    assert spans_of(path_of([], 4, TAGS), TAGS) == []


def test_top_probs_are_each_character_s_top_tag_probability():
    logits = numpy.log(numpy.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]])) + 3.0  # scores up to a constant
    assert top_probs(logits) == pytest.approx([0.9, 0.6, 0.8])
    assert len(top_probs(numpy.zeros((0, 2)))) == 0


def test_the_region_lies_around_unsure_characters_and_the_read_around_it():
    top = numpy.array([0.99] * 10 + [0.5] + [0.99] * 20 + [0.6])
    region, read = unsure_region(top, 0.7, window=2, reach=3)
    assert runs(region) == [(8, 13), (29, 32)]
    assert runs(read) == [(5, 16), (26, 32)]
    assert unsure_region(numpy.full(5, 0.99), 0.7, 2, 3) == (None, None)
    assert runs(numpy.array([True, True])) == [(0, 2)] and runs(numpy.zeros(3, dtype=bool)) == []


@pytest.fixture()
def ner(pipeline):
    """The shipped NER pipeline, its members restored after the test."""
    nlp = pipeline.ner
    component = nlp.get_pipe("ner")
    saved = (component.members, component.member_threshold)
    yield nlp
    component.members, component.member_threshold = saved


def _names(nlp, text=TEXT):
    return [(e.start, e.end, e.label_) for e in nlp(text).ents]


def test_the_shipped_ner_has_two_members(ner):
    assert len(ner.get_pipe("ner").members) == 2


def test_a_member_in_float16_scores_as_the_model_does(ner):
    set_members(ner, [member_bytes(ner)])
    doc = ner.make_doc(TEXT)
    for _, proc in ner.pipeline:
        doc = proc(doc)
    own = ner.get_pipe("ner").model.predict([doc])[0]
    member = ner.get_pipe("ner").members[0].predict([doc])[0]
    assert numpy.abs(own - member).max() < 0.05


def _silent(ner):
    """Two members that find no names: their softmax always says O."""
    set_members(ner, [member_bytes(ner)] * 2)
    for member in ner.get_pipe("ner").members:
        softmax = member.layers[-1].layers[0]
        softmax.set_param("W", numpy.zeros_like(softmax.get_param("W")))
        b = numpy.zeros_like(softmax.get_param("b"))
        b[ner.get_pipe("ner").labels.index("O")] = 10.0
        softmax.set_param("b", b)


def test_a_member_reading_a_stretch_scores_its_middle_as_reading_the_sentence(ner):
    set_members(ner, [member_bytes(ner)])
    member = ner.get_pipe("ner").members[0]
    reach = receptive_field(member)
    assert reach == 8  # four convolution layers of window 2
    doc = ner.make_doc(TEXT)
    whole = member.predict([doc])[0]
    part = member.predict([stretch(doc, 10, 40)])[0]
    assert numpy.abs(part[reach:-reach] - whole[10 + reach : 40 - reach]).max() < 1e-4
    assert numpy.abs(part - whole[10:40]).max() > 0.01  # the edges differ: reach is needed


def test_the_vote_runs_only_where_the_model_is_unsure(ner):
    set_members(ner, [])
    alone = _names(ner)
    assert alone  # the text has names
    _silent(ner)
    ner.get_pipe("ner").member_threshold = 0.0  # never unsure: the members are not asked
    assert _names(ner) == alone
    ner.get_pipe("ner").member_threshold = 1.01  # always unsure: two silent members outvote it
    assert _names(ner) == []


def test_members_that_agree_change_nothing(ner):
    set_members(ner, [])
    alone = _names(ner)
    set_members(ner, [member_bytes(ner)] * 2, threshold=1.01)
    assert _names(ner) == alone


def test_a_vote_is_settled_when_the_votes_left_cannot_change_it():
    a, b = (0, 2, "PER"), (3, 5, "LOC")
    assert settled([{a, b}, {a, b}], voters=3, left=1)  # two of three agree on everything
    assert not settled([{a, b}, {a}], voters=3, left=1)  # b has one vote; the third decides
    assert settled([{a}, {a}, {b}], voters=5, left=2) is False  # b could still reach three
    assert settled([{a}, {a}, {a}, {b}], voters=5, left=1)  # b cannot reach three
    assert majority([{a, b}, {a}], voters=3) == {a}


def test_packaged_vectors_are_halved(tmp_path):
    from kg.train.package import halve_vectors

    (tmp_path / "vocab").mkdir()
    data = numpy.random.default_rng(0).normal(size=(20, 8)).astype("float32")
    with open(tmp_path / "vocab" / "vectors", "wb") as f:
        numpy.save(f, data)
    halve_vectors(tmp_path)
    back = numpy.load(tmp_path / "vocab" / "vectors")
    assert back.dtype == numpy.float16 and numpy.abs(back - data).max() < 0.01
