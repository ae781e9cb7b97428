"""Line/column arithmetic against the plain definition, over arbitrary text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from breaklint.positions import LineIndex

TEXT = st.text(alphabet=st.sampled_from(["a", "é", "\n", "\r", "😀", "𝔘", "中", " "]), max_size=40)



@given(TEXT)
def test_utf16_column_counts_each_astral_character_before_it_twice(text):
    index = LineIndex(text)
    lines = text.split("\n")
    for n, body in enumerate(lines, 1):
        raw = body + ("\n" if n < len(lines) else "")
        assert index.raw_line_length(n) == len(raw)
        for col in range(1, len(raw) + 3):
            expected = col + sum(1 for ch in raw[: col - 1] if ord(ch) > 0xFFFF)
            assert index.utf16_column(n, col) == expected, (text, n, col)
    assert index.utf16_column(len(lines) + 1, 5) == 5  # past the end: unchanged
