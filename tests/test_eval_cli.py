"""`breaklint eval`: which labelled sets it reads and how it reports on them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from breaklint.cli import main

LABELS = {"sarcasm": False, "customer-blaming": False, "ultimatum": False, "self-oriented": False, "length": False, "merge-tag": False}


def _draft(folder, name: str, text: str, split: str, **labels: bool) -> None:
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    sidecar = {"kind": "followup", "split": split, "labels": {**LABELS, **labels}}
    (folder / f"{name}.yaml").write_text(json.dumps(sidecar), encoding="utf-8")  # JSON is YAML


def _run(*args: str):
    return CliRunner().invoke(main, ["eval", "-q", *args], catch_exceptions=False)


def test_reports_each_split_a_sidecar_names_and_selects_one(tmp_path):
    _draft(tmp_path, "a", "Hi Ana,\n\nHi {{first_name}}, the report is attached.\n\nBest,\nSam\n", "dev", **{"merge-tag": True})
    _draft(tmp_path, "b", "Hi Bo,\n\nThe signed order form is attached.\n\nBest,\nSam\n", "holdout")
    everything = _run(str(tmp_path))
    assert everything.exit_code == 0
    assert "corpus dev: 1 drafts" in everything.output and "corpus holdout: 1 drafts" in everything.output
    assert everything.output.index("corpus dev") < everything.output.index("corpus holdout")
    one = _run("--split", "holdout", str(tmp_path))
    assert one.exit_code == 0
    assert "corpus holdout: 1 drafts" in one.output and "corpus dev" not in one.output


def test_unknown_split_is_a_usage_error_naming_the_splits_found(tmp_path):
    _draft(tmp_path, "a", "Hi Ana,\n\nThe report is attached.\n\nBest,\nSam\n", "dev")
    result = _run("--split", "tset", str(tmp_path))
    assert result.exit_code == 2
    assert "no drafts in split 'tset'" in result.output and "dev" in result.output


def test_a_folder_without_sidecars_is_an_error_not_an_empty_report(tmp_path):
    (tmp_path / "draft.txt").write_text("Hi Ana,\n\nThanks.\n", encoding="utf-8")
    result = _run(str(tmp_path))
    assert result.exit_code == 2
    assert "no labelled drafts" in result.output


def test_a_jsonl_file_given_as_a_path_is_scored(tmp_path):
    none = {"sarcasm": 0, "customer_blaming": 0, "ultimatum": 0, "self_oriented": 0, "too_long": 0, "unfilled_merge_tags": 0}
    rows = [
        {"id": "r1", "body": "Hi {{first_name}},\n\nThe deck is attached.\n\nBest,\nSam", "labels": {**none, "unfilled_merge_tags": 1}},
        {"id": "r2", "body": "Hi Ana,\n\nThe deck is attached.\n\nBest,\nSam", "labels": none},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = _run(str(path))
    assert result.exit_code == 0
    assert f"{path}: 2 drafts" in result.output
    merge = next(line for line in result.output.splitlines() if line.strip().startswith("merge-tag"))
    assert merge.split()[1:3] == ["1.00", "1.00"]  # precision and recall: one tag found, none invented
