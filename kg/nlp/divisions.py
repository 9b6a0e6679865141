"""Keep the long official names of autonomous divisions whole.

An autonomous county, banner or prefecture is named by its place and its peoples:
前郭尔罗斯蒙古族自治县, 双江拉祜族佤族布朗族傣族自治县. The character model, reading ±8
characters, breaks the longer ones into a person and a place (郭尔罗斯 | 蒙古族自治县人民政府).
The gazetteer lists every one of them, so a name it lists is made one place again, and an
organisation that starts inside it (…自治县人民政府) starts where the name does.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Sequence

_AUTONOMOUS = "自治"


@functools.lru_cache(maxsize=1)
def _names() -> re.Pattern | None:
    from kg.geo import Gazetteer
    from kg.rules import alternation

    names = [n for n in Gazetteer.load().full if _AUTONOMOUS in n]
    return re.compile(alternation(names)) if names else None


def whole_divisions(text: str, ents: Sequence) -> list:
    """`ents` with each autonomous division's official name in `text` one span: entities inside
    the name dropped, one that runs on past its end (an organisation) started at the name's start,
    and a place added where no entity covers the name. Sorted by start."""
    if _AUTONOMOUS not in text or (pattern := _names()) is None:
        return list(ents)
    from kg.nlp.pipeline import Ent  # (the pipeline imports this module)

    out = list(ents)
    for m in pattern.finditer(text):
        a, b = m.span()
        if any(e.start <= a and b <= e.end for e in out):
            continue  # read whole already, or inside a longer name
        if any(e.start < a < e.end for e in out):
            continue  # an entity runs into the name from before it: leave the model's reading
        inside = [e for e in out if a <= e.start and e.end <= b]
        runs_on = [e for e in out if a <= e.start < b < e.end]
        out = [e for e in out if e not in inside and e not in runs_on]
        if runs_on:
            e = runs_on[0]
            out.append(replace(e, start=a, text=text[a : e.end], source=e.source + "+division"))
        else:
            out.append(Ent(a, b, "LOC", text[a:b], "rule:division"))
    return sorted(out, key=lambda e: (e.start, -e.end))
