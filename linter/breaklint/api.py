"""The library API that the CLI, the pre-commit hook and editors call."""

from __future__ import annotations

from collections.abc import Iterator

from .engine import FileResult, Linter, Options
from .finding import Finding

__all__ = ["Linter", "Options", "FileResult", "lint_text", "lint_paths"]


def lint_text(text: str, profile: str = "breakup", path: str = "<text>", **options) -> list[Finding]:
    """Lint one draft given as a string. Keyword options are those of `Options`
    (model, wpm, max_seconds, select, ignore, ...)."""
    return Linter(options=Options(profile=profile, **options)).lint_text(text, path)


def lint_paths(paths: list[str], profile: str = "breakup", **options) -> Iterator[FileResult]:
    """Lint files and folders (recursively); yields one FileResult per file."""
    return Linter(options=Options(profile=profile, **options)).lint_paths(paths)
