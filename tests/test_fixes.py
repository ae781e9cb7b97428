"""--fix, --unsafe-fixes and --diff: atomic, byte-exact outside the fixed spans,
encoding, line endings and permissions kept, idempotent."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from breaklint.cli import main

SAFE_RULE = """\
id: FIX001
category: sarcasm
severity: warning
message: Theatrical aside.
why: Test.
source: null
match: {regex: '\\((deep )?sigh\\)'}
suggest: [Drop it.]
fix: {replace: '', safe: true}
examples: {flag: ['(sigh)'], pass: [sigh]}
"""
UNSAFE_RULE = """\
id: FIX002
category: customer-blaming
severity: warning
message: Blame.
why: Test.
source: null
match: {phrases: [you never replied]}
suggest: [Say it from your side.]
fix: {replace: "I haven't reached you", safe: false}
examples: {flag: [you never replied], pass: [I never replied]}
"""


@pytest.fixture
def project(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "FIX001.yaml").write_text(SAFE_RULE, encoding="utf-8")
    (rules / "FIX002.yaml").write_text(UNSAFE_RULE, encoding="utf-8")
    (tmp_path / ".breaklint.yaml").write_text("rules_dirs: [rules]\nselect: [FIX001, FIX002]\n", encoding="utf-8")
    return tmp_path


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input, catch_exceptions=False)


DRAFT = "Hi Jo,\r\n\r\nI am throwing in the towel (deep sigh). Sadly you never replied.  Odd  spacing stays.\r\n\r\nBest,\r\nSam\r\n"


def test_fix_applies_safe_fixes_only_and_keeps_everything_else(project):
    p = project / "d.txt"
    p.write_bytes(DRAFT.encode("utf-8"))
    os.chmod(p, 0o640)
    r = run(["--fix", str(p)])
    after = p.read_bytes().decode("utf-8")
    assert after == DRAFT.replace(" (deep sigh)", "")
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o640
    assert "FIX002" in r.output and "FIX001" not in r.output  # the unsafe one remains
    assert "fixed 1 finding" in r.output
    assert not [n for n in os.listdir(project) if n.startswith(".breaklint-")]


def test_fix_is_idempotent(project):
    p = project / "d.txt"
    p.write_bytes(DRAFT.encode("utf-8"))
    run(["--fix", str(p)])
    once = p.read_bytes()
    mtime = os.stat(p).st_mtime_ns
    run(["--fix", str(p)])
    assert p.read_bytes() == once and os.stat(p).st_mtime_ns == mtime


def test_unsafe_fixes(project):
    p = project / "d.txt"
    p.write_bytes(DRAFT.encode("utf-8"))
    r = run(["--fix", "--unsafe-fixes", str(p)])
    assert p.read_bytes().decode() == DRAFT.replace(" (deep sigh)", "").replace("you never replied", "I haven't reached you")
    assert r.exit_code == 0


def test_fix_keeps_bom_and_windows_1252(project):
    p = project / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + "Zoë, well (sigh) ok.\n".encode())
    run(["--fix", str(p)])
    assert p.read_bytes() == b"\xef\xbb\xbf" + "Zoë, well ok.\n".encode()
    q = project / "cp.txt"
    q.write_bytes("Zoë’s note (sigh) here.\n".encode("cp1252"))
    run(["--fix", str(q)])
    assert q.read_bytes() == "Zoë’s note here.\n".encode("cp1252")


def test_diff_previews_without_writing(project):
    p = project / "d.txt"
    p.write_bytes(DRAFT.encode("utf-8"))
    r = run(["--diff", str(p)])
    assert r.exit_code == 1
    assert "-I am throwing in the towel (deep sigh)." in r.output and "+I am throwing in the towel." in r.output
    assert p.read_bytes() == DRAFT.encode("utf-8")
    clean = project / "c.txt"
    clean.write_text("Nothing to fix.\n", encoding="utf-8")
    assert run(["--diff", str(clean)]).exit_code == 0


def test_fix_from_stdin_prints_the_fixed_draft(project, monkeypatch):
    monkeypatch.chdir(project)
    r = run(["--fix", "-"], input="Well (sigh) fine.\n")
    assert r.output == "Well fine.\n" and r.exit_code == 0


def test_files_are_only_written_with_fix(project):
    p = project / "d.txt"
    p.write_bytes(DRAFT.encode("utf-8"))
    mtime = os.stat(p).st_mtime_ns
    run([str(p)])
    run(["--format", "json", str(p)])
    assert os.stat(p).st_mtime_ns == mtime and p.read_bytes() == DRAFT.encode("utf-8")
