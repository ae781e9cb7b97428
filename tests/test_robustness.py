"""Bad input: every case ends in a finding, a warning on stderr, or exit 2 with a
message, never a traceback; positions stay right whatever the encoding or line endings.

The cases run through the real command line (click's runner, stderr kept apart) with
`--select merge-tag,customer-blaming` so each draft has a known finding to locate.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from breaklint.cli import main
from breaklint.positions import LineIndex
from breaklint.readers import decode, iter_paths

SELECT = ["--no-config", "--select", "merge-tag,customer-blaming"]


def run(args, input=None):
    result = CliRunner().invoke(main, args, input=input)
    # An exception other than SystemExit is a crash: the user would see a traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def run_json(path, *extra):
    r = run([*SELECT, "-f", "json", *extra, str(path)])
    return r, json.loads(r.stdout)


def assert_located(findings, source: str) -> None:
    """Each finding's offsets index the decoded file text, and line/column agree."""
    index = LineIndex(source)
    for f in findings:
        assert source[f["start"] : f["end"]] == f["text"], f
        assert index.line_col(f["start"]) == (f["line"], f["column"]), f
        assert index.line_col(f["end"]) == (f["end_line"], f["end_column"]), f


BODY = "Hi Zoë,\n\nYou never replied about {{company}}.\n\nBest,\nSam\n"


# -- the input matrix --------------------------------------------------------------------

