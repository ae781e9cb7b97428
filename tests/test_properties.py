"""Properties over arbitrary text (hypothesis): lint never raises, every finding lies
inside the text with line/column agreeing with its offsets, the same input gives the
same findings, and a fixed finding does not come back when the fixed text is linted.

Texts are either anything hypothesis makes, or drafts stitched from the built-in rules'
own flag examples, greetings, sign-offs, quotes and merge tags with every kind of line
ending between them, so findings (and fixes) actually occur. Example counts are bounded
because every example is parsed with spaCy.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breaklint.fixes import plan, plan_until_stable
from breaklint.positions import LineIndex
from breaklint.readers import draft_from_text
from breaklint.ruleset import load_rules
from conftest import linter_for

# Longer runs by hand: BREAKLINT_PROPERTY_EXAMPLES=2000 python -m pytest tests/test_properties.py
SETTINGS = settings(
    max_examples=int(os.environ.get("BREAKLINT_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_RULES = load_rules()
FLAGGED = sorted({e.text for r in _RULES for e in r.flag_examples})
FIXABLE = sorted({e.text for r in _RULES if r.fix is not None for e in r.flag_examples})
FURNITURE = [
    "Hi Dana,", "Subject: quick question", "Best,", "Sam", "--", "> you never replied", "On Mon, Jane wrote:",
    "{{first_name}}", "*|FNAME|*", "[Company]", "Unsubscribe here.", "P.S. one more thing", "Thanks!", "",
]
BREAKS = st.sampled_from(["\n", "\r\n", "\n\n", "\r\n\r\n", " ", "\r", "\t", "\u2028", "\n\r\n"])


def _stitched(fragments: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(fragments), st.sampled_from(FURNITURE), st.text(max_size=30))
    return st.lists(st.tuples(piece, BREAKS), max_size=10).map(lambda xs: "".join(a + b for a, b in xs))


TEXTS = st.one_of(st.text(max_size=300), _stitched(FLAGGED))
PROFILES = st.sampled_from(["breakup", "no-breakup", "template"])


def assert_well_placed(findings, source: str) -> None:
    index = LineIndex(source)
    for f in findings:
        assert 0 <= f.start <= f.end <= len(source), f
        assert source[f.start : f.end] == f.text, f
        assert index.line_col(f.start) == (f.line, f.column), f
        assert index.line_col(f.end) == (f.end_line, f.end_column), f
        if f.fix is not None:
            assert 0 <= f.fix.start <= f.fix.end <= len(source), f


@SETTINGS
@given(TEXTS, PROFILES)
def test_findings_lie_inside_the_text_and_positions_agree(text, profile):
    findings = linter_for(profile).lint_text(text)
    assert_well_placed(findings, text)


@SETTINGS
@given(st.one_of(st.text(max_size=300), _stitched(FLAGGED + ["<p>", "</p>", "<br>", "&amp;", "<!-- x -->", "```", "{# c #}"])),
       st.sampled_from(["html", "markdown", "template"]))
def test_every_reader_maps_findings_into_its_source(text, kind):
    draft = draft_from_text(text, kind=kind)
    findings = linter_for("breakup").lint_draft(draft)
    assert_well_placed(findings, text)


@SETTINGS
@given(TEXTS)
def test_same_input_same_findings(text):
    linter = linter_for("breakup")
    first = [f.to_dict() for f in linter.lint_text(text)]
    # Something else in between, so no state can leak from one draft into the next.
    linter.lint_text("Hi Jo,\n\nThanks so much for all your replies. {{x}}\n")
    assert [f.to_dict() for f in linter.lint_text(text)] == first


@SETTINGS
@given(_stitched(FIXABLE))
def test_fixed_findings_do_not_come_back(text):
    linter = linter_for("breakup")
    planned = plan("<text>", text, linter.lint_text(text), unsafe=True)
    after = linter.lint_text(planned.fixed)
    assert_well_placed(after, planned.fixed)
    shift = 0
    for f in planned.applied:  # in text order, without overlaps
        assert f.fix is not None
        start = f.fix.start + shift
        end = start + len(f.fix.replacement)
        shift += len(f.fix.replacement) - (f.fix.end - f.fix.start)
        again = [g for g in after if g.rule == f.rule and g.start < max(end, start + 1) and start < g.end]
        if end == start:  # a removal: only a finding spanning the cut is the same one
            again = [g for g in again if g.start < start]
        assert not again, (f.rule, f.text, planned.fixed)



@SETTINGS
@given(_stitched(FIXABLE), st.booleans())
def test_fixing_until_stable_leaves_nothing_to_fix(text, unsafe):
    """What --fix does: fixes held back by an overlapping one are applied in a next
    pass, so a second run changes nothing."""
    linter = linter_for("breakup")
    stable = plan_until_stable("<text>", text, linter.lint_text(text), linter.lint_text, unsafe=unsafe)
    assert plan("<text>", stable.fixed, linter.lint_text(stable.fixed), unsafe=unsafe).fixed == stable.fixed
