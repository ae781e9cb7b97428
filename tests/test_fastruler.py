"""The memoising attribute ruler (fastruler.py) must annotate exactly as spaCy's does:
every token's tag, part of speech, morphology, lemma, dependency and head are compared
between spaCy's own pipeline and breaklint's over the corpus, the real-world set and a
few hundred benchmark drafts, and breaklint's findings over the corpus must not move."""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import pytest
import spacy
from spacy.pipeline import AttributeRuler

import breaklint.nlp
from breaklint.engine import Linter, Options
from breaklint.evaluate import load_corpus, load_jsonl
from breaklint.fastruler import FastAttributeRuler, speed_up_attribute_rulers
from breaklint.nlp import load_pipeline
from breaklint.readers import draft_from_text
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus as bench_corpus  # noqa: E402

REALWORLD = Path(os.environ.get("BREAKLINT_REALWORLD", "/work/shared/realworld/emails.jsonl"))
if not REALWORLD.is_file():
    REALWORLD = ROOT.parent / "shared" / "realworld" / "emails.jsonl"


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").rglob("*.txt"))]
    if REALWORLD.is_file():
        texts += [json.loads(line)["body"] for line in REALWORLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(6)
    texts += [bench_corpus.draft(rng) for _ in range(300)]
    return texts


def _annotations(doc) -> list[tuple]:
    return [(t.i, t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.fixture(scope="module")
def stock():
    return load_pipeline(fast=False)


def test_breaklint_pipeline_uses_the_fast_ruler(stock):
    fast = load_pipeline()
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert type(stock.get_pipe("attribute_ruler")) is AttributeRuler
    assert fast.pipe_names == stock.pipe_names
    # Same patterns, so the pre-pass (which reads them) sees the same ruler.
    assert fast.get_pipe("attribute_ruler").patterns == stock.get_pipe("attribute_ruler").patterns


def test_every_token_is_annotated_as_spacy_does(stock):
    texts = _texts()
    assert len(texts) >= 500
    fast = load_pipeline()
    tokens = 0
    for text, a, b in zip(texts, stock.pipe(texts), fast.pipe(texts)):
        assert _annotations(a) == _annotations(b), text[:80]
        tokens += len(a)
    assert tokens > 50_000
    # The fast path did the work: it knows far fewer token kinds than it saw tokens.
    plan = fast.get_pipe("attribute_ruler")._plan
    assert 0 < len(plan.memo) < tokens / 20


def test_a_pickled_copy_annotates_the_same():
    """spaCy's multiprocessing pickles the pipeline when processes are spawned."""
    import pickle

    from breaklint.fastlemma import speed_up_lemmatizers

    plain = spacy.load(breaklint.nlp.DEFAULT_MODEL, exclude=list(breaklint.nlp.EXCLUDE))
    fast = spacy.load(breaklint.nlp.DEFAULT_MODEL, exclude=list(breaklint.nlp.EXCLUDE))
    assert speed_up_attribute_rulers(fast) == ["attribute_ruler"] and speed_up_lemmatizers(fast) == ["lemmatizer"]
    list(fast.pipe(_texts()[:5]))  # something learnt, to be carried over
    copy = pickle.loads(pickle.dumps(fast))
    assert isinstance(copy.get_pipe("attribute_ruler"), FastAttributeRuler)
    texts = _texts()[-40:]
    for text, a, b in zip(texts, plain.pipe(texts), copy.pipe(texts)):
        assert _annotations(a) == _annotations(b), text[:80]


def test_order_of_documents_does_not_matter(stock):
    """What the ruler learns from one draft never leaks wrongly into another: a fresh
    pipeline fed the drafts backwards annotates them the same."""
    texts = _texts()[::-1][:150]
    fresh = load_pipeline.__wrapped__()  # not the cached pipeline: nothing learnt yet
    assert isinstance(fresh.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert not fresh.get_pipe("attribute_ruler")._plan.memo
    for a, b in zip(stock.pipe(texts), fresh.pipe(texts)):
        assert _annotations(a) == _annotations(b)


def _run(linter: Linter, items) -> list:
    drafts = [draft_from_text(item.text, item.path or item.id) for item in items]
    return [(d.path, [f.to_dict() for f in found], list(d.warnings)) for d, found in linter.lint_drafts(drafts)]


def test_findings_over_the_corpus_do_not_change(stock, monkeypatch):
    items = load_corpus([str(ROOT / "corpus")])
    if REALWORLD.is_file():
        items += load_jsonl(str(REALWORLD))
    fast = _run(Linter(options=Options()), items)
    monkeypatch.setattr(breaklint.nlp, "load_pipeline", lambda model, fast=True: stock)
    plain_linter = Linter(options=Options())
    plain = _run(plain_linter, items)
    assert plain_linter._nlp is stock
    assert sum(len(f) for _, f, _ in plain) > 50  # the comparison covers real findings
    assert fast == plain


# -- rulers other than en_core_web_sm's ---------------------------------------

WORDS = "the a I you it is was n't not gon na let 's got ta y' all , . ! ? 42 Hello WORLD run runs ran".split()


def _ruler_pipeline(entries: list[dict]):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    # A first ruler gives tokens tags, so the second can read them.
    tagger = nlp.add_pipe("attribute_ruler", name="tags")
    tagger.add_patterns(
        [
            {"patterns": [[{"IS_PUNCT": True}]], "attrs": {"TAG": "."}},
            {"patterns": [[{"LOWER": {"IN": ["the", "a"]}}]], "attrs": {"TAG": "DT"}},
            {"patterns": [[{"LOWER": {"REGEX": "^run"}}]], "attrs": {"TAG": "VB"}},
            {"patterns": [[{"LIKE_NUM": True}]], "attrs": {"TAG": "CD"}},
        ]
    )
    ruler = nlp.add_pipe("attribute_ruler", name="under_test")
    ruler.add_patterns(entries)
    return nlp


CUSTOM = [
    {"patterns": [[{"TAG": "DT"}, {}]], "attrs": {"POS": "DET", "MORPH": "Definite=Def"}},
    {"patterns": [[{"TAG": "DT"}, {}]], "attrs": {"POS": "NOUN"}, "index": -1},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"ORTH": "I"}, {"LOWER": {"REGEX": "^(is|was)$"}}, {"IS_PUNCT": False}]], "attrs": {"DEP": "nsubj"}},
    {"patterns": [[{}, {"TEXT": {"NOT_IN": ["not", "n't"]}, "LENGTH": 2}, {"TAG": {"IN": [".", "CD"]}}]], "attrs": {"TAG": "XX"}, "index": -1},
    {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}},
    {"patterns": [[{"IS_UPPER": True}]], "attrs": {"POS": "PROPN"}},
    # Later entries win over earlier ones for the same attribute.
    {"patterns": [[{"TAG": "VB"}]], "attrs": {"POS": "VERB", "LEMMA": "run"}},
    {"patterns": [[{"LOWER": "runs"}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"POS": "PROPN", "IS_TITLE": True}]], "attrs": {"LEMMA": "never-set-before-the-ruler"}},
]


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def test_other_rulers_windows_negative_indexes_and_precedence():
    plain, fast = _ruler_pipeline(CUSTOM), _ruler_pipeline(CUSTOM)
    assert speed_up_attribute_rulers(fast) == ["tags", "under_test"]
    texts = _random_texts(400, 1) + ["gon na", "I was here", "the", "", "Hello WORLD 42 !"]
    changed = 0
    for a, b, c in zip(plain.pipe(texts), fast.pipe(texts), spacy.blank("en").pipe(texts)):
        assert _annotations(a) == _annotations(b)
        changed += _annotations(a) != _annotations(c)
    assert changed > 300  # the rulers really annotated these texts
    assert fast.get_pipe("under_test")._plan.lo == -2 and fast.get_pipe("under_test")._plan.hi == 2


