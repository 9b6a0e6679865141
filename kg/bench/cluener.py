"""How `kg entities` reads modern names: CLUENER's people and organisations, by type.

    python -m kg.bench.cluener --data ../shared/data [--limit N]

The NER learnt from 1990s news (MSRA, People's Daily); CLUENER2020 is news of the 2010s with
fine-grained types. For each CLUENER person (`name`) and organisation (`company`,
`organization`, `government`) this prints the share that `kg entities` finds with exactly that
span and the matching label (PER or ORG), the share found with another label, and the share
missed. CLUENER marks no places the MSRA way and leaves many names of other kinds unmarked, so
only recall is measured.

Only the held-out fifth of CLUENER's training file is scored (`kg.train.distill.cluener_split`;
`kg.train.distill --cluener` trains on the rest), and the NER runs with that fifth's names taken
out of its name lexicon: `kg.train.lexicon` leaves them out, but a model built before it did
still lists them (the shipped model's list had them: people 0.947 with them, 0.812 without).
The figures still read somewhat high, since the vectors read all of CLUENER's text and such a
model's name-replaced training copies (`kg.train.augment`) drew names from that list. They are
a yardstick for modern names across versions, not a test score. The second block: the names
that no source of the lexicon lists. With `--listed`, the held-out names are given as a user's
list (`kg build --names`): the best such a list can do.
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Collection

from kg.nlp.chars import LEXICON_FILE
from kg.nlp.lexicon import Lexicon
from kg.train.distill import CLUENER_LABELS as LABEL_OF
from kg.train.distill import cluener_split
from kg.train.lexicon import CLUENER, collect, norm_name


def without_held_out(lexicon: Lexicon, rows: list[dict], listed: Collection[str] = ()) -> Lexicon:
    """`lexicon` less the names of `rows` that `kg.train.lexicon` would take from them, except
    those it `listed` from its other sources (People's Daily, CLUENER's other rows, the places)."""
    held = {norm_name(name) for r in rows for typ, d in r.get("label", {}).items() if typ in CLUENER for name in d}
    held -= set(listed)
    return Lexicon({name: label for name, label in lexicon.names.items() if name not in held})


def tally(rows: list[dict], found: list[list]) -> dict[str, Counter]:
    """Per CLUENER type: Counter of 'exact', 'missed' and 'as LABEL' (another label, same span)."""
    out: dict[str, Counter] = {typ: Counter() for typ in LABEL_OF}
    for row, ents in zip(rows, found):
        by_span = {(e.start, e.end): e.label for e in ents}
        for typ, surfaces in row.get("label", {}).items():
            if typ not in LABEL_OF:
                continue
            for spans in surfaces.values():
                for start, last in spans:
                    label = by_span.get((start, last + 1))
                    key = "exact" if label == LABEL_OF[typ] else ("missed" if label is None else f"as {label}")
                    out[typ][key] += 1
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--limit", type=int, default=0, help="read only the first N sentences")
    ap.add_argument("--ner", type=Path, help="a trained NER folder to score in place of the shipped one")
    ap.add_argument("--listed", action="store_true",
                    help="give the held-out names as a user's list (kg build --names): what such a list brings")
    args = ap.parse_args(argv)

    rows = cluener_split(args.data)[1]
    if args.limit:
        rows = rows[: args.limit]
    texts = [r["text"] for r in rows]
    ner_dir = args.ner or Path(__file__).resolve().parents[1] / "models" / "ner"
    lexicon = without_held_out(Lexicon.from_disk(ner_dir / "tokenizer" / LEXICON_FILE), rows, collect(args.data).names)
    unseen = [
        {"text": r["text"], "label": {t: {k: v for k, v in d.items() if norm_name(k) not in lexicon.names} for t, d in r["label"].items()}}
        for r in rows
    ]
    names = None
    if args.listed:
        from kg.names import Names

        names = Names(model={k: LABEL_OF[t] for r in rows for t, d in r["label"].items() if t in LABEL_OF for k in d},
                      digest="held-out")
    if args.ner:
        import tempfile

        from kg.bench.ner_dev import pipeline_with

        with tempfile.TemporaryDirectory() as tmp:
            pipe = pipeline_with(args.ner, Path(tmp) / "models")
            pipe.ner.tokenizer.lexicon = lexicon
            found = list(pipe.entities(texts, names=names))
    else:
        from kg.nlp.pipeline import load

        pipe = load()
        pipe.ner.tokenizer.lexicon = lexicon
        found = list(pipe.entities(texts, names=names))
    for title, part in ((f"{len(rows)} held-out CLUENER sentences", rows), ("names the NER's lexicon lacks", unseen)):
        print(title)
        for typ, counts in tally(part, found).items():
            total = sum(counts.values())
            shares = "  ".join(f"{k} {v / total:.3f}" for k, v in counts.most_common())
            print(f"  {typ:13} ({LABEL_OF[typ]}) {total:6d}  {shares}")


if __name__ == "__main__":
    main()
