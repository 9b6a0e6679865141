"""The CRF loss of the tagging NER: log Z and its gradients as by trying every path, and training."""
from __future__ import annotations

import itertools

import numpy
import pytest
import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example

from kg.nlp.crf import crf_loss
from kg.nlp.tagner import _constraints, biluo_tags

TAGS = biluo_tags(["A", "B"])
K = len(TAGS)
_trans, _start, _end = _constraints(TAGS)
ALLOWED, START, END = numpy.isfinite(_trans), numpy.isfinite(_start), numpy.isfinite(_end)


def _logsumexp(xs):
    m = max(xs)
    return m + numpy.log(sum(numpy.exp(x - m) for x in xs))


def _brute_loss(E, G, W):
    every, gold = [], []
    for p in itertools.product(range(K), repeat=len(E)):
        if not START[p[0]] or not END[p[-1]] or not all(ALLOWED[a, b] for a, b in zip(p, p[1:])):
            continue
        score = sum(E[t, k] for t, k in enumerate(p)) + sum(W[a, b] for a, b in zip(p, p[1:]))
        every.append(score)
        if all(G[t, k] for t, k in enumerate(p)):
            gold.append(score)
    return _logsumexp(every) - _logsumexp(gold)


def _case(seed=0):
    rng = numpy.random.default_rng(seed)
    W = rng.normal(size=(K, K)).astype("float32")
    E = [rng.normal(size=(n, K)).astype("float32") for n in (3, 1, 4)]
    G = []
    for e in E:
        g = numpy.ones((len(e), K), dtype=bool)  # unknown everywhere but the first and third character
        g[0] = False
        g[0, TAGS.index("O")] = True
        if len(e) > 2:
            g[2] = False
            g[2, TAGS.index("U-A")] = True
        G.append(g)
    return E, G, W


def test_the_loss_is_log_z_of_all_valid_paths_minus_that_of_the_gold_ones():
    E, G, W = _case()
    loss, _, _ = crf_loss(E, G, W, ALLOWED, START, END)
    assert loss == pytest.approx(sum(_brute_loss(e, g, W) for e, g in zip(E, G)), rel=1e-5)


@pytest.mark.parametrize("where", [(0, 0, 1), (2, 1, 3), (2, 3, 0)])
def test_score_gradients_match_finite_differences(where):
    E, G, W = _case(1)
    loss, d, _ = crf_loss(E, G, W, ALLOWED, START, END)
    b, t, k = where
    E2 = [e.astype("float64") for e in E]
    E2[b][t, k] += 1e-4
    numeric = (crf_loss(E2, G, W, ALLOWED, START, END)[0] - loss) / 1e-4
    assert d[b][t, k] == pytest.approx(numeric, abs=2e-3)


def test_pair_weight_gradients_match_finite_differences():
    E, G, W = _case(2)
    loss, _, dW = crf_loss(E, G, W, ALLOWED, START, END)
    for a, b in [(0, 0), (0, 1), (1, 2), (3, 0)]:
        W2 = W.astype("float64").copy()
        W2[a, b] += 1e-4
        numeric = (crf_loss(E, G, W2, ALLOWED, START, END)[0] - loss) / 1e-4
        assert dW[a, b] == pytest.approx(numeric, abs=2e-3)
    assert dW[~ALLOWED] == pytest.approx(0.0)


def test_a_sentence_whose_gold_breaks_biluo_is_left_out():
    E, G, W = _case(3)
    bad = numpy.zeros((2, K), dtype=bool)
    bad[:, TAGS.index("I-A")] = True  # I- at the start: no valid path
    loss, d, _ = crf_loss(E + [E[0][:2]], G + [bad], W, ALLOWED, START, END)
    alone, _, _ = crf_loss(E, G, W, ALLOWED, START, END)
    assert loss == pytest.approx(alone)
    assert numpy.allclose(d[-1], 0.0) and not numpy.allclose(d[0], 0.0)
    assert crf_loss([E[0]], [None], W, ALLOWED, START, END)[0] == 0.0


def _example(nlp, words, ents):
    ref = Doc(nlp.vocab, words=words)
    ref.set_ents([Span(ref, s, e, label=lab) for s, e, lab in ents], default="outside")
    return Example(Doc(nlp.vocab, words=words), ref)


def _plain_ner():
    nlp = spacy.blank("zh")
    return nlp.add_pipe("kg_tag_ner", name="ner")


