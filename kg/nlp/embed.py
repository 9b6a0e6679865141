"""Embedding layer of the character NER: hashed features plus pretrained vectors per feature.

spaCy's `MultiHashEmbed` looks pretrained vectors up by one attribute only, but Chinese NER
gains most from vectors of both the character and its bigrams (each stored in the one vectors
table under its own string). `CharBigramEmbed` concatenates hash embeddings of NORM/LEMMA/TAG
with a projected pretrained vector for each of them, then mixes them with a Maxout layer.
"""
from __future__ import annotations

from typing import List

import numpy as np
from spacy.attrs import IDS
from spacy.ml.featureextractor import FeatureExtractor
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, Ragged, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.initializers import glorot_uniform_init
from thinc.types import Floats2d


def VectorsOf(attr: str, nO: int) -> Model[List[Doc], Ragged]:
    """Pretrained vectors of each token's `attr` string (zeros when absent), projected to nO."""
    return Model(
        f"vectors_of_{attr.lower()}",
        _vectors_forward,
        init=_vectors_init,
        params={"W": None},
        attrs={"attr_id": IDS[attr]},
        dims={"nO": nO, "nM": None},
    )


def _lookup(model: Model, docs: List[Doc], table: np.ndarray | None = None) -> np.ndarray:
    """Rows of `table` (default: the vectors) for each token's `attr` string; zeros when absent."""
    vectors = docs[0].vocab.vectors
    keys = np.concatenate([doc.to_array(model.attrs["attr_id"]) for doc in docs]).astype("uint64")
    rows = vectors.find(keys=keys)
    V = (model.ops.asarray(vectors.data) if table is None else table)[rows]
    V[rows < 0] = 0
    return V


# model.id -> (key, table). Not in model.attrs: thinc saves attrs with the weights, and the
# tables are four times the size of everything else in the pipeline.
_PROJECTED: dict[int, tuple] = {}


def _projected_table(model: Model, vectors) -> np.ndarray:
    """The whole vectors table times W, kept while W and the table stay the same: at prediction
    time one row lookup then replaces a lookup and a matrix product per token."""
    W = model.get_param("W")
    key = (id(vectors.data), vectors.data.shape, hash(W.tobytes()))
    cached = _PROJECTED.get(model.id)
    if cached is None or cached[0] != key:
        cached = (key, model.ops.gemm(model.ops.asarray(vectors.data), W, trans2=True))
        _PROJECTED[model.id] = cached
    return cached[1]


def _vectors_forward(model: Model, docs: List[Doc], is_train: bool):
    lengths = model.ops.asarray1i([len(doc) for doc in docs])
    W = model.get_param("W")
    if not sum(len(doc) for doc in docs):
        return Ragged(model.ops.alloc2f(0, model.get_dim("nO")), lengths), lambda d: []
    if not is_train:
        Y = _lookup(model, docs, _projected_table(model, docs[0].vocab.vectors))
        return Ragged(Y, lengths), lambda d: []
    V = _lookup(model, docs)
    Y = model.ops.gemm(V, W, trans2=True)

    def backprop(dY: Ragged) -> List[Doc]:
        model.inc_grad("W", model.ops.gemm(dY.dataXd, V, trans1=True))
        return []

    return Ragged(Y, lengths), backprop


def _vectors_init(model: Model, X: List[Doc] | None = None, Y=None) -> Model:
    nM = model.get_dim("nM") if model.has_dim("nM") else None
    if X:
        nM = X[0].vocab.vectors.shape[1]
    if not nM:
        raise ValueError("CharBigramEmbed needs a vectors table: set [initialize] vectors in the config")
    model.set_dim("nM", nM)
    model.set_param("W", glorot_uniform_init(model.ops, (model.get_dim("nO"), nM)))
    return model


@registry.architectures("kg.CharBigramEmbed.v1")
def char_bigram_embed(
    width: int, attrs: List[str], rows: List[int], vector_attrs: List[str], maxout_pieces: int = 3
) -> Model[List[Doc], List[Floats2d]]:
    hashed = chain(
        FeatureExtractor(attrs),
        list2ragged(),
        with_array(concatenate(*[HashEmbed(width, r, column=i, seed=31 + i, dropout=0.0) for i, r in enumerate(rows)])),
    )
    parts = [hashed] + [VectorsOf(a, width) for a in vector_attrs]
    n_in = width * (len(rows) + len(vector_attrs))
    return chain(
        concatenate(*parts),
        with_array(Maxout(width, n_in, nP=maxout_pieces, dropout=0.0, normalize=True)),
        ragged2list(),
    )
