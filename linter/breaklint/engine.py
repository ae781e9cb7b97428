"""Apply compiled rules to drafts: read -> parse -> rules -> findings."""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .analysis import Analysis
from .analysis import build as build_analysis
from .draft import Draft
from .errors import ConfigError, InputError, RuleError
from .finding import CATEGORIES, SEVERITY_RANK, Finding, Fix
from .matchers import NlpMatchers, SpecHit, spec_key
from . import suppressions
from .globs import first_match, matches
from .mergetags import FAMILIES, malformed, mixed, scan, unknown, variable, without_fallback
from .metrics import METRICS
from .nlp import DEFAULT_MODEL
from .readers import DEFAULT_MAX_BYTES, iter_paths, read_draft, read_source_text
from .ruleset import COMPILED, DEFAULT_PROFILE, PROFILES, MatchSpec, Rule, load_rules


@dataclass(frozen=True)
class Options:
    """Everything that changes what a run reports. Built from defaults, the config
    file and command-line flags (see config.py)."""

    profile: str = DEFAULT_PROFILE
    model: str = DEFAULT_MODEL
    wpm: float | None = None  # None: the rule's own setting (238 wpm, 25 s by default)
    max_seconds: float | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (rule id or category, severity)
    rules_dirs: tuple[str, ...] = ()
    regex_timeout: float = 1.0
    max_file_bytes: int = DEFAULT_MAX_BYTES
    # Longer text is not given to spaCy (which refuses 1,000,000 characters and needs
    # about 3 GB of memory per million): such a draft gets the checks that need no
    # parse (merge tags, length, regexes) and a warning.
    max_parse_chars: int = 100_000
    batch_size: int = 32
    # Merge fields a template may use (template mode); empty means "not checked".
    known_variables: tuple[str, ...] = ()
    # Path patterns (see globs.py), relative to base_dir (the config file's folder).
    path_profiles: tuple[tuple[str, str], ...] = ()  # (pattern, profile), first match wins
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (pattern, rule ids/categories)
    base_dir: str | None = None


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # the file could not be checked
    skipped: bool = False  # not a draft (binary, empty, too large): a warning, not a failure
    explicit: bool = True  # named on the command line rather than found in a folder
    source_text: str | None = field(default=None, repr=False)  # for excerpts in reports
    encoding: str = "utf-8"
    fixable: bool = False  # fixes map onto the file's own text (plain-text drafts)


_FIELD = re.compile(r"\{(\w+)(?::([^{}]+))?\}")


def fill(template: str, values: dict[str, Any]) -> str:
    """Fill {name} / {name:.0f} placeholders that have values; leave other braces."""

    def sub(m: re.Match[str]) -> str:
        name, spec = m.group(1), m.group(2)
        if name not in values:
            return m.group(0)
        try:
            return format(values[name], spec or "")
        except (ValueError, TypeError):
            return str(values[name])

    return _FIELD.sub(sub, template)


