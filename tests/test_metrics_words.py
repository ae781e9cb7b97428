"""The reading-time word count (metrics.count_words) is textstat 0.7's
lexicon_count(text, removepunct=True), reimplemented so that linting never imports
textstat (and nltk with it). Compared with textstat itself, which stays a test
dependency, on every corpus draft, the real-world set, the bench corpus and generated
text."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breaklint.evaluate import load_corpus, load_jsonl
from breaklint.metrics import ReadingTime, count_words
from conftest import ROOT

textstat = pytest.importorskip("textstat")


def _reference(text: str) -> int:
    return int(textstat.lexicon_count(text, removepunct=True))


def _texts() -> list[str]:
    from test_prefilter import REALWORLD

    items = load_corpus([str(ROOT / "corpus")])
    if REALWORLD.is_file():
        items += load_jsonl(str(REALWORLD))
    return [item.text for item in items]


def test_same_count_as_textstat_on_every_corpus_draft():
    texts = _texts()
    assert len(texts) > 500
    assert [count_words(t) for t in texts] == [_reference(t) for t in texts]


def test_same_count_as_textstat_on_the_bench_corpus(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus as bench_corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    texts = [p.read_text(encoding="utf-8") for p in bench_corpus.build(tmp_path, 300, 6)]
    assert [count_words(t) for t in texts] == [_reference(t) for t in texts]


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "-- --- ...", "I'm sure we'll", "'quoted' 'tis rock 'n' roll", "don't' 's 'd 've 'll 're",
        "e-mail co-op", "50% off, $1,200.00!", "naïve café — 東京 über", "tab\there\nnew\u00a0line\u2003em",
        "under_score __ _", "it’s curly ‘quotes’", "{{first_name}} {first} %FIRST%",
    ],
)
def test_same_count_as_textstat_on_edge_cases(text):
    assert count_words(text) == _reference(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("ab'’-_.,!? \t\n\u00a0é5{}%$") + ["ve", "ll", "re", "t", "s", "d"]), max_size=40).map("".join))
def test_same_count_as_textstat_on_generated_text(text):
    assert count_words(text) == _reference(text)


def test_the_reading_time_metric_uses_it_and_never_imports_textstat():
    import subprocess

    code = (
        "import sys\n"
        "from breaklint.engine import Linter, Options\n"
        "f = Linter(options=Options(select=('length',))).lint_text('Hi Sam,\\n\\n' + 'We can help your team. ' * 40)\n"
        "assert any(x.category == 'length' for x in f), f\n"
        "assert 'textstat' not in sys.modules and 'nltk' not in sys.modules, sorted(m for m in sys.modules if 'text' in m)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert ReadingTime.count_words("one, two - three") == 2 + 1
