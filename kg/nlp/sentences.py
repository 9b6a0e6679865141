"""Sentence splitting that keeps character offsets."""
from __future__ import annotations

import re

# A sentence ends at 。！？!? or ；; (plus any closing quotes/brackets), or at a line break.
_END = re.compile(r"[。！？!?；;…]+[”’」』）)]*|\n+")


def split_sentences(text: str, max_len: int = 300) -> list[tuple[int, int]]:
    """(start, end) of each sentence, without surrounding whitespace; long ones are cut at commas."""
    spans = []
    pos = 0
    for m in _END.finditer(text):
        spans.append((pos, m.end()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while e - s > max_len:
            cut = max(text.rfind("，", s, s + max_len), text.rfind(",", s, s + max_len))
            cut = cut + 1 if cut > s else s + max_len
            out.append((s, cut))
            s = cut
        out.append((s, e))
    trimmed = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            trimmed.append((s, e))
    return trimmed
