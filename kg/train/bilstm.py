"""A BiLSTM-CRF character NER, trained on MSRA as a teacher for `kg.train.distill`.

    pip install '.[teacher]'
    python -m kg.train.bilstm --data ../shared/data --out build/ner_lstm \
        --vectors build/vectors/pipeline --lexicon build/lexicon.tsv

It never ships: it only labels unlabelled text, with the spaCy teachers, for the shipped NER
to learn from. What it adds to the vote is a different way of reading a sentence. The spaCy
NER sees about eight characters either side and decides greedily, one action at a time. This
model reads the whole sentence in both directions and picks the best tag sequence for it
(a CRF). So it makes other mistakes, which is what a vote needs.

Features are those of the shipped NER: the character, its two bigrams, all three starting
from the same pretrained vectors (`kg.train.vectors`), and the name lexicon's tag. It needs
PyTorch (the `teacher` extra), which kg itself never imports. Dev split, seed and scoring are
those of `kg.train.ner`; the best epoch on the dev split is kept in OUT/model-best.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

from kg.nlp.chars import BOUNDARY, fold
from kg.nlp.lexicon import Lexicon
from kg.train.ner import bio_spans, read_bio, split_dev

LABELS = ("PER", "LOC", "ORG")
TAGS = ["O"] + [f"{p}-{lab}" for lab in LABELS for p in ("B", "I")]
WEIGHTS = "bilstm.pt"
SETTINGS = "bilstm.json"
LEXICON = "lexicon.tsv"


def features(text: str, lexicon: Lexicon | None) -> tuple[list[str], list[str], list[str], list[str]]:
    """Per character: the character, its bigram with the previous and with the next, its lexicon tag."""
    folded = [fold(c) for c in text]
    padded = [BOUNDARY, *folded, BOUNDARY]
    bigrams = [a + b for a, b in zip(padded, padded[1:])]
    lex = lexicon.tags("".join(folded)) if lexicon is not None else [""] * len(folded)
    return folded, bigrams[:-1], bigrams[1:], lex


def tag_ids(n: int, spans: list[tuple[int, int, str]]) -> list[int]:
    tags = [0] * n
    for s, e, lab in spans:
        tags[s] = TAGS.index("B-" + lab)
        for i in range(s + 1, e):
            tags[i] = TAGS.index("I-" + lab)
    return tags


def _torch():
    try:
        import torch
    except ImportError as exc:  # a training-only dependency
        raise SystemExit("kg.train.bilstm needs PyTorch: pip install '.[teacher]'") from exc
    return torch


def build_model(n_rows: int, n_lex: int, dim: int, hidden: int, dropout: float):
    torch = _torch()
    nn = torch.nn

    class CRF(nn.Module):
        """Linear-chain CRF over the BIO tags; moves that BIO forbids (O -> I-X) score -1e4."""

        def __init__(self, n: int):
            super().__init__()
            self.trans = nn.Parameter(torch.zeros(n, n))
            self.start = nn.Parameter(torch.zeros(n))
            self.end = nn.Parameter(torch.zeros(n))
            banned = torch.zeros(n, n)
            banned_start = torch.zeros(n)
            for j, tag in enumerate(TAGS):
                if tag.startswith("I-"):
                    banned_start[j] = -1e4
                    for i, prev in enumerate(TAGS):
                        if prev[2:] != tag[2:]:
                            banned[i, j] = -1e4
            self.register_buffer("banned", banned)
            self.register_buffer("banned_start", banned_start)

        def _t(self):
            return self.trans + self.banned, self.start + self.banned_start

        def nll(self, em, tags, mask):
            trans, start = self._t()
            B, T, _ = em.shape
            lengths = mask.sum(1).long()
            score = start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
            alpha = start + em[:, 0]
            for t in range(1, T):
                m = mask[:, t]
                step = trans[tags[:, t - 1], tags[:, t]] + em[:, t].gather(1, tags[:, t : t + 1]).squeeze(1)
                score = score + step * m
                nxt = torch.logsumexp(alpha.unsqueeze(2) + trans + em[:, t].unsqueeze(1), dim=1)
                alpha = torch.where(m.unsqueeze(1) > 0, nxt, alpha)
            last = tags.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1)
            score = score + self.end[last]
            log_z = torch.logsumexp(alpha + self.end, dim=1)
            return (log_z - score).sum()

        def decode(self, em, mask):
            trans, start = self._t()
            B, T, n = em.shape
            score = start + em[:, 0]
            back = []
            for t in range(1, T):
                best, idx = (score.unsqueeze(2) + trans).max(dim=1)
                nxt = best + em[:, t]
                m = mask[:, t].unsqueeze(1) > 0
                score = torch.where(m, nxt, score)
                back.append(torch.where(m, idx, torch.arange(n).expand(B, n)))
            score = score + self.end
            best = score.argmax(1)
            path = [best]
            for idx in reversed(back):
                best = idx.gather(1, best.unsqueeze(1)).squeeze(1)
                path.append(best)
            return torch.stack(path[::-1], dim=1)

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(n_rows, dim, padding_idx=0)
            self.lex = nn.Embedding(n_lex, 16)
            self.drop = nn.Dropout(dropout)
            self.lstm = nn.LSTM(3 * dim + 16, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden, len(TAGS))
            self.crf = CRF(len(TAGS))

        def emissions(self, x, lex, lengths):
            B, T, _ = x.shape
            h = torch.cat([self.emb(x).reshape(B, T, -1), self.lex(lex)], dim=2)
            h = self.drop(h)
            packed = nn.utils.rnn.pack_padded_sequence(h, lengths.cpu(), batch_first=True, enforce_sorted=False)
            out, _ = self.lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)
            return self.out(self.drop(out))

    return Tagger()


class Encoder:
    """Strings to rows: the pretrained vectors' strings first, then training strings seen twice."""

    def __init__(self, rows: dict[str, int], lex_tags: dict[str, int], lexicon: Lexicon | None):
        self.rows = rows
        self.lex_tags = lex_tags
        self.lexicon = lexicon

    def encode(self, text: str):
        c, left, right, lex = features(text, self.lexicon)
        get = self.rows.get
        ids = [[get(a, 1), get(b, 1), get(d, 1)] for a, b, d in zip(c, left, right)]
        return ids, [self.lex_tags.get(t, 0) for t in lex]


