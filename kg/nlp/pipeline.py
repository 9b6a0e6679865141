"""Load the shipped pipelines and run them: words, entities, and words with entities.

Two spaCy pipelines ship in `kg/models/`: `words` (the spacy-pkuseg tokenizer, PKU standard)
and `ner` (a character-level NER, see `kg.nlp.chars`). Rules add programmes and events
(`kg.rules`) and the deictic names a newspaper uses for its home (我省, 本报).
"""
from __future__ import annotations

import collections
import functools
import itertools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from spacy.util import minibatch

from kg.errors import KgError
from kg.nlp import chars as _chars  # noqa: F401  (registers kg.CharTokenizer.v1)
from kg.nlp import embed as _embed  # noqa: F401  (registers kg.CharBigramEmbed.v1)
from kg.nlp import encoders as _encoders  # noqa: F401  (registers kg.WindowBiLSTMEncoder.v1)
from kg.nlp import tagner as _tagner  # noqa: F401  (registers the kg_tag_ner factory)
from kg.nlp import words as _words  # noqa: F401  (registers kg.PkusegTokenizer.v1)
from kg.names import Names, find_listed
from kg.nlp.divisions import whole_divisions
from kg.nlp.members import attach_members
from kg.nlp.ops import use_openblas
from kg.nlp.orgs import complete_orgs, deictic_orgs, repeat_names
from kg.nlp.sentences import split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc

MODELS = Path(__file__).resolve().parent.parent / "models"
# Sentences per NER batch. Measured on one core (MSRA test sentences): 64-256 run at the same
# speed, 1000 (spaCy's default) a quarter slower as the arrays outgrow the CPU caches.
SENTENCE_BATCH = 128


@dataclass(frozen=True)
class Ent:
    start: int
    end: int
    label: str
    text: str
    source: str  # "ner" or a rule name
    # A person, place or organisation inside a programme or event name (曼谷 in 曼谷亚运会,
    # 中华人民共和国 in 中华人民共和国刑法), or the event inside its committee's name (长春国际马拉松
    # in 长春国际马拉松组委会): reported, but not a span of the flat reading.
    nested: bool = False


_NAME_LABELS = ("PER", "LOC", "ORG")
_HOLDER_LABELS = ("PRG", "EVT")


# An edition or a year opens an event's name, not a name inside it (第十五届全国大学生数学 is the
# model misreading 第十五届全国大学生数学竞赛), unless it names a body by its term: 十四届全国人大
# in 十四届全国人大一次会议.
_EDITION = re.compile(r"第[^届]{1,5}届|首届|本届|[一二三四五六七八九十0-9]+届|[0-9]{4}年?")
_BODY_BY_TERM = re.compile(r"(?:人大|政协|常委会|委员会|代表大会|党委|中央|政府)$")


# A count of one digit opens a programme's name (五大 in 五大提升工程, 十大 in 十大跃升行动); a
# party congress is named by its number (十五大), which is never one character.
_COUNT = re.compile("[一二三四五六七八九十两]大")


def _may_nest(name: str) -> bool:
    return (not _EDITION.match(name) or bool(_BODY_BY_TERM.search(name))) and not _COUNT.fullmatch(name)


def _nested_names(model: list[Ent], chosen: list[Ent]) -> list[Ent]:
    """Model names inside a chosen programme/event span: 曼谷 of 曼谷亚运会, and the one-character
    abbreviations MSRA marks too (亚 of 亚运会, 京 of 京东燕郊科技节), which the graph leaves out
    (kg.extract): a node needs a name it can be known by."""
    holders = [c for c in chosen if c.label in _HOLDER_LABELS]
    if not holders:
        return []
    kept = set(chosen)
    return [
        replace(m, nested=True)
        for m in model
        if m not in kept and m.label in _NAME_LABELS and _may_nest(m.text)
        and any(h.start <= m.start and m.end <= h.end and (h.start, h.end) != (m.start, m.end) for h in holders)
    ]


# Names listed with a space between them (bylines: 记者 钱铮 马曹冉) may come out of the model as
# one person; a Chinese name has no space inside (a foreign one is joined by ·).
_SPACED_NAMES = re.compile(r"[\u4e00-\u9fff][\s\u3000]+[\u4e00-\u9fff]")
_NON_SPACE = re.compile(r"[^\s\u3000]+")


