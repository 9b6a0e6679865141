"""Dev splits of the NER training data (no training here)."""
from __future__ import annotations

from kg.train.ner import dev_into_train, split_dev


def test_blocks_are_runs_of_consecutive_sentences():
    sents = [f"s{i}" for i in range(10_000)]
    dev, train = split_dev(sents, 1000, "blocks", seed=7, block=100)
    assert len(dev) == 1000 and len(train) == 9000
    assert set(dev).isdisjoint(train) and set(dev) | set(train) == set(sents)
    idx = [int(s[1:]) for s in dev]
    runs = sum(1 for a, b in zip(idx, idx[1:]) if b != a + 1) + 1
    assert runs == 10  # ten blocks of 100, spread over the file
    assert idx[0] > 0 and idx[-1] < 9999


def test_half_of_the_dev_blocks_move_into_training():
    sents = [f"s{i}" for i in range(10_000)]
    dev, train = split_dev(sents, 1000, "blocks", seed=7, block=100)
    kept, more = dev_into_train(dev, train, "half", block=100)
    assert len(kept) == 500 and len(more) == 9500
    assert set(kept) | set(more) == set(sents) and set(kept).isdisjoint(more)
    assert kept[:100] == dev[:100] and kept[100:200] == dev[200:300]  # whole blocks, every other one
    assert dev_into_train(dev, train, "none") == (dev, train)
    nominal, every = dev_into_train(dev, train, "all")
    assert nominal == dev and sorted(every) == sorted(sents)


def test_random_split_is_seeded():
    sents = list(range(500))
    assert split_dev(sents, 50, "random", seed=1) == split_dev(sents, 50, "random", seed=1)
    dev, train = split_dev(sents, 50, "random", seed=1)
    assert len(dev) == 50 and sorted(dev + train) == sents


def test_segmented_sentences_carry_word_positions_and_skip_excluded_text(tmp_path):
    import spacy

    from kg.nlp.auxseg import SEG_KEY
    from kg.train.ner import segmented_sentences

    path = tmp_path / "seg.utf8"
    path.write_text("长春  今天  很  冷  。  吉林省  发布  寒潮  预警  。\n"
                    "这是一个与测试句共享二十个字以上的句子里的很长的一段文字内容啊。\n", encoding="utf8")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.CharTokenizer.v1"}}})
    docs = segmented_sentences(path, ["共享二十个字以上的句子里的很长的一段文字内容"], nlp)
    assert [d.text for d in docs] == ["长春今天很冷。", "吉林省发布寒潮预警。"]
    assert docs[0].user_data[SEG_KEY] == "BEBESSS"
    assert docs[1].user_data[SEG_KEY] == "BIEBEBEBES"
    assert not docs[0].has_annotation("ENT_IOB")  # names missing, not outside
