"""The command line: exit codes, output shapes, stdin, bad input and bad config."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from breaklint.cli import main
from conftest import cli_in_fresh_interpreter

JSON_KEYS = {"path", "rule", "category", "severity", "line", "column", "end_line", "end_column", "start", "end", "text", "message", "suggestion", "source"}
TAGGED = "Hi {{first_name}},\n\nThe pricing sheet is attached.\n\nBest,\nSam\n"
CLEAN = "Hi Priya,\n\nThe pricing sheet is attached.\n\nBest,\nSam\n"
LONG = "Hi Priya,\n\n" + " ".join(["The freight plan covers every lane we discussed last week."] * 12) + "\n\nBest,\nSam\n"


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input, catch_exceptions=False)


@pytest.fixture
def drafts(tmp_path):
    (tmp_path / "tagged.txt").write_text(TAGGED, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "long.txt").write_text(LONG, encoding="utf-8")
    return tmp_path


def test_clean_draft_exits_0(drafts):
    r = run(["--no-config", "--select", "merge-tag,length", str(drafts / "clean.txt")])
    assert r.exit_code == 0, r.output
    assert "Checked 1 file: 0 errors, 0 warnings, 0 info." in r.output


def test_finding_exits_1_and_shows_position_span_and_suggestion(drafts):
    path = drafts / "tagged.txt"
    r = run(["--no-config", "--select", "merge-tag", str(path)])
    assert r.exit_code == 1
    assert f"{path}:1:4: TAG001 [error] Unfilled merge tag {{{{first_name}}}}" in r.output
    assert " 1 | Hi {{first_name}}," in r.output
    assert "   |    ^^^^^^^^^^^^^^" in r.output
    assert "= suggestion: Replace {{first_name}}" in r.output
    assert "Checked 1 file: 1 error, 0 warnings, 0 info." in r.output


@pytest.mark.parametrize("fail_on,code", [("warning", 1), ("error", 0), ("info", 1), ("never", 0)])
def test_fail_on_decides_the_exit_code(drafts, fail_on, code):
    r = run(["--no-config", "--select", "length", "--fail-on", fail_on, str(drafts / "long.txt")])
    assert "LEN001 [warning]" in r.output
    assert r.exit_code == code


def test_json_output_is_the_documented_contract(drafts):
    path = drafts / "tagged.txt"
    r = run(["--no-config", "--select", "merge-tag", "--format", "json", str(path)])
    data = json.loads(r.output)
    assert isinstance(data, list) and len(data) == 1
    item = data[0]
    assert JSON_KEYS <= set(item)
    assert item["category"] == "merge-tag" and item["rule"] == "TAG001"
    text = path.read_text(encoding="utf-8")
    assert text[item["start"] : item["end"]] == item["text"] == "{{first_name}}"
    assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (1, 4, 1, 18)
    assert item["source"] == "004_aa5fa756eb8dbb07.txt" and item["suggestion"]


def test_json_with_no_findings_is_an_empty_array(drafts):
    r = run(["--no-config", "--select", "merge-tag", "--format", "json", str(drafts / "clean.txt")])
    assert r.exit_code == 0 and json.loads(r.output) == []


def test_stdin_and_stdin_filename():
    r = run(["--no-config", "--select", "merge-tag", "--format", "json", "--stdin-filename", "draft.txt", "-"], input=TAGGED)
    assert r.exit_code == 1
    assert json.loads(r.output)[0]["path"] == "draft.txt"
    r = run(["--no-config", "--select", "merge-tag", "-"], input=TAGGED)
    assert "<stdin>:1:4: TAG001" in r.output


def test_empty_stdin_is_an_error():
    r = run(["--no-config", "-"], input="")
    assert r.exit_code == 2 and "empty" in r.output


def test_directories_are_walked_recursively(drafts):
    sub = drafts / "nested" / "deeper"
    sub.mkdir(parents=True)
    (sub / "t.md").write_text(TAGGED, encoding="utf-8")
    (sub / "notes.yaml").write_text("not: a draft\n", encoding="utf-8")
    r = run(["--no-config", "--select", "merge-tag", "--format", "json", str(drafts)])
    paths = sorted({d["path"] for d in json.loads(r.output)})
    assert paths == sorted([str(drafts / "tagged.txt"), str(sub / "t.md")])


def test_missing_path_exits_2_with_a_message(tmp_path):
    r = run(["--no-config", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2 and "no such file" in r.output


def test_binary_file_named_explicitly_exits_2(tmp_path):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    r = run(["--no-config", str(p)])
    assert r.exit_code == 2 and "binary" in r.output and "Traceback" not in r.output


def test_binary_file_found_in_a_folder_is_skipped_with_a_warning(drafts):
    (drafts / "logo.txt").write_bytes(b"\x00\x01\x02" * 100)
    r = run(["--no-config", "--select", "merge-tag", str(drafts / "clean.txt"), str(drafts)])
    assert "warning" in r.output and "binary" in r.output
    assert r.exit_code == 1  # tagged.txt in the folder still counts; the binary does not fail the run


def test_empty_file_named_explicitly_exits_2(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("   \n", encoding="utf-8")
    r = run(["--no-config", str(p)])
    assert r.exit_code == 2 and "empty" in r.output


def test_no_paths_is_a_usage_error():
    r = run([])
    assert r.exit_code == 2 and "no drafts given" in r.output


def test_unknown_option_is_a_usage_error(drafts):
    r = run(["--frobnicate", str(drafts / "clean.txt")])
    assert r.exit_code == 2


def test_unknown_rule_id_exits_2_with_a_suggestion(drafts):
    r = run(["--no-config", "--select", "TAG01", str(drafts / "clean.txt")])
    assert r.exit_code == 2 and "unknown rule id" in r.output and "TAG001" in r.output


def test_rules_lists_every_rule():
    r = run(["rules"])
    assert r.exit_code == 0
    for rid in ("TAG001", "LEN001", "BLAME001"):
        assert rid in r.output
    data = json.loads(run(["rules", "--format", "json"]).output)
    assert {"id", "category", "severity", "profiles", "message"} <= set(data[0])


def test_explain_shows_the_full_documentation():
    r = run(["explain", "len001"])
    assert r.exit_code == 0
    for part in ("LEN001", "Why", "Source: 001_44b513c00e0ef9b4.txt", "Write instead", "Flagged", "Not flagged"):
        assert part in r.output


def test_explain_unknown_id_exits_2():
    r = run(["explain", "NOPE999"])
    assert r.exit_code == 2 and "unknown rule id" in r.output


def test_crlf_positions_are_right(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(TAGGED.replace("\n", "\r\n").replace("attached.", "attached for {{company}}.").encode())
    item = [d for d in json.loads(run(["--no-config", "--select", "merge-tag", "-f", "json", str(p)]).output) if d["text"] == "{{company}}"][0]
    text = p.read_bytes().decode()
    assert text[item["start"] : item["end"]] == "{{company}}"
    assert (item["line"], item["column"]) == (3, 35)


def _run_reporting_spacy(args: list[str]) -> str:
    return cli_in_fresh_interpreter(args, {"SPACY_LOADED": "spacy"}, timeout=60)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["rules"], ["explain", "TAG001"]])
def test_quick_commands_do_not_import_spacy(args):
    assert _run_reporting_spacy(args).endswith("SPACY_LOADED=False")


def test_merge_tag_and_length_only_run_never_imports_spacy(tmp_path):
    p = tmp_path / "d.txt"
    p.write_text(LONG + "\n{{x}}\n", encoding="utf-8")
    assert _run_reporting_spacy(["--no-config", "--select", "merge-tag,length", str(p)]).endswith("EXIT=1 SPACY_LOADED=False")


def test_help_shows_check_options_and_other_commands():
    r = run(["--help"])
    assert r.exit_code == 0
    for part in ("--format", "--profile", "--fail-on", "rules", "explain"):
        assert part in r.output
