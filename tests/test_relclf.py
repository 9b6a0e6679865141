"""The shipped FinRE relation classifier (kg.relclf) and its extraction pass. No training here."""
from __future__ import annotations

import pytest

from kg.records import Mention
from kg.relclf import (
    HEAD_CLOSE,
    HEAD_OPEN,
    PREDICATES,
    RULE,
    TAIL_CLOSE,
    TAIL_OPEN,
    OrgRelationClassifier,
    inverse_label,
    locate,
    mark,
    org_pair_relations,
    pair_allowed,
)

SIGNED = "华为与招商银行签署战略合作协议。"  # 华为 (0, 2), 招商银行 (3, 7)


@pytest.fixture(scope="module")
def clf():
    return OrgRelationClassifier.load()


def test_labels_are_finre(clf):
    assert len(clf.labels) == 44
    assert "unknown" in clf.labels
    assert set(PREDICATES) <= set(clf.labels)
    assert set(clf.thresholds) == {"cooperatesWith", "partOf", "founded"}
    assert 0.0 < clf.thresholds["cooperatesWith"] < 1.0


def test_classify_returns_a_property_or_none(clf):
    pred, prob = clf.classify("中国银行和工商银行公布了年报。", (0, 4), (5, 9))
    assert pred in {None, "cooperatesWith", "partOf", "founded"}
    assert 0.0 <= prob <= 1.0


@pytest.mark.parametrize("sentence,head,tail", [(SIGNED, (0, 2), (3, 7)), (SIGNED, (3, 7), (0, 2))])
def test_signing_is_cooperation(clf, sentence, head, tail):
    pred, prob = clf.classify(sentence, head, tail)
    assert pred == "cooperatesWith"
    assert prob >= clf.thresholds["cooperatesWith"]


def test_label_distribution_sums_to_one(clf):
    P = clf.probs([(SIGNED, (0, 2), (3, 7))])
    assert P.shape == (1, len(clf.labels))
    assert abs(float(P.sum()) - 1.0) < 1e-4


def test_extraction_pass_adds_cooperation(clf):
    ms = [Mention("a", 0, 2, "华为", "ORG", "ner"), Mention("a", 3, 7, "招商银行", "ORG", "ner")]
    rels = org_pair_relations("a", SIGNED, [(0, len(SIGNED))], ms, classifier=clf)
    assert [(r.subject.text, r.predicate, r.object.text, r.evidence.rule) for r in rels] == [
        ("华为", "cooperatesWith", "招商银行", RULE)
    ]
    assert rels[0].evidence.confidence >= clf.thresholds["cooperatesWith"]


@pytest.mark.parametrize("label,inverse", [("持股", "被持股"), ("被拥有", "拥有"), ("合作", "合作"), ("unknown", "unknown")])
def test_inverse_label(clf, label, inverse):
    assert inverse_label(label, clf.labels) == inverse


@pytest.mark.parametrize(
    "sentence,head,tail,spans",
    [
        ("雨润集团称雨润不会出售", "雨润", "雨润集团", ((5, 7), (0, 4))),  # the nested occurrence is skipped
        ("甲公司收购乙公司", "甲公司", "乙公司", ((0, 3), (5, 8))),
        ("甲公司", "甲公司", "公司", None),
    ],
)
def test_locate(sentence, head, tail, spans):
    assert locate(sentence, head, tail) == spans


def test_mark_wraps_adjacent_names():
    assert mark("甲乙", (0, 1), (1, 2)) == f"{HEAD_OPEN}甲{HEAD_CLOSE}{TAIL_OPEN}乙{TAIL_CLOSE}"
    assert mark("甲和乙", (2, 3), (0, 1)) == f"{TAIL_OPEN}甲{TAIL_CLOSE}和{HEAD_OPEN}乙{HEAD_CLOSE}"


@pytest.mark.parametrize(
    "sentence,allowed",
    [
        ("甲公司与乙公司签署合作协议。", True),
        ("甲公司否认与乙公司签署过合作协议。", False),  # negation
        ("甲公司与乙公司的合资谈判仍在进行。", False),  # talks only
        ("甲公司与乙公司曾有合作意向，但没有签约。", False),
        ("甲公司表示，乙公司将与丙大学合作。", False),  # a speaker in another clause
    ],
)
def test_pair_allowed(sentence, allowed):
    assert pair_allowed(sentence, (0, 3), (sentence.index("乙公司"), sentence.index("乙公司") + 3)) == allowed
