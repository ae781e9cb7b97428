"""Reading real inputs: .eml (MIME), HTML, Markdown and template files.

Every finding's position is checked against the source file itself: the line and
column a user's editor shows, and the span of the file that holds the flagged text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from breaklint.cli import main
from breaklint.htmltext import html_to_text
from breaklint.markup import strip_markdown, strip_template_comments
from breaklint.positions import LineIndex
from breaklint.readers import input_kind, read_draft
from conftest import linter_for

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"


def lint(name: str, profile: str = "breakup"):
    [result] = list(linter_for(profile).lint_paths([str(FIXTURES / name)]))
    return result


def found(result) -> list[tuple[str, int, int, str]]:
    return [(f.rule, f.line, f.column, f.text) for f in result.findings]


def assert_positions_match_source(result) -> None:
    """line/column agree with start, and start/end index the file's own text."""
    index = LineIndex(result.source_text)
    for f in result.findings:
        assert index.line_col(f.start) == (f.line, f.column), f
        assert result.source_text[f.start : f.end] == f.text, f


@pytest.mark.parametrize(
    "path, kind",
    [
        ("a.eml", "eml"),
        ("a.HTML", "html"),
        ("promo.mjml", "html"),
        ("notes.md", "markdown"),
        ("welcome.html.j2", "html"),
        ("nudge.hbs", "template"),
        ("draft.txt", "text"),
        ("draft", "text"),
    ],
)
def test_input_kind_by_extension(path, kind):
    assert input_kind(path) == kind


def test_template_with_html_markup_is_read_as_html():
    assert input_kind("x.hbs", "<p>Hi {{name}}</p>") == "html"


# -- .eml -----------------------------------------------------------------------


def test_eml_quoted_printable_positions_point_into_the_file():
    result = lint("multipart-qp.eml")
    assert found(result) == [("BLAME001", 14, 32, "You never replied")]
    assert_positions_match_source(result)


def test_eml_subject_is_decoded_from_encoded_words():
    draft = read_draft(str(FIXTURES / "multipart-qp.eml"))
    assert draft.text.startswith("Subject: Café menu — next steps\n\nHi Dana,")
    assert draft.zone_at(draft.text.index("Café")) == "subject"
    # The plain part is preferred to the HTML alternative, and QP soft breaks are joined.
    assert "about the rollout, so" in draft.text and "<p>" not in draft.text


def test_eml_html_only_crlf_part_maps_tags_to_the_markup():
    result = lint("html-only-crlf.eml")
    assert found(result) == [("TAG001", 9, 7, "{{first_name}}")]
    assert_positions_match_source(result)


def test_eml_charset_other_than_utf8_is_decoded_without_a_warning():
    result = lint("latin1.eml")
    assert found(result) == [("TAG006", 6, 4, "[First Name]")]
    assert result.warnings == []
    draft = read_draft(str(FIXTURES / "latin1.eml"))
    assert "résumé" in draft.text and "Subject: Présentation" in draft.text


