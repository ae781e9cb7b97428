"""Character offsets to 1-based line and column numbers."""

from __future__ import annotations

import bisect
import re

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class LineIndex:
    """Maps offsets in a text to (line, column), both 1-based.

    Lines end at "\\n"; a "\\r" before it belongs to the line, so CRLF files get the
    same line numbers an editor shows.
    """

    def __init__(self, text: str):
        self.text = text
        self._astral: list[int] | None = None
        self._starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column0: int) -> int:
        """The offset of a 1-based line and 0-based column (as html.parser reports)."""
        line = max(1, min(line, len(self._starts)))
        return min(self._starts[line - 1] + column0, len(self.text))

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line terminator."""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def raw_line_length(self, line: int) -> int:
        """The length of a 1-based line with its terminator ("\\r\\n" or "\\n")."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else len(self.text)
        return end - start

    def utf16_column(self, line: int, column: int) -> int:
        """A 1-based `column` of `line` counted in UTF-16 code units: one more for each
        character outside the Basic Multilingual Plane (emoji) before it. Astral
        characters are found once per text, so thousands of findings on one long line
        cost no more than a few."""
        if line > len(self._starts):
            return column
        if self._astral is None:
            self._astral = [m.start() for m in _ASTRAL.finditer(self.text)]
        if not self._astral:
            return column
        start = self._starts[line - 1]
        end = min(start + column - 1, start + self.raw_line_length(line))
        return column + bisect.bisect_left(self._astral, end) - bisect.bisect_left(self._astral, start)

    @property
    def line_count(self) -> int:
        return len(self._starts)
