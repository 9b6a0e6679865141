"""Train the spacy-pkuseg word segmenter on People's Daily (PKU standard).

    python -m kg.train.segmenter --data ../shared/data --out build/segmenter

Writes the pkuseg model of the best dev iteration to OUT/model (features.msgpack, weights.npz)
and the words the training part always writes whole (joins.txt, see kg.nlp.words).
`--joins-only` writes just joins.txt, for a model trained before. pkuseg writes ~1 GB of temporary files under TMPDIR: give each run its own.
"""
from __future__ import annotations

import argparse
import configparser
import os
import random
import shutil
import time
from collections import Counter
from pathlib import Path

from kg.nlp.words import JOIN_MAX_LEN, JOINS_FILE

CONFIG = Path(__file__).parent / "configs" / "segmenter.cfg"


def read_words(path: Path) -> list[list[str]]:
    """Sentences as word lists; `word/TAG` tokens lose their tag."""
    sents = []
    with open(path, encoding="utf8") as f:
        for line in f:
            words = []
            for tok in line.split():
                if "/" in tok and not tok.startswith("/"):
                    tok = tok.rsplit("/", 1)[0]
                if tok:
                    words.append(tok)
            if words:
                sents.append(words)
    return sents


def split_corpus(data: Path, cfg: configparser.ConfigParser) -> tuple[list[list[str]], list[list[str]]]:
    sents: list[list[str]] = []
    for rel in cfg["data"]["train"].split():
        sents.extend(read_words(data / rel))
    rng = random.Random(cfg["data"].getint("seed"))
    order = list(range(len(sents)))
    rng.shuffle(order)
    n_dev = cfg["data"].getint("dev_lines")
    dev = [sents[i] for i in order[:n_dev]]
    train = [sents[i] for i in order[n_dev:]]
    return train, dev


def write_lines(sents: list[list[str]], path: Path) -> None:
    with open(path, "w", encoding="utf8") as f:
        for words in sents:
            f.write(" ".join(words) + "\n")


# A training word joins two predicted words only if the corpus writes it whole at least this
# many times as often as split at any one point (chosen on held-out text from another month).
JOIN_RATIO = 30


def always_joined(sentences) -> list[str]:
    """Words of 2-4 characters that the training sentences (word lists) write whole at least
    JOIN_RATIO times as often as split in two at any point: pkuseg sometimes splits a word it
    was trained on (a CRF decides from local features), and gluing such a pair back is what
    the corpus convention says (measured +0.03 to +0.10 F on another month's text)."""
    whole: Counter = Counter()
    pairs: Counter = Counter()
    for words in sentences:
        whole.update(w for w in words if 2 <= len(w) <= JOIN_MAX_LEN)
        pairs.update(zip(words, words[1:]))
    return sorted(
        w for w, n in whole.items()
        if all(pairs[(w[:i], w[i:])] * JOIN_RATIO < n for i in range(1, len(w)))
    )


def write_joins(train_sents: list[list[str]], model_dir: Path) -> None:
    joins = always_joined(train_sents)
    (model_dir / JOINS_FILE).write_text("\n".join(joins) + "\n", encoding="utf8")
    print(f"{len(joins)} always-joined words -> {model_dir / JOINS_FILE}", flush=True)


def train(data: Path, out: Path, cfg_path: Path = CONFIG, joins_only: bool = False) -> float:
    cfg = configparser.ConfigParser()
    cfg.read(cfg_path, encoding="utf8")
    if joins_only:
        (out / "model").mkdir(parents=True, exist_ok=True)
        write_joins(split_corpus(data, cfg)[0], out / "model")
        return float("nan")
    random.seed(cfg["data"].getint("seed"))
    import numpy as np

    np.random.seed(cfg["data"].getint("seed"))
    from spacy_pkuseg import trainer as pk_trainer
    from spacy_pkuseg.config import config
    from spacy_pkuseg.data import DataSet
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    out.mkdir(parents=True, exist_ok=True)
    work = out / "work"
    work.mkdir(exist_ok=True)
    train_sents, dev_sents = split_corpus(data, cfg)
    write_lines(train_sents, work / "train.txt")
    write_lines(dev_sents, work / "dev.txt")
    print(f"train {len(train_sents)} lines, dev {len(dev_sents)} lines", flush=True)

    config.featureTrim = cfg["train"].getint("feature_trim")
    config.weightRegMode = cfg["train"]["regularisation"]
    config.nThread = 1
    config.trainFile = str(work / "train.txt")
    config.testFile = str(work / "dev.txt")
    config.init_model = None
    model_dir = out / "model"
    model_dir.mkdir(exist_ok=True)
    config.modelDir = str(model_dir)
    os.makedirs(config.outDir, exist_ok=True)

    fx = FeatureExtractor()
    fx.build(config.trainFile)
    fx.save(str(model_dir))
    fx.convert_text_file_to_feature_file(config.trainFile, config.c_train, config.f_train)
    fx.convert_text_file_to_feature_file(config.testFile, config.c_test, config.f_test)
    fx.convert_feature_file_to_idx_file(config.f_train, config.fFeatureTrain, config.fGoldTrain)
    fx.convert_feature_file_to_idx_file(config.f_test, config.fFeatureTest, config.fGoldTest)
    config.globalCheck()
    config.swLog = open(work / "log.txt", "w")
    config.swResRaw = open(work / "raw.txt", "w")
    config.swTune = open(work / "tune.txt", "w")
    trainset = DataSet.load(config.fFeatureTrain, config.fGoldTrain)
    devset = DataSet.load(config.fFeatureTest, config.fGoldTest)
    print(f"{len(fx.feature_to_idx)} features", flush=True)

    tr = pk_trainer.Trainer(config, trainset, fx)
    best = -1.0
    for i in range(cfg["train"].getint("iterations")):
        t0 = time.time()
        tr.train_epoch()
        score = tr.test(devset, i)[0]
        print(f"iter {i + 1}: dev F {score:.2f}  ({time.time() - t0:.0f}s)", flush=True)
        if score > best:
            best = score
            tr.model.save(str(model_dir))
    shutil.rmtree(config.tempFile, ignore_errors=True)
    write_joins(train_sents, model_dir)
    print(f"best dev F {best:.2f}; model in {model_dir}", flush=True)
    return best


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("build/segmenter"))
    ap.add_argument("--config", type=Path, default=CONFIG)
    ap.add_argument("--joins-only", action="store_true", help="only write OUT/model/joins.txt")
    args = ap.parse_args(argv)
    train(args.data, args.out, args.config, args.joins_only)


if __name__ == "__main__":
    main()
