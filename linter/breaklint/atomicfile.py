"""Replace a file all at once: a reader, or a crash, sees the old file or the new one,
never half of either. The one way breaklint writes files (fixes, baselines, cache)."""

from __future__ import annotations

import os


def replace_atomically(
    path: str | os.PathLike,
    data: bytes,
    *,
    mode: int | None = None,
    owner: tuple[int, int] | None = None,
    prefix: str = ".breaklint-",
    durable: bool = True,
) -> None:
    """Write `data` to a temporary file beside `path` (same file system, so the final
    os.replace is a rename) and move it over `path`. `mode` and `owner` are given to
    the new file first, so it never exists with the wrong ones; `durable` flushes it to
    disk before the rename, for files a user would miss (not for the cache). The
    temporary file is removed if anything fails, and the error is raised."""
    import tempfile  # here, not above: commands that only read the caches never need it

    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if owner is not None and hasattr(os, "chown") and owner != (os.getuid(), os.getgid()):
            try:  # keep the owner too where we may (root fixing someone else's file)
                os.chown(tmp, *owner)
            except OSError:
                pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
