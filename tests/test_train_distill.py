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


def test_cluener_people_and_organisations_replace_what_of_the_vote_they_overlap():
    row = {"text": "苏宁易购董事长张近东在南京", "label": {
        "company": {"苏宁易购": [[0, 3]]},
        "name": {"张近东": [[7, 9]]},
        "position": {"董事长": [[4, 6]]},
        "address": {"南京": [[11, 12]]},
    }}
    gold = distill.cluener_spans(row)
    assert gold == [(0, 4, "ORG"), (7, 10, "PER")]  # places and positions are not taken
    kept = [(0, 2, "PER"), (7, 10, "PER"), (11, 13, "LOC")]  # the vote: 苏宁 a person
    missing = [(2, 4), (5, 6)]
    names, unlabelled = distill.over_gold(kept, missing, gold)
    assert names == [(0, 4, "ORG"), (7, 10, "PER"), (11, 13, "LOC")]
    assert unlabelled == [(5, 6)]
    # overlapping gold names: the longer stays
    nested = {"text": "北京大学附属医院", "label": {"organization": {"北京大学": [[0, 3]]}, "company": {"北京大学附属医院": [[0, 7]]}}}
    assert distill.cluener_spans(nested) == [(0, 8, "ORG")]


def test_cluener_split_holds_out_a_seeded_fifth(tmp_path):
    (tmp_path / "ner").mkdir()
    rows = [{"text": f"第{i}句", "label": {}} for i in range(100)]
    (tmp_path / "ner" / "cluener_train.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf8")
    train, held = distill.cluener_split(tmp_path)
    assert len(held) == 20 and len(train) == 80
    assert {r["text"] for r in train}.isdisjoint(r["text"] for r in held)
    assert distill.cluener_split(tmp_path) == (train, held)


def test_main_adds_cluener_sentences_with_their_gold_names(tmp_path, monkeypatch):
    import spacy

    (tmp_path / "data").mkdir()
    data = _data(tmp_path / "data", msr=["新华社 记者 在 长春 采访 了 工人 。"], duee=[])
    (data / "ner").mkdir()
    for name in ("msra_train.bio", "msra_test.bio"):
        (data / "ner" / name).write_text("中\tB-LOC\n国\tI-LOC\n\n", encoding="utf8")
    rows = [{"text": f"苏宁易购第{i}家门店在南京开业", "label": {"company": {"苏宁易购": [[0, 3]]}}} for i in range(10)]
    (data / "ner" / "cluener_train.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf8")
    # every teacher reads 苏宁 as a person and nothing else
    monkeypatch.setattr(distill, "predict", lambda teacher, texts: [
        [(t.index("苏宁"), t.index("苏宁") + 2, "PER")] if "苏宁" in t else [] for t in texts])
    out = tmp_path / "p.spacy"
    distill.main(["--data", str(data), "--teachers", "a", "b", "c", "--out", str(out), "--cluener"])
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("zh").vocab))
    assert len(docs) == 2 + 8  # two unlabelled sentences, four fifths of CLUENER's ten
    clue = [d for d in docs if d.text.startswith("苏宁")]
    assert len(clue) == 8
    assert all([(e.text, e.label_) for e in d.ents] == [("苏宁易购", "ORG")] for d in clue)


def test_confident_spans_keep_sure_names_and_leave_unsure_tags_unlabelled():
    import numpy as np

    tags = ["O", "B-PER", "I-PER", "L-PER", "U-PER", "B-LOC", "I-LOC", "L-LOC", "U-LOC"]

    def dist(tag: str, p: float) -> list[float]:
        row = [(1 - p) / (len(tags) - 1)] * len(tags)
        row[tags.index(tag)] = p
        return row

    # 张三 sure; 北京 found but its last tag unsure; an unsure O; a sure O
    probs = np.array([dist("B-PER", 0.9), dist("L-PER", 0.8), dist("O", 0.95), dist("B-LOC", 0.9),
                      dist("L-LOC", 0.4), dist("O", 0.45), dist("O", 0.9)], dtype="float32")
    [(kept, missing)] = distill.confident_spans(tags, [probs], 0.5)
    assert kept == [(0, 2, "PER")]
    assert missing == [(3, 6)]  # the unsure name and the unsure O next to it make one stretch
    [(kept, missing)] = distill.confident_spans(tags, [probs], 0.3)
    assert kept == [(0, 2, "PER"), (3, 5, "LOC")] and missing == []
