"""The tone model: a small spaCy text classifier that scores single sentences for
sarcasm, customer-blaming and ultimatum.

It backs up the hand-written rules; it never replaces them. Rules that use it say so
(`match: {classifier: {label: ..., threshold: ...}}`), carry `confidence: medium`, and
report the sentence and its score, so every finding still names the rule that fired.
The model is trained by `training/train_tone.py` from data in this repository only
(corpus/train/*.jsonl, the core drafts and the evaluation splits already scored once
and tuned on; never the test split, the selection splits its thresholds are chosen on,
or a holdout still to be scored) and ships inside the package, so it loads offline
like everything else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

MODEL_DIR = Path(__file__).parent / "models" / "tone"
LABELS = ("sarcasm", "customer-blaming", "ultimatum")

# The model reads the analysis text (analysis.py), where a hard wrap inside a sentence
# has already become a space and every line break left is a real one (a greeting, a
# sign-off, a list item). So: lines, then sentence ends. Deliberately simple and
# spaCy-free, so training and linting split alike.
_LINE_BREAK = re.compile(r"[ \t]*\n\s*")
# A closing quote or bracket stays with its sentence: 'She said "great." Then...'
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+(?=\S)")
# Longer than this is not one sentence but a paragraph the splitter could not cut; the
# model was not trained on such text.
MAX_SENTENCE_CHARS = 600
# A line of one or two words (a name, "Week one:", a product) carries no tone the model
# can judge, and short fragments are where a small model guesses wildest.
MIN_WORDS = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# Formatting carries no tone, but a bag-of-words model will learn whatever its training
# sentences happen to share: "*sigh*" taught it that asterisks are sarcastic, and
# Markdown bold headers in real emails then read as sarcasm. So links keep their words,
# addresses go, and emphasis marks, headings and list bullets are dropped.
_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_MARKS = re.compile(r"[*_#`~]+")
_BULLET = re.compile(r"^\s*(?:[-•–—>+]|\d{1,2}[.)])\s+")

# A salutation ("Dear Sir or Madam,", "Hi Ayesha,") has no tone of its own, but read
# as a pair with the line after it, it pushed the model over its threshold on four
# plain openings ("Dear Sir, Greetings from ...") across the splits: it pairs with
# nothing. (Two "Label: value" lines were tried too and left pairing: a mock status
# report is sarcasm carried by exactly such lines.)
_SALUTATION = re.compile(r"^(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))\b[^.!?\n]{0,50},$", re.I)


def _pairs_with(a: str, b: str) -> bool:
    return not (_SALUTATION.match(a) or _SALUTATION.match(b))


def prepare(sentence: str) -> str:
    """What the model reads: lower case, since its bag-of-words features are
    case-sensitive and "SO busy" should count as "so busy", without Markdown
    formatting. Training uses this too."""
    text = _LINK.sub(r"\1", sentence)
    text = _URL.sub(" ", text)
    text = _BULLET.sub("", _MARKS.sub("", text))
    return " ".join(text.lower().split())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences in `text`, stripped of surrounding space."""
    out: list[tuple[int, int]] = []
    pieces = [(0, len(text))]
    for pattern in (_LINE_BREAK, _SENTENCE_END):
        next_pieces: list[tuple[int, int]] = []
        for start, end in pieces:
            pos = start
            for m in pattern.finditer(text, start, end):
                next_pieces.append((pos, m.start()))
                pos = m.end()
            next_pieces.append((pos, end))
        pieces = next_pieces
    for start, end in pieces:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped or not any(c.isalpha() for c in stripped):
            continue
        lead = len(chunk) - len(chunk.lstrip())
        out.append((start + lead, start + lead + len(stripped)))
    return out


def model_text(sentence: str) -> str | None:
    """The sentence as the model reads it, or None when there is too little of it to
    judge. The word count is taken after `prepare`: a line that is only an address or
    only formatting becomes empty, and an empty doc has no n-grams to score."""
    if len(sentence) > MAX_SENTENCE_CHARS:
        return None
    prepared = prepare(sentence)
    return prepared if len(_WORD.findall(prepared)) >= MIN_WORDS else None


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> "Language":
    """The trained tone model (package data unless `path` is given). Never downloads."""
    import spacy

    where = Path(path) if path else MODEL_DIR
    if not (where / "config.cfg").is_file():
        raise ConfigError(
            f"the tone model is missing from {where}; reinstall breaklint, or retrain it with "
            "'python training/train_tone.py'",
            key="model",
        )
    return spacy.load(where)


Scores = dict[str, float]
Unit = tuple[int, int, Scores]


def _score(units: list[tuple[int, int, str]], model: "Language | None", memo: dict[str, Scores | None]) -> list[Unit]:
    """Each unit (start, end, text) the model judges, with its scores. `memo` (text ->
    scores, or None for a text the model does not judge) is read and filled: drafts
    share greetings, sign-offs and template sentences, and a text's scores do not
    depend on the texts scored with it."""
    new = {}
    for _, _, unit in units:
        if unit not in memo and unit not in new:
            new[unit] = model_text(unit)
    todo = [(unit, t) for unit, t in new.items() if t is not None]
    if todo:
        nlp = model or load_model()
        for (unit, _), doc in zip(todo, nlp.pipe([t for _, t in todo], batch_size=64)):
            memo[unit] = dict(doc.cats)
    for unit, t in new.items():
        if t is None:
            memo[unit] = None
    return [(s, e, scores) for s, e, unit in units if (scores := memo[unit]) is not None]


def score_sentences(text: str, model: "Language | None" = None, memo: dict[str, Scores | None] | None = None) -> list[Unit]:
    """Each sentence of `text` the model judges, with its score per label."""
    return _score([(s, e, text[s:e]) for s, e in split_sentences(text)], model, {} if memo is None else memo)


def score_units(
    text: str, model: "Language | None" = None, memo: dict[str, Scores | None] | None = None
) -> tuple[list[Unit], list[Unit]]:
    """The scores of each sentence of `text`, and of each two adjacent sentences read
    together. Tone often needs its neighbour: "Hats off. You'd be a gun at poker." is
    praise, then a joke, until the two are read as one. On the dev drafts the pairs
    raised the model's recall by 3-8 points at the thresholds in use without lowering
    its precision there or on the real-world set (corpus/README.md)."""
    memo = {} if memo is None else memo
    pieces = [(s, e, text[s:e]) for s, e in split_sentences(text)]
    pairs = [(a[0], b[1], f"{a[2]} {b[2]}") for a, b in zip(pieces, pieces[1:]) if _pairs_with(a[2], b[2])]
    return _score(pieces, model, memo), _score(pairs, model, memo)


def flagged(
    sentences: list[Unit],
    pairs: list[Unit],
    label: str,
    threshold: float,
) -> list[tuple[int, int, float, str]]:
    """The units to report for one label: every sentence at or above the threshold,
    then every pair at or above it that overlaps nothing already reported, so a
    sentence the model flags alone is not reported again inside its pairs."""
    out = [(s, e, sc[label], "sentence") for s, e, sc in sentences if sc[label] >= threshold]
    for s, e, sc in pairs:
        if sc[label] >= threshold and not any(s < oe and os < e for os, oe, _, _ in out):
            out.append((s, e, sc[label], "pair of sentences"))
    return sorted(out)
