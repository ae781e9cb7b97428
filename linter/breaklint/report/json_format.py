"""--format json: one JSON array of findings, the shape documented in the README."""

from __future__ import annotations

import json
from typing import IO

from ..engine import FileResult


class JsonFormatter:
    def __init__(self, out: IO[str], color: bool = False, width: int = 100):
        self.out = out
        self.items: list[dict] = []

    def file(self, result: FileResult) -> None:
        self.items.extend(f.to_dict() for f in result.findings)

    def finish(self, summary) -> None:
        json.dump(self.items, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")
