"""Label unlabelled news text with a vote of several NER models, for training one model on it.

    python -m kg.train.distill --data ../shared/data --teachers build/ner_t32/model-best \
        build/ner_t64/model-best build/ner_t6/model-best --out build/pseudo.spacy

Three models trained on MSRA with different architectures agree better than any one of them
(block dev split: 0.895 each, 0.907 by majority vote), but running three costs three times the
time. So the vote labels text the NER never saw in training, and `kg.train.ner --pseudo` adds it
to MSRA's training part: the shipped model learns from the vote and runs at the cost of one.

The text: the MSR segmentation corpus (the half that is not also MSRA NER training text), the
People's Daily of January and February 1998 and the DuEE sentences, split into sentences the
way the pipeline splits them. A sentence that shares a 20-character stretch with MSRA's
training or test file is left out: the training part has gold labels already, and no test
sentence may be trained on (the test file is read for that only).

Each sentence keeps the names that a majority of teachers found. Characters inside a name
that only a minority found are left *unlabelled* (spaCy's missing annotation), so the model is
neither taught the name nor taught that it is not one.

With `--cluener`, CLUENER2020's sentences of the 2010s (all but a held-out fifth, which
`kg.bench.cluener` scores) are added too: the vote labels them, and CLUENER's own people and
organisations replace whatever of the vote they overlap (the 1990s teachers read 苏宁 as a
person). Its places keep the vote, as CLUENER marks whole addresses where MSRA marks each place.

With `--soft` (tagging teachers only, `kg.nlp.tagner`) each sentence also carries the teachers'
average tag distribution per character, which a tagging student learns in place of the vote:
how sure the teachers were, and which other reading they weighed.

With `--min-prob P` (tagging teachers; one is enough) the names are the best path through the
teachers' mean tag distributions, and where the teachers are unsure the text is left
unlabelled as a minority name is under the vote: a name whose least sure character has its tag
below P, and any other character whose "outside" is below P.
"""
from __future__ import annotations

import argparse
import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from kg.nlp.sentences import split_sentences
from kg.train.ner import read_bio

WINDOW = 20  # a shared stretch this long marks a sentence as overlapping
MIN_CHARS, MAX_CHARS = 6, 300
Span = tuple[int, int, str]


def stretches(text: str) -> Iterator[int]:
    """Hashes of the WINDOW-character stretches of text, NFKC (the whole text when shorter)."""
    text = unicodedata.normalize("NFKC", text)
    if len(text) <= WINDOW:
        yield hash(text)
        return
    for i in range(len(text) - WINDOW + 1):
        yield hash(text[i : i + WINDOW])


def raw_lines(data: Path) -> Iterator[str]:
    """Paragraphs of the unlabelled text sources, words joined back together."""
    seg = data / "seg"
    for line in open(seg / "msr_training.utf8", encoding="utf8"):
        yield "".join(line.split())
    for line in open(seg / "pd1998-01.pos.txt", encoding="utf8"):
        yield "".join(t.rpartition("/")[0] for t in line.split())
    for line in open(seg / "pd1998-02.seg.txt", encoding="utf8"):
        yield "".join(line.split())
    for line in open(data / "unlabeled" / "duee_test1.jsonl", encoding="utf8"):
        yield json.loads(line)["text"]


def unlabelled_sentences(data: Path, exclude: Iterable[str]) -> list[str]:
    """Distinct sentences of `raw_lines` that share no stretch with any `exclude` text."""
    seen: set[int] = set()
    for text in exclude:
        seen.update(stretches(text))
    out = []
    for line in raw_lines(data):
        for s, e in split_sentences(line):
            sent = line[s:e]
            if not MIN_CHARS <= len(sent) <= MAX_CHARS or not any("\u4e00" <= c <= "\u9fff" for c in sent):
                continue
            hashes = list(stretches(sent))
            if any(h in seen for h in hashes):
                continue
            seen.update(hashes)  # also drops repeats within the sources
            out.append(sent)
    return out


def vote(predictions: list[list[Span]]) -> tuple[list[Span], list[tuple[int, int]]]:
    """(names a majority found, spans of names only a minority found that overlap no majority name)."""
    counts = Counter(span for pred in predictions for span in set(pred))
    need = len(predictions) // 2 + 1
    kept = sorted(span for span, n in counts.items() if n >= need)
    taken = {i for s, e, _ in kept for i in range(s, e)}
    unsure = sorted(
        (s, e) for (s, e, _), n in counts.items() if n < need and not any(i in taken for i in range(s, e))
    )
    missing: list[tuple[int, int]] = []
    for s, e in unsure:  # minority names of different models may overlap: join them
        if missing and s < missing[-1][1]:
            missing[-1] = (missing[-1][0], max(e, missing[-1][1]))
        else:
            missing.append((s, e))
    return kept, missing


# CLUENER2020's people and organisations, in MSRA's labels. Its places (address, scene) follow
# other conventions (a whole postal address is one span) and stay with the teachers' vote.
CLUENER_LABELS = {"name": "PER", "company": "ORG", "organization": "ORG", "government": "ORG"}
CLUENER_HELD_OUT, CLUENER_SEED = 0.2, 5  # the share kg.bench.cluener scores, never trained on


