"""Build the NER's name lexicon (see kg.nlp.lexicon) from ../shared/data.

    python -m kg.train.lexicon --data ../shared/data --out build/lexicon.tsv

Sources: People's Daily January 1998 (nr person names, surname and given name joined; ns
places; nt organisations), CLUENER train (name; organization/company/government; scene; not
the fifth that `kg.bench.cluener` holds out, so that score is one on names the model has not
been told of), and the province/city/county names. The MSRA NER data (the model's own training and test sets)
is never read, nor the MSR segmentation corpus: most MSRA NER training sentences are also in
it, so names harvested from it would make the lexicon cover the training data far better than
new text (the model then over-trusts it: +2.5 F on the dev split, nothing on test). A name
listed with two types keeps the more frequent one.

`training_names` is the other list a shipped model reads, at run time only: the names MSRA's
training part (the dev split held out) marks nearly everywhere its text writes them.
`kg.train.package --data` adds them to the packaged model's lexicon. The model never trains
with them, so it keeps reading a match as a hint; at run time they give the boundaries of names
it has learnt, which it otherwise reads from context alone (张骞|进, 王之|涣).

With `--words N`, the lexicon also lists the common words of People's Daily January 1998
(written N times or more, two characters or longer, not a name, a number, a time or
punctuation) with the type W: each character then also learns where a dictionary word would
put it (the word-boundary information the segmenter has), and a name is not found inside a
longer word (中国 in 发展中国家).
"""
from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

from kg.nlp.chars import fold
from kg.nlp.lexicon import MAX_LEN, MIN_LEN, Lexicon

CLUENER = {"name": "PER", "organization": "ORG", "company": "ORG", "government": "ORG", "scene": "LOC"}
PD = {"ns": "LOC", "nt": "ORG"}


def norm_name(name: str) -> str:
    return "".join(fold(c) for c in name.strip())


NOT_WORDS = {"nr", "ns", "nt", "nz", "m", "t", "w", "x"}  # names, numbers, times, punctuation


def collect(data: Path, word_count: int = 0) -> Lexicon:
    votes: dict[str, Counter] = defaultdict(Counter)
    words: Counter = Counter()  # People's Daily's other words, for `--words`
    for line in open(data / "seg" / "pd1998-01.pos.txt", encoding="utf8"):
        toks = [t.rpartition("/") for t in line.split()]
        i = 0
        while i < len(toks):
            word, _, tag = toks[i]
            if tag == "nr":  # 江/nr 泽民/nr -> 江泽民
                j = i + 1
                while j < len(toks) and toks[j][2] == "nr" and j - i < 2:
                    word += toks[j][0]
                    j += 1
                votes[norm_name(word)]["PER"] += 1
                i = j
                continue
            if tag in PD:
                votes[norm_name(word)][PD[tag]] += 1
            elif tag not in NOT_WORDS:
                words[norm_name(word)] += 1
            i += 1
    from kg.train.distill import cluener_split

    for rec in cluener_split(data)[0]:
        for typ, surfaces in rec.get("label", {}).items():
            if typ in CLUENER:
                for s in surfaces:
                    votes[norm_name(s)][CLUENER[typ]] += 1
    for name in ("provinces.csv", "cities.csv", "areas.csv"):
        path = data / "geo" / name
        if path.exists():
            with open(path, encoding="utf8") as f:
                for row in csv.DictReader(f):
                    if row.get("name"):
                        votes[norm_name(row["name"])]["LOC"] += 1
    names = {
        name: c.most_common(1)[0][0]
        for name, c in votes.items()
        if MIN_LEN <= len(name) <= MAX_LEN
    }
    if word_count:
        for word, n in words.items():
            if n >= word_count and MIN_LEN <= len(word) <= MAX_LEN:
                names.setdefault(word, "W")  # a name keeps its type
    return Lexicon(names)


# A training-part name joins the run-time lexicon if MSRA marks it, with its commonest type, at
# this share of the places the training text writes it, inside longer words and names too
# (中心, 共和, 北京 of 北京市 stay out). On the dev split 0.7-0.95 read the same (0.9172-0.9174
# through the pipeline, from 0.9153); counting only the places outside longer names, 0.9166.
TRAINING_NAME_SHARE = 0.8


def training_names(sents: list, min_share: float = TRAINING_NAME_SHARE) -> dict[str, str]:
    """{name: type} of the names in `sents` ((text, [(start, end, label)]), as
    kg.train.ner.read_bio gives them) that are marked as that type at `min_share` or more of the
    places the texts write them; folded as the lexicon folds."""
    types: dict[str, Counter] = defaultdict(Counter)
    for text, spans in sents:
        for s, e, label in spans:
            if MIN_LEN <= e - s <= MAX_LEN:
                types[norm_name(text[s:e])][label] += 1
    written: Counter = Counter()  # every place the text writes it, inside longer names too
    for text, _ in sents:
        text = "".join(fold(c) for c in text)
        for i in range(len(text) - MIN_LEN + 1):
            for length in range(MIN_LEN, min(MAX_LEN, len(text) - i) + 1):
                piece = text[i : i + length]
                if piece in types:
                    written[piece] += 1
    out = {}
    for name, counts in types.items():
        label, n = counts.most_common(1)[0]
        if n >= min_share * written[name]:
            out[name] = label
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("build/lexicon.tsv"))
    ap.add_argument("--words", type=int, default=0, metavar="N",
                    help="also list common words written N times or more, as type W (0: names only)")
    args = ap.parse_args(argv)
    lex = collect(args.data, args.words)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    lex.to_disk(args.out)
    print(f"{len(lex)} names -> {args.out}: {Counter(lex.names.values())}")


if __name__ == "__main__":
    main()
