"""The array-based lemmatizer (fastlemma.py) must give exactly spaCy's lemmas. The
corpus-wide comparison of every token is in test_fastruler.py (breaklint's pipeline
against spaCy's); these cover the lemmatizer's other modes and settings."""

from __future__ import annotations

import random
import warnings

import pytest
import spacy
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer

from breaklint.fastlemma import FastEnglishLemmatizer, FastLemmatizer, speed_up_lemmatizers
from breaklint.nlp import DEFAULT_MODEL, EXCLUDE, load_pipeline

WORDS = "I ran and she runs ; the children were running while dogs barked , better days came . Gone .".split()


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 25))) for _ in range(count)]


def _lemmas(nlp, texts):
    return [[(t.text, t.pos_, t.lemma_) for t in doc] for doc in nlp.pipe(texts)]


def test_breaklint_pipeline_uses_the_fast_lemmatizer():
    assert isinstance(load_pipeline().get_pipe("lemmatizer"), FastEnglishLemmatizer)
    assert not isinstance(load_pipeline(fast=False).get_pipe("lemmatizer"), FastEnglishLemmatizer)


def test_overwrite_replaces_the_attribute_ruler_s_lemmas():
    plain = spacy.load(DEFAULT_MODEL, exclude=list(EXCLUDE))
    fast = spacy.load(DEFAULT_MODEL, exclude=list(EXCLUDE))
    for nlp in (plain, fast):
        nlp.get_pipe("lemmatizer").overwrite = True
    assert speed_up_lemmatizers(fast) == ["lemmatizer"]
    assert fast.get_pipe("lemmatizer").overwrite
    texts = _texts(150, 1) + ["I'm gonna go, y'all.", "Let's see what they've got."]
    assert _lemmas(plain, texts) == _lemmas(fast, texts)
    # Without overwrite the ruler's lemma for "'m" ("be") stays; with it the rules decide.
    default = load_pipeline(fast=False)
    assert _lemmas(plain, texts) != _lemmas(default, texts)


def _blank(mode: str, lookups: Lookups, lang: str = "en"):
    nlp = spacy.blank(lang)
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": mode})
    lemmatizer.initialize(lookups=lookups)
    return nlp


def _lookup_tables() -> Lookups:
    lookups = Lookups()
    lookups.add_table("lemma_lookup", {"ran": "run", "runs": "run", "children": "child", "were": "be"})
    return lookups


def test_lookup_mode():
    lookups = _lookup_tables()
    # A multi-language pipeline gets spaCy's plain Lemmatizer, not the English one.
    plain, fast = _blank("lookup", lookups, "xx"), _blank("lookup", lookups, "xx")
    assert type(plain.get_pipe("lemmatizer")) is Lemmatizer
    assert speed_up_lemmatizers(fast) == ["lemmatizer"]
    assert type(fast.get_pipe("lemmatizer")) is FastLemmatizer
    texts = _texts(100, 2)
    assert _lemmas(plain, texts) == _lemmas(fast, texts)
    assert ("ran", "", "run") in [t for doc in _lemmas(fast, texts) for t in doc]


def test_tokens_without_a_part_of_speech_warn_as_spacy_does():
    """The rule lemmatizer with no tagger: spaCy warns (W108) and lower-cases."""
    tables = load_pipeline(fast=False).get_pipe("lemmatizer").lookups
    plain, fast = _blank("rule", tables), _blank("rule", tables)
    assert speed_up_lemmatizers(fast) == ["lemmatizer"]
    texts = _texts(20, 3)
    with warnings.catch_warnings(record=True) as caught_plain:
        warnings.simplefilter("always")
        a = _lemmas(plain, texts)
    with warnings.catch_warnings(record=True) as caught_fast:
        warnings.simplefilter("always")
        b = _lemmas(fast, texts)
    assert a == b
    assert any("W108" in str(w.message) for w in caught_plain)
    assert len(caught_plain) == len(caught_fast)


def test_a_lemmatizer_subclass_is_left_alone():
    class Custom(Lemmatizer):
        def lookup_lemmatize(self, token):
            return [token.text.upper()]

    name = "breaklint_test_custom_lemmatizer"
    if not Language.has_factory(name):
        Language.factory(name, func=lambda nlp, name: Custom(nlp.vocab, None, name, mode="lookup"))
    nlp = spacy.blank("xx")
    nlp.add_pipe(name, name="lemmatizer").initialize(lookups=_lookup_tables())
    assert speed_up_lemmatizers(nlp) == []
    assert type(nlp.get_pipe("lemmatizer")) is Custom
    assert [t.lemma_ for t in nlp("ran away")] == ["RAN", "AWAY"]
