"""Load and validate rule files (one rule per YAML file, rules/<category>/*.yaml).

Validation needs no spaCy, so `breaklint rules` and `explain` stay fast; spaCy
patterns are checked when they are compiled (see matchers.py), with the same kind of
file/line/field error.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .draft import READ_ZONES, ZONES
from .errors import RuleError
from .finding import CATEGORIES, SEVERITIES
from .yamlsource import LocatedYAML, YAMLSyntaxError, load_located

PROFILES = ("breakup", "no-breakup", "template")
DEFAULT_PROFILE = "breakup"
MATCH_KINDS = ("phrases", "tokens", "dependency", "regex", "metric", "merge_tags", "classifier")
NLP_KINDS = frozenset({"phrases", "tokens", "dependency"})
SCOPES = ("sentence", "span", "draft")
CONFIDENCES = ("high", "medium")
ID_RE = re.compile(r"^[A-Z][A-Z0-9]{1,9}-?[0-9]{3}$")

_TOP_KEYS = {
    "id", "category", "severity", "message", "why", "source", "profiles", "zones",
    "confidence", "match", "unless", "requires", "suggest", "fix", "examples",
}
_MATCH_OPTIONS = {"attr", "ignore_case", "span", "scope"}
# Shared conditions: rules/conditions/NAME.yaml holds one match mapping that several
# rules' `unless` / `requires` name with `condition: NAME`, so it is written once.
CONDITIONS_DIR = "conditions"
_CONDITION_META = {"condition", "description", "source"}
# Regular expressions known to compile. Compiling every rule's patterns with the
# `regex` module takes most of the time of loading the rules, so patterns checked
# before are remembered (cache.py keeps them between runs).
VALID_PATTERNS: set[str] = set()
# What those checks compiled, by (pattern, flags): the one store of compiled rule
# regexes, which the engine reads and adds to. The `regex` module's own cache keeps
# only 500 patterns and the rules now have more, so without this many were compiled a
# second time when the engine first ran them.
COMPILED: dict[tuple[str, int], Any] = {}


@dataclass(frozen=True)
class MatchSpec:
    kind: str
    value: Any
    attr: str = "LOWER"  # phrases: which token attribute to compare
    ignore_case: bool = False  # regex
    span: Any = None  # dependency/tokens: which part of the match to report
    scope: str = "sentence"  # unless/requires: where the pattern must occur
    path: tuple = ()  # where in the rule file this spec sits, for error messages

    @property
    def needs_nlp(self) -> bool:
        return self.kind in NLP_KINDS


@dataclass(frozen=True)
class Example:
    text: str
    profile: str | None = None
    # Fields a template may use, for rules that check them (TAG104).
    known_variables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    message: str
    why: str
    source: str | None
    profiles: tuple[str, ...]
    zones: tuple[str, ...]
    confidence: str
    match: MatchSpec
    unless: tuple[MatchSpec, ...]
    requires: tuple[MatchSpec, ...]
    suggest: tuple[str, ...]
    fix: dict | None
    flag_examples: tuple[Example, ...]
    pass_examples: tuple[Example, ...]
    path: str
    located: LocatedYAML | None = field(default=None, compare=False, repr=False)

    @property
    def needs_nlp(self) -> bool:
        specs = (self.match, *self.unless, *self.requires)
        if any(s.needs_nlp for s in specs):
            return True
        if self.match.kind == "metric":
            from .metrics import metric_needs_doc

            return metric_needs_doc(self.match.value["name"])
        return False

    def line_of(self, path: tuple) -> int | None:
        return self.located.line(path) if self.located else None

    @property
    def regex_patterns(self) -> tuple[str, ...]:
        """Every regex in the rule's match, requires and unless specs: what the engine's
        literal index is built from (and what prebuilt.py ships literals for)."""
        return tuple(p for s in (self.match, *self.requires, *self.unless) if s.kind == "regex" for p in s.value)


class _Checker:
    """Validates one rule file's data and raises RuleError with file, line and field."""

    def __init__(self, path: str, doc: LocatedYAML, conditions: dict[str, MatchSpec] | None = None):
        self.path = path
        self.doc = doc
        self.conditions = conditions or {}

    def fail(self, path: tuple, message: str) -> None:
        field_name = ".".join(str(p) for p in path) if path else None
        raise RuleError(self.path, message, line=self.doc.line(path), field=field_name)

    def string(self, data: dict, key: str, required: bool = True, one_line: bool = False) -> str | None:
        if key not in data or data[key] is None:
            if required:
                self.fail((key,), "is required")
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.fail((key,), f"must be a non-empty string, not {type(value).__name__}")
        if one_line and "\n" in value.strip():
            self.fail((key,), "must be a single line")
        return value.strip()

    def choice(self, data: dict, key: str, choices: tuple, default: str | None = None) -> str:
        if key not in data:
            if default is None:
                self.fail((key,), f"is required (one of: {', '.join(choices)})")
            return default  # type: ignore[return-value]
        value = data[key]
        if value not in choices:
            self.fail((key,), f"must be one of {', '.join(choices)}; got {value!r}")
        return value

    def str_list(self, data: dict, key: str, choices: tuple | None, default: tuple) -> tuple[str, ...]:
        if key not in data:
            return default
        value = data[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.fail((key,), "must be a non-empty list of strings")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.fail((key, i), f"must be a string, not {type(item).__name__}")
            if choices is not None and item not in choices:
                self.fail((key, i), f"must be one of {', '.join(choices)}; got {item!r}")
        return tuple(value)

    def match_spec(self, data: Any, path: tuple, allow_scope: bool) -> MatchSpec:
        if not isinstance(data, dict):
            self.fail(path, f"must be a mapping with one of: {', '.join(MATCH_KINDS)}")
        if "condition" in data:
            if not allow_scope:
                self.fail(path + ("condition",), "a shared condition is only allowed in 'unless' and 'requires'")
            return self.condition_ref(data, path)
        kinds = [k for k in data if k in MATCH_KINDS]
        unknown = [k for k in data if k not in MATCH_KINDS and k not in _MATCH_OPTIONS]
        if unknown:
            self.fail(path + (unknown[0],), f"unknown key; expected one of {', '.join(MATCH_KINDS + tuple(sorted(_MATCH_OPTIONS)))}")
        if len(kinds) != 1:
            self.fail(path, f"needs exactly one match kind ({', '.join(MATCH_KINDS)}); found {len(kinds)}")
        kind = kinds[0]
        value = data[kind]
        vpath = path + (kind,)
        if kind == "phrases":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                self.fail(vpath, "must be a non-empty list of non-empty strings")
        elif kind in ("tokens", "dependency"):
            if not isinstance(value, list) or not value:
                self.fail(vpath, "must be a non-empty list of patterns")
            if all(isinstance(v, dict) for v in value):
                value = [value]  # a single pattern given without the outer list
            for i, pat in enumerate(value):
                if not isinstance(pat, list) or not pat or not all(isinstance(t, dict) for t in pat):
                    self.fail(vpath + (i,), "each pattern must be a non-empty list of token mappings")
        elif kind == "regex":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
                self.fail(vpath, "must be a pattern string or a list of them")
            for i, pat in enumerate(value):
                if pat in VALID_PATTERNS:
                    continue
                if "\b" in pat:
                    # YAML reads "\b" in a double-quoted string as a backspace, so the
                    # word boundary the author meant silently never matches.
                    self.fail(
                        vpath + (i,) if len(value) > 1 else vpath,
                        "holds a backspace character: in a double-quoted YAML string write a word boundary "
                        "as \\\\b (or quote the pattern with single quotes, where \\b is literal)",
                    )
                import regex as _regex

                try:
                    # With the flags the engine will run it with, so that it can use
                    # this compile (COMPILED).
                    flags = _regex.IGNORECASE if data.get("ignore_case") is True else 0
                    COMPILED[(pat, flags)] = _regex.compile(pat, flags)
                except _regex.error as exc:
                    self.fail(vpath + (i,) if len(value) > 1 else vpath, f"invalid regular expression: {exc}")
                VALID_PATTERNS.add(pat)
        elif kind == "metric":
            if not isinstance(value, dict) or "name" not in value:
                self.fail(vpath, "must be a mapping with a 'name'")
            from .metrics import METRICS

            if not isinstance(value["name"], str) or value["name"] not in METRICS:
                self.fail(vpath + ("name",), f"unknown metric {value['name']!r}; known: {', '.join(sorted(METRICS))}")
            allowed = METRICS[value["name"]].PARAMS
            for key, param in value.items():
                if key == "name":
                    continue
                if key not in allowed:
                    self.fail(vpath + (key,), f"unknown parameter for metric {value['name']}; known: {', '.join(sorted(allowed))}")
                if not isinstance(param, (int, float)) or isinstance(param, bool) or not 0 < param < float("inf"):
                    self.fail(vpath + (key,), "must be a positive number")
        elif kind == "merge_tags":
            from .mergetags import REPORTS

            from .mergetags import SYNTAX_NAMES

            if not isinstance(value, dict) or value.get("report") not in REPORTS:
                self.fail(vpath, f"must be a mapping with 'report' set to one of: {', '.join(REPORTS)}")
            extra = set(value) - {"report", "syntaxes"}
            if extra:
                self.fail(vpath + (sorted(extra, key=str)[0],), "unknown key; merge_tags takes 'report' and 'syntaxes'")
            syntaxes = value.get("syntaxes")
            if syntaxes is not None:
                if not isinstance(syntaxes, list) or not syntaxes:
                    self.fail(vpath + ("syntaxes",), "must be a non-empty list")
                for i, name in enumerate(syntaxes):
                    if name not in SYNTAX_NAMES:
                        self.fail(vpath + ("syntaxes", i), f"unknown syntax {name!r}; known: {', '.join(SYNTAX_NAMES)}")
        elif kind == "classifier":
            from .classifier import LABELS

            if not isinstance(value, dict) or value.get("label") not in LABELS:
                self.fail(vpath, f"must be a mapping with 'label' set to one of: {', '.join(LABELS)}")
            extra = set(value) - {"label", "threshold"}
            if extra:
                self.fail(vpath + (sorted(extra)[0],), "unknown key; classifier takes 'label' and 'threshold'")
            threshold = value.get("threshold", 0.5)
            if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold < 1:
                self.fail(vpath + ("threshold",), "must be a number between 0 and 1")
            if path != ("match",):
                self.fail(vpath, "is only allowed in 'match'")
        attr = data.get("attr", "LOWER")
        if attr not in ("LOWER", "LEMMA", "ORTH", "NORM"):
            self.fail(path + ("attr",), "must be LOWER, LEMMA, ORTH or NORM")
        ignore_case = data.get("ignore_case", False)
        if not isinstance(ignore_case, bool):
            self.fail(path + ("ignore_case",), "must be true or false")
        scope = data.get("scope", "sentence")
        if "scope" in data and not allow_scope:
            self.fail(path + ("scope",), "is only allowed in 'unless' and 'requires'")
        if scope not in SCOPES:
            self.fail(path + ("scope",), f"must be one of {', '.join(SCOPES)}")
        span = data.get("span")
        if span is not None:
            ok = span == "sentence" or (
                isinstance(span, list) and len(span) == 2 and all(isinstance(s, (str, int)) for s in span)
            )
            if kind not in ("tokens", "dependency", "phrases"):
                self.fail(path + ("span",), f"is not used by '{kind}' (only tokens, dependency and phrases); report the sentence with a wider pattern instead")
            if not ok:
                self.fail(path + ("span",), "must be 'sentence' or a [first, last] pair of node names (dependency) or token indexes (tokens)")
        return MatchSpec(kind=kind, value=value, attr=attr, ignore_case=ignore_case, span=span, scope=scope, path=vpath)

    def condition_ref(self, data: dict, path: tuple) -> MatchSpec:
        """`{condition: NAME, scope: ...}`: a shared condition, with this rule's scope."""
        extra = sorted(set(data) - {"condition", "scope"}, key=str)
        if extra:
            self.fail(path + (extra[0],), "unknown key; a shared condition takes only 'condition' and 'scope'")
        name = data["condition"]
        shared = self.conditions.get(name) if isinstance(name, str) else None
        if shared is None:
            known = ", ".join(sorted(self.conditions)) or "none loaded"
            self.fail(path + ("condition",), f"unknown condition {name!r} (known: {known}); shared conditions are YAML files in a rules folder's {CONDITIONS_DIR}/ subfolder")
        scope = data.get("scope", "sentence")
        if scope not in SCOPES:
            self.fail(path + ("scope",), f"must be one of {', '.join(SCOPES)}")
        return replace(shared, span=None, scope=scope, path=path)

    def condition(self) -> tuple[str, MatchSpec]:
        data = self.doc.data
        if not isinstance(data, dict):
            self.fail((), "a condition file must be a YAML mapping (condition, description, and one match kind)")
        name = self.string(data, "condition")
        assert name is not None
        if "scope" in data:
            self.fail(("scope",), "is chosen by each rule that uses the condition, not by the condition")
        spec = {k: v for k, v in data.items() if k not in _CONDITION_META}
        return name, self.match_spec(spec, (), allow_scope=False)

    def spec_list(self, data: dict, key: str) -> tuple[MatchSpec, ...]:
        if key not in data or data[key] is None:
            return ()
        value = data[key]
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            self.fail((key,), "must be a list of match mappings")
        return tuple(self.match_spec(v, (key, i), allow_scope=True) for i, v in enumerate(value))

    def examples(self, data: dict) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
        ex = data.get("examples")
        if not isinstance(ex, dict):
            self.fail(("examples",), "is required: a mapping with 'flag' and 'pass' lists")
        extra = set(ex) - {"flag", "pass"}
        if extra:
            self.fail(("examples", sorted(extra, key=str)[0]), "unknown key; expected 'flag' and 'pass'")
        out = []
        for key in ("flag", "pass"):
            items = ex.get(key)
            if not isinstance(items, list) or not items:
                self.fail(("examples", key), "must be a non-empty list: every rule shows text it flags and text it passes")
            parsed = []
            for i, item in enumerate(items):
                if isinstance(item, str) and item.strip():
                    parsed.append(Example(item))
                elif isinstance(item, dict) and isinstance(item.get("text"), str):
                    profile = item.get("profile")
                    if profile is not None and profile not in PROFILES:
                        self.fail(("examples", key, i, "profile"), f"must be one of {', '.join(PROFILES)}")
                    if set(item) - {"text", "profile", "known_variables"}:
                        self.fail(("examples", key, i), "example mappings take only 'text', 'profile' and 'known_variables'")
                    known = item.get("known_variables", [])
                    if not isinstance(known, list) or not all(isinstance(k, str) for k in known):
                        self.fail(("examples", key, i, "known_variables"), "must be a list of field names")
                    parsed.append(Example(item["text"], profile, tuple(known)))
                else:
                    self.fail(("examples", key, i), "must be a string or a mapping with 'text'")
            out.append(tuple(parsed))
        return out[0], out[1]

    def rule(self) -> Rule:
        data = self.doc.data
        if not isinstance(data, dict):
            self.fail((), "a rule file must be a YAML mapping (id, category, severity, message, ...)")
        unknown = sorted(set(data) - _TOP_KEYS, key=str)
        if unknown:
            self.fail((unknown[0],), f"unknown field; rule fields are: {', '.join(sorted(_TOP_KEYS))}")
        rule_id = self.string(data, "id")
        assert rule_id is not None
        if not ID_RE.match(rule_id):
            self.fail(("id",), f"{rule_id!r} is not a rule id (letters then three digits, e.g. BLAME001)")
        category = self.choice(data, "category", CATEGORIES)
        severity = self.choice(data, "severity", SEVERITIES)
        message = self.string(data, "message", one_line=True)
        why = self.string(data, "why")
        source = None
        if "source" not in data:
            self.fail(("source",), "is required: the guidance file this rule comes from (or null)")
        if data["source"] is not None:
            source = self.string(data, "source")
        profiles = self.str_list(data, "profiles", PROFILES, PROFILES)
        zones = self.str_list(data, "zones", ZONES, READ_ZONES)
        confidence = self.choice(data, "confidence", CONFIDENCES, "high")
        if "match" not in data:
            self.fail(("match",), "is required")
        match = self.match_spec(data["match"], ("match",), allow_scope=False)
        unless = self.spec_list(data, "unless")
        requires = self.spec_list(data, "requires")
        suggest = self.str_list(data, "suggest", None, ())
        if not suggest:
            self.fail(("suggest",), "is required: every finding must say what to write instead")
        fix = data.get("fix")
        if fix is not None:
            if not isinstance(fix, dict) or not isinstance(fix.get("replace"), str):
                self.fail(("fix",), "must be null or a mapping with 'replace' (the replacement text) and optional 'safe'")
            if set(fix) - {"replace", "safe"}:
                self.fail(("fix",), "takes only 'replace' and 'safe'")
            if not isinstance(fix.get("safe", True), bool):
                self.fail(("fix", "safe"), "must be true or false")
        flag, passing = self.examples(data)
        return Rule(
            id=rule_id, category=category, severity=severity, message=message or "", why=why or "",
            source=source, profiles=profiles, zones=zones, confidence=confidence, match=match,
            unless=unless, requires=requires, suggest=suggest, fix=fix, flag_examples=flag,
            pass_examples=passing, path=self.path, located=self.doc,
        )


def _load_yaml(path: str) -> LocatedYAML:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RuleError(path, "is not UTF-8 text") from None
    except OSError as exc:
        raise RuleError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        doc = load_located(text)
    except YAMLSyntaxError as exc:
        raise RuleError(path, str(exc), line=exc.line) from None
    return doc


def load_rule_file(path: str | os.PathLike, conditions: dict[str, MatchSpec] | None = None) -> Rule:
    """One rule file; `conditions` are the shared conditions its `unless` and
    `requires` may name (see load_conditions; by default the built-in ones)."""
    path = str(path)
    if conditions is None:
        conditions = load_conditions([builtin_rules_dir()])
    return _Checker(path, _load_yaml(path), conditions).rule()


def load_conditions(directories: list[Path]) -> dict[str, MatchSpec]:
    """The shared conditions in each folder's conditions/ subfolder, by name."""
    out: dict[str, MatchSpec] = {}
    seen: dict[str, str] = {}
    for d in directories:
        for f in condition_files(d):
            checker = _Checker(str(f), _load_yaml(str(f)))
            name, spec = checker.condition()
            if name in seen:
                checker.fail(("condition",), f"condition {name!r} is already defined in {seen[name]}")
            seen[name] = str(f)
            out[name] = spec
    return out


def builtin_rules_dir() -> Path:
    """rules/ as shipped in the wheel (breaklint/_rules) or in a source checkout."""
    here = Path(__file__).resolve().parent
    shipped = here / "_rules"
    if shipped.is_dir():
        return shipped
    return here.parent.parent / "rules"


def condition_files(directory: str | os.PathLike) -> list[Path]:
    """The shared condition files in a rules folder's conditions/ subfolder, if any."""
    folder = Path(directory) / CONDITIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def rule_dirs(extra_dirs: list[str] | tuple[str, ...] = (), include_builtin: bool = True) -> list[Path]:
    """The folders load_rules reads, in order: the built-in rules, then the user's."""
    return [*([builtin_rules_dir()] if include_builtin else []), *(Path(d) for d in extra_dirs)]


def rule_files(directory: str | os.PathLike) -> list[Path]:
    root = Path(directory)
    if not root.is_dir():
        raise RuleError(str(root), "rule folder does not exist")
    return sorted(
        p for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file() and p.relative_to(root).parts[0] != CONDITIONS_DIR
    )


def load_rules(extra_dirs: list[str] | tuple[str, ...] = (), include_builtin: bool = True) -> list[Rule]:
    """Every rule, built-in first, then the user's folders. Duplicate ids are an error."""
    dirs = rule_dirs(extra_dirs, include_builtin)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    # Any rule may use any folder's conditions (a user's rule may name a built-in one).
    conditions = load_conditions(dirs)
    for d in dirs:
        for f in rule_files(d):
            rule = load_rule_file(f, conditions)
            if rule.id in seen:
                raise RuleError(str(f), f"rule id {rule.id} is already defined in {seen[rule.id]}", line=rule.line_of(("id",)), field="id")
            seen[rule.id] = str(f)
            rules.append(rule)
    return rules
