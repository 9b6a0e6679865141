"""Context encoder of the character NER: the CNN, then a bidirectional LSTM over the sentence.

spaCy's `MaxoutWindowEncoder` sees a fixed window (±8 characters with 4 layers of window 2).
`WindowBiLSTMEncoder` keeps that CNN and adds a small bidirectional LSTM over its output, so
each character also sees the whole sentence (a long organisation name, a verb far to the
right); its output is the CNN's vector and the LSTM's side by side.

The LSTM is written here on numpy (`BiLSTM`): thinc's own LSTM layer gives wrong input
gradients for the first character of a sentence and for the shorter sentences of a padded
batch, and a PyTorch one would make every install gigabytes larger. Both directions run in one
loop over the time steps: the sentences are sorted longest first, so step t works on the
sentences still running, and the backward direction reads each sentence reversed within its own
length (padding never enters a sentence's states).
"""
from __future__ import annotations

from typing import List

import numpy as np
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.util import registry
from thinc.api import Model, chain
from thinc.types import Floats2d


@registry.architectures("kg.WindowBiLSTMEncoder.v1")
def window_bilstm_encoder(
    width: int, depth: int, window_size: int, maxout_pieces: int, lstm_width: int
) -> Model[List[Floats2d], List[Floats2d]]:
    """`depth` CNN layers of `width`, then a BiLSTM of `lstm_width` per direction; output
    width + 2 * lstm_width wide."""
    cnn = MaxoutWindowEncoder(width=width, depth=depth, window_size=window_size, maxout_pieces=maxout_pieces)
    model = chain(cnn, Model("with_bilstm", _with_lstm_forward, init=_with_lstm_init, layers=[BiLSTM(lstm_width, width)]))
    model.set_dim("nO", width + 2 * lstm_width)
    model.attrs["receptive_field"] = cnn.attrs.get("receptive_field", 0)
    return model


def _with_lstm_init(model: Model, X=None, Y=None) -> None:
    model.layers[0].initialize(X=X)


def _with_lstm_forward(model: Model, X: List[Floats2d], is_train: bool):
    """Each sentence's input and the LSTM's output over it, side by side. (thinc's
    `concatenate` adds list gradients by joining the lists, so it cannot be used here.)"""
    Y, backprop_lstm = model.layers[0](X, is_train)
    width = X[0].shape[1] if X else 0

    def backprop(dY: List[Floats2d]) -> List[Floats2d]:
        dX = backprop_lstm([np.ascontiguousarray(d[:, width:]) for d in dY])
        return [d[:, :width] + dx for d, dx in zip(dY, dX)]

    return [np.hstack((x, y)) for x, y in zip(X, Y)], backprop


def BiLSTM(nH: int, nI: int) -> Model[List[Floats2d], List[Floats2d]]:
    """A one-layer bidirectional LSTM over a list of sentences: nI in, 2 * nH out (the
    forward direction's state, then the backward one's)."""
    return Model(
        "kg_bilstm", _bilstm_forward, init=_bilstm_init, dims={"nH": nH, "nI": nI, "nO": 2 * nH},
        params={"Wx": None, "Wh": None, "b": None},
    )


def _bilstm_init(model: Model, X=None, Y=None) -> None:
    nH, nI = model.get_dim("nH"), model.get_dim("nI")
    rng = np.random.default_rng(11)
    limit_x = np.sqrt(6.0 / (nI + 4 * nH))
    limit_h = np.sqrt(6.0 / (nH + 4 * nH))
    # gates in the order input, forget, output, cell; the forget gate starts open (bias 1)
    b = np.zeros((2, 4 * nH), dtype="f")
    b[:, nH : 2 * nH] = 1.0
    model.set_param("Wx", rng.uniform(-limit_x, limit_x, (2, nI, 4 * nH)).astype("f"))
    model.set_param("Wh", rng.uniform(-limit_h, limit_h, (2, nH, 4 * nH)).astype("f"))
    model.set_param("b", b)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


