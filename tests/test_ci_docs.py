"""The GitHub Actions workflow in the README works as documented: its breaklint steps
run on a template library, the SARIF step never fails the job before the upload, the
upload reads the file that step wrote, and the annotations step sets the exit code."""

from __future__ import annotations

import json
import re
import shlex

import pytest
import yaml
from click.testing import CliRunner

from breaklint.cli import main

BAD = "Hi there,\n\nYou never replied to my emails.\n\nBest,\nSam\n"
GOOD = "Hi there,\n\nThe pricing sheet for the Denver rollout is attached.\n\nBest,\nSam\n"


@pytest.fixture(scope="module")
def workflow(root) -> dict:
    readme = (root / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "upload-sarif" in b]
    assert len(blocks) == 1, "the README documents one workflow that uploads SARIF"
    return yaml.safe_load(blocks[0])


def _steps(workflow: dict) -> list[dict]:
    [job] = workflow["jobs"].values()
    return job["steps"]


def test_workflow_uploads_what_the_sarif_step_writes(workflow):
    [job] = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"  # code scanning upload needs it
    steps = _steps(workflow)
    upload = [i for i, s in enumerate(steps) if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert len(upload) == 1
    sarif_file = steps[upload[0]]["with"]["sarif_file"]
    writers = [i for i, s in enumerate(steps) if "--format sarif" in s.get("run", "") and f"> {sarif_file}" in s["run"]]
    assert writers and writers[0] < upload[0]


def test_workflow_breaklint_steps_run_on_a_template_library(workflow, tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "nudge.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "templates" / "pricing.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    commands = [s["run"] for s in _steps(workflow) if s.get("run", "").startswith("breaklint ")]
    assert len(commands) == 2
    outcomes = {}
    for command in commands:
        words = shlex.split(command, comments=True)
        target = None
        if ">" in words:
            target = words[words.index(">") + 1]
            words = words[: words.index(">")]
        r = CliRunner().invoke(main, words[1:], catch_exceptions=False)
        if target:
            (tmp_path / target).write_text(r.stdout, encoding="utf-8")
        fmt = words[words.index("--format") + 1]
        outcomes[fmt] = (r.exit_code, r.stdout)
    code, out = outcomes["sarif"]
    assert code == 0  # --fail-on never: the upload step still runs
    sarif = json.loads((tmp_path / "breaklint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"BLAME001"}
    code, out = outcomes["github"]
    assert code == 1 and "::error file=templates/nudge.txt,line=3" in out and "pricing.txt" not in out
