"""Train the character-level NER (PER/LOC/ORG) on MSRA.

    python -m kg.train.ner --data ../shared/data --out build/ner

Cuts a fixed dev split from `ner/msra_train.bio` (the TEST file is never trained on), writes spaCy
DocBins, and runs `spacy train` with `configs/ner.cfg`. The best pipeline lands in OUT/model-best.
`--pseudo` adds machine-labelled sentences (`kg.train.distill`) to the training part only, so
the dev score stays a score on gold labels; `--set` changes one config setting (the teachers).
`--aux-seg` (with `configs/ner_tag_seg.cfg`) adds MSR's segmented sentences for the word
segmentation task, leaving out any that shares a stretch with the dev split or the test file
(which is read for that only).
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Iterator

import spacy
from spacy.tokens import DocBin

from kg.nlp import embed as _embed  # noqa: F401  (registers kg.CharBigramEmbed.v1)
from kg.nlp import encoders as _encoders  # noqa: F401  (registers kg.WindowBiLSTMEncoder.v1)
from kg.nlp.chars import fold  # noqa: F401  (registers kg.CharTokenizer.v1)
from kg.nlp import tagner as _tagner  # noqa: F401  (registers kg_tag_ner)
from kg.train import lexdrop as _lexdrop  # noqa: F401  (registers kg.LexiconDropoutCorpus.v1)
from kg.nlp.auxseg import SEG_KEY, seg_tags
from kg.nlp.sentences import split_sentences

# The dev split every NER run holds out of MSRA's training file (kg.bench.ner_dev scores it,
# kg.train.vectors --no-dev-text keeps its text from the vectors)
DEV_SIZE, DEV_SPLIT, DEV_SEED = 3000, "blocks", 7

CONFIG = Path(__file__).parent / "configs" / "ner.cfg"  # the teachers: spaCy's transition-based NER
TAG_CONFIG = Path(__file__).parent / "configs" / "ner_tag.cfg"  # the shipped model: kg.nlp.tagner
AUGMENT_COPIES = 2  # the shipped model's name-replaced copies of each gold sentence (kg.train.augment)
LEXICON_DROPOUT = 0.5  # the shipped model's share of name-lexicon matches hidden in training (kg.train.lexdrop)


def read_bio(path: Path) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    """Sentences of a `char<TAB>tag` file as (text, [(start, end, label)])."""
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf8") as f:
        for line in list(f) + [""]:
            line = line.rstrip("\n")
            if line.strip():
                ch, _, tag = line.partition("\t")
                chars.append(ch[:1] or " ")
                tags.append(tag.strip() or "O")
                continue
            if chars:
                yield "".join(chars), bio_spans(tags)
            chars, tags = [], []


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans = []
    start, label = None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag.startswith("I-") and label == tag[2:]:
            continue
        if start is not None:
            spans.append((start, i, label))
            start, label = None, None
        if tag.startswith(("B-", "I-")):
            start, label = i, tag[2:]
    return spans


def split_dev(sents: list, size: int, how: str, seed: int, block: int = 100) -> tuple[list, list]:
    """(dev, train). MSRA's training file keeps article order, so `blocks` takes `size // block`
    runs of `block` consecutive sentences spread evenly through the file."""
    if how == "random":
        sents = list(sents)
        random.Random(seed).shuffle(sents)
        return sents[:size], sents[size:]
    n_blocks = max(1, size // block)
    stride = len(sents) // n_blocks
    in_dev = set()
    for b in range(n_blocks):
        start = b * stride + stride // 2
        in_dev.update(range(start, min(start + block, len(sents))))
    dev = [s for i, s in enumerate(sents) if i in in_dev]
    train = [s for i, s in enumerate(sents) if i not in in_dev]
    return dev, train


def dev_into_train(dev: list, train: list, how: str, block: int = 100) -> tuple[list, list]:
    """(dev, train) with part of the dev split moved into training: `half` moves every other block
    of `split_dev` (the odd ones; the even ones stay a dev split, which measures what the moved
    half brings), `all` the whole split (a final model, trained on every gold sentence once its
    recipe is chosen; it keeps the split as its nominal dev set, so its dev scores mean nothing
    and its last step, not its best, is the model). `none` changes nothing."""
    if how == "none":
        return dev, train
    if how == "all":
        return dev, train + dev
    blocks = [dev[i : i + block] for i in range(0, len(dev), block)]
    kept = [s for b in blocks[0::2] for s in b]
    moved = [s for b in blocks[1::2] for s in b]
    return kept, train + moved


def msra_split(data: Path) -> tuple[list, list]:
    """(dev, train) of MSRA's training file: the dev split every NER run holds out."""
    return split_dev(list(read_bio(data / "ner" / "msra_train.bio")), DEV_SIZE, DEV_SPLIT, DEV_SEED)


def dev_text_stretches(data: Path) -> frozenset[int]:
    """Hashes of the 20-character stretches of the dev split (DEV_*): text sharing one of them
    has read the dev text (kg.train.vectors --no-dev-text and kg.train.pretrain leave it out)."""
    from kg.train.distill import stretches  # here: distill imports this module

    dev, _ = msra_split(data)
    return frozenset(h for text, _ in dev for h in stretches(text))


