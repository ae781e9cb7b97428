"""Baselines: `--write-baseline` accepts today's findings, later runs report only new
ones, moved lines stay accepted, and stale entries are reported."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from breaklint.cli import main

BLAMING = "Hi Dana,\n\nYou never replied to my emails.\n\nBest,\nSam\n"
TAGGED = "Hi {{first_name}},\n\nThe pricing sheet is attached.\n\nBest,\nSam\n"
CLEAN = "Hi Priya,\n\nThe pricing sheet is attached.\n\nBest,\nSam\n"
SELECT = ["--select", "TAG001,BLAME001"]


def run(args):
    # stderr apart from stdout, so warnings can be checked on their own (click 8.1
    # needs mix_stderr=False for that; 8.2 dropped the argument and always separates).
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, args, catch_exceptions=False)


def rules_of(result) -> list[tuple[str, str]]:
    return sorted((os.path.normpath(f["path"]), f["rule"]) for f in json.loads(result.stdout))


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(BLAMING, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TAGGED, encoding="utf-8")
    (tmp_path / "c.txt").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_written_baseline_is_sorted_json_without_line_numbers(repo):
    r = run([*SELECT, "--write-baseline", "."])
    assert r.exit_code == 0, r.output
    assert "wrote 2 findings" in r.stderr
    doc = json.loads((repo / ".breaklint-baseline.json").read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert doc["findings"] == [
        {"path": "a.txt", "rule": "BLAME001", "text": "You never replied", "occurrence": 0},
        {"path": "b.txt", "rule": "TAG001", "text": "{{first_name}}", "occurrence": 0},
    ]
    # Writing again gives the same bytes: it diffs cleanly in version control.
    before = (repo / ".breaklint-baseline.json").read_bytes()
    run([*SELECT, "--write-baseline", "."])
    assert (repo / ".breaklint-baseline.json").read_bytes() == before
    assert [p.name for p in repo.iterdir() if p.name.startswith(".breaklint-baseline-")] == []  # no temp files left


def test_only_new_findings_are_reported_and_decide_the_exit_code(repo):
    run([*SELECT, "--write-baseline", "."])
    r = run([*SELECT, "--format", "json", "."])
    assert r.exit_code == 0 and rules_of(r) == []
    # A new finding in another file fails the run; the accepted ones stay quiet.
    (repo / "c.txt").write_text(CLEAN.replace("Priya", "{{name}}"), encoding="utf-8")
    r = run([*SELECT, "--format", "json", "."])
    assert r.exit_code == 1 and rules_of(r) == [("c.txt", "TAG001")]
    # --no-baseline shows everything again.
    r = run([*SELECT, "--format", "json", "--no-baseline", "."])
    assert r.exit_code == 1 and rules_of(r) == [("a.txt", "BLAME001"), ("b.txt", "TAG001"), ("c.txt", "TAG001")]
    # The text summary says how many were left out.
    r = run([*SELECT, "a.txt", "b.txt"])
    assert r.exit_code == 0 and "2 more in the baseline" in r.stdout


def test_accepted_findings_survive_moved_lines_but_a_second_copy_is_new(repo):
    run([*SELECT, "--write-baseline", "."])
    moved = "Hi Dana,\n\nA paragraph added above.\n\nAnother one.\n\nYou never\nreplied to my emails.\n\nBest,\nSam\n"
    (repo / "a.txt").write_text(moved, encoding="utf-8")
    r = run([*SELECT, "--format", "json", "a.txt"])
    assert r.exit_code == 0 and rules_of(r) == [], r.stdout
    (repo / "a.txt").write_text(moved.replace("Best,", "You never replied either.\n\nBest,"), encoding="utf-8")
    r = run([*SELECT, "--format", "json", "a.txt"])
    found = json.loads(r.stdout)
    assert r.exit_code == 1 and [(f["rule"], f["line"]) for f in found] == [("BLAME001", 10)]


def test_stale_entries_are_reported_only_for_what_was_checked(repo):
    run([*SELECT, "--write-baseline", "."])
    (repo / "a.txt").write_text(CLEAN, encoding="utf-8")  # the blaming line was fixed
    r = run([*SELECT, "b.txt"])  # a.txt not checked: nothing to say about it
    assert r.exit_code == 0 and "stale" not in r.stderr and "matches no finding" not in r.stderr
    r = run(["--select", "TAG001", "a.txt"])  # BLAME001 did not run: not stale either
    assert "matches no finding" not in r.stderr
    r = run([*SELECT, "."])
    assert r.exit_code == 0
    assert "BLAME001 in a.txt ('You never replied') matches no finding any more" in r.stderr
    assert "TAG001" not in r.stderr and "refresh the baseline with --write-baseline" in r.stderr
    # A deleted file's entries are stale whatever was checked.
    (repo / "b.txt").unlink()
    r = run([*SELECT, "c.txt"])
    assert "TAG001 in b.txt" in r.stderr


def test_rewriting_for_some_files_keeps_the_other_files_entries(repo):
    run([*SELECT, "--write-baseline", "."])
    (repo / "a.txt").write_text(CLEAN, encoding="utf-8")
    r = run([*SELECT, "--write-baseline", "a.txt"])
    assert r.exit_code == 0
    doc = json.loads((repo / ".breaklint-baseline.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["rule"]) for e in doc["findings"]] == [("b.txt", "TAG001")]


def test_baseline_paths_are_relative_to_the_baseline_not_the_working_folder(repo, monkeypatch):
    (repo / "templates").mkdir()
    (repo / "templates" / "t.txt").write_text(TAGGED, encoding="utf-8")
    (repo / ".breaklint.yaml").write_text("select: [TAG001]\n", encoding="utf-8")
    run(["--write-baseline", "templates"])
    doc = json.loads((repo / ".breaklint-baseline.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in doc["findings"]] == ["templates/t.txt"]
    monkeypatch.chdir(repo / "templates")  # the baseline sits beside the config file, found from here
    r = run(["--format", "json", "t.txt"])
    assert r.exit_code == 0 and rules_of(r) == []
    r = run(["--format", "json", str(repo / "templates" / "t.txt")])
    assert r.exit_code == 0 and rules_of(r) == []


def test_baseline_from_config_and_from_the_option(repo):
    (repo / "ci").mkdir()
    (repo / ".breaklint.yaml").write_text("select: [TAG001, BLAME001]\nbaseline: ci/accepted.json\n", encoding="utf-8")
    r = run(["--format", "json", "."])  # named in the config but missing: a clear error
    assert r.exit_code == 2 and "ci/accepted.json" in r.stderr and "--write-baseline" in r.stderr
    assert run(["--write-baseline", "."]).exit_code == 0
    assert (repo / "ci" / "accepted.json").is_file() and not (repo / ".breaklint-baseline.json").exists()
    doc = json.loads((repo / "ci" / "accepted.json").read_text(encoding="utf-8"))
    assert {e["path"] for e in doc["findings"]} == {"../a.txt", "../b.txt"}
    assert rules_of(run(["--format", "json", "."])) == []
    # --baseline FILE wins over the config.
    r = run(["--format", "json", "--baseline", "other.json", "."])
    assert r.exit_code == 2 and "other.json" in r.stderr
    run(["--select", "TAG001", "--write-baseline", "--baseline", "other.json", "."])
    r = run(["--format", "json", "--baseline", "other.json", "."])
    assert rules_of(r) == [("a.txt", "BLAME001")]
    # breaklint config shows which baseline applies.
    shown = json.loads(run(["config", "."]).stdout)
    assert shown["baseline"] == str(repo / "ci" / "accepted.json")


@pytest.mark.parametrize("content, problem", [
    ("{not json", "invalid JSON"),
    ('{"version": 9, "findings": []}', "not a breaklint baseline"),
    ('{"version": 1, "findings": [{"path": "a.txt", "rule": 5, "text": "x"}]}', "entry 0"),
])
def test_malformed_baseline_is_a_configuration_error(repo, content, problem):
    (repo / ".breaklint-baseline.json").write_text(content, encoding="utf-8")
    r = run([*SELECT, "."])
    assert r.exit_code == 2 and problem in r.stderr and ".breaklint-baseline.json" in r.stderr
    assert "Traceback" not in r.stderr
    # Rewriting replaces it.
    assert run([*SELECT, "--write-baseline", "."]).exit_code == 0
    assert json.loads((repo / ".breaklint-baseline.json").read_text(encoding="utf-8"))["version"] == 1


def test_baseline_is_not_written_when_an_input_cannot_be_read(repo):
    run([*SELECT, "--write-baseline", "."])
    before = (repo / ".breaklint-baseline.json").read_bytes()
    r = run([*SELECT, "--write-baseline", "a.txt", "missing.txt"])
    assert r.exit_code == 2 and "baseline not written" in r.stderr
    assert (repo / ".breaklint-baseline.json").read_bytes() == before


def test_conflicting_baseline_options_are_usage_errors(repo):
    assert run(["--no-baseline", "--write-baseline", "."]).exit_code == 2
    assert run(["--fix", "--write-baseline", "."]).exit_code == 2


def test_bad_baseline_setting_names_the_key(repo):
    (repo / ".breaklint.yaml").write_text("baseline: [a, b]\n", encoding="utf-8")
    r = run(["."])
    assert r.exit_code == 2 and "key 'baseline'" in r.stderr


def test_a_whole_draft_finding_stays_accepted_while_the_draft_is_edited(repo):
    sentence = "The freight plan covers every lane we discussed last week."
    long = "Hi Priya,\n\n" + " ".join([sentence] * 12) + "\n\nBest,\nSam\n"
    (repo / "long.txt").write_text(long, encoding="utf-8")
    run(["--select", "LEN001", "--write-baseline", "long.txt"])
    doc = json.loads((repo / ".breaklint-baseline.json").read_text(encoding="utf-8"))
    assert doc["findings"] == [{"path": "long.txt", "rule": "LEN001", "text": "", "occurrence": 0}]
    # Other words past the limit now: still the same accepted finding.
    (repo / "long.txt").write_text(long.replace("Hi Priya,\n\n", "Hi Priya,\n\nA new opening line for this week.\n\n"), encoding="utf-8")
    r = run(["--select", "LEN001", "--format", "json", "long.txt"])
    assert r.exit_code == 0 and rules_of(r) == [] and "matches no finding" not in r.stderr
    # Short enough now: the entry is stale.
    (repo / "long.txt").write_text("Hi Priya,\n\n" + sentence + "\n\nBest,\nSam\n", encoding="utf-8")
    r = run(["--select", "LEN001", "long.txt"])
    assert r.exit_code == 0 and "LEN001 in long.txt" in r.stderr