def test_eml_base64_findings_point_at_the_encoded_phrase():
    result = lint("base64.eml")
    [f] = result.findings
    assert f.rule == "BLAME001"
    assert_positions_match_source(result)
    # Each decoded byte maps to the base64 character that starts it: the finding
    # covers the encoded groups of "You never replied", not the start of the part.
    import base64

    line = LineIndex(result.source_text).line_text(f.line)
    groups = line[(f.column - 1) // 4 * 4 : ((f.end_column - 2) // 4 + 1) * 4]
    assert f.line == 7 and f.column == 14
    assert b"You never replied" in base64.b64decode(groups)


def test_eml_without_a_text_part_is_skipped_with_a_reason():
    result = lint("no-text-part.eml")
    assert result.skipped and not result.findings
    assert "no text/plain or text/html part" in result.warnings[0]
    run = CliRunner().invoke(main, [str(FIXTURES / "no-text-part.eml")])
    assert run.exit_code == 2 and "Traceback" not in run.output


# -- HTML -------------------------------------------------------------------------


def test_html_findings_map_to_source_lines_and_columns():
    result = lint("newsletter.html")
    rules = [(f.rule, f.line, f.column) for f in result.findings]
    # The head's <title>, the display:none preheader, the link's href and the
    # <script> are not read; the visible merge tag and the visible blame are.
    assert ("TAG001", 7, 7) in rules
    blame = [f for f in result.findings if f.rule == "BLAME001"]
    assert [(f.line, f.column) for f in blame] == [(8, 42)]
    assert blame[0].text.startswith("you never") and blame[0].text.endswith("replied")
    assert not any("unsubscribe" in f.text or "first_name" in f.text for f in result.findings)
    assert_positions_match_source(result)


def test_html_to_text_collapses_whitespace_and_decodes_entities():
    src = "<p>Hi&nbsp;Dana,</p>\n<p>It&rsquo;s   here &amp;\n  ready.<br>Caf&#233;</p><pre>a  b</pre>"
    out = html_to_text(src)
    assert out.text == "Hi Dana,\n\nIt’s here & ready.\nCafé\n\na  b\n"
    # Each character of literal text maps onto itself; an entity maps to its "&".
    for i, ch in enumerate(out.text):
        if ch.isalpha() and ch.isascii():
            assert src[out.offsets[i]] == ch
    assert src[out.offsets[out.text.index("’")]] == "&"
    assert src[out.offsets[out.text.index("é")] :].startswith("&#233;")


def test_html_script_in_a_draft_is_never_text():
    out = html_to_text("<p>Hello</p><script>alert('you never replied')</script><style>p{}</style>")
    assert out.text == "Hello\n"


def test_html_comments_are_collected_not_shown():
    out = html_to_text("<p>Hi</p><!-- breaklint: disable SARC001 --><p>There</p>")
    assert "breaklint" not in out.text
    assert [c.text.strip() for c in out.comments] == ["breaklint: disable SARC001"]


def test_mjml_text_blocks_are_read():
    result = lint("promo.mjml")
    assert found(result) == [("TAG002", 5, 19, "*|FNAME|*"), ("BLAME001", 6, 16, "You never replied")]
    assert_positions_match_source(result)


# -- Markdown and templates ----------------------------------------------------------


def test_markdown_front_matter_and_code_are_not_checked():
    result = lint("welcome.md")
    assert found(result) == [("TAG001", 5, 4, "{{first_name}}")]
    assert_positions_match_source(result)


def test_strip_markdown_keeps_offsets():
    src = "---\ntitle: x\n---\nHi `code` there\n\n```\nblock\n```\n"
    masked, _ = strip_markdown(src)
    assert len(masked) == len(src) and masked.count("\n") == src.count("\n")
    assert "title" not in masked and "code" not in masked and "block" not in masked
    assert "Hi" in masked and "there" in masked


@pytest.mark.parametrize(
    "comment",
    ["{# you never replied #}", "{{!-- you never replied --}}", "{{! you never replied }}",
     "{% comment %} you never replied {% endcomment %}", "<!-- you never replied -->"],
)
def test_template_comments_are_blanked(comment):
    masked, comments = strip_template_comments(f"Hi {comment} there")
    assert "never" not in masked and masked.startswith("Hi ") and masked.endswith(" there")
    assert len(comments) == 1 and "you never replied" in comments[0].text


def test_template_files_keep_their_tags_and_hide_their_comments():
    result = lint("followup.j2")
    assert [(r, line) for r, line, _, _ in found(result)] == [
        ("TAG001", 2), ("BLAME001", 4), ("TAG001", 4), ("TAG001", 7)
    ]
    assert_positions_match_source(result)
    assert found(lint("nudge.hbs")) == [("TAG001", 2, 4, "{{firstName}}")]
    liquid = lint("reminder.liquid")
    assert [f.line for f in liquid.findings] == [2, 4]


def test_template_profile_accepts_well_formed_tags_in_templates():
    # Tags are expected in templates; the only note is a field without a fallback.
    assert [(f.rule, f.severity, f.text) for f in lint("nudge.hbs", "template").findings] == [
        ("TAG103", "info", "{{firstName}}")
    ]
    liquid = lint("reminder.liquid", "template").findings
    assert [(f.rule, f.text) for f in liquid] == [("TAG103", '{{ trial_end | date: "%B %d" }}')]


def test_tone_rules_see_through_merge_tags():
    from breaklint import lint_text

    findings = lint_text("Hi {{first_name}}, you never replied to my emails.\n", profile="template")
    assert [f.rule for f in findings if f.category != "merge-tag"] == ["BLAME001"]


def test_stdin_filename_picks_the_reader():
    html = (FIXTURES / "newsletter.html").read_text(encoding="utf-8")
    run = CliRunner().invoke(main, ["-", "--stdin-filename", "mail.html", "-f", "json"], input=html)
    assert "BLAME001" in run.output and "<title>" not in run.output


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_markdown_code_blocks_are_found_whatever_the_line_endings(newline):
    """markdown-it ends lines at CR, LF or CRLF; the blanking must count lines the same
    way (a lone CR once sent it past the end of the line table: found by the fuzzer)."""
    src = newline.join(["Hi {{a}}", "", "```", "code {{b}}", "```", "after {{c}}", ""])
    masked, _ = strip_markdown(src)
    assert len(masked) == len(src) and "{{a}}" in masked and "{{c}}" in masked and "{{b}}" not in masked
    assert masked.count("\r") == src.count("\r") and masked.count("\n") == src.count("\n")
