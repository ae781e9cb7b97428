"""The machine-readable output formats: SARIF (validated against the official 2.1.0
schema in tests/data), GitHub Actions workflow commands and JUnit XML.

Findings come from the real linter on drafts written to tmp_path; only the merge-tag
and length rules and BLAME001 are relied on. Edge cases the built-in rules cannot
produce on demand (an info finding, a fix, a span ending in a line break) use Finding
records built by hand and fed to the formatter directly.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from breaklint.cli import main
from breaklint.engine import FileResult
from breaklint.finding import Finding, Fix
from breaklint.positions import LineIndex
from breaklint.report import FORMATS
from breaklint.report.github_format import escape_data, escape_property
from conftest import format_results

DATA = Path(__file__).resolve().parent / "data"
SELECT = ["--no-config", "--select", "merge-tag,length,BLAME001"]
BLAMING = "Hi {{first_name}},\n\nYou never replied to my emails.\n\nBest,\nSam\n"
LONG = "Hi Priya,\n\n" + " ".join(["The freight plan covers every lane we discussed last week."] * 12) + "\n\nBest,\nSam\n"
CLEAN = "Hi Priya,\n\nThe pricing sheet is attached.\n\nBest,\nSam\n"


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input, catch_exceptions=False)


@pytest.fixture
def drafts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "blaming.txt").write_text(BLAMING, encoding="utf-8")
    (tmp_path / "drafts" / "long.txt").write_text(LONG, encoding="utf-8")
    (tmp_path / "drafts" / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def findings_json(paths):
    r = run([*SELECT, "--format", "json", *paths])
    return json.loads(r.output)


@pytest.fixture(scope="module")
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(validator, log):
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def finding(path="d.txt", rule="BLAME001", severity="error", category="customer-blaming", text="You never replied", source=None, start=None, fix=None, message="Blames the prospect.", suggestion="Say it from your side."):
    source = source if source is not None else f"Hi,\n{text} again.\n"
    start = source.index(text) if start is None else start
    end = start + len(text)
    index = LineIndex(source)
    line, col = index.line_col(start)
    end_line, end_col = index.line_col(end)
    return Finding(path=path, rule=rule, category=category, severity=severity, start=start, end=end, line=line, column=col,
                   end_line=end_line, end_column=end_col, text=text, message=message, suggestion=suggestion, source=None, fix=fix)


def test_every_new_format_is_registered_and_offered_by_the_cli():
    assert {"text", "json", "sarif", "github", "junit", "html"} <= set(FORMATS)
    r = run(["check", "--help"])
    assert "sarif" in r.output and "junit" in r.output and "--report" in r.output


# -- SARIF ---------------------------------------------------------------------------

def test_sarif_is_valid_2_1_0_with_rules_results_and_regions(drafts, sarif_validator):
    paths = ["drafts/blaming.txt", "drafts/long.txt", "drafts/clean.txt"]
    r = run([*SELECT, "--format", "sarif", *paths])
    assert r.exit_code == 1
    log = json.loads(r.output)
    assert_valid(sarif_validator, log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "breaklint" and driver["version"] and driver["informationUri"].startswith("https://")
    expected = findings_json(paths)
    assert {f["rule"] for f in expected} == {"TAG001", "BLAME001", "LEN001"}
    # One descriptor per rule that produced a finding, with the rule's docs.
    rules = {d["id"]: d for d in driver["rules"]}
    assert set(rules) == {f["rule"] for f in expected}
    from breaklint.ruleset import load_rules

    loaded = {r.id: r for r in load_rules()}
    blame, rule = rules["BLAME001"], loaded["BLAME001"]
    assert blame["shortDescription"]["text"] == rule.message
    assert blame["fullDescription"]["text"] == " ".join(rule.why.split())
    assert blame["help"]["text"].startswith(" ".join(rule.why.split()))
    assert rule.source and rule.source in blame["help"]["text"]
    assert blame["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[rule.severity]
    assert "{" not in rules["LEN001"]["shortDescription"]["text"]  # placeholders made readable
    assert rules["LEN001"]["defaultConfiguration"]["level"] == "warning"
    # One result per finding, in order, each pointing where the JSON output points.
    results = run_["results"]
    assert len(results) == len(expected)
    for res, f in zip(results, expected):
        assert res["ruleId"] == f["rule"]
        assert driver["rules"][res["ruleIndex"]]["id"] == f["rule"]
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]]
        assert res["message"]["text"].startswith(f["message"]) and f["suggestion"] in res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": f["path"], "uriBaseId": "%SRCROOT%"}
        region = loc["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            f["line"], f["column"], f["end_line"], f["end_column"])
    tag = results[0]
    assert tag["ruleId"] == "TAG001"
    # endColumn is the column after the last character: "{{first_name}}" is columns 4-17.
    assert tag["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1, "startColumn": 4, "endLine": 1, "endColumn": 18, "snippet": {"text": "{{first_name}}"}}
    assert run_["invocations"][0]["executionSuccessful"] is True


def test_sarif_fingerprints_survive_moved_lines_and_tell_repeats_apart(drafts):
    def prints(text):
        (drafts / "drafts" / "moving.txt").write_text(text, encoding="utf-8")
        log = json.loads(run([*SELECT, "--format", "sarif", "drafts/moving.txt"]).output)
        return [(r["ruleId"], r["partialFingerprints"]["breaklintSpanHash/v1"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
                for r in log["runs"][0]["results"]]

    before = prints(BLAMING)
    after = prints("Quick note first.\n\n\n" + BLAMING)
    assert [p[:2] for p in before] == [p[:2] for p in after]
    assert [p[2] + 3 for p in before] == [p[2] for p in after]
    # Same rule, same text twice: two different fingerprints.
    twice = prints("Hi {{first_name}},\n\nAnd again {{first_name}}.\n")
    tags = [p[1] for p in twice if p[0] == "TAG001"]
    assert len(tags) == 2 and len(set(tags)) == 2
    assert tags[0].split(":")[0] == tags[1].split(":")[0] and tags[1].endswith(":2")
    # Another file: another fingerprint for the same text.
    (drafts / "drafts" / "other.txt").write_text(BLAMING, encoding="utf-8")
    log = json.loads(run([*SELECT, "--format", "sarif", "drafts/other.txt"]).output)
    assert log["runs"][0]["results"][0]["partialFingerprints"] != {"breaklintSpanHash/v1": before[0][1]}


def test_sarif_columns_are_utf16_code_units(drafts, sarif_validator):
    (drafts / "drafts" / "emoji.txt").write_text("Hi 😀 {{first_name}},\n\nThanks.\n", encoding="utf-8")
    [f] = findings_json(["drafts/emoji.txt"])
    assert (f["column"], f["end_column"]) == (6, 20)  # code points
    log = json.loads(run([*SELECT, "--format", "sarif", "drafts/emoji.txt"]).output)
    assert_valid(sarif_validator, log)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (7, 21)  # the emoji is two UTF-16 units
    assert log["runs"][0]["columnKind"] == "utf16CodeUnits"


def test_sarif_fixes_and_a_span_ending_in_a_line_break(sarif_validator):
    source = "Hi,\nGreat to FINALLY connect.\nBye\n"
    fixed = finding(text="FINALLY", source=source, rule="BLAME012", fix=Fix(source.index("FINALLY"), source.index("FINALLY") + 7, "finally"))
    to_eol = finding(text="connect.\n", source=source, rule="BLAME009")
    assert (to_eol.end_line, to_eol.end_column) == (3, 1)
    res = FileResult("d.txt", findings=[fixed, to_eol], source_text=source, fixable=True)
    log = json.loads(format_results("sarif", [res]))
    assert_valid(sarif_validator, log)
    first, second = log["runs"][0]["results"]
    [fix] = first["fixes"]
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "d.txt"
    [rep] = change["replacements"]
    assert rep["deletedRegion"] == {"startLine": 2, "startColumn": 10, "endLine": 2, "endColumn": 17}
    assert rep["insertedContent"] == {"text": "finally"}
    # "connect." is columns 18-25 of line 2 and its "\n" column 26: the region ends on
    # line 2 at column 27, not at column 1 of line 3.
    region = second["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (2, 18, 2, 27)
    assert "fixes" not in second


def test_sarif_unreadable_file_is_a_notification_and_absolute_paths_are_file_uris(drafts, sarif_validator):
    outside = drafts.parent / f"{drafts.name}-outside.txt"
    outside.write_text(BLAMING, encoding="utf-8")
    try:
        r = run([*SELECT, "--format", "sarif", "drafts/blaming.txt", "drafts/missing.txt", str(outside), str(drafts / "drafts" / "long.txt")])
    finally:
        outside.unlink()
    assert r.exit_code == 2
    log = json.loads(r.stdout)
    assert_valid(sarif_validator, log)
    inv = log["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    [note] = inv["toolExecutionNotifications"]
    assert "missing.txt" in note["message"]["text"] and note["level"] == "error"
    uris = {r_["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r_["locations"][0]["physicalLocation"]["artifactLocation"] for r_ in log["runs"][0]["results"]}
    assert uris["drafts/blaming.txt"]["uriBaseId"] == "%SRCROOT%"
    assert uris["drafts/long.txt"]["uriBaseId"] == "%SRCROOT%"  # absolute but inside the current folder
    absolute = [u for u in uris if u.startswith("file://")]
    assert absolute == [outside.as_uri()] and "uriBaseId" not in uris[absolute[0]]


def test_sarif_with_no_findings_is_still_valid(drafts, sarif_validator):
    r = run([*SELECT, "--format", "sarif", "drafts/clean.txt"])
    assert r.exit_code == 0
    log = json.loads(r.output)
    assert_valid(sarif_validator, log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


# -- GitHub workflow commands --------------------------------------------------------

def test_github_escaping_rules():
    assert escape_data("50% off\r\nnext: a, b") == "50%25 off%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\r\ne") == "a%3Ab%2Cc%25d%0D%0Ae"


def test_github_one_command_per_finding(drafts):
    r = run([*SELECT, "--format", "github", "drafts/blaming.txt", "drafts/long.txt"])
    assert r.exit_code == 1
    lines = [line for line in r.output.splitlines() if line.startswith("::")]
    expected = findings_json(["drafts/blaming.txt", "drafts/long.txt"])
    assert len(lines) == len(expected)
    assert lines[0].startswith(
        "::error file=drafts/blaming.txt,line=1,col=4,endLine=1,endColumn=18,title=TAG001::Unfilled merge tag {{first_name}}")
    assert "%0ASuggestion: Replace {{first_name}}" in lines[0]
    assert lines[1].startswith("::error file=drafts/blaming.txt,line=3,col=1,endLine=3,endColumn=18,title=BLAME001::Makes the prospect's silence their failure.")
    len_line = [line for line in lines if "title=LEN001" in line]
    assert len(len_line) == 1 and len_line[0].startswith("::warning file=drafts/long.txt,line=3,")
    for line in lines:  # one physical line each, nothing unescaped in the properties
        props = line[2:].split("::", 1)[0].split(" ", 1)[1]
        assert "\n" not in line and all("=" in p for p in props.split(","))


def test_github_severity_mapping_property_escaping_and_multiline_spans():
    source = "Hi,\nline one\nline two\n"
    info = finding(path="odd, name: v2.txt", severity="info", text="line one", source=source, message="Note: 100% fine,\nreally")
    multi = finding(path="odd, name: v2.txt", severity="warning", text="one\nline", source=source)
    out = format_results("github", [FileResult("odd, name: v2.txt", findings=[info, multi], source_text=source)])
    first, second, summary = out.splitlines()
    assert first.startswith("::notice file=odd%2C name%3A v2.txt,line=2,col=1,endLine=2,endColumn=9,title=BLAME001::")
    assert first.endswith("::Note: 100%25 fine,%0Areally%0ASuggestion: Say it from your side.")
    # Columns only when the span is on one line (GitHub rejects them otherwise).
    assert second.startswith("::warning file=odd%2C name%3A v2.txt,line=2,endLine=3,title=BLAME001::")
    assert summary.startswith("breaklint: checked 1 file")


def test_github_unreadable_file_is_an_error_annotation(drafts):
    r = run([*SELECT, "--format", "github", "drafts/missing.txt"])
    assert r.exit_code == 2
    assert "::error file=drafts/missing.txt,title=breaklint%3A could not read the draft::" in r.stdout


# -- JUnit ---------------------------------------------------------------------------

def test_junit_counts_cases_failures_and_errors(drafts):
    paths = ["drafts/blaming.txt", "drafts/long.txt", "drafts/clean.txt", "drafts/missing.txt"]
    r = run([*SELECT, "--format", "junit", *paths])
    assert r.exit_code == 2
    root = ET.fromstring(r.stdout.encode("utf-8"))
    [suite] = root.iter("testsuite")
    assert suite.get("name") == "breaklint"
    cases = suite.findall("testcase")
    assert [c.get("classname") for c in cases] == paths
    failures = suite.findall("testcase/failure")
    errors = suite.findall("testcase/error")
    assert suite.get("tests") == str(len(cases)) == "4"
    assert suite.get("failures") == str(len(failures)) == "3"  # TAG001, BLAME001, LEN001
    assert suite.get("errors") == str(len(errors)) == "1"
    assert root.get("tests") == "4" and root.get("failures") == "3" and root.get("errors") == "1"
    by_file = {c.get("classname"): c for c in cases}
    assert by_file["drafts/clean.txt"].find("failure") is None
    tag, blame = by_file["drafts/blaming.txt"].findall("failure")
    assert tag.get("message").startswith("TAG001: Unfilled merge tag {{first_name}}") and tag.get("type") == "error"
    assert blame.get("message") == "BLAME001: Makes the prospect's silence their failure."
    assert tag.text.startswith("drafts/blaming.txt:1:4") and "suggestion: Replace {{first_name}}" in tag.text
    assert "missing.txt" in by_file["drafts/missing.txt"].find("error").get("message")


def test_junit_escapes_markup_and_keeps_info_out_of_failures():
    source = 'Hi,\n<b>"Tom & Jerry"</b> said ]]> hi\n'
    bad = finding(path="a&b<c>.txt", text='<b>"Tom & Jerry"</b>', source=source, message='Quote "<b>" & more ]]>')
    info = finding(path="a&b<c>.txt", severity="info", text="said", source=source)
    xml = format_results("junit", [FileResult("a&b<c>.txt", findings=[bad, info], source_text=source)])
    root = ET.fromstring(xml.encode("utf-8"))
    [case] = root.iter("testcase")
    assert case.get("classname") == "a&b<c>.txt"
    [fail] = case.findall("failure")
    assert fail.get("message") == 'BLAME001: Quote "<b>" & more ]]>'
    assert 'flagged: <b>"Tom & Jerry"</b>' in fail.text
    assert root.get("failures") == "1"
    assert "BLAME001 [info]" in case.find("system-out").text
