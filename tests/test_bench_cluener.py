"""The modern-names yardstick's tally (no corpus needed)."""
from __future__ import annotations

from kg.bench.cluener import tally
from kg.nlp.pipeline import Ent


def test_tally_counts_exact_wrong_label_and_missed_per_type():
    rows = [
        {"text": "戴森公司总裁张三访问吉林省政府", "label": {
            "company": {"戴森公司": [[0, 3]]},
            "name": {"张三": [[6, 7]]},
            "government": {"吉林省政府": [[10, 14]]},
            "position": {"总裁": [[4, 5]]},
        }},
    ]
    found = [[Ent(0, 2, "PER", "戴森", "ner"), Ent(6, 8, "PER", "张三", "ner"), Ent(10, 15, "LOC", "吉林省政府", "ner")]]
    out = tally(rows, found)
    assert out["name"] == {"exact": 1}
    assert out["company"] == {"missed": 1}  # 戴森 alone is another span
    assert out["government"] == {"as LOC": 1}
    assert "position" not in out


def test_the_held_out_names_are_taken_out_of_the_lexicon_it_scores_with():
    from kg.bench.cluener import without_held_out
    from kg.nlp.lexicon import Lexicon

    rows = [{"text": "戴森公司总裁张三", "label": {"company": {"戴森公司": [[0, 3]]}, "name": {"张三": [[6, 7]]},
                                              "position": {"总裁": [[4, 5]]}}}]
    lex = Lexicon({"戴森公司": "ORG", "张三": "PER", "总裁": "W", "吉林省": "LOC"})
    assert without_held_out(lex, rows).names == {"总裁": "W", "吉林省": "LOC"}
    # a name another source lists stays
    assert without_held_out(lex, rows, {"张三"}).names == {"张三": "PER", "总裁": "W", "吉林省": "LOC"}
