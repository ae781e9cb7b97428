"""The readers' fuzz target (tests/fuzz_readers.py), a bounded number of iterations:
mutated .eml, HTML, Markdown, template and text files are read or refused, never
crash, and their findings point inside the file."""

from __future__ import annotations

from fuzz_readers import run_fuzz


def test_readers_survive_mutated_inputs(tmp_path):
    stats = run_fuzz(iterations=400, seed=20261130, workdir=tmp_path)
    # The loop reached every outcome: refused inputs, drafts, and drafts with findings.
    assert stats["refused"] > 0 and stats["read"] > 0 and stats["findings"] > 0, stats
    assert sum(stats.values()) == 400


# -- hostile rule files ------------------------------------------------------------------

_RULE = {
    "id": "TEST001", "category": "sarcasm", "severity": "warning", "message": "A test rule.", "why": "Because.",
    "source": None, "profiles": ["breakup"], "zones": ["body"], "confidence": "high",
    "match": {"phrases": ["deep sigh"], "attr": "LOWER"},
    "unless": [{"regex": "x", "scope": "span", "ignore_case": True}],
    "requires": {"merge_tags": {"report": "unfilled", "syntaxes": ["double_brace"]}},
    "suggest": ["Drop it."], "fix": {"replace": "", "safe": True},
    "examples": {"flag": ["(deep sigh)", {"text": "a", "profile": "breakup", "known_variables": ["x"]}], "pass": ["b"]},
}
_ODD = [None, True, 0, -1, 1.5, float("nan"), float("inf"), "", "x", "(", "[z-a]", [], [None], [[1]], {}, {"a": 1},
        {1: 2}, [{"x": [1]}], ["a", 1], {"name": [1]}, {"report": [1]}, {"name": "reading_time", "wpm": [1]},
        {"tokens": [[{"LOWER": {"IN": 5}}]]}, "LOWER", "sentence", "9" * 400]


def _mutated_rule(rng):
    import copy

    data = copy.deepcopy(_RULE)
    if rng.random() < 0.5:
        data["match"] = rng.choice([{"metric": {"name": "reading_time", "wpm": 200}}, {"regex": ["a", "b"]},
                                    {"tokens": [[{"LOWER": "a"}]], "span": [0, 0]}, {"dependency": [[{"RIGHT_ID": "a", "RIGHT_ATTRS": {}}]]}])
    paths = []

    def walk(x, p):
        paths.append(p)
        for k, v in (x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()):
            walk(v, p + (k,))

    walk(data, ())
    for _ in range(rng.randint(1, 3)):
        p = rng.choice(paths[1:])
        target = data
        try:
            for k in p[:-1]:
                target = target[k]
            if isinstance(target, dict) and rng.random() < 0.2:
                target[rng.choice([1, None, True, "zzz"])] = copy.deepcopy(rng.choice(_ODD))
            else:
                target[p[-1]] = copy.deepcopy(rng.choice(_ODD))
        except (KeyError, IndexError, TypeError):
            pass
    return data


def test_mutated_rule_files_are_rule_errors_never_crashes(tmp_path):
    """Every field of a full rule replaced by values of the wrong type or shape: the
    loader answers with a RuleError naming the file, or loads the rule."""
    import random

    import yaml

    from breaklint.errors import RuleError
    from breaklint.ruleset import load_rule_file

    rng = random.Random(7)
    path = tmp_path / "TEST001.yaml"
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(400):
        path.write_text(yaml.safe_dump(_mutated_rule(rng), allow_unicode=True), encoding="utf-8")
        try:
            load_rule_file(path)
            outcomes["loaded"] += 1
        except RuleError as exc:
            assert str(exc).startswith(str(path)), exc
            outcomes["refused"] += 1
    assert outcomes["loaded"] > 0 and outcomes["refused"] > 0, outcomes
