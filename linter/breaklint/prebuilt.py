"""Tables derived from the built-in rules, shipped with the package (data/prebuilt.json)
so that the first run after install is as fast as later ones.

A run with an empty cache folder used to spend about three seconds working out what
the cache folder keeps for later runs (cache.py, rulecache.py): which rule regexes
compile (ruleset.VALID_PATTERNS), each pattern's literals for the screen
(regexscreen.KNOWN) and the checked rule set. For the built-in rules these depend only
on the installed package, so they are built once, when the rules or the code change,
and shipped:

    PYTHONPATH=linter python -m breaklint.prebuilt     # from the repository root

rewrites linter/breaklint/data/prebuilt.json (tests/test_prebuilt.py fails, naming
this command, when the file is out of date).

The file carries its key: a hash of breaklint's code, a hash of the built-in rule
files, the `regex` version and the Python version. Each table names the parts its
validity depends on (NEEDS) and is used only when those match the running install
exactly; otherwise, or if the file is missing or damaged, it is ignored and everything
is computed (and saved to the cache folder) as without it. A stale file can only cost
time, never change findings. JSON only, never pickle.
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

FORMAT = 1
# Where the shipped tables live (inside the package, so the wheel carries them).
PATH = Path(__file__).resolve().parent / "data" / "prebuilt.json"
REGENERATE = "PYTHONPATH=linter python -m breaklint.prebuilt"

# The key parts each table depends on. Every table depends on breaklint's code (how
# rules are checked, how literals are worked out, how rules are stored).
NEEDS: dict[str, tuple[str, ...]] = {
    # Whether a pattern compiles depends on the `regex` version.
    "valid_patterns": ("format", "code", "regex"),
    # Literals are read with Python's own `re` parser (regexscreen.py).
    "literals": ("format", "code", "python"),
    # The checked rules: the rule files, and they were checked with this `regex`.
    "rules": ("format", "code", "rules", "regex"),
}

# The parsed file, read once per process: (path it was read from, data or None).
_loaded: tuple[Path, Any] | None = None


@lru_cache(maxsize=None)
def code_hash() -> str:
    """A hash of the contents of breaklint's Python files. cache.py's fingerprint uses
    sizes and modification times, which differ between the checkout that built the
    file and every install of it, so the shipped key hashes the bytes instead."""
    import hashlib

    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(here.rglob("*.py")):
        rel = p.relative_to(here)
        if rel.parts[0] == "_rules":  # the rules are keyed on their own ("rules")
            continue
        h.update(rel.as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def rules_hash() -> str:
    """A hash of the built-in rule and condition files (names and bytes). Raises
    OSError or RuleError if they cannot be read."""
    import hashlib

    from .ruleset import builtin_rules_dir, condition_files, rule_files

    root = builtin_rules_dir()
    h = hashlib.sha256()
    for p in (*condition_files(root), *rule_files(root)):
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def python_version() -> str:
    """The interpreter and its minor version: the literals are read with `re`'s own
    parser, which changes between minor versions, not between patch releases."""
    v = sys.version_info
    return f"{sys.implementation.name} {v.major}.{v.minor}"


def regex_version() -> str:
    import regex

    return str(regex.__version__)


def current_key(parts: tuple[str, ...] = ("format", "code", "rules", "regex", "python")) -> dict[str, Any]:
    """The running install's value of each key part in `parts`."""
    get = {"format": lambda: FORMAT, "code": code_hash, "rules": rules_hash, "regex": regex_version, "python": python_version}
    return {part: get[part]() for part in parts}


def _data() -> Any:
    """The shipped file's contents (None if missing or not JSON), read once per process
    (again if PATH changes, as tests do)."""
    global _loaded
    if _loaded is None or _loaded[0] != PATH:
        try:
            with open(PATH, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError, RecursionError):
            data = None
        _loaded = (PATH, data)
    return _loaded[1]


def table(name: str) -> Any:
    """The shipped table `name` if the file's key matches the running install in every
    part the table depends on, else None."""
    data = _data()
    try:
        stored = data["key"]
        for part in NEEDS[name]:
            if stored[part] != current_key((part,))[part]:
                return None
        return data["tables"][name]
    except Exception:  # noqa: BLE001 - a damaged file, or rules that cannot be read: ignore it
        return None


