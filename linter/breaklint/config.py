"""Configuration: `.breaklint.yaml` (or `[tool.breaklint]` in pyproject.toml), found by
walking up from the checked path, then command-line flags on top.

Unknown keys are errors that name the file, line and key: a typo in a config must not
silently turn a check off.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .engine import Linter, Options
from .errors import ConfigError
from .finding import SEVERITIES
from .readers import DEFAULT_MAX_BYTES
from .ruleset import PROFILES
from .yamlsource import LocatedYAML, YAMLSyntaxError, load_located

CONFIG_NAMES = (".breaklint.yaml", ".breaklint.yml", "breaklint.yaml")
FAIL_LEVELS = ("error", "warning", "info", "never")

# key -> (type description, validator)
_KEYS = {
    "profile": "one of " + ", ".join(PROFILES),
    "model": "an installed spaCy pipeline (package name or path)",
    "fail_on": "one of " + ", ".join(FAIL_LEVELS),
    "reading": "a mapping with wpm and/or max_seconds",
    "select": "a list of rule ids or categories",
    "ignore": "a list of rule ids or categories",
    "severity": "a mapping of rule id or category to error, warning or info",
    "rules_dirs": "a list of folders with your own rule files",
    "max_file_bytes": "a positive number of bytes",
    "regex_timeout": "seconds (a positive number)",
    "known_variables": "a list of merge fields your platform fills (template mode checks tags against it)",
    "path_profiles": "a mapping of path pattern to profile, e.g. {\"templates/**\": template}",
    "exclude": "a list of path patterns not to check",
    "per_file_ignores": "a mapping of path pattern to a list of rule ids or categories",
    "baseline": "the path of a baseline file (see --write-baseline), relative to this file",
    "cache_dir": "a folder for the findings cache (relative to the config file)",
}


@dataclass(frozen=True)
class Config:
    options: Options
    fail_on: str = "warning"
    path: str | None = None  # the file it came from, if any
    baseline: str | None = None  # the `baseline` setting, made absolute
    cache_dir: str | None = None  # where the findings cache lives (None: the default)
    # Settings that came from the file (not overridden by a flag) -> their line, so
    # errors found later, such as an unknown rule id, can point into the file.
    key_lines: dict[str, int | None] = field(default_factory=dict, compare=False)


def make_linter(config: Config, rules_cache: str | os.PathLike | None = None) -> Linter:
    """A Linter for `config`. An unknown rule id or category that came from the
    config file is reported against that file, line and key. With `rules_cache` (a
    cache folder), the rules come from the rule-set cache when unchanged (rulecache.py);
    with or without one, the built-in rules may come from the tables shipped with the
    package (prebuilt.py)."""
    try:
        from .rulecache import load_rules

        # Without a cache folder too: the tables shipped for the built-in rules
        # (prebuilt.py) depend only on the installed package.
        rules = load_rules(config.options.rules_dirs, rules_cache)
        return Linter(rules=rules, options=config.options)
    except ConfigError as exc:
        top = (exc.key or "").split("[")[0].split(".")[0]
        if exc.path is None and config.path and top in config.key_lines:
            raise ConfigError(exc.detail, path=config.path, line=config.key_lines[top], key=exc.key) from None
        raise


def baseline_path(config: Config) -> Path:
    """Where the run's baseline lives: the config's `baseline` setting, else
    .breaklint-baseline.json beside the config file, else in the current folder."""
    from .baseline import DEFAULT_NAME

    if config.baseline:
        return Path(config.baseline)
    folder = Path(config.path).resolve().parent if config.path else Path.cwd()
    return folder / DEFAULT_NAME


def find_config(start: str | os.PathLike) -> Path | None:
    """The nearest config file at or above `start` (a file or folder)."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return pyproject
    return None


def _pyproject_section(path: Path) -> dict | None:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from None
    section = data.get("tool", {}).get("breaklint")
    return section if isinstance(section, dict) else None


def load_config_file(path: str | os.PathLike) -> Config:
    path = Path(path)
    if path.name == "pyproject.toml":
        data = _pyproject_section(path) or {}
        located = LocatedYAML(data, {})
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read: {exc}", path=str(path)) from None
        try:
            located = load_located(text)
        except YAMLSyntaxError as exc:
            raise ConfigError(str(exc), path=str(path), line=exc.line) from None
        if located.data is None:
            located = LocatedYAML({}, {})
    return _build(located, str(path))


