"""Member models of the NER's vote: where the shipped NER is unsure, two more models read the text.

The NER (`kg.nlp.tagner`) tags every sentence with its own model. A character whose top tag has a
probability below `TagNER.member_threshold` is unsure. The names within `VOTE_WINDOW` characters
of an unsure character (the region) are voted: the member models tag that stretch too, and a name
lying in the region is kept where a majority of the models (the NER's own and the members') find
it, with the same span and label. The NER's names that reach out of the region stay as they are,
and a voted name overlapping one of them is dropped. With three models no two voted names
overlap: each model's names do not, and two overlapping names would need four votes.

The members read only the region and their receptive field around it (`receptive_field`: four
convolution layers of window 2 see 8 characters each side), so their tag scores over the region
are exactly those of reading the whole sentence, at a fraction of the cost: at the shipped
threshold 3% of the dev split's characters are in a region and 5% are read (on the MSRA test's
text 4% and 6%), and the second member reads only where the first one and the NER disagree
(with three voters, two who agree on every name settle it).

A member is a model of the NER's architecture trained with another seed or setting. It reads the
Doc's features (the NER's tokenizer and lexicon) and the NER's word vectors, so only its own
weights ship: its tok2vec and its softmax layer, as one thinc `chain`, stored in float16 (half
the size; tag scores within 0.05 of the float32 ones, see tests) under `ner/members/` and
widened to float32 on loading.
spaCy does not read that folder; `attach_members` does, and `kg.nlp.pipeline.Pipeline` calls it.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from spacy.attrs import LEMMA, MORPH, NORM, ORTH, TAG
from spacy.tokens import Doc
from thinc.api import Model, chain

MEMBERS_DIR = "members"
VOTE_WINDOW = 8  # characters each side of an unsure one whose names are voted


def _network(nlp) -> Model:
    """The tok2vec and softmax of `nlp` (a trained NER pipeline) as one model from Docs to tag scores."""
    tok2vec = nlp.get_pipe("tok2vec").model
    output = nlp.get_pipe("ner").model.layers[-1]  # spacy.Tagger.v2: listener >> with_array(softmax)
    return chain(tok2vec, output)


def _cast(model: Model, dtype: str) -> None:
    for node in model.walk():
        for name in node.param_names:
            if node.has_param(name):
                node.set_param(name, node.get_param(name).astype(dtype))


def member_bytes(nlp) -> bytes:
    """The weights of `nlp` (a trained NER pipeline of the shipped architecture) as a member, float16."""
    model = _network(nlp).copy()
    _cast(model, "float16")
    return model.to_bytes()


def set_members(nlp, weights: list[bytes], threshold: float | None = None) -> None:
    """Give the `ner` of `nlp` these members (`member_bytes`; an empty list: no vote)."""
    template = _network(nlp)
    members = []
    for data in weights:
        model = template.copy()
        model.from_bytes(data)
        _cast(model, "float32")
        for node in model.walk():  # the NER's own ops (kg.nlp.ops.use_openblas), not a new chain's
            node.ops = template.layers[0].ops
        members.append(model)
    ner = nlp.get_pipe("ner")
    ner.members = members
    ner.member_reach = receptive_field(members[0]) if members else 0
    if threshold is not None:
        ner.member_threshold = threshold


def attach_members(nlp, ner_dir: Path) -> int:
    """Give the `ner` of `nlp` the members stored under `ner_dir/members/`; returns how many."""
    files = sorted((Path(ner_dir) / MEMBERS_DIR).glob("*.bin"))
    set_members(nlp, [path.read_bytes() for path in files])
    return len(files)


def write_members(ner_dir: Path, weights: list[bytes]) -> None:
    """Store members under `ner_dir/members/` (replacing any there)."""
    folder = Path(ner_dir) / MEMBERS_DIR
    for old in folder.glob("*.bin"):
        old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(weights, 1):
        (folder / f"{i}.bin").write_bytes(data)


def _counts(span_sets: list[set]) -> dict:
    counts: dict = {}
    for spans in span_sets:
        for span in spans:
            counts[span] = counts.get(span, 0) + 1
    return counts


def majority(span_sets: list[set], voters: int | None = None) -> set:
    """The spans more than half of the voters hold (by default every set is a voter; with more
    voters than sets, the missing ones hold none of them)."""
    voters = len(span_sets) if voters is None else voters
    return {span for span, n in _counts(span_sets).items() if 2 * n > voters}


def settled(span_sets: list[set], voters: int, left: int) -> bool:
    """Whether `left` more votes can change no span's majority among `voters`: each span found
    has a majority already, or could not reach one with every vote left."""
    return all(2 * n > voters or 2 * (n + left) <= voters for n in _counts(span_sets).values())


def top_probs(logits: np.ndarray) -> np.ndarray:
    """Each character's top tag probability, from its tag scores (n, K)."""
    if not len(logits):
        return np.ones(0, dtype="float32")
    z = np.exp(logits - logits.max(1, keepdims=True))
    return 1.0 / z.sum(1)  # the top tag's own exp(0) = 1 over the sum


def unsure_region(top: np.ndarray, threshold: float, window: int, reach: int):
    """(region, read) masks of a sentence, or (None, None) where no character is unsure (its top
    tag probability below `threshold`): the region is the characters within `window` of an unsure
    one, where the members vote; read adds `reach` characters each side, the members' receptive
    field, so that their tag scores over the region are those of reading the whole sentence."""
    unsure = np.flatnonzero(top < threshold)
    if not len(unsure):
        return None, None
    return _dilate(unsure, len(top), window), _dilate(unsure, len(top), window + reach)


def _dilate(points: np.ndarray, n: int, width: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    for p in points.tolist():
        mask[max(0, p - width) : p + width + 1] = True
    return mask


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in mask."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype("int8"), [0]])))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))


_FEATURES = [ORTH, NORM, LEMMA, TAG, MORPH]  # what kg.nlp.chars sets on each character


def stretch(doc: Doc, start: int, end: int) -> Doc:
    """doc[start:end] as a Doc of its own with the same token features (the NER's tokenizer sets
    them from the whole text): three times as fast as `Span.as_doc`."""
    tokens = doc[start:end]
    out = Doc(doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
    out.from_array(_FEATURES, doc.to_array(_FEATURES)[start:end])
    return out


def receptive_field(model: Model) -> int:
    """How many characters each side a tag score of `model` depends on, through its convolution
    layers (thinc's expand_window; the features of a character are its own)."""
    return sum(node.attrs.get("window_size", 0) for node in model.walk() if node.name == "expand_window")
