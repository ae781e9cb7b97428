"""YAML loading that remembers where each value came from.

Data is loaded with the safe loader only. Line numbers come from yaml.compose with the
safe loader, which builds a node tree and never constructs Python objects. libyaml's
C version of the safe loader is used when PyYAML has it: same rules, many times faster.
PyYAML is imported only when a document is loaded: rules answered from the rule-set
cache (rulecache.py) need no YAML at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import yaml

Path_ = tuple  # a path into the document: ("match", "tokens", 0)

# Aliases let a few lines of YAML stand for billions of values ("billion laughs").
# Rule and config files are small; a document that expands past this many values is
# refused instead of walked.
MAX_NODES = 100_000
# The loader class; None: libyaml's CSafeLoader if PyYAML has it, else SafeLoader. Both
# have yaml.safe_load's semantics: only plain YAML types, no Python objects.
_SafeLoader = None


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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LocatedYAML):
            return NotImplemented
        return self.data == other.data and self._lines == other._lines

    __hash__ = None  # type: ignore[assignment]  # mutable data

    def to_json(self) -> tuple[str, str]:
        """The data and its lines as two JSON texts (see from_json). Raises TypeError or
        ValueError for values JSON cannot hold (a YAML date or set, NaN)."""
        import json

        lines = [[list(path), line] for path, line in self._lines.items()]
        return json.dumps(self.data, ensure_ascii=False, allow_nan=False), json.dumps(lines, ensure_ascii=False)

    @staticmethod
    def from_json(data: str, lines: str) -> LocatedYAML:
        """What to_json stored. Each text is decoded when first used: listing the rules
        from the rule-set cache needs neither, a cached re-run only the data."""
        return _StoredLocatedYAML(data, lines)


class _StoredLocatedYAML(LocatedYAML):
    def __init__(self, data: str, lines: str):
        # No super().__init__: LocatedYAML's two attributes are set on first use.
        self._texts = {"data": data, "_lines": lines}

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set yet: decode that one, once.
        texts = self.__dict__.get("_texts", {})
        if name not in texts:
            raise AttributeError(name)
        import json

        value = json.loads(texts.pop(name))
        if name == "_lines":
            value = {tuple(path): line for path, line in value}
        setattr(self, name, value)
        return value


class YAMLSyntaxError(Exception):
    def __init__(self, message: str, line: int | None):
        self.line = line
        super().__init__(message)


def load_located(text: str) -> LocatedYAML:
    import yaml

    safe_loader = _SafeLoader or getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # One parse: the node tree gives the lines, then the safe loader's constructor
        # builds the data from it (what yaml.load does; no Python objects).
        loader = safe_loader(text)
        try:
            node = loader.get_single_node()
            lines: dict[tuple, int] = {}
            data = None
            if node is not None:
                _walk(yaml, node, lines)
                data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YAMLSyntaxError(f"invalid YAML: {problem}", line) from None
    except RecursionError:
        # The composer recurses once per nesting level.
        raise YAMLSyntaxError("invalid YAML: nested too deeply", None) from None
    return LocatedYAML(data, lines)


def _walk(yaml, root: yaml.Node, lines: dict[tuple, int]) -> None:
    """Record the line of every value, iteratively (no recursion limit) and counting
    values as aliases expand them."""
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    seen = 0
    while stack:
        node, path = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise YAMLSyntaxError(
                f"invalid YAML: expands to more than {MAX_NODES:,} values (aliases nested too deeply?)",
                node.start_mark.line + 1,
            )
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                # A sequence or mapping used as a key is refused by safe_load below.
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                # Errors about a field point at its name, not at its value.
                lines[path + (key,)] = key_node.start_mark.line + 1
                stack.append((value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, path + (i,)))
