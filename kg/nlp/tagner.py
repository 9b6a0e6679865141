"""A tagging NER: one softmax over BILUO tags per character, decoded with the BILUO constraints.

spaCy's own `ner` is a transition-based parser: a greedy loop of state updates per character
that cost the pipeline about as much time as the whole CNN. This component reads the same
tok2vec output with a single softmax layer and finds the best tag sequence that is valid BILUO
(no I- after O, a name ends where it began its label) by Viterbi search over the log
probabilities, all sentences of a batch at once. It learns from the same data as `ner`:
`doc.ents` of the reference docs, with spaCy's missing annotation (characters inside a name only
some teachers found, `kg.train.distill`) left out of the loss. A reference doc may instead carry
a tag distribution per character (`set_soft_targets`, the teachers' average): the model then
learns that distribution (cross-entropy against soft targets), which tells it how sure the
teachers were and which other reading they weighed.

With the model architecture `kg.CRFTagger.v1` (`kg.nlp.crf`) the tag scores are instead trained
as the emissions of a linear-chain CRF: the loss is that of the whole gold tag sequence, a weight
per tag pair is learned with them, and decoding is a Viterbi search over scores and weights.
"""
from __future__ import annotations

from itertools import islice
from typing import Callable, Iterable, List, Optional

import numpy as np
from spacy.language import Language
from spacy.pipeline.tagger import Tagger
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples, validate_get_examples
from thinc.api import Config, Model, SequenceCategoricalCrossentropy

from kg.nlp.crf import PAIRS, crf_loss
from kg.nlp.members import VOTE_WINDOW, majority, runs, settled, stretch, top_probs, unsure_region

LABELS = ("PER", "LOC", "ORG")
# Characters whose top tag's probability is below this are unsure: the member models vote on the
# names around them (kg.nlp.members). On the dev split 0.7 read better (0.9216 against 0.9203
# through the pipeline), but cost a sixth more time than 0.6, which the speed bar had no room for.
MEMBER_THRESHOLD = 0.6
SOFT_KEY = "kg_soft"  # doc.user_data: (tag names joined by spaces, float16 bytes of an (n, K) array)

# spaCy's tagger network over the shared tok2vec (the `kg_aux_seg` head uses it too)
DEFAULT_TAGGER_MODEL = Config().from_str(
    """
[model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 64
upstream = "*"
"""
)["model"]


def biluo_tags(labels: Iterable[str]) -> list[str]:
    return ["O"] + [f"{p}-{lab}" for lab in labels for p in "BILU"]


