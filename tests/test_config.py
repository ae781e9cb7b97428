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


@pytest.mark.parametrize("text, key, line", [
    ("profile: breakup\nignore: [TAG999]\n", "ignore", 2),
    ("select:\n  - merge-tag\n  - BLAM001\n", "select", 1),
    ("fail_on: error\nseverity: {BLAM001: info}\n", "severity", 2),
    ("per_file_ignores:\n  'legacy/*': [FOO1]\n", "per_file_ignores['legacy/*']", 1),
])
def test_unknown_rule_id_in_config_names_the_file_line_and_key(tmp_path, text, key, line):
    (tmp_path / ".breaklint.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "d.txt").write_text("Hi there.\n", encoding="utf-8")
    r = run([str(tmp_path / "d.txt")])
    assert r.exit_code == 2
    assert f"{tmp_path / '.breaklint.yaml'}:{line}: key '{key}': unknown rule id or category" in r.output


def test_unknown_rule_id_from_a_flag_does_not_blame_the_config(tmp_path):
    (tmp_path / ".breaklint.yaml").write_text("ignore: [TAG001]\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("Hi there.\n", encoding="utf-8")
    r = run(["--ignore", "TAG999", str(tmp_path / "d.txt")])
    assert r.exit_code == 2 and "TAG999" in r.output and ".breaklint.yaml" not in r.output


def test_ignore_and_reading_threshold_from_config(tmp_path):
    (tmp_path / "d.txt").write_text(LONG.replace("Hi Priya,", "Hi Priya, you never replied to my emails."), encoding="utf-8")
    (tmp_path / ".breaklint.yaml").write_text("select: [length, customer-blaming]\n", encoding="utf-8")
    found = {d["rule"] for d in json.loads(run(["-f", "json", str(tmp_path / "d.txt")]).output)}
    assert {"LEN001", "BLAME001"} <= found
    (tmp_path / ".breaklint.yaml").write_text(
        "select: [length, customer-blaming]\nignore: [customer-blaming]\nreading: {max_seconds: 40}\n", encoding="utf-8")
    assert json.loads(run(["-f", "json", str(tmp_path / "d.txt")]).output) == []


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


# -- paths: per-path profiles, exclude, per-file ignores, known variables -------------


def _library(tmp_path):
    (tmp_path / ".breaklint.yaml").write_text(
        'path_profiles:\n  "templates/**": template\n'
        'exclude: ["archive/**"]\n'
        'per_file_ignores:\n  "legacy/*.txt": [self-oriented]\n'
        "known_variables: [first_name, company]\n",
        encoding="utf-8",
    )
    for folder, name, text in [
        ("templates", "welcome.hbs", 'Hi {{ frist_name | default: "there" }},\n\nThe guide is attached.\n'),
        ("archive", "old.txt", "Hi {{first_name}},\n\nYou never replied.\n"),
        ("legacy", "nudge.txt", "Hi Dana,\n\nJust checking in to see if you had a chance to look.\n"),
        ("drafts", "tag.txt", "Hi {{first_name}},\n\nThe guide is attached.\n"),
    ]:
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / name).write_text(text, encoding="utf-8")


def test_path_profiles_exclude_and_per_file_ignores(tmp_path, monkeypatch):
    _library(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = run([".", "-f", "json"])
    found = {(f["path"].replace("\\", "/").lstrip("./"), f["rule"]) for f in json.loads(out.output)}
    # templates/ runs in template mode: the tag is fine, the misspelt field is not.
    assert ("templates/welcome.hbs", "TAG104") in found
    assert not any(p.startswith("templates/") and r == "TAG001" for p, r in found)
    # drafts/ uses the default profile: an unfilled tag is an error there.
    assert ("drafts/tag.txt", "TAG001") in found
    # archive/ is excluded, legacy/ ignores self-oriented.
    assert not any(p.startswith("archive/") for p, _ in found)
    assert not any(p.startswith("legacy/") for p, _ in found)


def test_config_command_shows_the_resolved_settings(tmp_path, monkeypatch):
    _library(tmp_path)
    monkeypatch.chdir(tmp_path)
    shown = json.loads(run(["config", "templates/welcome.hbs"]).output)
    assert shown["config_file"].endswith(".breaklint.yaml")
    assert shown["profile_for_path"] == "template"
    assert shown["settings"]["known_variables"] == ["first_name", "company"]
    assert json.loads(run(["config", "archive/old.txt"]).output)["excluded"] is True


@pytest.mark.parametrize(
    "text, key",
    [
        ("path_profiles:\n  templates/**: draft\n", "path_profiles.templates/**"),
        ("path_profiles: [templates]\n", "path_profiles"),
        ("per_file_ignores:\n  '*.txt': 3\n", "per_file_ignores.*.txt"),
        ("known_variables: {a: b}\n", "known_variables"),
    ],
)
def test_bad_path_settings_name_the_key(tmp_path, text, key):
    cfg = tmp_path / ".breaklint.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config_file(cfg)
    assert exc.value.key == key
    assert exc.value.line in (1, 2)


def test_unknown_rule_in_per_file_ignores_is_a_usage_error(tmp_path, monkeypatch):
    (tmp_path / ".breaklint.yaml").write_text('per_file_ignores:\n  "*.txt": [SARC999]\n', encoding="utf-8")
    (tmp_path / "d.txt").write_text("Hi Dana,\n\nThe guide is attached.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = run(["d.txt"])
    assert out.exit_code == 2 and "SARC999" in out.output
