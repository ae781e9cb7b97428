"""YAML loading that remembers where each value came from.

Data is loaded with the safe loader only (libyaml's CSafeLoader when PyYAML was built
with it: the pure-Python one made `breaklint rules` take seconds). Line numbers come
from yaml.compose with the same loader, which builds a node tree and never constructs
Python objects.
"""

from __future__ import annotations

from typing import Any

import yaml

# Same semantics as yaml.safe_load: only plain YAML types, no Python objects.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple  # a path into the document: ("match", "tokens", 0)


class LocatedYAML:
    def __init__(self, data: Any, lines: dict[tuple, int]):
        self.data = data
        self._lines = lines

    def line(self, path: tuple) -> int | None:
        """The 1-based line of the value at `path`, or of its nearest ancestor."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), 1)


class YAMLSyntaxError(Exception):
    def __init__(self, message: str, line: int | None):
        self.line = line
        super().__init__(message)


def load_located(text: str) -> LocatedYAML:
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
        node = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YAMLSyntaxError(f"invalid YAML: {problem}", line) from None
    lines: dict[tuple, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return LocatedYAML(data, lines)


def _walk(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines)
            # Keep the key's own line: errors about a field point at its name.
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines)