def _bilstm_forward(model: Model, X: List[Floats2d], is_train: bool):
    nH = model.get_dim("nH")
    Wx, Wh, b = model.get_param("Wx"), model.get_param("Wh"), model.get_param("b")
    lengths = np.array([len(x) for x in X], dtype=int)
    if not len(X) or lengths.max() == 0:
        return [np.zeros((n, 2 * nH), dtype="f") for n in lengths], lambda dY: [np.zeros_like(x) for x in X]
    order = np.argsort(-lengths, kind="stable")
    T, B = int(lengths.max()), len(X)
    active = (lengths[order][None, :] > np.arange(T)[:, None]).sum(axis=1)  # sentences running at step t
    # inputs padded to (2, T, B, nI): direction 0 reads each sentence forwards, 1 reversed
    Xp = np.zeros((2, T, B, X[0].shape[1]), dtype="f")
    for j, i in enumerate(order):
        n = lengths[i]
        Xp[0, :n, j] = X[i]
        Xp[1, :n, j] = X[i][::-1]
    G = np.matmul(Xp, Wx[:, None]) + b[:, None, None, :]  # (2, T, B, 4H): the input's share of the gates
    H = np.zeros((2, T + 1, B, nH), dtype="f")  # H[:, t + 1] is the state after step t
    C = np.zeros((2, T + 1, B, nH), dtype="f")
    for t in range(T):
        m = active[t]
        g = G[:, t, :m]
        g += np.matmul(H[:, t, :m], Wh)
        g[..., : 3 * nH] = _sigmoid(g[..., : 3 * nH])
        g[..., 3 * nH :] = np.tanh(g[..., 3 * nH :])
        C[:, t + 1, :m] = g[..., nH : 2 * nH] * C[:, t, :m] + g[..., :nH] * g[..., 3 * nH :]
        H[:, t + 1, :m] = g[..., 2 * nH : 3 * nH] * np.tanh(C[:, t + 1, :m])
    Y = [None] * B
    for j, i in enumerate(order):
        n = lengths[i]
        Y[i] = np.hstack((H[0, 1 : n + 1, j], H[1, n:0:-1, j]))

    def backprop(dY: List[Floats2d]) -> List[Floats2d]:
        dH = np.zeros((2, T, B, nH), dtype="f")
        for j, i in enumerate(order):
            n = lengths[i]
            dH[0, :n, j] = dY[i][:, :nH]
            dH[1, :n, j] = dY[i][::-1, nH:]
        dG = np.zeros_like(G)
        dh_next = np.zeros((2, B, nH), dtype="f")
        dc_next = np.zeros((2, B, nH), dtype="f")
        WhT = Wh.transpose((0, 2, 1))
        for t in range(T - 1, -1, -1):
            m = active[t]
            g = G[:, t, :m]
            gi, gf, go, gc = g[..., :nH], g[..., nH : 2 * nH], g[..., 2 * nH : 3 * nH], g[..., 3 * nH :]
            tanh_c = np.tanh(C[:, t + 1, :m])
            dh = dH[:, t, :m] + dh_next[:, :m]
            dc = dc_next[:, :m] + dh * go * (1.0 - tanh_c**2)
            d = dG[:, t, :m]
            d[..., :nH] = dc * gc * gi * (1.0 - gi)
            d[..., nH : 2 * nH] = dc * C[:, t, :m] * gf * (1.0 - gf)
            d[..., 2 * nH : 3 * nH] = dh * tanh_c * go * (1.0 - go)
            d[..., 3 * nH :] = dc * gi * (1.0 - gc**2)
            dc_next[:, :m] = dc * gf
            dh_next[:, :m] = np.matmul(d, WhT)
        flat_dG = dG.reshape((2, T * B, 4 * nH))
        model.inc_grad("Wx", np.matmul(Xp.reshape((2, T * B, -1)).transpose((0, 2, 1)), flat_dG))
        model.inc_grad("Wh", np.matmul(H[:, :T].reshape((2, T * B, nH)).transpose((0, 2, 1)), flat_dG))
        model.inc_grad("b", flat_dG.sum(axis=1))
        dXp = np.matmul(dG, Wx.transpose((0, 2, 1))[:, None])  # (2, T, B, nI)
        dX = [None] * B
        for j, i in enumerate(order):
            n = lengths[i]
            dX[i] = dXp[0, :n, j] + dXp[1, n - 1 :: -1, j] if n else np.zeros_like(X[i])
        return dX

    return Y, backprop
