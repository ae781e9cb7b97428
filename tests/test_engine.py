"""Engine behaviour independent of any particular built-in rule."""

from __future__ import annotations

import textwrap

import pytest

from breaklint.engine import Linter, Options, fill
from breaklint.readers import draft_from_text
from breaklint.ruleset import load_rule_file


def make_rule(tmp_path, body: str, rid: str = "TEST001"):
    head = f"id: {rid}\ncategory: sarcasm\nseverity: warning\nmessage: 'Test: {{text}}'\nwhy: Because.\nsource: null\nsuggest: ['Drop {{text}}.']\n"
    examples = "examples: {flag: [x], pass: [y]}\n"
    p = tmp_path / f"{rid}.yaml"
    p.write_text(head + textwrap.dedent(body) + examples, encoding="utf-8")
    return load_rule_file(p)


def lint(rule, text, profile="breakup"):
    return Linter(rules=[rule], options=Options(profile=profile)).lint_text(text)


def test_requires_same_sentence(tmp_path):
    rule = make_rule(tmp_path, """
        match: {phrases: [brilliant]}
        requires:
          - {phrases: [respond, reply], attr: LEMMA}
    """)
    assert [f.text for f in lint(rule, "A brilliant way to never respond. Thanks.")] == ["brilliant"]
    assert lint(rule, "A brilliant quarter for you. I hope you reply.") == []


def test_unless_scopes(tmp_path):
    sentence = make_rule(tmp_path, "match: {phrases: [sigh]}\nunless: [{phrases: [relief]}]\n")
    assert lint(sentence, "A sigh of relief. Another sigh.")[0].text == "sigh"
    assert len(lint(sentence, "A sigh of relief. Another sigh.")) == 1
    draft = make_rule(tmp_path, "match: {phrases: [sigh]}\nunless: [{phrases: [relief], scope: draft}]\n", "TEST002")
    assert lint(draft, "A sigh. Later, relief.") == []
    span = make_rule(tmp_path, "match: {phrases: [deep sigh]}\nunless: [{phrases: [sigh], scope: span}]\n", "TEST003")
    assert lint(span, "A deep sigh.") == []


def test_sentence_scope_in_the_subject_line_with_a_parsed_body(tmp_path):
    """The subject line is never parsed. When another rule has the body parsed, a
    sentence-scoped condition on a subject-line hit must still read the subject line,
    not the nearest parsed sentence of the body."""
    subject = make_rule(tmp_path, """
        zones: [subject]
        match: {regex: 'yes or no'}
        unless: [{regex: 'booking'}]
    """)
    body = make_rule(tmp_path, "match: {phrases: [sigh]}\nunless: [{phrases: [relief]}]\n", "TEST002")
    text = "Subject: Your booking, yes or no?\n\nHi Sam,\n\nA sigh of relief. Another sigh.\n"
    for rules in ([subject], [subject, body]):
        found = Linter(rules=rules, options=Options()).lint_text(text)
        assert [f.rule for f in found if f.rule == "TEST001"] == []
    bare = text.replace("Your booking, ", "")
    found = Linter(rules=[subject, body], options=Options()).lint_text(bare)
    assert [(f.rule, f.text) for f in found] == [("TEST001", "yes or no"), ("TEST002", "sigh")]


def test_rule_sees_only_its_zones(tmp_path):
    rule = make_rule(tmp_path, "match: {phrases: [never replied]}\n")
    text = "Hi Jo,\n\nThanks for the call.\n\nBest,\nSam\n\nOn Mon, 2 Mar 2026, Jo wrote:\n> You never replied to me.\n"
    assert lint(rule, text) == []
    assert len(lint(rule, "Hi Jo,\n\nYou never replied to me.\n")) == 1


def test_tone_rules_see_through_merge_tags(tmp_path):
    rule = make_rule(tmp_path, """
        match:
          dependency:
            - - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: reply}}
              - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: subj, RIGHT_ATTRS: {DEP: nsubj, LOWER: you}}
              - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: neg, RIGHT_ATTRS: {DEP: neg}}
          span: [subj, verb]
    """)
    found = lint(rule, "Hi {{first_name}}, you never replied to {{company_name}}'s invite.")
    assert [f.text for f in found] == ["you never replied"]


def test_positions_map_back_through_bom_and_crlf(tmp_path):
    rule = make_rule(tmp_path, "match: {regex: 'sigh'}\n")
    text = "Hi Jo,\r\n\r\nWell (sigh) ok.\r\n"
    f = lint(rule, text)[0]
    assert (f.line, f.column, f.end_line, f.end_column) == (3, 7, 3, 11)
    assert text[f.start : f.end] == "sigh"


def test_message_and_suggestion_use_the_matched_text(tmp_path):
    rule = make_rule(tmp_path, "match: {phrases: [deep sigh]}\n")
    f = lint(rule, "We have tried every channel we could think of this quarter (deep\n    sigh) and moved on.")[0]
    assert f.message == "Test: deep sigh" and f.suggestion == "Drop deep sigh."


