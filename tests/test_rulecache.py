"""The rule-set cache (rulecache.py): the same rules as reading the YAML, never stale,
never an error of its own."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from breaklint import rulecache, ruleset
from breaklint.cache import run_fingerprint
from breaklint.engine import Linter, Options
from breaklint.errors import RuleError
from conftest import cli_in_fresh_interpreter

RULE = textwrap.dedent(
    """\
    id: HOUSE001
    category: sarcasm
    severity: warning
    message: Mock gratitude.
    why: It reads as sarcasm.
    source: null
    match:
      phrases: ["thanks so much for nothing"]
    unless:
      - condition: quoted
        scope: sentence
    suggest: [Drop it.]
    examples:
      flag: ["Thanks so much for nothing, Sam."]
      pass: ["Thanks so much for the call."]
    """
)
CONDITION = textwrap.dedent(
    """\
    condition: quoted
    description: The phrase is quoted.
    regex: '"[^"]*"'
    """
)


def _house(tmp_path: Path) -> Path:
    folder = tmp_path / "house"
    (folder / "sarcasm").mkdir(parents=True)
    (folder / "conditions").mkdir()
    (folder / "sarcasm" / "HOUSE001.yaml").write_text(RULE, encoding="utf-8")
    (folder / "conditions" / "quoted.yaml").write_text(CONDITION, encoding="utf-8")
    return folder


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("v*/rules-*.json"))


def _same(a: list, b: list) -> bool:
    """Equal rules, and equal YAML behind them (Rule equality leaves that out)."""
    return a == b and all(x.located.data == y.located.data and x.located.line(p) == y.located.line(p)
                          for x, y in zip(a, b) for p in (("id",), ("match", "phrases", 0), ("examples", "pass", 0)))


@pytest.fixture
def yaml_reads(monkeypatch):
    """How many rule files were read as YAML."""
    reads = []
    real = ruleset._load_yaml
    monkeypatch.setattr(ruleset, "_load_yaml", lambda path: reads.append(path) or real(path))
    return reads


def test_cached_rules_equal_the_yaml_ones_and_read_no_yaml(tmp_path, yaml_reads):
    house = str(_house(tmp_path))
    expected = ruleset.load_rules([house])
    yaml_reads.clear()
    first = rulecache.load_rules([house], tmp_path / "c")  # fills the cache
    assert yaml_reads and _same(first, expected)
    yaml_reads.clear()
    again = rulecache.load_rules([house], tmp_path / "c")
    assert yaml_reads == []
    assert _same(again, expected)
    assert [r.line_of(("match", "phrases")) for r in again] == [r.line_of(("match", "phrases")) for r in expected]
    assert run_fingerprint(again, Options()) == run_fingerprint(expected, Options())
    assert len(_cache_files(tmp_path / "c")) == 1


def test_findings_are_the_same_with_cached_rules(tmp_path):
    house = str(_house(tmp_path))
    options = Options(rules_dirs=(house,))
    rulecache.load_rules([house], tmp_path / "c")
    cached = Linter(rules=rulecache.load_rules([house], tmp_path / "c"), options=options)
    fresh = Linter(options=options)
    text = 'Hi Sam,\n\nThanks so much for nothing, Sam. You never replied.\n\nAna\n'
    found = [f.to_dict() for f in cached.lint_text(text)]
    assert found == [f.to_dict() for f in fresh.lint_text(text)]
    assert {"HOUSE001", "BLAME001"} <= {f["rule"] for f in found}


@pytest.mark.parametrize("edit", ["same size", "longer", "condition", "new file", "removed file"])
def test_an_edited_rule_folder_is_read_again(tmp_path, edit):
    house = _house(tmp_path)
    rule_file = house / "sarcasm" / "HOUSE001.yaml"
    before = rulecache.load_rules([str(house)], tmp_path / "c")
    if edit == "same size":  # and within the same clock tick: the content decides
        rule_file.write_text(RULE.replace("Mock gratitude.", "Mock thankyou."), encoding="utf-8")
    elif edit == "longer":
        rule_file.write_text(RULE.replace("Mock gratitude.", "Mock gratitude, again."), encoding="utf-8")
    elif edit == "condition":
        (house / "conditions" / "quoted.yaml").write_text(CONDITION.replace("[^\"]*", "[^\"]+"), encoding="utf-8")
    elif edit == "new file":
        (house / "sarcasm" / "HOUSE002.yaml").write_text(RULE.replace("HOUSE001", "HOUSE002"), encoding="utf-8")
    else:
        rule_file.unlink()
    after = rulecache.load_rules([str(house)], tmp_path / "c")
    assert _same(after, ruleset.load_rules([str(house)]))
    assert not _same(after, before)
    assert _same(rulecache.load_rules([str(house)], tmp_path / "c"), after)  # and cached again


def test_a_rule_file_made_malformed_is_an_error_not_a_stale_rule(tmp_path):
    house = _house(tmp_path)
    rulecache.load_rules([str(house)], tmp_path / "c")
    rule_file = house / "sarcasm" / "HOUSE001.yaml"
    rule_file.write_text(RULE.replace("severity: warning", "severity: [warning]"), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        rulecache.load_rules([str(house)], tmp_path / "c")
    assert (info.value.path, info.value.line, info.value.field) == (str(rule_file), 3, "severity")
    shutil.rmtree(house / "sarcasm")
    with pytest.raises(RuleError, match="rule folder does not exist"):
        rulecache.load_rules([str(house / "sarcasm")], tmp_path / "c")


def test_a_corrupt_cache_is_ignored_and_rewritten(tmp_path, yaml_reads):
    house = str(_house(tmp_path))
    expected = ruleset.load_rules([house])
    rulecache.load_rules([house], tmp_path / "c")
    [stored] = _cache_files(tmp_path / "c")
    good = stored.read_bytes()
    head, body = good.split(b"\n", 1)
    flipped = body.replace(b"Mock gratitude.", b"Mock gratitudE.")
    for bad in (b"", b"{not json", b"[]\n[]", good[: len(good) // 2], head + b"\n" + flipped, b'{"key": 1}\n' + body, head + b"\n[1, 2]"):
        stored.write_bytes(bad)
        yaml_reads.clear()
        assert _same(rulecache.load_rules([house], tmp_path / "c"), expected), bad[:40]
        assert yaml_reads  # read again from YAML...
        assert stored.read_bytes() == good  # ...and the cache rewritten
    assert not list((tmp_path / "c").rglob(".tmp-*"))  # written atomically, nothing left over


def test_values_json_cannot_hold_exactly_are_not_cached(tmp_path):
    """A token pattern with a number as a key (spaCy refuses it later) would come back
    from JSON with a string key: such a rule set is read from YAML every time."""
    house = _house(tmp_path)
    odd = RULE.replace('  phrases: ["thanks so much for nothing"]', "  tokens: [[{LOWER: thanks, 1: x}]]")
    (house / "sarcasm" / "HOUSE001.yaml").write_text(odd, encoding="utf-8")
    expected = ruleset.load_rules([str(house)])
    assert expected[-1].match.value == [[{"LOWER": "thanks", 1: "x"}]]
    for _ in range(2):
        assert _same(rulecache.load_rules([str(house)], tmp_path / "c"), expected)
    assert _cache_files(tmp_path / "c") == []


def test_an_unwritable_cache_folder_is_harmless(tmp_path):
    blocker = tmp_path / "c"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    house = str(_house(tmp_path))
    assert _same(rulecache.load_rules([house], blocker), ruleset.load_rules([house]))


def test_no_folder_means_no_cache(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    house = str(_house(tmp_path))
    assert _same(rulecache.load_rules([house], None), ruleset.load_rules([house]))
    assert not list(tmp_path.rglob("rules-*.json"))


def test_rules_and_explain_use_the_cache_and_no_cache_writes_nothing(tmp_path):
    import os

    from breaklint import prebuilt

    env = {**os.environ, "BREAKLINT_CACHE_DIR": str(tmp_path / "c")}
    # Without the cache the rules are read as YAML, unless the tables shipped for the
    # built-in rules (prebuilt.py) fit this install.
    yaml = prebuilt.rules() is None
    for args in (["rules", "--no-cache"], ["explain", "--no-cache", "BLAME001"]):
        assert cli_in_fresh_interpreter(args, {"YAML": "yaml"}, env=env).endswith(f"EXIT=0 YAML={yaml}")
    assert not (tmp_path / "c").exists()
    for args in (["rules"], ["explain", "BLAME001"]):
        cli_in_fresh_interpreter(args, {"YAML": "yaml"}, env=env)
        # once the cache holds them, the rules need no YAML at all
        assert cli_in_fresh_interpreter(args, {"YAML": "yaml"}, env=env).endswith("EXIT=0 YAML=False")
    assert len(_cache_files(tmp_path / "c")) == 1


def test_check_no_cache_writes_no_rule_cache(tmp_path):
    import os

    (tmp_path / "d.txt").write_text("Hi {{first_name}},\n\nThe invoice is attached.\n", encoding="utf-8")
    env = {**os.environ, "BREAKLINT_CACHE_DIR": str(tmp_path / "c")}
    args = ["--no-config", "--select", "merge-tag", "-f", "json", str(tmp_path / "d.txt")]
    out = cli_in_fresh_interpreter([*args, "--no-cache"], {"YAML": "yaml"}, env=env)
    assert out.startswith("EXIT=1") and not (tmp_path / "c").exists()
    cli_in_fresh_interpreter(args, {"YAML": "yaml"}, env=env)
    assert len(_cache_files(tmp_path / "c")) == 1
    assert cli_in_fresh_interpreter(args, {"YAML": "yaml"}, env=env).endswith("EXIT=1 YAML=False")


def test_the_stored_file_is_json(tmp_path):
    """Never pickle: a cache folder may be shared, and loading must not run code."""
    house = str(_house(tmp_path))
    rulecache.load_rules([house], tmp_path / "c")
    [stored] = _cache_files(tmp_path / "c")
    head, body = stored.read_text(encoding="utf-8").split("\n", 1)
    assert json.loads(head)["key"] and [r["id"] for r in json.loads(body)][-1] == "HOUSE001"
