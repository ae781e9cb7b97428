"""Rule out a regular expression on a text before running it, from its literals.

Most rule patterns name words ("\\b(?:follow(?:ing)? up|checking in)\\b") and most
drafts contain none of them, but the `regex` module still tries the pattern at every
position. A pattern's parse tree says which literal strings any match must contain
(at least one of a set: "follow up" or "following up" or "checking in"); a plain
substring search for them is far cheaper than the pattern. A text that holds none of
them cannot hold a match, so the pattern is not run on it (findings are unchanged;
tests/test_regexscreen.py compares the screen with the patterns).

Case: literals and the text are compared folded (ASCII lower case, plus the three
non-ASCII letters that the `regex` module's case-insensitive matching equates with an
ASCII one), so one screen serves patterns with and without ignore_case. Only ASCII
literals are used.

The tree comes from Python's own `re` parser, which reads the syntax rule patterns
use as `regex` reads it. Anything it cannot parse, or parses differently from `regex`
(fuzzy matching `{e<=1}`, POSIX classes `[[:alpha:]]`), is not screened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# Non-ASCII characters that `regex`'s case-insensitive matching treats as an ASCII
# letter (tests/test_regexscreen.py checks every code point).
_FOLD = str.maketrans({**{chr(c): chr(c + 32) for c in range(65, 91)}, "\u0130": "i", "\u017f": "s", "\u212a": "k"})
_MAX_SET = 64  # strings kept per exact set (they multiply along a sequence)
# Literals kept per required set. A rule pattern is often a long alternation of
# phrases, and the union of its branches' literals runs past a hundred; capped at
# 64, such a pattern could not be screened and ran on every text.
_MAX_NEED = 256
_MIN_LEN = 3  # shorter literals are found almost everywhere: not worth a search
_POSIX_CLASS = re.compile(r"\[:\^?\w+:\]")  # [[:alpha:]] in `regex`, a plain set in `re`


def fold(text: str) -> str:
    """The text as literals are compared with it."""
    return text.translate(_FOLD)


def _fold_char(code: int) -> str | None:
    ch = chr(code)
    return ch.translate(_FOLD) if ch.isascii() else None


def _set_chars(items: list) -> set[str] | None:
    """The folded characters a character class matches, if few and all ASCII."""
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            ch = _fold_char(av)
            if ch is None:
                return None
            out.add(ch)
        elif op is _c.RANGE and av[1] - av[0] < 10 and av[1] < 128:
            out.update(chr(c).translate(_FOLD) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, wide ranges
            return None
    return out


class _Info:
    """What a piece of a pattern can match: `exact`, every string it can match (None:
    too many to list), and `need`, literals one of which each match contains (None:
    nothing known)."""

    __slots__ = ("exact", "need")

    def __init__(self, exact: set[str] | None, need: set[str] | None):
        self.exact = exact
        self.need = need


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two literal sets, both valid requirements."""
    if a is None:
        return b
    if b is None:
        return a
    ka, kb = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return a if ka >= kb else b


def _usable(lits: set[str] | None) -> set[str] | None:
    return lits if lits and "" not in lits and len(lits) <= _MAX_NEED else None


def _sequence(items) -> _Info:
    # `run`: every string the current run of listable pieces can spell; `whole`:
    # whether that run started at the sequence's start (then it is the sequence's
    # exact set too).
    run: set[str] | None = {""}
    whole = True
    need: set[str] | None = None
    for op, av in items:
        info = _node(op, av)
        need = _better(need, _usable(info.need))
        if run is not None and info.exact is not None and len(run) * len(info.exact) <= _MAX_SET:
            run = {a + b for a in run for b in info.exact}
            continue
        # The run ends here: one of the strings it spells is in every match.
        need = _better(need, _usable(run))
        whole = False
        run = info.exact if info.exact is not None and len(info.exact) <= _MAX_SET else None
    need = _better(need, _usable(run))
    return _Info(run if whole else None, need)


def _node(op, av) -> _Info:
    if op is _c.LITERAL:
        ch = _fold_char(av)
        return _Info({ch} if ch is not None else None, None)
    if op is _c.IN:
        chars = _set_chars(av)
        return _Info(chars if chars else None, None)
    if op is _c.AT:
        return _Info({""}, None)  # an anchor matches no characters
    if op is _c.SUBPATTERN:
        return _sequence(av[-1])
    if op is getattr(_c, "ATOMIC_GROUP", object()):
        return _sequence(av)
    if op is _c.BRANCH:
        infos = [_sequence(b) for b in av[1]]
        exact: set[str] | None = set()
        for i in infos:
            if i.exact is None or exact is None:
                exact = None
                break
            exact |= i.exact
        if exact is not None and len(exact) > _MAX_SET:
            exact = None
        need: set[str] | None = set()
        for i in infos:
            lits = _better(_usable(i.exact) if i.exact is not None else None, i.need)
            if lits is None or need is None:
                need = None
                break
            need |= lits
        return _Info(exact, _usable(need))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", object()):
        lo, hi, sub = av
        info = _sequence(sub)
        if lo == 0:
            return _Info(info.exact | {""} if hi == 1 and info.exact is not None else None, None)
        if lo == hi == 1:
            return info
        return _Info(None, info.need if info.need is not None else _usable(info.exact))
    if op is _c.ASSERT:
        # A lookaround that must succeed finds its text in the string too; it
        # consumes nothing.
        info = _sequence(av[1])
        return _Info({""}, info.need if info.need is not None else _usable(info.exact))
    if op is _c.ASSERT_NOT:
        return _Info({""}, None)
    return _Info(None, None)  # any character, classes, back references, conditionals


