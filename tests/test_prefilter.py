"""The tokenizer-only pre-pass (prefilter.py) must never change what breaklint reports:
findings and warnings with it and without it are compared over every corpus draft and
the real-world set, under every profile."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from breaklint.engine import Linter, Options
from breaklint.evaluate import load_corpus, load_jsonl
from breaklint.readers import draft_from_text
from breaklint.ruleset import PROFILES, MatchSpec
from conftest import ROOT

REALWORLD = Path(os.environ.get("BREAKLINT_REALWORLD", "/work/shared/realworld/emails.jsonl"))
if not REALWORLD.is_file():
    REALWORLD = ROOT.parent / "shared" / "realworld" / "emails.jsonl"


def _items():
    items = load_corpus([str(ROOT / "corpus")])
    if REALWORLD.is_file():
        items += load_jsonl(str(REALWORLD))
    return items


ITEMS = _items()


def _run(linter: Linter, profile: str):
    drafts = []
    for item in ITEMS:
        d = draft_from_text(item.text, item.path or item.id)
        d.profile = profile
        drafts.append(d)
    return [(d.path, [f.to_dict() for f in found], list(d.warnings)) for d, found in linter.lint_drafts(drafts)]


@pytest.mark.parametrize("profile", PROFILES)
def test_prefilter_never_changes_findings(profile):
    assert len(ITEMS) >= 250  # the corpus splits and the real-world set are all here
    fast = Linter(options=Options(profile=profile), prefilter=True)
    full = Linter(options=Options(profile=profile), prefilter=False)
    with_prefilter = _run(fast, profile)
    without = _run(full, profile)
    assert full.parsed_drafts == len(ITEMS)
    # It has to skip something to be worth having, and the comparison must cover
    # drafts with findings from grammar rules.
    assert 0 < fast.parsed_drafts < len(ITEMS)
    assert any(f["category"] in ("customer-blaming", "ultimatum", "sarcasm", "self-oriented") for _, fs, _ in without for f in fs)
    for a, b in zip(with_prefilter, without):
        assert a == b, a[0]
    assert len(with_prefilter) == len(without)


def test_prefilter_skips_drafts_no_grammar_rule_can_match():
    linter = Linter(options=Options(select=("BLAME001",)))
    drafts = [
        draft_from_text("Hi Tom,\n\nThe invoice is attached.\n\nBest,\nAna\n", "a.txt"),
        draft_from_text("Hi Tom,\n\nYou never replied to my emails.\n\nBest,\nAna\n", "b.txt"),
    ]
    results = {d.path: found for d, found in linter.lint_drafts(drafts)}
    assert linter.parsed_drafts == 1
    assert [f.rule for f in results["b.txt"]] == ["BLAME001"]
    assert results["a.txt"] == []


def test_dependency_words_must_share_a_paragraph():
    # BLAME001's first pattern needs "you" and a reply verb in one sentence; a blank
    # line between them is a sentence break the parser cannot cross.
    linter = Linter(options=Options(select=("BLAME001",)))
    apart = draft_from_text("Hi Tom,\n\nThank you.\n\nI will reply next week with the figures.\n\nBest,\nAna\n", "c.txt")
    list(linter.lint_drafts([apart]))
    assert linter.parsed_drafts == 0


def test_a_match_kind_the_prefilter_does_not_know_forces_a_parse():
    linter = Linter(options=Options(select=("BLAME001",)))
    linter._pipeline()
    pre = linter._prefilter
    rule = next(r for r in linter.rules if r.id == "BLAME001")
    toks = pre.tokens("Thanks for the update.")
    assert not pre.rule_needs_parse(rule, toks, lambda: [])
    # a kind added to the engine later, that the pre-pass has not been taught
    unknown = replace(rule, match=MatchSpec(kind="sentiment", value={"model": "x"}))
    assert pre.rule_needs_parse(unknown, toks, lambda: [])
    unknown_condition = replace(rule, unless=(*rule.unless, MatchSpec(kind="sentiment", value={})))
    assert pre.rule_needs_parse(unknown_condition, toks, lambda: [])


def test_tone_model_rules_need_no_parse():
    linter = Linter(options=Options(select=("SARC900",)))
    linter._pipeline()
    rule = next(r for r in linter.rules if r.id == "SARC900")
    toks = linter._prefilter.tokens("Wow, what a masterclass in saying nothing for three months.")
    assert not linter._prefilter.rule_needs_parse(rule, toks, lambda: [])