# Characters a name never starts or ends with: dashes and separators (长春—白城 read as 长春 and
# —白城), and a quote or bracket left open (《经济周刊 of 《经济周刊》; 波兰《生活报》 keeps its pair).
_EDGE_SEPARATORS = set("—－–-~～、，,。；;：:！!？?·•\u3000 ")
_PAIRS = dict(zip("“‘《〈「『（([【", "”’》〉」』）)]】"))
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def _trim_edges(ents: list[Ent]) -> list[Ent]:
    out = []
    for e in ents:
        a, b, t = 0, len(e.text), e.text
        while a < b and (t[a] in _EDGE_SEPARATORS or (t[a] in _PAIRS and _PAIRS[t[a]] not in t[a + 1 : b])):
            a += 1
        while b > a and (t[b - 1] in _EDGE_SEPARATORS or (t[b - 1] in _CLOSERS and _CLOSERS[t[b - 1]] not in t[a : b - 1])):
            b -= 1
        if (a, b) != (0, len(t)):
            if b - a < 1:
                continue
            e = replace(e, start=e.start + a, end=e.start + b, text=t[a:b])
        out.append(e)
    return out


# A surname with 老, 某 or 总 after it (吕老, 梁某, 梁总) names a person by the surname: MSRA marks the
# surname alone (48, 58 and 62 times in its training part; never the two characters).
_SURNAME_TITLES = set("老某总")


def _surname_alone(ents: list[Ent]) -> list[Ent]:
    return [replace(e, end=e.end - 1, text=e.text[0]) if e.label == "PER" and len(e.text) == 2
            and e.text[1] in _SURNAME_TITLES else e for e in ents]


# A foreign name's parts joined by a hyphen (埃里克-戈登, 凯文-杜兰特) are one person: MSRA marks all
# 583 such names in its training part whole, but writes a dot (勒布朗·詹姆斯), so the model may read
# a hyphenated name as two people. Not two Chinese names (张三-李四, a pair): a common surname and
# one or two characters each.
_NAME_JOINERS = set("-•‧")
_COMMON_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


def _chinese_name(name: str) -> bool:
    return 2 <= len(name) <= 3 and name[0] in _COMMON_SURNAMES


def _join_name_parts(sent: str, model: list[Ent]) -> list[Ent]:
    out: list[Ent] = []
    for e in model:
        prev = out[-1] if out else None
        if (e.label == "PER" and prev is not None and prev.label == "PER" and e.start == prev.end + 1
                and sent[prev.end] in _NAME_JOINERS and not (_chinese_name(prev.text) and _chinese_name(e.text))):
            e = replace(prev, end=e.end, text=sent[prev.start : e.end], source=prev.source + "+joined")
            out.pop()
        out.append(e)
    return out


def _split_listed_people(model: list[Ent]) -> list[Ent]:
    out = []
    for e in model:
        if e.label != "PER" or not _SPACED_NAMES.search(e.text):
            out.append(e)
            continue
        out.extend(
            Ent(e.start + m.start(), e.start + m.end(), "PER", m.group(), e.source + "+split")
            for m in _NON_SPACE.finditer(e.text) if len(m.group()) >= 2
        )
    return out


def _committees(sent: str, rules: list[Ent], model: list[Ent]) -> list[Ent]:
    """An event followed by 组委会/执委会/筹委会 is its organising committee, an organisation
    (长春国际马拉松组委会; MSRA marks such names whole). Longer than the event, it wins over it;
    where the model found the committee itself, its span stands."""
    from kg.rules import COMMITTEE

    model_ends = {m.end for m in model if m.label == "ORG"}
    return [
        Ent(r.start, c.end(), "ORG", sent[r.start : c.end()], "rule:committee")
        for r in rules
        if r.label == "EVT" and (c := COMMITTEE.match(sent, r.end)) and c.end() not in model_ends
    ]


def _committee_events(chosen: list[Ent]) -> list[Ent]:
    """The event inside each committee's name (长春国际马拉松 in 长春国际马拉松组委会), nested."""
    from kg.rules import committee_event

    out = []
    for c in chosen:
        span = committee_event(c.text) if c.label == "ORG" else None
        if span:
            s, e = span
            out.append(Ent(c.start + s, c.start + e, "EVT", c.text[s:e], "rule:committee", nested=True))
    return out