# name -> (file bytes, expected exit code, text expected on stderr or None)
MATRIX = {
    "empty": (b"", 2, "is empty"),
    "whitespace only": (b"  \n\t\r\n \n", 2, "is empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 2, "binary"),
    "utf-8": (BODY.encode("utf-8"), 1, None),
    "utf-8 with BOM": (b"\xef\xbb\xbf" + BODY.encode("utf-8"), 1, None),
    "utf-16 with BOM": (BODY.encode("utf-16"), 1, None),
    "latin-1": (BODY.encode("latin-1"), 1, "not valid UTF-8"),
    "windows-1252": (BODY.replace("Zoë", "Zoë’s").encode("cp1252"), 1, "read as Windows-1252"),
    # 0x81 is undefined even in Windows-1252: shown as U+FFFD, still checked.
    "invalid utf-8": (b"Hi \x81\xff,\n\nYou never replied about {{company}}.\n", 1, "not valid UTF-8"),
    "crlf": (BODY.replace("\n", "\r\n").encode(), 1, None),
    "mixed line endings": (b"Hi Zo,\r\n\nYou never replied\r\nabout {{company}}.\n\r\nBest,\nSam\r\n", 1, None),
    "no final newline": (BODY.rstrip("\n").encode(), 1, None),
}


@pytest.mark.parametrize("name", list(MATRIX))
def test_input_matrix(tmp_path, name):
    data, code, warning = MATRIX[name]
    path = tmp_path / "draft.txt"
    path.write_bytes(data)
    r, findings = run_json(path)
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    if warning:
        assert f"breaklint: warning: {path}: " in r.stderr and warning in r.stderr
    else:
        assert "warning" not in r.stderr
    if code == 1:
        assert {f["rule"] for f in findings} >= {"TAG001", "BLAME001"}
        source = decode(data).text
        assert_located(findings, source)
        tag = next(f for f in findings if f["rule"] == "TAG001")
        assert tag["text"] == "{{company}}"
        # The line an editor shows: count the line breaks before the tag in the bytes.
        assert tag["line"] == source[: tag["start"]].count("\n") + 1


@pytest.mark.parametrize("name", ["empty", "whitespace only", "binary"])
def test_undraftable_files_in_a_folder_are_skipped_with_a_warning(tmp_path, name):
    (tmp_path / "bad.txt").write_bytes(MATRIX[name][0])
    (tmp_path / "good.txt").write_text("Hi Jo,\n\nThe plan is attached.\n", encoding="utf-8")
    r = run([*SELECT, str(tmp_path)])
    assert r.exit_code == 0, r.stderr
    assert f"warning: {tmp_path / 'bad.txt'}" in r.stderr and MATRIX[name][2] in r.stderr
    assert "Checked 1 file" in r.stdout and "1 skipped" in r.stdout


def test_crlf_positions_in_every_format(tmp_path):
    """Excerpts, columns and offsets agree on CRLF files in the text and JSON output."""
    path = tmp_path / "d.txt"
    path.write_bytes(b"Hi Jo,\r\n\r\nPlease see {{deck}} first.\r\n")
    r = run([*SELECT, str(path)])
    assert f"{path}:3:12: TAG001" in r.stdout
    assert " 3 | Please see {{deck}} first." in r.stdout and "\r" not in r.stdout


# -- size limits ---------------------------------------------------------------------------


def test_20_mb_file_is_skipped_with_a_warning_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(20 * 1024 * 1024)  # sparse: 20 MB on paper, no disk used
    opened = []
    real_open = open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    r = run([*SELECT, str(path)])
    assert r.exit_code == 2
    assert "is 20,971,520 bytes, over the 10,485,760-byte limit; skipped" in r.stderr
    assert str(path) not in opened


def test_size_limit_is_configurable(tmp_path):
    (tmp_path / ".breaklint.yaml").write_text("max_file_bytes: 100\nselect: [merge-tag]\n", encoding="utf-8")
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text("Hi {{name}}\n", encoding="utf-8")
    big.write_text("Hi {{name}}\n" + "word " * 100, encoding="utf-8")
    r = run([str(tmp_path)])
    assert "over the 100-byte limit" in r.stderr and str(big) in r.stderr
    assert r.exit_code == 1 and f"{small}:1:4: TAG001" in r.stdout


def test_one_megabyte_line_is_checked_without_the_parser(tmp_path):
    """spaCy refuses a million characters (and would need gigabytes): a draft that long
    gets the checks that need no parse, and says so."""
    path = tmp_path / "one-line.txt"
    words = "the pricing plan covers every lane you never replied about "
    line = (words * (1024 * 1024 // len(words) + 1))[: 1024 * 1024 - 20] + " {{first_name}}"
    path.write_text(line, encoding="utf-8")
    r = run(["--no-config", "-f", "json", str(path)])
    assert "over the 100,000-character limit for parsing" in r.stderr
    found = json.loads(r.stdout)
    rules = {f["rule"] for f in found}
    assert "TAG001" in rules and "LEN001" in rules  # merge tags and length still checked
    assert not rules & {"BLAME001"}  # tone rules need the parse
    tag = next(f for f in found if f["rule"] == "TAG001")
    assert (tag["line"], tag["column"]) == (1, len(line) - len("{{first_name}}") + 1)


# -- HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["div", "b", "table><tr><td"])
def test_deeply_nested_html(tmp_path, tag):
    close = "</" + tag.split("><")[0] + ">"
    src = f"<{tag}>" * 50_000 + "Hi {{first_name}}, you never replied." + close * 50_000
    path = tmp_path / "deep.html"
    path.write_text(src, encoding="utf-8")
    r, findings = run_json(path)
    assert r.exit_code == 1 and "Recursion" not in r.stderr
    tag_finding = next(f for f in findings if f["rule"] == "TAG001")
    assert src[tag_finding["start"] : tag_finding["end"]] == "{{first_name}}"


def test_unclosed_and_broken_html_is_read(tmp_path):
    path = tmp_path / "broken.html"
    src = "<p>Hi {{name}}<div><span style='display:none'>x<p>you never replied<!-- open comment <b"
    path.write_text(src, encoding="utf-8")
    r, findings = run_json(path)
    assert r.exit_code in (0, 1) and "Traceback" not in r.stderr
    assert_located(findings, src)


# -- .eml ------------------------------------------------------------------------------


def _eml(body: str, cte: str, charset: str = "utf-8", html: bool = False) -> bytes:
    msg = EmailMessage()
    msg["From"] = "sam@vendor.example"
    msg["Subject"] = "Freight plan"
    msg.set_content(body, subtype="html" if html else "plain", charset=charset, cte=cte)
    return bytes(msg)


def _b64_quads_decode(line: str, start_col: int, end_col: int) -> bytes:
    """Decode the base64 groups of `line` that columns [start_col, end_col) touch."""
    q0 = (start_col - 1) // 4 * 4
    q1 = ((end_col - 2) // 4 + 1) * 4
    return base64.b64decode(line[q0:q1])


@pytest.mark.parametrize("crlf", [False, True])
def test_eml_base64_finding_points_at_the_encoded_text(tmp_path, crlf):
    """Each decoded byte maps to the base64 characters that encode it: the finding's
    line is the encoded line holding the phrase, and its columns cover its groups."""
    body = "Hi Dana,\n\n" + "The freight plan covers all lanes this quarter. " * 6 + "\n\nYou never replied to my emails.\n\nBest,\nSam\n"
    data = _eml(body, "base64")
    if crlf:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    path = tmp_path / "b64.eml"
    path.write_bytes(data)
    r, findings = run_json(path)
    [blame] = [f for f in findings if f["rule"] == "BLAME001"]
    source = data.decode("ascii")
    assert_located(findings, source)
    assert blame["line"] > 8  # not the first encoded line: the phrase is deep in the body
    assert blame["line"] == blame["end_line"], "this phrase sits inside one encoded line"
    line = LineIndex(source).line_text(blame["line"])
    assert b"You never replied" in _b64_quads_decode(line, blame["column"], blame["end_column"] + 1)


def test_eml_declared_charset_is_used_without_a_warning(tmp_path):
    path = tmp_path / "cp.eml"
    path.write_bytes(_eml("Hi Zoë’s team,\n\nYou never replied.\n", "8bit", charset="windows-1252"))
    r, findings = run_json(path)
    assert "warning" not in r.stderr and [f["rule"] for f in findings] == ["BLAME001"]
    assert findings[0]["text"] == "You never replied"


def test_eml_with_garbage_base64_is_not_a_crash(tmp_path):
    path = tmp_path / "bad.eml"
    path.write_bytes(b"Subject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!not base64 at all {{x}}\n")
    r = run([*SELECT, str(path)])
    assert r.exit_code in (0, 1, 2) and "Traceback" not in r.stderr


# -- paths -----------------------------------------------------------------------------


def test_nonexistent_path_exits_2_naming_it(tmp_path):
    missing = tmp_path / "nope.txt"
    r = run([*SELECT, str(missing)])
    assert r.exit_code == 2 and f"breaklint: error: {missing}: no such file or directory" in r.stderr


def test_symlink_loops_in_a_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "d.txt").write_text("Hi {{name}}\n", encoding="utf-8")
    (tmp_path / "a" / "up").symlink_to(tmp_path)  # directory loop
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a" / "self")  # link to itself
    (tmp_path / "x.txt").symlink_to(tmp_path / "y.txt")  # file loop: x -> y -> x
    (tmp_path / "y.txt").symlink_to(tmp_path / "x.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")  # dangling
    r = run([*SELECT, "-f", "json", str(tmp_path)])
    paths = [f["path"] for f in json.loads(r.stdout)]
    assert paths == [str(tmp_path / "a" / "d.txt")]  # found once, not once per loop
    assert r.exit_code == 1  # the finding; the broken links are warnings, not errors
    for name in ("x.txt", "y.txt", "gone.txt"):
        assert f"warning: {tmp_path / name}" in r.stderr


def test_symlink_loop_named_explicitly_is_an_error(tmp_path):
    (tmp_path / "x.txt").symlink_to(tmp_path / "x.txt")
    r = run([*SELECT, str(tmp_path / "x.txt")])
    assert r.exit_code == 2 and "cannot read" in r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_named_pipe_in_a_folder_is_skipped_not_waited_on(tmp_path):
    """Opening a FIFO blocks until something writes to it: found in a folder, it would
    hang the run forever. Named explicitly (`breaklint <(cmd)`), a pipe is read."""
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "d.txt").write_text("Hi {{name}}\n", encoding="utf-8")
    r = run([*SELECT, str(tmp_path)])
    assert f"warning: {tmp_path / 'pipe.txt'}: is not a regular file" in r.stderr
    assert r.exit_code == 1 and "TAG001" in r.stdout
    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"Hi {{name}}\n")
    os.close(write_fd)
    try:
        r = run([*SELECT, f"/dev/fd/{read_fd}"])
    finally:
        os.close(read_fd)
    assert r.exit_code == 1 and "TAG001" in r.stdout


def _make_unreadable(path: Path) -> None:
    os.chmod(path, 0)
    try:
        with open(path, "rb"):
            pass
    except PermissionError:
        return
    pytest.skip("chmod 000 does not stop this user from reading (running as root?)")


def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("Hi {{name}}\n", encoding="utf-8")
    _make_unreadable(path)
    r = run([*SELECT, str(path)])
    assert r.exit_code == 2 and f"breaklint: error: {path}: cannot read: Permission denied" in r.stderr


@pytest.mark.parametrize("explicit", [True, False])
def test_permission_denied_is_reported_not_raised(tmp_path, monkeypatch, explicit):
    """The same path as test_unreadable_file, for users chmod cannot stop (root)."""
    locked = tmp_path / "locked.txt"
    locked.write_text("Hi {{name}}\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Hi {{name}}\n", encoding="utf-8")
    real_open = open

    def deny(file, mode="r", *args, **kwargs):
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    r = run([*SELECT, str(locked) if explicit else str(tmp_path)])
    assert f"{locked}: cannot read: Permission denied" in r.stderr
    if explicit:
        assert r.exit_code == 2 and "breaklint: error:" in r.stderr
    else:  # found in a folder: skipped with a warning, the other file still checked
        assert r.exit_code == 1 and "breaklint: warning:" in r.stderr and "TAG001" in r.stdout


def test_thousands_of_files_on_the_command_line(tmp_path):
    paths = []
    for i in range(3000):
        p = tmp_path / f"d{i:04}.txt"
        p.write_text("Hi {{name}},\n\nThe plan is attached.\n" if i % 500 == 0 else "Hi Jo,\n\nThe plan is attached.\n", encoding="utf-8")
        paths.append(str(p))
    paths.insert(1500, str(tmp_path / "missing.txt"))
    r = run(["--no-config", "--select", "merge-tag", "-f", "json", *paths])
    found = json.loads(r.stdout)
    assert [f["path"] for f in found] == [str(tmp_path / f"d{i:04}.txt") for i in range(0, 3000, 500)]
    assert r.exit_code == 2 and "missing.txt: no such file" in r.stderr


def test_folder_walk_is_sorted_and_skips_hidden(tmp_path):
    for name in ("b.txt", "a.md", ".hidden.txt", "c.png"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x", encoding="utf-8")
    assert list(iter_paths([str(tmp_path)])) == [str(tmp_path / "a.md"), str(tmp_path / "b.txt")]


# -- standard input ----------------------------------------------------------------------


def test_empty_stdin_exits_2():
    r = run([*SELECT, "-"], input="")
    assert r.exit_code == 2 and "<stdin>: is empty" in r.stderr


def test_closed_stdin_stream_exits_2(monkeypatch):
    import io

    closed = io.TextIOWrapper(io.BytesIO(b"Hi {{name}}"))
    closed.close()
    runner = CliRunner()
    with runner.isolation():
        monkeypatch.setattr(sys, "stdin", closed)
        try:
            main([*SELECT, "-"], standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code
    assert code == 2


@pytest.mark.parametrize("how", ["closed", "devnull"])
def test_stdin_closed_or_empty_in_a_real_process(how, tmp_path):
    """No file descriptor 0 at all (`breaklint - <&-`), or /dev/null."""
    kwargs = {"preexec_fn": lambda: os.close(0)} if how == "closed" else {"stdin": subprocess.DEVNULL}
    out = subprocess.run(
        [sys.executable, "-m", "breaklint", *SELECT, "-"], capture_output=True, text=True, timeout=120, cwd=tmp_path, **kwargs
    )
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert ("not available" if how == "closed" else "is empty") in out.stderr


def test_control_characters_in_a_draft_never_reach_the_terminal(tmp_path):
    """An escape sequence in a draft would recolour or retitle the terminal showing the
    excerpt; each control character is shown as one symbol, carets still aligned."""
    path = tmp_path / "esc.txt"
    path.write_bytes(b"Hi \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \r{{x}} ok\n")
    r = run([*SELECT, "--color", "never", str(path)])
    assert r.exit_code == 1
    assert not any(c in r.stdout for c in "\x1b\x07\r")
    lines = r.stdout.splitlines()
    at = next(i for i, ln in enumerate(lines) if "TAG001" in ln)
    excerpt, carets = lines[at + 1], lines[at + 2]
    assert excerpt[carets.index("^") :].startswith("{{x}}")
