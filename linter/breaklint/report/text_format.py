"""--format text: what a person reads in a terminal.

    draft.txt:3:41: BLAME001 [error] Makes the prospect's silence their failure.
       3 | Thanks for the note. Since you didn't reply, I assume...
         |                            ^^^^^^^^^^^^^^^^
      = suggestion: Drop "you didn't reply" and state it from your side...
"""

from __future__ import annotations

from functools import lru_cache
from typing import IO

import click

from ..engine import FileResult
from ..finding import Finding
from ..positions import LineIndex

_SEVERITY_COLOR = {"error": "red", "warning": "yellow", "info": "blue"}
# A draft's control characters (an escape sequence, a lone CR) printed raw could
# recolour, retitle or overwrite the user's terminal: show each as one visible symbol,
# so carets stay aligned.
_VISIBLE = {c: chr(0x2400 + c) for c in range(32)} | {0x7F: "\u2421"} | {c: "\ufffd" for c in range(0x80, 0xA0)}


def _visible(text: str) -> str:
    return text.translate(_VISIBLE)


class TextFormatter:
    def __init__(self, out: IO[str], color: bool = False, width: int = 100):
        self.out = out
        self.color = color
        self.width = max(width, 40)
        self._lines = {}

    def _style(self, text: str, **kw) -> str:
        return click.style(text, **kw) if self.color else text

    def file(self, result: FileResult) -> None:
        if not result.findings:
            return
        index: LineIndex | None = None
        self._lines: dict[int, str] = {}  # each line prepared once, however many findings it has
        text = _source_text(result)
        if text is not None:
            index = LineIndex(text)
        for f in result.findings:
            self._finding(f, index)

    def _finding(self, f: Finding, index: LineIndex | None) -> None:
        w = self.out.write
        sev = self._style(f"[{f.severity}]", fg=_SEVERITY_COLOR[f.severity], bold=True)
        head = f"{_visible(f.path)}:{f.line}:{f.column}: {self._style(f.rule, bold=True)} {sev} {_visible(f.message)}"
        w(head + "\n")
        if index is not None and f.line <= index.line_count:
            self._excerpt(f, index)
        if f.suggestion:
            w(_wrap(f"  = suggestion: {_visible(f.suggestion)}", self.width, "                ") + "\n")
        if f.fix is not None:
            kind = "fix" if f.fix.safe else "unsafe fix"
            what = "remove it" if f.fix.replacement == "" else f"replace with {f.fix.replacement!r}"
            w(f"  = {kind} available: {what}\n")
        w("\n")

    def _excerpt(self, f: Finding, index: LineIndex) -> None:
        if f.line not in self._lines:
            self._lines[f.line] = _visible(index.line_text(f.line).expandtabs(1))
        line = self._lines[f.line]
        gutter = len(str(f.line)) + 2
        start = f.column - 1
        end = f.end_column - 1 if f.end_line == f.line else len(line)
        end = max(end, start + 1)
        # Keep the marked span in view when the line is wider than the terminal.
        room = self.width - gutter - 3
        offset = 0
        if len(line) > room:
            offset = max(0, min(start - room // 4, len(line) - room))
            shown = line[offset : offset + room]
            if offset > 0:
                shown = "…" + shown[1:]
            if offset + room < len(line):
                shown = shown[:-1] + "…"
        else:
            shown = line
        caret_start = start - offset
        caret_len = max(1, min(end, offset + len(shown)) - start)
        more = f" (+{f.end_line - f.line} more line{'s' if f.end_line - f.line > 1 else ''})" if f.end_line > f.line else ""
        num = self._style(str(f.line).rjust(gutter - 1), fg="blue")
        bar = self._style("|", fg="blue")
        self.out.write(f"{num} {bar} {shown}\n")
        marks = self._style("^" * caret_len, fg=_SEVERITY_COLOR[f.severity], bold=True)
        self.out.write(f"{' ' * (gutter - 1)} {bar} {' ' * caret_start}{marks}{more}\n")

    def finish(self, summary) -> None:
        files = summary.files_checked
        parts = [f"{summary.by_severity[s]} {s}{'s' if summary.by_severity[s] != 1 and s != 'info' else ''}" for s in ("error", "warning", "info")]
        line = f"Checked {files} file{'s' if files != 1 else ''}: " + ", ".join(parts)
        if summary.files_skipped:
            line += f"; {summary.files_skipped} skipped"
        if summary.files_failed:
            line += f"; {summary.files_failed} could not be read"
        if summary.baselined:
            line += f"; {summary.baselined} more in the baseline"
        if summary.fixed:
            line += f"; fixed {summary.fixed} finding{'s' if summary.fixed != 1 else ''}"
        line += "."
        if summary.total == 0 and not summary.files_failed:
            line = self._style(line, fg="green")
        self.out.write(line + "\n")


def _source_text(result: FileResult) -> str | None:
    return result.source_text


@lru_cache(maxsize=1024)  # a rule's suggestion repeats in every draft it flags
def _wrap(text: str, width: int, indent: str) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width=width, subsequent_indent=indent, break_long_words=False)) or text
