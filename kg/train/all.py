"""Retrain every shipped model from ../shared/data with fixed seeds, then package them.

    python -m kg.train.all --data ../shared/data --work build

Steps (each also runs on its own): segmenter (spacy-pkuseg, ~1 h on one core), character
and bigram vectors (gensim, ~10 minutes), the NER's name lexicon, five teacher NERs trained on
MSRA (three spaCy NERs of different shapes, ~1 h each; two BiLSTM-CRFs, PyTorch, ~15 and ~40
minutes), their vote on unlabelled text (`kg.train.distill`, ~15 minutes), the shipped NER
trained on MSRA plus that text (~1.5 h), the places gazetteer; then
`kg.train.package` copies the results into kg/models/. Scores are printed by kg.bench.*.
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

# Two BiLSTM-CRF teachers (kg.train.bilstm, PyTorch): they read the whole sentence, so they err
# where the CNNs do not. Epochs as run: the best dev epoch of each was the 2nd and the 5th.
LSTM_TEACHERS = {
    "ner_lstm_a": ["--seed", "7", "--hidden", "200", "--dropout", "0.4", "--epochs", "2"],
    "ner_lstm_b": ["--seed", "8", "--hidden", "256", "--dropout", "0.5", "--epochs", "5"],
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--work", type=Path, default=Path("build"))
    args = ap.parse_args(argv)

    from kg.train import bilstm, distill, finre, lexicon, ner, package, places, segmenter, vectors

    segmenter.main(["--data", str(args.data), "--out", str(args.work / "segmenter")])
    vectors.main(["--data", str(args.data), "--out", str(args.work / "vectors")])
    lexicon.main(["--data", str(args.data), "--out", str(args.work / "lexicon.tsv")])
    features = ["--vectors", str(args.work / "vectors" / "pipeline"), "--lexicon", str(args.work / "lexicon.tsv")]
    teachers = []
    for name, settings in TEACHERS.items():
        ner.main(["--data", str(args.data), "--out", str(args.work / name), *features,
                  *[a for kv in settings for a in ("--set", kv)]])
        teachers.append(str(args.work / name / "model-best"))
    for name, settings in LSTM_TEACHERS.items():
        bilstm.main(["--data", str(args.data), "--out", str(args.work / name), *features, *settings])
        teachers.append(str(args.work / name / "model-best"))
    distill.main(["--data", str(args.data), "--teachers", *teachers, "--out", str(args.work / "pseudo.spacy")])
    ner.main(["--data", str(args.data), "--out", str(args.work / "ner"), *features,
              "--pseudo", str(args.work / "pseudo.spacy")])
    finre.main(["--data", str(args.data), "--out", str(args.work / "finre"),
                "--vectors", str(args.work / "vectors" / "pipeline")])
    places.main(["--data", str(args.data)])
    package.main(["--segmenter", str(args.work / "segmenter" / "model"),
                  "--ner", str(args.work / "ner" / "model-best"),
                  "--finre", str(args.work / "finre" / "model-best")])


if __name__ == "__main__":
    main()
