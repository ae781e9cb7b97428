"""Read a .eml message (MIME) into the text its recipient reads, mapped to the file.

The standard library's email package does the MIME work (multipart, transfer
encodings, charsets, encoded-word headers). What it does not give is where each
decoded character came from, so this module finds the chosen part's raw payload in
the file and replays its transfer decoding with offsets. In a base64 body each decoded
byte maps to the base64 character that starts it, so a finding points at the encoded
line (and characters) that hold the flagged text.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from .errors import InputError
from .draft import Comment
from .htmltext import Extracted, html_to_text

_SUBJECT = re.compile(r"^Subject:[ \t]*", re.I | re.M)
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def _qp_decode_tracked(raw: bytes, base: int) -> tuple[bytes, list[int]]:
    """Quoted-printable to bytes, with the file byte offset of each output byte."""
    out = bytearray()
    offsets: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        b = raw[i]
        if b == 0x3D:  # "="
            m = _QP_ESCAPE.match(raw, i)
            if m:
                out.append(int(m.group(1), 16))
                offsets.append(base + i)
                i += 3
                continue
            # Soft line break: "=" then optional spaces then a line end.
            j = i + 1
            while j < n and raw[j] in b" \t":
                j += 1
            if j < n and raw[j] in b"\r\n":
                i = j + (2 if raw[j : j + 2] == b"\r\n" else 1)
                continue
        out.append(b)
        offsets.append(base + i)
        i += 1
    return bytes(out), offsets


_B64_CHAR = re.compile(rb"[A-Za-z0-9+/]")


def _b64_decode_tracked(raw: bytes, base: int) -> tuple[bytes, list[int]]:
    """Base64 to bytes, with the file byte offset of each output byte: byte k of a
    4-character group maps to character k of the group (the one holding its first bits).
    Line breaks and other characters outside the alphabet are skipped, as decoders do."""
    positions = [m.start() for m in _B64_CHAR.finditer(raw)]
    chars = bytes(raw[p] for p in positions)
    usable = len(chars) - len(chars) % 4
    tail = chars[usable:]
    try:
        out = base64.b64decode(chars[:usable] + (tail + b"==")[: 4 if len(tail) > 1 else 0], validate=True)
    except (binascii.Error, ValueError):
        return b"", []
    offsets = [base + positions[4 * (k // 3) + k % 3] for k in range(len(out))]
    return out, offsets


def _decode_tracked(data: bytes, byte_offsets: list[int], charset: str) -> tuple[str, list[int]]:
    """Bytes to text, each character mapped to the offset of its first byte."""
    try:
        decoder = codecs.getincrementaldecoder(charset)(errors="replace")
    except LookupError:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    chars: list[str] = []
    offsets: list[int] = []
    pending_start = 0
    for k in range(len(data)):
        piece = decoder.decode(data[k : k + 1])
        for ch in piece:
            chars.append(ch)
            offsets.append(byte_offsets[pending_start])
        if piece:
            pending_start = k + 1
    return "".join(chars), offsets


def _align(decoded: str, tracked: str, tracked_offsets: list[int], fallback: int) -> list[int]:
    """Offsets for `decoded` (what the email package returned) from a tracked decoding
    of the same payload. Line endings may differ ("\\r\\n" vs "\\n"); anything else that
    differs means the tracking is not trustworthy, and everything maps to `fallback`."""
    out: list[int] = []
    j = 0
    for ch in decoded:
        while j < len(tracked) and tracked[j] != ch and tracked[j] == "\r":
            j += 1
        if j < len(tracked) and tracked[j] == ch:
            out.append(tracked_offsets[j])
            j += 1
        elif ch == "\r":
            out.append(tracked_offsets[j] if j < len(tracked_offsets) else fallback)
        else:
            return [fallback] * len(decoded)
    return out


def _raw_bytes(raw: str, charset: str) -> bytes:
    # The email package keeps raw bytes as ASCII with surrogate escapes, except for a
    # single-part 8bit message, whose payload it has already decoded with its charset.
    for codec, errors in (("ascii", "surrogateescape"), (charset, "strict"), ("utf-8", "surrogateescape")):
        try:
            return raw.encode(codec, errors)
        except (UnicodeEncodeError, LookupError):
            continue
    return raw.encode("utf-8", "replace")


def _part_byte_offsets(part: EmailMessage, content: str, data: bytes, search_from: int) -> list[int]:
    """For each character of the part's decoded `content`, its byte offset in the file."""
    raw = part.get_payload(decode=False)
    if not isinstance(raw, str) or not raw:
        return [search_from] * len(content)
    charset = part.get_content_charset() or "utf-8"
    raw_b = _raw_bytes(raw, charset)
    where = data.find(raw_b, search_from)
    if where < 0:
        raw_b = raw_b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        where = data.find(raw_b, search_from)
    if where < 0:
        return [search_from] * len(content)
    cte = (part.get("content-transfer-encoding") or "7bit").strip().lower()
    if cte == "base64":
        decoded, byte_offsets = _b64_decode_tracked(raw_b, where)
    elif cte == "quoted-printable":
        decoded, byte_offsets = _qp_decode_tracked(raw_b, where)
    else:
        decoded, byte_offsets = raw_b, list(range(where, where + len(raw_b)))
    tracked, tracked_offsets = _decode_tracked(decoded, byte_offsets, charset)
    return _align(content, tracked, tracked_offsets, where)


