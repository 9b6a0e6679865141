"""Pretraining the NER's tok2vec on masked characters (a few steps on tiny text, no real training)."""
from __future__ import annotations

import random

import numpy
import pytest

from kg.train.pretrain import MASK, MAX_LEN, Pretrainer, batches, build_tok2vec, mask, pieces

TEXTS = ["长春市今天召开全市经济工作会议。", "吉林省科技厅发布十大跃升行动方案。", "张琼月在全国射击冠军赛上夺冠。"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Vectors and a lexicon for the shipped NER config, a few rows each."""
    import spacy
    from spacy.vectors import Vectors

    from kg.nlp.chars import BOUNDARY

    root = tmp_path_factory.mktemp("pretrain")
    keys = sorted({c for t in TEXTS for c in t} | {BOUNDARY + TEXTS[0][0], "长春"})
    data = numpy.random.default_rng(0).normal(size=(len(keys), 8)).astype("float32")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.CharTokenizer.v1"}}})
    nlp.vocab.vectors = Vectors(data=data, keys=[nlp.vocab.strings.add(k) for k in keys])
    nlp.to_disk(root / "vectors")
    (root / "lexicon.tsv").write_text("长春市\tLOC\n吉林省科技厅\tORG\n张琼月\tPER\n", encoding="utf8")
    return root


def test_masking_hides_a_share_of_the_characters_and_keeps_the_targets():
    alphabet = sorted({c for t in TEXTS for c in t})
    classes = {c: i for i, c in enumerate(alphabet)}
    text = "".join(TEXTS) * 20
    masked, positions, targets = mask(text, classes, alphabet, 0.15, random.Random(1))
    assert len(masked) == len(text)
    assert 0.1 < len(positions) / len(text) < 0.2
    assert [alphabet[t] for t in targets] == [text[i] for i in positions]
    hidden = [i for i in positions if masked[i] == MASK]
    assert 0.7 < len(hidden) / len(positions) < 0.9
    # characters outside the alphabet share the last class
    _, pos, tg = mask("龘" * 200, classes, alphabet, 0.5, random.Random(2))
    assert pos and set(tg) == {len(alphabet)}


def test_pieces_are_sentences_without_whitespace_and_never_too_long():
    text = "长春 今天下雪。" + "很长" * 200 + "。短。"
    out = list(pieces(text))
    assert out[0] == "长春今天下雪。"
    assert all(4 <= len(p) <= MAX_LEN for p in out)
    assert "短。" not in out  # too short to learn from


def test_batches_cover_the_texts_in_about_the_asked_size():
    texts = [f"第{i}句话写在这里" for i in range(50)]
    it = batches(texts, 100, random.Random(0))
    first = [next(it) for _ in range(5)]
    assert all(sum(map(len, b)) >= 100 for b in first)
    assert {t for b in first for t in b} == set(texts)


def test_the_masked_character_loss_falls_and_the_weights_load_into_a_training_config(tiny, tmp_path):
    from spacy import util

    from kg.train.ner import TAG_CONFIG, with_pretrained_tok2vec
    from kg.train.pretrain import save

    nlp, tok2vec = build_tok2vec(TAG_CONFIG, tiny / "vectors", tiny / "lexicon.tsv", TEXTS)
    alphabet = sorted({c for t in TEXTS for c in t})
    trainer = Pretrainer(nlp, tok2vec, alphabet, rate=0.3, learn_rate=0.01, seed=3)
    losses = []
    for _ in range(40):
        loss, _, n = trainer.step(TEXTS * 4)
        losses.append(loss / n)
    assert numpy.mean(losses[-5:]) < numpy.mean(losses[:5]) / 2
    save(tok2vec, tmp_path / "t2v.bin")

    config_path = with_pretrained_tok2vec(TAG_CONFIG, tmp_path)
    overrides = {
        "paths.vectors": str(tiny / "vectors"),
        "paths.init_tok2vec": str(tmp_path / "t2v.bin"),
        "nlp.tokenizer.lexicon_path": str(tiny / "lexicon.tsv"),
    }
    config = util.load_config(config_path, overrides=overrides)
    assert config["pretraining"]["component"] == "tok2vec" and config["pretraining"]["layer"] == ""
    fresh = util.load_model_from_config(config, auto_fill=True)
    from spacy.training import Example

    examples = [Example.from_dict(fresh.make_doc(t), {"entities": []}) for t in TEXTS]
    fresh.initialize(lambda: examples)
    loaded = fresh.get_pipe("tok2vec").model
    for a, b in zip(loaded.walk(), tok2vec.walk()):
        for name in a.param_names:
            if a.has_param(name):
                assert numpy.allclose(a.get_param(name), b.get_param(name))
