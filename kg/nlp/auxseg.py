"""Word segmentation as a second task for the NER's tok2vec, used in training only.

MSR's segmentation standard writes a name as one word (中国科学院长春光学精密机械与物理研究所,
张琼月), so where its words begin and end is much of where names begin and end. This component
reads the NER's shared tok2vec and learns the B/I/E/S word-position tag of each character from
`doc.user_data["kg_seg"]` (a string with one tag per character); docs without it are left out of
its loss, as docs without names are left out of the NER's. Its gradient trains the shared
tok2vec, so the NER sees word-boundary evidence it never has to compute at run time:
`kg.train.package` drops the component from the shipped pipeline, and it sets nothing on a doc.
"""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from spacy.language import Language
from spacy.pipeline.tagger import Tagger
from spacy.training import Example, validate_examples, validate_get_examples
from thinc.api import Model, SequenceCategoricalCrossentropy

from kg.nlp.tagner import DEFAULT_TAGGER_MODEL, initialize_on_sample

SEG_KEY = "kg_seg"
SEG_TAGS = ("B", "I", "E", "S")


def seg_tags(words: Iterable[str]) -> str:
    """The B/I/E/S tag of each character of the words, as one string."""
    return "".join("S" if len(w) == 1 else "B" + "I" * (len(w) - 2) + "E" for w in words if w)


class AuxSeg(Tagger):
    """Learns word-position tags from doc.user_data; predicts nothing onto docs."""

    def set_annotations(self, docs, tag_scores):
        return None

    def _truths(self, eg: Example) -> list[Optional[str]]:
        tags = eg.reference.user_data.get(SEG_KEY)
        if tags is None or len(tags) != len(eg.reference) or len(eg.reference) != len(eg.predicted):
            return [None] * len(eg.predicted)
        return list(tags)

    def get_loss(self, examples, scores):
        validate_examples(examples, "AuxSeg.get_loss")
        loss_func = SequenceCategoricalCrossentropy(names=self.labels, normalize=False)
        d_scores, loss = loss_func(scores, [self._truths(eg) for eg in examples])
        return float(loss), d_scores

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp=None, labels=None):
        validate_get_examples(get_examples, "AuxSeg.initialize")
        for tag in SEG_TAGS:
            self.add_label(tag)
        initialize_on_sample(self, get_examples, self._truths)


@Language.factory(
    "kg_aux_seg",
    default_config={"model": DEFAULT_TAGGER_MODEL, "scorer": None},
    default_score_weights={},
)
def make_aux_seg(nlp: Language, name: str, model: Model, scorer: Optional[Callable]):
    return AuxSeg(nlp.vocab, model, name, scorer=scorer)
