"""A draft: the text a recipient reads, split into zones, mapped back to the file."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property

from .positions import LineIndex

ZONES = ("header", "subject", "greeting", "body", "closing", "signature", "quoted", "footer")
# What the recipient reads as the message itself; tone rules and reading time look here.
READ_ZONES = ("greeting", "body", "closing")


@dataclass(frozen=True)
class Segment:
    zone: str
    start: int  # offsets into Draft.text, end exclusive
    end: int


@dataclass(frozen=True)
class Comment:
    """A comment the recipient never sees (HTML, template); inline suppressions live here."""

    offset: int  # where the comment starts in the source
    end: int
    text: str


@dataclass
class Draft:
    """One draft ready for the rules.

    `text` is what the rules read. For plain text it is the file's text itself; for
    HTML or MIME input it is the extracted text, and `source_offsets[i]` gives the
    offset in `source_text` of `text[i]` so findings point into the real file.
    """

    path: str
    text: str
    segments: list[Segment]
    source_text: str | None = None
    source_offsets: list[int] | None = None
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    profile: str | None = None  # set per file when config gives paths their own profile

    def __post_init__(self) -> None:
        if self.source_text is None:
            self.source_text = self.text
        self._seg_starts = [s.start for s in self.segments]

    @cached_property
    def source_index(self) -> LineIndex:
        return LineIndex(self.source_text or "")

    def zone_at(self, offset: int) -> str:
        if not self.segments:
            return "body"
        i = bisect.bisect_right(self._seg_starts, offset) - 1
        return self.segments[max(i, 0)].zone

    def zone_text(self, zones: tuple[str, ...] | frozenset[str]) -> str:
        """The draft with every character outside `zones` blanked.

        Newlines are kept and everything else becomes a space, so offsets in the
        result equal offsets in `text` and no rule can match across a hidden zone.
        """
        key = tuple(sorted(zones))
        cache = self.__dict__.setdefault("_zone_text_cache", {})
        if key not in cache:
            parts = []
            for seg in self.segments:
                chunk = self.text[seg.start : seg.end]
                if seg.zone in zones:
                    parts.append(chunk)
                else:
                    parts.append("".join(c if c == "\n" else " " for c in chunk))
            cache[key] = "".join(parts)
        return cache[key]

    def segments_in(self, zones: tuple[str, ...] | frozenset[str]) -> list[Segment]:
        return [s for s in self.segments if s.zone in zones]

    def to_source(self, offset: int) -> int:
        """Map an offset in `text` (possibly == len(text)) to an offset in the file."""
        if self.source_offsets is None:
            return offset
        if offset >= len(self.source_offsets):
            if not self.source_offsets:
                return 0
            return self.source_offsets[-1] + 1
        return self.source_offsets[offset]
