"""The analysis text (analysis.py) skips single spaces between words instead of
replacing each with itself; its text and offsets must be exactly those of the plain
rule: every run of whitespace replaced as the module docstring says."""

from __future__ import annotations

import re
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from breaklint.analysis import _structural_break, build
from breaklint.engine import draft_tags
from breaklint.readers import draft_from_text
from test_prefilter import ITEMS, _bench_drafts


def _reference(masked: str) -> tuple[str, array]:
    """Every whitespace run, one at a time (what build did before it skipped single
    spaces). Merge tags aside: the drafts compared below pass none."""
    text = masked.translate(str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"'}))
    out, offsets, pos = [], array("l"), 0
    for m in re.finditer(r"\s+", text):
        s, e = m.start(), m.end()
        if s > pos:
            out.append(text[pos:s])
            offsets.extend(range(pos, s))
        run = m.group()
        newlines = run.count("\n")
        if s == 0 or e == len(text):
            rep = "\n" if newlines else ""
        elif newlines >= 2:
            rep = "\n\n"
        elif newlines == 1:
            rep = "\n" if _structural_break(text, s, e) else " "
        else:
            rep = " "
        if rep:
            out.append(rep)
            first_nl = run.find("\n")
            offsets.extend([s + (first_nl if first_nl >= 0 else 0)] * len(rep))
        pos = e
    if pos < len(text):
        out.append(text[pos:])
        offsets.extend(range(pos, len(text)))
    return "".join(out), offsets


def test_structural_break_reads_the_line_before_the_break():
    assert _structural_break("Hi Ana,\nthanks", 7, 8)
    wrapped = "We looked at the invoices your team sent over last\nweek and found"
    assert not _structural_break(wrapped, wrapped.index("\n"), wrapped.index("\n") + 1)
    assert _structural_break("x" * 50 + " \t\nnext", 50, 53) is False
    assert _structural_break("x" * 50 + ". \t\nnext", 51, 54)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "Bb", " ", "  ", "\n", "\n\n", "\t", " \n", ".", "- ", "\u00a0", "\r\n", "’", "x" * 45]), max_size=14))
def test_build_equals_the_plain_rule_on_any_whitespace(pieces):
    text = "".join(pieces)
    a = build(draft_from_text(text or " ", "t"), text, [])
    assert (a.text, a.offsets) == _reference(text)


def test_build_equals_the_plain_rule_on_the_corpora(tmp_path):
    drafts = [draft_from_text(item.text, item.path or item.id) for item in ITEMS] + _bench_drafts(tmp_path)
    compared = 0
    for d in drafts:
        if draft_tags(d):
            continue  # the reference does not mask merge tags
        for zones in (("greeting", "body", "closing"), ("body",)):
            masked = d.zone_text(zones)
            a = build(d, masked, [])
            assert (a.text, a.offsets) == _reference(masked), d.path
            compared += 1
    assert compared > 500
