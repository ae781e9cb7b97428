"""Merge tags: the placeholder syntaxes of the platforms that send sales email.

One scanner finds every tag in a draft once; rules pick the syntaxes they report. In a
draft any tag is an error (it would go out literally); in a template library tags are
expected, and the template rules check that they are well formed instead.

| syntax         | platforms (examples)                                              |
|----------------|-------------------------------------------------------------------|
| double_brace   | Handlebars, Mustache, Liquid, Jinja, HubSpot, Marketo, Pardot,     |
|                | Outreach, Apollo, lemlist: {{first_name}}, {{ contact.firstname }},|
|                | {{ first_name | default: "there" }}, {{lead.First Name:default=x}} |
| triple_brace   | Handlebars unescaped: {{{first_name}}}; Braze: {{${first_name}}}   |
| block_tag      | Liquid / Jinja statements: {% if first_name %}                     |
| mailchimp      | Mailchimp: *|FNAME|*, *|IF:FNAME|*                                 |
| salesforce     | Salesforce: {!Contact.FirstName}                                   |
| double_percent | Pardot / Account Engagement: %%first_name%%                        |
| percent        | ActiveCampaign: %FIRSTNAME%                                        |
| single_brace   | GMass, Woodpecker, Instantly: {FirstName}; spintax {Hi|Hello}      |
| campaign_monitor | Campaign Monitor: [firstname,fallback=there]                     |
| chevron        | Word mail merge: «FirstName»; hand-made <<Name>>                   |
| bracket        | hand-made: [First Name], [Company], [insert case study]            |
| angle          | hand-made: <Name>, <Company>                                       |
| paren_insert   | hand-made: (insert your prospect name here)                        |
| filler         | XXX, TODO, TBD, TKTK, FIXME, XYZ, ______                           |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REPORTS = ("unfilled", "malformed")

# Bracketed text that is ordinary writing, not a placeholder.
_BENIGN_BRACKET = re.compile(
    r"^\s*(?:\d+[a-z]?|[a-z]|[✓✔]|sic\.?|sic!|emphasis (?:mine|added)|redacted|"
    r"(?:attachments?|attached|image|photo|picture|file|cid|video|audio|pdf|screenshot|link removed)\s*[:\-].*|"
    r"external|ext|spam|suspicious|urgent|important|fyi|draft|\.\.\.|…)\s*$",
    re.I,
)
_HTML_TAG = re.compile(
    r"^/?(?:a|b|i|u|p|s|br|hr|div|span|strong|em|img|table|tbody|thead|tr|td|th|ul|ol|li|h[1-6]|html|head|"
    r"body|style|script|font|center|small|big|sup|sub|blockquote|pre|code|meta|link|title|mj-[a-z-]+)\b",
    re.I,
)

_SYNTAXES: list[tuple[str, re.Pattern[str]]] = [
    ("triple_brace", re.compile(r"\{\{\{[^{}\n]{1,120}\}\}\}|\{\{\$\{[^{}\n]{1,120}\}\}\}")),
    ("double_brace", re.compile(r"\{\{(?!\{)[^{}\n]{1,200}?\}\}|\{\{(?!\{)[^{}]{1,80}?\}\}")),
    ("block_tag", re.compile(r"\{%-?[^%\n]{1,200}?-?%\}")),
    ("mailchimp", re.compile(r"\*\|[A-Za-z0-9_:,.\- ]{1,60}\|\*")),
    ("salesforce", re.compile(r"\{!\s*[A-Za-z_$][^{}\n]{0,120}\}")),
    ("double_percent", re.compile(r"%%[A-Za-z_][A-Za-z0-9_.\-]{0,60}%%")),
    ("percent", re.compile(r"(?<![\w%])%[A-Za-z_][A-Za-z0-9_]{1,40}%(?![\w%])")),
    ("campaign_monitor", re.compile(r"\[[A-Za-z][\w ]{0,40},\s*fallback=[^\]\n]{0,60}\]", re.I)),
    ("chevron", re.compile(r"«[^«»\n]{1,60}»|<<\s*[A-Za-z_][^<>\n]{0,60}>>")),
    ("single_brace", re.compile(r"(?<![{$\w])\{(?![{!%#])\s*[A-Za-z_][\w .|?!,’'&/-]{0,120}?\s*\}(?!\})")),
    ("bracket", re.compile(r"(?<![\[!\w])\[(?!\[)([^\[\]\n]{1,160}(?:\n[^\[\]\n]{1,80})?)\](?![(\[:])")),
    ("angle", re.compile(r"(?<![<\w])<(?![<\s/!])([A-Za-z][^<>@\n=\"/:]{0,60})>(?!>)")),
    ("paren_insert", re.compile(r"\((?:insert|add|enter|put|fill in)\b[^()\n]{0,100}\)|\([^()\n]{1,80}\bhere\)", re.I)),
    ("filler", re.compile(r"\b(?:X{3,}|TODO|TBD|TKTK|FIXME|XYZ)\b|(?<=\S[ \t])_{4,}|_{4,}(?=[ \t]*\S)")),
]
SYNTAX_NAMES = tuple(name for name, _ in _SYNTAXES)


@dataclass(frozen=True)
class Tag:
    syntax: str
    start: int
    end: int
    text: str


def _accept(syntax: str, m: re.Match[str]) -> bool:
    if syntax == "bracket":
        inner = m.group(1)
        if not any(c.isalpha() for c in inner) or _BENIGN_BRACKET.match(inner):
            return False
        if inner in (" ", "x", "X"):
            # "- [x] done" is a task-list checkbox; "across [X] time zones" is a blank.
            line_start = m.string.rfind("\n", 0, m.start()) + 1
            return not re.fullmatch(r"\s*(?:[-*+]|\d+[.)])?\s*", m.string[line_start : m.start()])
        return True
    if syntax == "angle":
        inner = m.group(1)
        return not _HTML_TAG.match(inner) and not inner.endswith(" ")
    if syntax == "single_brace":
        inner = m.group()[1:-1].strip()
        # Code and CSS ({ color: red }) have colons or semicolons; prose in braces
        # longer than a few words is not a field either, unless it is spintax.
        return "|" in inner or len(inner.split()) <= 4
    return True


def scan(text: str) -> list[Tag]:
    """Every merge tag in `text`, overlaps resolved in favour of the longest tag."""
    found: list[Tag] = []
    for syntax, pattern in _SYNTAXES:
        for m in pattern.finditer(text):
            if _accept(syntax, m):
                found.append(Tag(syntax, m.start(), m.end(), m.group()))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[Tag] = []
    for tag in found:
        if kept and tag.start < kept[-1].end:
            continue
        kept.append(tag)
    return kept


# Template mode: pairs that must open and close on the same line.
_SIMPLE_PAIRS = (("*|", "|*"), ("{%", "%}"), ("«", "»"), ("<<", ">>"), ("%%", "%%"))


def malformed(text: str) -> list[Tag]:
    """Tags with unbalanced or mismatched delimiters: "{{first_name}", "{{ x }}}",
    "first_name}}", "*|FNAME|", "{% if x", "%%first_name%"."""
    problems: list[Tag] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        problems.extend(_braces(line.rstrip("\r\n"), pos))
        problems.extend(_pairs(line.rstrip("\r\n"), pos))
        pos += len(line)
    problems.sort(key=lambda t: t.start)
    kept: list[Tag] = []
    for tag in problems:
        if not kept or tag.start >= kept[-1].end:
            kept.append(tag)
    return kept


def _braces(line: str, offset: int) -> list[Tag]:
    """Curly-brace tags: every opening run must be closed by braces that bring the
    depth back to zero, with no stray closing braces after it."""
    out: list[Tag] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c == "{":
            run = len(line[i:]) - len(line[i:].lstrip("{"))
            depth, j = 0, i
            while j < n:
                if line[j] == "{":
                    depth += 1
                elif line[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if depth > 0:
                if run >= 2 or line[i + 1 : i + 2] in ("!", "%"):
                    end = min(n, i + 40)
                    out.append(Tag("unclosed", offset + i, offset + end, line[i:end]))
                i += run
                continue
            end = j + 1
            extra = len(line[end:]) - len(line[end:].lstrip("}"))
            closing = len(line[:end]) - len(line[:end].rstrip("}"))
            if extra or (run >= 2 and closing < run and line[i + run : i + run + 1] != "$"):
                out.append(Tag("mismatched", offset + i, offset + end + extra, line[i : end + extra]))
                end += extra
            i = end
        elif c == "}":
            run = len(line[i:]) - len(line[i:].lstrip("}"))
            if run >= 2:
                # Point at the variable name the opening braces are missing from.
                m = re.search(r"[\w.|:]+ ?$", line[:i])
                start = m.start() if m else i
                out.append(Tag("unopened", offset + start, offset + i + run, line[start : i + run]))
            i += run
        else:
            i += 1
    return out


def _pairs(line: str, offset: int) -> list[Tag]:
    out: list[Tag] = []
    for opener, closer in _SIMPLE_PAIRS:
        i = 0
        while True:
            i = line.find(opener, i)
            if i == -1:
                break
            j = line.find(closer, i + len(opener))
            if j == -1:
                if opener == closer and i > 0 and line[i - 1].isalnum():
                    i += len(opener)
                    continue
                end = min(len(line), i + len(opener) + 30)
                out.append(Tag("unclosed", offset + i, offset + end, line[i:end]))
                break
            i = j + len(closer)
        if opener != closer:
            # A closer with no opener before it on the line.
            i = 0
            while True:
                i = line.find(closer, i)
                if i == -1:
                    break
                if line.rfind(opener, 0, i) == -1:
                    start = i - len(line[:i]) + len(line[:i].rstrip().rsplit(" ", 1)[0]) if " " in line[:i].rstrip() else 0
                    out.append(Tag("unopened", offset + start, offset + i + len(closer), line[start : i + len(closer)].strip()))
                i += len(closer)
    return out
