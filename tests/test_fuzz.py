"""The readers' fuzz target (tests/fuzz_readers.py), a bounded number of iterations:
mutated .eml, HTML, Markdown, template and text files are read or refused, never
crash, and their findings point inside the file."""

from __future__ import annotations

from fuzz_readers import run_fuzz


def test_readers_survive_mutated_inputs(tmp_path):
    stats = run_fuzz(iterations=400, seed=20261130, workdir=tmp_path)
    # The loop reached every outcome: refused inputs, drafts, and drafts with findings.
    assert stats["refused"] > 0 and stats["read"] > 0 and stats["findings"] > 0, stats
    assert sum(stats.values()) == 400
