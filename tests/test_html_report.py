"""The HTML report (--format html and --report PATH).

Structure and escaping are checked with html.parser, so they run everywhere. The
page's behaviour (its script is inert for draft text, the filters work) is checked
in a real headless Chromium when one is installed (Debian: apt-get install chromium);
without one those tests skip and say why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from breaklint.cli import main
from breaklint.engine import FileResult
from breaklint.finding import Finding
from breaklint.positions import LineIndex
from conftest import format_results

SELECT = ["--no-config", "--select", "merge-tag,length,BLAME001"]
BLAMING = "Hi {{first_name}},\n\nYou never replied to my emails.\n\nBest,\nSam\n"
HOSTILE = (
    "Hi {{first_name}},\n\n"
    'You never replied. <script>document.title = "pwned";</script>\n'
    "<img src=x onerror=\"document.title='pwned2'\"> & <b>bold</b> \"quotes\" 'single'\n\n"
    "Best,\nSam\n"
)
LONG = "Hi Priya,\n\n" + " ".join(["The freight plan covers every lane we discussed last week."] * 12) + "\n\nBest,\nSam\n"
CLEAN = "Hi Priya,\n\nThe pricing sheet is attached.\n\nBest,\nSam\n"
VOID = {"meta", "link", "br", "hr", "img", "input", "wbr", "col", "area", "base", "source", "track", "embed", "param"}


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input, catch_exceptions=False)


@pytest.fixture
def drafts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "drafts"
    d.mkdir()
    (d / "blaming.txt").write_text(BLAMING, encoding="utf-8")
    (d / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (d / "long.txt").write_text(LONG, encoding="utf-8")
    (d / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


PATHS = ["drafts/blaming.txt", "drafts/hostile.txt", "drafts/long.txt", "drafts/clean.txt"]


class Page(HTMLParser):
    """Collects what the tests look at and checks that every element is closed in
    order (so overlapping highlights cannot have produced crossed tags)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self.marks: list[dict] = []
        self.mark_text: dict[str, str] = {}
        self.pre_text: list[str] = []  # text of each <pre>, as the reader sees it
        self.scripts: list[str] = []
        self._open_marks: list[dict] = []
        self._in_pre = False
        self._in_script = False
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "mark":
            self.marks.append(a)
            self._open_marks.append(a)
        elif tag == "pre":
            self._in_pre = True
            self.pre_text.append("")
        elif tag == "script":
            self._in_script = True
            self.scripts.append("")
        elif tag == "title":
            self._in_title = True

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag == "mark":
            self._open_marks.pop()
        elif tag == "pre":
            self._in_pre = False
        elif tag == "script":
            self._in_script = False
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_pre:
            self.pre_text[-1] += data
        if self._in_script:
            self.scripts[-1] += data
        if self._in_title:
            self.title += data
        for m in {id(m): m for m in self._open_marks}.values():
            key = m.get("data-finding")
            if key:
                self.mark_text[key] = self.mark_text.get(key, "") + data


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    assert not p.errors, p.errors[:5]
    assert not p.stack, f"unclosed: {p.stack}"
    return p


def report_for(paths, *extra):
    r = run([*SELECT, "--format", "html", *extra, *paths])
    return r, r.output


# -- structure and escaping (html.parser) ----------------------------------------------

def test_page_is_self_contained_and_every_finding_is_highlighted_in_place(drafts):
    r, html = report_for(PATHS)
    assert r.exit_code == 1
    page = parse(html)
    assert html.startswith("<!DOCTYPE html>") and page.title == "breaklint report"
    # Nothing external: no src/href pointing anywhere but inside the page.
    for tag, attrs in page.elements:
        for key in ("src", "href", "action"):
            if key in attrs:
                assert attrs[key].startswith("#"), (tag, attrs)
        assert tag not in ("link", "iframe", "object", "embed", "img")
    findings = json.loads(run([*SELECT, "--format", "json", *PATHS]).output)
    assert {f["rule"] for f in findings} == {"TAG001", "BLAME001", "LEN001"}
    # Every finding has marks whose text is exactly the flagged text, and a list item.
    by_rule_text = {(m["data-rule"], page.mark_text[m["data-finding"]]) for m in page.marks}
    for f in findings:
        assert (f["rule"], f["text"]) in by_rule_text
    for m in page.marks:
        assert {"data-rule", "data-category", "data-severity", "title"} <= set(m)
        assert m["title"].startswith(m["data-rule"] + ": ")
    items = [a for t, a in page.elements if t == "li" and "finding" in a.get("class", "")]
    assert len(items) == len(findings)
    # Each checked draft with findings is shown in full, as the reader sees it.
    assert BLAMING in page.pre_text and HOSTILE in page.pre_text and LONG in page.pre_text
    assert CLEAN not in page.pre_text and "drafts/clean.txt" in html  # listed as clean
    # Summary: severities, categories, worst drafts, reading time.
    assert "By severity" in html and "By category" in html and "Drafts with the most findings" in html and "Reading time" in html
    assert "about 31 s" in html  # LEN001's reading time of long.txt
    # Filters for the categories and severities present.
    boxes = {(a["data-kind"], a["value"]) for t, a in page.elements if t == "input"}
    assert boxes == {("category", "merge-tag"), ("category", "customer-blaming"), ("category", "length"),
                     ("severity", "error"), ("severity", "warning")}


