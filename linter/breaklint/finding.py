"""The Finding record every rule produces and every formatter consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
# Higher number = more severe; used for --fail-on and for sorting.
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
CATEGORIES = ("sarcasm", "customer-blaming", "ultimatum", "self-oriented", "length", "merge-tag")


@dataclass(frozen=True)
class Fix:
    """Replace source[start:end] with `replacement`. `safe` fixes are applied by --fix."""

    start: int
    end: int
    replacement: str
    safe: bool = True


@dataclass(frozen=True)
class Finding:
    path: str
    rule: str
    category: str
    severity: str
    # 0-based character offsets into the file's text, end exclusive.
    start: int
    end: int
    # 1-based; end_column is the column just after the last character of the span
    # (exclusive, as in SARIF and LSP), so a one-character span has
    # end_column == column + 1.
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    message: str
    suggestion: str | None
    source: str | None
    zone: str = "body"
    confidence: str = "high"
    fix: Fix | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape. Keys are a contract: add, never rename."""
        return {
            "path": self.path,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
            "source": self.source,
            "zone": self.zone,
            "confidence": self.confidence,
            "fix": None
            if self.fix is None
            else {
                "start": self.fix.start,
                "end": self.fix.end,
                "replacement": self.fix.replacement,
                "safe": self.fix.safe,
            },
        }

    def sort_key(self) -> tuple:
        return (self.path, self.start, self.end, self.rule)
