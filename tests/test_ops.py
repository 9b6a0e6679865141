"""OpenBlasOps computes the same products as thinc's own ops."""
from __future__ import annotations

import numpy
import pytest
from thinc.api import NumpyOps

from kg.nlp.ops import OpenBlasOps


@pytest.mark.parametrize("trans1, trans2", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("with_out", [False, True])
def test_gemm_matches_numpy_ops(trans1, trans2, with_out):
    rng = numpy.random.default_rng(0)
    x = rng.random((5, 7) if trans1 else (7, 5), dtype="float32")  # (7, 5) once transposed
    y = rng.random((3, 5) if trans2 else (5, 3), dtype="float32")  # (5, 3) once transposed
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    out = numpy.zeros((7, 3), dtype="float32") if with_out else None
    got = OpenBlasOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
    numpy.testing.assert_allclose(got, expected, rtol=1e-5)
    if with_out:
        assert got is out


def test_projected_vectors_match_the_training_path_and_follow_w(pipeline):
    """Prediction looks up rows of (vectors x W); training multiplies per token: the same numbers
    up to float rounding."""
    import numpy

    nlp = pipeline.ner
    docs = [nlp.tokenizer(t) for t in ("长春市举行冰雪节。", "张琼月获得金牌", "")]
    layers = [layer for layer in nlp.get_pipe("tok2vec").model.walk() if layer.name.startswith("vectors_of_")]
    assert len(layers) == 3
    layer = layers[0]
    for lay in layers:
        assert numpy.allclose(lay.predict(docs).dataXd, lay(docs, is_train=True)[0].dataXd, atol=1e-5)
    W = layer.get_param("W").copy()
    try:
        layer.set_param("W", W * 2)
        assert numpy.allclose(layer.predict(docs).dataXd, layer(docs, is_train=True)[0].dataXd, atol=1e-5)
    finally:
        layer.set_param("W", W)


def test_prediction_cache_is_not_saved_with_the_weights(pipeline):
    """The projected tables live outside the model: a pipeline saved after predicting (as spaCy
    does after each dev evaluation in training) is no larger than before."""
    tok2vec = pipeline.ner.get_pipe("tok2vec").model
    before = len(tok2vec.to_bytes())
    list(pipeline.ner.pipe(["吉林省长春市召开会议。", "新华社记者报道"]))
    assert len(tok2vec.to_bytes()) == before
    assert all("projected" not in layer.attrs for layer in tok2vec.walk())


def test_the_lean_layer_norm_predicts_as_thinc_s_and_trains_as_thinc_s():
    from thinc.api import LayerNorm

    from kg.nlp.ops import _layer_norm

    rng = numpy.random.default_rng(1)
    X = rng.normal(size=(50, 16)).astype("float32") * 3 + 1
    model = LayerNorm(16)
    model.initialize(X=X)
    model.set_param("G", rng.normal(size=16).astype("float32"))
    model.set_param("b", rng.normal(size=16).astype("float32"))
    expected = model.predict(X)
    got, _ = _layer_norm(model, X.copy(), is_train=False)
    numpy.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
    Y, backprop = _layer_norm(model, X, is_train=True)  # training keeps thinc's own, with its backprop
    numpy.testing.assert_allclose(Y, expected, rtol=1e-4, atol=1e-5)
    assert backprop(numpy.ones_like(Y)).shape == X.shape


def test_the_shipped_ner_uses_the_lean_layer_norm(pipeline):
    from kg.nlp.ops import _layer_norm

    norms = [n for n in pipeline.ner.get_pipe("tok2vec").model.walk() if n.name == "layernorm"]
    assert norms and all(n._func is _layer_norm for n in norms)
    members = pipeline.ner.get_pipe("ner").members
    assert all(n._func is _layer_norm for m in members for n in m.walk() if n.name == "layernorm")
