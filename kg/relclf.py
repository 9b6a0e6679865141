"""Relation classifier for two organisations of one sentence, trained on FinRE.

    from kg.relclf import OrgRelationClassifier
    clf = OrgRelationClassifier.load()
    clf.classify("华为与招商银行签署战略合作协议。", (0, 2), (3, 7))  # ('cooperatesWith', 0.9...)

The model is a spaCy `textcat` (exclusive classes, 44 FinRE labels incl. `unknown`) over the
sentence with the head wrapped in HEAD_OPEN…HEAD_CLOSE and the tail in TAIL_OPEN…TAIL_CLOSE
(private-use characters, one token each for `kg.CharTokenizer.v1`), cut to CONTEXT characters
around the pair. Its network (`kg.MarkedPairClassifier.v1`) reads the character encodings at
the two opening markers plus max-pools of five pieces: before, between and after the pair
(PCNN-style), the head and the tail.

FinRE lists every pair in both orders (持股 / 被持股, 合作 / 合作); the classifier scores both
orders and averages the two distributions, after swapping each label for its inverse in the
reversed one. Only the labels that fit an ontology property are mapped (`PREDICATES`); the rest
(竞争, 持股, 收购, 自己, ...) give None.

`org_pair_relations` is the optional pass of `kg.extract`: ORG pairs the patterns left unrelated,
within one clause and without a negation, get the classifier's property when its probability
reaches that property's threshold (chosen on a dev split for precision >= 0.8; a property that
never reached it is off). Trained by `python -m kg.train.finre`, scored by `python -m kg.bench.finre`.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

import numpy as np
from spacy.util import minibatch
from spacy.attrs import ORTH
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import LSTM, Maxout, Model, Softmax, chain, with_padded
from thinc.types import Floats2d

from kg.errors import KgError
from kg.patterns import _NEG, _TALKS, SYMMETRIC  # the patterns' cue lists, kept in one place
from kg.records import Evidence, Mention, Relation
from kg.nlp import chars as _chars  # noqa: F401  (registers kg.CharTokenizer.v1)
from kg.nlp import embed as _embed  # noqa: F401  (registers kg.CharBigramEmbed.v1)

MODEL_DIR = Path(__file__).resolve().parent / "models" / "finre"
HEAD_OPEN, HEAD_CLOSE, TAIL_OPEN, TAIL_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
UNKNOWN = "unknown"
Span = tuple[int, int]  # character offsets into the sentence

# FinRE label on (head, tail) -> (property, True when the head is the subject).
PREDICATES: dict[str, tuple[str, bool]] = {
    "合作": ("cooperatesWith", True),
    "签约": ("cooperatesWith", True),
    "合资": ("cooperatesWith", True),  # a joint venture: both parents work together
    "被拥有": ("partOf", True),  # 旗下 / 子公司: the head is a unit of the tail
    "拥有": ("partOf", False),
    "成立": ("founded", True),
    "被成立": ("founded", False),
}
CONTEXT = 20  # characters kept on each side of a pair (see `crop`)
OFF = 1.01  # the threshold of a property whose dev precision never reached the target


def inverse_label(label: str, labels: Iterable[str]) -> str:
    """The label of the same pair read the other way: 持股 <-> 被持股; 合作 stays 合作."""
    labels = set(labels)
    if label.startswith("被") and label[1:] in labels:
        return label[1:]
    return "被" + label if "被" + label in labels else label


# --- input ------------------------------------------------------------------------------------

def mark(sentence: str, head: Span, tail: Span) -> str:
    """The sentence with the head and the tail wrapped in marker characters."""
    (hs, he), (ts, te) = head, tail
    if not (0 <= hs < he <= len(sentence) and 0 <= ts < te <= len(sentence)):
        raise ValueError(f"span out of the sentence: head {head}, tail {tail}, length {len(sentence)}")
    if hs < te and ts < he:
        raise ValueError(f"head {head} and tail {tail} overlap")
    inserts = sorted([(hs, HEAD_OPEN), (he, HEAD_CLOSE), (ts, TAIL_OPEN), (te, TAIL_CLOSE)],
                     key=lambda x: (x[0], x[1] in (HEAD_OPEN, TAIL_OPEN)))
    out, pos = [], 0
    for at, ch in inserts:
        out.append(sentence[pos:at])
        out.append(ch)
        pos = at
    out.append(sentence[pos:])
    return "".join(out)


def crop(sentence: str, head: Span, tail: Span, context: int) -> tuple[str, Span, Span]:
    """The sentence from `context` characters before the pair to `context` after it.

    FinRE sentences are at most ~100 characters; news sentences run to 300, and the cost of the
    classifier grows with their length."""
    start = max(0, min(head[0], tail[0]) - context)
    end = min(len(sentence), max(head[1], tail[1]) + context)
    return sentence[start:end], (head[0] - start, head[1] - start), (tail[0] - start, tail[1] - start)


def locate(sentence: str, head: str, tail: str) -> tuple[Span, Span] | None:
    """Spans of the closest non-overlapping occurrences of two names (FinRE gives names only)."""

    def spans(name: str) -> list[Span]:
        out, i = [], sentence.find(name)
        while name and i >= 0:
            out.append((i, i + len(name)))
            i = sentence.find(name, i + 1)
        return out

    best = None
    for h in spans(head):
        for t in spans(tail):
            if h[0] < t[1] and t[0] < h[1]:
                continue
            dist = max(h[0], t[0]) - min(h[1], t[1])
            if best is None or dist < best[0]:
                best = (dist, h, t)
    return (best[1], best[2]) if best else None


# --- network ----------------------------------------------------------------------------------

SLOTS = 7  # vectors per pair: 2 markers + 5 pooled pieces


@registry.architectures("kg.MarkedPairClassifier.v1")
def marked_pair_classifier(
    tok2vec: Model[List[Doc], List[Floats2d]],
    hidden_width: int = 128,
    maxout_pieces: int = 2,
    dropout: float = 0.2,
    lstm_depth: int = 0,
    nO: Optional[int] = None,
) -> Model[List[Doc], Floats2d]:
    """Softmax over the vectors at the two opening markers and max-pools of five pieces:
    before, between and after the pair, the head and the tail (see `_pieces`).

    With `lstm_depth`, a bidirectional LSTM over the token vectors lets each of them see the
    whole sentence (which name stands next to 与 and which after 签订), not only its window.
    """
    width = tok2vec.get_dim("nO")
    encoder = tok2vec
    if lstm_depth:
        encoder = chain(tok2vec, with_padded(LSTM(width, width, bi=True, depth=lstm_depth, dropout=dropout)))
    pool = Model(
        "marked_pair_pool",
        _pool_forward,
        init=_pool_init,
        layers=[encoder],
        dims={"nO": SLOTS * width},
        refs={"tok2vec": tok2vec},
    )
    model = chain(
        pool,
        Maxout(hidden_width, SLOTS * width, nP=maxout_pieces, dropout=dropout, normalize=True),
        Softmax(nO, hidden_width),
    )
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("output_layer", model.layers[-1])
    model.attrs["multi_label"] = False
    return model


def _markers(doc: Doc) -> tuple[int, int, int, int]:
    """Token indices of the four markers: head open, head close, tail open, tail close."""
    orth = doc.to_array(ORTH)
    strings = doc.vocab.strings
    found = []
    for ch, default in ((HEAD_OPEN, 0), (HEAD_CLOSE, 0), (TAIL_OPEN, len(doc) - 1), (TAIL_CLOSE, len(doc) - 1)):
        hits = np.flatnonzero(orth == strings.add(ch))
        found.append(int(hits[0]) if len(hits) else default)
    return tuple(found)


def _pieces(doc: Doc, n: int) -> list[tuple[int, int]]:
    """Row ranges max-pooled: before, between and after the pair (markers shared), head, tail."""
    h, hc, t, tc = _markers(doc)
    first, last = min(h, t), max(hc, tc)
    return [(0, first + 1), (first, last + 1), (last, n), (h, hc + 1), (t, tc + 1)]


def _pool_init(model: Model, X: List[Doc] | None = None, Y=None) -> None:
    model.layers[0].initialize(X=X)


def _pool_forward(model: Model, docs: List[Doc], is_train: bool):
    tok2vec = model.layers[0]
    Xs, backprop_tok2vec = tok2vec(docs, is_train)
    width = model.get_dim("nO") // SLOTS
    cols = np.tile(np.arange(width), SLOTS)
    rows_of: list[np.ndarray] = []  # per doc: the row each output column was read from
    Y = model.ops.alloc2f(len(docs), SLOTS * width)
    for i, (doc, X) in enumerate(zip(docs, Xs)):
        if not len(X):
            rows_of.append(np.zeros(SLOTS * width, dtype="i"))
            continue
        h, _, t, _ = _markers(doc)
        rows = [np.full(width, h), np.full(width, t)]
        for a, b in _pieces(doc, len(X)):
            rows.append(X[a:b].argmax(axis=0) + a)
        rows_of.append(np.concatenate(rows))
        Y[i] = X[rows_of[-1], cols]

    def backprop(dY: Floats2d) -> List[Doc]:
        dXs = [model.ops.alloc2f(*X.shape) for X in Xs]
        for i, rows in enumerate(rows_of):
            if len(Xs[i]):
                np.add.at(dXs[i], (rows, cols), dY[i])
        return backprop_tok2vec(dXs)

    return Y, backprop


# --- scores -----------------------------------------------------------------------------------

def finre_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Micro P/R/F over the real labels (`unknown` predicted = no prediction, gold = no gold),
    and macro-F over the real labels present in `gold`."""
    tp = sum(g == p != UNKNOWN for g, p in zip(gold, pred))
    n_pred = sum(p != UNKNOWN for p in pred)
    n_gold = sum(g != UNKNOWN for g in gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1s = []
    for lab in sorted(set(gold) - {UNKNOWN}):
        t = sum(g == q == lab for g, q in zip(gold, pred))
        np_, ng = sum(q == lab for q in pred), sum(g == lab for g in gold)
        lp, lr = (t / np_ if np_ else 0.0), t / ng
        f1s.append(2 * lp * lr / (lp + lr) if lp + lr else 0.0)
    return {
        "micro_p": p,
        "micro_r": r,
        "micro_f": 2 * p * r / (p + r) if p + r else 0.0,
        "macro_f": sum(f1s) / len(f1s) if f1s else 0.0,
    }


@registry.scorers("kg.finre_scorer.v1")
def make_finre_scorer():
    def score(examples, **kwargs) -> dict[str, float]:
        gold = [max(eg.reference.cats, key=eg.reference.cats.get) for eg in examples]
        pred = [max(eg.predicted.cats, key=eg.predicted.cats.get) for eg in examples]
        return {f"finre_{k}": v for k, v in finre_scores(gold, pred).items()}

    return score


# --- the classifier ---------------------------------------------------------------------------

class OrgRelationClassifier:
    """The shipped FinRE model plus the mapping of its labels to ontology properties."""

    def __init__(self, nlp, thresholds: dict[str, float] | None = None, symmetric: bool = True,
                 context: int | None = CONTEXT):
        self.nlp = nlp
        self.textcat = nlp.get_pipe("textcat")
        self.labels: list[str] = list(self.textcat.labels)
        # Per property: the least probability the extraction pass accepts, chosen on the dev split
        # by kg.train.finre (meta.json "kg_finre"); a property without one is never extracted.
        if thresholds is None:
            thresholds = nlp.meta.get("kg_finre", {}).get("thresholds", {})
        self.thresholds = {pred: thresholds.get(pred, OFF) for pred, _ in PREDICATES.values()}
        self.symmetric = symmetric
        self.context = context
        self._inverse = np.array([self.labels.index(inverse_label(lab, self.labels)) for lab in self.labels])
        # Labels -> (property, head is subject): a 0/1 matrix that sums a property's labels.
        self._outcomes = list(dict.fromkeys(PREDICATES[lab] for lab in self.labels if lab in PREDICATES))
        self._outcome_matrix = np.zeros((len(self.labels), len(self._outcomes)), dtype="f")
        for i, lab in enumerate(self.labels):
            if lab in PREDICATES:
                self._outcome_matrix[i, self._outcomes.index(PREDICATES[lab])] = 1.0
        self._mapped = np.array([lab in PREDICATES for lab in self.labels])

    @classmethod
    def from_disk(cls, path: str | Path, **kwargs) -> "OrgRelationClassifier":
        import spacy

        path = Path(path)
        if not (path / "config.cfg").exists():
            raise KgError(
                "the FinRE relation model is missing; reinstall kg (`pip install .`) or retrain it "
                "(`python -m kg.train.finre` then `python -m kg.train.package --finre DIR`)",
                path=str(path),
            )
        return cls(spacy.load(path), **kwargs)

    @classmethod
    def load(cls) -> "OrgRelationClassifier":
        """The shipped model (kg/models/finre), loaded once per process."""
        return _load_shipped()

    # Probabilities ------------------------------------------------------------------------

    def probs(self, items: Sequence[tuple[str, Span, Span]], min_mass: float = 0.0) -> np.ndarray:
        """(n, labels) distribution per (sentence, head, tail), both orders averaged if `symmetric`.

        With `min_mass`, the reversed order is read only for pairs where the first reading gives
        some property at least 2 * min_mass - 1: elsewhere the average cannot reach `min_mass`,
        and the first reading is returned as it is (the extraction pass's shortcut).
        """
        if self.context is not None:
            items = [crop(s, h, t, self.context) for s, h, t in items]
        P = self._predict([mark(s, h, t) for s, h, t in items])
        if not self.symmetric:
            return P
        todo = np.flatnonzero((P @ self._outcome_matrix).max(axis=1) >= 2 * min_mass - 1)
        R = self._predict([mark(items[i][0], items[i][2], items[i][1]) for i in todo])
        P[todo] = (P[todo] + R[:, self._inverse]) / 2
        return P

    def _predict(self, texts: list[str], batch_size: int = 256) -> np.ndarray:
        docs = (self.nlp.make_doc(t) for t in texts)
        scores = [self.textcat.predict(batch) for batch in minibatch(docs, batch_size)]
        return np.concatenate(scores) if scores else np.zeros((0, len(self.labels)), dtype="f")

    def predict_labels(self, items: Sequence[tuple[str, Span, Span]]) -> list[tuple[str, float]]:
        """The most likely FinRE label of each pair and its probability."""
        P = self.probs(items)
        return [(self.labels[int(k)], float(p[k])) for p, k in zip(P, P.argmax(axis=1))]

    # Ontology properties ------------------------------------------------------------------

    def relations(
        self, items: Sequence[tuple[str, Span, Span]], min_prob: float = 0.0
    ) -> list[tuple[str | None, bool, float]]:
        """Per (sentence, a, b): (property or None, True when `a` is the subject, probability).

        The probability of a property sums its labels (合作 + 签约 + 合资); it competes with
        every unmapped label on its own, so None means an unmapped label (or unknown) won.
        Pairs whose properties cannot reach `min_prob` may be read in one order only (`probs`).
        """
        P = self.probs(items, min_mass=min_prob)
        mass = P @ self._outcome_matrix
        unmapped = np.where(self._mapped, 0.0, P).max(axis=1)
        out = []
        for m, u in zip(mass, unmapped):
            k = int(m.argmax())
            pred, a_first = self._outcomes[k]
            out.append((pred, a_first, float(m[k])) if m[k] > u else (None, True, float(u)))
        return out

    def classify(self, sentence: str, head_span: Span, tail_span: Span) -> tuple[str | None, float]:
        """The property that holds from head to tail, or None, and its probability.

        A property that holds from tail to head (the tail is part of the head) is None here:
        `classify(sentence, tail_span, head_span)` finds it.
        """
        pred, head_first, q = self.relations([(sentence, head_span, tail_span)])[0]
        if pred is not None and not head_first and pred not in SYMMETRIC:
            return None, q
        return pred, q


# --- the extraction pass ----------------------------------------------------------------------

RULE = "finre-classifier"
MAX_ORGS = 8  # per sentence: a long list of names is an enumeration, not pairwise relations
_CLAUSE_BREAK = re.compile("[，,；;。！？!?：:\n]")
_DOUBT = re.compile(f"{_NEG}|{_TALKS.pattern}")


def pair_allowed(sentence: str, a: Span, b: Span) -> bool:
    """Whether the pass asks about two names (`a` first): they share a clause, and nothing from
    `a` to the end of `b`'s clause denies or only talks of a deal (否认, 拒绝, 尚未, 谈判, 意向).

    FinRE has few negated sentences, so the model never learnt them; and across clauses it
    links a speaker (A表示，B与C合作) to the deal it reports.
    """
    if _CLAUSE_BREAK.search(sentence, a[1], b[0]):
        return False
    end = _CLAUSE_BREAK.search(sentence, b[1])
    return not _DOUBT.search(sentence, a[0], end.start() if end else len(sentence))


def org_pair_relations(
    article: str,
    text: str,
    sentences: Iterable[tuple[int, int]],
    mentions: Sequence[Mention],
    found: Iterable[Relation] = (),
    classifier: OrgRelationClassifier | None = None,
) -> list[Relation]:
    """Relations the classifier finds between two ORG mentions of a sentence that the patterns
    left unrelated (and `pair_allowed`), when its probability (the confidence) reaches the
    property's threshold."""
    related = [{(r.subject.start, r.subject.end), (r.object.start, r.object.end)} for r in found]
    pairs = []  # (sentence start, sentence end, a, b), a before b
    for s, e in sentences:
        orgs = [m for m in mentions if m.label == "ORG" and s <= m.start and m.end <= e]
        if len(orgs) < 2 or len(orgs) > MAX_ORGS:
            continue
        for i, a in enumerate(orgs):
            for b in orgs[i + 1 :]:
                # Two mentions of one name are one organisation, not a pair.
                if a.end > b.start or a.text == b.text or {(a.start, a.end), (b.start, b.end)} in related:
                    continue
                if pair_allowed(text[:e], (a.start, a.end), (b.start, b.end)):
                    pairs.append((s, e, a, b))
    if not pairs:
        return []
    if classifier is None and not (MODEL_DIR / "config.cfg").exists():
        return []  # an optional pass: a checkout without the trained model builds without it
    clf = classifier or OrgRelationClassifier.load()
    items = [(text[s:e], (a.start - s, a.end - s), (b.start - s, b.end - s)) for s, e, a, b in pairs]
    out = []
    answers = clf.relations(items, min_prob=min(clf.thresholds.values()))
    for (s, e, a, b), (pred, a_first, q) in zip(pairs, answers):
        if pred is not None and q >= clf.thresholds[pred]:
            subj, obj = (a, b) if a_first else (b, a)
            out.append(Relation(subj, pred, obj, Evidence(article, text[s:e], s, e, RULE, round(q, 3))))
    return out


@functools.lru_cache(maxsize=1)
def _load_shipped() -> OrgRelationClassifier:
    return OrgRelationClassifier.from_disk(MODEL_DIR)
