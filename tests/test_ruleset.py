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


def test_a_backspace_in_a_regex_is_reported_with_the_fix(tmp_path):
    # "\\b" inside a double-quoted YAML string is a backspace, not a word boundary.
    err = error_for(tmp_path, GOOD.replace('  phrases: ["deep sigh"]', '  regex: "\\bsigh\\b"'))
    assert err.field == "match.regex" and "backspace" in str(err) and "\\\\b" in str(err)
    load_rule_file(write(tmp_path, GOOD.replace('  phrases: ["deep sigh"]', '  regex: "\\\\bsigh\\\\b"'), "TEST002.yaml"))


def test_a_regex_is_checked_with_the_flags_it_runs_with(tmp_path, monkeypatch):
    # The `regex` module keeps what it compiled, so compiling at load with the
    # engine's flags spares the engine a second compile of each pattern it runs.
    import regex

    from breaklint import ruleset

    seen = []
    real = regex.compile
    monkeypatch.setattr(regex, "compile", lambda p, flags=0, **kw: seen.append((p, flags)) or real(p, flags, **kw))
    monkeypatch.setattr(ruleset, "VALID_PATTERNS", set())
    load_rule_file(write(tmp_path, GOOD.replace('  phrases: ["deep sigh"]', '  regex: "sigh+"\n  ignore_case: true')))
    load_rule_file(write(tmp_path, GOOD.replace('  phrases: ["deep sigh"]', '  regex: "groan+"'), "TEST002.yaml"))
    assert [c for c in seen if c[0] in ("sigh+", "groan+")] == [("sigh+", regex.IGNORECASE), ("groan+", 0)]


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


# -- through the command line: exit 2, file, line and field, no traceback ------------------