def to_docbin(nlp, sents) -> DocBin:
    db = DocBin(store_user_data=True)  # machine-labelled docs added to it may carry soft targets
    for text, spans in sents:
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(s, e, label=lab) for s, e, lab in spans]
        db.add(doc)
    return db


def segmented_sentences(path: Path, exclude: list[str], nlp) -> list:
    """Docs of the sentences of a segmented file (words between spaces) with each character's
    word-position tag in doc.user_data (`kg.nlp.auxseg`), and no names (missing, not outside).
    A sentence sharing a stretch with an `exclude` text (the dev split, the test) is left out."""
    from kg.train.distill import stretches  # here: distill imports this module

    seen = {h for text in exclude for h in stretches(text)}
    docs = []
    for line in open(path, encoding="utf8"):
        words = line.split()
        text, tags = "".join(words), seg_tags(words)
        for s, e in split_sentences(text):
            hashes = list(stretches(text[s:e]))
            if any(h in seen for h in hashes):
                continue
            seen.update(hashes)  # a repeated sentence is kept once
            doc = nlp.make_doc(text[s:e])
            doc.user_data[SEG_KEY] = tags[s:e]
            docs.append(doc)
    return docs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("build/ner"))
    ap.add_argument("--config", type=Path, default=CONFIG)
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors/pipeline"), help="output of kg.train.vectors")
    ap.add_argument("--lexicon", type=Path, default=Path("build/lexicon.tsv"), help="output of kg.train.lexicon")
    ap.add_argument("--dev-size", type=int, default=DEV_SIZE)
    ap.add_argument("--seed", type=int, default=DEV_SEED)
    ap.add_argument(
        "--dev-split",
        choices=["blocks", "random"],
        default=DEV_SPLIT,
        help="blocks: runs of consecutive sentences (whole stretches of articles, so dev text is unseen "
        "like the test's); random: single sentences, which shares articles with train and reads ~6 F high",
    )
    ap.add_argument(
        "--dev-into-train",
        choices=["none", "half", "all"],
        default="none",
        help="train on every other block of the dev split (half; the rest stays dev) or on all of it "
        "(all: a final model; take model-last, its dev scores mean nothing)",
    )
    ap.add_argument(
        "--pseudo",
        type=Path,
        help="a DocBin of machine-labelled sentences (kg.train.distill) to add to the training part",
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one config setting, e.g. components.ner.model.hidden_width=64 (repeatable)",
    )
    ap.add_argument(
        "--aux-seg",
        action="store_true",
        help="add MSR's segmented sentences for the word-segmentation task of configs/ner_tag_seg.cfg",
    )
    ap.add_argument("--pseudo-fraction", type=float, default=1.0, help="share of them to add (seeded sample)")
    ap.add_argument("--init-tok2vec", type=Path, help="start the tok2vec from these weights (kg.train.pretrain)")
    ap.add_argument(
        "--augment-names",
        type=int,
        default=0,
        metavar="K",
        help="add K copies of each training sentence with other names in its names' places (kg.train.augment)",
    )
    ap.add_argument(
        "--invent-names",
        type=float,
        default=0.0,
        metavar="P",
        help="in those copies, make up a place or organisation that share of the time (kg.train.augment.NameChain)",
    )
    ap.add_argument(
        "--lexicon-dropout",
        type=float,
        default=0.0,
        metavar="P",
        help="hide each name-lexicon match of a training sentence with probability P (kg.train.lexdrop)",
    )
    ap.add_argument(
        "--type-dropout",
        action="append",
        default=[],
        metavar="TYPE=P",
        help="hide that type's lexicon matches with probability P instead (ORG=0; repeatable)",
    )
    ap.add_argument(
        "--name-folds",
        type=int,
        default=0,
        metavar="K",
        help="train with the lexicon read at run time (plus the training part's names), each gold sentence "
        "seeing only the names of the other K-1 folds (kg.train.lexdrop.write_name_folds)",
    )
    args = ap.parse_args(argv)
    type_dropout = {}
    for item in args.type_dropout:
        label, _, rate = item.partition("=")
        try:
            type_dropout[label] = float(rate)
        except ValueError:
            raise SystemExit(f"kg.train.ner: --type-dropout takes TYPE=P (ORG=0), not {item!r}") from None
    if args.init_tok2vec and not args.init_tok2vec.is_file():
        raise SystemExit(f"kg.train.ner: no pretrained weights at {args.init_tok2vec} (kg.train.pretrain writes them)")

    sents = list(read_bio(args.data / "ner" / "msra_train.bio"))
    dev, train = dev_into_train(*split_dev(sents, args.dev_size, args.dev_split, args.seed), args.dev_into_train)
    # Reference docs only need the right tokens; features are made again by the trained pipeline.
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.CharTokenizer.v1"}}})
    args.out.mkdir(parents=True, exist_ok=True)
    copies = []
    if args.augment_names:
        from kg.nlp.lexicon import Lexicon
        from kg.train.augment import NamePools, augmented

        lexicon = Lexicon.from_disk(args.lexicon).names if args.lexicon.is_file() else None
        pools = NamePools(train, lexicon, invent=args.invent_names)
        copies = augmented(train, pools, args.augment_names, args.seed)
        print(f"{len(copies)} name-replaced copies of training sentences", flush=True)
    train_db = to_docbin(nlp, train + copies)
    if args.pseudo:
        pseudo = list(DocBin().from_disk(args.pseudo).get_docs(nlp.vocab))
        if args.pseudo_fraction < 1.0:
            pseudo = random.Random(args.seed).sample(pseudo, int(len(pseudo) * args.pseudo_fraction))
        for doc in pseudo:
            train_db.add(doc)
        print(f"{len(pseudo)} machine-labelled sentences from {args.pseudo}", flush=True)
    if args.aux_seg:
        # never the test's text, nor the dev split's (its word boundaries would tell of its names)
        exclude = [t for t, _ in dev] + [t for t, _ in read_bio(args.data / "ner" / "msra_test.bio")]
        seg_docs = segmented_sentences(args.data / "seg" / "msr_training.utf8", exclude, nlp)
        for doc in seg_docs:
            train_db.add(doc)
        print(f"{len(seg_docs)} segmented sentences from msr_training.utf8", flush=True)
    train_db.to_disk(args.out / "train.spacy")
    to_docbin(nlp, dev).to_disk(args.out / "dev.spacy")
    print(f"train {len(train_db)} sentences, dev {len(dev)}", flush=True)

    from spacy.cli.train import train as spacy_train

    overrides = {
        "paths.train": str(args.out / "train.spacy"),
        "paths.dev": str(args.out / "dev.spacy"),
        "paths.vectors": str(args.vectors),
        "nlp.tokenizer.lexicon_path": str(args.lexicon),
    }
    folds_dir = None
    if args.name_folds:
        from kg.nlp.lexicon import Lexicon
        from kg.train.lexdrop import write_name_folds

        folds_dir = args.out / "name-folds"
        full = write_name_folds(folds_dir, Lexicon.from_disk(args.lexicon), train, args.name_folds)
        full.to_disk(args.out / "lexicon-run-time.tsv")
        overrides["nlp.tokenizer.lexicon_path"] = str(args.out / "lexicon-run-time.tsv")
        print(f"{args.name_folds} fold lexicons of the training part's names -> {folds_dir}", flush=True)
    for item in args.set:
        key, _, value = item.partition("=")
        overrides[key] = _config_value(value)
    config = args.config
    if args.init_tok2vec:
        config = with_pretrained_tok2vec(args.config, args.out)
        overrides["paths.init_tok2vec"] = str(args.init_tok2vec)
    if args.lexicon_dropout or folds_dir or type_dropout:
        config = with_lexicon_dropout(config, args.out, args.lexicon_dropout, folds_dir, type_dropout)
    spacy_train(config, args.out, overrides=overrides)


