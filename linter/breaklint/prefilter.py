"""Decide, from the tokenizer alone, whether a draft needs the tagger and parser.

Parsing is most of a run's cost, and most drafts contain none of the words a
grammar-based rule can match. Every token, dependency and phrase pattern names words
or lemmas that must all be present for it to match (a dependency pattern's nodes, a
token pattern's mandatory tokens); a draft whose tokens cannot supply them is checked
without a parse. Lemmas are read generously: a token counts for every lemma the
pipeline's lemmatizer could give it under any part of speech, so the pre-pass can only
say "maybe" too often, never "no" wrongly.

A condition that runs the same without a parse can rule a rule out on its own: a
`requires` regex with no hit in the draft, an `unless` scoped to the draft with one.

Of a draft that needs the parse, only some segments may: rule_segments names them (the
segments holding every word of a pattern, or the sentences around a regex hit that a
sentence-scoped condition reads), and partialparse.py parses just those. A metric that
reads every sentence, or a token pattern that could run across a segment's end, needs
the whole draft.

What the pre-pass cannot reason about forces a parse: a match kind or metric it does
not know, a token attribute other than LOWER/ORTH/TEXT/LEMMA with a plain value or IN
list, a lemma the attribute ruler sets from a non-lexical pattern. Results with and
without the pre-pass are compared over the whole corpus in tests/test_prefilter.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .metrics import FIRST_PERSON, METRICS, SentenceOpeners
from .ruleset import MatchSpec, Rule

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

# Kinds whose hits do not depend on the parse (they run the same with or without it).
# The tone model cuts and reads the analysis text itself (classifier.py).
_DOC_FREE_KINDS = frozenset({"regex", "merge_tags", "classifier"})
_NLP_KINDS = frozenset({"phrases", "tokens", "dependency"})
_LEXICAL = {"LOWER": "LOWER", "ORTH": "TEXT", "TEXT": "TEXT", "LEMMA": "LEMMA"}
_POS = ("noun", "verb", "adj", "adv", "propn", "pron", "det", "adp", "aux", "cconj", "sconj",
        "num", "part", "intj", "punct", "sym", "x", "space")

# A trigger is a list of alternatives; an alternative is a list of (attr, values)
# constraints that must all be met. ALWAYS: cannot tell, so always parse.
ALWAYS = None
Constraint = tuple[str, frozenset]


@dataclass
class Tokens:
    """What the pre-pass knows of a draft: for each token text, lower form and every
    lemma the token could get, the segments it occurs in. Segments are cut where the
    email sentence splitter forces a sentence start, so every parsed sentence lies
    inside one segment."""

    index: dict[str, dict[str, set[int]]]  # attr -> value -> segment numbers
    doc: Any  # the tokenized Doc, handed on to the pipeline so it is not tokenized twice
    starts: list[int] = field(default_factory=lambda: [0])  # first token of each segment

    def segments(self, constraint: Constraint) -> set[int]:
        attr, values = constraint
        table = self.index[attr]
        out: set[int] = set()
        for v in values:
            out |= table.get(v, set())
        return out

    def in_draft(self, alternative: list[Constraint]) -> bool:
        return all(self.segments(c) for c in alternative)

    def in_one_segment(self, alternative: list[Constraint]) -> bool:
        return bool(self.common_segments(alternative))

    def common_segments(self, alternative: list[Constraint]) -> set[int]:
        """The segments that hold a token for every constraint of `alternative`."""
        common: set[int] | None = None
        for c in alternative:
            common = self.segments(c) if common is None else common & self.segments(c)
            if not common:
                return set()
        return common or set()


def _values(value: Any) -> frozenset | None:
    """The strings a token attribute must equal, or None if that cannot be said."""
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict) and isinstance(value.get("IN"), list) and all(isinstance(v, str) for v in value["IN"]):
        return frozenset(value["IN"])
    return None


def _token_constraints(spec: dict) -> list[Constraint]:
    out = []
    for key, value in spec.items():
        attr = _LEXICAL.get(key)
        if attr is None:
            continue
        values = _values(value)
        if values is not None:
            out.append((attr, values))
    return out


def _mandatory(spec: dict) -> bool:
    op = spec.get("OP")
    if op is None or op == "+":
        return True
    if isinstance(op, str) and op.startswith("{"):
        low = op.strip("{}").split(",")[0].strip()
        return low.isdigit() and int(low) >= 1
    return False  # "?", "*", "!": the token may be absent (or must not match)


_SPACE_FREE_FLAGS = ("IS_ALPHA", "IS_PUNCT", "IS_DIGIT", "LIKE_NUM")


def _excludes_space(spec: dict, lemma_of_space_is_space: bool) -> bool:
    """Whether a Matcher token spec can never match a whitespace token (the token a
    segment ends with)."""
    for key, value in spec.items():
        if key in ("LOWER", "ORTH", "TEXT") or (key == "LEMMA" and lemma_of_space_is_space):
            values = _values(value)
            if values is not None and all(v.strip() for v in values):
                return True
        if (key == "IS_SPACE" and value is False) or (key in _SPACE_FREE_FLAGS and value is True):
            return True
    return False


class Prefilter:
    def __init__(self, nlp: "Language", rules: list[Rule]):
        self._nlp = nlp
        self._lemma_cache: dict[str, tuple[str, ...]] = {}
        self._wild_lemmas: set[str] = set()
        self._ruler_lemmas: dict[str, set[str]] = {}
        self._ruler_regexes: list[tuple[re.Pattern, str]] = []
        self._read_lemmatizer(nlp)
        self._triggers: dict[int, Any] = {}
        # Specs whose every match lies inside one segment (see spec_segments).
        self._local: dict[int, bool] = {}
        for rule in rules:
            for spec in (rule.match, *rule.requires, *rule.unless):
                if spec.kind in _NLP_KINDS:
                    self._triggers[id(spec)] = self._trigger(spec)
                    self._local[id(spec)] = self._within_segment(spec)

    # -- what the pipeline can call a lemma -------------------------------------
    def _read_lemmatizer(self, nlp: "Language") -> None:
        self._rules: dict[str, list] = {}
        self._exc: dict[str, dict] = {}
        if "lemmatizer" in nlp.pipe_names:
            lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
            if lookups is not None:
                for name, target in (("lemma_rules", self._rules), ("lemma_exc", self._exc)):
                    if lookups.has_table(name):
                        table = lookups.get_table(name)
                        for pos in _POS:
                            if pos in table:
                                target[pos] = table[pos]
        if "attribute_ruler" in nlp.pipe_names:
            for entry in nlp.get_pipe("attribute_ruler").patterns:
                lemma = entry.get("attrs", {}).get("LEMMA")
                if not isinstance(lemma, str):
                    continue
                for pattern in entry.get("patterns", []):
                    try:
                        token = pattern[entry.get("index", 0)]
                    except (IndexError, TypeError):
                        self._wild_lemmas.add(lemma)
                        continue
                    forms = [v for k, vals in _token_constraints(token) if k in ("LOWER", "TEXT") for v in vals]
                    pattern_re = token.get("LOWER", {}).get("REGEX") if isinstance(token.get("LOWER"), dict) else None
                    if not forms and isinstance(pattern_re, str):
                        self._ruler_regexes.append((re.compile(pattern_re), lemma))  # spaCy uses re.search
                    elif not forms:
                        self._wild_lemmas.add(lemma)
                    for f in forms:
                        self._ruler_lemmas.setdefault(f.lower(), set()).add(lemma)

    def _lemmas_of(self, text: str) -> tuple[str, ...]:
        """Every lemma the pipeline could give a token with this text (a superset)."""
        hit = self._lemma_cache.get(text)
        if hit is not None:
            return hit
        lower = text.lower()
        out = {text, lower}
        for rules in self._rules.values():
            for old, new in rules:
                if lower.endswith(old):
                    out.add(lower[: len(lower) - len(old)] + new)
        for exc in self._exc.values():
            out.update(exc.get(lower, ()))
        out.update(self._ruler_lemmas.get(lower, ()))
        out.update(lemma for regex, lemma in self._ruler_regexes if regex.search(lower))
        result = tuple(out)
        self._lemma_cache[text] = result
        return result

    def _within_segment(self, spec: MatchSpec) -> bool:
        """Whether every match of `spec` lies inside one segment. Dependency relations
        never leave a sentence (spaCy's DependencyMatcher keeps even the precedence
        operators inside one). A token or phrase pattern stays inside a segment if
        none of its tokens can match the whitespace token a segment ends with."""
        if spec.kind == "dependency":
            return True
        if spec.kind == "tokens":
            # The whitespace token's lemma is its own text only if no lemmatizer rule
            # could add a suffix to it and no attribute-ruler pattern sets one blindly.
            plain = not self._wild_lemmas and all(old.strip() for rules in self._rules.values() for old, _ in rules)
            return all(isinstance(item, dict) and _excludes_space(item, plain) for pattern in spec.value for item in pattern)
        if spec.kind == "phrases" and spec.attr in ("LOWER", "ORTH", "TEXT"):
            return all(not t.is_space for v in spec.value for t in self._nlp.make_doc(v))
        return False

    # -- what a spec needs -------------------------------------------------------
    def _trigger(self, spec: MatchSpec) -> Any:
        alternatives: list[list[Constraint]] = []
        if spec.kind in ("tokens", "dependency"):
            for pattern in spec.value:
                constraints: list[Constraint] = []
                for item in pattern:
                    token = item.get("RIGHT_ATTRS", {}) if spec.kind == "dependency" else item
                    if spec.kind == "tokens" and not _mandatory(item):
                        continue
                    constraints.extend(_token_constraints(token))
                alternatives.append(constraints)
        elif spec.kind == "phrases":
            attr = {"LOWER": "LOWER", "ORTH": "TEXT", "TEXT": "TEXT", "LEMMA": "LEMMA"}.get(spec.attr)
            if attr is None:
                return ALWAYS
            docs = list(self._nlp.pipe(spec.value)) if attr == "LEMMA" else [self._nlp.make_doc(v) for v in spec.value]
            for doc in docs:
                key = {"LOWER": "lower_", "TEXT": "text", "LEMMA": "lemma_"}[attr]
                alternatives.append([(attr, frozenset([getattr(t, key)])) for t in doc])
        else:
            return ALWAYS
        for alt in alternatives:
            if any(attr == "LEMMA" and not values.isdisjoint(self._wild_lemmas) for attr, values in alt):
                return ALWAYS
            if not alt:
                return ALWAYS  # a pattern with no word in it can match anywhere
        return alternatives

    # -- the pre-pass ------------------------------------------------------------
    def tokens(self, text: str) -> Tokens:
        from spacy.attrs import LOWER, ORTH

        from .nlp import email_sentence_starts

        doc = self._nlp.make_doc(text)
        starts = set(email_sentence_starts(doc))
        strings = doc.vocab.strings
        texts: dict[int, set[int]] = {}
        lowers: dict[int, set[int]] = {}
        seg = 0
        for i, (orth, lower) in enumerate(doc.to_array([ORTH, LOWER]).tolist()):
            if i in starts:
                seg += 1
            texts.setdefault(orth, set()).add(seg)
            lowers.setdefault(lower, set()).add(seg)
        index: dict[str, dict[str, set[int]]] = {"TEXT": {}, "LOWER": {}, "LEMMA": {}}
        for orth, segs in texts.items():
            word = strings[orth]
            index["TEXT"][word] = segs
            for lemma in self._lemmas_of(word):
                index["LEMMA"].setdefault(lemma, set()).update(segs)
        for lower, segs in lowers.items():
            index["LOWER"][strings[lower]] = segs
        return Tokens(index, doc, [0, *sorted(starts)])

    def can_match(self, spec: MatchSpec, toks: Tokens) -> bool:
        """Whether the parse could give `spec` a hit on this draft."""
        if spec.kind in _NLP_KINDS:
            trigger = self._triggers.get(id(spec), ALWAYS)
            if trigger is ALWAYS:
                return True
            # Dependency relations never leave a sentence; token and phrase patterns
            # may run across one.
            meets = toks.in_one_segment if spec.kind == "dependency" else toks.in_draft
            return any(meets(alt) for alt in trigger)
        if spec.kind == "metric":
            return self._metric_may_fire(spec, toks)
        return True

    def spec_segments(self, spec: MatchSpec, toks: Tokens) -> set[int] | None:
        """The segments a grammar spec could match in (every hit lies inside one of
        them), or None when its hits may lie anywhere or run across segments."""
        trigger = self._triggers.get(id(spec), ALWAYS)
        if trigger is ALWAYS or not self._local.get(id(spec)):
            return None if self.can_match(spec, toks) else set()
        out: set[int] = set()
        for alt in trigger:
            out |= toks.common_segments(alt)
        return out

    def rule_segments(self, rule: Rule, toks: Tokens, match_hit_segments) -> set[int] | None:
        """The segments whose parse this rule's findings can depend on (for a rule
        rule_needs_parse says needs one), or None when the whole draft has to be
        parsed: a metric that reads every sentence or a pattern that may run across
        segments. `match_hit_segments()` gives the segments holding the sentences
        around the rule's match hits found without a parse, which a condition scoped
        to the sentence reads."""
        out: set[int] = set()
        for s in (rule.match, *rule.requires, *rule.unless):
            if s.kind in _NLP_KINDS:
                segs = self.spec_segments(s, toks)
                if segs is None:
                    return None
                out |= segs
            elif s.kind == "metric":
                metric = METRICS.get(s.value.get("name"))
                if metric is None or (metric.needs_doc and self.can_match(s, toks)):
                    return None
            elif s.kind not in _DOC_FREE_KINDS:
                return None
        if rule.match.kind not in _NLP_KINDS and any(s.scope == "sentence" for s in (*rule.requires, *rule.unless)):
            out |= match_hit_segments()
        return out

    def _metric_may_fire(self, spec: MatchSpec, toks: Tokens) -> bool:
        name = spec.value.get("name")
        metric = METRICS.get(name)
        if metric is None:
            return True
        if not metric.needs_doc:
            return False  # runs the same without a parse
        params = dict(metric.PARAMS)
        params.update({k: v for k, v in spec.value.items() if k != "name"})
        # Upper bounds from the tokens: the metric counts a subset of these.
        if name == "pronoun_balance":
            first = sum(1 for t in toks.doc if t.lower_ in FIRST_PERSON and t.text != "US")
            return first >= params["min_first_person"]
        if name == "sentence_openers":
            openers = sum(1 for t in toks.doc if t.lower_ in SentenceOpeners.OPENERS)
            return openers >= params["min_sentences"]
        return True

    def rule_needs_parse(self, rule: Rule, toks: Tokens, match_hits, condition_hits=None) -> bool:
        """Whether the parse could change this rule's findings on the draft.
        `match_hits()` gives the rule's match hits without a parse (for kinds that
        need none); `condition_hits(role, index, spec)` a condition's."""
        specs = (rule.match, *rule.requires, *rule.unless)
        known = _NLP_KINDS | _DOC_FREE_KINDS | {"metric"}
        if any(s.kind not in known for s in specs):
            return True  # a kind this pre-pass knows nothing about
        if not self._match_needs_parse(rule, toks, match_hits):
            return False
        # Asked only now: the conditions' patterns are often long alternations that
        # the match's trigger words or literals rarely leave to run.
        return condition_hits is None or not self._ruled_out(rule, condition_hits)

    def _match_needs_parse(self, rule: Rule, toks: Tokens, match_hits) -> bool:
        """rule_needs_parse before the conditions that run without a parse."""
        m = rule.match
        if m.kind in _NLP_KINDS or (m.kind == "metric" and METRICS.get(m.value.get("name")) is not None and METRICS[m.value["name"]].needs_doc):
            return self.can_match(m, toks)
        if m.kind == "metric" and METRICS.get(m.value.get("name")) is None:
            return True
        # The match itself runs without a parse. The parse matters if a condition
        # reads it (a pattern that could match, a metric that could fire) or counts
        # sentences, which come from the parser when there is one.
        relevant = any(
            s.scope == "sentence" or (s.kind in _NLP_KINDS and self.can_match(s, toks)) or (s.kind == "metric" and self.can_match(s, toks))
            for s in (*rule.requires, *rule.unless)
        )
        return relevant and bool(match_hits())

    @staticmethod
    def _parse_free(spec: MatchSpec) -> bool:
        if spec.kind in _DOC_FREE_KINDS:
            return True
        metric = METRICS.get(spec.value.get("name")) if spec.kind == "metric" else None
        return metric is not None and not metric.needs_doc

    def _ruled_out(self, rule: Rule, condition_hits) -> bool:
        """Whether a condition that runs the same without a parse already rules every
        finding out: a `requires` with no hit anywhere, or an `unless` scoped to the
        draft with a hit somewhere."""
        for i, s in enumerate(rule.requires):
            if self._parse_free(s) and not condition_hits("requires", i, s):
                return True
        for i, s in enumerate(rule.unless):
            if s.scope == "draft" and self._parse_free(s) and condition_hits("unless", i, s):
                return True
        return False
