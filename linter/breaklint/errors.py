"""Errors that end a run with exit code 2 and a message instead of a traceback."""

from __future__ import annotations


class BreaklintError(Exception):
    """Base class: anything the user can fix (a rule file, a config, an argument)."""

    exit_code = 2


class RuleError(BreaklintError):
    """A rule file that cannot be loaded or compiled."""

    def __init__(self, path: str, message: str, line: int | None = None, field: str | None = None):
        self.path = path
        self.line = line
        self.field = field
        self.detail = message
        where = path if line is None else f"{path}:{line}"
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}: {what}{message}")


class ConfigError(BreaklintError):
    """A configuration file or option that cannot be used."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None, key: str | None = None):
        self.path = path
        self.line = line
        self.key = key
        self.detail = message
        where = ""
        if path:
            where = f"{path}:{line}: " if line else f"{path}: "
        what = f"key '{key}': " if key else ""
        super().__init__(f"{where}{what}{message}")


class InputError(BreaklintError):
    """A file that cannot be read as a draft (binary, unreadable, too large...)."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.detail = message
        super().__init__(f"{path}: {message}")
