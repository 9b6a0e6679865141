"""Score candidate NER models, and their majority vote, on the NER's dev split through the pipeline.

    python -m kg.bench.ner_dev --data ../shared/data build/ner_t32/model-best [MORE ...]

The dev split is the one `kg.train.ner` holds out of MSRA's training file (never the TEST file),
so this is the figure to choose models by. Each line also gives the model's speed through the
pipeline (one pass, CPU seconds; compare models side by side in one run, on an idle machine). Each model runs in place of the shipped `ner` inside
the full pipeline (rules included), as `kg entities` would run it. With three or more models it
also scores the names a majority of them found, as `kg.train.distill` labels text.

A folder with member models (`ner/members/`, as the shipped one has) is scored with their vote;
`--members` gives any candidate such members.

Under each model, the recall of the dev names that are not names in the training part (a
quarter of them): the model finds the names it has seen far more often, and a new text's names
are mostly new, so this figure says more about text unlike MSRA's than the overall F. Then the
recall of those of them that the model's name lexicon lacks too (most of them): the names it
can find only from their context and make-up.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kg.bench.ner import score
from kg.nlp.pipeline import LINE_CONTEXT, MODELS, Pipeline
from kg.train.distill import vote
from kg.train.ner import DEV_SEED, DEV_SIZE, DEV_SPLIT, dev_into_train, read_bio, split_dev


def pipeline_with(ner_dir: Path, tmp: Path) -> Pipeline:
    """The shipped pipeline with `ner_dir` as its NER (the other models linked in)."""
    tmp.mkdir(parents=True)
    for item in MODELS.iterdir():
        if item.name != "ner":
            (tmp / item.name).symlink_to(item)
    (tmp / "ner").symlink_to(ner_dir.resolve())
    return Pipeline(tmp)


def new_names(dev: list, train: list) -> list[set]:
    """Each dev sentence's gold names whose text is not a name of that type in the training part:
    the names a model cannot know by heart, as most of a new text's are not."""
    known = {(text[s:e], lab) for text, spans in train for s, e, lab in spans}
    return [{(s, e, lab) for s, e, lab in spans if (text[s:e], lab) not in known} for text, spans in dev]


def not_listed(names: list[set], texts: list[str], lexicon) -> list[set]:
    """The names in `names` that `lexicon` (a model's own, kg.nlp.lexicon) does not list: those
    the model can find only from their context and make-up."""
    from kg.train.lexicon import norm_name

    listed = lexicon.names if lexicon is not None else {}
    return [{x for x in spans if norm_name(text[x[0] : x[1]]) not in listed} for text, spans in zip(texts, names)]


def recall_of(gold: list[set], pred: list[set]) -> dict[str, tuple[float, int]]:
    """(recall, count) per label and for all: exact span and label."""
    out = {}
    for lab in ("PER", "LOC", "ORG", "ALL"):
        g = [{x for x in s if lab == "ALL" or x[2] == lab} for s in gold]
        n = sum(map(len, g))
        out[lab] = (sum(len(a & b) for a, b in zip(g, pred)) / n if n else 0.0, n)
    return out


def _line(name: str, result: dict) -> str:
    return f"{name}: " + "  ".join(f"{lab} {f:.4f}" for lab, (_, _, f) in result.items())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", type=Path, nargs="+", help="spaCy NER pipeline folders")
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--dev-size", type=int, default=DEV_SIZE)
    ap.add_argument("--seed", type=int, default=DEV_SEED)
    ap.add_argument("--context", type=int, default=LINE_CONTEXT,
                    help="lines around each line whose people and organisations are looked for in it, as `kg entities`")
    ap.add_argument("--training-names", action="store_true",
                    help="add the training part's names to each model's lexicon, as `kg.train.package --data` ships it")
    ap.add_argument("--dev-into-train", choices=["none", "half"], default="none",
                    help="half: score the even blocks of the dev split only, the odd ones counted as training "
                    "part (as `kg.train.ner --dev-into-train half` trains)")
    ap.add_argument("--no-moved-names", action="store_true",
                    help="with --dev-into-train half and --training-names: leave the odd blocks' names out "
                    "of the lexicon (as for a model trained without them)")
    ap.add_argument("--members", type=Path, nargs="+", default=[],
                    help="trained NER pipelines to vote with each scored model where it is unsure (kg.nlp.members)")
    ap.add_argument("--member-threshold", type=float, help="the top tag probability below which a character is unsure (default: the shipped one)")
    args = ap.parse_args(argv)
    members = []
    if args.members:
        import spacy

        from kg.nlp.members import member_bytes

        members = [member_bytes(spacy.load(m)) for m in args.members]

    dev, base = split_dev(list(read_bio(args.data / "ner" / "msra_train.bio")), args.dev_size, DEV_SPLIT, args.seed)
    dev, train = dev_into_train(dev, base, args.dev_into_train)
    texts = [t for t, _ in dev]
    n_chars = sum(map(len, texts))
    gold = [set(spans) for _, spans in dev]
    new = new_names(dev, train)
    listed = {}
    if args.training_names:
        from kg.train.lexicon import training_names

        listed = training_names(base if args.no_moved_names else train)
    preds = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, model in enumerate(args.models):
            pipe = pipeline_with(model, Path(tmp) / str(i))
            if listed:
                pipe.ner.tokenizer.lexicon = pipe.ner.tokenizer.lexicon.plus(listed)
            if members:
                from kg.nlp.members import set_members

                set_members(pipe.ner, members, args.member_threshold)
            list(pipe.entities(texts[:100]))  # warm up: lazy loading is not timed
            t0 = time.process_time()
            pred = [{(e.start, e.end, e.label) for e in ents if e.label in ("PER", "LOC", "ORG")}
                    for ents in pipe.entities(texts, context=args.context)]
            seconds = time.process_time() - t0
            preds.append(pred)
            print(_line(str(model), score(gold, pred)) + f"  ({n_chars / seconds:,.0f} characters per CPU second)",
                  flush=True)
            print("  recall of the names new to the training part: " + "  ".join(
                f"{lab} {r:.3f} of {n}" for lab, (r, n) in recall_of(new, pred).items()), flush=True)
            unlisted = not_listed(new, texts, pipe.ner.tokenizer.lexicon)
            print("  of those, the names its lexicon lacks too: " + "  ".join(
                f"{lab} {r:.3f} of {n}" for lab, (r, n) in recall_of(unlisted, pred).items()), flush=True)
    if len(preds) >= 3:
        voted = [set(vote([sorted(p[i]) for p in preds])[0]) for i in range(len(texts))]
        print(_line(f"majority of {len(preds)}", score(gold, voted)))


if __name__ == "__main__":
    main()