def batches(items: list, max_chars: int, shuffle: random.Random | None):
    """Lists of items of similar length, about `max_chars` characters each."""
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    out, cur, size = [], [], 0
    for i in order:
        n = len(items[i][0])
        if cur and size + n > max_chars:
            out.append(cur)
            cur, size = [], 0
        cur.append(items[i])
        size += n
    if cur:
        out.append(cur)
    if shuffle is not None:
        shuffle.shuffle(out)
    return out


def tensors(batch: list, with_tags: bool):
    torch = _torch()
    T = max(len(b[0]) for b in batch)
    B = len(batch)
    x = torch.zeros(B, T, 3, dtype=torch.long)
    lex = torch.zeros(B, T, dtype=torch.long)
    mask = torch.zeros(B, T)
    tags = torch.zeros(B, T, dtype=torch.long)
    for i, item in enumerate(batch):
        n = len(item[0])
        x[i, :n] = torch.tensor(item[0])
        lex[i, :n] = torch.tensor(item[1])
        mask[i, :n] = 1
        if with_tags:
            tags[i, :n] = torch.tensor(item[2])
    return x, lex, mask, tags, torch.tensor([len(b[0]) for b in batch])


class Teacher:
    """A trained BiLSTM-CRF folder, predicting spans like a spaCy NER would."""

    def __init__(self, folder: Path):
        torch = _torch()
        settings = json.loads((folder / SETTINGS).read_text(encoding="utf8"))
        lexicon = Lexicon.from_disk(folder / LEXICON) if (folder / LEXICON).exists() else None
        self.encoder = Encoder(settings["rows"], settings["lex_tags"], lexicon)
        self.model = build_model(len(settings["rows"]) + 2, len(settings["lex_tags"]) + 1,
                                 settings["dim"], settings["hidden"], 0.0)
        self.model.load_state_dict(torch.load(folder / WEIGHTS))
        self.model.eval()

    def predict(self, texts: list[str], max_chars: int = 4000) -> list[list[tuple[int, int, str]]]:
        torch = _torch()
        items = [(*self.encoder.encode(t), i) for i, t in enumerate(texts) if t]
        out: list[list] = [[] for _ in texts]
        with torch.no_grad():
            for batch in batches(items, max_chars, None):
                x, lex, mask, _, lengths = tensors(batch, False)
                paths = self.model.crf.decode(self.model.emissions(x, lex, lengths), mask)
                for item, path, n in zip(batch, paths.tolist(), lengths.tolist()):
                    out[item[2]] = bio_spans([TAGS[k] for k in path[:n]])
        return out


