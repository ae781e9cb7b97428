"""Decoding and reading drafts."""

from __future__ import annotations

import codecs

import pytest

from breaklint.errors import InputError
from breaklint.readers import decode, iter_paths, looks_binary, read_draft


def test_utf8_bom_is_stripped():
    d = decode(codecs.BOM_UTF8 + "Hi Zoë".encode())
    assert d.text == "Hi Zoë" and d.encoding == "utf-8-sig" and d.warning is None


def test_windows_1252_is_read_with_a_warning():
    d = decode("Hi Zoë, it’s here".encode("cp1252"))
    assert d.text == "Hi Zoë, it’s here" and d.encoding == "cp1252" and "not valid UTF-8" in d.warning


def test_utf16_with_bom():
    assert decode("Hi there".encode("utf-16")).text == "Hi there"


def test_binary_detection():
    assert looks_binary(b"\x00\x01\x02abc")
    assert not looks_binary("Hi there,\n\nplain text".encode())
    assert not looks_binary("Hi".encode("utf-16"))


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="over the 100-byte limit"):
        read_draft(str(p), max_bytes=100)


def test_symlink_loop_is_walked_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "d.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    found = list(iter_paths([str(tmp_path)]))
    assert found.count(str(tmp_path / "a" / "d.txt")) == 1