def with_lexicon_dropout(
    config_path: Path, out: Path, rate: float, name_folds: Path | None = None, type_dropout: dict | None = None
) -> Path:
    """A copy of the config (in OUT) whose training corpus hides lexicon matches (kg.train.lexdrop).
    The saved pipeline's own config keeps that reader, which loading never resolves."""
    from spacy import util

    config = util.load_config(config_path, interpolate=False)
    config["corpora"]["train"]["@readers"] = "kg.LexiconDropoutCorpus.v1"
    config["corpora"]["train"].pop("augmenter", None)
    config["corpora"]["train"]["lexicon_dropout"] = rate
    config["corpora"]["train"]["name_folds"] = str(name_folds) if name_folds else None
    config["corpora"]["train"]["type_dropout"] = type_dropout or None
    config["corpora"]["train"]["seed"] = "${system.seed}"
    path = out / "config-lexicon-dropout.cfg"
    config.to_disk(path)
    return path


def with_pretrained_tok2vec(config_path: Path, out: Path) -> Path:
    """A copy of the config (in OUT) whose [pretraining] names the layer that
    `[initialize] init_tok2vec` loads: the whole tok2vec component. spaCy reads weights there
    only when that section is complete, so the rest is spaCy's default (unused in training)."""
    from spacy import util
    from spacy.language import DEFAULT_CONFIG_PRETRAIN_PATH

    config = util.load_config(config_path, interpolate=False)
    config["pretraining"] = util.load_config(DEFAULT_CONFIG_PRETRAIN_PATH, interpolate=False)["pretraining"]
    config["pretraining"]["component"] = "tok2vec"
    config["pretraining"]["layer"] = ""
    path = out / "config-init-tok2vec.cfg"
    config.to_disk(path)
    return path


def _config_value(text: str):
    """A command-line override as spaCy's own CLI reads it: JSON where it parses, else a string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


if __name__ == "__main__":
    main()
