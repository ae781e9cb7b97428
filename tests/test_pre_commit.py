"""The pre-commit hook, for real: a template repository runs `pre-commit try-repo`
against this project and the hook fails on a bad template and passes on a good one.

pre-commit installs the hook into a fresh virtualenv with pip, so this needs the
package index (spaCy and the pipeline are dependencies). pip's own cache is left in
place so repeated runs are quicker. Without the index the test skips and says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import env_with_network

ROOT = Path(__file__).resolve().parent.parent
# What a pip install of this project needs (pyproject.toml reads README.md, the wheel
# bundles rules/), plus the hook definition.
PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "linter", "rules")

BAD = "Hi Dana,\n\nYou never replied to my last three emails.\n\nBest,\nSam\n"
GOOD = "Hi Dana,\n\nThe pricing sheet for the Denver rollout is attached.\n\nBest,\nSam\n"


def git(*args: str, cwd: Path) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _index_reachable() -> str | None:
    """Why pip cannot install from its package index, or None if it can. Asked of pip
    itself (in a subprocess: this suite blocks sockets in-process), so proxies and
    mirrors configured for pip count."""
    with_tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--retries", "0", "--timeout", "15",
         "--dest", str(with_tmp / "breaklint-pip-probe"), "hatchling"],
        capture_output=True, text=True, timeout=120, env=env_with_network(),
    )
    shutil.rmtree(with_tmp / "breaklint-pip-probe", ignore_errors=True)
    if probe.returncode != 0:
        return "pip cannot reach its package index: " + (probe.stderr.strip().splitlines() or ["?"])[-1]
    return None


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This project's current files (committed or not) as a git repository, since
    try-repo clones what it tries and a working tree may hold uncommitted or
    untracked changes, or be no git checkout at all."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed; pre-commit needs it")
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install '.[test]')")
    reason = _index_reachable()
    if reason:
        pytest.skip(f"the pre-commit hook test installs breaklint and spaCy from the package index; {reason}")
    repo = tmp_path_factory.mktemp("breaklint-hook")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=ignore)
        else:
            shutil.copy2(src, repo / name)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "breaklint as it is now", cwd=repo)
    return repo


def try_repo(hook_repo: Path, templates: Path, name: str) -> subprocess.Popen:
    env = {k: v for k, v in env_with_network().items() if not k.startswith("PRE_COMMIT")}
    env["PRE_COMMIT_HOME"] = str(templates.parent / f"pre-commit-home-{name}")  # never the user's
    return subprocess.Popen(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "breaklint", "--color", "never", "--files", name],
        cwd=templates, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def test_hook_fails_on_a_bad_template_and_passes_on_a_good_one(hook_repo, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "nudge.txt").write_text(BAD, encoding="utf-8")
    (templates / "pricing.txt").write_text(GOOD, encoding="utf-8")
    git("init", "-q", cwd=templates)
    git("add", "-A", cwd=templates)
    git("commit", "-q", "-m", "templates", cwd=templates)

    # try-repo installs the hook into a fresh store each time; the two run side by
    # side so the test waits for one installation, not two.
    runs = {name: try_repo(hook_repo, templates, name) for name in ("nudge.txt", "pricing.txt")}
    out = {name: proc.communicate(timeout=1800)[0] for name, proc in runs.items()}

    bad, bad_out = runs["nudge.txt"], out["nudge.txt"]
    assert bad.returncode == 1, bad_out
    assert "breaklint" in bad_out and "Failed" in bad_out
    assert "nudge.txt:3:1: BLAME001" in bad_out

    good, good_out = runs["pricing.txt"], out["pricing.txt"]
    assert good.returncode == 0, good_out
    assert "Passed" in good_out and "BLAME001" not in good_out