def is_teacher(folder: Path) -> bool:
    return (folder / WEIGHTS).exists()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("build/ner_lstm"))
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors/pipeline"), help="output of kg.train.vectors")
    ap.add_argument("--lexicon", type=Path, default=Path("build/lexicon.tsv"), help="output of kg.train.lexicon")
    ap.add_argument("--dev-size", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--hidden", type=int, default=200)
    ap.add_argument("--dropout", type=float, default=0.4)
    ap.add_argument("--lr", type=float, default=0.002)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch-chars", type=int, default=1500)
    ap.add_argument("--evals-per-epoch", type=int, default=2)
    args = ap.parse_args(argv)

    torch = _torch()
    import spacy

    from kg.bench.ner import score
    from kg.nlp import embed as _embed  # noqa: F401  (registers the vectors pipeline's parts)

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    sents = [(fold_text(t), spans) for t, spans in read_bio(args.data / "ner" / "msra_train.bio")]
    dev, train = split_dev(sents, args.dev_size, "blocks", args.seed)

    vocab = spacy.load(args.vectors).vocab
    keys = list(vocab.vectors.keys())
    table = vocab.vectors.data
    rows: dict[str, int] = {}
    for key in keys:  # rows 0 (padding) and 1 (unknown) come first
        rows.setdefault(vocab.strings[key], len(rows) + 2)
    counts = Counter(s for text, _ in train for part in features(text, None)[:3] for s in part)
    for s, n in counts.items():
        if n >= 2 and s not in rows:
            rows[s] = len(rows) + 2
    lexicon = Lexicon.from_disk(args.lexicon) if args.lexicon and args.lexicon.exists() else None
    lex_tags = {f"{p}_{lab}": i + 1 for i, (p, lab) in enumerate((p, lab) for lab in LABELS for p in "BIES")}
    encoder = Encoder(rows, lex_tags, lexicon)

    dim = table.shape[1]
    model = build_model(len(rows) + 2, len(lex_tags) + 1, dim, args.hidden, args.dropout)
    with torch.no_grad():
        for key in keys:
            model.emb.weight[rows[vocab.strings[key]]] = torch.tensor(table[vocab.vectors.find(key=key)])
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    train_items = [(*encoder.encode(t), tag_ids(len(t), spans)) for t, spans in train]
    print(f"train {len(train)} sentences, dev {len(dev)}; {len(rows)} strings; lexicon {len(lexicon or [])}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    best_dir = args.out / "model-best"
    best_dir.mkdir(exist_ok=True)
    settings = {"rows": rows, "lex_tags": lex_tags, "dim": dim, "hidden": args.hidden}
    (best_dir / SETTINGS).write_text(json.dumps(settings, ensure_ascii=False), encoding="utf8")
    if lexicon is not None:
        lexicon.to_disk(best_dir / LEXICON)

    best, t0, step = -1.0, time.time(), 0
    gold = [set(spans) for _, spans in dev]
    for epoch in range(args.epochs):
        todo = batches(train_items, args.batch_chars, rng)
        marks = {len(todo) * (k + 1) // args.evals_per_epoch for k in range(args.evals_per_epoch)}
        total = 0.0
        for b, batch in enumerate(todo, 1):
            model.train()
            x, lex, mask, tags, lengths = tensors(batch, True)
            loss = model.crf.nll(model.emissions(x, lex, lengths), tags, mask)
            opt.zero_grad()
            (loss / len(batch)).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item()
            step += 1
            if b in marks:
                model.eval()
                torch.save(model.state_dict(), args.out / WEIGHTS)
                (args.out / SETTINGS).write_text(json.dumps(settings, ensure_ascii=False), encoding="utf8")
                if lexicon is not None:
                    lexicon.to_disk(args.out / LEXICON)
                pred = [set(p) for p in Teacher(args.out).predict([t for t, _ in dev])]
                f = score(gold, pred)["ALL"][2]
                print(f"epoch {epoch} batch {b}/{len(todo)} loss {total / b:.3f} dev F {f:.4f} "
                      f"({time.time() - t0:.0f}s)", flush=True)
                if f > best:
                    best = f
                    torch.save(model.state_dict(), best_dir / WEIGHTS)
    print(f"best dev F {best:.4f} -> {best_dir}")


def fold_text(text: str) -> str:
    return "".join(fold(c) for c in text)


if __name__ == "__main__":
    main()