@pytest.mark.parametrize(
    "entry",
    [
        {"patterns": [[{"LOWER": "the"}, {"OP": "?"}, {"TAG": "VB"}]], "attrs": {"POS": "VERB"}, "index": -1},
        {"patterns": [[{"_": {"breaklint_test_the": True}}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"LOWER": "the"}]], "attrs": {"NORM": "teh"}},  # NORM is set on the token, other lexical attributes on the lexeme
        {"patterns": [[{"IS_SENT_START": True}]], "attrs": {"POS": "X"}},
    ],
)
def test_a_ruler_the_fast_path_cannot_reason_about_keeps_spacy_s_component(entry):
    from spacy.tokens import Token

    if not Token.has_extension("breaklint_test_the"):
        Token.set_extension("breaklint_test_the", getter=lambda t: t.lower_ == "the")
    entries = [*CUSTOM[:3], entry]
    plain, fast = _ruler_pipeline(entries), _ruler_pipeline(entries)
    assert speed_up_attribute_rulers(fast) == ["tags"]
    assert type(fast.get_pipe("under_test")) is AttributeRuler
    texts = _random_texts(100, 2) + ["the ran run", "the runs"]
    changed = 0
    for a, b, c in zip(plain.pipe(texts), fast.pipe(texts), _ruler_pipeline(CUSTOM[:3]).pipe(texts)):
        assert _annotations(a) == _annotations(b)
        changed += [t.norm_ for t in a] != [t.norm_ for t in c] or _annotations(a) != _annotations(c)
    assert changed  # the entry the fast path refused did take effect
