"""A deterministic corpus of email-sized sales drafts for the benchmark.

Drafts are assembled from templates with a seeded RNG, so the same count and seed
always give the same files. About a third carry a tone problem (blame, sarcasm, an
ultimatum, a self-centred pitch) or an unfilled merge tag, the rest read like
ordinary prospecting emails; bodies run 120-220 words, like the real-world set.
"""

from __future__ import annotations

import random
from pathlib import Path

FIRST = ["Tom", "Priya", "Fatima", "Jonah", "Lena", "Marco", "Aisha", "Chen", "Sofia", "Daniel", "Grace", "Omar", "Hannah", "Lucas", "Mei"]
LAST = ["Whitfield", "Okafor", "Lindqvist", "Moreau", "Patel", "Novak", "Garcia", "Kim", "Schmidt", "Rossi"]
COMPANY = ["Ledgerline", "Orchard Foods", "Brightpath", "Northwind", "Copperleaf", "Tidewater Health", "Kestrel Labs", "Bluegate", "Fernhill Logistics", "Summit Dental"]
TEAM = ["AP team", "support team", "sales ops team", "warehouse crew", "finance group", "recruiting team", "IT desk", "marketing team"]
TASK = ["matching invoices to purchase orders", "triaging support tickets", "chasing late timesheets", "reconciling card spend", "scheduling field visits", "cleaning CRM records", "answering benefits questions", "routing inbound leads"]
METRIC = ["six hours a week", "two days a month", "about 15% of their time", "three hours every Monday", "a full week each quarter"]
SUBJECTS = [
    "Six hours back each week for your {team}", "Quick idea for {company}", "{task} at {company}",
    "Following up on {task}", "A teardown for your {team}", "Re: our call last week", "Question about {task}",
]
GREETINGS = ["Hi {first},", "Hello {first},", "Dear {first},", "{first},", "Hey {first},"]
OPENERS = [
    "I noticed {company} is hiring for your {team}, which usually means the backlog is growing.",
    "Your {team} probably spends {metric} {task}, based on what teams your size tell us.",
    "Congratulations on the new office; growth like that tends to put pressure on the {team}.",
    "I read your post about {task} and the point about manual checks stuck with me.",
    "We spoke briefly at the summit in March about {task} and the tools your {team} uses.",
    "Teams like yours at {company} often tell us that {task} eats {metric}.",
]
VALUE = [
    "{other} cut {task} by 80% in one quarter, and the {team} there now spends that time on supplier reviews.",
    "I put together a two-page teardown of how {other} handled {task}; it is attached, with the checklist they started from.",
    "The main change was moving the approval step before the data entry, so nothing is keyed in twice.",
    "Most of the gain came from a rule that flags duplicates before they reach the ledger.",
    "Their finance lead said the month-end close went from nine days to four.",
    "The setup took two weeks and did not need anything from their IT group.",
    "A sample report from a team of a similar size is linked below if it helps to see the numbers.",
    "It connects to the accounting system you already run, so nothing changes for the people doing the work.",
    "In a pilot with {other}, the error rate on {task} dropped from 4% to under 1%.",
    "The pricing is per team rather than per seat, which tends to suit groups that share logins.",
]
ASKS = [
    "If it is useful, I can run a sample of twenty of your records through the same check and send you the results.",
    "Would it help if I sent over the checklist {other} used, so your {team} can compare?",
    "Is {task} something your {team} is looking at this quarter?",
    "Happy to share the full case study if that would be useful for your planning.",
    "If the timing is wrong, no problem at all; I can check back after your busy season.",
    "Does a fifteen-minute walkthrough on Thursday or Friday make sense?",
]
PROBLEMS = [
    "You never responded to my last three emails, so I'll assume you've gone another way.",
    "Thanks so much for taking the time to ignore all of my messages.",
    "If I don't hear back by Friday, I'll close your file and move on.",
    "I'd love to grab 30 minutes on your calendar to walk you through our platform.",
    "I've sent you nine emails and called twice, and still nothing.",
    "Should I stop reaching out, or are you just too busy to reply?",
    "I know you must be incredibly busy (deep sigh), but a quick yes or no would be nice.",
    "We are the leading provider of automation software and we have won many awards.",
    "I hope you got a chance to look at {{first_name}}'s proposal for [Company].",
    "This is my last email; after this I'll assume {task} is not a priority for you.",
]
SIGNOFFS = ["Best,", "Thanks,", "Regards,", "Cheers,", "All the best,", "Kind regards,"]
TITLES = ["Account Executive", "Solutions Consultant", "Sales Development Rep", "Customer Success Lead"]


def draft(rng: random.Random) -> str:
    me_first, me_last = rng.choice(FIRST), rng.choice(LAST)
    values = {
        "first": rng.choice(FIRST),
        "company": rng.choice(COMPANY),
        "other": rng.choice(COMPANY),
        "team": rng.choice(TEAM),
        "task": rng.choice(TASK),
        "metric": rng.choice(METRIC),
    }

    def fill(s: str) -> str:
        for k, v in values.items():
            s = s.replace("{" + k + "}", v)
        return s

    body: list[list[str]] = [[rng.choice(OPENERS)], rng.sample(VALUE, rng.randint(4, 7)), [rng.choice(ASKS)]]
    if rng.random() < 0.35:  # a tone problem or an unfilled tag, somewhere in the body
        where = rng.randrange(len(body))
        body[where].insert(rng.randint(0, len(body[where])), rng.choice(PROBLEMS))
    # split the value paragraph in two now and then, as people do
    if len(body[1]) > 3 and rng.random() < 0.5:
        body[1:2] = [body[1][:2], body[1][2:]]
    lines = [
        "Subject: " + fill(rng.choice(SUBJECTS)),
        "",
        fill(rng.choice(GREETINGS)),
        "",
        *[x for para in body for x in (fill(" ".join(para)), "")],
        rng.choice(SIGNOFFS),
        f"{me_first} {me_last}",
        f"{rng.choice(TITLES)} | {values['other']}",
        f"Direct: +1 (312) 555-{rng.randint(100, 999):04d}",
    ]
    return "\n".join(lines) + "\n"


def build(folder: Path, count: int, seed: int = 6) -> list[Path]:
    """Write `count` drafts into `folder` (created; existing drafts of the same name
    are overwritten) and return their paths in order."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        p = folder / f"draft-{i:05d}.txt"
        text = draft(rng)
        if not p.exists() or p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths
