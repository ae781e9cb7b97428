"""No network at run time: the suite blocks it (tests/conftest.py), and linting a draft
with every rule, the length check's textstat word count included, opens no socket and
never reaches textstat's syllable data (which nltk would download)."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from conftest import NETWORK_ATTEMPTS, NetworkBlocked


def test_connecting_anywhere_fails_in_the_suite():
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("pypi.org", 443)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(NetworkBlocked):
        s.connect(("127.0.0.1", 9))


def test_subprocesses_are_blocked_too():
    out = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode != 0 and "network access attempted during tests" in out.stderr


def test_linting_a_draft_attempts_no_connection_and_loads_no_syllable_data(monkeypatch):
    """Creating a socket is not network use (urllib3, imported by spaCy's helpers,
    binds one to ::1 to probe for IPv6); connecting, resolving or sending is. Attempts
    are recorded even when the library that made them catches the error."""
    import nltk
    import textstat.backend.counts._count_syllables as syllables

    from breaklint import nlp
    from breaklint.engine import Linter, Options

    cmudict, downloads = [], []
    monkeypatch.setattr(syllables, "get_cmudict", lambda *a, **k: cmudict.append(a))
    monkeypatch.setattr(nltk, "download", lambda *a, **k: downloads.append(a))
    NETWORK_ATTEMPTS.clear()
    nlp.load_pipeline.cache_clear()  # loading the spaCy pipeline is part of the run
    draft = "Hi {{first_name}},\n\n" + "You never replied to my emails about the freight plan. " * 20 + "\n\nBest,\nSam\n"
    findings = Linter(options=Options()).lint_text(draft)
    assert {"merge-tag", "length", "customer-blaming"} <= {f.category for f in findings}
    assert NETWORK_ATTEMPTS == [] and cmudict == [] and downloads == []
    # The spy is on the path textstat really takes when it counts syllables.
    import textstat

    textstat.syllable_count("unreachable network")
    assert cmudict and NETWORK_ATTEMPTS == []


def test_attempts_are_recorded_even_when_caught():
    NETWORK_ATTEMPTS.clear()
    try:
        socket.create_connection(("example.com", 80))
    except Exception:
        pass
    assert NETWORK_ATTEMPTS == [(("example.com", 80),)]
