"""A content-hash cache of findings, like ruff's: re-checking unchanged files costs a
hash and a small JSON read, and never loads spaCy.

An entry's key covers everything that can change a file's results: its bytes and
path, the rule set's contents, the resolved options, the spaCy and pipeline versions
and breaklint's own code. Entries are JSON (never pickle), written atomically; one
that cannot be read or does not fit is ignored and recomputed, never an error.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .atomicfile import replace_atomically
from .finding import Finding, Fix

FORMAT = 1
ENV_VAR = "BREAKLINT_CACHE_DIR"


def default_dir() -> Path:
    """$BREAKLINT_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME or
    ~/.cache)/breaklint."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "breaklint"


@lru_cache(maxsize=None)  # the findings and rule-set caches both ask, once per run
def _code_fingerprint() -> str:
    """breaklint's version plus its source files' sizes and times, so a changed
    checkout (not only a new release) starts a fresh cache."""
    here = Path(__file__).resolve().parent
    parts = [__version__]
    for p in sorted(here.rglob("*.py")):
        try:
            st = p.stat()
        except OSError:
            continue
        parts.append(f"{p.relative_to(here)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _package_version(name: str) -> str:
    """The installed version of distribution `name` ("?" if unknown). A wheel install
    names its metadata folder NAME-VERSION.dist-info, so a glance at the folders on
    sys.path answers without importing importlib.metadata, which alone costs more than
    a cached re-run's whole budget; anything else asks importlib.metadata."""
    wanted = _dist_name(name)
    for entry in sys.path:
        try:
            stems = [n[: -len(".dist-info")] for n in os.listdir(entry or ".") if n.endswith(".dist-info")]
        except OSError:
            continue
        found = [stem for stem in stems if _dist_name(stem.split("-", 1)[0]) == wanted]
        if len(found) == 1 and found[0].count("-") == 1:
            return found[0].split("-")[1]
        if found:
            break
    from importlib import metadata

    for candidate in (name, name.replace("_", "-")):
        try:
            return metadata.version(candidate)
        except metadata.PackageNotFoundError:
            continue
        except Exception:  # a broken install's metadata: just key on the name
            break
    return "?"


def _dist_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def run_fingerprint(rules: list, options: Any) -> str:
    """What every entry of a run shares: rules, options, versions."""
    import hashlib

    h = hashlib.sha256()
    h.update(f"format {FORMAT}\n{_code_fingerprint()}\n".encode())
    h.update(f"spacy {_package_version('spacy')} model {options.model} {_package_version(options.model)}\n".encode())
    h.update(repr(options).encode())
    for rule in rules:
        data = rule.located.data if rule.located is not None else repr(rule)
        # The specs as well as the file: a shared condition's text lives in another file.
        specs = [[s.kind, s.value, s.attr, s.ignore_case, s.scope] for s in (*rule.requires, *rule.unless)]
        h.update(json.dumps([rule.path, data, specs], sort_keys=True, default=str).encode())
    return h.hexdigest()


class FindingsCache:
    def __init__(self, folder: str | os.PathLike, fingerprint: str):
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self._ready = False

    def key(self, path: str, content: bytes) -> str:
        import hashlib

        h = hashlib.sha256(self.fingerprint.encode())
        h.update(b"\0" + os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0" + path.encode("utf-8", "surrogateescape") + b"\0")
        h.update(content)
        return h.hexdigest()

    def _file(self, key: str) -> str:
        # os.path, not pathlib: this runs once per file of every cached re-run.
        return os.path.join(self.folder, f"v{FORMAT}", key[:2], f"{key}.json")

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored result for `key`, or None (missing, unreadable or malformed)."""
        try:
            with open(self._file(key), encoding="utf-8") as fh:
                data = json.load(fh)
            findings = [_finding(f) for f in data["findings"]]
            warnings = [str(w) for w in data["warnings"]]
            if data.get("key") != key or not isinstance(data["fixable"], bool) or not isinstance(data["encoding"], str):
                return None
            return {"findings": findings, "warnings": warnings, "encoding": data["encoding"], "fixable": data["fixable"]}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, findings: list[Finding], warnings: list[str], encoding: str, fixable: bool) -> None:
        """Store a result atomically (a temporary file, then os.replace). A cache that
        cannot be written is skipped silently: it only ever saves time."""
        target = self._file(key)
        payload = {
            "key": key,
            "findings": [asdict(f) for f in findings],
            "warnings": list(warnings),
            "encoding": encoding,
            "fixable": fixable,
        }
        try:
            self._prepare()
        except OSError:
            return
        _write_json(Path(target), payload)

    def _prepare(self) -> None:
        if self._ready:
            return
        prepare_folder(self.folder)
        self._ready = True


def prepare_folder(folder: str | os.PathLike) -> None:
    """Create the cache folder, kept out of version control and backups as ruff does.
    Raises OSError if it cannot be created."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# breaklint's findings cache; safe to delete.\n")):
        p = folder / name
        if not p.exists():
            try:
                p.write_text(text, encoding="utf-8")
            except OSError:
                pass


