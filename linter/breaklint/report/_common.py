"""Small helpers the machine-readable formatters share: paths as URIs and a finding's
span as a (start line, start column, end line, end column) region."""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from urllib.parse import quote

from ..finding import Finding
from ..positions import LineIndex


def relative_posix(path: str) -> tuple[str, bool]:
    """`path` as a POSIX path, relative to the current folder when it lies inside it.
    Returns (path, is_relative)."""
    if path in ("-", "<stdin>"):
        return "stdin", True
    p = Path(path)
    if p.is_absolute():
        try:
            rel = p.resolve().relative_to(Path.cwd().resolve())
        except (ValueError, OSError):
            return p.as_posix(), False
        return rel.as_posix(), True
    parts = [s for s in PurePath(path).as_posix().split("/") if s not in ("", ".")]
    return "/".join(parts) or ".", True


def artifact_uri(path: str) -> tuple[str, bool]:
    """A URI reference for `path`: relative and percent-encoded when it can be, else a
    file:// URI. Returns (uri, is_relative)."""
    posix, relative = relative_posix(path)
    if relative:
        return quote(posix, safe="/-._~"), True
    try:
        return Path(os.path.abspath(path)).as_uri(), False
    except ValueError:  # pragma: no cover - not absolute after all
        return quote(posix, safe="/-._~"), True


def region(f: Finding, index: LineIndex | None) -> tuple[int, int, int, int]:
    """(startLine, startColumn, endLine, endColumn) as SARIF defines them: the end
    line is the line of the span's last character and the end column the column just
    after it. Finding.end_column is already exclusive; the only case to adjust is a
    span whose last character is a line break, which Finding reports as column 1 of the
    next line."""
    line, col, end_line, end_col = f.line, f.column, f.end_line, f.end_column
    if f.end > f.start and end_col == 1 and end_line > line:
        end_line -= 1
        if index is not None and end_line <= index.line_count:
            end_col = index.raw_line_length(end_line) + 1
        else:
            end_col = max(col, 1) + 1 if end_line == line else 2
    if end_line == line and end_col < col:
        end_col = col
    return line, col, end_line, end_col


def region_utf16(f: Finding, index: LineIndex | None) -> tuple[int, int, int, int]:
    """`region()` with columns counted in UTF-16 code units (SARIF's default
    columnKind, and what GitHub uses). Same numbers for text without astral
    characters such as emoji."""
    line, col, end_line, end_col = region(f, index)
    if index is None:
        return line, col, end_line, end_col
    return line, index.utf16_column(line, col), end_line, index.utf16_column(end_line, end_col)


def index_for(text: str | None) -> LineIndex | None:
    return LineIndex(text) if text is not None else None


def span_matches(f: Finding, text: str | None) -> bool:
    """Whether the finding's offsets point at its text in `text` (they do for every
    reader today; checked so a report never highlights the wrong words)."""
    return text is not None and 0 <= f.start <= f.end <= len(text) and text[f.start : f.end] == f.text