def _reads_alike(pattern: str, tree) -> bool:
    """Whether `regex` reads the pattern as `re` parsed it. A '{' that re takes for a
    character may open fuzzy matching in regex, and '[:' a POSIX class."""
    if _POSIX_CLASS.search(pattern):
        return False

    def walk(items) -> bool:
        for op, av in items:
            if op is _c.LITERAL and av in (ord("{"), ord("}")):
                return False
            if op is _c.SUBPATTERN and not walk(av[-1]):
                return False
            if op is _c.BRANCH and not all(walk(b) for b in av[1]):
                return False
            if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and not walk(av[2]):
                return False
            if op is getattr(_c, "POSSESSIVE_REPEAT", object()) and not walk(av[2]):
                return False
            if op is getattr(_c, "ATOMIC_GROUP", object()) and not walk(av):
                return False
            if op in (_c.ASSERT, _c.ASSERT_NOT) and not walk(av[1]):
                return False
            if op is _c.GROUPREF_EXISTS:
                return False
        return True

    return walk(tree)


@lru_cache(maxsize=4096)
def required_literals(pattern: str) -> frozenset[str] | None:
    """Folded literals at least one of which every match of `pattern` contains, with or
    without ignore case; None when the pattern cannot be screened so."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # re's FutureWarnings about nested sets
            tree = _sre_parse.parse(pattern, 0)
    except Exception:  # noqa: BLE001 - syntax only `regex` knows: run the pattern
        return None
    if not _reads_alike(pattern, tree):
        return None
    need = _sequence(tree).need
    if need is None or min(map(len, need)) < _MIN_LEN:
        return None
    return frozenset(need)


# pattern -> required_literals(pattern) for every pattern an index was built with, and
# for those an earlier run worked out (cache.py keeps them between runs, keyed by
# breaklint's code and the Python version, whose `re` parser this reads).
KNOWN: dict[str, frozenset[str] | None] = {}


def literals_of(pattern: str) -> frozenset[str] | None:
    """required_literals(pattern), from KNOWN when an earlier run worked it out."""
    if pattern not in KNOWN:
        KNOWN[pattern] = required_literals(pattern)
    return KNOWN[pattern]


def _chunks(literal: str) -> list[str]:
    """A literal's consecutive four-character pieces, the last one ending at its end."""
    out = [literal[i : i + 4] for i in range(0, len(literal) - 3, 4)]
    if len(literal) % 4:
        out.append(literal[-4:])
    return out


def may_hold(literals: frozenset[str] | None, present: frozenset[str]) -> bool:
    """Whether a text holding the literals `present` may match a pattern that needs one
    of `literals` (None: the pattern cannot be screened, so it may)."""
    return literals is None or not literals.isdisjoint(present)


class LiteralIndex:
    """The literals of a set of patterns, to find in one pass over a text which of
    them it holds. A literal of four or more characters is cut into four-character
    chunks (the last one overlapping if need be), and the literals are kept in a tree
    of those chunks: a text holding a literal holds each of its chunks among its
    four-character substrings, so only the branches whose chunks the text holds (a
    set lookup each) are walked, and only the literals at their ends are confirmed
    with a substring search. Literals of three characters are searched for directly."""

    def __init__(self, patterns: Iterable[str]):
        self.literals: dict[str, frozenset[str] | None] = {p: literals_of(p) for p in patterns}
        every = set().union(*(lits for lits in self.literals.values() if lits))
        self._short = sorted(lit for lit in every if len(lit) < 4)
        # chunk -> subtree; the key None holds the literals that end at a node. With
        # keys by first four characters alone, the hundreds of literals under a
        # common one ("you ", "your") were each tested on most texts.
        self._tree: dict[str | None, Any] = {}
        for lit in sorted(every):
            if len(lit) >= 4:
                node = self._tree
                for chunk in _chunks(lit):
                    node = node.setdefault(chunk, {})
                node.setdefault(None, []).append(lit)
        self._keys = frozenset(self._tree)

    def present(self, text: str) -> frozenset[str]:
        """The indexed literals that `text` holds (folded)."""
        f = fold(text)
        grams = {f[i : i + 4] for i in range(len(f) - 3)}
        out = [lit for lit in self._short if lit in f]
        stack = [self._tree[key] for key in self._keys.intersection(grams)]
        while stack:
            for chunk, child in stack.pop().items():
                if chunk is None:
                    out.extend(lit for lit in child if lit in f)
                elif chunk in grams:
                    stack.append(child)
        return frozenset(out)

    def may_match(self, pattern: str, present: frozenset[str]) -> bool:
        """Whether `pattern` may match a text holding these literals (True for a
        pattern that is not indexed or cannot be screened)."""
        return may_hold(self.literals.get(pattern), present)
