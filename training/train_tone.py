"""Train breaklint's tone model (see linter/breaklint/classifier.py) from data in this
repository, and measure it.

    python training/train_tone.py --select      # train, then score the selection splits (nothing written)
    python training/train_tone.py               # train and write the model

Training data, all in this repository:
- corpus/train/*.jsonl: single sentences written for training, labelled for sarcasm,
  customer-blaming and ultimatum (see corpus/README.md);
- the core drafts (corpus/drafts) and the evaluation splits already scored and tuned on
  (dev, holdout to holdout50), cut into sentences the way the linter cuts them: a
  sentence that holds a label's evidence is positive for it, a sentence of a draft
  labelled false is negative, and any other sentence leaves that label unset (a
  missing label adds no loss in spaCy's multi-label classifier).
Never trained on: the test split, the selection splits (holdout51-54, on which the
thresholds are chosen) and every split still to be scored once (holdout55 on). A
blind split joins TRAIN_SPLITS only after its once-only score is recorded. (Until the
eleventh session the model read no evaluation split; corpus/README.md, "Training on
the tuned splits", has the measurements behind the change.)

--select trains the same model and prints, for the selection drafts (and with
--realworld for the real-world set), the draft-level precision and recall of the rules
alone and of the rules plus the model at several thresholds: that is how the thresholds
in rules/*/*900.yaml were chosen.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "linter"))

from breaklint.classifier import LABELS, MODEL_DIR, model_text, split_sentences  # noqa: E402
from breaklint.draft import READ_ZONES  # noqa: E402
from breaklint.engine import analysis_for  # noqa: E402
from breaklint.evaluate import Item, load_corpus, load_jsonl  # noqa: E402
from breaklint.readers import draft_from_text  # noqa: E402

SEED = 0
NGRAMS = 2
TRAIN_JSONL = sorted((ROOT / "corpus" / "train").glob("*.jsonl"))
# Splits already scored once and tuned on (corpus/README.md says how each was used).
TRAIN_SPLITS = ("core", "dev", "holdout", *(f"holdout{n}" for n in range(2, 51)))
SELECTION_SPLITS = ("holdout51", "holdout52", "holdout53", "holdout54")
PROFILE = "breakup"


def _norm(s: str) -> str:
    return " ".join(s.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})).lower().split())


def analysis_sentences(text: str, path: str = "<text>") -> list[str]:
    draft = draft_from_text(text, path)
    a = analysis_for(draft, READ_ZONES)
    return [a.text[s:e] for s, e in split_sentences(a.text)]


def from_jsonl(paths: list[Path]) -> list[tuple[str, dict[str, float]]]:
    out = []
    for p in paths:
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            # One item is one labelled unit, even when it holds two short sentences.
            out.append((row["text"].strip(), {label: float(row[label]) for label in LABELS}))
    return out


def from_drafts(items: list[Item]) -> list[tuple[str, dict[str, float]]]:
    out = []
    for item in items:
        labels = item.labels_for(PROFILE)
        evidence = {c: [_norm(e) for e in item.evidence.get(c, [])] for c in LABELS}
        for sentence in analysis_sentences(item.text, item.path or item.id):
            ns = _norm(sentence)
            cats: dict[str, float] = {}
            for c in LABELS:
                if any(e and (e in ns or ns in e) for e in evidence[c]):
                    cats[c] = 1.0
                elif not labels[c]:
                    cats[c] = 0.0
            if cats:
                out.append((sentence, cats))
    return out


def train(data: list[tuple[str, dict[str, float]]], epochs: int = 25, arch: str = "bow", drop: float = 0.2):
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(SEED)
    nlp = spacy.blank("en")
    # Bag of words with bigrams beside a small CNN: the BOW half learns cue phrases,
    # the CNN half generalises across spelling, casing and word shape.
    bow = {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,
        "ngram_size": NGRAMS,
        "no_output_layer": False,
        "length": 262144,
    }
    ensemble = {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": 64,
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                "rows": [5000, 1000, 2500, 500],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": 64,
                "window_size": 1,
                "maxout_pieces": 3,
                "depth": 2,
            },
        },
        "linear_model": bow,
    }
    nlp.add_pipe("textcat_multilabel", config={"model": bow if arch == "bow" else ensemble})
    # The linter never shows the model a sentence model_text() rejects; nor does training.
    prepared = [(model_text(text), cats) for text, cats in data]
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": cats}) for t, cats in prepared if t is not None]
    textcat = nlp.get_pipe("textcat_multilabel")
    for label in LABELS:
        textcat.add_label(label)
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(SEED)
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=drop, losses=losses)
        print(f"  epoch {epoch + 1:2d}  loss {losses['textcat_multilabel']:.3f}", file=sys.stderr)
    return nlp


def rule_categories(items: list[Item]) -> dict[str, set[str]]:
    from breaklint.engine import Linter, Options

    model_rules = tuple(p.stem for p in (ROOT / "rules").glob("*/*900.yaml"))
    linter = Linter(options=Options(profile=PROFILE, ignore=model_rules))
    out = {}
    for item in items:
        found = linter.lint_text(item.text, item.path or item.id)
        out[item.id] = {f.category for f in found}
    return out


def select(nlp, items: list[Item], show: float | None = None, name: str = "selection") -> None:
    """Draft-level P/R on held-out drafts: rules alone, then rules OR model >= threshold."""
    from breaklint.classifier import score_units
    from breaklint.readers import draft_from_text

    by_rules = rule_categories(items)
    best: dict[str, list[float]] = {}
    top: dict[str, list[tuple[float, str]]] = {}
    for item in items:
        a = analysis_for(draft_from_text(item.text, item.path or item.id), READ_ZONES)
        sentences, pairs = score_units(a.text, nlp)
        scores = sentences + pairs  # what the linter reads (classifier.flagged)
        best[item.id] = [max((sc[c] for _, _, sc in scores), default=0.0) for c in LABELS]
        top[item.id] = [max(((sc[c], a.text[s:e]) for s, e, sc in scores), default=(0.0, "")) for c in LABELS]
    print(f"\n=== {name} drafts: {len(items)}")
    for i, c in enumerate(LABELS):
        truth = {item.id: item.labels_for(PROFILE)[c] for item in items}
        rows = [("rules", {k for k, v in by_rules.items() if c in v})]
        for t in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
            rows.append((f"+model>={t}", {k for k in truth if c in by_rules[k] or best[k][i] >= t}))
            rows.append((f" model>={t}", {k for k in truth if best[k][i] >= t}))
        print(f"\n{c}  (positives {sum(truth.values())})")
        for name, flagged in rows:
            tp = sum(1 for k in flagged if truth[k])
            p = tp / len(flagged) if flagged else 1.0
            r = tp / sum(truth.values()) if any(truth.values()) else 1.0
            print(f"  {name:<14} P {p:.2f}  R {r:.2f}  flagged {len(flagged)}")
        if show is not None:
            for k in sorted(truth):
                score, sentence = top[k][i]
                if (score >= show) != truth[k]:
                    kind = "FALSE ALARM" if score >= show else "MISS"
                    print(f"    {kind:<11} {score:.2f} {Path(k).name}: {sentence[:110]}")


def training_drafts() -> list[Item]:
    folders = [str(ROOT / "corpus" / "drafts"), str(ROOT / "corpus" / "eval")]
    return [i for i in load_corpus(folders) if i.split in TRAIN_SPLITS]


def training_sources(drafts: list[Item]) -> list[Path]:
    """Every file the model is trained from, for the digest in training.json."""
    return TRAIN_JSONL + [p for i in drafts for p in (Path(i.path), Path(i.path).with_suffix(".yaml"))]


def selection_drafts() -> list[Item]:
    return [i for i in load_corpus([str(ROOT / "corpus" / "eval")]) if i.split in SELECTION_SPLITS]


def data_digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(ROOT)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--select", action="store_true", help="score on the selection splits instead of writing the model")
    # Ten passes: with the tuned splits' sentences (56,603 for the shipped model) the
    # loss has flattened by then (1.7, from 125 after the first), and each pass takes a
    # little over a minute on the development machine.
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--arch", choices=["ensemble", "bow"], default="bow")
    ap.add_argument("--drop", type=float, default=0.2)
    ap.add_argument("--show", type=float, metavar="T", help="with --select: list the model's misses and false alarms at threshold T")
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--realworld", type=Path, metavar="JSONL", help="with --select: also score these labelled drafts (e.g. ../shared/realworld/emails.jsonl)")
    args = ap.parse_args()

    drafts = training_drafts()
    data = from_jsonl(TRAIN_JSONL) + from_drafts(drafts)
    counts = {c: sum(1 for _, cats in data if cats.get(c) == 1.0) for c in LABELS}
    print(f"training sentences: {len(data)}; positives {counts}", file=sys.stderr)
    nlp = train(data, args.epochs, args.arch, args.drop)
    if args.select:
        select(nlp, selection_drafts(), args.show, name=f"selection ({SELECTION_SPLITS[0]}-{SELECTION_SPLITS[-1].removeprefix('holdout')})")
        if args.realworld:
            select(nlp, load_jsonl(str(args.realworld)), args.show, name=args.realworld.name)
        return
    tmp = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(tmp)
    sources = training_sources(drafts)
    (tmp / "training.json").write_text(json.dumps({
        "script": "training/train_tone.py",
        "seed": SEED,
        "epochs": args.epochs,
        "sentences": len(data),
        "positives": counts,
        "data_sha256_16": data_digest(sources),
        "splits": ["train", *TRAIN_SPLITS],
    }, indent=2) + "\n")
    shutil.rmtree(args.out, ignore_errors=True)
    tmp.rename(args.out)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
