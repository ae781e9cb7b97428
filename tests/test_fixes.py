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


def test_fix_keeps_mixed_line_endings_and_touches_only_the_span(project):
    p = project / "mixed.txt"
    original = b"Hi Jo,\r\n\nWell (sigh) ok.\r\nAnd\rthen (deep sigh)\n\r\nBest,\nSam"
    p.write_bytes(original)
    run(["--fix", str(p)])
    assert p.read_bytes() == original.replace(b" (sigh)", b"").replace(b" (deep sigh)", b"")


def test_fix_writes_a_temporary_file_in_the_same_folder_then_renames(project, monkeypatch):
    p = project / "d.txt"
    p.write_bytes(DRAFT.encode("utf-8"))
    renames = []
    real_replace = os.replace

    def spy(src, dst):
        renames.append((os.path.dirname(os.path.abspath(src)), os.path.basename(src), os.path.abspath(dst)))
        assert open(dst, "rb").read() == DRAFT.encode("utf-8")  # untouched until the rename
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    run(["--fix", "--no-cache", str(p)])  # the cache writes its entries atomically too
    [(folder, tmp_name, dst)] = renames
    assert folder == str(project) and dst == str(p) and tmp_name.startswith(".breaklint-")


def test_failed_write_leaves_the_file_and_no_temporary(project, monkeypatch):
    p = project / "d.txt"
    p.write_bytes(DRAFT.encode("utf-8"))

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    r = CliRunner().invoke(main, ["--fix", str(p)])
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "No space left on device" in r.stderr and "Traceback" not in r.stderr
    assert p.read_bytes() == DRAFT.encode("utf-8")
    assert [n for n in os.listdir(project) if n.startswith(".breaklint-")] == []


def test_fix_refuses_bytes_that_would_not_survive(project):
    """0x81 is not a Windows-1252 character: it was read as U+FFFD, and writing the text
    back would destroy it. The file is left alone with a warning."""
    p = project / "odd.txt"
    original = b"Caf\xe9 \x81 note (sigh) here.\n"
    p.write_bytes(original)
    r = CliRunner().invoke(main, ["--fix", str(p)])
    assert p.read_bytes() == original
    assert f"warning: {p}: cannot re-encode as cp1252" in r.stderr and "not fixed" in r.stderr


def test_fix_through_a_symlink_changes_the_target_and_keeps_the_link(project):
    real = project / "real.txt"
    real.write_bytes(b"Well (sigh) ok.\n")
    link = project / "link.txt"
    link.symlink_to(real)
    run(["--fix", str(link)])
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"Well ok.\n"


def test_fix_keeps_permissions_of_an_executable_or_private_file(project):
    for mode in (0o600, 0o755, 0o444):
        p = project / f"m{mode:o}.txt"
        p.write_bytes(b"Well (sigh) ok.\n")
        os.chmod(p, mode)
        run(["--fix", str(p)])
        assert stat.S_IMODE(os.stat(p).st_mode) == mode
        assert p.read_bytes() == b"Well ok.\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_fix_round_trips_every_encoding_it_reads(project, encoding):
    p = project / "enc.txt"
    text = "Zoë’s café,\r\nwell (sigh) ok.\r\n"
    p.write_bytes(text.encode(encoding))
    run(["--fix", str(p)])
    assert p.read_bytes() == text.replace(" (sigh)", "").encode(encoding)
    once = p.read_bytes()
    run(["--fix", str(p)])
    assert p.read_bytes() == once


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_removing_a_whole_line_keeps_paragraphs_one_blank_line_apart(project, nl):
    p = project / "lines.txt"
    p.write_bytes(nl.join(["Hi Jo,", "", "(sigh)", "", "The plan is attached.", "(deep sigh)", "Best,", "Sam", ""]).encode())
    run(["--fix", str(p)])
    assert p.read_bytes() == nl.join(["Hi Jo,", "", "The plan is attached.", "Best,", "Sam", ""]).encode()
