"""Every rule is tested by the examples in its own file: each `flag` example must
produce a finding of that rule, each `pass` example must not."""

from __future__ import annotations

import pytest

from breaklint.engine import Linter, Options
from breaklint.ruleset import builtin_rules_dir, load_rule_file, rule_files

RULE_FILES = rule_files(builtin_rules_dir())
_CACHE: dict = {}


def _linter(rule, profile, known_variables=()):
    key = (rule.id, profile, known_variables)
    if key not in _CACHE:
        _CACHE[key] = Linter(rules=[rule], options=Options(profile=profile, known_variables=known_variables))
    return _CACHE[key]


def _cases():
    for path in RULE_FILES:
        rule = load_rule_file(path)
        for i, ex in enumerate(rule.flag_examples):
            yield pytest.param(rule, ex, True, id=f"{rule.id}-flag-{i}")
        for i, ex in enumerate(rule.pass_examples):
            yield pytest.param(rule, ex, False, id=f"{rule.id}-pass-{i}")


def test_there_are_rules_for_every_category():
    from breaklint.finding import CATEGORIES

    categories = {load_rule_file(p).category for p in RULE_FILES}
    assert categories == set(CATEGORIES)


@pytest.mark.parametrize("rule,example,should_flag", list(_cases()))
def test_rule_example(rule, example, should_flag):
    profile = example.profile or rule.profiles[0]
    findings = [f for f in _linter(rule, profile, example.known_variables).lint_text(example.text) if f.rule == rule.id]
    if should_flag:
        assert findings, f"{rule.id} should flag (profile {profile}):\n{example.text}"
        for f in findings:
            assert f.suggestion, f"{rule.id} finding without a suggestion"
            assert 0 <= f.start < f.end <= len(example.text)
            assert example.text[f.start : f.end] == f.text
    else:
        assert not findings, f"{rule.id} should not flag (profile {profile}) but flagged {[f.text for f in findings]}:\n{example.text}"
