"""--format sarif: SARIF 2.1.0, the format GitHub code scanning uploads
(github/codeql-action/upload-sarif).

One run. tool.driver lists a reportingDescriptor for each rule that produced a
finding, with the rule's `why`, suggestions and guidance source as its help.
Every result carries:

- `level`: error / warning / note (breaklint's error / warning / info);
- one location: the file as a relative POSIX URI against %SRCROOT% (or a file://
  URI for a path outside the current folder) and a region whose endColumn is the
  column after the last flagged character, in UTF-16 code units (run.columnKind);
- `partialFingerprints["breaklintSpanHash/v1"]`: a hash of rule id, flagged text
  (whitespace collapsed, case folded) and path, plus which occurrence of that text it
  is, so code scanning keeps tracking a finding when lines above it move;
- `fixes` when the rule has a fix (safe or not; `properties.safe` tells which).

Files that could not be read become toolExecutionNotifications of the invocation.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import IO, Any

from .. import __version__
from ..engine import FileResult
from ..finding import Finding
from ._common import artifact_uri, index_for, region_utf16

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/breaklint/"
FINGERPRINT_KEY = "breaklintSpanHash/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^{}]+)?\}")


def _unplaceholder(template: str) -> str:
    """A rule's message template made readable: "{seconds:.0f}" -> "[seconds]"."""
    return _PLACEHOLDER.sub(lambda m: f"[{m.group(1)}]", template)


def fingerprint(rule: str, text: str, path: str) -> str:
    """A stable hash of what was flagged, where: not of the line it is on."""
    norm = " ".join(text.split()).casefold()
    posix = artifact_uri(path)[0]
    return hashlib.sha256(f"{rule}\x00{norm}\x00{posix}".encode("utf-8")).hexdigest()[:32]


class SarifFormatter:
    def __init__(self, out: IO[str], color: bool = False, width: int = 100):
        self.out = out
        self.results: list[dict[str, Any]] = []
        self.failed: list[FileResult] = []
        self.rule_order: list[str] = []
        self.samples: dict[str, Finding] = {}
        self.rules: dict[str, Any] | None = None

    def use_rules(self, rules) -> None:
        """The linter's loaded rules (built-in and the user's), for rule metadata."""
        self.rules = {r.id: r for r in rules}

    # -- results -----------------------------------------------------------------
    def file(self, result: FileResult) -> None:
        if result.error:
            self.failed.append(result)
            return
        index = index_for(result.source_text)
        seen: dict[str, int] = {}
        for f in result.findings:
            if f.rule not in self.samples:
                self.samples[f.rule] = f
                self.rule_order.append(f.rule)
            base = fingerprint(f.rule, f.text, f.path)
            seen[base] = seen.get(base, 0) + 1
            self.results.append(self._result(f, index, f"{base}:{seen[base]}", result.source_text))

    def _result(self, f: Finding, index, print_: str, source: str | None) -> dict[str, Any]:
        uri, relative = artifact_uri(f.path)
        artifact: dict[str, Any] = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = "%SRCROOT%"
        line, col, end_line, end_col = region_utf16(f, index)
        region: dict[str, Any] = {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}
        if f.text:
            region["snippet"] = {"text": f.text}
        text = f.message if not f.suggestion else f"{f.message} Suggestion: {f.suggestion}"
        res: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": self.rule_order.index(f.rule),
            "level": LEVELS[f.severity],
            "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
            "partialFingerprints": {FINGERPRINT_KEY: print_},
            "properties": {"category": f.category, "zone": f.zone, "confidence": f.confidence},
        }
        fix = self._fix(f, artifact, source)
        if fix is not None:
            res["fixes"] = [fix]
        return res

    def _fix(self, f: Finding, artifact: dict[str, Any], source: str | None) -> dict[str, Any] | None:
        if f.fix is None or source is None:
            return None
        from dataclasses import replace

        from ..positions import LineIndex

        index = LineIndex(source)
        start_line, start_col = index.line_col(f.fix.start)
        end_line, end_col = index.line_col(f.fix.end)
        span = replace(
            f, start=f.fix.start, end=f.fix.end, line=start_line, column=start_col, end_line=end_line, end_column=end_col
        )
        line, col, eline, ecol = region_utf16(span, index)
        what = "Remove the flagged text" if f.fix.replacement == "" else f"Replace with {f.fix.replacement!r}"
        return {
            "description": {"text": what + ("" if f.fix.safe else " (may change the meaning)") + "."},
            "artifactChanges": [
                {
                    "artifactLocation": dict(artifact),
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": line, "startColumn": col, "endLine": eline, "endColumn": ecol},
                            "insertedContent": {"text": f.fix.replacement},
                        }
                    ],
                }
            ],
            "properties": {"safe": f.fix.safe},
        }

    # -- rules -------------------------------------------------------------------
    def _load_rules(self) -> dict[str, Any]:
        if self.rules is None:
            try:
                from ..ruleset import load_rules

                self.rules = {r.id: r for r in load_rules()}
            except Exception:  # rule metadata is a nicety; never fail the report for it
                self.rules = {}
        return self.rules

    def _descriptor(self, rule_id: str) -> dict[str, Any]:
        sample = self.samples[rule_id]
        rule = self._load_rules().get(rule_id)
        desc: dict[str, Any] = {"id": rule_id, "name": f"{sample.category}/{rule_id}"}
        props: dict[str, Any] = {"tags": ["breaklint", sample.category]}
        if rule is None:
            desc["shortDescription"] = {"text": sample.message}
            desc["defaultConfiguration"] = {"level": LEVELS[sample.severity]}
            desc["properties"] = props
            return desc
        short = _unplaceholder(rule.message)
        desc["shortDescription"] = {"text": short}
        why = " ".join(rule.why.split())
        desc["fullDescription"] = {"text": why or short}
        help_text = [why] if why else []
        help_md = [why] if why else []
        suggestions = [_unplaceholder(" ".join(s.split())) for s in rule.suggest]
        if suggestions:
            help_text.append("Write instead: " + " / ".join(suggestions))
            help_md.append("**Write instead**\n\n" + "\n".join(f"- {s}" for s in suggestions))
        if rule.source:
            help_text.append(f"Source: {rule.source} (in the project's shared guidance articles).")
            help_md.append(f"Source: `{rule.source}` (in the project's shared guidance articles).")
        help_text.append(f"Run 'breaklint explain {rule_id}' for examples.")
        help_md.append(f"Run `breaklint explain {rule_id}` for examples.")
        desc["help"] = {"text": "\n\n".join(help_text), "markdown": "\n\n".join(help_md)}
        desc["defaultConfiguration"] = {"level": LEVELS.get(rule.severity, "warning")}
        props["precision"] = "high" if rule.confidence == "high" else "medium"
        if rule.source:
            props["source"] = rule.source
        desc["properties"] = props
        return desc

    def finish(self, summary) -> None:
        invocation: dict[str, Any] = {"executionSuccessful": not self.failed}
        if self.failed:
            invocation["toolExecutionNotifications"] = [self._notification(r) for r in self.failed]
        log = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "breaklint",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI,
                            "rules": [self._descriptor(rid) for rid in self.rule_order],
                        }
                    },
                    "invocations": [invocation],
                    "columnKind": "utf16CodeUnits",
                    "results": self.results,
                }
            ],
        }
        json.dump(log, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")

    def _notification(self, result: FileResult) -> dict[str, Any]:
        uri, relative = artifact_uri(result.path)
        artifact: dict[str, Any] = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = "%SRCROOT%"
        return {
            "level": "error",
            "message": {"text": result.error or "could not be read"},
            "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
        }
