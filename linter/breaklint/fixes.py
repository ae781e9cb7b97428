"""Apply fixes to a file: only the fixed spans change, written atomically.

A fix replaces an exact character range of the file's decoded text. The new text is
encoded back with the file's own encoding (BOM included), line endings are untouched
because the decoded text kept them, and the file is replaced by rename from a
temporary file in the same folder with the original permissions, so an interrupted
run leaves either the old file or the new one, never half of each.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .atomicfile import replace_atomically
from .finding import Finding, Fix


@dataclass
class FixResult:
    path: str
    original: str
    fixed: str
    applied: list[Finding]

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.original.splitlines(keepends=True),
            self.fixed.splitlines(keepends=True),
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        out = "".join(lines)
        return out if out.endswith("\n") or not out else out + "\n"


def select_fixes(findings: Iterable[Finding], unsafe: bool = False) -> list[Finding]:
    """The findings whose fixes apply, in order, without overlaps (the first wins)."""
    chosen: list[Finding] = []
    end = -1
    for f in sorted((f for f in findings if f.fix is not None and (f.fix.safe or unsafe)), key=lambda f: (f.fix.start, f.fix.end)):  # type: ignore[union-attr]
        assert f.fix is not None
        if f.fix.start < end:
            continue
        chosen.append(f)
        end = max(f.fix.end, f.fix.start + 1)
    return chosen


def apply_to_text(text: str, fixes: list[Fix]) -> str:
    parts: list[str] = []
    pos = 0
    for fix in sorted(fixes, key=lambda x: x.start):
        parts.append(text[pos : fix.start])
        parts.append(fix.replacement)
        pos = fix.end
    parts.append(text[pos:])
    return "".join(parts)


def plan(path: str, text: str, findings: Iterable[Finding], unsafe: bool = False) -> FixResult:
    applied = select_fixes(findings, unsafe)
    fixed = apply_to_text(text, [f.fix for f in applied if f.fix is not None])
    return FixResult(path, text, fixed, applied)


def plan_until_stable(
    path: str, text: str, findings: Iterable[Finding], relint: Callable[[str], list[Finding]], unsafe: bool = False, rounds: int = 10
) -> FixResult:
    """Fix, re-check, and fix again what overlapping fixes held back, until nothing
    changes (at most `rounds` passes), so a second --fix run has nothing left to do."""
    result = plan(path, text, findings, unsafe)
    applied, current = list(result.applied), result.fixed
    for _ in range(rounds - 1):
        if not applied or current == text:
            break
        again = plan(path, current, relint(current), unsafe)
        if not again.changed:
            break
        applied += again.applied
        current = again.fixed
    return FixResult(path, text, current, applied)


class FixError(Exception):
    pass


def write_atomic(path: str, text: str, encoding: str, expected_original: str) -> None:
    """Replace `path` with `text`, refusing if the file changed since it was read or
    if its bytes would not survive decoding and encoding unchanged."""
    # Through a symbolic link, replace the file it points to, not the link.
    path = os.path.realpath(path)
    with open(path, "rb") as fh:
        current = fh.read()
    codec = "utf-8-sig" if encoding == "utf-8-sig" else encoding
    try:
        if current.decode(codec) != expected_original:
            raise FixError("the file changed while it was being checked; not fixed")
        if expected_original.encode(codec) != current:
            raise FixError(f"its bytes do not round-trip through {encoding}; not fixed (save it as UTF-8 first)")
        data = text.encode(codec)
    except (UnicodeDecodeError, UnicodeEncodeError) as exc:
        raise FixError(f"cannot re-encode as {encoding} ({exc.reason}); not fixed") from None
    st = os.stat(path)
    replace_atomically(path, data, mode=stat.S_IMODE(st.st_mode), owner=(st.st_uid, st.st_gid))
