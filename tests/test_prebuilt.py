"""The tables shipped for the built-in rules (prebuilt.py, data/prebuilt.json): current,
used only when their key fits the install, and never a change in findings."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from breaklint import prebuilt, regexscreen, rulecache, ruleset
from breaklint.cache import FindingsCache, run_fingerprint
from breaklint.engine import Linter, Options
from breaklint.errors import RuleError
from conftest import ROOT

SAMPLE = sorted((ROOT / "corpus" / "eval" / "test").glob("*.txt"))[::6]  # 40 of the 240
SHIPPED = prebuilt.PATH


@pytest.fixture
def fresh(monkeypatch):
    """No rule regex checked, no literal worked out yet, the shipped file not read yet:
    as in a new process. Returns a function to point prebuilt at another file."""
    monkeypatch.setattr(ruleset, "VALID_PATTERNS", set())
    monkeypatch.setattr(regexscreen, "KNOWN", {})
    monkeypatch.setattr(prebuilt, "_loaded", None)

    def use(path: Path) -> None:
        monkeypatch.setattr(prebuilt, "PATH", path)
        monkeypatch.setattr(prebuilt, "_loaded", None)
        monkeypatch.setattr(ruleset, "VALID_PATTERNS", set())
        monkeypatch.setattr(regexscreen, "KNOWN", {})

    return use


def _shipped() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def _findings(paths: list[Path], cache_dir: Path | None) -> list:
    """What `breaklint` reports for `paths` (in one process), with a cache folder or
    without (--no-cache)."""
    rules = rulecache.load_rules((), cache_dir)
    linter = Linter(rules=rules, options=Options())
    cache = FindingsCache(cache_dir, run_fingerprint(rules, linter.options)) if cache_dir is not None else None
    return [(r.path, [f.to_dict() for f in r.findings], r.warnings) for r in linter.lint_paths([str(p) for p in paths], cache=cache, jobs=1)]


def test_the_shipped_file_is_current():
    stored = _shipped()
    why = f"{prebuilt.PATH} is out of date: run `{prebuilt.REGENERATE}` from the repository root and commit the file"
    # The code and the rule files are the same on any Python: always checked.
    assert stored["key"]["code"] == prebuilt.code_hash(), why + " (breaklint's code changed)"
    assert stored["key"]["rules"] == prebuilt.rules_hash(), why + " (a built-in rule file changed)"
    running = prebuilt.current_key(("python", "regex"))
    if any(stored["key"][part] != running[part] for part in running):
        pytest.skip(f"the file was built for {stored['key']['python']} with regex {stored['key']['regex']}; "
                    f"this is {running['python']} with regex {running['regex']}, so its tables cannot be rebuilt here")
    assert stored == json.loads(prebuilt.dumps(prebuilt.build())), why


def test_the_tables_fit_this_install_and_equal_what_is_worked_out(fresh):
    if prebuilt.literals() is None or prebuilt.rules() is None or prebuilt.valid_patterns() is None:
        pytest.skip("the shipped file was built for another Python or regex (see test_the_shipped_file_is_current)")
    expected = ruleset.load_rules()
    assert prebuilt.valid_patterns() == ruleset.VALID_PATTERNS  # every built-in pattern, and only those
    loaded = prebuilt.rules()
    assert loaded == expected and all(a.located == b.located for a, b in zip(loaded, expected))
    assert [r.path for r in loaded] == [r.path for r in expected]  # where this install keeps them
    assert prebuilt.literals() == {p: regexscreen.required_literals(p) for p in prebuilt.literals()}


@pytest.mark.parametrize("part", ["format", "code", "rules", "regex", "python"])
def test_a_table_whose_key_part_differs_is_ignored(tmp_path, fresh, part):
    data = _shipped()
    data["key"][part] = "something else"
    fresh(tmp_path / "prebuilt.json")
    (tmp_path / "prebuilt.json").write_text(json.dumps(data), encoding="utf-8")
    fitting = prebuilt.current_key()
    if any(data["key"][p] != fitting[p] for p in fitting if p != part):
        pytest.skip("the shipped file does not fit this install anyway")
    for name, needs in prebuilt.NEEDS.items():
        assert (prebuilt.table(name) is None) == (part in needs), name
    assert (prebuilt.rules() is None) == (part in prebuilt.NEEDS["rules"])


def _poisoned(tmp_path: Path, key_part: str | None) -> Path:
    """The shipped file with tables that would change every finding if used (other
    messages, literals no draft holds) and, unless key_part is None, a wrong key."""
    data = _shipped()
    for rule in data["tables"]["rules"]:
        rule["message"] = "POISON"
    data["tables"]["literals"] = {p: ["zqzqzqzq"] for p in data["tables"]["literals"]}
    if key_part is not None:
        data["key"][key_part] = "something else"
    target = tmp_path / "poisoned.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def test_a_stale_or_corrupt_file_changes_no_finding(tmp_path, fresh):
    drafts = SAMPLE[:12]
    fresh(tmp_path / "missing.json")
    expected = _findings(drafts, None)
    assert any(found for _, found, _ in expected)
    # Control: the poison shows when the key fits (else this test would prove nothing).
    poisoned = _poisoned(tmp_path, None)
    fresh(poisoned)
    if prebuilt.rules() is None or prebuilt.literals() is None:
        pytest.skip("the shipped file does not fit this install")
    assert _findings(drafts, None) != expected
    for part in ("format", "code", "regex", "python", "rules"):
        fresh(_poisoned(tmp_path, part))
        got = _findings(drafts, None)
        if part in prebuilt.NEEDS["rules"] and part in prebuilt.NEEDS["literals"]:
            assert got == expected, part
        # A part one table does not depend on leaves that table in use: the poison
        # of the other shows, which shows the key is checked table by table.
        else:
            assert got != expected, part
    damaged = tmp_path / "damaged.json"
    text = SHIPPED.read_text(encoding="utf-8")
    for bad in ("", "{not json", "[]", '{"key": 1}', text[: len(text) // 2], text.replace('"tables"', '"tablez"'),
                json.dumps({**_shipped(), "tables": {"valid_patterns": [1], "literals": {"x": [2]}, "rules": [{"id": 3}]}})):
        damaged.write_text(bad, encoding="utf-8")
        fresh(damaged)
        assert _findings(drafts, None) == expected, bad[:40]


def test_findings_over_corpus_drafts_are_the_same_with_and_without_the_tables(tmp_path, fresh, monkeypatch):
    fresh(tmp_path / "missing.json")  # tables disabled, empty cache folder: all worked out
    without = _findings(SAMPLE, tmp_path / "c1")
    assert sum(len(found) for _, found, _ in without) > 20
    fresh(SHIPPED)
    if prebuilt.rules() is None or prebuilt.literals() is None:
        pytest.skip("the shipped file does not fit this install")
    fresh(SHIPPED)
    parsed = []
    real = regexscreen.required_literals
    monkeypatch.setattr(regexscreen, "required_literals", lambda p: parsed.append(p) or real(p))
    monkeypatch.setattr(ruleset, "_load_yaml", lambda path: pytest.fail(f"read {path} as YAML"))
    assert _findings(SAMPLE, tmp_path / "c2") == without  # empty cache folder, the tables
    assert parsed == []  # ...and they were used
    # The cache folder got what the tables held, as if worked out: later runs read it.
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "c2").glob("v*/*.json")) == ["literals", "rules"]
    fresh(SHIPPED)
    assert _findings(SAMPLE, None) == without  # --no-cache uses them too


HOUSE = textwrap.dedent(
    """\
    id: HOUSE001
    category: sarcasm
    severity: warning
    message: Mock gratitude.
    why: It reads as sarcasm.
    source: null
    match:
      regex: {pattern}
    suggest: [Drop it.]
    examples:
      flag: ["Thanks so much for nothing, Sam."]
      pass: ["Thanks so much for the call."]
    """
)


@pytest.mark.parametrize("cache", [True, False])
def test_a_user_rule_folder_is_still_checked_with_the_tables_loaded(tmp_path, fresh, monkeypatch, cache):
    if prebuilt.valid_patterns() is None:
        pytest.skip("the shipped file does not fit this install")
    import regex

    compiled = []
    real = regex.compile
    monkeypatch.setattr(regex, "compile", lambda p, flags=0, **kw: compiled.append(p) or real(p, flags, **kw))
    folder = tmp_path / "house"
    (folder / "sarcasm").mkdir(parents=True)
    rule_file = folder / "sarcasm" / "HOUSE001.yaml"
    rule_file.write_text(HOUSE.format(pattern="'thanks so much for nothing'"), encoding="utf-8")
    cache_dir = tmp_path / "c" if cache else None
    loaded = rulecache.load_rules([str(folder)], cache_dir)
    assert loaded[-1].id == "HOUSE001" and len(loaded) == len(prebuilt.rules()) + 1
    # The user's pattern was compiled to check it; the built-in ones were known valid.
    assert compiled == ["thanks so much for nothing"]
    rule_file.write_text(HOUSE.format(pattern="'thanks (so much'"), encoding="utf-8")
    fresh(SHIPPED)
    with pytest.raises(RuleError) as info:
        rulecache.load_rules([str(folder)], cache_dir)
    assert (info.value.path, info.value.line, info.value.field) == (str(rule_file), 8, "match.regex")
    assert "invalid regular expression" in str(info.value)
    # A user pattern that is also a built-in one is fine, and still needs no compile.
    builtin = sorted(prebuilt.valid_patterns())[0]
    rule_file.write_text(HOUSE.format(pattern=json.dumps(builtin)), encoding="utf-8")
    fresh(SHIPPED)
    compiled.clear()
    assert rulecache.load_rules([str(folder)], cache_dir)[-1].match.value == [builtin]
    assert compiled == []
