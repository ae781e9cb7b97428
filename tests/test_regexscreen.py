"""The literal screen (regexscreen.py) may skip a pattern on a text only if the pattern
has no match there: checked on every built-in pattern over the corpus, the real-world
set and the bench corpus, and on generated patterns and texts. End to end, the
findings with it are compared with those of a run without it (and without the
pre-pass) in tests/test_prefilter.py."""

from __future__ import annotations

import sys

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from breaklint.engine import Linter, Options, analysis_for
from breaklint.readers import draft_from_text
from breaklint.regexscreen import LiteralIndex, fold, required_literals
from test_prefilter import ITEMS, _bench_drafts


def _matches(pattern: str, text: str, flags: int) -> bool:
    return any(m.end() > m.start() for m in regex.compile(pattern, flags).finditer(text))


def test_the_fold_knows_every_character_regex_equates_with_an_ascii_one():
    # Every code point (surrogates aside) that an ASCII letter or digit matches
    # case-insensitively folds to that letter.
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for ch in "abcdefghijklmnopqrstuvwxyz0123456789":
        found = set(regex.findall(regex.escape(ch), everything, regex.IGNORECASE))
        assert found == {ch, ch.upper()} | {c for c in found if not c.isascii()}
        for c in found:
            assert fold(c) == ch, (hex(ord(c)), ch)


def test_required_literals_of_typical_rule_patterns():
    assert required_literals(r"\b(?:follow(?:ing)? up|checking in)\b") == {"follow up", "following up", "checking in"}
    assert required_literals(r"(?<!not )\bI (?:really )?(?:need|want) you to\b") == {
        "i need you to", "i want you to", "i really need you to", "i really want you to"}
    # the lookbehind's words are as good as the match's
    assert required_literals(r"(?<=(?:ignor|silen)\w{0,20} )(?:lol|haha)") is not None
    assert required_literals(r"[Ss]hould I stop") == {"should i stop"}
    # too short to be worth a search, or nothing required
    assert required_literals(r"\bno\b") is None
    assert required_literals(r"(?:very )?nice|\w+ly") is None
    assert required_literals(r"^[^a-z\n]{30,}$") is None
    # syntax `re` does not read as `regex` does is never screened
    assert required_literals(r"(?:hello){e<=1}") is None  # fuzzy matching
    assert required_literals(r"[[:alpha:]]+ greetings") is None  # POSIX class
    assert required_literals(r"thanks for that(?=\s*[:;]-?\))") == {"thanks for that"}  # a plain set
    assert required_literals(r"\p{Lu}ello there") is None  # `re` cannot parse it
    assert _matches(r"(?:hello){e<=1}", "hallo", 0)  # (which is why)


def test_case_and_unicode_folding():
    index = LiteralIndex([r"\bkelvin\b", r"STOP"])
    for text in ("\u212aelvin", "KELVIN", "Kelvin"):
        assert _matches(r"\bkelvin\b", text, regex.IGNORECASE)
        assert index.may_match(r"\bkelvin\b", index.present(text))
    assert not index.may_match(r"STOP", index.present("go on"))
    assert index.may_match(r"STOP", index.present("please \u017ftop"))  # long s
    assert index.may_match(r"not indexed", frozenset())


# (pattern, a string it matches) pieces for generated patterns
_ATOMS = [("abc", "abc"), ("Abc", "Abc"), ("cab", "cab"), ("bca", "bca"), ("ab ", "ab "), ("k", "k"), ("s", "s"),
          ("[ab]", "b"), ("[^a]", "x"), (".", "y"), (r"\s", " "), (r"\w", "z"), (r"\w+", "xyz"), (r"\s*", "  "),
          (r"\b", ""), ("^", ""), ("$", ""), (" ", " ")]


@st.composite
def _patterns(draw, depth=0):
    """A pattern and a string that it (usually) matches."""
    parts, sample = [], []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9 if depth < 2 else 0))
        if kind <= 4:
            p, m = draw(st.sampled_from(_ATOMS))
        elif kind == 5:
            branches = draw(st.lists(_patterns(depth + 1), min_size=1, max_size=3))
            p, m = "(?:" + "|".join(b[0] for b in branches) + ")", draw(st.sampled_from(branches))[1]
        elif kind == 6:
            inner, im = draw(_patterns(depth + 1))
            op, lo, hi = draw(st.sampled_from([("?", 0, 1), ("*", 0, 2), ("+", 1, 2), ("{2}", 2, 2), ("{1,3}", 1, 3), ("{0,2}", 0, 2), ("+?", 1, 2), ("??", 0, 1)]))
            p, m = "(?:" + inner + ")" + op, im * draw(st.integers(lo, hi))
        elif kind == 7:
            p, m = draw(st.sampled_from(["(?=", "(?!", "(?<=", "(?<!"])) + draw(_patterns(depth + 1))[0] + ")", ""
        elif kind == 8:
            inner, im = draw(_patterns(depth + 1))
            p, m = "(" + inner + r")\1", im + im
        else:
            inner, im = draw(_patterns(depth + 1))
            p, m = "(?i:" + inner + ")", im.upper() if draw(st.booleans()) else im
        parts.append(p)
        sample.append(m)
    return "".join(parts), "".join(sample)


_NOISE = st.text(alphabet="aAbBcC kKsS\u212a\u017f\u0130i.", max_size=12)


