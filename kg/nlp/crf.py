"""A linear-chain CRF over per-character tag scores, for training `kg.nlp.tagner` as a whole sequence.

The tagger's softmax scores each character alone; trained as a CRF, the same scores are the
emissions of a chain whose transitions (one weight per tag pair, plus the BILUO constraints) are
learned too, so the loss is that of the gold *sequence* against all valid sequences. Sentences
with missing annotation (`kg.train.distill`) are handled as partial labels: the gold "sequence"
is every valid path through the tags known, and the loss is log Z of all paths minus log Z of
those.

`kg.CRFTagger.v1` is spaCy's `spacy.Tagger.v2` network plus the K x K pair weights as a thinc
parameter: they are saved with the model and updated by the training optimizer (its learning
rate schedule, gradient clipping and parameter averages) like every other weight. They take no
part in the network's forward pass; the loss and the decoder read them.

The forward-backward recursions run scaled in probability space (each step one small matrix
product and a normalisation), all sentences of a batch at once, padded to the longest.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np
from spacy.ml.models.tagger import build_tagger_model
from spacy.util import registry
from thinc.api import Model

PAIRS = "transitions"


@registry.architectures("kg.CRFTagger.v1")
def build_crf_tagger(tok2vec: Model, nO: Optional[int] = None, normalize: bool = False) -> Model:
    """spaCy's tagger network, holding the CRF's pair weights as parameter `transitions`."""
    tagger = build_tagger_model(tok2vec, nO, normalize)
    model = Model(
        "crf_tagger",
        _forward,
        init=_init,
        layers=[tagger],
        params={PAIRS: None},
        dims={"nO": nO},
    )
    for ref in ("tok2vec", "softmax", "output_layer"):
        model.set_ref(ref, tagger.get_ref(ref))
    return model


def _forward(model: Model, X, is_train: bool):
    return model.layers[0](X, is_train)


def _init(model: Model, X=None, Y=None) -> None:
    model.layers[0].initialize(X=X, Y=Y)
    K = model.layers[0].get_ref("output_layer").get_dim("nO")
    model.set_dim("nO", K)
    model.set_param(PAIRS, model.ops.alloc2f(K, K))


def _pad(arrays: Sequence[np.ndarray], fill: float) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.array([len(a) for a in arrays])
    B, T, K = len(arrays), max(int(lengths.max(initial=0)), 1), arrays[0].shape[1]
    out = np.full((B, T, K), fill, dtype="float64")
    for b, a in enumerate(arrays):
        out[b, : len(a)] = a
    return out, lengths


def forward_backward(
    psi: np.ndarray, lengths: np.ndarray, M: np.ndarray, start: np.ndarray, end: np.ndarray, weight: np.ndarray
):
    """Marginals of a chain with potentials psi (B, T, K; > 0), transition matrix M (K, K; >= 0),
    start and end vectors (K). Returns (log Z (B,), tag marginals (B, T, K), the pair marginals
    summed over positions and over sentences times weight (B,), a (K, K) array). A sentence with
    no path has log Z = -inf and zero marginals."""
    B, T, K = psi.shape
    live = np.arange(T)[None, :] < lengths[:, None]  # (B, T)
    ahat = np.zeros((B, T, K))
    c = np.ones((B, T))
    with np.errstate(divide="ignore", invalid="ignore"):
        a = start[None] * psi[:, 0]
        c[:, 0] = a.sum(1)
        ahat[:, 0] = a / c[:, 0, None]
        for t in range(1, T):
            a = (ahat[:, t - 1] @ M) * psi[:, t]
            s = a.sum(1)
            lv = live[:, t]
            c[:, t] = np.where(lv, s, 1.0)
            ahat[:, t] = np.where(lv[:, None], a / s[:, None], ahat[:, t - 1])
        last = ahat[:, T - 1]  # a finished sentence carried its last position forward
        c_end = (last * end[None]).sum(1)
        bhat = np.zeros((B, T, K))
        bhat[:, T - 1] = end[None] / c_end[:, None]
        for t in range(T - 2, -1, -1):
            lv = live[:, t + 1]
            b = ((psi[:, t + 1] * bhat[:, t + 1]) @ M.T) / c[:, t + 1, None]
            bhat[:, t] = np.where(lv[:, None], b, bhat[:, t + 1])
        logz = np.log(c).sum(1, where=live) + np.log(c_end)
        gamma = ahat * bhat * live[:, :, None]
        # pair marginal at t: ahat[t-1](i) M(i,j) psi[t](j) bhat[t](j) / c[t]
        right = psi[:, 1:] * bhat[:, 1:] / c[:, 1:, None] * live[:, 1:, None]
    ok = np.isfinite(logz)
    gamma[~ok] = 0.0
    right = np.nan_to_num(right) * np.where(ok, weight, 0.0)[:, None, None]
    left = np.nan_to_num(ahat[:, :-1])
    pairs = np.einsum("bti,btj->ij", left, right) * M if T > 1 else np.zeros((K, K))
    return logz, np.nan_to_num(gamma), pairs


def crf_loss(
    log_scores: List[np.ndarray],
    gold: List[Optional[np.ndarray]],
    weights: np.ndarray,
    allowed: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
):
    """Negative log-likelihood of the gold paths and its gradients.

    log_scores: per sentence (n, K) log emission scores. gold: per sentence an (n, K) boolean
    array of the tags allowed at each character (all True where the tag is unknown), or None to
    leave the sentence out. weights: learned transition scores (K, K); allowed: the BILUO
    constraint (K, K) as 0/1; start, end: allowed first and last tags (K) as 0/1.
    Returns (loss, [d log_scores per sentence], d weights). Sentences whose gold allows no valid
    path are left out too."""
    use = [i for i, g in enumerate(gold) if g is not None and len(g)]
    d_scores = [np.zeros_like(s, dtype="float32") for s in log_scores]
    K = weights.shape[0]
    if not use:
        return 0.0, d_scores, np.zeros((K, K), dtype="float32")
    E, lengths = _pad([log_scores[i] for i in use], 0.0)
    E -= E.max(2, keepdims=True)  # a constant per character: no path changes rank
    psi = np.exp(E)
    G, _ = _pad([gold[i].astype("float64") for i in use], 1.0)
    M = np.exp(weights.astype("float64")) * allowed
    n = len(use)
    # Only the gold half can lack a path (annotation that breaks BILUO): such a sentence is left
    # out and the pass run again.
    while True:
        sign = np.concatenate([np.ones(n), -np.ones(n)])
        logz, gamma, d_w = forward_backward(
            np.concatenate([psi, psi * G]), np.concatenate([lengths, lengths]), M, start, end, sign
        )
        ok = np.isfinite(logz[n:])
        if ok.all():
            break
        use = [i for i, k in zip(use, ok) if k]
        psi, G, lengths = psi[ok], G[ok], lengths[ok]
        n = len(use)
        if not n:
            return 0.0, d_scores, np.zeros((K, K), dtype="float32")
    loss = float((logz[:n] - logz[n:]).sum())
    for j, i in enumerate(use):
        d_scores[i] = (gamma[j, : lengths[j]] - gamma[n + j, : lengths[j]]).astype("float32")
    return loss, d_scores, d_w.astype("float32")