@functools.lru_cache(maxsize=4)
def _with_names(lexicon, names: Names):
    """The NER's lexicon plus a user's people, places and organisations (folded as it folds)."""
    from kg.nlp.lexicon import Lexicon

    listed = {"".join(_chars.fold(c) for c in name): label for name, label in names.model.items()}
    return (lexicon or Lexicon()).plus(listed)


def _zone_places(raw: list[Ent], chosen: list[Ent]) -> list[Ent]:
    """The model's places inside a development zone's name (长春 in 长春汽车经济技术开发区), nested."""
    zones = [c for c in chosen if c.label == "LOC" and c.source.endswith("+zone")]
    return [
        replace(m, nested=True)
        for m in raw
        if m.label == "LOC" and m.end - m.start >= 2
        and any(z.start <= m.start and m.end < z.end for z in zones)
    ]


def _resolve_overlaps(cands: list[Ent]) -> list[Ent]:
    """Keep the longest of overlapping spans; on a tie, the earlier one, then rules over the model."""
    chosen: list[Ent] = []
    taken: set[int] = set()
    for ent in sorted(cands, key=lambda e: (-(e.end - e.start), e.start, e.source == "ner")):
        if any(i in taken for i in range(ent.start, ent.end)):
            continue
        chosen.append(ent)
        taken.update(range(ent.start, ent.end))
    return sorted(chosen, key=lambda e: e.start)


# `kg entities` reads a file's lines as the paragraphs or sentences of articles: the people and
# organisations named in the 20 lines before and after a line are looked for in it too. On the
# NER's dev split (sentences a line, runs of 100 from one stretch of articles), with the model
# shipped before this one: F 0.9108 with each line alone, 0.9122, 0.9125, 0.9126, 0.9126 and
# 0.9118 with 5, 10, 20, 50 lines and the whole file (this model: 0.9122 alone, 0.9153 with 20).
LINE_CONTEXT = 20


def _with_neighbours(found: Iterable[tuple[str, list[Ent]]], context: int) -> Iterator[tuple[str, list[Ent]]]:
    """Each (text, entities) with the people and organisations it names, and those named in the
    `context` texts before and after it, also marked where it repeats them
    (kg.nlp.orgs.repeat_names): a name the model found once in an article is then found in its
    other paragraphs too. Streams, holding at most 2 * context + 1 texts."""
    behind: collections.deque = collections.deque(maxlen=context)
    ahead: collections.deque = collections.deque()  # the next text to finish first

    def finish():
        text, ents = ahead.popleft()
        neighbours = [e for _, other in itertools.chain(behind, ahead) for e in other]
        behind.append((text, ents))
        return text, repeat_names(text, ents, neighbours)

    for item in found:
        ahead.append(item)
        if len(ahead) > context:
            yield finish()
    while ahead:
        yield finish()


