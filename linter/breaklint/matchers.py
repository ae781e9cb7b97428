"""Compile the spaCy-backed parts of rules into one Matcher, one DependencyMatcher and
one PhraseMatcher per attribute, so each parsed draft is matched in a single pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import RuleError
from .ruleset import MatchSpec, Rule

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass
class SpecHit:
    start: int  # character offsets into the draft text
    end: int
    vars: dict[str, Any] = field(default_factory=dict)


def spec_key(rule: Rule, role: str, index: int) -> str:
    return f"{rule.id}/{role}/{index}"


def rule_specs(rule: Rule) -> list[tuple[str, int, MatchSpec]]:
    out = [("match", 0, rule.match)]
    out += [("unless", i, s) for i, s in enumerate(rule.unless)]
    out += [("requires", i, s) for i, s in enumerate(rule.requires)]
    return out


class NlpMatchers:
    def __init__(self, nlp: "Language", rules: list[Rule]):
        from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher

        self._nlp = nlp
        self._matcher = Matcher(nlp.vocab, validate=True)
        # One DependencyMatcher per spec: its cost grows with every pattern it holds,
        # so a draft runs only the specs the pre-pass says could match (see run()).
        self._dep: dict[str, Any] = {}
        self._dep_cls = DependencyMatcher
        self._phrase: dict[str, Any] = {}
        self._phrase_cls = PhraseMatcher
        self._span: dict[str, Any] = {}
        # "<spec key>#<pattern index>" -> (spec key, pattern length or dependency node names)
        self._pattern_of: dict[str, tuple[str, Any]] = {}
        # Dependency condition key -> its rule's match key, for conditions that only
        # count next to a match hit (see run()).
        self._gate: dict[str, str] = {}
        for rule in rules:
            for role, i, spec in rule_specs(rule):
                if spec.needs_nlp:
                    self._add(rule, spec_key(rule, role, i), spec)
                    if role != "match" and spec.kind == "dependency" and spec.scope in ("sentence", "span") and rule.match.kind in ("dependency", "tokens"):
                        self._gate[spec_key(rule, role, i)] = spec_key(rule, "match", 0)

    def _fail(self, rule: Rule, spec: MatchSpec, exc: Exception, index: int | None = None) -> RuleError:
        path = spec.path + ((index,) if index is not None else ())
        detail = " ".join(str(exc).split())
        if len(detail) > 400:
            detail = detail[:400] + "..."
        return RuleError(rule.path, f"invalid spaCy {spec.kind} pattern: {detail}", line=rule.line_of(path), field=".".join(map(str, path)))

    def _add(self, rule: Rule, key: str, spec: MatchSpec) -> None:
        self._span[key] = spec.span
        if spec.kind == "phrases":
            matcher = self._phrase.get(spec.attr)
            if matcher is None:
                matcher = self._phrase[spec.attr] = self._phrase_cls(self._nlp.vocab, attr=spec.attr)
            if spec.attr in ("LEMMA", "NORM"):
                docs = list(self._nlp.pipe(spec.value))
            else:
                docs = [self._nlp.make_doc(v) for v in spec.value]
            matcher.add(key, docs)
        elif spec.kind == "tokens":
            # Each pattern under its own key, so a match says which pattern it was
            # and `span` indexes that pattern's tokens.
            for i, pattern in enumerate(spec.value):
                try:
                    self._matcher.add(f"{key}#{i}", [pattern])
                except (ValueError, KeyError, TypeError) as exc:
                    raise self._fail(rule, spec, exc, i if len(spec.value) > 1 else None) from None
                self._pattern_of[f"{key}#{i}"] = (key, len(pattern))
        elif spec.kind == "dependency":
            names = []
            dep = self._dep[key] = self._dep_cls(self._nlp.vocab, validate=True)
            for i, pattern in enumerate(spec.value):
                try:
                    dep.add(f"{key}#{i}", [pattern])
                except (ValueError, KeyError, TypeError, IndexError) as exc:
                    raise self._fail(rule, spec, exc, i if len(spec.value) > 1 else None) from None
                names.append([str(node.get("RIGHT_ID")) for node in pattern])
                self._pattern_of[f"{key}#{i}"] = (key, names[-1])
            if spec.span is not None and isinstance(spec.span, list):
                for i, n in enumerate(names):
                    missing = [s for s in spec.span if s not in n]
                    if missing:
                        raise RuleError(
                            rule.path, f"span node {missing[0]!r} is not a RIGHT_ID of pattern {i}",
                            line=rule.line_of(spec.path[:-1] + ("span",)), field=".".join(map(str, spec.path[:-1] + ("span",))),
                        )

    def run(self, doc: "Doc", live: set[str] | None = None, window: tuple[int, int] | None = None) -> dict[str, list[SpecHit]]:
        """Hits per spec key. `live`: the only dependency spec keys that could match
        this doc (None: all of them). `window`: keep only matches whose tokens all lie
        in this range (a unit of a partial parse, see partialparse.py). A rule's
        sentence- or span-scoped dependency conditions are left out where its match has
        no hit (they could not change a finding)."""
        hits: dict[str, list[SpecHit]] = {}
        strings = doc.vocab.strings
        w_lo, w_hi = window if window is not None else (0, len(doc))

        def add(key: str, start_tok: int, end_tok: int) -> None:
            if self._span.get(key) == "sentence":
                sent = doc[start_tok].sent
                start_tok, end_tok = sent.start, sent.end
            while end_tok > start_tok and doc[end_tok - 1].is_space:
                end_tok -= 1
            while start_tok < end_tok and doc[start_tok].is_space:
                start_tok += 1
            if end_tok <= start_tok:
                return
            span = doc[start_tok:end_tok]
            hits.setdefault(key, []).append(SpecHit(span.start_char, span.end_char))

        if len(self._matcher):
            for match_id, start, end, align in self._matcher(doc, with_alignments=True):
                if start < w_lo or end > w_hi:
                    continue
                key, n = self._pattern_of[strings[match_id]]
                span_opt = self._span.get(key)
                if isinstance(span_opt, list):
                    lo, hi = (int(x) for x in span_opt)
                    lo, hi = lo % n if lo < 0 else lo, hi % n if hi < 0 else hi
                    picked = [start + k for k, a in enumerate(align) if lo <= a <= hi]
                    if picked:
                        start, end = min(picked), max(picked) + 1
                add(key, start, end)
        for dep_key, dep in self._dep.items():
            if live is not None and dep_key not in live:
                continue
            # An `unless` or `requires` scoped to the sentence or the span is read only
            # in the sentence of one of its rule's match hits, and that sentence lies
            # inside the doc (or window) the hit was found in: with no match hit here
            # (the match's Matcher or DependencyMatcher ran above: rule order puts it
            # first), its hits here could change no finding, so it is not run.
            gate = self._gate.get(dep_key)
            if gate is not None and gate not in hits:
                continue
            for match_id, token_ids in dep(doc):
                if min(token_ids) < w_lo or max(token_ids) >= w_hi:
                    continue
                key, names = self._pattern_of[strings[match_id]]
                span_opt = self._span.get(key)
                chosen = token_ids
                if isinstance(span_opt, list):
                    chosen = [token_ids[names.index(s)] for s in span_opt]
                add(key, min(chosen), max(chosen) + 1)
        for matcher in self._phrase.values():
            for match_id, start, end in matcher(doc):
                if w_lo <= start and end <= w_hi:
                    add(strings[match_id], start, end)
        return hits
