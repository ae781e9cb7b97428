"""Colour and the progress bar appear only on a terminal. The CLI runs in a real
subprocess with stdout and/or stderr on a pseudo-terminal (pty), as in a shell."""

from __future__ import annotations

import fcntl
import json
import os
import struct
import subprocess
import sys
import termios
import threading

import pytest

pty = pytest.importorskip("pty", reason="pseudo-terminals need a POSIX system")

TAGGED = "Hi {{first_name}},\n\nThe pricing sheet is attached.\n\nBest,\nSam\n"
CLEAN = "Hi Priya,\n\nThe pricing sheet is attached.\n\nBest,\nSam\n"
ANSI_COLOUR = "\x1b["  # every SGR colour sequence starts with CSI


def run_cli(args: list[str], cwd, tty: tuple[str, ...] = (), env: dict | None = None) -> tuple[int, dict[str, str]]:
    """Run `python -m breaklint ARGS` with the streams named in `tty` ("stdout",
    "stderr") on pseudo-terminals and the others piped. Returns (exit code, text of
    each stream)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TQDM_DISABLE")}
    environ.update(env or {})
    fds, masters = {}, {}
    for name in ("stdout", "stderr"):
        if name in tty:
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
            masters[name], fds[name] = master, slave
        else:
            fds[name] = subprocess.PIPE
    proc = subprocess.Popen([sys.executable, "-m", "breaklint", *args], cwd=cwd, env=environ,
                            stdin=subprocess.DEVNULL, stdout=fds["stdout"], stderr=fds["stderr"])
    chunks: dict[str, list[bytes]] = {"stdout": [], "stderr": []}

    def read_fd(name: str, fd: int) -> None:
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's other side closed
                break
            if not data:
                break
            chunks[name].append(data)

    readers = []
    for name in ("stdout", "stderr"):
        if name in masters:
            os.close(fds[name])  # the child holds the slave end now
            fd = masters[name]
        else:
            fd = getattr(proc, name).fileno()
        t = threading.Thread(target=read_fd, args=(name, fd), daemon=True)
        t.start()
        readers.append(t)
    code = proc.wait(timeout=300)
    for t in readers:
        t.join(timeout=30)
    for fd in masters.values():
        os.close(fd)
    return code, {k: b"".join(v).decode("utf-8", "replace") for k, v in chunks.items()}


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    for i in range(12):
        (folder / f"t{i:02}.txt").write_text(TAGGED if i % 3 == 0 else CLEAN, encoding="utf-8")
    return tmp_path


def test_progress_bar_on_a_terminal_stays_out_of_stdout(library):
    code, out = run_cli(["--select", "TAG001", "--format", "json", "templates"], library, tty=("stderr",))
    assert code == 1
    assert "breaklint" in out["stderr"] and "/12" in out["stderr"] and "file" in out["stderr"], out["stderr"]
    assert ANSI_COLOUR + "3" not in out["stderr"]  # no coloured bar (SGR 30-37)
    findings = json.loads(out["stdout"])  # the machine format is untouched
    assert len(findings) == 4 and "\r" not in out["stdout"]


def test_no_progress_bar_when_piped_or_for_few_files(library):
    code, out = run_cli(["--select", "TAG001", "--format", "json", "templates"], library)
    assert code == 1 and len(json.loads(out["stdout"])) == 4
    assert out["stderr"] == ""
    code, out = run_cli(["--select", "TAG001", "templates/t00.txt", "templates/t01.txt"], library, tty=("stderr",))
    assert code == 1 and "/2" not in out["stderr"] and "\r" not in out["stderr"]
    code, out = run_cli(["--select", "TAG001", "templates"], library, tty=("stderr",), env={"TQDM_DISABLE": "1"})
    assert code == 1 and "/12" not in out["stderr"]  # the documented way to turn it off


def test_text_output_is_coloured_only_on_a_terminal_without_no_color(library):
    args = ["--select", "TAG001", "templates/t00.txt"]
    code, out = run_cli(args, library, tty=("stdout",))
    assert code == 1 and ANSI_COLOUR in out["stdout"] and "TAG001" in out["stdout"]
    code, out = run_cli(args, library, tty=("stdout",), env={"NO_COLOR": "1"})
    assert code == 1 and ANSI_COLOUR not in out["stdout"] and "TAG001" in out["stdout"]
    code, out = run_cli(args, library, tty=("stdout",), env={"NO_COLOR": ""})  # empty: not set (no-color.org)
    assert ANSI_COLOUR in out["stdout"]
    code, out = run_cli([*args, "--color", "never"], library, tty=("stdout",))
    assert ANSI_COLOUR not in out["stdout"] and "TAG001" in out["stdout"]
    code, out = run_cli(args, library)
    assert ANSI_COLOUR not in out["stdout"] and "TAG001" in out["stdout"]
    code, out = run_cli([*args, "--color", "always"], library)
    assert ANSI_COLOUR in out["stdout"]