def cluener_split(data: Path) -> tuple[list[dict], list[dict]]:
    """(training rows, held-out rows) of CLUENER's training file, a seeded fifth held out."""
    import random

    with open(data / "ner" / "cluener_train.jsonl", encoding="utf8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    order = list(range(len(rows)))
    random.Random(CLUENER_SEED).shuffle(order)
    held = set(order[: int(len(rows) * CLUENER_HELD_OUT)])
    return [r for i, r in enumerate(rows) if i not in held], [rows[i] for i in sorted(held)]


def cluener_spans(row: dict) -> list[Span]:
    """A row's people and organisations as (start, end, PER|ORG); of overlapping ones the longer."""
    spans = {
        (s, e + 1, CLUENER_LABELS[typ])
        for typ, surfaces in row.get("label", {}).items() if typ in CLUENER_LABELS
        for found in surfaces.values() for s, e in found
    }
    kept: list[Span] = []
    for s, e, lab in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):
        if not any(s < e2 and s2 < e for s2, e2, _ in kept):
            kept.append((s, e, lab))
    return sorted(kept)


def over_gold(kept: list[Span], missing: list[tuple[int, int]], gold: list[Span]):
    """The vote's names and unlabelled spans with every one that overlaps a gold name replaced by
    the gold names: (names, unlabelled spans)."""
    cover = {i for s, e, _ in gold for i in range(s, e)}
    names = [x for x in kept if not cover.intersection(range(x[0], x[1]))]
    return sorted(names + gold), [x for x in missing if not cover.intersection(range(x[0], x[1]))]


def _load(model_dir: Path):
    """A trained NER pipeline, ready to predict on one core."""
    import spacy

    from kg.nlp import chars as _chars  # noqa: F401  (registers the tokenizer)
    from kg.nlp import embed as _embed  # noqa: F401  (registers the embedding)
    from kg.nlp import tagner as _tagner  # noqa: F401  (a tagging NER may teach too)
    from kg.nlp.ops import use_openblas

    nlp = spacy.load(model_dir)
    use_openblas(nlp)
    return nlp


def predict(model_dir: Path, texts: list[str], batch_size: int = 128) -> list[list[Span]]:
    nlp = _load(model_dir)
    return [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in nlp.pipe(texts, batch_size=batch_size)
    ]


def predict_probs(model_dir: Path, texts: list[str], batch_size: int = 128) -> tuple[list[str], list]:
    """(tag names, an (n_chars, n_tags) float32 array of probabilities per text) of a tagging NER."""
    import numpy as np
    from spacy.util import minibatch

    from kg.nlp.tagner import TagNER

    nlp = _load(model_dir)
    ner = nlp.get_pipe("ner")
    if not isinstance(ner, TagNER):
        raise SystemExit(f"{model_dir}: --soft needs tagging teachers (kg_tag_ner), not {type(ner).__name__}")
    tok2vec = nlp.get_pipe("tok2vec")
    out = []
    for batch in minibatch(texts, batch_size):
        docs = list(tok2vec.pipe(nlp.make_doc(t) for t in batch))
        for logits in ner.model.predict(docs):  # unnormalised at prediction time
            z = np.exp(logits - logits.max(1, keepdims=True))
            out.append((z / z.sum(1, keepdims=True)).astype("float32"))
    return list(ner.labels), out


def confident_spans(tags: list[str], probs: list, min_prob: float) -> list[tuple[list[Span], list[tuple[int, int]]]]:
    """Per text, (names of the best valid path through `probs`, unsure stretches to leave
    unlabelled): a name is unsure when one of its characters' tags has probability below
    `min_prob`; a character outside the names, when its O has."""
    import numpy as np

    from kg.nlp.tagner import spans_of

    o = tags.index("O")
    paths = _best_paths(tags, probs)
    out = []
    for path, p in zip(paths, probs):
        sure = p[np.arange(len(path)), path] >= min_prob
        kept, missing = [], []
        for s, e, label in spans_of(path, tags):
            if sure[s:e].all():
                kept.append((s, e, label))
            else:
                missing.append((s, e))
        for i in np.flatnonzero((path == o) & ~sure).tolist():
            missing.append((i, i + 1))
        joined: list[tuple[int, int]] = []
        for s, e in sorted(missing):  # neighbouring unsure pieces make one stretch
            if joined and s <= joined[-1][1]:
                joined[-1] = (joined[-1][0], max(e, joined[-1][1]))
            else:
                joined.append((s, e))
        out.append((sorted(kept), joined))
    return out


