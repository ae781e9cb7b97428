"""Turn files (or stdin) into Drafts: decode bytes, pick a reader, split zones."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .draft import Draft
from .errors import InputError

# The readers of each format (emailfile, htmltext, markup, zones) are imported where a
# draft is made: a result answered from the findings cache needs only the file's text,
# and the email package alone costs a good part of a cached re-run.

# Extensions walked when a directory is given. An explicit file path is always read.
DRAFT_EXTENSIONS = frozenset(
    {".txt", ".text", ".md", ".markdown", ".email", ".eml", ".html", ".htm",
     ".j2", ".jinja", ".jinja2", ".liquid", ".hbs", ".handlebars", ".mustache", ".mjml", ".tmpl"}
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
STDIN_PATH = "-"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    # Many control bytes that text never has (form feeds and escapes aside).
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return len(head) > 0 and controls / len(head) > 0.10


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def decode(data: bytes, declared: str | None = None, fallback: str | None = None) -> Decoded:
    """Decode a draft's bytes. UTF-8 (with or without BOM) and UTF-16 with BOM are read
    as such; anything else that is not valid UTF-8 is read as Windows-1252, with a
    warning, because that is what mail clients on Windows write."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            pass
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            pass
    if declared:
        try:
            return Decoded(data.decode(declared), declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if fallback:
            return Decoded(data.decode(fallback, errors="replace"), fallback)
        where = f"byte {exc.start}"
        return Decoded(
            data.decode("cp1252", errors="replace"),
            "cp1252",
            f"not valid UTF-8 (first bad {where}); read as Windows-1252",
        )


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES, regular_only: bool = False) -> bytes:
    """The file's bytes. `regular_only` refuses pipes, sockets and devices: one found in
    a folder would block the run forever waiting for a writer. (Named explicitly, a pipe
    is how `breaklint <(cmd)` works, so it is read.)"""
    if path == STDIN_PATH:
        import sys

        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError("<stdin>", "standard input is not available")
        try:
            data = stream.read(max_bytes + 1)
        except (OSError, ValueError) as exc:  # closed (ValueError) or not readable
            raise InputError("<stdin>", f"cannot read standard input: {exc}") from None
        if len(data) > max_bytes:
            raise InputError("<stdin>", f"larger than the {max_bytes:,}-byte limit; skipped (raise max_file_bytes to check it)")
        return data
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, "is a directory")
    if regular_only and not stat.S_ISREG(st.st_mode):
        raise InputError(path, "is not a regular file (a pipe, socket or device); skipped")
    if st.st_size > max_bytes:
        raise InputError(path, f"is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit; skipped (raise max_file_bytes to check it)")
    try:
        with open(path, "rb") as fh:
            return fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


EML_EXTENSIONS = frozenset({".eml"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".mjml"})
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown"})
TEMPLATE_EXTENSIONS = frozenset(
    {".j2", ".jinja", ".jinja2", ".liquid", ".hbs", ".handlebars", ".mustache", ".tmpl"}
)
# A template whose text is HTML markup ("welcome.html.j2", or markup inside ".hbs").
_HTML_MARKUP = re.compile(r"<(?:html|body|p|div|table|td|br|span|a|mj-text)\b", re.I)


def input_kind(path: str, text: str = "") -> str:
    """How to read a file: "eml", "html", "markdown", "template" or "text"."""
    suffixes = [s.lower() for s in Path(path).suffixes[-2:]]
    last = suffixes[-1] if suffixes else ""
    if last in EML_EXTENSIONS:
        return "eml"
    if last in HTML_EXTENSIONS:
        return "html"
    if last in MARKDOWN_EXTENSIONS:
        return "markdown"
    if last in TEMPLATE_EXTENSIONS:
        if any(s in HTML_EXTENSIONS for s in suffixes) or _HTML_MARKUP.search(text):
            return "html"
        return "template"
    return "text"


