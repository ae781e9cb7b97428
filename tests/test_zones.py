"""Zones decide what each rule sees; these pin down how emails are split."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from breaklint.zones import split_zones


def zones_of(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for seg in split_zones(text):
        out[seg.zone] = out.get(seg.zone, "") + text[seg.start : seg.end]
    return out


def test_segments_cover_every_character_in_order():
    text = "Subject: Hi\n\nHi Jo,\n\nBody line.\n\nBest,\nSam\n\nOn Mon, Ann wrote:\n> hi\n"
    segs = split_zones(text)
    assert segs[0].start == 0 and segs[-1].end == len(text)
    for a, b in zip(segs, segs[1:]):
        assert a.end == b.start


def test_subject_greeting_body_closing_signature():
    z = zones_of("Subject: Quick question\n\nHi Priya,\n\nThe deck is attached.\n\nBest regards,\nSam Ortiz\nAccount Executive\n+1 555 0100\n")
    assert z["subject"].strip() == "Quick question"
    assert z["header"] == "Subject: "
    assert z["greeting"].strip() == "Hi Priya,"
    assert z["body"].strip() == "The deck is attached."
    assert z["closing"].strip() == "Best regards,"
    assert "Sam Ortiz" in z["signature"] and "+1 555 0100" in z["signature"]


def test_inline_greeting_is_cut_at_the_comma():
    z = zones_of("Hi Sarah, just wanted to follow up on the proposal.")
    assert z["greeting"] == "Hi Sarah,"
    assert z["body"].strip() == "just wanted to follow up on the proposal."


def test_quoted_reply_below_on_wrote():
    z = zones_of("Hi Jo,\n\nShort note.\n\nThanks,\nSam\n\nOn Tue, 3 Mar 2026 at 10:02, Jo Lee <jo@example.com> wrote:\n> You never replied to me!\n> Long quoted text.\n")
    assert "You never replied" in z["quoted"]
    assert "You never replied" not in z.get("body", "")


def test_gmail_wrapped_on_wrote_line():
    z = zones_of("Sounds good, see you then.\n\nOn Tue, 3 Mar 2026 at 10:02, Jo Lee\n<jo@example.com> wrote:\n> earlier\n")
    assert "earlier" in z["quoted"] and "Sounds good" in z["body"]


def test_outlook_original_message_block():
    z = zones_of("Hi Jo,\n\nSee below.\n\n-----Original Message-----\nFrom: Jo Lee\nSent: Monday\nSubject: Re: pricing\n\nYou never replied.\n")
    assert "You never replied" in z["quoted"]


def test_outlook_from_sent_block():
    z = zones_of("Hi Jo,\n\nSee below.\n\nFrom: Jo Lee <jo@example.com>\nSent: Monday, March 2, 2026 9:14 AM\nTo: Sam\nSubject: Re: pricing\n\nOld text.\n")
    assert "Old text." in z["quoted"] and "See below." in z["body"]


def test_angle_quoted_lines_anywhere():
    z = zones_of("Hi Jo,\n\n> you said X\n\nAgreed, let's do X.\n")
    assert z["quoted"].strip() == "> you said X"
    assert "Agreed" in z["body"]


def test_footer_after_rule_line():
    z = zones_of("Hi Jo,\n\nShort note.\n\nBest,\nSam\n\n---\n\nYou received this email because you signed up. Unsubscribe here.\n")
    assert "Unsubscribe" in z["footer"]
    assert "Short note." in z["body"]


@pytest.mark.parametrize(
    "footer",
    [
        "Registered in England and Wales, company number 01234567. Registered office: 1 High St, Leeds.",
        "Harbour Advisers Ltd is authorised and regulated by the Financial Conduct Authority.",
        "We acknowledge the Gadigal people as the traditional custodians of the land on which we work.",
    ],
)
def test_company_law_and_acknowledgement_lines_below_the_signature_are_footer(footer):
    z = zones_of(f"Hi Jo,\n\nShort note about the audit.\n\nKind regards,\nSam Lee\nPartner\n\n{footer}\n")
    assert footer in z["footer"]
    assert "Short note" in z["body"] and footer not in z.get("body", "")


def test_nga_mihi_ends_the_body():
    z = zones_of("Kia ora Jo,\n\nShort note about the rota.\n\nNgā mihi,\nAroha\nRecruitment Lead | Southern Cross Ltd | Level 3, 22 Quay St\n")
    assert "Southern Cross" not in z.get("body", "")


def test_ps_after_signature_is_read():
    z = zones_of("Hi Jo,\n\nShort note.\n\nBest,\nSam\n\nP.S. The report is attached.\n")
    assert "P.S. The report is attached." in z["body"]
    assert z["signature"].strip() == "Sam"


def test_dash_dash_signature_delimiter():
    z = zones_of("Hi Jo,\n\nShort note.\n\n-- \nSam Ortiz | Northwind\n")
    assert "Sam Ortiz" in z["signature"]


def test_bare_name_after_blank_line_is_a_signature_but_a_question_is_not():
    assert zones_of("Hi Jo,\n\nShort note.\n\nMario\n")["signature"].strip() == "Mario"
    assert "signature" not in zones_of("Hi Jo,\n\nShort note.\n\nStill relevant?\n")


def test_a_name_or_team_block_with_no_sign_off_is_a_signature():
    z = zones_of("Hi Jo,\n\nThe wall reopens at noon.\n\nThe Red Rock Vertical team\nLas Vegas, NV\n")
    assert z["body"].strip() == "The wall reopens at noon."
    assert "Las Vegas, NV" in z["signature"]
    z = zones_of("Hi Jo,\n\nShort note.\n\nDana Fitzgerald\nPacific Grip & Camera, Vancouver\n")
    assert z["signature"].strip().startswith("Dana Fitzgerald")
    # a closing paragraph of sentences is body, even when it is short
    z = zones_of("Hi Jo,\n\nShort note.\n\nWelcome To The Team\nSee you Monday.\n")
    assert "See you Monday." in z["body"]


def test_long_last_sentence_starting_with_thanks_stays_in_the_body():
    z = zones_of("Hi Jo,\n\nShort note.\nThanks so much for all your time and I wish you the very best with the launch next week!\n")
    assert "wish you the very best" in z["body"]


REALWORLD = Path(os.environ.get("BREAKLINT_REALWORLD", "/work/shared/realworld/emails.jsonl"))


@pytest.mark.skipif(not REALWORLD.is_file(), reason=f"real-world set not found at {REALWORLD} (set BREAKLINT_REALWORLD)")
def test_counted_words_match_the_real_world_labels():
    """The labelled word counts exclude sign-off, signature, footer and quoted text;
    our zones must reproduce them exactly."""
    rows = [json.loads(line) for line in REALWORLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    wrong = []
    for r in rows:
        body = r["body"]
        read = "".join(body[s.start : s.end] if s.zone in ("greeting", "body") else "\n" for s in split_zones(body))
        counted = sum(1 for w in read.split() if re.search(r"[A-Za-z0-9]", w))
        expected = None
        ev = (r.get("evidence") or {}).get("too_long")
        if ev:
            expected = int(re.match(r"(\d+)", ev[0]).group(1))
        m = re.search(r"(\d+) counted words", r.get("notes") or "")
        if m:
            expected = int(m.group(1))
        if (counted > 100) != r["labels"]["too_long"] or (expected is not None and expected != counted):
            wrong.append((r["id"], counted, expected))
    assert not wrong


@pytest.mark.parametrize(
    "sign_off",
    [
        "Saludos,", "Un saludo,", "Un abrazo,", "Cordialement,", "Meilleures salutations,", "Mit freundlichen Grüßen,",
        "Freundliche Grüsse", "Beste Grüße", "Me ektímisi,", "Viele Grüße", "Met vriendelijke groet,", "Atenciosamente,", "Um abraço,",
        "Ystävällisin terveisin,", "Med venlig hilsen,", "Pozdrawiam,", "Saygılarımla,", "Cu stimă,", "Mahalo,",
        "Lots of love,", "Parimate soovidega / Best regards,", "Merci,", "Merci beaucoup,", "Bonne journée,", "Danke,",
        "Vielen Dank,", "Gracias,", "Muchas gracias,", "Grazie mille,", "Obrigada,", "Dank je wel,", "Tack,", "Kiitos,", "Dziękuję,",
    ],
)
def test_sign_offs_in_other_languages_end_the_body(sign_off):
    z = zones_of(f"Hi Ana,\n\nThe report is attached.\n\n{sign_off}\nAna Lopez\nHead of Sales, Lumen\n")
    assert z["body"].strip() == "The report is attached."
    assert z["closing"].strip() == sign_off
    assert "Ana Lopez" in z["signature"]


def test_a_body_sentence_that_starts_like_a_foreign_sign_off_stays_body():
    z = zones_of("Hi Ana,\n\nSaludos from the Madrid team: the pilot went live this morning and the numbers look great.\n\nBest,\nSam\n")
    assert "Saludos from the Madrid team" in z["body"]
    z = zones_of("Hi Ana,\n\nMerci for the tasting notes: the Loire list goes to print on Friday.\n\nBest,\nSam\n")
    assert "Merci for the tasting notes" in z["body"]