def _constraints(tags: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(transition penalties K x K, start penalties K, end penalties K): 0 where allowed, -inf not."""
    K = len(tags)
    opens = np.array([t == "O" or t[0] in "BU" for t in tags])  # may follow O or a name's end
    closes = np.array([t == "O" or t[0] in "LU" for t in tags])  # may precede O or a name's start
    trans = np.full((K, K), -np.inf, dtype="float32")
    for i, a in enumerate(tags):
        for j, b in enumerate(tags):
            if closes[i]:
                ok = opens[j]
            else:  # a is B-x or I-x: the name goes on
                ok = b[0] in "IL" and b[2:] == a[2:]
            if ok:
                trans[i, j] = 0.0
    start = np.where(opens, 0.0, -np.inf).astype("float32")
    end = np.where(closes, 0.0, -np.inf).astype("float32")
    return trans, start, end


def decode(scores: List[np.ndarray], trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> List[np.ndarray]:
    """Best valid tag index sequence of each (n_i, K) log-score array.

    Where the best tag of every character already makes a valid sequence (most sentences of a
    trained model), that sequence is the best valid one; Viterbi search runs on the rest."""
    if not scores:
        return []
    flat = np.concatenate(scores)
    best = flat.argmax(1)
    lengths = np.array([len(s) for s in scores])
    ends = np.cumsum(lengths)
    starts = ends - lengths
    bad = np.zeros(len(flat), dtype=bool)
    bad[1:] = trans[best[:-1], best[1:]] < 0
    nonempty = lengths > 0
    bad[starts[nonempty]] = start[best[starts[nonempty]]] < 0  # replaces the pair across sentences
    bad[ends[nonempty] - 1] |= end[best[ends[nonempty] - 1]] < 0
    bad_before = np.concatenate([[0], np.cumsum(bad)])
    invalid = np.flatnonzero(bad_before[ends] - bad_before[starts])
    paths = [best[a:b] for a, b in zip(starts, ends)]
    if len(invalid):
        for i, path in zip(invalid, viterbi([scores[i] for i in invalid], trans, start, end)):
            paths[i] = path
    return paths


def viterbi(scores: List[np.ndarray], trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> List[np.ndarray]:
    """Best valid tag index sequence of each (n_i, K) log-score array, all arrays at once."""
    lengths = [len(s) for s in scores]
    B, T, K = len(scores), max(lengths, default=0), trans.shape[0]
    if T == 0:
        return [np.zeros(0, dtype="int64") for _ in scores]
    S = np.zeros((B, T, K), dtype="float32")
    for b, s in enumerate(scores):
        S[b, : len(s)] = s
    alive = np.arange(T)[None, :] < np.asarray(lengths)[:, None]  # (B, T)
    keep = np.broadcast_to(np.arange(K), (B, K))
    back = np.empty((T, B, K), dtype="int64")
    best = S[:, 0] + start
    for t in range(1, T):
        cand = best[:, :, None] + trans[None]  # (B, prev, next)
        prev = cand.argmax(1)
        step = np.take_along_axis(cand, prev[:, None, :], 1)[:, 0] + S[:, t]
        live = alive[:, t][:, None]
        # Past a sentence's end its path stands still, so the end penalty meets its last tag.
        back[t] = np.where(live, prev, keep)
        best = np.where(live, step, best)
    path = np.empty((B, T), dtype="int64")
    path[:, -1] = (best + end).argmax(1)
    for t in range(T - 1, 0, -1):
        path[:, t - 1] = np.take_along_axis(back[t], path[:, t : t + 1], 1)[:, 0]
    return [path[b, :n] for b, n in enumerate(lengths)]


def viterbi_by_length(
    scores: List[np.ndarray], trans: np.ndarray, start: np.ndarray, end: np.ndarray, group: int = 64
) -> List[np.ndarray]:
    """`viterbi` over groups of sentences of about the same length: less padding to search."""
    order = sorted(range(len(scores)), key=lambda i: len(scores[i]))
    out: List[np.ndarray] = [np.zeros(0, dtype="int64")] * len(scores)
    for g in range(0, len(order), group):
        idx = order[g : g + group]
        for i, path in zip(idx, viterbi([scores[i] for i in idx], trans, start, end)):
            out[i] = path
    return out


def path_of(spans: Iterable[tuple[int, int, str]], n: int, tags: list[str]) -> np.ndarray:
    """The BILUO tag index sequence of n characters with these (non-overlapping) spans."""
    index = {t: i for i, t in enumerate(tags)}
    path = np.full(n, index["O"], dtype="int64")
    for s, e, lab in spans:
        if e - s == 1:
            path[s] = index[f"U-{lab}"]
        else:
            path[s] = index[f"B-{lab}"]
            path[s + 1 : e - 1] = index[f"I-{lab}"]
            path[e - 1] = index[f"L-{lab}"]
    return path


def spans_of(path: np.ndarray, tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) of a valid BILUO path."""
    out = []
    begin = None
    for i in np.flatnonzero(path != tags.index("O")).tolist():
        tag = tags[path[i]]
        if tag[0] == "U":
            out.append((i, i + 1, tag[2:]))
        elif tag[0] == "B":
            begin = i
        elif tag[0] == "L" and begin is not None:
            out.append((begin, i + 1, tag[2:]))
            begin = None
    return out


class TagNER(Tagger):
    """spaCy's Tagger trained on BILUO tags of `doc.ents`, setting `doc.ents`."""

    def __init__(self, vocab, model, name="ner", *, scorer=None, label_smoothing=0.0):
        super().__init__(vocab, model, name, scorer=scorer, label_smoothing=label_smoothing)
        self._decode = None
        self.members: list[Model] = []  # kg.nlp.members.set_members
        self.member_reach = 0  # the members' receptive field, set with them
        self.member_threshold = MEMBER_THRESHOLD

    @property
    def crf(self) -> bool:
        """Whether the model is a CRF (holds pair weights, `kg.CRFTagger.v1`)."""
        return PAIRS in self.model.param_names

    def _tables(self):
        if self._decode is None or self._decode[0] != self.labels:
            tags = list(self.labels)
            self._decode = (self.labels, tags, *_constraints(tags))
        return self._decode[1:]

    def _weights(self) -> np.ndarray:
        """The CRF's learned score of each tag pair (K, K)."""
        return self.model.ops.to_numpy(self.model.get_param(PAIRS))

    def predict(self, docs):
        if not any(len(doc) for doc in docs):
            return [np.zeros(0, dtype="int64") for _ in docs]
        # The softmax runs unnormalised at prediction time (normalize = false): a logit differs
        # from its log probability by a constant per character, which every path pays alike.
        logits = self.model.predict(docs)
        tags, trans, start, end = self._tables()
        if self.crf:
            return viterbi_by_length(list(logits), trans + self._weights(), start, end)
        paths = decode(logits, trans, start, end)
        if self.members:
            paths = self._vote(docs, logits, paths)
        return paths

    def _vote(self, docs, logits, paths):
        """`paths` with the names around unsure characters voted by this model and the members
        (kg.nlp.members: where they read, what counts)."""
        ops = self.model.ops
        tags, trans, start, end = self._tables()
        reach = self.member_reach
        regions, pieces = {}, []  # sentence -> voted region; (sentence, start, end) each member reads
        lengths = [len(lg) for lg in logits]
        top = top_probs(np.concatenate([ops.to_numpy(lg) for lg in logits]))  # all sentences at once
        ends = np.cumsum(lengths)
        unsure_before = np.concatenate([[0], np.cumsum(top < self.member_threshold)])
        for i in np.flatnonzero(unsure_before[ends] - unsure_before[ends - lengths]).tolist():
            region, read = unsure_region(top[ends[i] - lengths[i] : ends[i]], self.member_threshold, VOTE_WINDOW, reach)
            regions[i] = region
            pieces += [(i, a, b) for a, b in runs(read)]
        if not regions:
            return paths
        # Each name in a region lies in one stretch read (a region's run lies inside a run read),
        # so each stretch is voted on its own.
        found = {i: spans_of(paths[i], tags) for i in regions}
        votes = [[{x for x in found[i] if a <= x[0] and x[1] <= b and regions[i][x[0] : x[1]].all()}]
                 for i, a, b in pieces]
        voters = 1 + len(self.members)
        slices = [stretch(docs[i], a, b) for i, a, b in pieces]
        # A stretch may begin or end inside a name: any tag may open or close it (its names
        # outside the region are not used), so that the best tags are a valid path as they are.
        free = np.zeros_like(start)
        asked = list(range(len(pieces)))
        for k, member in enumerate(self.members):
            paths_k = decode([ops.to_numpy(x) for x in member.predict([slices[p] for p in asked])], trans, free, free)
            for p, path in zip(asked, paths_k):
                i, a, _ = pieces[p]
                votes[p].append({x for x in ((s + a, e + a, lab) for s, e, lab in spans_of(path, tags))
                                 if regions[i][x[0] : x[1]].all()})
            # A stretch is settled when the members yet to vote can change no name's outcome
            # (with three models: the first member agrees with this one on every name).
            left = len(self.members) - k - 1
            asked = [p for p in asked if not settled(votes[p], voters, left)]
            if not asked:
                break
        voted: dict = {i: set() for i in regions}
        for (i, _, _), vote in zip(pieces, votes):
            voted[i] |= majority(vote, voters)
        paths = list(paths)
        for i, region in regions.items():
            kept = {x for x in found[i] if not region[x[0] : x[1]].all()}
            keep_voted = {x for x in voted[i] if not any(s < x[1] and x[0] < e for s, e, _ in kept)}
            paths[i] = path_of(kept | keep_voted, len(docs[i]), tags)
        return paths

    def set_annotations(self, docs, paths):
        tags = self._tables()[0]
        for doc, path in zip(docs, paths):
            doc.set_ents([Span(doc, s, e, label=lab) for s, e, lab in spans_of(path, tags)], default="outside")

    def get_loss(self, examples, scores):
        validate_examples(examples, "TagNER.get_loss")
        if self.crf:
            return self._crf_loss(examples, scores)
        loss_func = SequenceCategoricalCrossentropy(
            names=self.labels, normalize=False, label_smoothing=self.cfg["label_smoothing"]
        )
        # get_aligned_ner gives "-" for missing annotation and None where tokens do not align.
        softs = [
            soft_targets(eg.reference, self.labels) if len(eg.reference) == len(eg.predicted) else None
            for eg in examples
        ]
        truths = [
            [None] * len(eg.predicted) if soft is not None else [t if t and t != "-" else None for t in _tags(eg)]
            for eg, soft in zip(examples, softs)
        ]
        d_scores, loss = loss_func(scores, truths)
        xp = self.model.ops.xp
        for i, soft in enumerate(softs):
            if soft is not None:  # probabilities minus targets: the gradient of the soft cross-entropy
                target = self.model.ops.asarray(soft)
                d_scores[i] = scores[i] - target
                loss += float(-(target * xp.log(xp.maximum(scores[i], 1e-8))).sum())
        if xp.isnan(loss):
            raise ValueError(f"NaN loss in {self.name}")
        return float(loss), d_scores

    def _crf_loss(self, examples, scores):
        """Loss and score gradients as a CRF; the pair weights' gradient goes to the model, whose
        update applies it."""
        tags, trans, start, end = self._tables()
        index = {t: i for i, t in enumerate(tags)}
        golds = []
        for eg in examples:  # soft targets, if any, are not used: the CRF learns the tags
            known = _tags(eg)
            g = np.ones((len(known), len(tags)), dtype=bool)
            for i, t in enumerate(known):
                if t in index:
                    g[i] = False
                    g[i, index[t]] = True
            golds.append(g)
        ops = self.model.ops
        log_scores = [np.log(np.maximum(ops.to_numpy(s), 1e-8)) for s in scores]
        loss, d_scores, d_w = crf_loss(
            log_scores, golds, self._weights(), np.isfinite(trans), np.isfinite(start), np.isfinite(end)
        )
        self.model.inc_grad(PAIRS, ops.asarray(d_w))
        return loss, [ops.asarray(d) for d in d_scores]

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp=None, labels=None):
        validate_get_examples(get_examples, "TagNER.initialize")
        if labels is None:
            found = {ent.label_ for eg in get_examples() for ent in eg.reference.ents}
            labels = biluo_tags(sorted(found))
        for tag in labels:
            self.add_label(tag)
        initialize_on_sample(self, get_examples, _tags)


