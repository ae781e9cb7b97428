"""The tokenizer-only pre-pass (prefilter.py) must never change what breaklint reports:
findings and warnings with it and without it are compared over every corpus draft and
the real-world set under the default profile, and over a fixed third of them under each
other profile. The reference run also lets every rule regex
run on every text (no literal screen, regexscreen.py) and every dependency condition
run on every parsed doc (no gate, matchers.py), so the comparison covers those
shortcuts too."""

from __future__ import annotations

import os
import sys
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


def _run(linter: Linter, profile: str, items: list):
    drafts = []
    for item in items:
        d = draft_from_text(item.text, item.path or item.id)
        d.profile = profile
        drafts.append(d)
    return [(d.path, [f.to_dict() for f in found], list(d.warnings)) for d, found in linter.lint_drafts(drafts)]


def _unscreened(linter: Linter) -> Linter:
    """The linter without the regex literal screen (regexscreen.py): an empty index
    lets every pattern run on every text; and without the matchers' gate, so every
    dependency condition runs on every parsed doc, next to a match hit or not."""
    from breaklint.regexscreen import LiteralIndex

    linter._literals = LiteralIndex([])
    linter._pipeline()
    assert linter._matchers is not None and linter._matchers._gate  # the built-in rules have gated conditions
    linter._matchers._gate = {}
    return linter


# The default profile is compared on every item. The other profiles only switch rules
# on or off, and each full comparison costs about seven minutes on CI as the corpus
# grows, so they are compared on every third item: a fixed sample, the same on every run.
def _sample(profile: str) -> list:
    return ITEMS if profile == PROFILES[0] else ITEMS[::3]


@pytest.mark.parametrize("profile", PROFILES)
def test_prefilter_never_changes_findings(profile):
    items = _sample(profile)
    assert len(items) >= 250  # the corpus splits and the real-world set, or a third of them
    # The reference does everything the slow way: no pre-pass, every regex run.
    full = _unscreened(Linter(options=Options(profile=profile), prefilter=False))
    whole = Linter(options=Options(profile=profile), prefilter=True, partial=False)
    fast = Linter(options=Options(profile=profile), prefilter=True)
    without = _run(full, profile, items)
    by_draft = _run(whole, profile, items)
    by_segment = _run(fast, profile, items)
    assert full.parsed_drafts == len(items)
    # It has to skip something to be worth having, and the comparison must cover
    # drafts with findings from grammar rules.
    assert 0 < whole.parsed_drafts < len(items)
    assert 0 < fast.parsed_tokens < whole.parsed_tokens < full.parsed_tokens
    assert any(f["category"] in ("customer-blaming", "ultimatum", "sarcasm", "self-oriented") for _, fs, _ in without for f in fs)
    for a, b, c in zip(without, by_draft, by_segment):
        assert a == b, a[0]
        assert a == c, a[0]
    assert len(without) == len(by_draft) == len(by_segment)


def _bench_drafts(folder: Path):
    bench = ROOT / "bench"
    if not (bench / "corpus.py").is_file():
        pytest.skip("bench/ is not part of this checkout")
    sys.path.insert(0, str(bench))
    try:
        import corpus as bench_corpus
    finally:
        sys.path.remove(str(bench))
    return [draft_from_text(p.read_text(encoding="utf-8"), str(p)) for p in bench_corpus.build(folder, 300, 6)]


def test_partial_parse_never_changes_findings_on_the_bench_corpus(tmp_path):
    full = _unscreened(Linter(prefilter=False))
    fast = Linter()
    without = [(d.path, [f.to_dict() for f in found]) for d, found in full.lint_drafts(_bench_drafts(tmp_path))]
    with_partial = [(d.path, [f.to_dict() for f in found]) for d, found in fast.lint_drafts(_bench_drafts(tmp_path))]
    assert len(without) == 300 and sum(len(fs) for _, fs in without) > 50
    assert without == with_partial
    # The point of it: most of this corpus's tokens never reach the tagger and parser.
    assert fast.parsed_tokens < full.parsed_tokens / 2


_ANNOTATIONS = ("TAG", "POS", "MORPH", "DEP", "HEAD", "LEMMA", "SENT_START")


def _unit_mismatches(nlp, pre, text: str, context: tuple[int, int]) -> int:
    """How many segments of `text`, each parsed alone with `context` tokens either
    side, get an annotation on one of their own tokens that differs from the parse of
    the whole text."""
    from breaklint.partialparse import Chunk

    toks = pre.tokens(text)
    whole = nlp(pre.tokens(text).doc)
    expected = whole.to_array(list(_ANNOTATIONS))
    bounds = [*toks.starts, len(toks.doc)]
    chunks = [
        Chunk(max(lo - context[0], 0), min(hi + context[1], len(toks.doc)), lo, hi)
        for lo, hi in zip(bounds, bounds[1:])
        if hi > lo
    ]
    bad = 0
    for c, doc in zip(chunks, nlp.pipe(toks.doc[c.start : c.end].as_doc() for c in chunks)):
        got = doc.to_array(list(_ANNOTATIONS))[c.unit_start - c.start : c.unit_end - c.start]
        bad += int((got != expected[c.unit_start : c.unit_end]).any())
    return bad


