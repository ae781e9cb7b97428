"""Shared test setup.

The whole suite runs with the network blocked: breaklint must never reach out at run
time (no model downloads, no NLTK data). Blocking happens at import time, before any
test or fixture can load spaCy or textstat.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class NetworkBlocked(RuntimeError):
    pass


# Every attempt, even one a library catches and shrugs off (a download that "fails
# quietly"), is recorded here for tests to inspect.
NETWORK_ATTEMPTS: list[tuple] = []


def _blocked(*args, **kwargs):
    NETWORK_ATTEMPTS.append(args)
    raise NetworkBlocked("network access attempted during tests")


def _block_network() -> None:
    # Local socketpairs (used by multiprocessing) stay possible; connecting anywhere does not.
    socket.socket.connect = _blocked  # type: ignore[method-assign]
    socket.socket.connect_ex = _blocked  # type: ignore[method-assign]
    socket.socket.sendto = _blocked  # type: ignore[method-assign]
    socket.create_connection = _blocked  # type: ignore[assignment]
    socket.getaddrinfo = _blocked  # type: ignore[assignment]


_block_network()

# Python processes the tests start (the CLI in a subprocess) get the same block through
# a sitecustomize module on PYTHONPATH.
_SITE = Path(tempfile.mkdtemp(prefix="breaklint-noNet-"))
(_SITE / "sitecustomize.py").write_text(
    "import socket\n"
    "def _blocked(*a, **k):\n"
    "    raise RuntimeError('network access attempted during tests')\n"
    "for _name in ('connect', 'connect_ex', 'sendto'):\n"
    "    setattr(socket.socket, _name, _blocked)\n"
    "socket.create_connection = socket.getaddrinfo = _blocked\n",
    encoding="utf-8",
)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_SITE), os.environ.get("PYTHONPATH")]))


def env_with_network() -> dict[str, str]:
    """The environment without the subprocess network block, for the one test whose
    point is installing from the package index (the pre-commit hook); linting itself
    is proven offline in test_network.py."""
    env = dict(os.environ)
    rest = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(_SITE)]
    if rest:
        env["PYTHONPATH"] = os.pathsep.join(rest)
    else:
        env.pop("PYTHONPATH", None)
    return env


@pytest.fixture(autouse=True)
def _network_stays_blocked():
    """Re-applied before every test, so no test can leave the network reachable for
    the ones after it (a monkeypatch undone in the wrong order, say)."""
    _block_network()
    yield

try:  # textstat's syllable counter would call nltk.download: make that loud.
    import nltk

    def _no_download(*args, **kwargs):
        raise NetworkBlocked("nltk.download called: breaklint must not fetch NLTK data")

    nltk.download = _no_download
except ImportError:  # pragma: no cover
    pass


@pytest.fixture(autouse=True, scope="session")
def _private_findings_cache(tmp_path_factory):
    """CLI runs cache findings; keep the tests' cache out of the user's ~/.cache."""
    import os

    old = os.environ.get("BREAKLINT_CACHE_DIR")
    os.environ["BREAKLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("findings-cache"))
    yield
    if old is None:
        os.environ.pop("BREAKLINT_CACHE_DIR", None)
    else:
        os.environ["BREAKLINT_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def all_rules():
    from breaklint.ruleset import load_rules

    return load_rules()


_LINTERS: dict = {}


def linter_for(profile: str = "breakup", **options):
    """One compiled Linter per configuration for the whole session: compiling rules
    and loading spaCy once keeps the suite fast."""
    from breaklint.engine import Linter, Options

    key = (profile, tuple(sorted(options.items())))
    if key not in _LINTERS:
        _LINTERS[key] = Linter(options=Options(profile=profile, **options))
    return _LINTERS[key]


def format_results(name: str, results) -> str:
    """Run the formatter `name` over FileResults, as the CLI does, and return its output."""
    import io

    from breaklint.report import Summary, make_formatter

    out = io.StringIO()
    fmt = make_formatter(name, out)
    summary = Summary()
    for r in results:
        summary.add(r)
        fmt.file(r)
    fmt.finish(summary)
    return out.getvalue()


def cli_in_fresh_interpreter(args: list[str], modules: dict[str, str], env: dict | None = None, timeout: int = 120) -> str:
    """Run the CLI in a new Python process and return its stderr, ending in "EXIT=<code> "
    (if it exited) and then "LABEL=<True|False>" for each of `modules` (label -> module
    name): whether that module was imported. How the tests prove a path stays light."""
    import subprocess
    import sys

    report = " ".join(f"{label}=%s" for label in modules)
    loaded = ", ".join(f"{name!r} in sys.modules" for name in modules.values())
    code = (
        "import sys\n"
        "from breaklint.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as e:\n"
        "    sys.stderr.write('EXIT=%s ' % e.code)\n"
        f"sys.stderr.write({report!r} % ({loaded},))\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env).stderr