def valid_patterns() -> set[str] | None:
    """The built-in rules' regexes known to compile with the running `regex`, or None."""
    items = table("valid_patterns")
    if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
        return None
    return set(items)


def literals() -> dict[str, frozenset[str] | None] | None:
    """regexscreen.KNOWN's entries for the built-in rules' patterns, or None."""
    items = table("literals")
    if not isinstance(items, dict):
        return None
    out: dict[str, frozenset[str] | None] = {}
    for pattern, lits in items.items():
        if lits is None:
            out[pattern] = None
        elif isinstance(lits, list) and lits and all(isinstance(x, str) and x for x in lits):
            out[pattern] = frozenset(lits)
        else:
            return None
    return out


def rules() -> list | None:
    """The built-in rules as ruleset.load_rules() returns them, or None."""
    from .rulecache import _rule
    from .ruleset import builtin_rules_dir

    items = table("rules")
    if not isinstance(items, list):
        return None
    root = builtin_rules_dir()
    try:
        out = []
        for d in items:
            # Stored relative to the rules folder, which moves with the install.
            rel = d["path"]
            if not isinstance(rel, str) or rel.startswith("/") or ".." in rel.split("/"):
                return None
            out.append(_rule({**d, "path": str(root.joinpath(*rel.split("/")))}))
        return out
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        return None


def seed_valid_patterns() -> None:
    """Add the shipped valid patterns to ruleset.VALID_PATTERNS (if the key matches)."""
    from . import ruleset

    found = valid_patterns()
    if found:
        ruleset.VALID_PATTERNS.update(found)


def seed_literals() -> None:
    """Add the shipped literals to regexscreen.KNOWN (if the key matches)."""
    from .regexscreen import KNOWN

    for pattern, lits in (literals() or {}).items():
        KNOWN.setdefault(pattern, lits)


def build() -> dict[str, Any]:
    """The file's contents for the built-in rules and the running install, worked out
    from scratch (no cache, nothing shipped)."""
    from . import ruleset
    from .regexscreen import required_literals
    from .rulecache import _rule, _rule_json

    # Every built-in pattern compiled and checked now, not taken from earlier runs.
    earlier = ruleset.VALID_PATTERNS
    ruleset.VALID_PATTERNS = set()
    try:
        loaded = ruleset.load_rules()
        valid = sorted(ruleset.VALID_PATTERNS)
    finally:
        earlier.update(ruleset.VALID_PATTERNS)
        ruleset.VALID_PATTERNS = earlier
    # The patterns the engine's literal index is built from (engine.Linter._literal_index).
    patterns = sorted({p for r in loaded for p in r.regex_patterns})
    lits = {p: (sorted(found) if (found := required_literals(p)) is not None else None) for p in patterns}
    root = ruleset.builtin_rules_dir()
    stored = []
    for rule in loaded:
        d = _rule_json(rule)
        d["path"] = Path(rule.path).relative_to(root).as_posix()
        stored.append(d)
    # As rulecache does: only a rule set JSON gives back exactly can be shipped.
    back = [_rule({**d, "path": str(root.joinpath(*d["path"].split("/")))}) for d in json.loads(json.dumps(stored))]
    if back != loaded or any(b.located != r.located for b, r in zip(back, loaded)):
        raise ValueError("the built-in rules do not survive a trip through JSON")
    return {
        "format": FORMAT,
        "key": current_key(),
        "tables": {"valid_patterns": valid, "literals": lits, "rules": stored},
    }


def dumps(data: dict[str, Any]) -> str:
    """The file's text: JSON with the key and each table on lines of their own, so a
    diff shows which changed."""
    tables = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, allow_nan=False)}" for k, v in data["tables"].items())
    return (
        "{\n"
        f'"format": {json.dumps(data["format"])},\n'
        f'"key": {json.dumps(data["key"], ensure_ascii=False)},\n'
        '"tables": {\n' + tables + "\n}\n}\n"
    )


def write(path: str | os.PathLike | None = None) -> Path:
    """Build the tables and write them to `path` (default PATH) atomically."""
    from .atomicfile import replace_atomically

    target = Path(path) if path is not None else PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    # Readable by all, as package data is (a temporary file would be private).
    replace_atomically(target, dumps(build()).encode("utf-8"), mode=0o644, prefix=".tmp-", durable=True)
    return target


if __name__ == "__main__":
    print(f"wrote {write()}")