def to_docbin(
    texts: list[str],
    predictions: list[list[list[Span]]],
    soft: tuple[list[str], list] | None = None,
    gold: list[list[Span]] | None = None,
    labelled: list[tuple[list[Span], list[tuple[int, int]]]] | None = None,
):
    """A DocBin of character Docs with the voted names and the unlabelled minority spans
    (and, given `soft`, the tag names and each text's distribution as soft targets; given
    `gold`, names per text that replace whatever of the vote they overlap; given `labelled`,
    (names, unlabelled spans) per text in place of the vote)."""
    import spacy
    from spacy.tokens import DocBin

    from kg.nlp import chars as _chars  # noqa: F401
    from kg.nlp.tagner import set_soft_targets

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.CharTokenizer.v1"}}})
    db = DocBin(store_user_data=soft is not None)
    for i, text in enumerate(texts):
        kept, missing = labelled[i] if labelled is not None else vote([pred[i] for pred in predictions])
        if gold is not None:
            kept, missing = over_gold(kept, missing, gold[i])
        doc = nlp.make_doc(text)
        doc.set_ents(
            [doc.char_span(s, e, label=lab) for s, e, lab in kept],
            missing=[doc.char_span(s, e) for s, e in missing],
            default="outside",
        )
        if soft is not None:
            set_soft_targets(doc, soft[0], soft[1][i])
        db.add(doc)
    return db


def _best_paths(tags: list[str], probs: list) -> list:
    """The best valid BILUO tag index path through each text's distributions."""
    import numpy as np

    from kg.nlp.tagner import _constraints, decode

    return decode([np.log(np.maximum(p, 1e-12)) for p in probs], *_constraints(tags))


def spans_from_probs(tags: list[str], probs: list) -> list[list[Span]]:
    """The names a tagging NER finds from its own distributions (its best valid BILUO path)."""
    from kg.nlp.tagner import spans_of

    return [spans_of(path, tags) for path in _best_paths(tags, probs)]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--teachers", type=Path, nargs="+", required=True, help="NER pipeline folders (an odd number)")
    ap.add_argument("--out", type=Path, default=Path("build/pseudo.spacy"))
    ap.add_argument("--soft", action="store_true", help="store the teachers' mean tag distributions too (tagging teachers)")
    ap.add_argument(
        "--cluener",
        action="store_true",
        help="add CLUENER's sentences (all but the held-out fifth) with its people and organisations over the vote",
    )
    ap.add_argument(
        "--min-prob",
        type=float,
        help="label by the tagging teachers' mean distributions, leaving tags less sure than this unlabelled",
    )
    args = ap.parse_args(argv)
    if args.min_prob is not None and (args.soft or args.cluener):
        raise SystemExit("--min-prob goes with neither --soft nor --cluener")

    exclude = [text for name in ("msra_train.bio", "msra_test.bio") for text, _ in read_bio(args.data / "ner" / name)]
    texts = unlabelled_sentences(args.data, exclude)
    gold = None
    if args.cluener:
        if args.soft:
            raise SystemExit("--cluener and --soft do not go together")
        skip = {h for text in exclude for h in stretches(text)}
        rows = [r for r in cluener_split(args.data)[0] if not any(h in skip for h in stretches(r["text"]))]
        gold = [[] for _ in texts] + [cluener_spans(r) for r in rows]
        texts += [r["text"] for r in rows]
        print(f"{len(rows)} CLUENER sentences with their people and organisations", flush=True)
    n_chars = sum(map(len, texts))
    print(f"{len(texts)} unlabelled sentences, {n_chars} characters", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)  # the teachers' caches go there too
    predictions = []
    soft_tags, soft_sum = None, None
    for teacher in args.teachers:
        # Each teacher's labels are kept beside the output, so a rerun (another vote, a crash)
        # does not predict again; a cache only counts for the same sentences.
        cache = args.out.parent / f"{args.out.stem}.{teacher.parent.name}-{teacher.name}.json"
        cached = json.loads(cache.read_text(encoding="utf8")) if cache.exists() else None
        fresh = bool(cached) and cached["texts"] == len(texts) and cached["chars"] == n_chars
        if args.soft or args.min_prob is not None:  # distributions are not cached: the teacher runs once for them and its names
            tags, probs = predict_probs(teacher, texts)
            pred = spans_from_probs(tags, probs)
            if soft_tags is None:
                soft_tags, soft_sum = tags, probs
            elif tags != soft_tags:
                raise SystemExit(f"{teacher}: tags {tags} differ from the first teacher's {soft_tags}")
            else:
                for acc, p in zip(soft_sum, probs):
                    acc += p
            del probs
        elif fresh:
            pred = [[tuple(span) for span in spans] for spans in cached["spans"]]
        else:
            pred = predict(teacher, texts)
        if not fresh:
            cache.write_text(json.dumps({"texts": len(texts), "chars": n_chars, "spans": pred}))
        predictions.append(pred)
        print(f"{teacher}: {sum(map(len, pred))} names", flush=True)
    mean = (soft_tags, [acc / len(args.teachers) for acc in soft_sum]) if soft_sum is not None else None
    labelled = confident_spans(*mean, args.min_prob) if args.min_prob is not None else None
    if labelled is not None:
        print(f"{sum(len(k) for k, _ in labelled)} sure names, {sum(len(m) for _, m in labelled)} unsure stretches", flush=True)
    to_docbin(texts, predictions, mean if args.soft else None, gold, labelled).to_disk(args.out)
    print(f"-> {args.out}", flush=True)


if __name__ == "__main__":
    main()