def _build(doc: LocatedYAML, path: str) -> Config:
    data = doc.data
    if not isinstance(data, dict):
        raise ConfigError("must be a mapping of settings", path=path, line=1)

    def fail(key: tuple, message: str) -> None:
        raise ConfigError(message, path=path, line=doc.line(key), key=".".join(map(str, key)))

    for key in data:
        if key not in _KEYS:
            import difflib

            close = difflib.get_close_matches(str(key), list(_KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            fail((key,), f"unknown setting{hint}; known: {', '.join(_KEYS)}")

    def str_list(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail((key,), f"must be {_KEYS[key]}")
        return tuple(value)

    def positive(key: tuple, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
            fail(key, "must be a positive number")
        return float(value)

    opts: dict[str, Any] = {}
    if "profile" in data:
        if data["profile"] not in PROFILES:
            fail(("profile",), f"must be {_KEYS['profile']}; got {data['profile']!r}")
        opts["profile"] = data["profile"]
    if "model" in data:
        if not isinstance(data["model"], str) or not data["model"].strip():
            fail(("model",), f"must be {_KEYS['model']}")
        opts["model"] = data["model"]
    fail_on = "warning"
    if "fail_on" in data:
        if data["fail_on"] not in FAIL_LEVELS:
            fail(("fail_on",), f"must be {_KEYS['fail_on']}; got {data['fail_on']!r}")
        fail_on = data["fail_on"]
    if "reading" in data:
        reading = data["reading"]
        if not isinstance(reading, dict):
            fail(("reading",), f"must be {_KEYS['reading']}")
        for k, v in reading.items():
            if k not in ("wpm", "max_seconds"):
                fail(("reading", k), "unknown setting; known: wpm, max_seconds")
            opts[k] = positive(("reading", k), v)
    if "select" in data:
        opts["select"] = str_list("select")
    if "ignore" in data:
        opts["ignore"] = str_list("ignore")
    if "severity" in data:
        sev = data["severity"]
        if not isinstance(sev, dict):
            fail(("severity",), f"must be {_KEYS['severity']}")
        for k, v in sev.items():
            if v not in SEVERITIES:
                fail(("severity", k), f"must be error, warning or info; got {v!r}")
        opts["severity"] = tuple((str(k), str(v)) for k, v in sev.items())
    if "rules_dirs" in data:
        base = Path(path).parent
        dirs = []
        for i, d in enumerate(str_list("rules_dirs")):
            full = (base / d).resolve()
            if not full.is_dir():
                fail(("rules_dirs", i), f"folder {d!r} does not exist (relative to {base})")
            dirs.append(str(full))
        opts["rules_dirs"] = tuple(dirs)
    if "max_file_bytes" in data:
        opts["max_file_bytes"] = int(positive(("max_file_bytes",), data["max_file_bytes"]))
    if "regex_timeout" in data:
        opts["regex_timeout"] = positive(("regex_timeout",), data["regex_timeout"])
    if "known_variables" in data:
        opts["known_variables"] = str_list("known_variables")
    if "exclude" in data:
        opts["exclude"] = str_list("exclude")

    def pattern_map(key: str) -> dict:
        value = data[key]
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            fail((key,), f"must be {_KEYS[key]}")
        return value

    if "path_profiles" in data:
        pairs = []
        for pattern, profile in pattern_map("path_profiles").items():
            if profile not in PROFILES:
                fail(("path_profiles", pattern), f"must be one of {', '.join(PROFILES)}; got {profile!r}")
            pairs.append((pattern, profile))
        opts["path_profiles"] = tuple(pairs)
    if "per_file_ignores" in data:
        pairs = []
        for pattern, ids in pattern_map("per_file_ignores").items():
            if isinstance(ids, str):
                ids = [ids]
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                fail(("per_file_ignores", pattern), "must be a list of rule ids or categories")
            pairs.append((pattern, tuple(ids)))
        opts["per_file_ignores"] = tuple(pairs)
    baseline = None
    if "baseline" in data:
        if not isinstance(data["baseline"], str) or not data["baseline"].strip():
            fail(("baseline",), f"must be {_KEYS['baseline']}")
        baseline = str((Path(path).resolve().parent / data["baseline"]).resolve())
    cache_dir = None
    if "cache_dir" in data:
        if not isinstance(data["cache_dir"], str) or not data["cache_dir"].strip():
            fail(("cache_dir",), f"must be {_KEYS['cache_dir']}")
        cache_dir = str(Path(path).resolve().parent / data["cache_dir"])
    # Patterns in the file are relative to the folder the file is in.
    opts["base_dir"] = str(Path(path).resolve().parent)
    located = Path(path).name != "pyproject.toml"  # TOML is parsed without line numbers
    key_lines = {str(k): doc.line((k,)) if located else None for k in data}
    return Config(options=Options(**opts), fail_on=fail_on, path=path, baseline=baseline, cache_dir=cache_dir, key_lines=key_lines)


def resolve(
    paths: list[str],
    config_path: str | None = None,
    use_config: bool = True,
    **overrides: Any,
) -> Config:
    """The configuration for a run: the explicit --config file, else the nearest one
    above the first checked path (or the current folder), then flag overrides."""
    if config_path:
        if not Path(config_path).is_file():
            raise ConfigError(f"config file {config_path!r} does not exist")
        config = load_config_file(config_path)
    elif use_config:
        start = next((p for p in paths if p != "-"), ".")
        found = find_config(start if os.path.exists(start) else ".")
        config = load_config_file(found) if found else Config(Options())
    else:
        config = Config(Options())
    fail_on = overrides.pop("fail_on", None) or config.fail_on
    clean = {k: v for k, v in overrides.items() if v not in (None, ())}
    from_file = {k: line for k, line in config.key_lines.items() if k not in clean}
    return Config(options=replace(config.options, **clean), fail_on=fail_on, path=config.path, baseline=config.baseline, cache_dir=config.cache_dir, key_lines=from_file)


__all__ = ["Config", "resolve", "make_linter", "baseline_path", "find_config", "load_config_file", "FAIL_LEVELS", "DEFAULT_MAX_BYTES"]
