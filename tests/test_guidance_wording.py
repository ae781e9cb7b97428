"""The wording the guidance itself recommends must pass: a linter that flags the
cited article's own advice would teach users to ignore it."""

from __future__ import annotations

import pytest

from conftest import linter_for

# Each line is the recommended wording of the seed article named beside it
# (../shared/seeds/), set in a short email around it.
RECOMMENDED = [
    # 001_44b513c00e0ef9b4.txt: the open door it suggests instead of a breakup.
    "If you’re slammed right now and would like me to connect with you in 90 days or so, just let me know.",
]


@pytest.mark.parametrize("profile", ["breakup", "no-breakup"])
@pytest.mark.parametrize("line", RECOMMENDED)
def test_the_guidance_recommended_wording_is_not_flagged(line, profile):
    draft = f"Hi Dana,\n\n{line}\n\nBest,\nSam\n"
    findings = linter_for(profile).lint_text(draft)
    assert [(f.rule, f.text) for f in findings if f.category != "length"] == []