class Pipeline:
    def __init__(self, model_dir: Path = MODELS):
        import spacy

        for name in ("words", "ner"):
            if not (model_dir / name / "config.cfg").exists():
                raise KgError(
                    f"the {name} model is missing; reinstall kg (`pip install .`) "
                    f"or retrain it (`python -m kg.train.all`)",
                    path=str(model_dir / name),
                )
        self.model_dir = model_dir
        self.complete_orgs = True  # kg.nlp.orgs; a switch so benchmarks can measure it
        self.ner = spacy.load(model_dir / "ner")
        use_openblas(self.ner)
        attach_members(self.ner, model_dir / "ner")
        self._words = None

    @property
    def words(self):
        """The word pipeline, loaded on first use (`kg entities` and `kg build` do not need it)."""
        if self._words is None:
            import spacy

            self._words = spacy.load(self.model_dir / "words")
        return self._words

    def segment(self, texts: Iterable[str]) -> Iterator[list[str]]:
        """PKU-standard words of each text (whitespace dropped)."""
        tok = self.words.tokenizer
        for text in texts:
            yield [w for w in tok.cut(text) if w.strip()]

    def entities(
        self, texts: Iterable[str], batch_size: int = 256, names: Names | None = None, context: int = 0
    ) -> Iterator[list[Ent]]:
        """Entities of each text, with character offsets into it; statistical NER plus rules.

        The spans with `nested` false do not overlap; nested ones lie inside a PRG/EVT span or
        (an event) inside its organising committee's name. `names`: a user's list (kg.names):
        its people, places and organisations join the NER's lexicon for this call, its
        programmes and events are found wherever written. A person or organisation found in a
        text is also marked where the text repeats it; `context` > 0 extends that to the
        `context` texts before and after it (the lines around a line of an article)."""
        tokenizer = self.ner.tokenizer
        own = tokenizer.lexicon
        if names and names.model:
            tokenizer.lexicon = _with_names(own, names)
        try:
            yield from (ents for _, ents in _with_neighbours(self._entities(texts, batch_size, names), context))
        finally:
            tokenizer.lexicon = own

    def _entities(self, texts: Iterable[str], batch_size: int, names: Names | None) -> Iterator[tuple[str, list[Ent]]]:
        """(text, entities) of each text, before names found are marked where repeated."""
        from kg.rules import find_programmes_events

        for chunk in minibatch(texts, batch_size):
            pieces = []  # (text index, offset, sentence)
            for i, text in enumerate(chunk):
                for s, e in split_sentences(text):
                    pieces.append((i, s, text[s:e]))
            found: list[list[Ent]] = [[] for _ in chunk]
            docs = self.ner.pipe((p[2] for p in pieces), batch_size=SENTENCE_BATCH)
            for (i, off, sent), doc in zip(pieces, docs):
                model = _join_name_parts(sent, _surname_alone(_trim_edges(_split_listed_people(
                    [Ent(ent.start_char, ent.end_char, ent.label_, ent.text, "ner") for ent in doc.ents]
                ))))
                raw = model
                if self.complete_orgs:
                    model = complete_orgs(sent, whole_divisions(sent, model))
                rules = [
                    Ent(r.start, r.end, r.label, sent[r.start : r.end], "rule:" + r.rule)
                    for r in find_programmes_events(sent)
                ]
                rules += [Ent(s, e, "ORG", sent[s:e], "rule:deictic-org") for s, e in deictic_orgs(sent)]
                if names:
                    rules += [Ent(s, e, lab, sent[s:e], "rule:listed") for s, e, lab in find_listed(sent, names)]
                rules += _committees(sent, rules, model)
                chosen = _resolve_overlaps(model + rules)
                chosen += _nested_names(model, chosen) + _committee_events(chosen) + _zone_places(raw, chosen)
                chosen.sort(key=lambda x: (x.start, -x.end))
                found[i].extend(replace(x, start=off + x.start, end=off + x.end) for x in chosen)
            yield from zip(chunk, found)

    def docs(self, texts: Iterable[str], names: Names | None = None) -> Iterator["Doc"]:
        """spaCy Docs of PKU words with the entities set: `doc.ents` (the flat reading) and
        `doc.spans["nested"]` (names inside programme/event names, events inside committees' names).

        A word that runs across an entity edge is split there (pkuseg may write 辽源市的 or
        张琼月继 as one word), so every entity is a whole number of tokens. `names`: as for
        `entities`."""
        from spacy.tokens import Doc

        vocab = self.words.vocab
        texts_a, texts_b = itertools.tee(texts)
        for text, ents in zip(texts_a, self.entities(texts_b, names=names)):
            # a one-character abbreviation inside an event's name (亚 of 亚运会) would split its word
            ents = [e for e in ents if not (e.nested and e.end - e.start < 2)]
            cuts = {e for ent in ents for e in (ent.start, ent.end)}
            pieces: list[str] = []
            pos = 0
            for word in self.words.tokenizer.cut(text):
                start = pos
                for i in range(pos + 1, pos + len(word)):
                    if i in cuts:
                        pieces.append(text[start:i])
                        start = i
                pieces.append(text[start : pos + len(word)])
                pos += len(word)
            doc = Doc(vocab, words=pieces, spaces=[False] * len(pieces))
            doc.ents = [doc.char_span(e.start, e.end, label=e.label) for e in ents if not e.nested]
            doc.spans["nested"] = [doc.char_span(e.start, e.end, label=e.label) for e in ents if e.nested]
            yield doc


@functools.lru_cache(maxsize=2)
def load(model_dir: str | None = None) -> Pipeline:
    """The shipped pipeline, loaded once per process."""
    return Pipeline(Path(model_dir) if model_dir else MODELS)