def test_removal_fix_takes_one_neighbouring_space(tmp_path):
    rule = make_rule(tmp_path, "match: {regex: '\\(deep sigh\\)'}\nfix: {replace: '', safe: true}\n")
    text = "I am throwing in the towel (deep sigh). Best of luck."
    f = lint(rule, text)[0]
    assert f.fix is not None and f.fix.safe
    fixed = text[: f.fix.start] + f.fix.replacement + text[f.fix.end :]
    assert fixed == "I am throwing in the towel. Best of luck."


def test_fill_leaves_unknown_braces_alone():
    assert fill("{a:.1f} and {b} and {{c}}", {"a": 2.345}) == "2.3 and {b} and {{c}}"


def test_profiles_filter_rules(tmp_path):
    p = tmp_path / "r.yaml"
    rule = make_rule(tmp_path, "profiles: [no-breakup]\nmatch: {phrases: [last email]}\n")
    assert lint(rule, "This is my last email.", "breakup") == []
    assert len(lint(rule, "This is my last email.", "no-breakup")) == 1
    del p


def test_regex_with_catastrophic_backtracking_is_stopped(tmp_path):
    rule = make_rule(tmp_path, "match: {regex: '(a|aa)+$'}\n")
    draft = draft_from_text("a" * 40 + "!")
    linter = Linter(rules=[rule], options=Options(regex_timeout=0.2))
    assert linter.lint_draft(draft) == []
    assert any("longer than 0.2 s" in w for w in draft.warnings)


def test_pipeline_loads_without_ner_and_is_shared():
    from breaklint.nlp import load_pipeline

    a = load_pipeline()
    assert "ner" not in a.pipe_names and "parser" in a.pipe_names
    assert load_pipeline() is a


def test_unknown_model_is_a_config_error():
    from breaklint.errors import ConfigError

    linter = Linter(options=Options(model="xx_not_installed_pipeline"))
    with pytest.raises(ConfigError, match="not installed"):
        linter.lint_text("You never replied to me.")


def test_dependency_span_follows_the_pattern_that_matched(tmp_path):
    # Two 3-node patterns with the same length and different node order: the span must
    # be read with the names of the pattern that matched, not the first one.
    rule = make_rule(tmp_path, """
        match:
          dependency:
            - - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: close}}
              - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: obj, RIGHT_ATTRS: {DEP: dobj}}
              - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: subj, RIGHT_ATTRS: {DEP: nsubj}}
            - - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: send}}
              - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: subj, RIGHT_ATTRS: {DEP: nsubj}}
              - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: obj, RIGHT_ATTRS: {DEP: dobj}}
          span: [verb, obj]
    """)
    assert [f.text for f in lint(rule, "We will send the big file tomorrow morning.")] == ["send the big file"]
    assert [f.text for f in lint(rule, "We will close the big file tomorrow morning.")] == ["close the big file"]


def test_token_span_indexes_the_pattern_that_matched(tmp_path):
    rule = make_rule(tmp_path, """
        match:
          tokens:
            - [{LOWER: so}, {LOWER: very}, {LOWER: busy}, {LOWER: indeed}]
            - [{LOWER: so}, {LOWER: busy}]
          span: [-1, -1]
    """)
    assert [f.text for f in lint(rule, "You are so busy.")] == ["busy"]
    assert [f.text for f in lint(rule, "You are so very busy indeed.")] == ["indeed"]


def test_a_capped_regex_tail_never_ends_a_finding_inside_a_word(tmp_path):
    rule = make_rule(tmp_path, """
        match: {regex: ["\\\\bchecking in[^.]{0,22}"], ignore_case: true}
    """)
    text = "Just checking in to see if you had a chance to look."
    (finding,) = lint(rule, text)
    # The tail stops in "chance"; the finding ends after "a" instead.
    assert finding.text == "checking in to see if you had a"
    assert "Drop checking in to see if you had a." == finding.suggestion
    # A tail that stops at a word's end is left as it is.
    (whole,) = lint(rule, "Just checking in on the pilot.")
    assert whole.text == "checking in on the pilot"


def test_warm_up_before_forking_loads_only_what_the_rules_in_use_need():
    # Loaded once in the parent, the tone model and the regex literal index are shared
    # by the forked workers; a run whose rules need no model does not load it.
    from breaklint.classifier import load_model

    load_model.cache_clear()
    tags_only = Linter(options=Options(select=("merge-tag",)))
    tags_only._warm_up()
    assert load_model.cache_info().currsize == 0
    everything = Linter()
    everything._warm_up()
    assert load_model.cache_info().currsize == 1
    assert everything._literals is not None and everything._literals.literals


def test_the_loaded_pipeline_is_settled_once_per_process(monkeypatch):
    # The pipeline and tone model go to the collector's permanent generation when
    # first loaded (engine._settle), not again for every Linter. (Counting calls, not
    # gc.get_freeze_count(): frozen objects that die later leave the count.)
    import gc

    from breaklint import engine

    Linter().lint_text("Hi Sam,\n\nYou never replied to my emails.\n\nBest,\nAna\n")
    assert ("pipeline", Options().model) in engine._SETTLED and ("tone model",) in engine._SETTLED
    assert gc.get_freeze_count() > 0
    calls: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(1))
    Linter().lint_text("Hi Sam,\n\nYou never replied to my emails.\n\nBest,\nAna\n")
    assert calls == []
