"""Measure the rules against labelled drafts: precision, recall and F1 per category.

Two sources of labels:
- corpus sidecars (NAME.txt + NAME.yaml, see corpus/README.md), with splits and
  per-profile label overrides;
- JSON Lines with `id`, `body` and `labels` (the shape of ../shared/realworld), where
  label names use underscores (customer_blaming, too_long, unfilled_merge_tags).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .finding import CATEGORIES
from .yamlsource import YAMLSyntaxError, load_located

JSONL_LABELS = {
    "sarcasm": "sarcasm",
    "customer_blaming": "customer-blaming",
    "ultimatum": "ultimatum",
    "self_oriented": "self-oriented",
    "too_long": "length",
    "unfilled_merge_tags": "merge-tag",
}


@dataclass
class Item:
    id: str
    text: str
    labels: dict[str, bool]
    split: str = "dev"
    overrides: dict[str, dict[str, bool]] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    path: str | None = None

    def labels_for(self, profile: str) -> dict[str, bool]:
        out = dict(self.labels)
        out.update(self.overrides.get(profile, {}))
        return out


# The order splits are reported in; any other split a sidecar names comes after them.
SPLIT_ORDER = ("core", "dev", "test", "holdout", "holdout2")


def load_corpus(paths: Iterable[str]) -> list[Item]:
    """Every NAME.txt with a NAME.yaml sidecar under the given files or folders."""
    items: list[Item] = []
    for p in paths:
        root = Path(p)
        sidecars = [root.with_suffix(".yaml")] if root.is_file() else sorted(root.rglob("*.yaml"))
        for y in sidecars:
            txt = y.with_suffix(".txt")
            if not txt.is_file():
                continue
            try:
                doc = load_located(y.read_text(encoding="utf-8"))
            except YAMLSyntaxError as exc:
                raise ConfigError(str(exc), path=str(y), line=exc.line) from None
            data = doc.data or {}
            labels = data.get("labels")
            if not isinstance(labels, dict) or set(labels) != set(CATEGORIES):
                raise ConfigError(f"labels must give all six categories: {', '.join(CATEGORIES)}", path=str(y), line=doc.line(("labels",)), key="labels")
            overrides = {k: dict(v) for k, v in (data.get("profiles") or {}).items()}
            items.append(
                Item(
                    id=str(txt),
                    text=txt.read_text(encoding="utf-8"),
                    labels={k: bool(v) for k, v in labels.items()},
                    split=str(data.get("split", "dev")),
                    overrides=overrides,
                    evidence=data.get("evidence") or {},
                    path=str(txt),
                )
            )
    return items


def load_jsonl(path: str) -> list[Item]:
    items = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                labels = {JSONL_LABELS[k]: bool(v) for k, v in row["labels"].items() if k in JSONL_LABELS}
                items.append(Item(id=str(row["id"]), text=row["body"], labels=labels, split="jsonl", evidence=row.get("evidence") or {}))
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"line {n}: not a labelled item ({exc})", path=path) from None
    return items


@dataclass
class Outcome:
    item: Item
    category: str
    kind: str  # "miss" | "false alarm"
    texts: list[str]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


@dataclass
class Evaluation:
    name: str
    profile: str
    items: int
    scores: dict[str, Score]
    errors: list[Outcome]


def evaluate(items: list[Item], profile: str, linter, name: str = "") -> Evaluation:
    """Lint every item with `linter` and compare the categories found with the labels."""
    from .readers import draft_from_text

    scores = {c: Score() for c in CATEGORIES}
    errors: list[Outcome] = []
    drafts = (draft_from_text(it.text, it.id) for it in items)
    for item, (_draft, findings) in zip(items, linter.lint_drafts(drafts)):
        labels = item.labels_for(profile)
        by_cat: dict[str, list[str]] = {}
        for f in findings:
            by_cat.setdefault(f.category, []).append(f"{f.rule}: {' '.join(f.text.split())[:90]}")
        for c in CATEGORIES:
            if c not in labels:
                continue
            got, want = c in by_cat, labels[c]
            s = scores[c]
            if got and want:
                s.tp += 1
            elif got:
                s.fp += 1
                errors.append(Outcome(item, c, "false alarm", by_cat[c]))
            elif want:
                s.fn += 1
                errors.append(Outcome(item, c, "miss", [str(e) for e in item.evidence.get(c, [])] or [item.text[:120]]))
            else:
                s.tn += 1
    return Evaluation(name, profile, len(items), scores, errors)


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def format_evaluation(ev: Evaluation, show_errors: bool = True) -> str:
    lines = [f"{ev.name}: {ev.items} drafts, profile {ev.profile}", f"  {'category':<17}{'P':>6}{'R':>6}{'F1':>6}{'TP':>5}{'FP':>4}{'FN':>4}{'TN':>5}"]
    for c, s in ev.scores.items():
        lines.append(f"  {c:<17}{_fmt(s.precision):>6}{_fmt(s.recall):>6}{_fmt(s.f1):>6}{s.tp:>5}{s.fp:>4}{s.fn:>4}{s.tn:>5}")
    if show_errors and ev.errors:
        lines.append("")
        for e in sorted(ev.errors, key=lambda e: (e.category, e.kind, e.item.id)):
            lines.append(f"  {e.kind.upper():<11} {e.category:<17} {e.item.id}")
            for t in e.texts[:3]:
                lines.append(f"      {' '.join(t.split())[:110]}")
    return "\n".join(lines)
