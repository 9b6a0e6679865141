"""The BiLSTM-CRF teacher: features, tags, batching; the CRF itself only where PyTorch is installed."""
from __future__ import annotations

import random

import pytest

from kg.nlp.lexicon import Lexicon
from kg.train import bilstm
from kg.train.ner import bio_spans


def test_features_are_the_shipped_ner_features():
    chars, left, right, lex = bilstm.features("在Ｂ长春市", Lexicon({"长春市": "LOC"}))
    assert chars == ["在", "B", "长", "春", "市"]  # NFKC per character
    assert left == ["<s>在", "在B", "B长", "长春", "春市"]
    assert right == ["在B", "B长", "长春", "春市", "市<s>"]
    assert lex == ["", "", "B_LOC", "I_LOC", "E_LOC"]


def test_tag_ids_read_back_as_the_same_spans():
    spans = [(0, 2, "PER"), (2, 3, "LOC"), (5, 9, "ORG")]
    tags = bilstm.tag_ids(10, spans)
    assert bio_spans([bilstm.TAGS[t] for t in tags]) == spans


def test_batches_hold_every_item_once_and_respect_the_size():
    items = [("x" * n, None, None) for n in (3, 50, 7, 20, 20, 1, 64)]
    got = bilstm.batches(items, 60, random.Random(1))
    flat = sorted(len(i[0]) for b in got for i in b)
    assert flat == sorted(len(i[0]) for i in items)
    # a batch goes over the size only when one item alone does
    assert all(sum(len(i[0]) for i in b) <= 60 or len(b) == 1 for b in got)


def test_crf_decodes_a_valid_bio_path_and_learns_a_sentence():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = bilstm.build_model(n_rows=20, n_lex=3, dim=8, hidden=8, dropout=0.0)
    x = torch.randint(2, 20, (2, 6, 3))
    lex = torch.zeros(2, 6, dtype=torch.long)
    mask = torch.tensor([[1.0] * 6, [1.0] * 4 + [0.0] * 2])
    lengths = torch.tensor([6, 4])
    gold = torch.tensor([bilstm.tag_ids(6, [(1, 3, "PER")]), bilstm.tag_ids(4, [(0, 4, "ORG")]) + [0, 0]])
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    first = None
    for _ in range(60):
        loss = model.crf.nll(model.emissions(x, lex, lengths), gold, mask)
        first = first if first is not None else loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < first / 10
    paths = model.crf.decode(model.emissions(x, lex, lengths), mask).tolist()
    assert bio_spans([bilstm.TAGS[t] for t in paths[0]]) == [(1, 3, "PER")]
    assert bio_spans([bilstm.TAGS[t] for t in paths[1][:4]]) == [(0, 4, "ORG")]
