"""The text a recipient sees in an HTML email, with each character mapped to the source.

Built on the standard library's HTMLParser, which reports where every tag and every
run of text starts, so a finding in the extracted text points at the right line and
column of the .html file. Character references are handled one by one for the same
reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.entities import name2codepoint
from html.parser import HTMLParser

from .draft import Comment
from .positions import LineIndex

# Elements that start a new line or paragraph in a mail client's rendering.
_PARAGRAPH = frozenset(
    "p div h1 h2 h3 h4 h5 h6 blockquote table ul ol pre hr address section article "
    "header footer center mj-text mj-section mj-column mj-button mj-wrapper".split()
)
_LINE = frozenset("br li tr dt dd".split())
_CELL = frozenset("td th".split())
# Content that is never shown as text.
_HIDDEN = frozenset("head script style title template noscript svg mj-head mj-style mj-attributes".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")


@dataclass
class Extracted:
    """Text plus, for every character of it, its offset in the source."""

    text: str
    offsets: list[int]
    comments: list[Comment] = field(default_factory=list)


class _Extractor(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.index = LineIndex(source)
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.comments: list[Comment] = []
        self.hidden_stack: list[str] = []  # tags whose content is not shown
        self.pre = 0

    # -- helpers -----------------------------------------------------------------
    def _here(self) -> int:
        line, col = self.getpos()
        return self.index.offset(line, col)

    def _hidden(self) -> bool:
        return bool(self.hidden_stack)

    def _emit(self, text: str, start: int, step: bool = True) -> None:
        """Append text whose first character sits at `start`; each next character at
        the next offset when `step` (literal text), else at `start` (an entity)."""
        if self._hidden():
            return
        for i, ch in enumerate(text):
            self.chars.append(ch)
            self.offsets.append(start + i if step else start)

    def _break(self, newlines: int, at: int) -> None:
        if self._hidden() or not self.chars:
            return
        # Trim trailing spaces, then add up to `newlines` line breaks.
        while self.chars and self.chars[-1] == " ":
            self.chars.pop()
            self.offsets.pop()
        have = 0
        for ch in reversed(self.chars):
            if ch != "\n":
                break
            have += 1
        for _ in range(max(0, newlines - have)):
            self.chars.append("\n")
            self.offsets.append(at)

    # -- HTMLParser callbacks ----------------------------------------------------
    def handle_starttag(self, tag, attrs):
        at = self._here()
        attributes = dict(attrs)
        hidden = (
            tag in _HIDDEN
            or "hidden" in attributes
            or bool(_DISPLAY_NONE.search(attributes.get("style") or ""))
        )
        if tag in _VOID:
            if tag == "br":
                self._break(1, at)
            elif tag == "hr":
                self._break(2, at)
            return
        if hidden or self._hidden():
            self.hidden_stack.append(tag)
            return
        if tag == "pre":
            self.pre += 1
        if tag in _PARAGRAPH:
            self._break(2, at)
        elif tag in _LINE:
            self._break(1, at)
        elif tag in _CELL:
            self._space(at)

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self._break(1, self._here())

    def handle_endtag(self, tag):
        at = self._here()
        if self.hidden_stack:
            # Close the innermost matching hidden element; tolerate sloppy markup.
            if tag in self.hidden_stack:
                while self.hidden_stack:
                    if self.hidden_stack.pop() == tag:
                        break
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        if tag in _PARAGRAPH:
            self._break(2, at)
        elif tag in _LINE:
            self._break(1, at)

    def _space(self, at: int) -> None:
        if self.chars and self.chars[-1] not in (" ", "\n"):
            self._emit(" ", at)

    def handle_data(self, data):
        if self._hidden():
            return
        start = self._here()
        if self.pre:
            self._emit(data, start)
            return
        # Collapse whitespace as a browser does; each run becomes one space that
        # points at the run's first character.
        pos = 0
        for m in _SPACE.finditer(data):
            if m.start() > pos:
                self._emit(data[pos : m.start()], start + pos)
            if self.chars and self.chars[-1] not in (" ", "\n"):
                self._emit(" ", start + m.start())
            pos = m.end()
        if pos < len(data):
            self._emit(data[pos:], start + pos)

    def handle_entityref(self, name):
        cp = name2codepoint.get(name)
        at = self._here()
        if cp is None:
            self._emit(f"&{name};", at)
        else:
            self._emit(" " if cp == 0xA0 else chr(cp), at, step=False)

    def handle_charref(self, name):
        at = self._here()
        try:
            cp = int(name[1:], 16) if name[:1] in ("x", "X") else int(name)
            ch = chr(cp)
        except (ValueError, OverflowError):
            ch = "\ufffd"
        if ch in ("\u00a0", "\u200c", "\u200b", "\u034f", "\u00ad"):
            # Invisible preheader padding (&zwnj;, &#847;) and nbsp read as space.
            if ch == "\u00a0":
                self._space(at)
            return
        self._emit(ch, at, step=False)

    def handle_comment(self, data):
        at = self._here()
        self.comments.append(Comment(at, at + len(data) + 7, data))


def html_to_text(source: str) -> Extracted:
    """Extract the visible text of an HTML document or fragment."""
    parser = _Extractor(source)
    parser.feed(source)
    parser.close()
    chars, offsets = parser.chars, parser.offsets
    # Drop leading and trailing blank lines so zones start at the greeting.
    start = 0
    while start < len(chars) and chars[start] in (" ", "\n"):
        start += 1
    end = len(chars)
    while end > start and chars[end - 1] in (" ", "\n"):
        end -= 1
    text = "".join(chars[start:end])
    return Extracted(text + "\n" if text else "", offsets[start:end] + ([offsets[end - 1] + 1] if text else []), parser.comments)
