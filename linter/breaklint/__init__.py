"""breaklint: a linter and tone checker for sales email drafts.

The public API is small and stable::

    import breaklint
    findings = breaklint.lint_text("Hi Jim, you never replied...", profile="breakup")
    for f in findings:
        print(f.rule, f.line, f.column, f.message)

Importing this package is cheap: spaCy is loaded only when a rule that needs a parse
actually runs.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "lint_text", "lint_paths", "Finding", "Linter", "load_rules"]


def __getattr__(name: str):
    # Lazy re-exports keep `import breaklint` (and `breaklint --version`) fast.
    if name in ("lint_text", "lint_paths", "Linter"):
        from . import api

        return getattr(api, name)
    if name == "Finding":
        from .finding import Finding

        return Finding
    if name == "load_rules":
        from .ruleset import load_rules

        return load_rules
    raise AttributeError(f"module 'breaklint' has no attribute {name!r}")
