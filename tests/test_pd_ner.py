"""Partly labelled NER sentences from People's Daily POS lines (no training here)."""
from __future__ import annotations

import spacy

from kg.nlp import chars  # noqa: F401  (registers kg.CharTokenizer.v1)
from kg.train import pd_ner
from kg.train.ner import to_docbin


def _read(line: str):
    text, ents, missing = pd_ner.label(pd_ner.parse_line(line))
    return text, [(text[s:e], lab) for s, e, lab in ents], [text[s:e] for s, e in missing]


def test_person_place_and_organisation_words():
    text, ents, missing = _read("１２月/t  ，/w  新华社/nt  记者/n  兰/nr  红光/nr  在/p  北京/ns  采访/v  。/w")
    assert text == "12月,新华社记者兰红光在北京采访。"  # NFKC, like the MSRA text
    assert ents == [("新华社", "ORG"), ("兰红光", "PER"), ("北京", "LOC")]
    assert missing == []


def test_flattened_organisation_is_missing_not_outside():
    _, ents, missing = _read("通过/p  中央/n  人民/n  广播/vn  电台/n  和/c  中国/ns  共产党/n  的/u")
    assert ents == []
    assert missing == ["中央人民广播电台", "中国共产党"]


def test_place_name_ending_like_an_institution_is_still_a_place():
    _, ents, missing = _read("向/p  香港/ns  同胞/n  、/w  澳门/ns  同胞/n  问候/vn")
    assert ents == [("香港", "LOC"), ("澳门", "LOC")]
    assert missing == []


def test_unknown_conventions_are_missing():
    _, ents, missing = _read("中美/j  贸易/vn  和/c  湖北/ns  武汉市/ns  的/u  汉语/nz")
    assert ents == []
    assert missing == ["中美", "湖北武汉市", "汉语"]


def test_sentences_overlapping_excluded_text_are_dropped(tmp_path):
    path = tmp_path / "pd.txt"
    long_a = "今天/t  上午/t  ，/w  国务院/nt  召开/v  常务/b  会议/n  ，/w  研究/v  部署/v  春季/t  农业/n  生产/vn  工作/vn  。/w"
    long_b = "王/nr  林/nr  说/v  ，/w  今年/t  粮食/n  产量/n  有望/v  再/d  创/v  新高/n  ，/w  农民/n  收入/n  继续/v  增长/v  。/w"
    path.write_text(long_a + "\n" + long_b + "\n", encoding="utf8")
    kept = list(pd_ner.read(path, exclude=["报道说,国务院召开常务会议,研究部署春季农业生产工作。"]))
    assert [t for t, _, _ in kept] == ["王林说,今年粮食产量有望再创新高,农民收入继续增长。"]


def test_docbin_keeps_missing_tokens_apart_from_outside():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.CharTokenizer.v1"}}})
    db = to_docbin(nlp, [("新华社记者兰红光摄", [(5, 8, "PER")], [(0, 3)])])
    (doc,) = db.get_docs(nlp.vocab)
    assert [t.ent_iob_ for t in doc] == ["", "", "", "O", "O", "B", "I", "I", "O"]


def test_single_institution_word_is_missing():
    _, ents, missing = _read("省委/n  书记/n  会见/v  国会/n  代表/n")
    assert ents == [] and missing == ["省委", "国会"]


def test_names_the_teacher_finds_inside_outside_words_become_missing():
    text, ents, missing = pd_ner.label(pd_ner.parse_line("驻华/v  大使/n  江/nr  泽民/nr  会见/v"))
    assert text == "驻华大使江泽民会见"
    teacher = [(1, 2, "LOC"), (4, 6, "PER")]  # 华; a name that overlaps PD's own PER is left alone
    assert pd_ner.defer_to_teacher(text, ents, missing, teacher) == [(1, 2)]
