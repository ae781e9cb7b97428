"""--format junit: JUnit XML for CI systems that show test reports (GitLab, Jenkins,
Azure Pipelines, ...).

    <testsuites name="breaklint" tests="2" failures="1" errors="0" skipped="0">
      <testsuite name="breaklint" tests="2" failures="1" errors="0" skipped="0">
        <testcase classname="drafts/a.txt" name="drafts/a.txt">
          <failure message="BLAME001: Makes the ..." type="error">drafts/a.txt:3:1 ...</failure>
        </testcase>
        ...

One <testcase> per file; a <failure> for each finding at warning or error (so
`failures` counts findings, not files); info findings go to the case's
<system-out>; a file that could not be read gets an <error>, one skipped inside a
folder a <skipped>. Built with ElementTree, so every value is escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO

from ..engine import FileResult
from ..finding import SEVERITY_RANK

FAIL_AT = SEVERITY_RANK["warning"]


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry at all (control characters)."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff"))


class JunitFormatter:
    def __init__(self, out: IO[str], color: bool = False, width: int = 100):
        self.out = out
        self.suite = ET.Element("testsuite", name="breaklint")
        self.counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def file(self, result: FileResult) -> None:
        case = ET.SubElement(self.suite, "testcase", classname=_clean(result.path), name=_clean(result.path))
        self.counts["tests"] += 1
        if result.error:
            err = ET.SubElement(case, "error", message=_clean(result.error), type="unreadable")
            err.text = _clean(result.error)
            self.counts["errors"] += 1
            return
        if result.skipped:
            ET.SubElement(case, "skipped", message=_clean("; ".join(result.warnings) or "not a draft"))
            self.counts["skipped"] += 1
            return
        notes: list[str] = []
        for f in result.findings:
            where = f"{f.path}:{f.line}:{f.column}"
            if SEVERITY_RANK[f.severity] >= FAIL_AT:
                fail = ET.SubElement(case, "failure", message=_clean(f"{f.rule}: {f.message}"), type=f.severity)
                body = [f"{where}: {f.rule} [{f.severity}] {f.message}", f"flagged: {f.text}"]
                if f.suggestion:
                    body.append(f"suggestion: {f.suggestion}")
                fail.text = _clean("\n".join(body))
                self.counts["failures"] += 1
            else:
                notes.append(f"{where}: {f.rule} [{f.severity}] {f.message}" + (f" (suggestion: {f.suggestion})" if f.suggestion else ""))
        if notes:
            ET.SubElement(case, "system-out").text = _clean("\n".join(notes))

    def finish(self, summary) -> None:
        for key, value in self.counts.items():
            self.suite.set(key, str(value))
        root = ET.Element("testsuites", name="breaklint", **{k: str(v) for k, v in self.counts.items()})
        root.append(self.suite)
        ET.indent(root)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(ET.tostring(root, encoding="unicode"))
        self.out.write("\n")
