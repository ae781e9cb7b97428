"""A bad rule file is an error naming the file, line and field, never a traceback."""

from __future__ import annotations

import textwrap

import pytest

from breaklint.engine import Linter, Options
from breaklint.errors import RuleError
from breaklint.ruleset import load_rule_file, load_rules

GOOD = """\
id: TEST001
category: sarcasm
severity: warning
message: A test rule.
why: Because.
source: 004_aa5fa756eb8dbb07.txt
match:
  phrases: ["deep sigh"]
suggest:
  - Drop it.
examples:
  flag: ["(deep sigh)"]
  pass: ["sigh of relief"]
"""


def write(tmp_path, text, name="TEST001.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def error_for(tmp_path, text) -> RuleError:
    with pytest.raises(RuleError) as info:
        load_rule_file(write(tmp_path, text))
    return info.value


def test_good_rule_loads(tmp_path):
    rule = load_rule_file(write(tmp_path, GOOD))
    assert rule.id == "TEST001" and rule.profiles == ("breakup", "no-breakup", "template")
    assert rule.zones == ("greeting", "body", "closing")


def test_invalid_yaml_names_the_line(tmp_path):
    err = error_for(tmp_path, GOOD.replace("why: Because.", "why: [unclosed"))
    assert err.line is not None and err.line >= 5
    assert "invalid YAML" in str(err) and str(err).startswith(str(tmp_path))


@pytest.mark.parametrize(
    "change,field,line",
    [
        (("severity: warning", "severity: fatal"), "severity", 3),
        (("category: sarcasm", "category: rudeness"), "category", 2),
        (("message: A test rule.", "message: 42"), "message", 4),
        (("id: TEST001", "id: nope"), "id", 1),
        (("source: 004_aa5fa756eb8dbb07.txt\n", ""), "source", None),
        (("  phrases: [\"deep sigh\"]", "  shout: [\"deep sigh\"]"), "match.shout", 8),
        (("  phrases: [\"deep sigh\"]", "  phrases: \"deep sigh\""), "match.phrases", 8),
        (("  - Drop it.\n", ""), "suggest", None),
        (("  pass: [\"sigh of relief\"]", "  pass: []"), "examples.pass", 13),
        (("why: Because.", "why: Because.\nprofiles: [breakup, sales]"), "profiles.1", 6),
        (("why: Because.", "why: Because.\nzones: [body, inbox]"), "zones.1", 6),
        (("why: Because.", "why: Because.\nseverty: error"), "severty", 6),
    ],
)
def test_field_errors_name_file_line_and_field(tmp_path, change, field, line):
    old, new = change
    assert old in GOOD
    err = error_for(tmp_path, GOOD.replace(old, new))
    assert err.field == field
    if line is not None:
        assert err.line == line
    text = str(err)
    assert str(tmp_path) in text and f"field '{field}'" in text


def test_invalid_regex_is_reported_at_load(tmp_path):
    err = error_for(tmp_path, GOOD.replace('  phrases: ["deep sigh"]', '  regex: "(unclosed"'))
    assert err.field == "match.regex" and "invalid regular expression" in str(err)


def test_unknown_metric_and_parameter(tmp_path):
    err = error_for(tmp_path, GOOD.replace('  phrases: ["deep sigh"]', "  metric: {name: vibes}"))
    assert err.field == "match.metric.name"
    err = error_for(tmp_path, GOOD.replace('  phrases: ["deep sigh"]', "  metric: {name: reading_time, speed: 3}"))
    assert err.field == "match.metric.speed"


def test_invalid_spacy_pattern_is_reported_when_compiled(tmp_path):
    text = GOOD.replace('  phrases: ["deep sigh"]', "  tokens:\n    - [{LOWER: deep}, {NOT_AN_ATTR: sigh}]")
    rule = load_rule_file(write(tmp_path, text))
    linter = Linter(rules=[rule], options=Options())
    with pytest.raises(RuleError) as info:
        linter.lint_text("a deep sigh")
    assert info.value.field == "match.tokens" and info.value.line == 8
    assert "invalid spaCy tokens pattern" in str(info.value)


def test_invalid_dependency_pattern(tmp_path):
    text = GOOD.replace('  phrases: ["deep sigh"]', "  dependency:\n    - - {RIGHT_ID: a, RIGHT_ATTRS: {LOWER: deep}}\n      - {LEFT_ID: zzz, REL_OP: '>', RIGHT_ID: b, RIGHT_ATTRS: {LOWER: sigh}}")
    rule = load_rule_file(write(tmp_path, text))
    with pytest.raises(RuleError) as info:
        Linter(rules=[rule], options=Options()).lint_text("a deep sigh")
    assert info.value.field == "match.dependency"


def test_duplicate_ids_across_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    write(a, GOOD)
    write(b, GOOD)
    with pytest.raises(RuleError) as info:
        load_rules([str(a), str(b)], include_builtin=False)
    assert "already defined" in str(info.value) and info.value.field == "id"


def test_yaml_cannot_construct_python_objects(tmp_path):
    err = error_for(tmp_path, GOOD.replace("why: Because.", "why: !!python/object/apply:os.system ['echo pwned']"))
    assert "invalid YAML" in str(err)


def test_user_rule_folder_is_applied(tmp_path):
    write(tmp_path, GOOD)
    rules = load_rules([str(tmp_path)], include_builtin=False)
    findings = Linter(rules=rules, options=Options()).lint_text("Well. (deep sigh) Fine.")
    assert [f.rule for f in findings] == ["TEST001"] and findings[0].text == "deep sigh"