def initialize_on_sample(pipe: Tagger, get_examples, gold_of: Callable[[Example], list]) -> None:
    """Initialise a tagger-shaped pipe's model on ten examples, one-hot over its labels."""
    docs, truths = [], []
    for eg in islice(get_examples(), 10):
        docs.append(eg.x)
        one_hot = [[float(t == g) for t in pipe.labels] for g in gold_of(eg)]
        truths.append(pipe.model.ops.asarray(one_hot, dtype="float32"))
    pipe.model.initialize(X=docs, Y=truths)


def set_soft_targets(doc: Doc, tags: list[str], probs: np.ndarray) -> None:
    """Store a tag distribution per token of doc (rows of probs follow doc's tokens, columns tags)."""
    if probs.shape != (len(doc), len(tags)):
        raise ValueError(f"soft targets of shape {probs.shape} for {len(doc)} tokens and {len(tags)} tags")
    doc.user_data[SOFT_KEY] = (" ".join(tags), probs.astype("float16").tobytes())


def soft_targets(doc: Doc, tags: Iterable[str]) -> Optional[np.ndarray]:
    """The stored distribution of doc with its columns in the order of tags (float32), or None
    when doc has none or it names a tag the model lacks."""
    stored = doc.user_data.get(SOFT_KEY)
    if stored is None:
        return None
    names, data = stored
    names = names.split()
    index = {t: i for i, t in enumerate(names)}
    tags = list(tags)
    if set(names) - set(tags):
        return None
    probs = np.frombuffer(data, dtype="float16").reshape(len(doc), len(names)).astype("float32")
    out = np.zeros((len(doc), len(tags)), dtype="float32")
    for j, t in enumerate(tags):
        if t in index:
            out[:, j] = probs[:, index[t]]
    return out / out.sum(1, keepdims=True)


def _tags(eg: Example) -> list[Optional[str]]:
    """Gold BILUO tag of each predicted token: "-" for missing annotation, None where unaligned."""
    return eg.get_aligned_ner()


@Language.factory(
    "kg_tag_ner",
    assigns=["doc.ents"],
    default_config={
        "model": DEFAULT_TAGGER_MODEL,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
        "label_smoothing": 0.0,
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_tag_ner(nlp: Language, name: str, model: Model, scorer: Optional[Callable], label_smoothing: float):
    return TagNER(nlp.vocab, model, name, scorer=scorer, label_smoothing=label_smoothing)
