"""--format github: GitHub Actions workflow commands, one line per finding, which the
runner turns into annotations on the pull request's diff:

    ::error file=drafts/a.txt,line=3,col=1,endLine=3,endColumn=18,title=BLAME001::Makes the ...

error -> error, warning -> warning, info -> notice. Property values escape % \\r \\n : ,
and the message escapes % \\r \\n, as the Actions runner expects. GitHub takes columns
only for a span on one line, so a span over several lines gets line and endLine only.
"""

from __future__ import annotations

from typing import IO

from ..engine import FileResult
from ..finding import Finding
from ._common import index_for, region, relative_posix

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: object) -> str:
    shown = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + shown if shown else ''}::{escape_data(message)}"


class GithubFormatter:
    def __init__(self, out: IO[str], color: bool = False, width: int = 100):
        self.out = out

    def file(self, result: FileResult) -> None:
        path = relative_posix(result.path)[0]
        if result.error:
            self.out.write(command("error", result.error, file=path, title="breaklint: could not read the draft") + "\n")
            return
        index = index_for(result.source_text)
        for f in result.findings:
            self.out.write(self._line(f, path, index) + "\n")

    def _line(self, f: Finding, path: str, index) -> str:
        line, col, end_line, end_col = region(f, index)
        message = f.message if not f.suggestion else f"{f.message}\nSuggestion: {f.suggestion}"
        if end_line == line:
            return command(COMMANDS[f.severity], message, file=path, line=line, col=col, endLine=end_line, endColumn=end_col, title=f.rule)
        return command(COMMANDS[f.severity], message, file=path, line=line, endLine=end_line, title=f.rule)

    def finish(self, summary) -> None:
        n = summary.by_severity
        counts = ", ".join(f"{n[s]} {s}{'s' if n[s] != 1 and s != 'info' else ''}" for s in ("error", "warning", "info"))
        self.out.write(f"breaklint: checked {summary.files_checked} file{'s' if summary.files_checked != 1 else ''}: {counts}.\n")
