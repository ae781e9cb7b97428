"""A drop-in attribute ruler that gives exactly spaCy's results at a fraction of the cost.

spaCy's AttributeRuler runs its Matcher over every token with every pattern (179 in
en_core_web_sm), calling Python predicates about twenty times per token: on email
drafts it costs as much as the parser. Yet what the ruler sets on a token depends only
on a few attributes of that token and its neighbours, and the same combinations come
back again and again. So this ruler asks the real Matcher once per combination, on the
few tokens around the first token that shows it, remembers the attributes the ruler set,
and sets them on every later token with the same combination in one
Doc.to_array / from_array round trip.

The key of a token is, for each position a pattern can read around it, the value of
every attribute a pattern reads there, where a string value (a word, a tag) that no
pattern names and no pattern's regex tells apart from others is replaced by "other".
That is all the Matcher can see for fixed-length patterns, so equal keys get equal
matches. `speed_up_attribute_rulers` leaves alone any ruler whose patterns read
anything else (an operator, an extension attribute, sentence starts) or set attributes
on the lexeme: spaCy's component stays in place.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

import numpy
from spacy.pipeline import AttributeRuler

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

FACTORY = "breaklint_fast_attribute_ruler"

# Attributes the Matcher reads from the token or its lexeme exactly as Doc.to_array
# returns them (the values are the same C fields).
_FLAGS = (
    "IS_ALPHA IS_ASCII IS_DIGIT IS_LOWER IS_PUNCT IS_SPACE IS_TITLE IS_UPPER LIKE_URL LIKE_NUM "
    "LIKE_EMAIL IS_STOP IS_BRACKET IS_QUOTE IS_LEFT_PUNCT IS_RIGHT_PUNCT IS_CURRENCY"
).split()
_READABLE = set(_FLAGS) | {"ORTH", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "LENGTH", "LEMMA", "POS", "TAG", "DEP", "MORPH", "ENT_TYPE"}
# Attributes whose values are StringStore keys that the Matcher compares as they are,
# so a value no pattern names can be reduced to its regex results.
_STRINGS = {"ORTH", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "LEMMA", "TAG", "DEP", "ENT_TYPE"}
# What the ruler may set: set_token_attrs writes these on the token only (the lexeme
# ignores them), a plain assignment that Doc.from_array makes the same way.
_SETTABLE = {"TAG", "POS", "MORPH", "LEMMA", "DEP"}
_OTHER = ("other",)


class Unsupported(ValueError):
    """The ruler's patterns use something the fast path cannot reason about."""


def _attr_name(key: Any) -> str:
    if not isinstance(key, str):
        raise Unsupported(f"attribute {key!r}")
    name = key.upper()
    name = "ORTH" if name == "TEXT" else name
    if name not in _READABLE:
        raise Unsupported(f"attribute {key!r}")
    return name


class _Reader:
    """How one attribute at one offset enters the key: the value itself, or the value
    reduced to a class when every constraint on it is equality, IN/NOT_IN or REGEX."""

    def __init__(self, name: str):
        self.name = name
        self.named: set[int] | None = set()  # None: keep raw values
        self.regexes: list[re.Pattern] = []

    def add(self, value: Any, vocab: Any) -> None:
        from spacy.strings import get_string_id

        if self.named is None:
            return
        if self.name not in _STRINGS or isinstance(value, bool) or not isinstance(value, (str, int, dict)):
            # A flag, a number, a morphology (the Matcher normalises those) or something
            # odd: the raw value is small or safest.
            self.named = None
        elif isinstance(value, (str, int)):
            # The Matcher stores a plain value with StringStore.add (already done when
            # the pattern was added, so this adds nothing new).
            self.named.add(vocab.strings.add(value) if isinstance(value, str) else value)
        else:
            for pred, arg in value.items():
                pred = pred.upper() if isinstance(pred, str) else pred
                if pred in ("IN", "NOT_IN") and isinstance(arg, (list, tuple)) and all(
                    isinstance(v, (str, int)) and not isinstance(v, bool) for v in arg
                ):
                    self.named.update(get_string_id(v) for v in arg)
                elif pred == "REGEX" and isinstance(arg, str):
                    self.regexes.append(re.compile(arg))
                else:
                    self.named = None
                    return

    def classifier(self, vocab: Any) -> Callable[[int], Any]:
        """value -> class, memoised (the vocabulary of a corpus repeats)."""
        if self.named is None:
            return _raw
        return _Classes(self.named, self.regexes, vocab.strings).__getitem__


