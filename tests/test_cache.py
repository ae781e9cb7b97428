"""The findings cache (cache.py) and --jobs: same results, less work."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from breaklint import engine
from breaklint.cache import FindingsCache, run_fingerprint
from breaklint.engine import Linter, Options
from conftest import ROOT

BLAME = "Hi Tom,\n\nYou never replied to my last three emails.\n\nBest,\nAna\n"
TAGGED = "Hi {{first_name}},\n\nThe invoice is attached.\n\nBest,\nAna\n"


def _cli(args: list[str], env_cache: Path | None) -> tuple[int, str, bool]:
    """Run the CLI in a fresh interpreter: (exit code, stdout, whether spaCy was imported)."""
    code = (
        "import sys\n"
        "from breaklint.cli import main\n"
        "code = 0\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as e:\n"
        "    code = e.code\n"
        "sys.stderr.write('RESULT %s %s' % (code, 'spacy' in sys.modules))\n"
    )
    import os

    env = dict(os.environ)
    env.pop("BREAKLINT_CACHE_DIR", None)
    if env_cache is not None:
        env["BREAKLINT_CACHE_DIR"] = str(env_cache)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    rc, spacy = out.stderr.rsplit("RESULT", 1)[1].split()
    return int(rc), out.stdout, spacy == "True"


def _entries(folder: Path) -> list[Path]:
    """Findings entries (v<format>/<2 hex>/<key>.json), not the valid-patterns list."""
    return sorted(folder.glob("v*/??/*.json"))


def test_rerun_on_unchanged_files_answers_from_cache_without_spacy(tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "blame.txt").write_text(BLAME, encoding="utf-8")
    (drafts / "tagged.txt").write_text(TAGGED, encoding="utf-8")
    cache = tmp_path / "cache"
    args = ["--no-config", "-f", "json", str(drafts)]
    rc1, first, spacy1 = _cli(args, cache)
    assert spacy1 and rc1 == 1
    assert len(_entries(cache)) == 2
    rc2, second, spacy2 = _cli(args, cache)
    assert (rc2, second) == (rc1, first)
    assert not spacy2
    assert {f["rule"] for f in json.loads(second)} >= {"BLAME001", "TAG001"}
    # an edit is a new key: the file is linted again (and its finding is gone)
    (drafts / "blame.txt").write_text(BLAME.replace("You never replied to", "I sent"), encoding="utf-8")
    rc3, third, _ = _cli(args, cache)
    assert "BLAME001" not in {f["rule"] for f in json.loads(third)}
    assert len(_entries(cache)) == 3


def test_no_cache_writes_nothing_and_config_relocates_the_cache(tmp_path):
    (tmp_path / "d.txt").write_text(TAGGED, encoding="utf-8")
    default = tmp_path / "env-cache"
    _cli(["--no-config", "--no-cache", "--select", "merge-tag", str(tmp_path / "d.txt")], default)
    assert not default.exists()
    (tmp_path / ".breaklint.yaml").write_text("cache_dir: my-cache\n", encoding="utf-8")
    import os

    env = dict(os.environ)
    env.pop("BREAKLINT_CACHE_DIR", None)
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    subprocess.run([sys.executable, "-m", "breaklint", "--select", "merge-tag", str(tmp_path / "d.txt")], env=env, capture_output=True, timeout=120)
    assert len(_entries(tmp_path / "my-cache")) == 1
    assert (tmp_path / "my-cache" / "CACHEDIR.TAG").is_file()
    assert not (tmp_path / "xdg").exists()


def _lint(linter: Linter, paths: list[str], cache=None, jobs: int = 1) -> list[tuple]:
    return [(r.path, [f.to_dict() for f in r.findings], r.warnings, r.source_text) for r in linter.lint_paths(paths, cache=cache, jobs=jobs)]


def test_cache_key_covers_content_rules_and_options(tmp_path):
    p = tmp_path / "d.txt"
    p.write_text(TAGGED, encoding="utf-8")
    linter = Linter(options=Options(select=("merge-tag",)))
    base = FindingsCache(tmp_path / "c", run_fingerprint(linter.rules, linter.options))
    key = base.key(str(p), p.read_bytes())
    assert key != base.key(str(p), p.read_bytes() + b" ")
    assert key != base.key(str(tmp_path / "other.txt"), p.read_bytes())
    other_options = FindingsCache(tmp_path / "c", run_fingerprint(linter.rules, Options(select=("length",))))
    assert key != other_options.key(str(p), p.read_bytes())
    fewer_rules = FindingsCache(tmp_path / "c", run_fingerprint(linter.rules[1:], linter.options))
    assert key != fewer_rules.key(str(p), p.read_bytes())


def test_corrupt_or_foreign_entries_are_ignored(tmp_path):
    p = tmp_path / "d.txt"
    p.write_text(TAGGED, encoding="utf-8")
    linter = Linter(options=Options(select=("merge-tag",)))
    cache = FindingsCache(tmp_path / "c", run_fingerprint(linter.rules, linter.options))
    expected = _lint(linter, [str(p)])
    assert _lint(linter, [str(p)], cache=cache) == expected
    [entry] = _entries(tmp_path / "c")
    good = entry.read_text(encoding="utf-8")
    for bad in ("", "{not json", "[]", json.dumps({"key": "x"}), good.replace('"line": 1', '"line": "one"'), good.replace(entry.stem, "0" * 64)):
        entry.write_text(bad, encoding="utf-8")
        assert _lint(linter, [str(p)], cache=cache) == expected, bad[:40]
        # ...and the entry is rewritten with the right result
        assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem
    assert not list((tmp_path / "c").rglob(".tmp-*"))  # written atomically, nothing left over


def test_cached_results_equal_fresh_ones_over_the_core_corpus(tmp_path):
    linter = Linter(options=Options())
    paths = [str(ROOT / "corpus" / "drafts")]
    cache = FindingsCache(tmp_path / "c", run_fingerprint(linter.rules, linter.options))
    fresh = _lint(linter, paths, cache=cache)
    again = Linter(options=Options())
    assert _lint(again, paths, cache=cache) == fresh
    assert again._nlp is None  # every file came from the cache: no pipeline loaded


def test_jobs_give_the_same_results_in_the_same_order(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "PARALLEL_CHUNK", 4)
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 4)
    folder = tmp_path / "drafts"
    shutil.copytree(ROOT / "corpus" / "drafts", folder)
    (folder / "zz-missing-tag.txt").write_text(TAGGED, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")  # skipped with a warning, in its place
    serial = _lint(Linter(options=Options()), [str(folder)], jobs=1)
    calls = []
    real = engine.Linter._lint_parallel

    def spy(self, *args, **kwargs):
        calls.append(args[-1])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(engine.Linter, "_lint_parallel", spy)
    parallel = _lint(Linter(options=Options()), [str(folder)], jobs=2)
    assert calls == [2]
    assert parallel == serial
    assert [r[0] for r in serial] == sorted(r[0] for r in serial)


def test_small_runs_stay_in_one_process(tmp_path, monkeypatch):
    p = tmp_path / "d.txt"
    p.write_text(TAGGED, encoding="utf-8")
    monkeypatch.setattr(engine.Linter, "_lint_parallel", lambda *a, **k: pytest.fail("forked for one file"))
    assert _lint(Linter(options=Options(select=("merge-tag",))), [str(p)], jobs=8)[0][1]


def test_rule_regexes_checked_once_are_remembered_and_a_bad_list_is_harmless(tmp_path, monkeypatch):
    from breaklint import ruleset
    from breaklint.cache import remember_valid_patterns, save_valid_patterns
    from breaklint.ruleset import load_rules

    monkeypatch.setattr(ruleset, "VALID_PATTERNS", set())
    load_rules()
    checked = set(ruleset.VALID_PATTERNS)
    assert checked  # the built-in rules have regexes
    save_valid_patterns(tmp_path)
    monkeypatch.setattr(ruleset, "VALID_PATTERNS", set())
    remember_valid_patterns(tmp_path)
    assert ruleset.VALID_PATTERNS == checked
    [stored] = list(tmp_path.rglob("valid-patterns-*.json"))
    stored.write_text("{garbage", encoding="utf-8")
    monkeypatch.setattr(ruleset, "VALID_PATTERNS", set())
    remember_valid_patterns(tmp_path)
    assert ruleset.VALID_PATTERNS == set()
    # a pattern wrongly listed as valid is still an error, not a traceback, when used
    rules_dir = tmp_path / "house"
    (rules_dir / "sarcasm").mkdir(parents=True)
    (rules_dir / "sarcasm" / "HOUSE001.yaml").write_text(
        "id: HOUSE001\ncategory: sarcasm\nseverity: warning\nmessage: m\nwhy: w\nsource: null\n"
        "match:\n  regex: ['(unclosed']\nsuggest: [s]\nexamples: {flag: [x], pass: [y]}\n",
        encoding="utf-8",
    )
    ruleset.VALID_PATTERNS.add("(unclosed")
    from breaklint.errors import RuleError

    linter = Linter(options=Options(rules_dirs=(str(rules_dir),), select=("HOUSE001",)))
    with pytest.raises(RuleError, match="invalid regular expression"):
        linter.lint_text("Hello there.")


def test_regex_literals_worked_out_once_are_remembered_and_a_bad_file_is_harmless(tmp_path, monkeypatch):
    # The literal index (regexscreen.py) of a run with a cache folder is stored there;
    # the next run builds the same index without parsing a pattern, and a damaged or
    # foreign file is ignored.
    from breaklint import cache as cache_module
    from breaklint import prebuilt, regexscreen

    def no_prebuilt() -> None:
        # Not the literals shipped for the built-in rules (test_prebuilt.py): this is
        # about the cache folder's file.
        monkeypatch.setattr(prebuilt, "PATH", tmp_path / "no-prebuilt.json")
        monkeypatch.setattr(prebuilt, "_loaded", None)

    no_prebuilt()

    folder = tmp_path / "c"
    runs = []

    def run() -> Linter:
        runs.append(1)
        p = tmp_path / f"d{len(runs)}.txt"  # a new draft each time: linted, not answered from the cache
        p.write_text(BLAME.replace("three", str(len(runs))), encoding="utf-8")
        linter = Linter(options=Options())
        _lint(linter, [str(p)], cache=FindingsCache(folder, run_fingerprint(linter.rules, linter.options)))
        return linter

    monkeypatch.setattr(regexscreen, "KNOWN", {})
    first = run()._literals.literals
    assert len(first) > 300 and any(first.values())
    [stored] = list(folder.rglob("literals-*.json"))

    def refuse(pattern):
        raise AssertionError(f"parsed again: {pattern!r}")

    monkeypatch.setattr(regexscreen, "KNOWN", {})
    monkeypatch.setattr(regexscreen, "required_literals", refuse)
    assert run()._literals.literals == first
    # damaged, or written by other code (another key): worked out afresh
    monkeypatch.undo()
    no_prebuilt()
    for text in ("{garbage", json.dumps({"key": "another breaklint", "literals": {}}),
                 json.dumps({"key": cache_module._literals_key(), "literals": {"x": [1]}})):
        stored.write_text(text, encoding="utf-8")
        monkeypatch.setattr(regexscreen, "KNOWN", {})
        calls = []
        real = regexscreen.required_literals
        monkeypatch.setattr(regexscreen, "required_literals", lambda pattern: calls.append(pattern) or real(pattern))
        assert run()._literals.literals == first
        assert len(calls) == len(first)
        monkeypatch.undo()
        no_prebuilt()
