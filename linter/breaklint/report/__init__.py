"""Formatters turn FileResults into output. They only format: no linting here.

Every formatter has the same three calls, so results can stream: `file()` once per
checked file as soon as it is done, then `finish()` with the run's summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover - the engine is not needed to list formats (fast `rules`)
    from ..engine import FileResult


@dataclass
class Summary:
    files_checked: int = 0
    files_skipped: int = 0
    files_failed: int = 0
    fixed: int = 0
    baselined: int = 0  # findings left out because the baseline holds them
    by_severity: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})

    def add(self, result: FileResult) -> None:
        if result.error:
            self.files_failed += 1
        elif result.skipped:
            self.files_skipped += 1
        else:
            self.files_checked += 1
        for f in result.findings:
            self.by_severity[f.severity] += 1

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())


class Formatter(Protocol):
    def file(self, result: FileResult) -> None: ...

    def finish(self, summary: Summary) -> None: ...


# name -> (module in this package, class). Formatters are imported only when used.
FORMATTERS: dict[str, tuple[str, str]] = {
    "text": ("text_format", "TextFormatter"),
    "json": ("json_format", "JsonFormatter"),
    "sarif": ("sarif_format", "SarifFormatter"),
    "github": ("github_format", "GithubFormatter"),
    "junit": ("junit_format", "JunitFormatter"),
    "html": ("html_format", "HtmlFormatter"),
}
FORMATS = tuple(FORMATTERS)


def make_formatter(name: str, out: IO[str], color: bool = False, width: int = 100) -> Formatter:
    """Build the formatter `name`. Every formatter class takes (out, color=, width=)
    and may ignore what it does not use."""
    import importlib

    module_name, class_name = FORMATTERS[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, class_name)(out, color=color, width=width)
