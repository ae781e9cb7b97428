"""A progress bar on stderr for runs over many files.

Only when stderr is a terminal: piped or captured runs (CI logs, editors, machine
formats redirected to a file) never see it, and stdout is never written to. The bar
is drawn by tqdm without colour, so NO_COLOR and --color never have nothing to turn
off; it is removed when the run ends so only the report stays on screen.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")

# Fewer files than this finish before a bar would tell anyone anything.
MIN_FILES = 10


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def with_progress(items: Iterable[T], count: Callable[[], int], stream: IO[str] | None = None) -> Iterator[T]:
    """Yield `items` unchanged, advancing a bar of `count()` steps on `stream`
    (default stderr) when it is a terminal and there are at least MIN_FILES steps.
    `count` is only called when a bar could be shown. The bar is cleared while the
    caller handles each item, so what it prints does not tangle with the bar."""
    stream = stream if stream is not None else sys.stderr
    total = count() if _is_terminal(stream) else 0
    if total < MIN_FILES:
        yield from items
        return
    from tqdm import tqdm

    bar = tqdm(total=total, file=stream, unit="file", desc="breaklint", leave=False, dynamic_ncols=True)
    try:
        for item in items:
            bar.clear()
            yield item
            bar.update(1)
            bar.refresh()
    finally:
        bar.close()
