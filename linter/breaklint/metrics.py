"""Metrics: rules that measure the draft as a whole instead of matching a phrase.

Each metric takes the draft (and the parsed Doc when it needs one) and returns hits:
a span to point at and the numbers the rule's message quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .draft import Draft


@dataclass
class Hit:
    start: int
    end: int
    vars: dict[str, Any] = field(default_factory=dict)


class ReadingTime:
    """Estimated silent-reading time of what the recipient reads (greeting + body).

    Words are counted with textstat's lexicon_count, which needs no syllable data
    (textstat's syllable counting would try to download NLTK's cmudict, so it is never
    called). The default speed, 238 words per minute, is the mean silent-reading rate
    for English non-fiction in Brysbaert's 2019 meta-analysis of 190 studies.
    """

    PARAMS: ClassVar[dict[str, float]] = {"wpm": 238.0, "max_seconds": 25.0}
    needs_doc = False
    ZONES = ("greeting", "body")

    @staticmethod
    def count_words(text: str) -> int:
        import textstat

        return int(textstat.lexicon_count(text, removepunct=True))

    def run(self, draft: Draft, doc: Any, params: dict[str, float], analysis: Any = None) -> list[Hit]:
        wpm = float(params["wpm"])
        limit = float(params["max_seconds"])
        text = draft.zone_text(self.ZONES)
        words = self.count_words(text)
        seconds = words * 60.0 / wpm
        if seconds <= limit:
            return []
        budget = int(limit * wpm / 60.0)  # words that fit in the limit
        spans = _word_spans(text)
        # Point at the words past the limit: from the first one over to the last word.
        first_over = spans[min(budget, len(spans) - 1)] if spans else (0, len(text))
        last = spans[-1] if spans else (0, len(text))
        return [
            Hit(
                first_over[0],
                last[1],
                {
                    "seconds": seconds,
                    "words": words,
                    "max_seconds": limit,
                    "wpm": wpm,
                    "budget": budget,
                    "cut": max(words - budget, 1),
                },
            )
        ]


def _word_spans(text: str) -> list[tuple[int, int]]:
    """Whitespace-separated words that contain a letter or digit (the same words
    textstat counts, give or take punctuation-only tokens)."""
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text) if any(c.isalnum() for c in m.group())]


FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves", "ya", "y'all"})


class PronounBalance:
    """First-person (I, we, our...) against second-person (you, your...) pronouns in
    what the recipient reads. Flags a draft about the sender rather than the reader."""

    PARAMS: ClassVar[dict[str, float]] = {"ratio": 2.0, "min_first_person": 6}
    needs_doc = True
    ZONES = ("greeting", "body", "closing")

    def run(self, draft: Draft, doc: Any, params: dict[str, float], analysis: Any = None) -> list[Hit]:
        first = second = 0
        per_sentence: list[tuple[int, Any]] = []
        for sent in doc.sents:
            if analysis.zone_at(sent.start_char) not in self.ZONES:
                continue
            f = sum(1 for t in sent if t.lower_ in FIRST_PERSON and t.pos_ == "PRON" and t.text != "US")
            s = sum(1 for t in sent if t.lower_ in SECOND_PERSON and t.pos_ == "PRON")
            first += f
            second += s
            per_sentence.append((f - s, sent))
        if first < params["min_first_person"] or first <= params["ratio"] * max(second, 0.5):
            return []
        # Point at the sentence that leans hardest toward the sender.
        _, sent = max(per_sentence, key=lambda p: p[0])
        text = sent.text
        start, end = analysis.to_draft(sent.start_char + (len(text) - len(text.lstrip())), sent.start_char + len(text.rstrip()))
        return [Hit(start, end, {"first_person": first, "second_person": second, "ratio": params["ratio"]})]


class SentenceOpeners:
    """How many sentences open with I / we / my / our."""

    PARAMS: ClassVar[dict[str, float]] = {"min_sentences": 3, "share": 0.5}
    needs_doc = True
    ZONES = ("body",)
    OPENERS = frozenset({"i", "we", "my", "our", "i'm", "i've", "i'd", "i'll", "we're", "we've", "we'd", "we'll"})

    def run(self, draft: Draft, doc: Any, params: dict[str, float], analysis: Any = None) -> list[Hit]:
        total = 0
        openers = []
        for sent in doc.sents:
            if analysis.zone_at(sent.start_char) not in self.ZONES:
                continue
            words = [t for t in sent if t.is_alpha]
            if len(words) < 3:
                continue
            total += 1
            if words[0].lower_ in self.OPENERS:
                openers.append(words[0])
        if len(openers) < params["min_sentences"] or len(openers) < params["share"] * total:
            return []
        first = openers[0]
        start, end = analysis.to_draft(first.idx, first.idx + len(first.text))
        return [Hit(start, end, {"openers": len(openers), "sentences": total})]


METRICS: dict[str, Any] = {
    "reading_time": ReadingTime,
    "pronoun_balance": PronounBalance,
    "sentence_openers": SentenceOpeners,
}


def metric_needs_doc(name: str) -> bool:
    return bool(METRICS[name].needs_doc)
