"""Inline suppressions, only where the recipient can never see them.

A comment in a plain-text draft would be mailed to the customer, so suppressions are
read only from comments the sending side strips: HTML `<!-- -->`, Jinja `{# #}`,
Handlebars `{{!-- --}}` and Liquid `{% comment %}` (the readers collect them):

    <!-- breaklint: disable SARC001, ultimatum -->   ... until enable or end of file
    <!-- breaklint: enable SARC001 -->
    {# breaklint: disable-next-line TAG103 #}        ... only the next line
    <!-- breaklint: disable -->                      ... every rule

A suppression that suppresses nothing is reported, so stale ones do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .draft import Comment
from .finding import CATEGORIES, Finding
from .positions import LineIndex

_DIRECTIVE = re.compile(r"^\s*breaklint\s*:\s*(disable-next-line|disable|enable)\b\s*(.*?)\s*$", re.I | re.S)


@dataclass
class Directive:
    kind: str  # disable | enable | disable-next-line
    ids: frozenset[str] | None  # rule ids or categories; None = all rules
    line: int
    start: int  # source offsets the directive covers (for disable: until enable)
    end: int
    text: str
    used: bool = False

    def covers(self, f: Finding) -> bool:
        if self.ids is not None and f.rule not in self.ids and f.category not in self.ids:
            return False
        return self.start <= f.start < self.end


def parse(comments: list[Comment], source: str) -> list[Directive]:
    """The disable directives in `comments`, each with the source range it covers."""
    index = LineIndex(source)
    directives: list[Directive] = []
    for c in sorted(comments, key=lambda c: c.offset):
        m = _DIRECTIVE.match(c.text)
        if not m:
            continue
        kind = m.group(1).lower()
        names = [n for n in re.split(r"[\s,]+", m.group(2)) if n]
        ids = frozenset(n if n in CATEGORIES else n.upper() for n in names) or None
        line = index.line_col(c.offset)[0]
        if kind == "disable-next-line":
            start = index.offset(line + 1, 0) if line < index.line_count else len(source)
            end = index.offset(line + 2, 0) if line + 1 < index.line_count else len(source)
        else:
            start, end = c.end, len(source)
        directives.append(Directive(kind, ids, line, start, end, " ".join(c.text.split())))
    # An "enable" ends the open "disable" ranges it names.
    for i, d in enumerate(directives):
        if d.kind != "enable":
            continue
        for earlier in directives[:i]:
            if earlier.kind == "disable" and earlier.end > d.start - 1 and (d.ids is None or earlier.ids is None or earlier.ids & d.ids):
                earlier.end = min(earlier.end, d.start)
    return [d for d in directives if d.kind != "enable"]


def apply(findings: list[Finding], directives: list[Directive], known_ids: set[str]) -> tuple[list[Finding], list[str]]:
    """Drop suppressed findings; warn about suppressions that are unused or name
    unknown rules."""
    kept = []
    for f in findings:
        hit = [d for d in directives if d.covers(f)]
        for d in hit:
            d.used = True
        if not hit:
            kept.append(f)
    warnings = []
    for d in directives:
        unknown = sorted(n for n in (d.ids or ()) if n not in known_ids and n not in CATEGORIES)
        if unknown:
            warnings.append(f"line {d.line}: '{d.text}' names unknown rule(s) {', '.join(unknown)}")
        elif not d.used:
            warnings.append(f"line {d.line}: '{d.text}' suppresses nothing; remove it")
    return kept, warnings