def _cli_with_rule(tmp_path, rule_text: str, draft: str = "Well. (deep sigh) Fine.\n", config: str = ""):
    from click.testing import CliRunner

    from breaklint.cli import main

    rules = tmp_path / "house-rules"
    rules.mkdir(exist_ok=True)
    (rules / "TEST001.yaml").write_text(rule_text, encoding="utf-8")
    (tmp_path / ".breaklint.yaml").write_text("rules_dirs: [house-rules]\nselect: [TEST001]\n" + config, encoding="utf-8")
    (tmp_path / "d.txt").write_text(draft, encoding="utf-8")
    result = CliRunner().invoke(main, [str(tmp_path / "d.txt")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result, rules / "TEST001.yaml"


@pytest.mark.parametrize(
    "case,old,new,where",
    [
        ("malformed YAML", "why: Because.", "why: [unclosed", ":6: invalid YAML"),
        ("missing field", "message: A test rule.\n", "", ":1: field 'message': is required"),
        ("wrong type", "severity: warning", "severity: [warning]", ":3: field 'severity': must be one of"),
        ("unknown kind", '  phrases: ["deep sigh"]', '  shout: ["deep sigh"]', ":8: field 'match.shout': unknown key"),
        ("invalid regex", '  phrases: ["deep sigh"]', '  regex: "(unclosed"', ":8: field 'match.regex': invalid regular expression"),
        ("invalid spaCy pattern", '  phrases: ["deep sigh"]', "  tokens:\n    - [{LOWER: deep}, {NOT_AN_ATTR: sigh}]", ":8: field 'match.tokens': invalid spaCy tokens pattern"),
        ("python object tag", "why: Because.", "why: !!python/object/apply:os.system ['echo pwned']", ":5: invalid YAML"),
    ],
)
def test_bad_rule_file_exits_2_naming_file_line_and_field(tmp_path, case, old, new, where):
    assert old in GOOD
    r, path = _cli_with_rule(tmp_path, GOOD.replace(old, new))
    assert r.exit_code == 2, r.output
    assert f"breaklint: error: {path}{where}" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_python_tag_in_a_rule_file_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    r, _ = _cli_with_rule(tmp_path, GOOD.replace("why: Because.", f"why: !!python/object/apply:os.system ['touch {marker}']"))
    assert r.exit_code == 2 and not marker.exists()
    for tag in ("!!python/object/new:os.system", "!!python/name:os.system", "!!python/module:os"):
        r, _ = _cli_with_rule(tmp_path, GOOD.replace("why: Because.", f"why: {tag} ['touch {marker}']"))
        assert r.exit_code == 2 and "invalid YAML" in r.stderr and not marker.exists()


def test_python_tag_in_the_config_is_refused(tmp_path):
    from click.testing import CliRunner

    from breaklint.cli import main

    marker = tmp_path / "pwned"
    (tmp_path / ".breaklint.yaml").write_text(f"select: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("Hi\n", encoding="utf-8")
    r = CliRunner().invoke(main, [str(tmp_path / "d.txt")])
    assert r.exit_code == 2 and "invalid YAML" in r.stderr and not marker.exists()


def test_yaml_alias_bomb_is_refused_quickly(tmp_path):
    """'Billion laughs': nine lines that expand to 10^9 values must not hang the loader."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    err = error_for(tmp_path, "\n".join(lines) + "\n")
    assert "expands to more than" in str(err) and err.line is not None


def test_deeply_nested_yaml_is_an_error_not_a_recursion_crash(tmp_path):
    err = error_for(tmp_path, "why: " + "[" * 20_000 + "]" * 20_000 + "\n")
    # libyaml has its own depth limit; the pure-Python loader hits the recursion limit.
    assert "invalid YAML" in str(err) and ("nested too deeply" in str(err) or "maximum nesting depth" in str(err))


def test_deeply_nested_yaml_without_libyaml(tmp_path, monkeypatch):
    import yaml

    from breaklint import yamlsource

    monkeypatch.setattr(yamlsource, "_SafeLoader", yaml.SafeLoader)
    err = error_for(tmp_path, "why: " + "[" * 20_000 + "]" * 20_000 + "\n")
    assert "nested too deeply" in str(err)
    err = error_for(tmp_path, GOOD.replace("why: Because.", "why: !!python/object/apply:os.system ['true']"))
    assert "invalid YAML" in str(err)


@pytest.mark.parametrize(
    "change,field",
    [
        (("examples:\n", "examples:\n  3: z\n"), "examples.3"),
        (("  phrases: [\"deep sigh\"]", "  metric: {name: [reading_time]}"), "match.metric.name"),
        (("  phrases: [\"deep sigh\"]", "  metric: {name: reading_time, wpm: .nan}"), "match.metric.wpm"),
        (("  phrases: [\"deep sigh\"]", "  metric: {name: reading_time, wpm: .inf}"), "match.metric.wpm"),
        (("why: Because.", "why: Because.\n? [a, b]\n: 1"), None),
    ],
)
def test_odd_yaml_values_are_field_errors(tmp_path, change, field):
    old, new = change
    assert old in GOOD
    err = error_for(tmp_path, GOOD.replace(old, new))
    if field is None:
        assert "invalid YAML" in str(err)
    else:
        assert err.field == field


def test_catastrophic_regex_does_not_hang_the_run(tmp_path):
    """(a|aa)+$ on "aaaa...!" backtracks exponentially (2^60 steps here: years); the run
    stops it at regex_timeout and warns. The `regex` engine optimises the classic
    (a+)+$ away, so that one simply finishes without a warning."""
    for pattern, warns in (("(a|aa)+$", True), ("(a+)+$", False)):
        rule = GOOD.replace('  phrases: ["deep sigh"]', f"  regex: '{pattern}'")
        r, path = _cli_with_rule(tmp_path, rule, draft="Hi,\n\n" + "a" * 60 + "!\n", config="regex_timeout: 0.2\n")
        assert r.exit_code == 0, r.output
        assert ("took longer than 0.2 s and was stopped" in r.stderr) is warns, r.stderr
        if warns:
            assert "rule TEST001" in r.stderr and str(path) in r.stderr


def test_span_on_a_regex_is_refused_not_silently_ignored(tmp_path):
    err = error_for(tmp_path, GOOD.replace('  phrases: ["deep sigh"]', '  regex: ["deep sigh"]\n  span: sentence'))
    assert err.field == "match.span" and "not used by 'regex'" in str(err)
