"""The gazetteer: Chinese administrative divisions, looked up by the names news text uses.

`Gazetteer.load()` reads `kg/models/places.tsv` (made by `python -m kg.train.places`): every
province, prefecture and county-level division with its GB/T 2260 code, official name, parent
and coordinates. `lookup` accepts the official name (珲春市, 延边朝鲜族自治州), the short forms
derived from it (珲春, 延边州, 延边, 吉林, 长春) and chains of them (吉林省长春市, 陕西西安).

Ambiguity is settled the way a newspaper writes, and otherwise left open:
- a bare short name that names a province is the province (吉林 is 吉林省; 吉林市 says 市);
- of candidates where one contains the others, the container wins (通化 is 通化市, not 通化县);
- the short form of a district (朝阳 for 朝阳区) is only taken inside a context place;
- several candidates left (朝阳区 is in Beijing and in Changchun): the one inside the context
  places (the home province, or places named nearby), else no answer.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Union

from kg.errors import KgError

PLACES = Path(__file__).resolve().parent / "models" / "places.tsv"
LEVELS = ("province", "city", "county")

# The 55 minorities as they appear inside autonomous-area names (延边朝鲜族自治州, 伊犁哈萨克自治州).
_ETHNIC_LONG = (
    "蒙古|维吾尔|布依|朝鲜|土家|哈尼|哈萨克|傈僳|高山|拉祜|东乡|纳西|景颇|柯尔克孜|达斡尔|仫佬|"
    "布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|塔塔尔|"
    "独龙|鄂伦春|赫哲|门巴|珞巴|基诺"
)
_ETHNIC_SHORT = "回|藏|苗|彝|壮|满|侗|瑶|白|黎|傣|佤|畲|水|土|羌|怒|京|各"  # one character: only with 族
_ETHNIC_TAIL = re.compile(rf"(?:(?:{_ETHNIC_LONG})族?|(?:{_ETHNIC_SHORT})族)$")
_AUTONOMOUS = re.compile(r"^(.+?)(自治区|自治州|自治县|自治旗|特别行政区)$")
_PLAIN_SUFFIX = ("地区", "林区", "省", "市", "县", "区", "旗", "盟")


@dataclass(frozen=True)
class Place:
    """One administrative division."""

    code: str  # 6-digit GB/T 2260 code, e.g. "222404"
    name: str  # official full name, e.g. "珲春市"
    level: str  # province, city (prefecture level) or county (county level)
    parent: str | None  # code of the enclosing division; None for provinces
    lat: float | None = None
    lon: float | None = None


Context = Union[None, str, Place, Iterable[Union[str, Place]]]


def short_names(place: Place) -> set[str]:
    """The shorter names news text uses for `place` (延边朝鲜族自治州 -> 延边州, 延边)."""
    name = place.name
    if place.level == "county" and place.code[4] == "7":  # development zones: no short forms
        return set()
    out: set[str] = set()
    m = _AUTONOMOUS.match(name)
    if m:
        base, suffix = m[1], m[2]
        while len(base) > 2 and _ETHNIC_TAIL.search(base):
            stripped = _ETHNIC_TAIL.sub("", base)
            if len(stripped) < 2:  # named after the people alone: 鄂温克族自治旗 -> 鄂温克旗
                base = base.removesuffix("族")
                break
            base = stripped
        out.add(base)
        if suffix in ("自治州", "自治县", "自治旗"):
            out.add(base + suffix[-1])
    else:
        for suffix in _PLAIN_SUFFIX:
            if name.endswith(suffix):
                out.add(name[: -len(suffix)])
                break
    return {s for s in out if len(s) >= 2 and s != name}


def _is_district(place: Place) -> bool:
    return place.level == "county" and place.name.endswith("区")


class Gazetteer:
    """Administrative divisions by code, official name and short name."""

    def __init__(self, places: Iterable[Place]):
        self.by_code: dict[str, Place] = {}
        self.full: dict[str, list[Place]] = {}
        self.short: dict[str, list[Place]] = {}
        for p in sorted(places, key=lambda p: p.code):
            self.by_code[p.code] = p
            self.full.setdefault(p.name, []).append(p)
            for s in short_names(p):
                self.short.setdefault(s, []).append(p)
        self.max_len = max((len(n) for n in (*self.full, *self.short)), default=0)
        self._cache: dict[tuple, Place | None] = {}

    @classmethod
    def load(cls, path: str | Path = PLACES) -> "Gazetteer":
        """The shipped gazetteer, read once per process."""
        return _load(str(path))

    @classmethod
    def read(cls, path: str | Path) -> "Gazetteer":
        places = []
        try:
            lines = Path(path).read_text(encoding="utf8").splitlines()
        except FileNotFoundError:
            raise KgError(
                "the gazetteer is missing; reinstall kg (`pip install .`) or rebuild it "
                "(`python -m kg.train.places --data ../shared/data`)",
                path=str(path),
            ) from None
        for n, line in enumerate(lines, 1):
            if not line or line.startswith("#") or line.startswith("code\t"):
                continue
            cols = line.split("\t")
            if len(cols) != 6 or cols[2] not in LEVELS:
                raise KgError("expected code, name, level, parent, lon, lat separated by tabs", str(path), n)
            code, name, level, parent, lon, lat = cols
            places.append(Place(code, name, level, parent or None, float(lat) if lat else None, float(lon) if lon else None))
        return cls(places)

    # --- hierarchy ----------------------------------------------------------------------------

    def get(self, code: str) -> Place | None:
        return self.by_code.get(code)

    def chain(self, place: Place) -> list[Place]:
        """`place` and its ancestors up to the province: 珲春市, 延边朝鲜族自治州, 吉林省."""
        out = [place]
        while out[-1].parent and out[-1].parent in self.by_code:
            out.append(self.by_code[out[-1].parent])
        return out

    def within(self, place: Place, area: Place) -> bool:
        """Whether `place` is `area` or lies inside it."""
        return any(p.code == area.code for p in self.chain(place))

    def province(self, place: Place) -> Place:
        return self.chain(place)[-1]

    # --- lookup -------------------------------------------------------------------------------

    def lookup(self, name: str, context_province: Context = None) -> Place | None:
        """The division `name` stands for, or None when there is none or it stays ambiguous.

        `context_province`: a place (name, code or Place) or several, e.g. the home province and
        the places named in the same article; a candidate inside one of them is preferred.
        """
        name = unicodedata.normalize("NFKC", name).strip()
        areas = self._areas(context_province)
        key = (name, tuple(a.code for a in areas))
        if key not in self._cache:
            self._cache[key] = self._lookup(name, areas)
        return self._cache[key]

    def is_place_name(self, name: str) -> bool:
        """Whether `name` reads as a division by its form alone: an official name (长春市), a short
        name with its suffix (延边州) or a chain (陕西西安); not a bare short name (吉林, 白山)."""
        name = unicodedata.normalize("NFKC", name).strip()
        if name in self.full:
            return True
        if name in self.short and name[-1] in "省市州县区旗盟":
            return True
        return len(self._parse_chain(name)) == 1

    def split(self, text: str) -> tuple[str, Place | None, str]:
        """The longest leading place name of `text` (a chain read greedily), the division it
        resolves to (None when ambiguous) and the rest: 通榆县乌兰花镇 -> ("通榆县", <通榆县>, "乌兰花镇")."""
        pos, prev = 0, None
        while True:
            for end in range(min(len(text) - 1, pos + self.max_len), pos + 1, -1):
                cands = self.full.get(text[pos:end], []) + self.short.get(text[pos:end], [])
                if prev is not None:
                    cands = [c for c in cands if any(c.code != p.code and self.within(c, p) for p in prev)]
                if cands:
                    pos, prev = end, cands
                    break
            else:
                break
        if not pos:
            return "", None, text
        return text[:pos], self.lookup(text[:pos]), text[pos:]

    def _areas(self, context: Context) -> list[Place]:
        if context is None:
            return []
        if isinstance(context, (str, Place)):
            context = [context]
        areas: dict[str, Place] = {}
        for c in context:
            p = c if isinstance(c, Place) else (self.by_code.get(c) if c.isdigit() else self.lookup(c))
            if p is not None:
                areas[p.code] = p
        return sorted(areas.values(), key=lambda p: p.code)

    def _lookup(self, name: str, areas: list[Place]) -> Place | None:
        if name in self.full:
            return self._choose(self.full[name], areas)
        shorts = self.short.get(name)
        if shorts:
            provinces = [p for p in shorts if p.level == "province"]
            if len(provinces) == 1:
                return provinces[0]
            main = [p for p in shorts if not _is_district(p)]
            if main:
                return self._choose(main, areas)
            return self._choose(shorts, areas, alone_is_enough=False)
        finals = self._parse_chain(name)
        return finals[0] if len(finals) == 1 else None

    def _choose(self, cands: list[Place], areas: list[Place], alone_is_enough: bool = True) -> Place | None:
        # A candidate inside another candidate is the same name one level down: 通化县 in 通化市.
        cands = [p for p in cands if not any(q is not p and self.within(p, q) for q in cands)]
        if len(cands) == 1 and alone_is_enough:
            return cands[0]
        inside = [p for p in cands if any(self.within(p, a) for a in areas)]
        return inside[0] if len(inside) == 1 else None

    def _parse_chain(self, text: str) -> list[Place]:
        """Places `text` can name as a chain of two or more names, each inside the one before
        (吉林省长春市朝阳区, 延边州珲春市, 陕西西安); longest pieces first, first parse that works."""

        def walk(pos: int, prev: list[Place] | None, depth: int) -> list[Place] | None:
            if pos == len(text):
                return prev if depth >= 2 else None
            for end in range(min(len(text), pos + self.max_len), pos + 1, -1):
                piece = text[pos:end]
                cands = self.full.get(piece, []) + self.short.get(piece, [])
                if prev is not None:
                    cands = [c for c in cands if any(c.code != p.code and self.within(c, p) for p in prev)]
                if cands:
                    found = walk(end, cands, depth + 1)
                    if found:
                        return found
            return None

        if len(text) < 4:
            return []
        found = walk(0, None, 0) or []
        found = [p for p in found if not any(q is not p and self.within(p, q) for q in found)]
        return list({p.code: p for p in found}.values())


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Gazetteer:
    return Gazetteer.read(path)
