"""A cache of the loaded rule set, so `breaklint rules`, `explain` and a cached re-run
need not read and check every rule file again: parsing ~60 YAML files, compiling their
regexes and importing the modules that check merge-tag, metric and model rules cost
more than the rest of those commands together.

The cache is one JSON file (never pickle) per list of rule folders, in the findings
cache's folder (cache.py), written atomically. (The configuration changes the loaded
rules only through `rules_dirs`; select, ignore and severities apply afterwards.) It
is used only when its key matches: breaklint's code (its version and source files, as
for findings) and the bytes of every rule and condition file in the folders (path,
size and CRC-32 of each; a checksum, not a cryptographic hash, because the files are
the user's own and importing hashlib would cost a good part of the time saved). A
missing, damaged (its checksum) or stale cache is ignored and rebuilt; one that cannot
be written is skipped. A rule set is stored only if JSON gives it back exactly, so
rule files with values JSON cannot hold (a YAML date, a set) are read every time.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from .atomicfile import replace_atomically
from .cache import FORMAT, _code_fingerprint, prepare_folder, remember_valid_patterns, save_valid_patterns
from .errors import RuleError
from .ruleset import Example, MatchSpec, Rule, condition_files, rule_dirs, rule_files
from .ruleset import load_rules as load_rules_from_yaml
from .yamlsource import LocatedYAML


def load_rules(extra_dirs: list[str] | tuple[str, ...] = (), folder: str | os.PathLike | None = None) -> list[Rule]:
    """What ruleset.load_rules(extra_dirs) returns, answered from the cache in `folder`
    when the rule files have not changed (folder None: no cache, read nor written).
    Errors in rule files are raised exactly as load_rules raises them. Without a
    cache entry, the tables shipped for the built-in rules (prebuilt.py) are used when
    they fit the install."""
    if folder is None:
        return _load_uncached(extra_dirs, None)
    dirs = rule_dirs(extra_dirs)
    key = _key(dirs)
    if key is None:  # a folder or file cannot be read: load_rules says which
        return load_rules_from_yaml(extra_dirs)
    target = Path(folder) / f"v{FORMAT}" / f"rules-{zlib.crc32(json.dumps([str(d) for d in dirs]).encode()):08x}.json"
    rules = _read(target, key)
    if rules is not None:
        return rules
    rules = _load_uncached(extra_dirs, folder)
    if _key(dirs) == key:  # not edited while they were read
        _write(folder, target, key, rules)
    return rules


def _load_uncached(extra_dirs: list[str] | tuple[str, ...], folder: str | os.PathLike | None) -> list[Rule]:
    """The rules without this cache: the built-in ones alone from the tables shipped
    with the package (prebuilt.py) when their key matches the install, else read from
    the rule files, skipping the compile of regexes the shipped tables and the cache
    folder (if any) know to be valid."""
    from . import prebuilt

    if not extra_dirs:
        rules = prebuilt.rules()
        if rules is not None:
            return rules
    # A user's rules are read and checked in full; only the built-in regexes (and
    # those earlier runs checked) are not compiled again.
    prebuilt.seed_valid_patterns()
    if folder is not None:
        remember_valid_patterns(folder)
    rules = load_rules_from_yaml(extra_dirs)
    if folder is not None:
        save_valid_patterns(folder)
    return rules


def _key(dirs: list[Path]) -> list | None:
    """What the loaded rules depend on, as JSON-ready values (None if a folder or
    file cannot be read)."""
    try:
        folders = []
        for d in dirs:
            files = []
            for path in (*condition_files(d), *rule_files(d)):
                with open(path, "rb") as fh:
                    data = fh.read()
                files.append([str(path), len(data), zlib.crc32(data)])
            folders.append([str(d), files])
    except (OSError, RuleError):
        return None
    return [FORMAT, _code_fingerprint(), folders]


def _read(target: Path, key: list) -> list[Rule] | None:
    """The cached rules if `target` holds them for `key`, else None. The first line is a
    header (key and a checksum of the rest), so a stale cache is rejected without
    decoding its rules and a damaged one by its checksum."""
    try:
        with open(target, "rb") as fh:
            head, _, body = fh.read().partition(b"\n")
        header = json.loads(head)
        if header["key"] != key or header["crc"] != zlib.crc32(body):
            return None
        return [_rule(r) for r in json.loads(body)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        return None


def _write(folder: str | os.PathLike, target: Path, key: list, rules: list[Rule]) -> None:
    try:
        prepare_folder(folder)
        target.parent.mkdir(parents=True, exist_ok=True)  # the rules may be all this run stores
    except OSError:
        return  # the cache only ever saves time
    try:
        body = json.dumps([_rule_json(r) for r in rules], ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError):  # a value JSON cannot hold (a YAML date, a set, NaN)
        return
    back = [_rule(r) for r in json.loads(body)]
    # Rule equality leaves out `located` (the YAML the rule came from): compare it too.
    if back != rules or any(b.located != r.located for b, r in zip(back, rules)):
        return  # JSON changed something (a tuple, a non-string key): do not cache
    header = json.dumps({"key": key, "crc": zlib.crc32(body)}, ensure_ascii=False).encode("utf-8")
    try:
        replace_atomically(target, header + b"\n" + body, prefix=".tmp-", durable=False)
    except OSError:
        pass


def _spec_json(spec: MatchSpec) -> dict[str, Any]:
    return {"kind": spec.kind, "value": spec.value, "attr": spec.attr, "ignore_case": spec.ignore_case,
            "span": spec.span, "scope": spec.scope, "path": list(spec.path)}


def _spec(d: dict[str, Any]) -> MatchSpec:
    return MatchSpec(kind=d["kind"], value=d["value"], attr=d["attr"], ignore_case=d["ignore_case"],
                     span=d["span"], scope=d["scope"], path=tuple(d["path"]))


def _examples_json(examples: tuple[Example, ...]) -> list:
    return [[e.text, e.profile, list(e.known_variables)] for e in examples]


def _examples(items: list) -> tuple[Example, ...]:
    return tuple(Example(text, profile, tuple(known)) for text, profile, known in items)


def _rule_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id, "category": rule.category, "severity": rule.severity, "message": rule.message,
        "why": rule.why, "source": rule.source, "profiles": list(rule.profiles), "zones": list(rule.zones),
        "confidence": rule.confidence, "match": _spec_json(rule.match),
        "unless": [_spec_json(s) for s in rule.unless], "requires": [_spec_json(s) for s in rule.requires],
        "suggest": list(rule.suggest), "fix": rule.fix, "flag_examples": _examples_json(rule.flag_examples),
        "pass_examples": _examples_json(rule.pass_examples), "path": rule.path,
        "located": list(rule.located.to_json()) if rule.located is not None else None,
    }


def _rule(d: dict[str, Any]) -> Rule:
    return Rule(
        id=d["id"], category=d["category"], severity=d["severity"], message=d["message"], why=d["why"],
        source=d["source"], profiles=tuple(d["profiles"]), zones=tuple(d["zones"]), confidence=d["confidence"],
        match=_spec(d["match"]), unless=tuple(_spec(s) for s in d["unless"]),
        requires=tuple(_spec(s) for s in d["requires"]), suggest=tuple(d["suggest"]), fix=d["fix"],
        flag_examples=_examples(d["flag_examples"]), pass_examples=_examples(d["pass_examples"]), path=d["path"],
        located=LocatedYAML.from_json(*d["located"]) if d["located"] is not None else None,
    )