@settings(max_examples=300, deadline=None)
@given(_patterns(), _NOISE, _NOISE, st.booleans())
def test_a_screened_out_text_never_holds_a_match(pattern_and_sample, before, after, shout):
    pattern, sample = pattern_and_sample
    try:
        regex.compile(pattern)
    except regex.error:
        return
    index = LiteralIndex([pattern])
    for text in (before + sample + after, before + (sample.upper() if shout else sample.replace("k", "\u212a")) + after):
        for flags in (0, regex.IGNORECASE):
            if _matches(pattern, text, flags):
                assert index.may_match(pattern, index.present(text)), (pattern, text, flags)


def test_optional_pieces_that_cannot_be_listed_break_a_literal():
    # "abc(?:\w+ )?cab" does not require "abc cab": a regression the corpus found.
    index = LiteralIndex([r"abc(?:\w+ )?cab", r"more important (?:\w+ )?than us"])
    assert index.may_match(r"abc(?:\w+ )?cab", index.present("abcxyz cab"))
    assert index.may_match(r"more important (?:\w+ )?than us", index.present("far more important vendors than us"))


def _rule_patterns(linter: Linter):
    out = {}
    for rule in linter.rules:
        for spec in (rule.match, *rule.requires, *rule.unless):
            if spec.kind == "regex":
                for p in spec.value:
                    out[(p, spec.ignore_case, rule.zones, rule.category == "merge-tag")] = rule.id
    return out


def test_every_built_in_pattern_is_screened_soundly_over_the_corpora(tmp_path):
    linter = Linter()
    patterns = _rule_patterns(linter)
    index = LiteralIndex(p for p, *_ in patterns)
    drafts = [draft_from_text(item.text, item.path or item.id) for item in ITEMS] + _bench_drafts(tmp_path)
    skipped = runs = 0
    present: dict[str, frozenset[str]] = {}
    for (pattern, ignore_case, zones, raw), rule_id in patterns.items():
        compiled = regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
        for d in drafts:
            text = d.zone_text(zones) if raw else analysis_for(d, zones).text
            if text not in present:
                present[text] = index.present(text)
            runs += 1
            if index.may_match(pattern, present[text]):
                continue
            skipped += 1
            assert not any(m.end() > m.start() for m in compiled.finditer(text)), (rule_id, pattern, d.path)
    # Worth having: most pattern runs are ruled out.
    assert skipped > runs / 2


def test_present_finds_exactly_the_literals_a_text_holds(tmp_path):
    # The index's shortcuts (four-character keys, the subset test on a literal's other
    # four-character substrings) only spare searches: the result is the plain answer.
    linter = Linter()
    index = LiteralIndex(p for p, *_ in _rule_patterns(linter))
    every = sorted(set().union(*(lits for lits in index.literals.values() if lits)))
    assert len(every) > 1000
    drafts = [draft_from_text(item.text, item.path or item.id) for item in ITEMS] + _bench_drafts(tmp_path)
    texts = {analysis_for(d, zones).text for d in drafts for zones in {r.zones for r in linter.rules}}
    texts |= {"", "abc", "you you you", "following up on", "Following\u212aUp", "xfollow upx"}
    for text in texts:
        folded = fold(text)
        assert index.present(text) == frozenset(lit for lit in every if lit in folded), text[:80]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["follow", " up", "ing", "you", "r ", "the", "check", "in", "thank", "s", "K", "\u212a", " "]), max_size=30).map("".join))
def test_present_on_generated_text(text):
    index = _small_index()
    folded = fold(text)
    assert index.present(text) == frozenset(lit for lit in _small_literals() if lit in folded)


_SMALL_PATTERNS = (r"\b(?:follow(?:ing)? up|checking in)\b", r"thank(?:s| you) for your", r"you(?:r| are) (?:the|in)", r"\bkelvin\b", r"the (?:check|thanks)")


def _small_index() -> LiteralIndex:
    return LiteralIndex(_SMALL_PATTERNS)


def _small_literals() -> set[str]:
    return set().union(*(required_literals(p) or set() for p in _SMALL_PATTERNS))


def test_a_shared_condition_runs_once_per_draft(monkeypatch):
    # concrete-value is an `unless` of several self-oriented rules: each of its
    # patterns runs once per text, not once per rule.
    from breaklint import engine

    linter = Linter(options=Options(select=("self-oriented",)))
    rules_of: dict[str, set[str]] = {}
    for rule in linter.active:
        for spec in (rule.match, *rule.requires, *rule.unless):
            if spec.kind == "regex":
                for p in spec.value:
                    rules_of.setdefault(p, set()).add(rule.id)
    assert max(len(ids) for ids in rules_of.values()) >= 3
    calls: list[tuple[str, str]] = []
    original = engine._Context._search

    def counting(self, rule, pattern, flags, text, analysis):
        calls.append((pattern, text))
        return original(self, rule, pattern, flags, text, analysis)

    monkeypatch.setattr(engine._Context, "_search", counting)
    text = "Hi Tom,\n\nI would love to show you our platform. We cut close time by 40% for teams like yours; the case study is attached.\n\nBest,\nAna\n"
    linter.lint_text(text)
    assert any(len(rules_of[p]) >= 3 for p, _ in calls)
    assert len(calls) == len(set(calls))