def test_draft_markup_is_escaped_not_executed(drafts):
    _, html = report_for(["drafts/hostile.txt"])
    page = parse(html)
    assert len(page.scripts) == 1 and "pwned" not in page.scripts[0]  # only the page's own script
    assert not [a for t, a in page.elements if t == "img" or "onerror" in a or (t == "b" and not a)]
    assert "&lt;script&gt;document.title = &quot;pwned&quot;;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;document.title=&#x27;pwned2&#x27;&quot;&gt;" in html
    assert page.pre_text == [HOSTILE]
    # And the page only lets its own script run (CSP by hash): no 'unsafe-inline' scripts.
    csp = [a["content"] for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "script-src 'sha256-" in csp[0] and "default-src 'none'" in csp[0]


def _finding(source: str, start: int, end: int, rule: str, category: str = "merge-tag", severity: str = "error") -> Finding:
    index = LineIndex(source)
    line, col = index.line_col(start)
    end_line, end_col = index.line_col(end)
    return Finding(path="o.txt", rule=rule, category=category, severity=severity, start=start, end=end, line=line, column=col,
                   end_line=end_line, end_column=end_col, text=source[start:end], message=f"{rule} <says> & \"so\"",
                   suggestion="Try <this>", source=None)


def test_overlapping_nested_adjacent_and_empty_spans_keep_the_markup_well_formed():
    source = "Hello <b>there</b> friend, you never replied & left.\nSecond line here.\n"
    spans = [
        (0, 15, "A"),    # overlaps B
        (6, 24, "B"),    # overlaps A and C
        (10, 13, "C"),   # inside A and B
        (19, 40, "D"),   # crosses the end of B
        (40, 45, "E"),   # adjacent to D
        (30, 30, "F"),   # empty: a point
        (45, 65, "G"),   # runs over the line break
        (0, len(source), "H"),  # the whole draft
    ]
    findings = [_finding(source, s, e, rule) for s, e, rule in spans]
    html = format_results("html", [FileResult("o.txt", findings=findings, source_text=source)])
    page = parse(html)
    assert page.pre_text == [source]  # all the text, once, in order
    rules = {m["data-rule"] for m in page.marks}
    assert rules == {r for _, _, r in spans}
    for f in findings:
        fid = next(m["data-finding"] for m in page.marks if m["data-rule"] == f.rule)
        assert page.mark_text.get(fid, "") == f.text, f.rule
    # Each finding's first fragment is an anchor the list links to.
    ids = {a.get("id") for t, a in page.elements if t == "mark" and a.get("id")}
    links = {a["href"][1:] for t, a in page.elements if t == "a" and a.get("href", "").startswith("#m-")}
    assert links and links <= ids
    assert "B &lt;says&gt; &amp; &quot;so&quot;" in html and "Try &lt;this&gt;" in html


def test_findings_that_do_not_map_onto_the_text_are_listed_not_highlighted():
    source = "Hi {{first_name}},\n"
    good = _finding(source, 3, 17, "TAG001")
    stale = Finding(**{**good.__dict__, "rule": "TAG002", "start": 0, "end": 2, "text": "nope"})
    html = format_results("html", [FileResult("o.txt", findings=[good, stale], source_text=source),
                   FileResult("gone.txt", findings=[_finding(source, 3, 17, "TAG003")], source_text=None)])
    page = parse(html)
    assert {m["data-rule"] for m in page.marks} == {"TAG001"}
    items = {a["data-rule"] for t, a in page.elements if t == "li" and "finding" in a.get("class", "")}
    assert items == {"TAG001", "TAG002", "TAG003"}


def test_report_option_writes_the_page_atomically_beside_normal_output(drafts):
    out = drafts / "reports"
    out.mkdir()
    target = out / "breaklint.html"
    target.write_text("old report", encoding="utf-8")
    r = run([*SELECT, "--format", "json", "--report", str(target), *PATHS])
    assert r.exit_code == 1
    assert len(json.loads(r.stdout)) >= 5  # the normal output is untouched
    html = target.read_text(encoding="utf-8")
    page = parse(html)
    assert page.title == "breaklint report" and HOSTILE in page.pre_text
    assert sorted(p.name for p in out.iterdir()) == ["breaklint.html"]  # no temporary file left
    # With text output too, and a clean run still writes a report.
    r = run([*SELECT, "--report", str(target), "drafts/clean.txt"])
    assert r.exit_code == 0 and "Checked 1 file" in r.output
    assert "No findings" in target.read_text(encoding="utf-8")


def test_report_into_a_missing_folder_is_a_clear_error(drafts):
    r = run([*SELECT, "--report", "nowhere/report.html", "drafts/blaming.txt"])
    assert r.exit_code == 2
    assert "cannot write the report to nowhere/report.html" in r.stderr


def test_unreadable_and_skipped_files_are_listed(drafts):
    (drafts / "drafts" / "empty.txt").write_text("", encoding="utf-8")
    r, html = report_for(["drafts/blaming.txt", "drafts/missing.txt", "drafts/"])
    assert r.exit_code == 2
    parse(html)
    assert "Could not be read" in html and "drafts/missing.txt" in html
    assert "Skipped" in html and "empty.txt" in html


# -- behaviour in a real browser ----------------------------------------------------

def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


CHROMIUM = _chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (Debian: apt-get install chromium); the browser checks of the HTML report are skipped")


def dump_dom(url: str, profile: Path) -> str:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
           "--disable-extensions", "--disable-background-networking", "--disable-sync", "--mute-audio",
           f"--user-data-dir={profile}", "--dump-dom", url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "<html" in proc.stdout, proc.stderr[-2000:]
    return proc.stdout


@pytest.fixture
def report_page(drafts):
    target = drafts / "report.html"
    r = run([*SELECT, "--format", "json", "--report", str(target), *PATHS])
    assert r.exit_code == 1
    return target


def _by_rule(page: Page, tag: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for t, a in page.elements:
        if t == tag and a.get("data-finding"):
            out.setdefault(a["data-rule"], []).append(a)
    return out


@needs_chromium
def test_in_chromium_the_page_renders_and_draft_scripts_stay_inert(report_page, tmp_path):
    dom = dump_dom(report_page.as_uri(), tmp_path / "profile")
    page = parse(dom)
    body = next(a for t, a in page.elements if t == "body")
    assert body.get("data-ready") == "1"  # the page's own script ran
    assert page.title == "breaklint report"  # the draft's script did not ("pwned")
    assert "pwned" not in page.title and not [a for t, a in page.elements if t == "img"]
    assert any(HOSTILE in text for text in page.pre_text)
    findings = json.loads(run([*SELECT, "--format", "json", *PATHS]).output)
    marks = _by_rule(page, "mark")
    for f in findings:
        assert f["rule"] in marks
    assert body.get("data-shown") == str(len(findings))  # nothing filtered by default
    assert not any("off" in m.get("class", "") for ms in marks.values() for m in ms)


@needs_chromium
def test_in_chromium_the_filters_hide_other_findings(report_page, tmp_path):
    dom = dump_dom(report_page.as_uri() + "?category=merge-tag", tmp_path / "profile")
    page = parse(dom)
    marks, items = _by_rule(page, "mark"), _by_rule(page, "li")
    assert all("off" not in m["class"] for m in marks["TAG001"])
    assert all("off" in m["class"].split() for rule in ("BLAME001", "LEN001") for m in marks[rule])
    assert all("hidden" not in a for a in items["TAG001"])
    assert all("hidden" in a for rule in ("BLAME001", "LEN001") for a in items[rule])
    boxes = {a["value"]: "checked" in a for t, a in page.elements if t == "input" and a.get("data-kind") == "category"}
    sections = {a["data-path"]: "hidden" in a for t, a in page.elements if t == "section" and a.get("data-path")}
    assert sections == {"drafts/blaming.txt": False, "drafts/hostile.txt": False, "drafts/long.txt": True}
    body = next(a for t, a in page.elements if t == "body")
    assert body.get("data-shown") == str(len(items["TAG001"]))
    assert boxes  # the checkboxes exist (their checked state is a property, not in the DOM dump)

    # The same from the hash, by severity: only the LEN001 warning is left.
    dom = dump_dom(report_page.as_uri() + "#severity=warning", tmp_path / "profile")
    page = parse(dom)
    items = _by_rule(page, "li")
    assert all("hidden" not in a for a in items["LEN001"])
    assert all("hidden" in a for rule in ("TAG001", "BLAME001") for a in items[rule])
    sections = {a["data-path"]: "hidden" in a for t, a in page.elements if t == "section" and a.get("data-path")}
    assert sections == {"drafts/blaming.txt": True, "drafts/hostile.txt": True, "drafts/long.txt": False}


def test_summary_shows_the_reading_time_distribution_of_the_library():
    import re

    def draft(path: str, words: int) -> FileResult:
        return FileResult(path, source_text="Hi Priya,\n\n" + " ".join(["plan"] * (words - 4)) + "\n\nBest,\nSam\n")

    # At 238 words a minute: 20 words ~5 s, 80 ~20 s, 120 ~30 s, 130 ~33 s, 300 ~76 s.
    results = [draft("a.txt", 20), draft("b.txt", 80), draft("c.txt", 120), draft("d.txt", 130), draft("e.txt", 300),
               FileResult("gone.txt", error="gone.txt: no such file")]  # not a draft: not counted
    html = format_results("html", results)
    card = html[html.index("<h2>Reading time</h2>"):]
    card = card[: card.index("</div>")]
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="n">(\d+)</td>', card))
    assert rows == {"under 15 s": "1", "15–25 s": "1", "25–40 s": "2", "40–60 s": "0", "over 60 s": "1"}
    assert 'href="#' in card and "e.txt</a>, about 76 s" in card  # the longest draft, linked


def test_summary_counts_categories_ranks_the_worst_drafts_and_puts_suggestions_beside_findings():
    import re
    from dataclasses import replace

    source = "Hi {{a}} and {{b}}, you never replied.\n"
    tag_a = _finding(source, 3, 8, "TAG001")
    tag_b = _finding(source, 13, 18, "TAG001")
    blame = replace(_finding(source, 20, 37, "BLAME001", "customer-blaming", "error"), suggestion="Say it from your side.")
    info = replace(_finding(source, 3, 8, "TAG103", "merge-tag", "info"), suggestion=None)
    results = [
        FileResult("one.txt", findings=[replace(info, path="one.txt")], source_text=source),
        FileResult("three.txt", findings=[replace(f, path="three.txt") for f in (tag_a, tag_b, blame)], source_text=source),
        FileResult("two.txt", findings=[replace(f, path="two.txt") for f in (tag_a, info)], source_text=source),
        FileResult("clean.txt", source_text="Hi Priya.\n"),
    ]
    html = format_results("html", results)
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="n">(\d+)</td>', html)
    by_category = {label: n for label, n in rows if "<" not in label and not label.endswith(" s")}
    assert by_category == {"merge-tag": "5", "customer-blaming": "1"}
    worst = [re.search(r">([^<]+)</a>", label).group(1) for label, _ in rows if label.startswith("<a ")]
    assert worst == ["three.txt", "two.txt", "one.txt"]  # most errors first; clean.txt not listed
    # Each finding's list item carries its own suggestion, escaped.
    items = re.findall(r'<li class="finding[^"]*"[^>]*data-rule="([A-Z0-9]+)"[^>]*>(.*?)</li>', html)
    blame_items = [body for rule, body in items if rule == "BLAME001"]
    assert len(blame_items) == 1 and "<span>Try:</span> Say it from your side." in blame_items[0]
    assert all("Try &lt;this&gt;" in body for rule, body in items if rule == "TAG001")
    assert all("suggestion" not in body for rule, body in items if rule == "TAG103")
