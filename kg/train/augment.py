"""Name replacement: copies of the gold training sentences with other names in their places.

The NER finds names it saw in training far more often than new ones: on the dev split it
recalled 97% of the people and places seen in the training part, but 81% of the people and 50%
of the places it had not seen there (`kg.bench.ner_dev` prints the latter). Each copy made here
puts, in place of every name of two or more characters, another name of the same type, drawn
uniformly from the distinct names of the training text and the lexicon, or for a person, half
the time, a name made up from a surname and given-name characters of the training text's
people. The sentence around it is unchanged, so the model must find the name from its context
and its make-up rather than from memory. (Single characters stay: 奥 in 奥运会 is no place to
put another name.)

With `invent` (`kg.train.ner --invent-names P`), a place or an organisation is that share of the
time one that `NameChain` makes up, in neither the training text nor the lexicon. Not in the
shipped recipe: it did not help on dev (see the README's model card).
"""
from __future__ import annotations

import random
from collections import Counter
from typing import Iterable, Sequence

Sentence = tuple[str, list[tuple[int, int, str]]]


class NameChain:
    """Made-up names of one type: a character chain (each character drawn given the two before
    it) over that type's names, which writes names like theirs but not theirs (吕贝克市,
    塔里木盟奈曼旗, 日本经济周期研究中心)."""

    ORDER, TRIES, MAX_LEN = 2, 20, 20

    def __init__(self, names: Iterable[str]):
        self.known = set(names)
        nxt: dict[str, Counter] = {}
        for name in sorted(self.known):
            padded = "^" * self.ORDER + name + "$"
            for i in range(self.ORDER, len(padded)):
                nxt.setdefault(padded[i - self.ORDER : i], Counter())[padded[i]] += 1
        self.next = {ctx: (list(c), list(c.values())) for ctx, c in nxt.items()}

    def draw(self, rng: random.Random) -> str | None:
        """A name of two or more characters, one a Chinese character, that is none of the names
        the chain learnt from; None if `TRIES` draws all were."""
        for _ in range(self.TRIES):
            ctx, name = "^" * self.ORDER, ""
            while len(name) < self.MAX_LEN:
                chars, weights = self.next[ctx]
                ch = rng.choices(chars, weights)[0]
                if ch == "$":
                    break
                name += ch
                ctx = (ctx + ch)[-self.ORDER :]
            if len(name) >= 2 and name not in self.known and any("\u4e00" <= c <= "\u9fff" for c in name):
                return name
        return None


class NamePools:
    """Names to put in, by type, and the characters of made-up person names. With `invent`, a
    place or an organisation is that share of the time made up by a `NameChain` instead, so it
    is in neither the training text nor the lexicon, as most of a new text's names are not."""

    def __init__(self, sents: Iterable[Sentence], lexicon: dict[str, str] | None = None, invent: float = 0.0):
        names: dict[str, set[str]] = {}
        surnames: Counter = Counter()
        given: Counter = Counter()
        for text, spans in sents:
            for s, e, label in spans:
                if e - s < 2:
                    continue
                name = text[s:e]
                names.setdefault(label, set()).add(name)
                if label == "PER" and len(name) in (2, 3):
                    surnames[name[0]] += 1
                    given.update(name[1:])
        for name, label in (lexicon or {}).items():
            if len(name) >= 2 and label in names:
                names[label].add(name)
        self.names = {label: sorted(pool) for label, pool in names.items()}
        self.surnames = sorted(surnames)
        self.surname_weights = [surnames[c] for c in self.surnames]
        self.given = sorted(given)
        self.given_weights = [given[c] for c in self.given]
        self.invent = invent
        self.chains = {label: NameChain(self.names[label]) for label in ("LOC", "ORG") if invent and label in self.names}

    def draw(self, label: str, rng: random.Random) -> str | None:
        if label == "PER" and self.surnames and rng.random() < 0.5:
            size = 1 if rng.random() < 0.3 else 2
            return "".join(
                rng.choices(self.surnames, self.surname_weights)
                + rng.choices(self.given, self.given_weights, k=size)
            )
        if label in self.chains and rng.random() < self.invent:
            made_up = self.chains[label].draw(rng)
            if made_up:
                return made_up
        pool = self.names.get(label)
        return rng.choice(pool) if pool else None


def replace_names(text: str, spans: Sequence[tuple[int, int, str]], pools: NamePools, rng: random.Random) -> Sentence:
    """`text` with each name of two or more characters replaced by another of its type; the
    spans moved to match. Names without a replacement, and single characters, stay."""
    out: list[str] = []
    new_spans = []
    pos = shift = 0  # shift: how much longer the new text is so far
    for s, e, label in sorted(spans):
        name = (pools.draw(label, rng) if e - s >= 2 else None) or text[s:e]
        out += [text[pos:s], name]
        new_spans.append((s + shift, s + shift + len(name), label))
        shift += len(name) - (e - s)
        pos = e
    out.append(text[pos:])
    return "".join(out), new_spans


def augmented(sents: Sequence[Sentence], pools: NamePools, copies: int, seed: int) -> list[Sentence]:
    """`copies` name-replaced copies of each sentence that has a name of two or more characters."""
    rng = random.Random(seed)
    out = []
    for text, spans in sents:
        if not any(e - s >= 2 for s, e, _ in spans):
            continue
        for _ in range(copies):
            out.append(replace_names(text, spans, pools, rng))
    return out