_INTS = ("start", "end", "line", "column", "end_line", "end_column")
_STRS = ("path", "rule", "category", "severity", "text", "message", "zone", "confidence")


def _finding(data: dict[str, Any]) -> Finding:
    fix = data.pop("fix", None)
    if not all(isinstance(data.get(k), int) for k in _INTS) or not all(isinstance(data.get(k), str) for k in _STRS):
        raise ValueError("malformed finding")
    if fix is not None and not (isinstance(fix.get("replacement"), str) and isinstance(fix.get("start"), int) and isinstance(fix.get("end"), int)):
        raise ValueError("malformed fix")
    return Finding(**data, fix=Fix(**fix) if fix is not None else None)


def _patterns_file(folder: str | os.PathLike) -> Path:
    version = _package_version("regex")
    return Path(folder) / f"v{FORMAT}" / f"valid-patterns-regex-{version}.json"


def remember_valid_patterns(folder: str | os.PathLike | None = None) -> None:
    """Load the rule regexes earlier runs found valid (see ruleset.VALID_PATTERNS), so
    loading the rules does not compile them again. A bad file is ignored."""
    from .ruleset import VALID_PATTERNS

    try:
        with open(_patterns_file(folder or default_dir()), encoding="utf-8") as fh:
            data = json.load(fh)
        if isinstance(data, list):
            VALID_PATTERNS.update(p for p in data if isinstance(p, str))
    except (OSError, ValueError):
        pass


def save_valid_patterns(folder: str | os.PathLike | None = None) -> None:
    """Store ruleset.VALID_PATTERNS atomically if it grew. Failing to write is fine."""
    from .ruleset import VALID_PATTERNS

    target = _patterns_file(folder or default_dir())
    try:
        with open(target, encoding="utf-8") as fh:
            known = json.load(fh)
        if isinstance(known, list) and set(known) >= VALID_PATTERNS:
            return
    except (OSError, ValueError):
        pass
    try:
        prepare_folder(folder or default_dir())
    except OSError:
        return
    _write_json(target, sorted(VALID_PATTERNS))


def _literals_key() -> str:
    return f"{_code_fingerprint()}\npython {sys.version}"


def _literals_file(folder: str | os.PathLike) -> Path:
    import zlib

    return Path(folder) / f"v{FORMAT}" / f"literals-{zlib.crc32(_literals_key().encode()):08x}.json"


def remember_literals(folder: str | os.PathLike) -> int:
    """Load the regex literals (regexscreen.KNOWN) an earlier run with the same
    breaklint code and Python worked out, so building the literal index does not parse
    every rule pattern again. Returns how many KNOWN holds; a bad file is ignored."""
    from .regexscreen import KNOWN

    try:
        with open(_literals_file(folder), encoding="utf-8") as fh:
            data = json.load(fh)
        if data["key"] == _literals_key():
            known = {}
            for pattern, lits in data["literals"].items():
                if lits is not None and not (isinstance(lits, list) and all(isinstance(x, str) for x in lits)):
                    raise ValueError("malformed literals")
                known[pattern] = frozenset(lits) if lits is not None else None
            for pattern, lits in known.items():
                KNOWN.setdefault(pattern, lits)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return len(KNOWN)


def save_literals(folder: str | os.PathLike) -> None:
    """Store regexscreen.KNOWN atomically. Failing to write is fine."""
    from .regexscreen import KNOWN

    try:
        prepare_folder(folder)
    except OSError:
        return
    payload = {"key": _literals_key(), "literals": {p: sorted(l) if l is not None else None for p, l in sorted(KNOWN.items())}}
    _write_json(_literals_file(folder), payload)


def _write_json(target: Path, payload: Any) -> None:
    """Write `payload` to `target` atomically. A failure is skipped silently: the cache
    only ever saves time, so it is not flushed to disk either."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        replace_atomically(target, data, prefix=".tmp-", durable=False)
    except OSError:
        pass