def _byte_to_char(source: str, encoding: str) -> list[int]:
    """table[b] = the offset in `source` of the character holding byte b of the file."""
    table: list[int] = []
    if encoding == "utf-8-sig":
        table.extend([0, 0, 0])
        encoding = "utf-8"
    for i, ch in enumerate(source):
        table.extend([i] * len(ch.encode(encoding, "surrogateescape")))
    table.append(len(source))
    return table


def _subject(msg: EmailMessage, source: str) -> tuple[str, list[int]]:
    subject = " ".join(str(msg.get("subject", "")).split())
    if not subject:
        return "", []
    m = _SUBJECT.search(source)
    at = m.end() if m else 0
    line = "Subject: " + subject
    if m and source.startswith(subject, at):
        # "Subject:" maps onto itself; the space after it onto whatever the file has there.
        offsets = [m.start() + min(i, 8) for i in range(9)] + [at + i for i in range(len(subject))]
    else:
        offsets = [m.start() if m else 0] * len(line)
    return line + "\n\n", offsets + [offsets[-1], offsets[-1]]


def eml_to_text(data: bytes, source: str, encoding: str, path: str) -> Extracted:
    """The subject and readable body of a MIME message, mapped onto `source` (the
    file's text, decoded from `data` with `encoding`)."""
    msg = BytesParser(policy=policy.default).parsebytes(data)
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        if msg.get_content_maintype() == "text" and not msg.is_multipart():
            body = msg
        else:
            raise InputError(path, "has no text/plain or text/html part to check")
    try:
        content = body.get_content()
    except (LookupError, UnicodeError):
        payload = body.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    header_end = data.find(b"\n\n")
    if header_end < 0:
        header_end = data.find(b"\r\n\r\n")
    byte_to_char = _byte_to_char(source, encoding)

    def char_at(byte: int) -> int:
        return byte_to_char[min(max(byte, 0), len(byte_to_char) - 1)]

    offsets = [char_at(b) for b in _part_byte_offsets(body, content, data, max(header_end, 0))]
    comments: list[Comment] = []
    if body.get_content_subtype() == "html":
        html = html_to_text(content)
        content_offsets = offsets

        def to_file(o: int) -> int:
            return content_offsets[min(o, len(content_offsets) - 1)] if content_offsets else 0

        text = html.text
        offsets = [to_file(o) for o in html.offsets]
        comments = [Comment(to_file(c.offset), to_file(c.end - 1) + 1, c.text) for c in html.comments]
    else:
        text = content
    subject, subject_offsets = _subject(msg, source)
    if not text.strip() and not subject:
        raise InputError(path, "has an empty message body; nothing to check")
    return Extracted(subject + text, subject_offsets + offsets, comments)