def _raw(value: int) -> int:
    return value


class _Classes(dict):
    """Memoised: a value -> itself if a pattern names it, else "other" with the
    results of the patterns' regexes. (Module-level, so a component pickles.)"""

    def __init__(self, named: set[int], regexes: list[re.Pattern], strings: Any):
        super().__init__()
        self.named, self.regexes, self.strings = named, regexes, strings

    def __missing__(self, v: int) -> Any:
        if v in self.named:
            c = v
        elif self.regexes:
            text = self.strings[v]
            c = (*_OTHER, *(r.search(text) is not None for r in self.regexes))
        else:
            c = _OTHER
        self[v] = c
        return c


class _Features(dict):
    """Memoised: a row of raw values -> the tuple of their classes at one offset (an
    empty tuple where a pattern token only needs a token to be there)."""

    def __init__(self, columns: list[tuple[int, Callable[[int], Any]]]):
        super().__init__()
        self.columns = columns

    def __missing__(self, row: tuple) -> tuple:
        feature = tuple(classify(row[col]) for col, classify in self.columns)
        self[row] = feature
        return feature


class _Plan:
    """What a ruler's patterns read, and what it has learnt so far."""

    def __init__(self, ruler: Any):
        """Read the patterns; raise Unsupported if the fast path cannot reason about them."""
        from spacy.attrs import IDS

        vocab = ruler.vocab
        settable = {IDS[a] for a in _SETTABLE}
        readers: dict[tuple[int, str], _Reader] = {}
        offsets: set[int] = {0}
        for entry_i, entry in enumerate(ruler.patterns):
            if not all(isinstance(a, int) and a in settable for a in ruler.attrs[entry_i]):
                raise Unsupported(f"sets {entry['attrs']!r}")
            index = entry["index"]
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    raise Unsupported(f"pattern {pattern!r}")
                size = len(pattern)
                if not isinstance(index, int) or not -size <= index < size:
                    raise Unsupported(f"index {index} out of a {size}-token pattern")
                target = index % size
                for pos, token in enumerate(pattern):
                    if not isinstance(token, dict):
                        raise Unsupported(f"pattern token {token!r}")
                    offset = pos - target
                    offsets.add(offset)
                    for key, value in token.items():
                        name = _attr_name(key)  # rejects OP, "_" and anything unknown
                        readers.setdefault((offset, name), _Reader(name)).add(value, vocab)
        self.lo, self.hi = min(offsets), max(offsets)
        names = sorted({name for _, name in readers})
        self.read_ids = [IDS[n] for n in names]
        # For each offset from lo to hi: a token's row of read values -> what the
        # patterns at that offset can see of it.
        self.features = [
            _Features([(names.index(name), r.classifier(vocab)) for (o, name), r in sorted(readers.items()) if o == offset])
            for offset in range(self.lo, self.hi + 1)
        ]
        self.set_ids = [IDS[n] for n in sorted(_SETTABLE)]
        self.memo: dict[tuple, int] = {}  # token key -> assignment number
        self.assignments: dict[tuple, int] = {}  # ((column, value), ...) -> number
        self.grow_tables()

    def grow_tables(self) -> None:
        width = len(self.set_ids)
        count = max(1, len(self.assignments))
        self.mask = numpy.zeros((count, width), dtype=bool)
        self.values = numpy.zeros((count, width), dtype=numpy.uint64)
        for assignment, number in self.assignments.items():
            for col, value in assignment:
                self.mask[number, col] = True
                self.values[number, col] = value


