"""The text tone rules read, and the map from it back to the draft.

spaCy turns every run of whitespace into a token of its own, so a phrase broken by a
hard line wrap ("deep\\nsigh") or by indentation could never match a pattern. The
analysis text therefore collapses whitespace: a blank line stays a paragraph break, a
line break that ends a sentence, a greeting, a list item or a short line stays a line
break, and a hard wrap inside a sentence becomes a space. Zones a rule does not read
are blanked first, typographic quotes become plain ones, and merge tags become a name-like word ("{{first_name}}" reads as
"Xxxxxxxxxxxxxx"), so "Hi {{first_name}}, you never replied" parses like a name.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

from .draft import Draft

# Runs of whitespace that change: every run at the text's edges, every run of two or
# more characters, and a single line break or tab. A single space between words is
# kept as it is, so it is left inside the text copied around it.
_WS = re.compile(r"\A\s+|\s+\Z|\s{2,}|[^\S ]")
_LIST_START = re.compile(r"[-*•>–—✓✔✅❌⏰▪◦]|\d{1,2}[.)]\s|\(?[a-z][).]\s|\*\*")
_SHORT_LINE = 40
# Typographic quotes read as plain ones, so "I’ll" and "I'll" match the same patterns.
# One character for one, so offsets are unchanged.
_PLAIN_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"'})


@dataclass
class Analysis:
    text: str
    offsets: array  # offsets[i] = index in draft.text of text[i]
    draft: Draft
    # Keys of the grammar specs that could match this text (prefilter.py); None: all.
    live: set[str] | None = None

    def to_draft(self, start: int, end: int) -> tuple[int, int]:
        """Map [start, end) in the analysis text to the draft's text."""
        if not self.offsets:
            return 0, 0
        s = self.offsets[min(start, len(self.offsets) - 1)]
        e = self.offsets[min(max(end - 1, start), len(self.offsets) - 1)] + 1
        return s, e

    def zone_at(self, index: int) -> str:
        return self.draft.zone_at(self.offsets[min(index, len(self.offsets) - 1)] if self.offsets else 0)


def _structural_break(text: str, run_start: int, run_end: int) -> bool:
    """Whether a single line break between two lines separates them (True) or is a
    hard wrap inside one sentence (False)."""
    end = run_start
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    line_start = text.rfind("\n", 0, end) + 1
    prev_line = text[line_start:end]
    if not prev_line or prev_line[-1] in ".!?:;,…)\"”'’" or len(prev_line.strip()) < _SHORT_LINE:
        return True
    return bool(_LIST_START.match(text, run_end))


def build(draft: Draft, masked: str, tags: list) -> Analysis:
    text = masked.translate(_PLAIN_QUOTES)
    if tags:
        chars = list(text)
        for t in tags:
            if t.syntax == "filler" or not text[t.start : t.end].strip():
                continue
            for k in range(t.start, t.end):
                if chars[k] not in "\n":
                    chars[k] = "X" if k == t.start else "x"
        text = "".join(chars)
    out: list[str] = []
    offsets = array("l")
    pos = 0
    for m in _WS.finditer(text):
        s, e = m.start(), m.end()
        if s > pos:
            out.append(text[pos:s])
            offsets.extend(range(pos, s))
        run = m.group()
        newlines = run.count("\n")
        if s == 0 or e == len(text):
            rep = "\n" if newlines else ""
        elif newlines >= 2:
            rep = "\n\n"
        elif newlines == 1:
            rep = "\n" if _structural_break(text, s, e) else " "
        else:
            rep = " "
        if rep:
            out.append(rep)
            first_nl = run.find("\n")
            anchor = s + (first_nl if first_nl >= 0 else 0)
            offsets.extend([anchor] * len(rep))
        pos = e
    if pos < len(text):
        out.append(text[pos:])
        offsets.extend(range(pos, len(text)))
    return Analysis("".join(out), offsets, draft)
