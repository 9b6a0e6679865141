"""Assemble trained models into the pipelines shipped in `kg/models/`.

    python -m kg.train.package --segmenter build/segmenter/model --ner build/ner/model-best \
        --finre build/finre/model-best --data ../shared/data

With `--data`, the packaged NER's name lexicon also lists the names of MSRA's training part
(`kg.train.lexicon.training_names`; the dev split held out, so `kg.bench.ner_dev` stays a score
on unseen text).
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import spacy

from kg.nlp.words import PkusegTokenizer, shrink_model
from kg.nlp.pipeline import MODELS


def package_words(pkuseg_dir: Path, dest: Path) -> None:
    """A spaCy `zh` pipeline whose tokenizer is the trained pkuseg model (weights as float16)."""
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.PkusegTokenizer.v1"}}})
    assert isinstance(nlp.tokenizer, PkusegTokenizer)
    nlp.to_disk(tmp)
    shrink_model(pkuseg_dir, tmp / "tokenizer")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


def package_ner(model_dir: Path, dest: Path) -> None:
    """Copy the trained NER; training-time file paths in its config become null.

    The lexicon and vectors travel inside the pipeline folder, so the paths that pointed at
    them (and at the training data) mean nothing on a user's machine.
    """
    from thinc.api import Config

    from kg.nlp.auxseg import AuxSeg

    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp = spacy.load(model_dir)
    for name in [n for n, pipe in nlp.components if isinstance(pipe, AuxSeg)]:
        nlp.remove_pipe(name)  # a training aid for the shared tok2vec (kg.nlp.auxseg)
    for _, pipe in nlp.components:
        # a prediction cache that older code kept in the attrs, and so in the saved weights
        for node in pipe.model.walk() if hasattr(pipe, "model") else ():
            node.attrs.pop("projected", None)
    nlp.to_disk(tmp)
    cfg = Config().from_disk(tmp / "config.cfg", interpolate=False)
    for key in list(cfg["paths"]):
        cfg["paths"][key] = None
    if "lexicon_path" in cfg["nlp"]["tokenizer"]:
        cfg["nlp"]["tokenizer"]["lexicon_path"] = None
    cfg.to_disk(tmp / "config.cfg")
    if "ner" in nlp.pipe_names:
        _keep_strings(tmp, nlp.get_pipe("ner").labels)
        halve_vectors(tmp)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


def add_training_names(pipeline_dir: Path, train: list) -> int:
    """Add the names of `train` (MSRA's training part, as kg.train.ner.read_bio gives it) to the
    lexicon the pipeline in `pipeline_dir` reads at run time; they win over its own types.
    Returns how many it lacked."""
    from kg.nlp.chars import LEXICON_FILE
    from kg.nlp.lexicon import Lexicon
    from kg.train.lexicon import training_names

    path = pipeline_dir / "tokenizer" / LEXICON_FILE
    own = Lexicon.from_disk(path)
    names = training_names(train)
    own.plus(names).to_disk(path)
    return sum(name not in own.names for name in names)


def halve_vectors(pipeline_dir: Path) -> None:
    """Store the pipeline's word vectors in float16 (half the size). spaCy loads them as stored;
    the NER reads them only through its projected tables (kg.nlp.embed), computed in float32."""
    import numpy

    path = pipeline_dir / "vocab" / "vectors"
    if path.is_file():
        data = numpy.load(path)
        with open(path, "wb") as f:
            numpy.save(f, data.astype("float16"))


def _keep_strings(pipeline_dir: Path, keep) -> None:
    """Drop the strings of every character and bigram seen in training (a fifth of the folder).

    The NER reads its features, vectors included, by hash: the tokenizer adds each string it
    makes again at run time, so only the labels need to be stored."""
    path = pipeline_dir / "vocab" / "strings.json"
    path.write_text(json.dumps(sorted(keep), ensure_ascii=False), encoding="utf8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segmenter", type=Path, help="pkuseg model folder (features.msgpack, weights.npz)")
    ap.add_argument("--ner", type=Path, help="spaCy NER pipeline folder (model-best of kg.train.ner)")
    ap.add_argument("--finre", type=Path, help="spaCy relation classifier folder (model-best of kg.train.finre)")
    ap.add_argument("--data", type=Path,
                    help="../shared/data: add MSRA's training-part names to the NER's run-time lexicon")
    ap.add_argument("--all-names", action="store_true",
                    help="with --data: the names of the whole training file, dev split too "
                    "(for a NER trained with `kg.train.ner --dev-into-train all`)")
    ap.add_argument("--members", type=Path, nargs="+", default=[],
                    help="spaCy NER pipelines of the same architecture that vote where the NER is unsure "
                    "(kg.nlp.members), stored in float16 with it")
    ap.add_argument("--dest", type=Path, default=MODELS)
    args = ap.parse_args(argv)
    args.dest.mkdir(parents=True, exist_ok=True)
    if args.segmenter:
        package_words(args.segmenter, args.dest / "words")
        print(f"words pipeline -> {args.dest / 'words'}")
    if args.ner:
        package_ner(args.ner, args.dest / "ner")
        print(f"ner pipeline -> {args.dest / 'ner'}")
        if args.data:
            from kg.train.ner import msra_split

            dev, train = msra_split(args.data)
            added = add_training_names(args.dest / "ner", train + dev if args.all_names else train)
            part = "training file" if args.all_names else "training part"
            print(f"  its lexicon: {added} names of MSRA's {part} added")
        if args.members:
            from kg.nlp.members import member_bytes, write_members

            write_members(args.dest / "ner", [member_bytes(spacy.load(m)) for m in args.members])
            print(f"  {len(args.members)} member models -> {args.dest / 'ner' / 'members'}")
    if args.finre:
        from kg import relclf  # noqa: F401  (registers the classifier's architecture and scorer)

        package_ner(args.finre, args.dest / "finre")  # same job: copy, training paths -> null
        print(f"finre pipeline -> {args.dest / 'finre'}")


if __name__ == "__main__":
    main()
