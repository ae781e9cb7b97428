"""Parts of Markdown and template files that no recipient ever reads.

Both functions return the source with those parts blanked (every character but
newlines becomes a space) so offsets, lines and columns stay those of the file, plus
the comments found, which is where inline suppressions live.
"""

from __future__ import annotations

import re

from .draft import Comment

# Comments that template engines strip before anything is sent.
_TEMPLATE_COMMENTS = re.compile(
    r"\{\{!--(?P<hbs_long>.*?)--\}\}"  # Handlebars {{!-- ... --}}
    r"|\{\{!(?P<hbs>[^}]*)\}\}"  # Handlebars / Mustache {{! ... }}
    r"|\{#(?P<jinja>.*?)#\}"  # Jinja / Nunjucks {# ... #}
    r"|\{%-?\s*comment\s*-?%\}(?P<liquid>.*?)\{%-?\s*endcomment\s*-?%\}"  # Liquid
    r"|<!--(?P<html>.*?)-->",  # HTML comments are invisible in every rendered template
    re.S,
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*$", re.S | re.M)
# Inline code stays on one line here: a stray backtick must not blank a paragraph.
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            start = pos
        out.append(text[pos:start])
        out.append("".join(c if c in "\r\n" else " " for c in text[start:end]))
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


def strip_template_comments(source: str, html_comments: bool = True) -> tuple[str, list[Comment]]:
    """Blank template (and HTML) comments; return them for suppressions."""
    comments, spans = [], []
    for m in _TEMPLATE_COMMENTS.finditer(source):
        kind = m.lastgroup
        if kind == "html" and not html_comments:
            continue
        comments.append(Comment(m.start(), m.end(), m.group(kind)))
        spans.append((m.start(), m.end()))
    return _blank_spans(source, spans), comments


def strip_markdown(source: str) -> tuple[str, list[Comment]]:
    """Blank front matter, code blocks, inline code and HTML comments of a Markdown draft."""
    from markdown_it import MarkdownIt

    spans: list[tuple[int, int]] = []
    fm = _FRONT_MATTER.match(source)
    if fm:
        spans.append((0, fm.end()))
    # Lines as markdown-it counts them: CommonMark ends a line at "\r\n", "\r" or "\n".
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", source)]

    def line_span(first: int, last: int) -> tuple[int, int]:
        end = line_starts[last] if last < len(line_starts) else len(source)
        return line_starts[first], end

    for token in MarkdownIt("commonmark").parse(source):
        if token.map and token.type in ("fence", "code_block"):
            spans.append(line_span(*token.map))
    masked = _blank_spans(source, spans)
    inline = [(m.start(), m.end()) for m in _INLINE_CODE.finditer(masked)]
    masked = _blank_spans(masked, inline)
    masked, comments = strip_template_comments(masked)
    return masked, comments
