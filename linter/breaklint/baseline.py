"""Baselines: accept today's findings so that only new ones are reported.

`breaklint --write-baseline` records every current finding; later runs drop the
findings the baseline holds. Entries are keyed by rule, path (relative to the
baseline's folder), the flagged text with its whitespace collapsed, and which
occurrence of that text it is in the file, never by line number: adding a paragraph
above an accepted finding must not make it new again. Findings about the whole draft
(reading time, pronoun balance) flag text that shifts with every edit, so they are
keyed by rule and path alone: the draft stays accepted while it is still too long.

Entries that match nothing any more are reported as stale so the file can be
refreshed, but only for files this run checked with that rule (or files that are
gone): checking one file must not call every other file's entries stale.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .atomicfile import replace_atomically
from .errors import ConfigError
from .finding import Finding
from .ruleset import Rule

DEFAULT_NAME = ".breaklint-baseline.json"
FORMAT_VERSION = 1

Key = tuple[str, str, str, int]  # (path, rule, text, occurrence)


def draft_wide(rules: Iterable[Rule]) -> frozenset[str]:
    """The ids of rules that measure the whole draft rather than match words."""
    return frozenset(r.id for r in rules if r.match.kind == "metric")


def _text_key(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Baseline:
    path: Path  # the baseline file; entry paths are relative to its folder
    entries: set[Key] = field(default_factory=set)
    whole_draft: frozenset[str] = frozenset()  # rule ids keyed without their text
    _matched: set[Key] = field(default_factory=set, repr=False)
    _checked: dict[str, set[str]] = field(default_factory=dict, repr=False)  # path -> rules run on it

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    def relative(self, path: str) -> str:
        """`path` as the baseline stores it: POSIX, relative to the baseline's folder
        when possible (so the file works from any working directory and machine)."""
        if path in ("-", "<stdin>"):
            return "<stdin>"
        absolute = Path(os.path.abspath(path))
        try:
            return Path(os.path.relpath(absolute, self.folder)).as_posix()
        except ValueError:  # another drive on Windows
            return absolute.as_posix()

    def keys(self, findings: Iterable[Finding]) -> list[tuple[Key, Finding]]:
        """Each finding with its key; repeats of the same text by the same rule in the
        same file are numbered in the order they appear."""
        seen: Counter[tuple[str, str, str]] = Counter()
        out = []
        for f in sorted(findings, key=Finding.sort_key):
            base = (self.relative(f.path), f.rule, "" if f.rule in self.whole_draft else _text_key(f.text))
            out.append(((*base, seen[base]), f))
            seen[base] += 1
        return out

    def filter(self, path: str, findings: list[Finding], rules_run: Iterable[str]) -> list[Finding]:
        """The findings of one checked file that the baseline does not hold, in their
        original order. `rules_run` are the rule ids that were active for the file."""
        self._checked.setdefault(self.relative(path), set()).update(rules_run)
        new = set()
        for key, f in self.keys(findings):
            if key in self.entries:
                self._matched.add(key)
            else:
                new.add(id(f))
        return [f for f in findings if id(f) in new]

    def unchecked(self) -> list[Key]:
        """Entries this run could not have seen: their rule did not run on their
        file, and the file still exists."""
        return [
            key
            for key in sorted(self.entries)
            if key[1] not in self._checked.get(key[0], ()) and (key[0] == "<stdin>" or (self.folder / key[0]).exists())
        ]

    def stale(self) -> list[Key]:
        """Entries that matched nothing: their file was checked with their rule and no
        longer has the finding, or their file no longer exists."""
        out = []
        for key in sorted(self.entries - self._matched):
            path, rule = key[0], key[1]
            checked = rule in self._checked.get(path, ())
            gone = path != "<stdin>" and not (self.folder / path).exists()
            if checked or gone:
                out.append(key)
        return out


def load(path: str | os.PathLike, whole_draft: frozenset[str] = frozenset()) -> Baseline:
    """Read a baseline file; a malformed one is a configuration error (exit 2).
    `whole_draft`: see draft_wide()."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("baseline file does not exist; create it with 'breaklint --write-baseline'", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the baseline: {exc}", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not a breaklint baseline (invalid JSON at line {exc.lineno}); rewrite it with --write-baseline", path=str(path)) from None
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or not isinstance(data.get("findings"), list):
        raise ConfigError(f"not a breaklint baseline (expected {{\"version\": {FORMAT_VERSION}, \"findings\": [...]}}); rewrite it with --write-baseline", path=str(path))
    entries: set[Key] = set()
    for i, e in enumerate(data["findings"]):
        ok = (
            isinstance(e, dict)
            and all(isinstance(e.get(k), str) for k in ("path", "rule", "text"))
            and isinstance(e.get("occurrence", 0), int)
            and not isinstance(e.get("occurrence", 0), bool)
        )
        if not ok:
            raise ConfigError(f"entry {i} needs string path, rule and text and an integer occurrence", path=str(path))
        entries.add((e["path"], e["rule"].upper(), _text_key(e["text"]), e.get("occurrence", 0)))
    return Baseline(path, entries, whole_draft)


def write(path: str | os.PathLike, findings: Iterable[Finding], previous: Baseline | None = None,
          whole_draft: frozenset[str] = frozenset()) -> int:
    """Write a baseline holding `findings`, atomically and in a stable order so it
    diffs cleanly. With `previous` (the same file, after this run's `filter` calls),
    its entries for files or rules this run did not check are kept, so refreshing
    the baseline for a few files does not forget the rest. Returns the entry count."""
    baseline = Baseline(Path(path), whole_draft=whole_draft)
    keys = {k for k, _ in baseline.keys(findings)}
    if previous is not None:
        keys |= set(previous.unchecked())
    doc = {
        "version": FORMAT_VERSION,
        "comment": "Findings accepted by 'breaklint --write-baseline': only new findings are reported. Paths are relative to this file.",
        "findings": [{"path": p, "rule": r, "text": t, "occurrence": n} for p, r, t, n in sorted(keys)],
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    replace_atomically(Path(path).resolve(), text.encode("utf-8"), mode=0o644, prefix=".breaklint-baseline-")
    return len(keys)
