"""Inline suppressions: only in comments the recipient never sees, and reported when stale."""

from __future__ import annotations

from conftest import linter_for


def lint_file(tmp_path, name: str, text: str, profile: str = "breakup"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    [result] = list(linter_for(profile).lint_paths([str(p)]))
    return result


def test_html_disable_next_line_suppresses_only_that_line(tmp_path):
    result = lint_file(tmp_path, "a.html", (
        "<p>Hi Dana,</p>\n"
        "<!-- breaklint: disable-next-line BLAME001 -->\n"
        "<p>You never replied to my emails.</p>\n"
        "<p>You never replied to the survey either.</p>\n"
    ))
    assert [(f.rule, f.line) for f in result.findings] == [("BLAME001", 4)]
    assert result.warnings == []


def test_disable_until_enable_by_category(tmp_path):
    result = lint_file(tmp_path, "b.html", (
        "<p>Hi Dana,</p>\n"
        "<!-- breaklint: disable customer-blaming -->\n"
        "<p>You never replied to my emails.</p>\n"
        "<!-- breaklint: enable customer-blaming -->\n"
        "<p>You never replied to the survey either.</p>\n"
    ))
    assert [(f.rule, f.line) for f in result.findings] == [("BLAME001", 5)]


def test_template_comments_carry_suppressions(tmp_path):
    result = lint_file(tmp_path, "c.j2", "{# breaklint: disable TAG103 #}\nHi {{ first_name }},\n\nThe guide is attached.\n", "template")
    assert result.findings == [] and result.warnings == []
    hbs = lint_file(tmp_path, "d.hbs", "{{!-- breaklint: disable-next-line TAG103 --}}\nHi {{firstName}},\nHi {{lastName}}\n", "template")
    assert [(f.rule, f.line) for f in hbs.findings] == [("TAG103", 3)]


def test_liquid_and_markdown_comments_carry_suppressions(tmp_path):
    liquid = lint_file(tmp_path, "e.liquid", (
        "{% comment %} breaklint: disable-next-line TAG103 {% endcomment %}\nHi {{ first_name }},\nHi {{ last_name }},\n"
    ), "template")
    assert [(f.rule, f.line) for f in liquid.findings] == [("TAG103", 3)] and liquid.warnings == []
    everything = lint_file(tmp_path, "f.liquid", "{% comment %}breaklint: disable{% endcomment %}\nHi Dana,\n\nYou never replied to my emails.\n")
    assert everything.findings == [] and everything.warnings == []
    markdown = lint_file(tmp_path, "g.md", (
        "Hi Dana,\n\n<!-- breaklint: disable-next-line BLAME001 -->\nYou never replied to my emails.\n\n"
        "You never replied to the survey either.\n"
    ))
    assert [(f.rule, f.line) for f in markdown.findings] == [("BLAME001", 6)]


def test_unused_and_unknown_suppressions_are_reported(tmp_path):
    result = lint_file(tmp_path, "e.html", (
        "<!-- breaklint: disable SARC001 -->\n<!-- breaklint: disable NOPE123 -->\n<p>Hi Dana, the guide is attached.</p>\n"
    ))
    assert result.findings == []
    assert any("line 1" in w and "suppresses nothing" in w for w in result.warnings)
    assert any("line 2" in w and "unknown rule(s) NOPE123" in w for w in result.warnings)


def test_plain_text_has_no_inline_suppressions(tmp_path):
    # In a .txt draft the "comment" would be mailed to the customer: it suppresses nothing.
    result = lint_file(tmp_path, "f.txt", "<!-- breaklint: disable -->\nHi Dana,\n\nYou never replied to my emails.\n")
    assert "BLAME001" in [f.rule for f in result.findings]


def test_pre_commit_hook_covers_every_draft_extension(root):
    import re

    import yaml

    from breaklint.readers import DRAFT_EXTENSIONS

    [hook] = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "breaklint" and hook["entry"] == "breaklint" and hook["language"] == "python"
    pattern = re.compile(hook["files"])
    for ext in DRAFT_EXTENSIONS:
        assert pattern.search("templates/welcome" + ext), ext
    assert not pattern.search("src/app.py") and not pattern.search("logo.png")
