"""Machine labelling of unlabelled text by a vote of NER models (no model runs here)."""
from __future__ import annotations

import json

from spacy.tokens import DocBin

from kg.train import distill


def test_vote_keeps_majority_names_and_leaves_minority_ones_unlabelled():
    a = [(0, 3, "ORG"), (5, 7, "PER")]
    b = [(0, 3, "ORG"), (5, 7, "LOC")]
    c = [(0, 2, "LOC"), (9, 11, "PER")]
    kept, missing = distill.vote([a, b, c])
    assert kept == [(0, 3, "ORG")]
    # 5-7 has no majority label; 9-11 one vote; 0-2 overlaps the kept name, so it stays outside
    assert missing == [(5, 7), (9, 11)]


def test_vote_of_two_needs_both():
    kept, missing = distill.vote([[(0, 2, "PER")], [(0, 2, "PER"), (4, 6, "LOC")]])
    assert kept == [(0, 2, "PER")] and missing == [(4, 6)]


def _data(tmp_path, msr: list[str], duee: list[str]):
    (tmp_path / "seg").mkdir()
    (tmp_path / "unlabeled").mkdir()
    (tmp_path / "seg" / "msr_training.utf8").write_text("".join(l + "\n" for l in msr), encoding="utf8")
    (tmp_path / "seg" / "pd1998-01.pos.txt").write_text("江/nr  泽民/nr  会见/v  外宾/n  。/w\n", encoding="utf8")
    (tmp_path / "seg" / "pd1998-02.seg.txt").write_text("", encoding="utf8")
    (tmp_path / "unlabeled" / "duee_test1.jsonl").write_text(
        "".join(json.dumps({"text": t, "id": str(i)}, ensure_ascii=False) + "\n" for i, t in enumerate(duee)),
        encoding="utf8",
    )
    return tmp_path


def test_sentences_overlapping_excluded_text_are_left_out(tmp_path):
    held = "国务院总理李鹏今天在人民大会堂会见了来访的日本客人并同他们进行了友好交谈"
    data = _data(
        tmp_path,
        msr=[f"据 报道 ， {held[:30]} 。 新华社 记者 在 长春 采访 了 工人 。"],
        duee=["短句。", "新华社记者在长春采访了工人。", "ABCDEFGHIJ。"],
    )
    got = distill.unlabelled_sentences(data, [held])
    # the first MSR sentence shares 20+ characters with the held-out text; the DuEE repeat of an
    # MSR sentence, a too-short one and one without Chinese are dropped too
    assert got == ["新华社记者在长春采访了工人。", "江泽民会见外宾。"]


def test_docbin_keeps_unlabelled_characters_apart_from_outside(tmp_path):
    texts = ["李鹏会见王刚"]
    preds = [[[(0, 2, "PER")]], [[(0, 2, "PER"), (4, 6, "PER")]], [[(0, 2, "PER")]]]
    db = distill.to_docbin(texts, preds)
    path = tmp_path / "p.spacy"
    db.to_disk(path)
    import spacy

    doc = next(DocBin().from_disk(path).get_docs(spacy.blank("zh").vocab))
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [(0, 2, "PER")]
    assert [t.ent_iob_ for t in doc] == ["B", "I", "O", "O", "", ""]


def test_overlapping_minority_names_make_one_unlabelled_run():
    kept, missing = distill.vote([[(0, 3, "ORG")], [(2, 5, "LOC")], [(7, 9, "PER")]])
    assert kept == [] and missing == [(0, 5), (7, 9)]
    doc = next(
        DocBin().from_bytes(distill.to_docbin(["中国银行北京分行"], [[[(0, 3, "ORG")]], [[(2, 5, "LOC")]], [[]]]).to_bytes())
        .get_docs(__import__("spacy").blank("zh").vocab)
    )
    assert [t.ent_iob_ for t in doc] == [""] * 5 + ["O"] * 3
