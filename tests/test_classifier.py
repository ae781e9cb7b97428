"""The tone model: how it cuts and reads sentences, how rules use it, and that it ships
inside the package and loads without the network."""

from __future__ import annotations

import json
import socket
import textwrap

import pytest

from breaklint.classifier import MODEL_DIR, flagged, load_model, model_text, prepare, score_sentences, score_units, split_sentences
from breaklint.engine import _drop_seconded
from breaklint.errors import RuleError
from breaklint.finding import Finding
from breaklint.ruleset import load_rule_file

from conftest import ROOT, linter_for


def pieces(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_split_on_lines_then_sentence_ends():
    text = "Hi Ana,\nThanks for the call. Did the quote help?  Let me know!\n\n- 24/7 support\n"
    assert pieces(text) == ["Hi Ana,", "Thanks for the call.", "Did the quote help?", "Let me know!", "- 24/7 support"]


def test_split_keeps_closing_quotes_with_their_sentence_and_skips_symbol_lines():
    text = 'She said "that\'s great." Then nothing.\n---\n:)\n'
    assert pieces(text) == ['She said "that\'s great."', "Then nothing."]


def test_prepare_drops_markdown_and_addresses_but_keeps_words():
    assert prepare("**What we do:**") == "what we do:"
    assert prepare("- **Game Coverage** – Highlight reels") == "game coverage – highlight reels"
    assert prepare("[Book a DEMO](https://example.com/x)") == "book a demo"
    assert prepare("*sigh*") == "sigh"
    assert prepare("See https://example.com/a-b-c for more") == "see for more"


def test_model_text_rejects_what_the_model_cannot_judge():
    assert model_text("https://example.com/one-two-three") is None  # nothing left after prepare
    assert model_text("Week one:") is None  # too few words
    assert model_text("word " * 200) is None  # a paragraph the splitter could not cut
    assert model_text("Thanks for the call.") == "thanks for the call."


def test_lines_that_are_only_addresses_or_formatting_do_not_break_scoring():
    model = load_model()
    text = "https://example.com/one-two-three\n**\n- \nWow, what a masterclass in saying nothing for three months.\n"
    scored = score_sentences(text, model)
    assert [text[s:e] for s, e, _ in scored] == ["Wow, what a masterclass in saying nothing for three months."]
    assert set(scored[0][2]) == {"sarcasm", "customer-blaming", "ultimatum"}


def test_scores_separate_sarcasm_from_sincere_thanks():
    model = load_model()
    mock, sincere = score_sentences(
        "Thanks ever so much for keeping me on my toes with all that silence.\n"
        "Thanks again for the detailed feedback on the pilot.\n",
        model,
    )
    assert mock[2]["sarcasm"] > 0.6 > sincere[2]["sarcasm"]


def test_model_loads_and_scores_with_sockets_unusable(monkeypatch):
    load_model.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("the tone model tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    try:
        scored = score_sentences("If I don't hear back by Friday, I'll close your file.", load_model())
    finally:
        load_model.cache_clear()
    assert scored and scored[0][2]["ultimatum"] > 0.5


def _train_tone():
    """training/train_tone.py as a module: the tests check the shipped model against it."""
    import sys

    sys.path.insert(0, str(ROOT / "training"))
    try:
        import train_tone
    finally:
        sys.path.remove(str(ROOT / "training"))
    return train_tone


def test_model_is_small_and_records_how_it_was_trained():
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 20_000_000
    info = json.loads((MODEL_DIR / "training.json").read_text(encoding="utf-8"))
    assert info["script"] == "training/train_tone.py"
    # The model may read only splits already scored once and tuned on: never the test
    # split, the selection splits its thresholds are chosen on, or a newer holdout still
    # to be scored (corpus/README.md, "Training on the tuned splits").
    train_tone = _train_tone()
    assert info["splits"] == ["train", *train_tone.TRAIN_SPLITS]
    assert "test" not in info["splits"]
    assert not set(info["splits"]) & set(train_tone.SELECTION_SPLITS)
    newest_trained = max(int(s[len("holdout"):] or 1) for s in info["splits"] if s.startswith("holdout"))
    oldest_selection = min(int(s[len("holdout"):]) for s in train_tone.SELECTION_SPLITS)
    assert newest_trained < oldest_selection


RULE = """\
id: TEST900
category: sarcasm
severity: warning
message: Model says so ({score}).
why: Because.
source: 004_aa5fa756eb8dbb07.txt
match:
  classifier: {label: sarcasm, threshold: 0.6}
suggest:
  - Drop it.
examples:
  flag: ["Wow, what a masterclass in saying nothing for three months."]
  pass: ["Thanks again for the detailed feedback on the pilot."]
"""


@pytest.mark.parametrize(
    "old,new,field",
    [
        ("label: sarcasm", "label: rudeness", "match.classifier"),
        ("threshold: 0.6", "threshold: 1.5", "match.classifier.threshold"),
        ("threshold: 0.6", "threshold: 0.6, lang: en", "match.classifier.lang"),
    ],
)
def test_bad_classifier_specs_name_the_field(tmp_path, old, new, field):
    path = tmp_path / "TEST900.yaml"
    path.write_text(RULE.replace(old, new), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rule_file(path)
    assert field in str(info.value) and info.value.line == 8


def test_classifier_is_only_allowed_in_match(tmp_path):
    path = tmp_path / "TEST900.yaml"
    path.write_text(
        RULE + textwrap.dedent("""\
            unless:
              classifier: {label: sarcasm}
            """),
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as info:
        load_rule_file(path)
    assert "only allowed in 'match'" in str(info.value)


def finding(rule: str, category: str, start: int, end: int) -> Finding:
    return Finding(
        path="d.txt", rule=rule, category=category, severity="warning", start=start, end=end,
        line=1, column=start + 1, end_line=1, end_column=end + 1, text="x" * (end - start),
        message="m", suggestion=None, source=None,
    )


def test_model_finding_is_dropped_where_a_rule_of_its_category_already_fired():
    model = finding("SARC900", "sarcasm", 0, 40)
    rule = finding("SARC001", "sarcasm", 10, 20)
    other_category = finding("BLAME001", "customer-blaming", 10, 20)
    assert _drop_seconded([model, rule], frozenset({"SARC900"})) == [rule]
    assert _drop_seconded([model, other_category], frozenset({"SARC900"})) == [model, other_category]
    elsewhere = finding("SARC001", "sarcasm", 50, 60)
    assert _drop_seconded([model, elsewhere], frozenset({"SARC900"})) == [model, elsewhere]


def test_model_rules_report_the_sentence_with_its_score_and_which_rule_fired():
    text = "Hi Dana,\n\nWow, what a masterclass in saying nothing for three months.\n\nBest,\nLee\n"
    found = [f for f in linter_for("breakup").lint_text(text, "d.txt") if f.rule == "SARC900"]
    assert len(found) == 1
    f = found[0]
    assert f.text == "Wow, what a masterclass in saying nothing for three months."
    assert text[f.start:f.end] == f.text and f.line == 3 and f.column == 1
    assert f.confidence == "medium"
    score = float(f.message.rsplit("score ", 1)[1].rstrip(").").strip())
    assert 0.6 <= score <= 1.0
    assert f.text in (f.suggestion or "")


def test_the_shipped_model_was_trained_on_the_training_data_in_the_repository():
    # Editing corpus/train, a core draft or a draft of a split it trains on without
    # retraining would ship a model whose figures describe other data;
    # training/train_tone.py records what it read.
    train_tone = _train_tone()
    sources = train_tone.training_sources(train_tone.training_drafts())
    info = json.loads((MODEL_DIR / "training.json").read_text(encoding="utf-8"))
    assert info["data_sha256_16"] == train_tone.data_digest(sources), "retrain: python training/train_tone.py"


def test_scores_from_the_memo_are_those_of_scoring_each_draft_alone(tmp_path):
    # The engine shares one memo across a run's drafts: a sentence's scores must not
    # depend on the batch it was scored in.
    from test_prefilter import ITEMS, _bench_drafts

    from breaklint.engine import analysis_for
    from breaklint.readers import draft_from_text

    model = load_model()
    drafts = [draft_from_text(item.text, item.path or item.id) for item in ITEMS] + _bench_drafts(tmp_path)[:100]
    texts = [analysis_for(d, ("greeting", "body", "closing")).text for d in drafts]
    memo: dict = {}
    shared = [score_sentences(t, model, memo=memo) for t in texts]
    alone = [score_sentences(t, model) for t in texts]
    assert shared == alone
    assert sum(len(s) for s in shared) > 2000
    # Repeated sentences come from the memo: scoring again runs no model.
    calls = []
    real_pipe = model.pipe
    model.pipe = lambda *a, **k: (calls.append(a), real_pipe(*a, **k))[1]
    try:
        assert [score_sentences(t, model, memo=memo) for t in texts[:50]] == shared[:50]
    finally:
        del model.pipe
    # (The memo also remembers sentences too short to score, as None.)
    assert calls == [] and sum(v is not None for v in memo.values()) < sum(len(s) for s in shared)


def test_pairs_are_the_adjacent_sentences_read_together():
    text = "Hats off to you. You'd be a gun at poker. Best of luck with the season."
    sentences, pairs = score_units(text, load_model())
    spans = split_sentences(text)
    assert [(s, e) for s, e, _ in sentences] == spans
    assert [(s, e) for s, e, _ in pairs] == [(spans[0][0], spans[1][1]), (spans[1][0], spans[2][1])]
    model = load_model()
    assert pairs[0][2] == model(prepare(text[spans[0][0]:spans[0][1]] + " " + text[spans[1][0]:spans[1][1]])).cats


def test_a_salutation_line_pairs_with_nothing():
    # "Dear Sir, Greetings from ..." read as one unit pushed the model to sarcasm on
    # plain openings; the salutation is still scored alone (and is too short to judge).
    text = "Dear Sir or Madam,\nRe: RFQ 2231 for stainless fasteners\nPlease find our quotation attached."
    spans = split_sentences(text)
    assert len(spans) == 3
    _, pairs = score_units(text, load_model())
    assert [(s, e) for s, e, _ in pairs] == [(spans[1][0], spans[2][1])]
    # Only a salutation: a line that opens with "Hi" but says more still pairs.
    text = "Hi again, no reply yet.\nBravo."
    _, pairs = score_units(text, load_model())
    assert len(pairs) == 1


def test_a_pair_is_reported_only_where_no_sentence_of_it_already_is():
    def unit(s, e, score):
        return (s, e, {"sarcasm": score})

    sentences = [unit(0, 10, 0.2), unit(11, 20, 0.95), unit(21, 30, 0.3), unit(31, 40, 0.1)]
    pairs = [unit(0, 20, 0.97), unit(11, 30, 0.9), unit(21, 40, 0.92)]
    assert flagged(sentences, pairs, "sarcasm", 0.9) == [
        (11, 20, 0.95, "sentence"),
        (21, 40, 0.92, "pair of sentences"),
    ]
    # Two pairs that overlap each other: the first one reported stands.
    assert flagged([unit(0, 10, 0.1), unit(11, 20, 0.1), unit(21, 30, 0.1)], [unit(0, 20, 0.9), unit(11, 30, 0.95)], "sarcasm", 0.9) == [
        (0, 20, 0.9, "pair of sentences")
    ]
    assert flagged(sentences, pairs, "sarcasm", 0.99) == []


def test_a_model_finding_on_a_pair_spans_both_sentences_and_says_so():
    # Neither "Not a peep all month." nor "Very relaxing." reads as sarcasm alone; together
    # they do, and the finding covers both.
    text = "Hi Dana,\n\nNot a peep all month. Very relaxing.\n\nBest,\nLee\n"
    model = load_model()
    alone = [model(prepare(t)).cats["sarcasm"] for t in ("Not a peep all month.", "Very relaxing.")]
    found = [f for f in linter_for("breakup").lint_text(text, "d.txt") if f.rule == "SARC900"]
    assert max(alone) < 0.85 and len(found) == 1
    assert found[0].text == "Not a peep all month. Very relaxing."
    assert found[0].message.startswith("This pair of sentences reads as sarcastic")