def _resolve_ids(names: Iterable[str], rules: list[Rule], what: str) -> set[str]:
    ids = {r.id for r in rules}
    out: set[str] = set()
    for name in names:
        if name in CATEGORIES:
            out.update(r.id for r in rules if r.category == name)
        elif name.upper() in ids:
            out.add(name.upper())
        else:
            close = difflib.get_close_matches(name.upper(), sorted(ids) + list(CATEGORIES), n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else " Run 'breaklint rules' for the list."
            raise ConfigError(f"unknown rule id or category in {what}: {name!r}.{hint}", key=what)
    return out


class Linter:
    """Compiles a rule set once and lints any number of drafts with it."""

    def __init__(self, rules: list[Rule] | None = None, options: Options | None = None, prefilter: bool = True, partial: bool = True):
        self.options = options or Options()
        # Parse only drafts a grammar rule could match (see prefilter.py), and of
        # those only the segments it could match in (see partialparse.py).
        self.prefilter = prefilter
        self.partial = partial
        if self.options.profile not in PROFILES:
            raise ConfigError(f"unknown profile {self.options.profile!r}; choose one of {', '.join(PROFILES)}", key="profile")
        self.rules = rules if rules is not None else load_rules(self.options.rules_dirs)
        selected = _resolve_ids(self.options.select, self.rules, "select") if self.options.select else None
        ignored = _resolve_ids(self.options.ignore, self.rules, "ignore")
        self._severity: dict[str, str] = {}
        for key, sev in self.options.severity:
            for rid in _resolve_ids([key], self.rules, "severity"):
                self._severity[rid] = sev
        for _, profile in self.options.path_profiles:
            if profile not in PROFILES:
                raise ConfigError(f"unknown profile {profile!r} in path_profiles; choose one of {', '.join(PROFILES)}", key="path_profiles")
        self._selected, self._ignored = selected, ignored
        self._active: dict[str, list[Rule]] = {}
        self.active = self.active_for(self.options.profile)
        in_use = {self.options.profile, *(p for _, p in self.options.path_profiles)}
        self.nlp_rules = [r for r in self.rules if r.needs_nlp and any(r in self.active_for(p) for p in in_use)]
        self._file_ignores = [
            (pattern, _resolve_ids(ids, self.rules, f"per_file_ignores[{pattern!r}]"))
            for pattern, ids in self.options.per_file_ignores
        ]
        self._rule_ids = {r.id for r in self.rules}
        self._model_rules = frozenset(r.id for r in self.rules if r.match.kind == "classifier")
        self._nlp: Any = None
        self._matchers: NlpMatchers | None = None
        self._prefilter: Any = None
        self._literals: Any = None  # regexscreen.LiteralIndex of the rules' patterns
        self._screens: dict[int, tuple[MatchSpec, Any, Any]] = {}  # see _screen
        self._cache_folder: Any = None  # the findings cache's folder, once lint_paths is given one
        self._tone_memo: dict[str, Any] = {}  # sentence -> tone scores (classifier.score_sentences)
        self.parsed_drafts = 0  # how many drafts went through the tagger and parser
        self.parsed_tokens = 0  # how many tokens did (context included)
        self._context: tuple[int, int] | None = None  # partialparse.context_tokens

    def active_for(self, profile: str) -> list[Rule]:
        """The rules that run on drafts checked under `profile`."""
        if profile not in self._active:
            self._active[profile] = [
                r
                for r in self.rules
                if profile in r.profiles
                and (self._selected is None or r.id in self._selected)
                and r.id not in self._ignored
            ]
        return self._active[profile]

    def profile_for(self, path: str) -> str:
        """The profile for a file: the first matching path_profiles pattern, else the
        run's profile."""
        if path != "-" and self.options.path_profiles:
            hit = first_match(path, self.options.path_profiles, self.options.base_dir)
            if hit:
                return hit[1]
        return self.options.profile

    def excluded(self, path: str) -> bool:
        return path != "-" and any(matches(path, p, self.options.base_dir) for p in self.options.exclude)

    def rules_for(self, path: str) -> set[str]:
        """The ids of the rules that run on `path`: its profile's rules less its
        per-file ignores."""
        return {r.id for r in self.active_for(self.profile_for(path))} - self._ignored_in(path)

    def _ignored_in(self, path: str) -> set[str]:
        out: set[str] = set()
        for pattern, ids in self._file_ignores:
            if matches(path, pattern, self.options.base_dir):
                out |= ids
        return out

    def _literal_index(self) -> Any:
        if self._literals is None:
            from .regexscreen import KNOWN, LiteralIndex

            folder = self._cache_folder
            if folder is not None:  # what an earlier run worked out (cache.py)
                from .cache import remember_literals, save_literals

                remember_literals(folder)
            known = len(KNOWN)
            patterns = [p for r in self.rules for p in r.regex_patterns]
            if any(p not in KNOWN for p in patterns):
                # What the package ships for the built-in patterns (prebuilt.py), if it
                # fits this install. Counted as new, so the cache folder gets them and
                # later runs need not read the shipped file.
                from .prebuilt import seed_literals

                seed_literals()
            self._literals = LiteralIndex(patterns)
            if folder is not None and len(KNOWN) > known:
                save_literals(folder)
        return self._literals

    def _screen(self, spec: MatchSpec) -> tuple[tuple[tuple[str, Any], ...], frozenset[str] | None]:
        """A regex spec's patterns, each with the literals one of which a text must hold
        for it to match (None: it cannot be screened, run it), as the literal index
        has them; and every literal of the spec when each pattern can be screened
        (None otherwise), so that a text holding none rules the spec out in one
        step. Worked out once per spec."""
        index = self._literal_index()
        entry = self._screens.get(id(spec))
        if entry is None or entry[0] is not spec or entry[1] is not index:
            pairs = tuple((p, index.literals.get(p)) for p in spec.value)
            every = None if any(lits is None for _, lits in pairs) else frozenset().union(*(lits for _, lits in pairs))
            entry = self._screens[id(spec)] = (spec, index, (pairs, every))
        return entry[2]

    # -- parsing ---------------------------------------------------------------
    @property
    def needs_nlp(self) -> bool:
        return bool(self.nlp_rules)

    def _pipeline(self) -> Any:
        if self._nlp is None:
            from .nlp import load_pipeline

            self._nlp = load_pipeline(self.options.model)
            self._matchers = NlpMatchers(self._nlp, self.nlp_rules)
            if self.prefilter:
                from .prefilter import Prefilter

                self._prefilter = Prefilter(self._nlp, self.rules)
                if self.partial:
                    from .partialparse import context_tokens

                    self._context = context_tokens(self._nlp)
            _settle(("pipeline", self.options.model))
        return self._nlp

    def _parse_zones(self) -> tuple[str, ...]:
        zones: set[str] = set()
        for r in self.nlp_rules:
            zones.update(r.zones)
        return tuple(sorted(zones))

    # -- public entry points ---------------------------------------------------
    def lint_draft(self, draft: Draft) -> list[Finding]:
        return next(self.lint_drafts([draft]))[1]

    def lint_text(self, text: str, path: str = "<text>") -> list[Finding]:
        from .readers import draft_from_text

        return self.lint_draft(draft_from_text(text, path))

    def lint_drafts(self, drafts: Iterable[Draft]) -> Iterator[tuple[Draft, list[Finding]]]:
        if not self.needs_nlp:
            for d in drafts:
                yield d, self._check(d, None)
            return
        drafts = iter(drafts)
        first = next(drafts, None)
        if first is None:
            return  # nothing to check: do not load the pipeline
        nlp = self._pipeline()
        # What the rules load on first use (the tone model, the literal index) is
        # loaded now, so that it too is settled (see _settle) before the drafts.
        self._warm_up()
        zones = self._parse_zones()
        # Every draft waits in `queue` with the number of Docs it sends through the
        # pipeline (0: none, 1: the whole draft, or one per chunk of a partial parse),
        # so results come out in input order.
        queue: deque[tuple[Draft, int]] = deque()
        limit = self.options.max_parse_chars

        def feed() -> Iterator[tuple[Any, tuple[Analysis, Any]]]:
            from .partialparse import chunks

            for d in itertools.chain([first], drafts):
                a = analysis_for(d, zones)
                if len(a.text) > limit:
                    d.warnings.append(
                        f"{len(a.text):,} characters of text, over the {limit:,}-character limit for parsing; "
                        "only merge tags, length and regex rules were checked"
                    )
                    queue.append((d, 0))
                    continue
                if self._prefilter is None:
                    queue.append((d, 1))
                    yield a.text, (a, None)
                    continue
                toks = self._prefilter.tokens(a.text)
                plan = self._parse_plan(d, toks, a)
                if plan is False:
                    queue.append((d, 0))
                    continue
                a.live = self._live_specs(toks)
                if plan is True:
                    queue.append((d, 1))
                    yield toks.doc, (a, None)
                    continue
                parts = chunks(toks.starts, len(toks.doc), plan, *self._context)
                queue.append((d, len(parts)))
                for c, live in zip(parts, self._live_in_chunks(toks, a.live, parts)):
                    yield toks.doc[c.start : c.end].as_doc(), (a, (c, toks.doc[c.start].idx, live))

        def unparsed() -> Iterator[tuple[Draft, list[Finding]]]:
            while queue and queue[0][1] == 0:
                d = queue.popleft()[0]
                yield d, self._check(d, None)

        partial: Any = None
        got = 0
        for doc, (a, where) in nlp.pipe(feed(), as_tuples=True, batch_size=self.options.batch_size):
            yield from unparsed()
            if where is None:
                queue.popleft()
                self.parsed_drafts += 1
                self.parsed_tokens += len(doc)
                yield a.draft, self._check(a.draft, doc, a)
                continue
            from .partialparse import PartialParse

            if got == 0:
                partial = PartialParse()
            chunk, offset, live = where
            assert self._matchers is not None
            found = self._matchers.run(doc, live, (chunk.unit_start - chunk.start, chunk.unit_end - chunk.start))
            partial.add(doc, chunk, offset, found)
            got += 1
            if got == queue[0][1]:
                queue.popleft()
                got = 0
                self.parsed_drafts += 1
                self.parsed_tokens += partial.tokens
                yield a.draft, self._check(a.draft, None, a, partial)
        yield from unparsed()

    def _live_specs(self, toks: Any) -> set[str]:
        """Keys of the grammar specs that could match a draft (the others are not run)."""
        from .matchers import rule_specs

        return {
            spec_key(rule, role, i)
            for rule in self.nlp_rules
            for role, i, spec in rule_specs(rule)
            if spec.needs_nlp and self._prefilter.can_match(spec, toks)
        }

    def _live_in_chunks(self, toks: Any, live: set[str], parts: list[Any]) -> list[set[str]]:
        """For each chunk, the live specs that could match inside its unit: a
        dependency match lies inside one of its spec's segments, so a DependencyMatcher
        (whose every call costs) runs only on the chunks that hold one."""
        from .matchers import rule_specs

        segments: dict[str, set[int] | None] = {}
        for rule in self.nlp_rules:
            for role, i, spec in rule_specs(rule):
                key = spec_key(rule, role, i)
                if key in live:
                    segments[key] = self._prefilter.spec_segments(spec, toks) if spec.kind == "dependency" else None
        out = []
        for c in parts:
            first = bisect.bisect_right(toks.starts, c.unit_start) - 1
            last = bisect.bisect_right(toks.starts, c.unit_end - 1) - 1
            inside = set(range(first, last + 1))
            out.append({k for k in live if segments.get(k) is None or not segments[k].isdisjoint(inside)})
        return out

    def _parse_plan(self, draft: Draft, toks: Any, analysis: Analysis) -> Any:
        """What of `draft` the tagger and parser must see: False (nothing), True (all
        of it) or the numbers of the pre-pass's segments that the rules' findings can
        depend on (see partialparse.py)."""
        ctx = _Context(draft, None, None, self)
        wanted: set[int] = set()
        for rule in self.active_for(draft.profile or self.options.profile):
            def spec_hits(role: str, i: int, spec: MatchSpec, rule: Rule = rule) -> list[SpecHit]:
                kept = len(draft.warnings)
                hits = ctx.hits(rule, role, i, spec, {})
                del draft.warnings[kept:]  # the real check reports them again
                return hits

            if not self._prefilter.rule_needs_parse(rule, toks, lambda: spec_hits("match", 0, rule.match), spec_hits):
                continue
            if self._context is None:
                return True
            segments = self._prefilter.rule_segments(
                rule, toks, lambda: _hit_segments(spec_hits("match", 0, rule.match), analysis, toks)
            )
            if segments is None:
                return True
            wanted |= segments
        return wanted or False  # none: the rules that need a parse can match nowhere

    def lint_paths(self, paths: list[str], stdin_name: str | None = None, cache: Any = None, jobs: int = 1) -> Iterator[FileResult]:
        """Lint files and folders, in order, streaming results. Unreadable files become
        FileResults with an error instead of stopping the run. `stdin_name` is the file
        name whose extension says how to read "-". With a FindingsCache (cache.py),
        unchanged files are answered from it; `jobs` > 1 lints big runs in that many
        processes."""
        explicit = set(paths)
        if cache is not None:
            self._cache_folder = getattr(cache, "folder", None)
        files = [p for p in iter_paths(paths) if not self.excluded(p)]
        keys: list[str | None] = [None] * len(files)
        cached: dict[int, dict[str, Any]] = {}
        if cache is not None:
            for i, p in enumerate(files):
                content = _content(p, self.options.max_file_bytes)
                if content is not None:
                    keys[i] = cache.key(p, content)
                    entry = cache.get(keys[i])
                    if entry is not None:
                        cached[i] = entry
        fresh = self._lint_files([p for i, p in enumerate(files) if i not in cached], explicit, stdin_name, jobs)
        for i, p in enumerate(files):
            if i in cached:
                res = self._from_cache(p, cached[i], explicit)
                if res is not None:
                    yield res
                    continue
                res = next(self._lint_files([p], explicit, stdin_name, 1))
            else:
                res = next(fresh)
            if keys[i] is not None and res.error is None and not res.skipped:
                cache.put(keys[i], res.findings, res.warnings, res.encoding, res.fixable)
            yield res

    def _from_cache(self, path: str, entry: dict[str, Any], explicit: set[str]) -> FileResult | None:
        """A FileResult from a cache entry, with the file's text for reports and fixes
        (None if the file can no longer be read: it is linted again instead)."""
        try:
            source_text = read_source_text(path, self.options.max_file_bytes)
        except InputError:
            return None
        return FileResult(
            path, findings=entry["findings"], warnings=entry["warnings"], explicit=path in explicit,
            source_text=source_text, encoding=entry["encoding"], fixable=entry["fixable"],
        )

    def _lint_files(self, files: list[str], explicit: set[str], stdin_name: str | None, jobs: int) -> Iterator[FileResult]:
        """One FileResult per file, in order."""
        if jobs > 1 and len(files) >= PARALLEL_MIN_FILES * jobs and "-" not in files and _can_fork():
            yield from self._lint_parallel(files, explicit, stdin_name, jobs)
            return
        pending: list[FileResult] = []

        def drafts() -> Iterator[Draft]:
            for p in files:
                res = FileResult("<stdin>" if p == "-" else p, explicit=p in explicit)
                try:
                    d = read_draft(p, self.options.max_file_bytes, name=stdin_name if p == "-" else None, regular_only=not res.explicit)
                except InputError as exc:
                    # A file named on the command line that cannot be read is an error;
                    # one found in a folder (a dangling link, no permission) is skipped
                    # with a warning, like binary, empty and oversized files.
                    unreadable = "no such file" in exc.detail or "cannot read" in exc.detail or "is a directory" in exc.detail
                    if unreadable and res.explicit:
                        res.error = str(exc)
                    else:
                        res.skipped = True
                        res.warnings.append(exc.detail)
                    pending.append(res)
                    continue
                res.warnings.extend(d.warnings)
                d.profile = self.profile_for(p)
                pending.append(res)
                yield d

        for d, found in self.lint_drafts(drafts()):
            # Results for files that produced no draft come out in their place.
            while pending and pending[0].path != d.path:
                yield pending.pop(0)
            res = pending.pop(0)
            found, unused = self._filter(d, found)
            res.warnings.extend(unused)
            res.findings = found
            res.source_text = d.source_text
            res.encoding = d.encoding
            res.fixable = d.source_offsets is None
            res.warnings.extend(w for w in d.warnings if w not in res.warnings)
            yield res
        yield from pending

    def _warm_up(self) -> None:
        """Load what the rules in use load on first use: the tone model, textstat
        (reading time; importing it costs more than half a second) and the regex
        literal index (and settle them, see _settle)."""
        in_use = {self.options.profile, *(p for _, p in self.options.path_profiles)}
        specs = [s for p in in_use for r in self.active_for(p) for s in (r.match, *r.requires, *r.unless)]
        tone = any(s.kind == "classifier" for s in specs)
        if tone:
            from .classifier import load_model

            load_model()
        if any(s.kind == "metric" and s.value.get("name") == "reading_time" for s in specs):
            import textstat  # noqa: F401
        if any(s.kind == "regex" for s in specs):
            self._literal_index()
        if tone:
            _settle(("tone model",))

    def _lint_parallel(self, files: list[str], explicit: set[str], stdin_name: str | None, jobs: int) -> Iterator[FileResult]:
        """Lint chunks of files in `jobs` forked processes. The pipeline and what else
        the rules load on first use are loaded first, so the workers share them
        instead of each loading their own; imap keeps the input order."""
        import multiprocessing

        global _WORKER
        if self.needs_nlp:
            self._pipeline()
        self._warm_up()
        _WORKER = (self, explicit, stdin_name)
        chunks = [files[i : i + PARALLEL_CHUNK] for i in range(0, len(files), PARALLEL_CHUNK)]
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for results in pool.imap(_lint_chunk, chunks):
                    yield from results
        finally:
            _WORKER = None

    def _filter(self, d: Draft, found: list[Finding]) -> tuple[list[Finding], list[str]]:
        """Drop per-file ignores and suppressed findings; warn about unused suppressions."""
        ignored = self._ignored_in(d.path) if self._file_ignores else set()
        found = [f for f in found if f.rule not in ignored]
        unused: list[str] = []
        if d.comments:
            directives = suppressions.parse(d.comments, d.source_text or d.text)
            found, unused = suppressions.apply(found, directives, self._rule_ids)
        return found, unused

    def lint_as(self, path: str, text: str, encoding: str = "utf-8") -> list[Finding]:
        """Lint `text` as the contents of the file `path`: its reader, profile, per-file
        ignores and suppressions, as lint_paths would. --fix re-checks fixed text so."""
        from .readers import draft_from_text, input_kind

        d = draft_from_text(text, path, encoding, kind=input_kind(path, text))
        d.profile = self.profile_for(path)
        return self._filter(d, self.lint_draft(d))[0]

    # -- rule evaluation -------------------------------------------------------
    def _check(self, draft: Draft, doc: Any, analysis: Analysis | None = None, partial: Any = None) -> list[Finding]:
        """Findings on a draft, from its whole parse (`doc`), the parse of some of its
        segments (`partial`, a partialparse.PartialParse) or no parse."""
        ctx = _Context(draft, doc, analysis, self)
        nlp_hits: dict[str, list[SpecHit]] = {}
        found_by_key: dict[str, list[SpecHit]] = {}
        if doc is not None and self._matchers is not None and analysis is not None:
            found_by_key = self._matchers.run(doc, getattr(analysis, "live", None))
        elif partial is not None and analysis is not None:
            found_by_key = partial.hits
            if partial.sentences:
                ctx.set_sentences([analysis.to_draft(s, e) for s, e in sorted(partial.sentences)])
        for key, found in found_by_key.items():
            nlp_hits[key] = [SpecHit(*analysis.to_draft(h.start, h.end), h.vars) for h in found]
        findings: list[Finding] = []
        for rule in self.active_for(draft.profile or self.options.profile):
            hits = ctx.hits(rule, "match", 0, rule.match, nlp_hits)
            if not hits:
                continue
            for i, spec in enumerate(rule.requires):
                if not hits:
                    break
                other = ctx.hits(rule, "requires", i, spec, nlp_hits)
                hits = [h for h in hits if ctx.in_scope(h, other, spec.scope)]
            for i, spec in enumerate(rule.unless):
                if not hits:
                    break
                other = ctx.hits(rule, "unless", i, spec, nlp_hits)
                hits = [h for h in hits if not ctx.in_scope(h, other, spec.scope)]
            for hit in _dedupe(hits):
                findings.append(self._finding(rule, hit, draft))
        findings = _drop_seconded(findings, self._model_rules)
        findings.sort(key=Finding.sort_key)
        return findings

    def _finding(self, rule: Rule, hit: SpecHit, draft: Draft) -> Finding:
        # A sentence span can carry the blank lines before it: point at the words.
        start, end = hit.start, hit.end
        while start < end - 1 and draft.text[start].isspace():
            start += 1
        while end - 1 > start and draft.text[end - 1].isspace():
            end -= 1
        # A regex's capped tail ("[^.!?]{0,40}") can stop inside a word; a finding
        # that shows "look at m" or a fix that removes half a word helps nobody, so
        # the span ends at the last whole word.
        if end < len(draft.text) and _is_word_char(draft.text[end - 1]) and _is_word_char(draft.text[end]):
            cut = end
            while cut > start and _is_word_char(draft.text[cut - 1]):
                cut -= 1
            while cut > start and (draft.text[cut - 1].isspace() or draft.text[cut - 1] in ",;:"):
                cut -= 1
            if cut > start:
                end = cut
        hit = SpecHit(start, end, hit.vars)
        text = draft.text[hit.start : hit.end]
        shown = " ".join(text.split())
        values = {"text": shown if len(shown) <= 80 else shown[:77] + "...", **hit.vars}
        src_start = draft.to_source(hit.start)
        src_end = draft.to_source(hit.end - 1) + 1 if hit.end > hit.start else src_start
        index = draft.source_index
        line, col = index.line_col(src_start)
        end_line, end_col = index.line_col(src_end)
        fix = None
        if rule.fix is not None and draft.source_offsets is None:
            fix = _make_fix(draft.source_text or "", src_start, src_end, fill(rule.fix["replace"], values), rule.fix.get("safe", True))
        return Finding(
            path=draft.path,
            rule=rule.id,
            category=rule.category,
            severity=self._severity.get(rule.id, rule.severity),
            start=src_start,
            end=src_end,
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col,
            text=(draft.source_text or "")[src_start:src_end],
            message=fill(rule.message, values),
            suggestion=fill(rule.suggest[0], values) if rule.suggest else None,
            source=rule.source,
            zone=draft.zone_at(hit.start),
            confidence=rule.confidence,
            fix=fix,
        )


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c in "_'’"


# Parallel linting pays once each process gets a few chunks of files to parse.
PARALLEL_CHUNK = 16
PARALLEL_MIN_FILES = 2 * PARALLEL_CHUNK
_WORKER: tuple[Linter, set[str], str | None] | None = None


def _lint_chunk(files: list[str]) -> list[FileResult]:
    assert _WORKER is not None
    linter, explicit, stdin_name = _WORKER
    return list(linter._lint_files(files, explicit, stdin_name, 1))


_SETTLED: set[tuple] = set()


def _settle(what: tuple) -> None:
    """Once per process for each `what` loaded (a spaCy pipeline, the tone model), move
    every object alive now to the garbage collector's permanent generation. Python's
    full collections walk every tracked object, and a loaded pipeline with its tables
    is most of them: with it frozen, the full collections of a 300-draft run cost
    about 0.2 CPU-s less, and a forked worker's collections no longer write to the
    pages it shares with its parent. Frozen objects are never freed, like the cached
    pipeline and model themselves; once per load keeps whatever else happens to be
    alive then (a caller's garbage) a one-off. Findings do not depend on it."""
    if what in _SETTLED:
        return
    import gc

    _SETTLED.add(what)
    gc.freeze()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    """The cores this process may use."""
    import os

    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not on Linux
        return max(os.cpu_count() or 1, 1)


def _content(path: str, max_bytes: int) -> bytes | None:
    """A file's bytes for its cache key; None for stdin and anything unreadable, too
    large or not a regular file (those are never cached: reading a pipe here would
    block, or consume what the reader should see)."""
    import os
    import stat

    if path == "-":
        return None
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _hit_segments(hits: list[SpecHit], analysis: Analysis, toks: Any) -> set[int]:
    """The pre-pass segments holding the sentences that _Context.sentence_range
    finds for these hits (draft offsets): the sentences around the last analysis
    characters at or before each hit's first and last character."""
    if not len(toks.doc):
        return set()
    idx = [t.idx for t in toks.doc]
    out: set[int] = set()
    for h in hits:
        for at in (h.start, max(h.end - 1, h.start)):
            char = bisect.bisect_right(analysis.offsets, at) - 1
            token = max(bisect.bisect_right(idx, char) - 1, 0)
            out.add(bisect.bisect_right(toks.starts, token) - 1)
    return out


def analysis_for(draft: Draft, zones: tuple[str, ...]) -> Analysis:
    """The normalised text rules read for `zones` (see analysis.py), cached per draft."""
    cache = draft.__dict__.setdefault("_analysis_cache", {})
    if zones not in cache:
        cache[zones] = build_analysis(draft, draft.zone_text(zones), draft_tags(draft))
    return cache[zones]


def draft_tags(draft: Draft) -> list:
    cache = draft.__dict__
    if "_tags" not in cache:
        cache["_tags"] = scan(draft.text)
    return cache["_tags"]


def _make_fix(source: str, start: int, end: int, replacement: str, safe: bool) -> Fix:
    if replacement == "":
        at_line_start = start == 0 or source[start - 1] == "\n"
        if at_line_start and end < len(source) and source[end] in "\r\n":
            # The whole line goes: take its line break too, and one of the blank lines
            # around it if it sat between two, so paragraphs stay one blank line apart.
            end += 2 if source.startswith("\r\n", end) else 1
            before = source[:start]
            if before.endswith(("\n\n", "\n\r\n")) or before in ("\n", "\r\n"):
                if source.startswith("\r\n", end):
                    end += 2
                elif source.startswith("\n", end):
                    end += 1
            return Fix(start, end, replacement, safe)
        # Removing a phrase should not leave a double space or a space before
        # punctuation: take one neighbouring space along with it.
        if start > 0 and source[start - 1] == " " and (end >= len(source) or source[end] in " .,;:!?)\n\r"):
            start -= 1
        elif end < len(source) and source[end] == " " and (start == 0 or source[start - 1] in "\n("):
            end += 1
    return Fix(start, end, replacement, safe)


def _drop_seconded(findings: list[Finding], model_rules: frozenset[str]) -> list[Finding]:
    """The tone model backs the rules up: where a rule of the same category already
    flags part of a sentence, the model's finding for that sentence adds nothing."""
    if not model_rules or not any(f.rule in model_rules for f in findings):
        return findings
    by_rules = [f for f in findings if f.rule not in model_rules]
    return [
        f
        for f in findings
        if f.rule not in model_rules
        or not any(g.category == f.category and g.start < f.end and f.start < g.end for g in by_rules)
    ]


def _dedupe(hits: list[SpecHit]) -> list[SpecHit]:
    """One finding per stretch of text: overlapping hits of a rule merge into the
    longest of them."""
    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))
    out: list[SpecHit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            if (h.end - h.start) > (out[-1].end - out[-1].start):
                out[-1] = h
            continue
        out.append(h)
    return out


_SENT_FALLBACK = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n[ \t]*\n")


class _Context:
    """Per-draft state shared by all rules: sentence bounds and cached hits."""

    def __init__(self, draft: Draft, doc: Any, analysis: Analysis | None, linter: Linter):
        self.draft = draft
        self.doc = doc
        self.analysis = analysis
        self.linter = linter
        self._sent_starts: list[int] | None = None
        self._sent_ends: list[int] = []
        self._plain: tuple[list[int], list[int]] | None = None
        # The tone model's sentence scores, per zone set: three rules share one pass,
        # and so do the pre-pass and the check (kept on the draft, like regex hits).
        self._tone_scores: dict[tuple[str, ...], Any] = draft.__dict__.setdefault("_tone_scores", {})

    def set_sentences(self, bounds: list[tuple[int, int]]) -> None:
        """Sentence bounds from a partial parse: every hit a sentence scope is asked
        about lies in one of them (prefilter.rule_segments)."""
        self._sent_starts = [b[0] for b in bounds]
        self._sent_ends = [b[1] for b in bounds]

    def _sentences(self) -> None:
        if self._sent_starts is not None:
            return
        if self.doc is not None and self.analysis is not None:
            bounds = [self.analysis.to_draft(s.start_char, s.end_char) for s in self.doc.sents]
        else:
            self._sent_starts, self._sent_ends = self._plain_sentences()
            return
        self._sent_starts = [b[0] for b in bounds]
        self._sent_ends = [b[1] for b in bounds]

    def _plain_sentences(self) -> tuple[list[int], list[int]]:
        """Sentence starts and ends read from punctuation and blank lines alone."""
        if self._plain is None:
            starts, ends, pos = [], [], 0
            for m in _SENT_FALLBACK.finditer(self.draft.text):
                starts.append(pos)
                ends.append(m.start())
                pos = m.end()
            starts.append(pos)
            ends.append(len(self.draft.text))
            self._plain = (starts, ends)
        return self._plain

    def sentence_range(self, start: int, end: int) -> tuple[int, int]:
        self._sentences()
        assert self._sent_starts is not None
        starts, ends = self._sent_starts, self._sent_ends
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        if not starts[i] <= start < ends[i]:
            # The parse never saw this text (the subject line is not parsed, nor is a
            # segment no rule needed), and the nearest parsed sentence is another one:
            # read the sentence from punctuation and blank lines instead.
            starts, ends = self._plain_sentences()
            i = max(bisect.bisect_right(starts, start) - 1, 0)
        j = max(bisect.bisect_right(starts, max(end - 1, start)) - 1, i)
        return starts[i], ends[j]

    def in_scope(self, hit: SpecHit, others: list[SpecHit], scope: str) -> bool:
        if not others:
            return False
        if scope == "draft":
            return True
        if scope == "span":
            return any(o.start < hit.end and hit.start < o.end for o in others)
        s, e = self.sentence_range(hit.start, hit.end)
        return any(o.start < e and s < o.end for o in others)

    def hits(self, rule: Rule, role: str, index: int, spec: MatchSpec, nlp_hits: dict[str, list[SpecHit]]) -> list[SpecHit]:
        draft = self.draft
        zones = rule.zones
        if spec.needs_nlp:
            found = nlp_hits.get(spec_key(rule, role, index), [])
        elif spec.kind == "regex":
            found = self._regex(rule, spec)
        elif spec.kind == "metric":
            params = dict(METRICS[spec.value["name"]].PARAMS)
            params.update({k: v for k, v in spec.value.items() if k != "name"})
            if spec.value["name"] == "reading_time":
                if self.linter.options.wpm is not None:
                    params["wpm"] = self.linter.options.wpm
                if self.linter.options.max_seconds is not None:
                    params["max_seconds"] = self.linter.options.max_seconds
            if METRICS[spec.value["name"]].needs_doc and self.doc is None:
                return []
            metric = METRICS[spec.value["name"]]()
            found = [SpecHit(h.start, h.end, h.vars) for h in metric.run(draft, self.doc, params, self.analysis)]
            return found  # metrics choose their own zones
        elif spec.kind == "merge_tags":
            found = self._merge_tags(spec)
        elif spec.kind == "classifier":
            found = self._classifier(rule, spec)
        else:  # pragma: no cover - validated at load time
            return []
        return [h for h in found if draft.zone_at(h.start) in zones]

    def _regex(self, rule: Rule, spec: MatchSpec) -> list[SpecHit]:
        import regex

        # Tone rules read the normalised analysis text; merge-tag rules read the raw
        # text, tags and whitespace as typed.
        analysis = analysis_for(self.draft, rule.zones) if rule.category != "merge-tag" else None
        text = analysis.text if analysis is not None else self.draft.zone_text(rule.zones)
        flags = regex.IGNORECASE if spec.ignore_case else 0
        # A pattern's hits on a text are the same whichever asks (the pre-pass and the
        # check, or the several rules sharing a condition), and a text without any of a
        # pattern's literals cannot hold a hit (regexscreen.py): neither runs it again.
        text_key = (rule.zones, analysis is None)
        per_pattern = self.draft.__dict__.setdefault("_pattern_hits", {})
        present = self.draft.__dict__.setdefault("_literals", {})
        held = present.get(text_key)
        if held is None:
            held = present[text_key] = self.linter._literal_index().present(text)
        pairs, every = self.linter._screen(spec)
        if every is not None and every.isdisjoint(held):
            return []  # no pattern of the spec can match
        out: list[SpecHit] = []
        for pattern, literals in pairs:
            if literals is not None and literals.isdisjoint(held):
                continue  # ruled out by its literals (regexscreen.may_hold, inlined)
            key = (pattern, flags, text_key)
            spans = per_pattern.get(key)
            if spans is None:
                spans, complete = self._search(rule, pattern, flags, text, analysis)
                if complete:  # a stopped pattern runs (and is reported) again
                    per_pattern[key] = spans
            if spans:
                out.extend(SpecHit(s, e) for s, e in spans)
        return out

    def _search(self, rule: Rule, pattern: str, flags: int, text: str, analysis: Analysis | None) -> tuple[list[tuple[int, int]], bool]:
        """The draft spans of a pattern's non-empty matches, and whether the search
        ran to the end (False: it timed out; the spans are those found before)."""
        import regex

        out: list[tuple[int, int]] = []
        try:
            compiled = COMPILED.get((pattern, flags))
            if compiled is None:  # the pattern was known valid from the cache folder, so not compiled at load
                compiled = COMPILED[(pattern, flags)] = regex.compile(pattern, flags)
            for m in compiled.finditer(text, timeout=self.linter.options.regex_timeout):
                if m.end() > m.start():
                    out.append(analysis.to_draft(m.start(), m.end()) if analysis is not None else (m.start(), m.end()))
        except regex.error as exc:  # only if the remembered-valid list was tampered with
            raise RuleError(rule.path, f"invalid regular expression: {exc}") from None
        except TimeoutError:
            self.draft.warnings.append(
                f"rule {rule.id}: regular expression took longer than {self.linter.options.regex_timeout:g} s and was stopped "
                f"(catastrophic backtracking?); simplify the pattern in {rule.path}"
            )
            return out, False
        return out, True

    def _classifier(self, rule: Rule, spec: MatchSpec) -> list[SpecHit]:
        from .classifier import flagged, score_units

        analysis = analysis_for(self.draft, rule.zones)
        cache = self._tone_scores
        if rule.zones not in cache:
            memo = self.linter._tone_memo
            if len(memo) > 50_000:  # bounded: a long run of varied drafts
                memo.clear()
            cache[rule.zones] = score_units(analysis.text, memo=memo)
        label, threshold = spec.value["label"], spec.value.get("threshold", 0.5)
        return [
            SpecHit(*analysis.to_draft(s, e), {"score": f"{score:.2f}", "unit": unit})
            for s, e, score, unit in flagged(*cache[rule.zones], label, threshold)
        ]

    def _merge_tags(self, spec: MatchSpec) -> list[SpecHit]:
        report = spec.value["report"]
        syntaxes = spec.value.get("syntaxes")
        if report == "unfilled":
            tags = draft_tags(self.draft)
            return [
                SpecHit(t.start, t.end, {"tag": t.text, "syntax": t.syntax})
                for t in tags
                if syntaxes is None or t.syntax in syntaxes
            ]
        if report == "malformed":
            return [SpecHit(t.start, t.end, {"tag": t.text, "problem": t.syntax}) for t in malformed(self.draft.text)]
        tags = draft_tags(self.draft)
        if report == "mixed":
            return [
                SpecHit(t.start, t.end, {"tag": t.text, "platform": FAMILIES[t.syntax], "main": main})
                for t, main in mixed(tags)
            ]
        if report == "no_fallback":
            return [SpecHit(t.start, t.end, {"tag": t.text, "variable": variable(t)}) for t in without_fallback(tags)]
        known = self.linter.options.known_variables
        if not known:  # nothing configured: every field is as good as any other
            return []
        return [
            SpecHit(t.start, t.end, {"tag": t.text, "variable": name, "hint": f"; did you mean {close}?" if close else ""})
            for t, name, close in unknown(tags, known)
        ]


def severity_at_least(severity: str, threshold: str) -> bool:
    if threshold == "never":
        return False
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]
