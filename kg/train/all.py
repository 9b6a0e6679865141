"""Retrain every shipped model from ../shared/data with fixed seeds, then package them.

    python -m kg.train.all --data ../shared/data --work build

Steps (each also runs on its own): segmenter (spacy-pkuseg, ~1 h on one core), character
and bigram vectors (gensim, ~10 minutes), the NER's name lexicon, NER (spaCy, ~1-2 h), the
places gazetteer; then
`kg.train.package` copies the results into kg/models/. Scores are printed by kg.bench.*.
pkuseg writes ~1 GB of temporary files under TMPDIR: point it at a roomy disk.
"""
from __future__ import annotations

import argparse
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--work", type=Path, default=Path("build"))
    args = ap.parse_args(argv)

    from kg.train import finre, lexicon, ner, package, places, segmenter, vectors

    segmenter.main(["--data", str(args.data), "--out", str(args.work / "segmenter")])
    vectors.main(["--data", str(args.data), "--out", str(args.work / "vectors")])
    lexicon.main(["--data", str(args.data), "--out", str(args.work / "lexicon.tsv")])
    ner.main(["--data", str(args.data), "--out", str(args.work / "ner"),
              "--vectors", str(args.work / "vectors" / "pipeline"),
              "--lexicon", str(args.work / "lexicon.tsv")])
    finre.main(["--data", str(args.data), "--out", str(args.work / "finre"),
                "--vectors", str(args.work / "vectors" / "pipeline")])
    places.main(["--data", str(args.data)])
    package.main(["--segmenter", str(args.work / "segmenter" / "model"),
                  "--ner", str(args.work / "ner" / "model-best"),
                  "--finre", str(args.work / "finre" / "model-best")])


if __name__ == "__main__":
    main()
