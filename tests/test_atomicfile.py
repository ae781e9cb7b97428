"""The one file writer: all or nothing, with the mode it was given."""

from __future__ import annotations

import os
import stat

import pytest

from breaklint import atomicfile
from breaklint.atomicfile import replace_atomically


def test_replaces_the_content_and_sets_the_mode(tmp_path):
    target = tmp_path / "draft.txt"
    target.write_bytes(b"old")
    replace_atomically(target, b"new", mode=0o640)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["draft.txt"]


def test_a_failed_rename_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "draft.txt"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomicfile.os, "replace", broken_replace)
    with pytest.raises(OSError):
        replace_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["draft.txt"]