def draft_from_text(text: str, path: str = "<text>", encoding: str = "utf-8", kind: str = "text") -> Draft:
    """A draft from decoded text, read as `kind` (see input_kind). Plain text may
    start with a "Subject:" line."""
    from .zones import split_zones

    if kind == "html":
        from .htmltext import html_to_text
        from .markup import strip_template_comments

        # Template comments ({# #}, {{!-- --}}) first, so their text is not shown.
        masked, comments = strip_template_comments(text, html_comments=False)
        extracted = html_to_text(masked)
        return Draft(
            path=path,
            text=extracted.text,
            segments=split_zones(extracted.text),
            source_text=text,
            source_offsets=extracted.offsets,
            encoding=encoding,
            comments=comments + extracted.comments,
        )
    if kind in ("markdown", "template"):
        from .markup import strip_markdown, strip_template_comments

        masked, comments = strip_markdown(text) if kind == "markdown" else strip_template_comments(text)
        return Draft(
            path=path,
            text=masked,
            segments=split_zones(masked),
            source_text=text,
            encoding=encoding,
            comments=comments,
        )
    return Draft(path=path, text=text, segments=split_zones(text), encoding=encoding)


def _read_decoded(path: str, max_bytes: int, name: str | None, regular_only: bool) -> tuple[bytes, str, str, Decoded]:
    data = read_bytes(path, max_bytes, regular_only)
    shown = "<stdin>" if path == STDIN_PATH else path
    if looks_binary(data):
        raise InputError(shown, "looks like a binary file, not a draft; skipped")
    kind = input_kind(name or shown)
    if kind == "eml":
        # Each MIME part declares its own charset; the file as a whole is only shown
        # in excerpts, so bytes that are not UTF-8 are shown as Latin-1, silently.
        decoded = decode(data, fallback="latin-1")
    else:
        decoded = decode(data)
    if not decoded.text.strip():
        raise InputError(shown, "is empty; nothing to check")
    return data, shown, kind, decoded


def read_source_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """A file's text as read_draft gives it for reports (Draft.source_text), without
    reading it as a draft: what a result answered from the cache needs."""
    return _read_decoded(path, max_bytes, None, False)[3].text


def read_draft(path: str, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None, regular_only: bool = False) -> Draft:
    """Read one file (or "-" for stdin) into a Draft. Raises InputError when the file
    cannot be a draft (binary, unreadable, too large, empty). `name` is the file name
    whose extension decides how stdin is read (--stdin-filename)."""
    data, shown, kind, decoded = _read_decoded(path, max_bytes, name, regular_only)
    if kind == "template":
        kind = input_kind(name or shown, decoded.text)
    if kind == "eml":
        from .emailfile import eml_to_text
        from .zones import split_zones

        extracted = eml_to_text(data, decoded.text, decoded.encoding, shown)
        draft = Draft(
            path=shown,
            text=extracted.text,
            segments=split_zones(extracted.text),
            source_text=decoded.text,
            source_offsets=extracted.offsets,
            encoding=decoded.encoding,
            comments=extracted.comments,
        )
    else:
        draft = draft_from_text(decoded.text, shown, decoded.encoding, kind)
        if not draft.text.strip():
            raise InputError(shown, "has no text a recipient would read; nothing to check")
    if decoded.warning:
        draft.warnings.append(decoded.warning)
    return draft


def iter_paths(paths: list[str]) -> Iterator[str]:
    """Expand directories recursively (draft extensions only, sorted, symlink loops
    broken); yield explicit files and "-" as given."""
    for p in paths:
        if p == STDIN_PATH or not os.path.isdir(p):
            yield p
            continue
        seen: set[tuple[int, int]] = set()
        for root, dirs, files in os.walk(p, followlinks=True):
            try:
                st = os.stat(root)
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                dirs[:] = []
                continue
            seen.add(key)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if Path(name).suffix.lower() in DRAFT_EXTENSIONS and not name.startswith("."):
                    yield os.path.join(root, name)
