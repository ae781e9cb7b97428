"""Path patterns in config files: "templates/**", "*.hbs", "archive/2024-*.txt".

Patterns are matched against the path relative to the config file's folder, with "/"
separators: "*" and "?" stay inside one folder, "**" spans any number of folders, and
a pattern without "/" matches the file name in any folder (as .gitignore does).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    pat = pattern.strip().replace("\\", "/")
    anchored = "/" in pat.rstrip("/")
    pat = pat.lstrip("/")
    if pat.endswith("/"):
        pat += "**"
    out, i = [], 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = pat.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = pat[i + 1 : j].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    body = "".join(out)
    # A folder pattern also matches everything inside it.
    regex = (r"\A" if anchored else r"\A(?:.*/)?") + body + r"(?:/.*)?\Z"
    return re.compile(regex)


def relative(path: str, base: str | None) -> str:
    """`path` relative to `base` (or the current folder), "/"-separated."""
    absolute = os.path.abspath(path)
    root = os.path.abspath(base or os.getcwd())
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        rel = absolute
    return rel.replace(os.sep, "/")


def matches(path: str, pattern: str, base: str | None = None) -> bool:
    return bool(_compile(pattern).match(relative(path, base)))


def first_match(path: str, patterns, base: str | None = None):
    """The first (pattern, value) pair whose pattern matches `path`, or None."""
    rel = relative(path, base)
    for pattern, value in patterns:
        if _compile(pattern).match(rel):
            return pattern, value
    return None
