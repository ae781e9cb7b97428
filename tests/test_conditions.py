"""Shared conditions: rules/conditions/NAME.yaml, named from a rule's unless/requires."""

from __future__ import annotations

import textwrap

import pytest

from breaklint.cache import run_fingerprint
from breaklint.engine import Linter, Options
from breaklint.errors import RuleError
from breaklint.ruleset import builtin_rules_dir, load_conditions, load_rules

RULE = """\
id: TEST001
category: self-oriented
severity: warning
message: Wants a call.
why: Because.
source: null
match:
  regex: ["\\\\bI'd love a call\\\\b"]
unless:
  - condition: {name}
    scope: {scope}
suggest: [Offer something.]
examples:
  flag: ["I'd love a call."]
  pass: ["I'd love a call; the guide is attached."]
"""

CONDITION = """\
condition: offers-a-guide
description: The draft offers a guide.
regex: ["\\\\bguide\\\\b"]
ignore_case: true
"""


def _folder(tmp_path, rule=RULE, condition=CONDITION, name="offers-a-guide", scope="draft"):
    (tmp_path / "conditions").mkdir(exist_ok=True)
    (tmp_path / "TEST001.yaml").write_text(textwrap.dedent(rule).replace("{name}", name).replace("{scope}", scope), encoding="utf-8")
    if condition is not None:
        (tmp_path / "conditions" / "guide.yaml").write_text(condition, encoding="utf-8")
    return tmp_path


def _lint(rules, text):
    return [f.rule for f in Linter(rules=rules, options=Options()).lint_text(text)]


def test_a_shared_condition_cancels_a_finding_in_the_scope_the_rule_gives(tmp_path):
    rules = load_rules([str(_folder(tmp_path))], include_builtin=False)
    assert [r.id for r in rules] == ["TEST001"]  # the condition file is not read as a rule
    assert _lint(rules, "Hi Ana,\n\nI'd love a call.\n") == ["TEST001"]
    assert _lint(rules, "Hi Ana,\n\nI'd love a call.\n\nThe GUIDE is attached.\n") == []


def test_the_rule_chooses_the_scope(tmp_path):
    rules = load_rules([str(_folder(tmp_path, scope="sentence"))], include_builtin=False)
    assert _lint(rules, "Hi Ana,\n\nI'd love a call.\n\nThe guide is attached.\n") == ["TEST001"]
    assert _lint(rules, "Hi Ana,\n\nI'd love a call about the guide.\n") == []


def test_a_user_rule_may_name_a_builtin_condition(tmp_path):
    folder = _folder(tmp_path, condition=None, name="concrete-value")
    rules = [r for r in load_rules([str(folder)]) if r.id == "TEST001"]
    assert _lint(rules, "Hi Ana,\n\nI'd love a call.\n") == ["TEST001"]
    assert _lint(rules, "Hi Ana,\n\nI'd love a call. Teams like yours cut close time by 40%.\n") == []


def test_every_self_oriented_rule_uses_the_one_concrete_value_condition():
    conditions = load_conditions([builtin_rules_dir()])
    assert conditions["concrete-value"].kind == "regex"
    for rule in load_rules():
        if rule.category == "self-oriented" and rule.id != "SELF900":
            shared = [s for s in rule.unless if s.value == conditions["concrete-value"].value]
            assert len(shared) == 1 and shared[0].scope == "draft", rule.id


def test_an_unknown_condition_names_file_line_and_field(tmp_path):
    folder = _folder(tmp_path, name="offers-a-gide")
    with pytest.raises(RuleError) as info:
        load_rules([str(folder)], include_builtin=False)
    err = info.value
    assert err.path.endswith("TEST001.yaml") and err.field == "unless.0.condition" and err.line == 10
    assert "unknown condition 'offers-a-gide'" in str(err) and "offers-a-guide" in str(err)


@pytest.mark.parametrize(
    "condition,field,message",
    [
        (CONDITION.replace("condition: offers-a-guide\n", ""), "condition", "is required"),
        (CONDITION + "scope: draft\n", "scope", "chosen by each rule"),
        (CONDITION.replace("regex:", "regexp:"), "regexp", "unknown key"),
        (CONDITION.replace('["\\\\bguide\\\\b"]', '["(unclosed"]'), "regex", "invalid regular expression"),
    ],
)
def test_a_bad_condition_file_names_file_and_field(tmp_path, condition, field, message):
    with pytest.raises(RuleError) as info:
        load_rules([str(_folder(tmp_path, condition=condition))], include_builtin=False)
    assert info.value.path.endswith("guide.yaml") and info.value.field == field and message in str(info.value)


def test_a_condition_is_not_allowed_as_the_match(tmp_path):
    rule = RULE.replace('match:\n  regex: ["\\\\bI\'d love a call\\\\b"]', "match:\n  condition: offers-a-guide")
    with pytest.raises(RuleError) as info:
        load_rules([str(_folder(tmp_path, rule=rule))], include_builtin=False)
    assert info.value.field == "match.condition" and "only allowed in 'unless' and 'requires'" in str(info.value)


def test_two_conditions_with_one_name_are_an_error(tmp_path):
    folder = _folder(tmp_path)
    (folder / "conditions" / "again.yaml").write_text(CONDITION, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules([str(folder)], include_builtin=False)
    assert "already defined" in str(info.value)


def test_editing_a_condition_changes_the_cache_fingerprint(tmp_path):
    folder = _folder(tmp_path)
    before = run_fingerprint(load_rules([str(folder)], include_builtin=False), Options())
    (folder / "conditions" / "guide.yaml").write_text(CONDITION.replace("bguide", "bmanual"), encoding="utf-8")
    after = run_fingerprint(load_rules([str(folder)], include_builtin=False), Options())
    assert before != after