def test_a_crf_tagger_learns_names_and_keeps_its_pair_weights_on_disk(tmp_path):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    cfg = {"model": {"@architectures": "kg.CRFTagger.v1",
                     "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "width": 32, "depth": 1,
                                 "embed_size": 500, "window_size": 1, "maxout_pieces": 2,
                                 "subword_features": False, "pretrained_vectors": None}}}
    nlp.add_pipe("kg_tag_ner", name="ner", config=cfg)
    examples = [
        _example(nlp, list("张三去北京"), [(0, 2, "PER"), (3, 5, "LOC")]),
        _example(nlp, list("李四到上海"), [(0, 2, "PER"), (3, 5, "LOC")]),
    ]
    optimizer = nlp.initialize(lambda: examples)
    losses = [nlp.update(examples, sgd=optimizer)["ner"] for _ in range(60)]
    assert losses[-1] < losses[0] / 10
    doc = nlp(Doc(nlp.vocab, words=list("张三去北京")))
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(0, 2, "PER"), (3, 5, "LOC")]
    ner = nlp.get_pipe("ner")
    assert ner.crf and not _plain_ner().crf
    weights = ner.model.get_param("transitions").copy()
    assert numpy.abs(weights).max() > 0.05  # the pair weights moved
    nlp.to_disk(tmp_path / "m")
    back = spacy.load(tmp_path / "m")
    assert back.get_pipe("ner").crf
    assert numpy.allclose(back.get_pipe("ner").model.get_param("transitions"), weights)
    doc = back(Doc(back.vocab, words=list("李四到上海")))
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(0, 2, "PER"), (3, 5, "LOC")]


def test_viterbi_with_pair_weights_finds_the_best_path_in_any_grouping():
    from kg.nlp.tagner import viterbi, viterbi_by_length

    rng = numpy.random.default_rng(5)
    W = rng.normal(size=(K, K)).astype("float32")
    scores = [rng.normal(size=(n, K)).astype("float32") for n in (3, 1, 4, 2, 0, 3)]
    got = viterbi_by_length(scores, _trans + W, _start, _end, group=2)
    assert [p.tolist() for p in got] == [p.tolist() for p in viterbi(scores, _trans + W, _start, _end)]
    for s, path in zip(scores, got):
        if not len(s):
            assert len(path) == 0
            continue
        best = max(
            (p for p in itertools.product(range(K), repeat=len(s))
             if START[p[0]] and END[p[-1]] and all(ALLOWED[a, b] for a, b in zip(p, p[1:]))),
            key=lambda p: sum(s[t, k] for t, k in enumerate(p)) + sum(W[a, b] for a, b in zip(p, p[1:])),
        )
        assert tuple(path.tolist()) == best


def test_word_position_tags():
    from kg.nlp.auxseg import seg_tags

    assert seg_tags(["中国科学院", "在", "长春", ""]) == "BIIIESBE"


def test_segmentation_trains_the_shared_tok2vec_and_sets_nothing(tmp_path):
    from kg.nlp.auxseg import SEG_KEY
    from kg.train.package import package_ner

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    nlp.add_pipe("tok2vec", config={"model": {"@architectures": "spacy.HashEmbedCNN.v2", "width": 32, "depth": 1,
                                              "embed_size": 500, "window_size": 1, "maxout_pieces": 2,
                                              "subword_features": False, "pretrained_vectors": None}})
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 32}
    nlp.add_pipe("kg_tag_ner", name="ner", config={"model": {"@architectures": "kg.CRFTagger.v1", "tok2vec": listener}})
    nlp.add_pipe("kg_aux_seg", name="aux_seg", config={"model": {"@architectures": "spacy.Tagger.v2",
                                                                 "tok2vec": listener}})
    seg = Example(Doc(nlp.vocab, words=list("长春很冷")), Doc(nlp.vocab, words=list("长春很冷")))
    seg.reference.user_data[SEG_KEY] = "BESS"
    names = _example(nlp, list("张三去北京"), [(0, 2, "PER"), (3, 5, "LOC")])
    optimizer = nlp.initialize(lambda: [names, seg])
    ner, aux = nlp.get_pipe("ner"), nlp.get_pipe("aux_seg")
    _, d_seg = aux.get_loss([names, seg], [aux.model.ops.softmax(s) for s in aux.model.predict([names.x, seg.x])])
    assert numpy.allclose(d_seg[0], 0.0) and not numpy.allclose(d_seg[1], 0.0)  # names only: no seg loss
    _, d_ner = ner.get_loss([seg], [ner.model.ops.softmax(s) for s in ner.model.predict([seg.x])])
    assert numpy.allclose(d_ner[0], 0.0)  # seg only: no names loss
    for _ in range(40):
        losses = nlp.update([names, seg], sgd=optimizer)
    assert losses["aux_seg"] < 1.0
    doc = nlp(Doc(nlp.vocab, words=list("长春很冷")))
    assert all(t.tag_ == "" for t in doc)  # sets nothing
    nlp.to_disk(tmp_path / "m")
    package_ner(tmp_path / "m", tmp_path / "shipped")
    assert spacy.load(tmp_path / "shipped").pipe_names == ["tok2vec", "ner"]