class FastAttributeRuler(AttributeRuler):
    """Memoises an AttributeRuler's effect per token key (see the module docstring).
    Only __call__ changes; patterns, serialisation and scoring are spaCy's."""

    _plan: _Plan

    def prepare(self) -> None:
        self._plan = _Plan(self)

    def __call__(self, doc: "Doc") -> "Doc":
        error_handler = self.get_error_handler()
        try:
            self._apply(doc)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def _keys(self, doc: "Doc") -> list[tuple]:
        plan, n = self._plan, len(doc)
        rows = list(zip(*doc.to_array(plan.read_ids).T.tolist())) if plan.read_ids else [()] * n
        parts = []
        for offset, features in zip(range(plan.lo, plan.hi + 1), plan.features):
            feats = list(map(features.__getitem__, rows))
            if offset <= 0:
                parts.append(([None] * -offset + feats)[:n])
            else:
                parts.append(feats[offset:] + [None] * min(offset, n))
        return list(zip(*parts))

    def _apply(self, doc: "Doc") -> None:
        if not len(doc):
            return
        plan = self._plan
        keys = self._keys(doc)
        memo = plan.memo
        numbers = list(map(memo.get, keys))
        if None in numbers:
            self._learn(doc, keys, numbers)
            numbers = list(map(memo.__getitem__, keys))
        numbers_arr = numpy.asarray(numbers, dtype=numpy.intp)
        mask = plan.mask[numbers_arr]
        if not mask.any():
            return
        current = doc.to_array(plan.set_ids)
        numpy.copyto(current, plan.values[numbers_arr], where=mask)
        doc.from_array(plan.set_ids, current)

    def _learn(self, doc: "Doc", keys: list[tuple], numbers: list[int | None]) -> None:
        """Ask the real Matcher about the first token of each unseen key, on just the
        tokens its patterns can reach, and remember what the ruler would set there."""
        plan, n = self._plan, len(doc)
        wanted: dict[tuple, int] = {}
        for i, (key, number) in enumerate(zip(keys, numbers)):
            if number is None and key not in wanted:
                wanted[key] = i
        spans: list[list[int]] = []
        for i in sorted(wanted.values()):
            start, end = max(0, i + plan.lo), min(n, i + plan.hi + 1)
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        hits: dict[int, set[int]] = {i: set() for i in wanted.values()}
        strings = self.vocab.strings
        for start, end in spans:
            for match_id, s, e in self.matcher(doc[start:end], allow_missing=True, as_spans=False):
                entry = int(strings[match_id])
                index = self.indices[entry]
                target = start + (s + index if index >= 0 else e + index)
                if target in hits:
                    hits[target].add(entry)
        set_cols = {attr: col for col, attr in enumerate(plan.set_ids)}
        grown = False
        for key, i in wanted.items():
            # Later entries win, as in AttributeRuler.match's sort.
            final: dict[int, int] = {}
            for entry in sorted(hits[i]):
                for attr, value in self.attrs[entry].items():
                    final[set_cols[attr]] = value
            assignment = tuple(sorted(final.items()))
            number = plan.assignments.get(assignment)
            if number is None:
                number = plan.assignments[assignment] = len(plan.assignments)
                grown = True
            plan.memo[key] = number
        if grown:
            plan.grow_tables()


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(FACTORY):

        @Language.factory(FACTORY, default_config={"validate": False})
        def make_fast_ruler(nlp: "Language", name: str, validate: bool) -> FastAttributeRuler:
            return FastAttributeRuler(nlp.vocab, name, validate=validate)


def speed_up_attribute_rulers(nlp: "Language") -> list[str]:
    """Replace every stock AttributeRuler in `nlp` whose patterns the fast path can
    handle with the memoising one (same name, same patterns). Returns the names replaced;
    the others keep spaCy's component."""
    _register()
    replaced = []
    for name, proc in list(nlp.pipeline):
        if type(proc) is not AttributeRuler:
            continue  # a subclass may behave differently: leave it alone
        try:
            _Plan(proc)
        except Unsupported:
            continue
        fast = nlp.replace_pipe(name, FACTORY, config={"validate": proc.validate})
        fast.add_patterns(proc.patterns)
        fast.scorer = proc.scorer
        fast.prepare()
        replaced.append(name)
    return replaced