def test_a_segment_parsed_with_its_context_is_annotated_as_in_the_whole_draft(tmp_path):
    # Every segment of every draft (corpus, real-world set, a third of the bench
    # corpus), parsed alone with the context partialparse.py computes, against the
    # parse of the whole draft: tags, lemmas, heads, labels, sentence starts.
    from breaklint.engine import analysis_for
    from breaklint.partialparse import context_tokens

    linter = Linter()
    nlp = linter._pipeline()
    context = context_tokens(nlp)
    assert context == (5, 6)  # en_core_web_sm: 4 tokens of CNN reach, 2-token ruler patterns, parser look-ahead 2
    drafts = [draft_from_text(item.text, item.path or item.id) for item in ITEMS] + _bench_drafts(tmp_path)[:100]
    texts = [analysis_for(d, linter._parse_zones()).text for d in drafts]
    assert sum(_unit_mismatches(nlp, linter._prefilter, t, context) for t in texts) == 0
    # Without the context, edges come out differently: the comparison can fail.
    assert sum(_unit_mismatches(nlp, linter._prefilter, t, (0, 0)) for t in texts[:150]) > 0


def test_context_is_unknown_for_a_pipeline_with_other_components():
    import spacy

    from breaklint.nlp import DEFAULT_MODEL
    from breaklint.partialparse import context_tokens

    nlp = spacy.load(DEFAULT_MODEL, exclude=["ner"])
    assert context_tokens(nlp) is not None
    nlp.add_pipe("sentencizer")  # a component whose reach partialparse does not know
    assert context_tokens(nlp) is None
    assert context_tokens(spacy.blank("en")) is None  # no parser


def test_chunks_merge_close_units_and_stop_at_the_draft_edges():
    from breaklint.partialparse import Chunk, chunks

    starts = [0, 10, 20, 30, 60, 100]  # six segments over 120 tokens
    assert chunks(starts, 120, {1}, 5, 6) == [Chunk(5, 26, 10, 20)]
    # segments 1 and 3 are 10 tokens apart (<= 5 + 6): one unit with segment 2 inside
    assert chunks(starts, 120, {1, 3}, 5, 6) == [Chunk(5, 66, 10, 60)]
    # segments 0 and 5 are far apart: two chunks, clipped at the edges
    assert chunks(starts, 120, {0, 5}, 5, 6) == [Chunk(0, 16, 0, 10), Chunk(95, 120, 100, 120)]


def test_only_the_paragraph_a_rule_can_match_is_parsed():
    linter = Linter(options=Options(select=("BLAME001",)))
    full = Linter(options=Options(select=("BLAME001",)), prefilter=False)
    filler = "The quarterly report is attached and the figures look steady across regions."
    text = "Hi Tom,\n\n" + "\n\n".join([filler] * 6 + ["You never replied to my emails."] + [filler] * 6) + "\n\nBest,\nAna\n"
    found = linter.lint_text(text)
    assert [f.rule for f in found] == ["BLAME001"]
    assert [f.to_dict() for f in found] == [f.to_dict() for f in full.lint_text(text)]
    assert 0 < linter.parsed_tokens < full.parsed_tokens / 4


def test_a_token_pattern_that_could_cross_a_blank_line_parses_the_whole_draft():
    linter = Linter(options=Options(select=("BLAME001",)))
    linter._pipeline()
    pre = linter._prefilter
    rule = next(r for r in linter.rules if r.id == "BLAME001")
    toks = pre.tokens("Hi Tom,\n\nThanks for the call.\n\nYou never replied.\n")
    crossing = MatchSpec(kind="tokens", value=[[{"LOWER": "thanks"}, {"OP": "*"}, {"LOWER": "replied"}]])
    contained = MatchSpec(kind="tokens", value=[[{"LOWER": "thanks"}, {"IS_ALPHA": True, "OP": "*"}, {"LOWER": "replied"}]])
    for spec in (crossing, contained):
        pre._triggers[id(spec)] = pre._trigger(spec)
        pre._local[id(spec)] = pre._within_segment(spec)
    assert pre.rule_segments(replace(rule, match=crossing, requires=(), unless=()), toks, set) is None
    # no token of the second can be the blank line, and no one segment holds both words
    assert pre.rule_segments(replace(rule, match=contained, requires=(), unless=()), toks, set) == set()


def test_a_condition_found_without_a_parse_can_rule_a_draft_out():
    # SARC001 requires a word about silence somewhere near the praise; without one
    # the praise is never parsed.
    linter = Linter(options=Options(select=("SARC001",)))
    list(linter.lint_drafts([draft_from_text("Hi Tom,\n\nCongratulations on the new office!\n\nBest,\nAna\n", "a.txt")]))
    assert linter.parsed_drafts == 0
    found = linter.lint_text("Hi Tom,\n\nCongratulations on three weeks of silence, truly impressive.\n\nBest,\nAna\n")
    assert linter.parsed_drafts == 1
    assert {f.rule for f in found} == {"SARC001"} and "Congratulations" in [f.text for f in found]


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
