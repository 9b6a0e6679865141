"""Retrain every shipped model from ../shared/data with fixed seeds, then package them.

    python -m kg.train.all --data ../shared/data --work build

Steps (each also runs on its own): segmenter (spacy-pkuseg, ~1 h on one core), character
and bigram vectors (gensim, ~10 minutes), the NER's name lexicon, three teacher NERs of
different shapes trained on MSRA (spaCy, ~1 h each), their vote on unlabelled text
(`kg.train.distill`, ~10 minutes), the shipped tagging NER trained on MSRA plus that text (~1 h) and its two
member models (~1 h each), the places gazetteer; then
`kg.train.package` copies the results into kg/models/ (the NER's run-time lexicon gaining the
names of MSRA's training part). Scores are printed by kg.bench.*.
pkuseg writes ~1 GB of temporary files under TMPDIR: point it at a roomy disk.
"""
from __future__ import annotations

import argparse
from pathlib import Path


# The teachers: the shipped config trained on MSRA alone, a 64-wide hidden layer, 6 CNN layers
# of 2 maxout pieces. Different shapes make different mistakes, which is what a vote needs.
TEACHERS = {
    "ner_t32": ["training.max_steps=20000"],
    "ner_t64": ["training.max_steps=16000", "components.ner.model.hidden_width=64"],
    "ner_t6": [
        "training.max_steps=20000",
        "components.tok2vec.model.encode.depth=6",
        "components.tok2vec.model.encode.maxout_pieces=2",
    ],
}


# The NER's members: the shipped recipe with another training seed, and with the organisations'
# name-lexicon matches never hidden in training.
MEMBERS = {
    "ner_m8": ["--set", "system.seed=8"],
    "ner_morg": ["--type-dropout", "ORG=0"],
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--work", type=Path, default=Path("build"))
    args = ap.parse_args(argv)

    from kg.train import distill, finre, lexicon, ner, package, places, segmenter, vectors

    segmenter.main(["--data", str(args.data), "--out", str(args.work / "segmenter")])
    vectors.main(["--data", str(args.data), "--out", str(args.work / "vectors")])
    lexicon.main(["--data", str(args.data), "--out", str(args.work / "lexicon.tsv")])
    features = ["--vectors", str(args.work / "vectors" / "pipeline"), "--lexicon", str(args.work / "lexicon.tsv")]
    teachers = []
    for name, settings in TEACHERS.items():
        ner.main(["--data", str(args.data), "--out", str(args.work / name), *features,
                  *[a for kv in settings for a in ("--set", kv)]])
        teachers.append(str(args.work / name / "model-best"))
    distill.main(["--data", str(args.data), "--teachers", *teachers, "--out", str(args.work / "pseudo.spacy")])
    # The shipped NER tags BILUO with a softmax (kg.nlp.tagner) instead of the teachers' parser,
    # also learns from two name-replaced copies of the gold sentences (kg.train.augment), and
    # sees half of the name-lexicon matches of its training sentences hidden (kg.train.lexdrop).
    # Two more of the same recipe vote with it where it is unsure (kg.nlp.members).
    recipe = [*features, "--config", str(ner.TAG_CONFIG), "--pseudo", str(args.work / "pseudo.spacy"),
              "--augment-names", str(ner.AUGMENT_COPIES), "--lexicon-dropout", str(ner.LEXICON_DROPOUT)]
    for name, settings in {"ner": [], **MEMBERS}.items():
        ner.main(["--data", str(args.data), "--out", str(args.work / name), *recipe, *settings])
    finre.main(["--data", str(args.data), "--out", str(args.work / "finre"),
                "--vectors", str(args.work / "vectors" / "pipeline")])
    places.main(["--data", str(args.data)])
    package.main(["--segmenter", str(args.work / "segmenter" / "model"),
                  "--ner", str(args.work / "ner" / "model-best"),
                  "--members", *[str(args.work / name / "model-best") for name in MEMBERS],
                  "--finre", str(args.work / "finre" / "model-best"), "--data", str(args.data)])


if __name__ == "__main__":
    main()
