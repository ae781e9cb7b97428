"""Split a plain-text email into zones: header, subject, greeting, body, closing,
signature, quoted reply and footer.

Everything here works line by line on the draft's own text, so each zone is an exact
character range of it. The heuristics follow how mail clients lay messages out; where
a line is ambiguous, it stays in the body, because hiding text the recipient reads
from the rules is worse than checking a line too many.
"""

from __future__ import annotations

import re

from .draft import Segment

_HEADER = re.compile(r"^(subject|to|from|cc|bcc|date|reply-to)\s*:\s?", re.I)
_QUOTE_INTRO = [
    re.compile(r"^\s*on\b.{0,200}\bwrote:\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*original message\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*forwarded message\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*begin forwarded message:\s*$", re.I),
    re.compile(r"^\s*le\b.{0,200}\ba écrit\s*:\s*$", re.I),
    re.compile(r"^\s*am\b.{0,200}\bschrieb\b.{0,80}:\s*$", re.I),
]
# "On Tue, 3 Mar 2026 at 10:02, Jane Doe <jane@x.com>" / "wrote:" split over two lines.
_QUOTE_INTRO_START = re.compile(r"^\s*on\s+\S.{0,200}$", re.I)
_QUOTE_INTRO_END = re.compile(r"^.{0,200}\bwrote:\s*$", re.I)
_OUTLOOK_FROM = re.compile(r"^\s*\*?from:\*?\s+\S", re.I)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(sent|date|to|subject):\*?\s", re.I)
_QUOTED_LINE = re.compile(r"^\s*>")
_RULE_LINE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,}|={3,}|\.{4,})\s*$")
_SIG_DELIM = re.compile(r"^--\s?$|^--\s*\S.{0,60}$")
_FOOTER_WORDS = re.compile(
    r"unsubscribe|opt[- ]?out|to be removed from|manage (your )?(email )?preferences|"
    r"confidential|legally privileged|intended (solely|only) for|view (it |this )?in (your |a )?browser|"
    r"you (are )?receiv(ed|ing) this (e-?mail|message)|this (e-?mail|message) (and any attachments )?(is|was) sent|"
    # Company-law and regulatory lines, and an Acknowledgement of Country, sit below the
    # signature in much British, Irish and Australian mail.
    r"registered (in|office)\b|company (registration )?(no|number)\b|(authori[sz]ed|regulated) (and regulated )?by\b|"
    r"traditional (owners|custodians)\b|consider the environment before printing",
    re.I,
)
_CLOSINGS = (
    r"best|best regards|best wishes|kind regards|warm regards|warmest regards|warmly|regards|"
    r"many thanks|thanks|thanks again|thanks so much|thank you|thank you again|cheers|sincerely|"
    r"sincerely yours|yours|yours truly|yours sincerely|all the best|all best|talk soon|speak soon|"
    r"respectfully|take care|with thanks|with (?:sincere |our )?apologies|apologies again|with (?:best |warm |warmest |kind |kindest |many )?(?:wishes|regards)|have a great (day|week|weekend)|"
    r"looking forward|onward|to your success|best of luck|thx|ty|lots of love|much love|with love|"
    # Sign-offs in the other languages sales teams write in, so a signature after them is
    # not read as body text (or counted for length).
    r"saludos|un (?:cordial )?saludo|(?:un )?abrazo|abrazos|atentamente|cordialmente|(?:muchas )?gracias|"  # Spanish
    r"atenciosamente|cumprimentos|um abraço|abraços|obrigad[oa]|"  # Portuguese
    r"cordialement|bien (à vous|cordialement)|amitiés|(?:meilleures |sinc[eè]res )?salutations|merci(?: beaucoup| bien)?|bonne (?:journée|soirée|semaine)|à bientôt|"  # French
    r"(?:mit )?(?:freundlichen |freundliche |besten |beste |viele |vielen |lieben |liebe |herzlichen |herzliche )?grü(?:ß|ss)en?|lg|vg|mfg|danke(?: schön| sehr)?|(?:vielen|herzlichen) dank|"
    r"(?:cordiali |distinti )?saluti|un caro saluto|grazie(?: mille)?|"  # Italian
    r"(?:met )?vriendelijke groet(?:en)?|groeten|dank je(?: wel)?|bedankt|"  # Dutch
    r"(?:med )?(?:venlig|vennlig|vänlig|vänliga) (?:hilsen|hälsning(?:ar)?)|hilsen|hälsningar|mvh|tack(?: så mycket)?|"  # Scandinavian
    r"(?:ystävällisin )?terveisin|kiitos|dziękuję|parimate soovidega|lugupidamisega|pozdrawiam|z poważaniem|s pozdravem|s pozdravom|üdvözlettel|"
    r"saygılarımla|iyi çalışmalar|cu stimă|cu respect|με εκτίμηση|me ekt[ií]misi|"
    r"hormat saya|terima kasih|mahalo(?: nui(?: loa)?)?|ngā mihi|nga mihi"
)
# A sign-off line: the closing phrase, optionally followed by a comma and a name.
_CLOSING_LINE = re.compile(rf"^\s*(?:{_CLOSINGS})\b[^.?\n]{{0,40}}?[,!.]?\s*$", re.I)
_GREETING_WORDS = r"hi|hello|hey|dear|greetings|good (morning|afternoon|evening|day)|howdy|hiya|morning|afternoon"
_GREETING_LINE = re.compile(rf"^\s*(?:{_GREETING_WORDS})\b[^\n]{{0,60}}$", re.I)
_GREETING_INLINE = re.compile(rf"^\s*(?:{_GREETING_WORDS})\b[^\n,:;!—–.?]{{0,40}}[,:!—–]", re.I)
# A line that is only a name (or a merge tag standing for one) followed by a comma:
# "Bill,", "{{first_name}},", "[Name],", "Coach [Last Name] / [Title],".
_NAME_GREETING = re.compile(r"^\s*[^\s.?!,;]+(?:[ \t]+[^\s.?!,;]+){0,4}[ \t]*[,:—–-]+\s*$")
# A signature that names a team instead of a person: "The Red Rock Vertical team".
_TEAM_LINE = re.compile(r"^\s*(?:[Tt]he\s+)?(?:[A-Z0-9][\w&'’.-]*\s+){1,5}[Tt]eam\s*$")
_PS = re.compile(r"^\s*p\.?\s?p?\.?\s?s\.?\b|^\s*ps:", re.I)
_NAMEISH_WORD = re.compile(r"^(?:[A-Z][\w.'’-]*|[\[{<«(*%].*|\d[\d\s().+-]*)$")


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end_with_newline, stripped_content) for each line."""
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        out.append((pos, pos + len(raw), raw.rstrip("\r\n")))
        pos += len(raw)
    return out


def _is_blank(s: str) -> bool:
    return not s.strip()


def _word_count(s: str) -> int:
    return len(s.split())


# A postal address line: a street number and street word, a US state and ZIP, or a
# UK postcode ("233 S. Wacker Drive, Suite 4100, Chicago, IL 60606").
_POSTAL = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][\w.]*\s+){1,4}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Drive|Dr\.?|Boulevard|Blvd\.?|"
    r"Lane|Ln\.?|Way|Place|Pl\.?|Square|Sq\.?|Court|Ct\.?|Parkway|Suite|Floor)\b"
    r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"
)


def _is_signature_like(s: str) -> bool:
    """Short lines found under a sign-off: names, titles, phones, links, addresses."""
    t = s.strip().strip("*_")
    if not t:
        return True
    if re.search(r"https?://|www\.|@|\+?\d[\d\s().-]{6,}|\|", t) or _POSTAL.search(t):
        return True
    return _word_count(t) <= 8 and not t.endswith("?")


def _is_name_line(s: str) -> bool:
    """A bare sender name such as "Mario", "[Sender]" or "{{sender_name}}"."""
    t = s.strip().strip("*_")
    if not t or t[-1] in ".?!:,;":
        return False
    words = t.split()
    return 1 <= len(words) <= 4 and all(_NAMEISH_WORD.match(w) for w in words)


def split_zones(text: str) -> list[Segment]:
    """Split `text` into contiguous zone segments covering every character."""
    lines = _lines(text)
    n = len(lines)
    zone = ["body"] * n
    inline: dict[int, tuple[str, int]] = {}  # line -> (zone of its first `n` chars, n)

    # 1. Header block ("Subject: ..." and friends) at the very top.
    i = 0
    while i < n and _HEADER.match(lines[i][2]):
        zone[i] = "header"
        if lines[i][2].lower().lstrip().startswith("subject"):
            m = _HEADER.match(lines[i][2])
            assert m is not None
            inline[i] = ("header", m.end())  # the rest of the line is the subject
            zone[i] = "subject"
        i += 1
    body_start = i

    # 2. Quoted reply: from the first reply header to the end; ">" lines anywhere.
    quote_start = n
    for j in range(body_start, n):
        s = lines[j][2]
        if any(p.match(s) for p in _QUOTE_INTRO):
            quote_start = j
            break
        if j + 1 < n and _QUOTE_INTRO_START.match(s) and _QUOTE_INTRO_END.match(lines[j + 1][2]) and not s.rstrip().endswith((".", "?", "!")):
            quote_start = j
            break
        if _OUTLOOK_FROM.match(s) and any(_OUTLOOK_NEXT.match(lines[k][2]) for k in range(j + 1, min(n, j + 4))):
            quote_start = j
            # An Outlook reply often has a rule line just above "From:".
            if j - 1 >= body_start and re.match(r"^\s*_{5,}\s*$", lines[j - 1][2]):
                quote_start = j - 1
            break
    for j in range(quote_start, n):
        zone[j] = "quoted"
    for j in range(body_start, quote_start):
        if _QUOTED_LINE.match(lines[j][2]):
            zone[j] = "quoted"
    end = quote_start
    while end > body_start and (_is_blank(lines[end - 1][2]) or zone[end - 1] == "quoted"):
        end -= 1

    # 3. Signature: a "-- " delimiter, or the last sign-off line followed only by
    #    signature-like lines. Found before the footer so that a rule line below a
    #    signature can be read as the start of a footer.
    sig_start = None
    closing_line = None
    for j in range(body_start, end):
        if zone[j] == "body" and _SIG_DELIM.match(lines[j][2].strip()) and not _RULE_LINE.match(lines[j][2]):
            sig_start = j
            break
    for j in range(end - 1, body_start - 1, -1):
        s = lines[j][2]
        if zone[j] != "body" or _is_blank(s):
            continue
        if _CLOSING_LINE.match(s) and _word_count(s) <= 8:
            tail = []
            for k in range(j + 1, sig_start if sig_start and sig_start > j else end):
                if _RULE_LINE.match(lines[k][2]) or _FOOTER_WORDS.search(lines[k][2]) or _PS.match(lines[k][2]):
                    break  # what follows is a footer or a P.S., judged on its own
                tail.append(lines[k][2])
            if len(tail) <= 12 and all(_is_signature_like(t) for t in tail):
                closing_line = j
                break
    if closing_line is not None and (sig_start is None or closing_line < sig_start):
        zone[closing_line] = "closing"
        sig_start = closing_line + 1
    elif sig_start is None:
        # No sign-off: a last block of up to four short lines, after a blank line, that
        # opens with a bare name or "The X team" is a signature ("Mario", "The Red Rock
        # team / Las Vegas, NV").
        last = end - 1
        first = last
        while first - 1 > body_start and not _is_blank(lines[first - 1][2]) and last - first < 3:
            first -= 1
        if (
            first > body_start
            and _is_blank(lines[first - 1][2])
            and (_is_name_line(lines[first][2]) or _TEAM_LINE.match(lines[first][2]))
            and all(_is_signature_like(lines[k][2]) and not lines[k][2].rstrip().endswith((".", "?", "!")) for k in range(first + 1, last + 1))
        ):
            sig_start = first

    # 4. Footer: a rule line followed by footer words or sitting below the signature,
    #    or a paragraph with footer words near the end.
    footer_start = None
    for j in range(body_start, end):
        if zone[j] != "body":
            continue
        s = lines[j][2]
        rest = "\n".join(lines[k][2] for k in range(j + 1, end))
        if _RULE_LINE.match(s) and (_FOOTER_WORDS.search(rest) or (sig_start is not None and j > sig_start)):
            footer_start = j
            break
        if _FOOTER_WORDS.search(s) and j >= body_start + (end - body_start) // 2 and (sig_start is None or j > sig_start):
            footer_start = j
            break
    if footer_start is not None:
        for j in range(footer_start, end):
            if zone[j] == "body":
                zone[j] = "footer"
        for j in range(end, quote_start):
            if zone[j] == "body":
                zone[j] = "footer"

    if sig_start is not None:
        stop = footer_start if footer_start is not None and footer_start > sig_start else end
        in_ps = False
        for j in range(sig_start, stop):
            if zone[j] not in ("body",):
                continue
            if _PS.match(lines[j][2]):
                in_ps = True
            zone[j] = "body" if in_ps else "signature"
        # Blank lines after the last read line until the quote belong to it.
        for j in range(stop, quote_start):
            if zone[j] == "body" and _is_blank(lines[j][2]):
                zone[j] = "signature"

    # 5. Greeting: the first non-blank body line, whole or up to its first comma.
    for j in range(body_start, end):
        s = lines[j][2]
        if _is_blank(s):
            continue
        if zone[j] != "body":
            break
        if (_GREETING_LINE.match(s) and _word_count(s) <= 6) or (_NAME_GREETING.match(s) and _word_count(s) <= 6):
            zone[j] = "greeting"
        else:
            m = _GREETING_INLINE.match(s)
            if m:
                inline[j] = ("greeting", m.end())
        break

    return _to_segments(lines, zone, inline, len(text))


def _to_segments(lines, zone, inline, length) -> list[Segment]:
    pieces: list[tuple[str, int, int]] = []
    for j, (start, end, _content) in enumerate(lines):
        if j in inline:
            first_zone, cut = inline[j]
            pieces.append((first_zone, start, start + cut))
            pieces.append((zone[j], start + cut, end))
        else:
            pieces.append((zone[j], start, end))
    segs: list[Segment] = []
    for z, s, e in pieces:
        if e <= s:
            continue
        if segs and segs[-1].zone == z and segs[-1].end == s:
            segs[-1] = Segment(z, segs[-1].start, e)
        else:
            segs.append(Segment(z, s, e))
    if not segs:
        segs.append(Segment("body", 0, length))
    return segs
