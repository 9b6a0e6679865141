"""Partly labelled NER sentences from the People's Daily 1998 POS corpus (`seg/pd1998-01.pos.txt`).

The corpus tags person (nr), place (ns) and organisation (nt) words, but its compound brackets
were flattened: 中央人民广播电台 is `中央/n 人民/n 广播/vn 电台/n`, and 北京大学生物系 loses its
ORG reading. So a sentence is only partly labelled, and spaCy's missing-value support carries that:
a token is PER/LOC/ORG where the tags say so without doubt, "outside" where no name can hide, and
*missing* (no loss either way) where the MSRA reading is unknown:

- a run of nominal words that ends in an institution or facility word (…台, …院, …厂, …中心) may be
  one flattened organisation: the whole run is missing;
- nz (other proper nouns) and j (abbreviations: 中美 is two MSRA places) are missing;
- two places in a row (湖北/ns 武汉市/ns) are missing, since MSRA sometimes reads them as one;
- otherwise a run of nr words is one PER, an ns word a LOC, an nt word an ORG, and the rest is O;
- except where a model trained on MSRA alone finds a name in that O (`defer_to_teacher`).

Sentences that share a 20-character stretch with any sentence of `exclude` (the NER dev split, and
the MSRA test file so that no test sentence is ever trained on) are dropped.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator

# Word tags that can be part of a flattened name compound.
NOMINAL = {"n", "vn", "an", "b", "a", "ns", "nt", "nz", "nr", "j", "l", "Ng", "s", "f", "m"}
UNKNOWN = {"nz", "j"}
# A nominal run whose common-noun word ends so may be an organisation, facility or place name.
INSTITUTION_ENDS = tuple(
    "会院部局厂社委所校司队团馆行台组处办党军署厅庭营连站场店园宫寺庙港报刊室科系府堂楼厦城协联盟"
    "区岛山河湖江海省市县乡镇村州街路"
) + ("中心", "集团", "公司", "学会", "协会", "银行", "电台", "电视台", "大学", "中学", "小学", "医院")
SHINGLE = 20
SENTENCE_END = {"。", "！", "？", "；"}


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    return {text[i:i + n] for i in range(0, max(1, len(text) - n + 1))}


def _norm(word: str) -> str:
    folded = unicodedata.normalize("NFKC", word)
    return folded if len(folded) == len(word) else word


def parse_line(line: str) -> list[tuple[str, str]]:
    out = []
    for item in line.split():
        word, _, tag = item.rpartition("/")
        if word:
            out.append((_norm(word), tag))
    return out


def sentences(words: list[tuple[str, str]], max_len: int = 150) -> Iterator[list[tuple[str, str]]]:
    """A paragraph cut after sentence-final punctuation once a piece is long enough."""
    piece: list[tuple[str, str]] = []
    n = 0
    for w, t in words:
        piece.append((w, t))
        n += len(w)
        if w in SENTENCE_END and n >= 20 or n >= max_len:
            yield piece
            piece, n = [], 0
    if piece:
        yield piece


def label(words: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int]]]:
    """(text, entity spans, missing spans) in characters."""
    offsets = []
    pos = 0
    for w, _ in words:
        offsets.append((pos, pos + len(w)))
        pos += len(w)
    text = "".join(w for w, _ in words)
    ents: list[tuple[int, int, str]] = []
    missing: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if words[i][1] not in NOMINAL:
            i += 1
            continue
        j = i
        while j < len(words) and words[j][1] in NOMINAL:
            j += 1
        run = words[i:j]
        # Only common-noun heads count: 香港/ns ends in 港 but is the name itself. One word is
        # enough: MSRA reads 省委, 国会, 众议院 as organisations.
        last_inst = max(
            (k for k, (w, t) in enumerate(run) if t not in ("nr", "ns", "nt") and w.endswith(INSTITUTION_ENDS)),
            default=-1,
        )
        if last_inst >= 0:
            # Everything up to the institution word may be one name; what follows is read normally.
            missing.append((offsets[i][0], offsets[i + last_inst][1]))
            k = i + last_inst + 1
        else:
            k = i
        while k < j:
            t = words[k][1]
            if t == "nr":
                m = k
                while m < j and words[m][1] == "nr":
                    m += 1
                ents.append((offsets[k][0], offsets[m - 1][1], "PER"))
                k = m
                continue
            if t == "ns":
                m = k
                while m < j and words[m][1] == "ns":
                    m += 1
                if m - k == 1:
                    ents.append((offsets[k][0], offsets[k][1], "LOC"))
                else:
                    missing.append((offsets[k][0], offsets[m - 1][1]))
                k = m
                continue
            if t == "nt":
                ents.append((offsets[k][0], offsets[k][1], "ORG"))
            elif t in UNKNOWN:
                missing.append(offsets[k])
            k += 1
        i = j
    return text, ents, missing


def defer_to_teacher(
    text: str, ents: list[tuple[int, int, str]], missing: list[tuple[int, int]], teacher: list[tuple[int, int, str]]
) -> list[tuple[int, int]]:
    """`missing` plus each name a model trained on MSRA finds where the PD labels say outside.

    PD tags words, MSRA names inside words too (华 in 驻华, 邓小平 in 邓小平理论, 卫生部 in
    卫生部长): where the two standards disagree the sentence says nothing rather than "no name"."""
    labelled = bytearray(len(text))
    for s, e, _ in ents:
        labelled[s:e] = b"\x01" * (e - s)
    for s, e in missing:
        labelled[s:e] = b"\x01" * (e - s)
    extra = [(s, e) for s, e, _ in teacher if not any(labelled[s:e])]
    return sorted(missing + extra)


def read(path: Path, exclude: Iterable[str] = ()) -> Iterator[tuple[str, list, list]]:
    """Partly labelled sentences of a PD POS file, minus those overlapping `exclude` texts."""
    banned: set[str] = set()
    for t in exclude:
        banned |= shingles(t)
    with open(path, encoding="utf8") as f:
        for line in f:
            for piece in sentences(parse_line(line)):
                text, ents, missing = label(piece)
                if not re.search(r"[\u4e00-\u9fff]", text):
                    continue
                if shingles(text) & banned:
                    continue
                yield text, ents, missing
