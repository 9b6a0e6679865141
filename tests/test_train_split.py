"""Dev splits of the NER training data (no training here)."""
from __future__ import annotations

from kg.train.ner import split_dev


def test_blocks_are_runs_of_consecutive_sentences():
    sents = [f"s{i}" for i in range(10_000)]
    dev, train = split_dev(sents, 1000, "blocks", seed=7, block=100)
    assert len(dev) == 1000 and len(train) == 9000
    assert set(dev).isdisjoint(train) and set(dev) | set(train) == set(sents)
    idx = [int(s[1:]) for s in dev]
    runs = sum(1 for a, b in zip(idx, idx[1:]) if b != a + 1) + 1
    assert runs == 10  # ten blocks of 100, spread over the file
    assert idx[0] > 0 and idx[-1] < 9999


def test_random_split_is_seeded():
    sents = list(range(500))
    assert split_dev(sents, 50, "random", seed=1) == split_dev(sents, 50, "random", seed=1)
    dev, train = split_dev(sents, 50, "random", seed=1)
    assert len(dev) == 50 and sorted(dev + train) == sents
