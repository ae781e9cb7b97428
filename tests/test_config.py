"""Configuration: found by walking up, validated strictly, overridden by flags."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from breaklint.cli import main
from breaklint.config import find_config, load_config_file, resolve
from breaklint.errors import ConfigError

LONG = "Hi Priya,\n\n" + " ".join(["The freight plan covers every lane we discussed last week."] * 12) + "\n\nBest,\nSam\n"


def run(args, cwd=None):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_config_is_found_by_walking_up(tmp_path):
    (tmp_path / ".breaklint.yaml").write_text("profile: template\n", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "d.txt").write_text("x", encoding="utf-8")
    assert find_config(deep / "d.txt") == tmp_path / ".breaklint.yaml"
    assert resolve([str(deep / "d.txt")]).options.profile == "template"


def test_pyproject_tool_section(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.breaklint]\nprofile = 'no-breakup'\nfail_on = 'error'\n", encoding="utf-8")
    config = resolve([str(tmp_path)])
    assert config.options.profile == "no-breakup" and config.fail_on == "error"


def test_flags_override_the_file(tmp_path):
    (tmp_path / ".breaklint.yaml").write_text("profile: template\nreading: {wpm: 200}\n", encoding="utf-8")
    config = resolve([str(tmp_path)], profile="breakup", wpm=300.0)
    assert config.options.profile == "breakup" and config.options.wpm == 300.0


@pytest.mark.parametrize(
    "text,key,line",
    [
        ("profile: breakup\nprofle: template\n", "profle", 2),
        ("profile: sales\n", "profile", 1),
        ("fail_on: sometimes\n", "fail_on", 1),
        ("reading:\n  wpm: -5\n", "reading.wpm", 2),
        ("reading:\n  speed: 200\n", "reading.speed", 2),
        ("severity:\n  TAG001: loud\n", "severity.TAG001", 2),
        ("select: 5\n", "select", 1),
        ("rules_dirs: [does-not-exist]\n", "rules_dirs.0", 1),
    ],
)
def test_bad_config_names_file_line_and_key(tmp_path, text, key, line):
    path = tmp_path / ".breaklint.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config_file(path)
    assert info.value.key == key and info.value.line == line
    assert str(path) in str(info.value)


def test_unknown_key_suggests_the_right_one(tmp_path):
    path = tmp_path / ".breaklint.yaml"
    path.write_text("profle: template\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="did you mean 'profile'"):
        load_config_file(path)


def test_bad_config_exits_2_through_the_cli(tmp_path):
    (tmp_path / ".breaklint.yaml").write_text("reading: {wpm: fast}\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("Hi there.\n", encoding="utf-8")
    r = run([str(tmp_path / "d.txt")])
    assert r.exit_code == 2 and ".breaklint.yaml:1" in r.output and "reading.wpm" in r.output


def test_unknown_rule_in_config_ignore_exits_2(tmp_path):
    (tmp_path / ".breaklint.yaml").write_text("ignore: [TAG999]\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("Hi there.\n", encoding="utf-8")
    r = run([str(tmp_path / "d.txt")])
    assert r.exit_code == 2 and "TAG999" in r.output


def test_reading_speed_and_severity_from_config(tmp_path):
    (tmp_path / ".breaklint.yaml").write_text("select: [length]\nreading: {wpm: 600}\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text(LONG, encoding="utf-8")
    r = run(["-f", "json", str(tmp_path / "d.txt")])
    assert r.exit_code == 0 and json.loads(r.output) == []  # 122 words at 600 wpm is 12 s
    (tmp_path / ".breaklint.yaml").write_text("select: [length]\nseverity: {length: error}\n", encoding="utf-8")
    data = json.loads(run(["-f", "json", str(tmp_path / "d.txt")]).output)
    assert [d["severity"] for d in data] == ["error"]
    assert data[0]["message"] == "Takes about 31 s to read (122 words); cut about 23 words to get under 25 s."


def test_explicit_config_file_and_no_config(tmp_path):
    cfg = tmp_path / "custom.yaml"
    cfg.write_text("select: [merge-tag]\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text(LONG, encoding="utf-8")
    assert run(["--config", str(cfg), str(tmp_path / "d.txt")]).exit_code == 0
    assert run(["--config", str(tmp_path / "missing.yaml"), str(tmp_path / "d.txt")]).exit_code == 2


def test_user_rules_dir_from_config(tmp_path):
    rules = tmp_path / "house-rules"
    rules.mkdir()
    (rules / "HOUSE001.yaml").write_text(
        "id: HOUSE001\ncategory: self-oriented\nseverity: warning\nmessage: Says synergy.\nwhy: House style.\nsource: null\n"
        "match: {phrases: [synergy]}\nsuggest: [Say what it does.]\nexamples: {flag: [synergy], pass: [energy]}\n",
        encoding="utf-8",
    )
    (tmp_path / ".breaklint.yaml").write_text("rules_dirs: [house-rules]\nselect: [HOUSE001]\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("Hi Jo, think of the synergy.\n", encoding="utf-8")
    data = json.loads(run(["-f", "json", str(tmp_path / "d.txt")]).output)
    assert [d["rule"] for d in data] == ["HOUSE001"] and data[0]["source"] is None
