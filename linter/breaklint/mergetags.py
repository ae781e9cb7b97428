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
| paren_field    | hand-made or redacted: (Name), (Company Name), (CompanyX)          |
| filler         | XXX, TODO, TBD, TKTK, FIXME, XYZ, ______                           |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REPORTS = ("unfilled", "malformed", "mixed", "no_fallback", "unknown")

# Bracketed text that is ordinary writing, not a placeholder.
_BENIGN_BRACKET = re.compile(
    r"^\s*(?:\d+[a-z]?|[a-z]|[✓✔]|sic\.?|sic!|emphasis (?:mine|added)|redacted|"
    r"(?:attachments?|attached|image|photo|picture|file|cid|video|audio|pdf|screenshot|link removed)\s*[:\-].*|"
    r"external|ext|spam|suspicious|urgent|important|fyi|draft|\.\.\.|…|"
    # a helpdesk or tracker reference: "[Ticket 48817]", "[Case #2291]", "[SUP-4412]"
    r"(?:ticket|case|ref(?:erence)?|incident|request|order|invoice|job|po|issue|bug|claim|booking|sr|inc|req)\s*(?:no\.?|number|#)?\s*[:#-]?\s*[a-z0-9-]*\d{3,}[a-z0-9-]*|"
    r"[a-z]{2,10}-\d{2,}|"
    # stage directions: "[slow clap]", "[sighs]", "[crickets]"
    r"(?:a )?slow[- ]clap(?:s|ping)?|(?:long |deep |heavy )?sighs?|crickets?(?: chirp\w*)?(?: \w+)?|tumble ?weeds?(?: \w+){0,2}|drum ?roll|shrugs?|laughs?)\s*$",
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
    # A name or company written in round brackets is a stand-in, whether the writer left
    # it or a publisher redacted it: it reads as a placeholder either way. Only the bare
    # field words count: "(Product)" after a colleague's name is a department.
    (
        "paren_field",
        re.compile(
            r"\((?:(?:your|my|their|the|a|an|another|prospect'?s|client'?s|contact'?s)\s+)?"
            r"(?:local\s+)?(?:first\s+|last\s+|full\s+|company\s+)?"
            r"(?:name|company|sales\s*(?:person|rep)|city|town)(?:\s*name)?(?:\s*x)?\)",
            re.I,
        ),
    ),
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
        raw = m.group()[1:-1]
        inner = raw.strip()
        if "|" in inner:
            return True  # spintax {Hi|Hello}
        # Field names are written tight ({FirstName}); "{ y }" and one-letter
        # "{x}" are code or maths. Prose in braces longer than a few words is not a
        # field either.
        return raw == inner and len(inner) > 1 and len(inner.split()) <= 4
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


# -- Template mode ------------------------------------------------------------------

# Platform families: a template is written for one platform, which fills only its own
# syntax. Hand-made placeholders ([First Name], XXX) belong to no platform.
FAMILIES = {
    "double_brace": "Handlebars/Liquid/Jinja", "triple_brace": "Handlebars/Liquid/Jinja",
    "block_tag": "Handlebars/Liquid/Jinja", "mailchimp": "Mailchimp", "salesforce": "Salesforce",
    "double_percent": "Pardot", "percent": "ActiveCampaign", "campaign_monitor": "Campaign Monitor",
    "single_brace": "GMass/single-brace", "chevron": "Word mail merge",
}
# Syntaxes whose platforms let a tag carry its own fallback value.
FALLBACK_SYNTAXES = frozenset({"double_brace", "triple_brace"})
_FALLBACK = re.compile(r"\|\s*default\b|:\s*default\s*=|\bdefault\s*\(|\|\|\s*\S|,\s*fallback\s*=", re.I)
# Values the platform always has: links, sender fields, dates.
_ALWAYS_SET = re.compile(
    r"unsubscribe|preferences|url|link|href|view_?in_?browser|sender|owner|from_|my_|user\.|"
    r"date|now|year|today|current|company_address|physical_address|\bcontent\b|\bbody\b|^\$|^[#/^>!&@]",
    re.I,
)
_CONTROL = re.compile(r"^(?:IF|ELSE|ELSEIF|END|IFNOT|INTERESTED|UNSUB|UPDATE_PROFILE|ARCHIVE|LIST:|MC_|REWARDS|CURRENT_YEAR|DATE)", re.I)


def variable(tag: Tag) -> str | None:
    """The field a tag fills: "contact.firstname" for {{ contact.firstname | default: "x" }}.
    None for statements ({% if %}, *|IF:X|*), sections and comments."""
    t = tag.text
    if tag.syntax == "block_tag":
        return None
    if tag.syntax in ("double_brace", "triple_brace"):
        inner = t.strip("{}").strip()
        if inner.startswith("${"):
            inner = inner[2:]
        inner = inner.split("}", 1)[0]
        if not inner or inner[0] in "#/^>!&@":
            return None
        name = re.split(r"\s*(?:\||:default|:\s*default|\(|\s\|\|)", inner, maxsplit=1)[0].strip()
        return name or None
    if tag.syntax == "mailchimp":
        inner = t[2:-2].strip()
        return None if _CONTROL.match(inner) else inner
    if tag.syntax == "salesforce":
        return t[2:-1].strip() or None
    if tag.syntax == "double_percent":
        return t[2:-2]
    if tag.syntax == "percent":
        return t[1:-1]
    if tag.syntax == "campaign_monitor":
        return t[1:].split(",", 1)[0].strip()
    if tag.syntax == "single_brace":
        inner = t[1:-1].strip()
        return None if "|" in inner else inner
    if tag.syntax == "chevron":
        return t.strip("«»<> ")
    return None


def mixed(tags: list[Tag]) -> list[tuple[Tag, str]]:
    """Tags of another platform than the template's main one, with that platform's name."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, tag in enumerate(tags):
        family = FAMILIES.get(tag.syntax)
        if family:
            counts[family] = counts.get(family, 0) + 1
            first.setdefault(family, i)
    if len(counts) < 2:
        return []
    main = max(counts, key=lambda f: (counts[f], -first[f]))
    return [(t, main) for t in tags if FAMILIES.get(t.syntax) not in (None, main)]


def without_fallback(tags: list[Tag]) -> list[Tag]:
    """Field tags that would render empty ("Hi ,") when the contact lacks the field,
    on platforms that let the tag carry a fallback."""
    out = []
    for tag in tags:
        if tag.syntax not in FALLBACK_SYNTAXES or _FALLBACK.search(tag.text):
            continue
        name = variable(tag)
        if name and not _ALWAYS_SET.search(name):
            out.append(tag)
    return out


def unknown(tags: list[Tag], known: frozenset[str] | tuple[str, ...]) -> list[tuple[Tag, str, str | None]]:
    """Tags naming a field that is not in `known` (compared case-insensitively), with
    the closest known name as a suggestion."""
    import difflib

    lowered = {k.lower(): k for k in known}
    out = []
    for tag in tags:
        name = variable(tag)
        if name is None or name.lower() in lowered:
            continue
        close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.8)
        out.append((tag, name, lowered[close[0]] if close else None))
    return out
