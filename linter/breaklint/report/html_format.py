"""--format html (and --report PATH): one self-contained page to read a run's findings
in a browser. Inline CSS and JS, nothing fetched, works offline.

At the top a summary: files, findings per severity and per category, the drafts
with the most findings and how long the drafts take to read. Then every draft with
findings in full, each finding highlighted in place (a <mark> carrying data-rule,
data-category and data-severity, titled with the message) and listed beside the text
with its suggestion. Checkboxes filter findings by category and severity; drafts
with no finding left are hidden. The filters can be preset from the address:
`report.html?category=merge-tag,length&severity=error` (or the same after `#`).

Safety: every piece of draft text, path, rule message and suggestion goes through
html.escape, and the page's Content-Security-Policy only lets its own script run
(by hash), so a draft containing <script> is shown as text and never runs.
Overlapping findings are split at every boundary and nested, so the markup stays
well formed whatever the spans.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html import escape
from typing import IO

from .. import __version__
from ..engine import FileResult
from ..finding import CATEGORIES, SEVERITIES, Finding
from ._common import span_matches

WPM = 238.0  # the reading speed LEN001 uses by default
_READ_TIME = re.compile(r"about (\d+(?:\.\d+)?) s to read")
_WORD = re.compile(r"[^\W_][\w'’-]*")
_TAG = re.compile(r"<[^>]*>")
READING_BUCKETS = ((0, 15, "under 15 s"), (15, 25, "15–25 s"), (25, 40, "25–40 s"), (40, 60, "40–60 s"), (60, float("inf"), "over 60 s"))


def esc(value: object) -> str:
    return escape(str(value), quote=True)


@dataclass
class _Item:
    fid: str
    f: Finding
    inline: bool


@dataclass
class _Draft:
    index: int
    result: FileResult
    items: list[_Item] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"draft-{self.index}"

    def count(self, severity: str) -> int:
        return sum(1 for i in self.items if i.f.severity == severity)

    def badness(self) -> tuple[int, int, int]:
        return (self.count("error"), self.count("warning"), self.count("info"))


def reading_seconds(result: FileResult) -> tuple[float, bool] | None:
    """(seconds, exact): LEN001's own number when it flagged the draft, else an
    estimate from the draft's words at 238 words per minute."""
    for f in result.findings:
        m = _READ_TIME.search(f.message) if f.category == "length" else None
        if m:
            return float(m.group(1)), True
    if result.source_text is None:
        return None
    text = result.source_text
    if "<" in text and _TAG.search(text):
        text = _TAG.sub(" ", text)
    return len(_WORD.findall(text)) * 60.0 / WPM, False


def highlight(text: str, items: list[_Item]) -> str:
    """`text` escaped, with a <mark> around each finding's span. Where spans overlap
    the text is cut at every start and end and the marks nested inside each piece,
    so a finding may be several <mark>s (all with the same data-finding)."""
    spans = [i for i in items if i.inline]
    cuts = {0, len(text)}
    for i in spans:
        cuts.update((i.f.start, i.f.end))
    bounds = sorted(cuts)
    points: dict[int, list[_Item]] = {}
    for i in spans:
        if i.f.start == i.f.end:
            points.setdefault(i.f.start, []).append(i)
    first_seen: set[str] = set()
    out: list[str] = []
    ranged = sorted((i for i in spans if i.f.end > i.f.start), key=lambda i: (i.f.start, -i.f.end, i.fid))

    def mark(i: _Item, extra: str = "") -> str:
        f = i.f
        ident = ""
        if i.fid not in first_seen:
            first_seen.add(i.fid)
            ident = f' id="m-{esc(i.fid)}"'
        return (
            f'<mark{ident} class="hl sev-{esc(f.severity)}{extra}" data-finding="{esc(i.fid)}" data-rule="{esc(f.rule)}" '
            f'data-category="{esc(f.category)}" data-severity="{esc(f.severity)}" title="{esc(f.rule + ": " + f.message)}">'
        )

    # Sweep the cuts once, keeping the spans open at the current piece (in `ranged`
    # order): every span's ends are cuts, so a span open at a piece covers it whole.
    # Testing every span at every piece was quadratic in the number of findings.
    active: list[_Item] = []
    nxt = 0
    for a, b in zip(bounds, bounds[1:] + [None]):
        for i in points.get(a, []):
            out.append(mark(i, " point") + "</mark>")
        if b is None:
            break
        if a == b:
            continue
        opened = nxt
        while nxt < len(ranged) and ranged[nxt].f.start <= a:
            nxt += 1
        active = [i for i in active if i.f.end > a]
        if nxt > opened:
            active = sorted(active + ranged[opened:nxt], key=lambda i: (i.f.start, -i.f.end, i.fid))
        out.extend(mark(i) for i in active)
        out.append(esc(text[a:b]))
        out.append("</mark>" * len(active))
    return "".join(out)


class HtmlFormatter:
    def __init__(self, out: IO[str], color: bool = False, width: int = 100):
        self.out = out
        self.results: list[FileResult] = []

    def file(self, result: FileResult) -> None:
        self.results.append(result)

    def finish(self, summary) -> None:
        self.out.write(render(self.results, summary))


# -- page --------------------------------------------------------------------------

def render(results: list[FileResult], summary) -> str:
    drafts: list[_Draft] = []
    for n, r in enumerate(results):
        d = _Draft(n + 1, r)
        for j, f in enumerate(r.findings):
            d.items.append(_Item(f"{n + 1}-{j + 1}", f, span_matches(f, r.source_text)))
        drafts.append(d)
    flagged = [d for d in drafts if d.items]
    clean = [d for d in drafts if not d.items and not d.result.error and not d.result.skipped]
    failed = [d for d in drafts if d.result.error]
    skipped = [d for d in drafts if d.result.skipped and not d.result.error]
    findings = [i.f for d in drafts for i in d.items]

    body = [
        '<header><h1>breaklint report</h1>',
        f'<p class="meta">{esc(summary.files_checked)} draft{"s" if summary.files_checked != 1 else ""} checked · '
        f'{len(findings)} finding{"s" if len(findings) != 1 else ""} in {len(flagged)} draft{"s" if len(flagged) != 1 else ""}'
        + (f" · {len(skipped)} skipped" if skipped else "")
        + (f' · <span class="bad">{len(failed)} could not be read</span>' if failed else "")
        + f" · breaklint {esc(__version__)}</p></header>",
        _summary(drafts, findings),
        _filters(findings),
        '<main>',
    ]
    if not flagged:
        body.append('<p class="allclear">No findings. Every draft passed.</p>')
    body.extend(_draft_section(d) for d in flagged)
    if failed:
        body.append('<section class="failed"><h2>Could not be read</h2><ul>')
        body.extend(f"<li><code>{esc(d.result.path)}</code>: {esc(d.result.error)}</li>" for d in failed)
        body.append("</ul></section>")
    if skipped:
        body.append('<section class="skipped"><h2>Skipped</h2><ul>')
        body.extend(f"<li><code>{esc(d.result.path)}</code>: {esc('; '.join(d.result.warnings) or 'not a draft')}</li>" for d in skipped)
        body.append("</ul></section>")
    if clean:
        body.append(f'<section class="clean"><h2>Clean drafts ({len(clean)})</h2><ul>')
        body.extend(f"<li><code>{esc(d.result.path)}</code></li>" for d in clean)
        body.append("</ul></section>")
    body.append("</main>")

    script = _SCRIPT
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="breaklint">\n'
        "<title>breaklint report</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + f"\n<script>{script}</script>\n</body>\n</html>\n"
    )


def _bar_rows(rows: list[tuple[str, int, str]], unit: str = "") -> str:
    top = max((n for _, n, _ in rows), default=0) or 1
    out = ['<table class="bars">']
    for label, n, cls in rows:
        pct = round(100 * n / top)
        out.append(
            f'<tr><th scope="row">{label}</th><td class="n">{n}{unit}</td>'
            f'<td class="barcell"><span class="bar {esc(cls)}" style="width:{pct}%"></span></td></tr>'
        )
    out.append("</table>")
    return "".join(out)


def _summary(drafts: list[_Draft], findings: list[Finding]) -> str:
    parts = ['<section class="summary" aria-label="Summary">']
    # Per severity.
    parts.append('<div class="card"><h2>By severity</h2><div class="sevs">')
    for s in SEVERITIES:
        n = sum(1 for f in findings if f.severity == s)
        parts.append(f'<div class="sev sev-{s}"><span class="big">{n}</span> {s}{"s" if n != 1 and s != "info" else ""}</div>')
    parts.append("</div></div>")
    # Per category.
    cats = _categories(findings)
    parts.append('<div class="card"><h2>By category</h2>')
    if cats:
        parts.append(_bar_rows([(esc(c), sum(1 for f in findings if f.category == c), "cat") for c in cats]))
    else:
        parts.append("<p>No findings.</p>")
    parts.append("</div>")
    # Worst drafts.
    worst = sorted((d for d in drafts if d.items), key=lambda d: (tuple(-x for x in d.badness()), d.result.path))[:5]
    parts.append('<div class="card"><h2>Drafts with the most findings</h2>')
    if worst:
        parts.append(
            _bar_rows(
                [
                    (
                        f'<a href="#{d.anchor}">{esc(d.result.path)}</a>'
                        + f'<span class="mini">{d.count("error")} err · {d.count("warning")} warn · {d.count("info")} info</span>',
                        len(d.items),
                        "worst",
                    )
                    for d in worst
                ]
            )
        )
    else:
        parts.append("<p>None: every draft passed.</p>")
    parts.append("</div>")
    # Reading time.
    times = [(d, reading_seconds(d.result)) for d in drafts if not d.result.error and not d.result.skipped]
    times = [(d, t) for d, t in times if t is not None]
    parts.append('<div class="card"><h2>Reading time</h2>')
    if times:
        rows = []
        for lo, hi, label in READING_BUCKETS:
            n = sum(1 for _, (sec, _) in times if lo <= sec < hi)
            rows.append((esc(label), n, "over" if lo >= 25 else "ok"))
        parts.append(_bar_rows(rows))
        longest = max(times, key=lambda dt: dt[1][0])
        parts.append(
            f'<p class="note">Longest: <a href="#{longest[0].anchor}">{esc(longest[0].result.path)}</a>, '
            f'about {longest[1][0]:.0f} s. The length rule asks for under 25 s. Drafts the length rule did not flag are '
            f"estimated from all their words at {WPM:.0f} words a minute.</p>"
        )
    else:
        parts.append("<p>No drafts.</p>")
    parts.append("</div></section>")
    return "".join(parts)


def _categories(findings: list[Finding]) -> list[str]:
    present = {f.category for f in findings}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def _filters(findings: list[Finding]) -> str:
    if not findings:
        return ""
    cats = _categories(findings)
    sevs = [s for s in SEVERITIES if any(f.severity == s for f in findings)]
    out = ['<form class="filters" aria-label="Filter findings"><fieldset><legend>Category</legend>']
    for c in cats:
        n = sum(1 for f in findings if f.category == c)
        out.append(f'<label><input type="checkbox" class="filter" data-kind="category" value="{esc(c)}" checked> {esc(c)} <span class="count">{n}</span></label>')
    out.append("</fieldset><fieldset><legend>Severity</legend>")
    for s in sevs:
        n = sum(1 for f in findings if f.severity == s)
        out.append(f'<label class="sev-{s}"><input type="checkbox" class="filter" data-kind="severity" value="{esc(s)}" checked> {esc(s)} <span class="count">{n}</span></label>')
    out.append(f'</fieldset><p class="showing">Showing <span id="shown">{len(findings)} of {len(findings)}</span> findings</p></form>')
    return "".join(out)


def _draft_section(d: _Draft) -> str:
    r = d.result
    items = sorted(d.items, key=lambda i: (i.f.start, i.f.end, i.f.rule))
    head = (
        f'<section class="draft" id="{d.anchor}" data-path="{esc(r.path)}">'
        f'<h2><code>{esc(r.path)}</code> <span class="chips">'
        + "".join(f'<span class="chip sev-{s}">{_plural(d.count(s), s)}</span>' for s in SEVERITIES if d.count(s))
        + '</span><span class="left"><span class="shown-count">' + str(len(items)) + "</span> shown</span></h2>"
    )
    if r.source_text is not None:
        text = f'<pre class="text">{highlight(r.source_text, items)}</pre>'
    else:
        text = '<p class="note">The draft\'s text is not available; findings are listed only.</p>'
    lis = []
    for i in items:
        f = i.f
        where = f'<a href="#m-{esc(i.fid)}">line {f.line}, col {f.column}</a>' if i.inline else f"line {f.line}, col {f.column}"
        fix = ""
        if f.fix is not None:
            what = "remove it" if f.fix.replacement == "" else f"replace with “{esc(f.fix.replacement)}”"
            fix = f'<div class="fix">{"Fix" if f.fix.safe else "Unsafe fix"} available: {what} (<code>breaklint --fix</code>)</div>'
        lis.append(
            f'<li class="finding sev-{esc(f.severity)}" data-finding="{esc(i.fid)}" data-rule="{esc(f.rule)}" '
            f'data-category="{esc(f.category)}" data-severity="{esc(f.severity)}">'
            f'<div class="head"><span class="sevtag sev-{esc(f.severity)}">{esc(f.severity)}</span> '
            f'<b class="rule">{esc(f.rule)}</b> <span class="cat">{esc(f.category)}</span> <span class="where">{where}</span></div>'
            f'<div class="msg">{esc(f.message)}</div>'
            f'<div class="flagged">“{esc(_short(f.text))}”</div>'
            + (f'<div class="suggestion"><span>Try:</span> {esc(f.suggestion)}</div>' if f.suggestion else "")
            + fix
            + "</li>"
        )
    return head + f'<div class="cols"><div class="textcol">{text}</div><ol class="findings">{"".join(lis)}</ol></div></section>'


def _plural(n: int, severity: str) -> str:
    return f"{n} {severity}{'s' if n != 1 and severity != 'info' else ''}"


def _short(text: str, limit: int = 160) -> str:
    shown = " ".join(text.split())
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


_CSS = """
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--bg:#f7f7f5;--card:#fff;--ink:#1f2328;--mute:#656d76;--line:#d8dee4}
*{box-sizing:border-box}
body{margin:0;padding:24px;font:15px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:var(--bg);color:var(--ink)}
header h1{margin:0 0 4px;font-size:26px}
.meta{margin:0 0 18px;color:var(--mute)}
.bad{color:var(--err);font-weight:600}
h2{font-size:16px;margin:0 0 10px}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:14px;margin-bottom:18px}
.card,.draft,.failed,.skipped,.clean,.filters{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.sevs{display:flex;gap:10px}
.sev{flex:1;border-radius:8px;padding:8px 10px;background:#f3f4f6;border-left:5px solid var(--mute)}
.sev .big{display:block;font-size:28px;font-weight:700;line-height:1.1}
.sev.sev-error{border-color:var(--err)}.sev.sev-warning{border-color:var(--warn)}.sev.sev-info{border-color:var(--info)}
table.bars{width:100%;border-collapse:collapse}
table.bars th{font-weight:normal;text-align:left;padding:3px 8px 3px 0;max-width:220px;overflow-wrap:anywhere}
table.bars td.n{text-align:right;padding:3px 8px;font-variant-numeric:tabular-nums;white-space:nowrap}
table.bars td.barcell{width:45%}
.bar{display:block;height:12px;border-radius:6px;background:#8c6bd6;min-width:2px}
.bar.worst{background:var(--err)}.bar.ok{background:#2e7d32}.bar.over{background:var(--warn)}
.mini{display:block;font-size:12px;color:var(--mute)}
.note{font-size:13px;color:var(--mute)}
.filters{display:flex;flex-wrap:wrap;gap:10px 24px;align-items:center;margin-bottom:18px;position:sticky;top:0;z-index:2}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center}
.filters legend{float:left;font-weight:600;margin-right:8px}
.filters label{cursor:pointer;white-space:nowrap}
.count{color:var(--mute);font-size:12px}
.showing{margin:0 0 0 auto;color:var(--mute)}
main>section{margin-bottom:18px}
.draft h2{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.chips{display:inline-flex;gap:6px}
.chip,.sevtag{font-size:12px;border-radius:10px;padding:1px 8px;color:#fff;background:var(--mute);font-weight:600}
.sev-error.chip,.sevtag.sev-error{background:var(--err)}.sev-warning.chip,.sevtag.sev-warning{background:var(--warn)}.sev-info.chip,.sevtag.sev-info{background:var(--info)}
.left{margin-left:auto;font-weight:normal;font-size:13px;color:var(--mute)}
.cols{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px}
@media (max-width:900px){.cols{grid-template-columns:1fr}}
pre.text{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#fbfbfa;border:1px solid var(--line);border-radius:8px;padding:12px}
mark.hl{background:rgba(255,193,7,.28);color:inherit;border-bottom:2px solid var(--warn);border-radius:2px;cursor:help}
mark.hl.sev-error{background:rgba(229,57,53,.18);border-bottom-color:var(--err)}
mark.hl.sev-info{background:rgba(30,136,229,.15);border-bottom-color:var(--info)}
mark.hl.point::after{content:"‸";color:var(--err);font-weight:700}
mark.hl.off{background:transparent;border-bottom-color:transparent;cursor:auto}
mark.hl.off.point::after{content:""}
mark.hl.flash{outline:2px solid var(--ink)}
ol.findings{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:10px}
li.finding{border:1px solid var(--line);border-left:5px solid var(--warn);border-radius:8px;padding:8px 10px;background:#fff}
li.finding.sev-error{border-left-color:var(--err)}li.finding.sev-info{border-left-color:var(--info)}
li.finding .head{font-size:13px;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
li.finding .cat,li.finding .where{color:var(--mute)}
li.finding .msg{margin-top:4px;font-weight:600}
li.finding .flagged{margin-top:2px;color:var(--mute);font-style:italic;overflow-wrap:anywhere}
li.finding .suggestion{margin-top:6px;background:#eef7ee;border-radius:6px;padding:6px 8px}
li.finding .suggestion span{font-weight:700;color:#2e7d32}
li.finding .fix{margin-top:4px;font-size:13px;color:var(--mute)}
.allclear{font-size:18px;color:#2e7d32}
[hidden]{display:none!important}
@media print{.filters{display:none}body{background:#fff}}
"""

_SCRIPT = """
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.filter"));
  function wanted(kind) {
    var s = new Set();
    boxes.forEach(function (b) { if (b.getAttribute("data-kind") === kind && b.checked) { s.add(b.value); } });
    return s;
  }
  function preset() {
    var params = new URLSearchParams(window.location.search);
    var hash = window.location.hash.replace(/^#/, "");
    if (hash.indexOf("=") !== -1) {
      new URLSearchParams(hash).forEach(function (v, k) { params.append(k, v); });
    }
    ["category", "severity"].forEach(function (kind) {
      var vals = params.getAll(kind).join(",").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
      if (!vals.length) { return; }
      boxes.forEach(function (b) {
        if (b.getAttribute("data-kind") === kind) { b.checked = vals.indexOf(b.value) !== -1; }
      });
    });
  }
  function apply() {
    var cats = wanted("category"), sevs = wanted("severity"), shown = 0, total = 0;
    document.querySelectorAll("[data-finding]").forEach(function (el) {
      var on = cats.has(el.getAttribute("data-category")) && sevs.has(el.getAttribute("data-severity"));
      if (el.tagName === "MARK") {
        el.classList.toggle("off", !on);
      } else {
        el.hidden = !on;
        total += 1;
        if (on) { shown += 1; }
      }
    });
    document.querySelectorAll("section.draft").forEach(function (sec) {
      var left = sec.querySelectorAll("li.finding:not([hidden])").length;
      sec.hidden = left === 0;
      var c = sec.querySelector(".shown-count");
      if (c) { c.textContent = String(left); }
    });
    var s = document.getElementById("shown");
    if (s) { s.textContent = shown + " of " + total; }
    document.body.setAttribute("data-shown", String(shown));
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[href^='#m-']") : null;
    if (!a) { return; }
    var m = document.getElementById(a.getAttribute("href").slice(1));
    if (!m) { return; }
    var id = m.getAttribute("data-finding");
    document.querySelectorAll("mark[data-finding='" + id + "']").forEach(function (x) {
      x.classList.add("flash");
      setTimeout(function () { x.classList.remove("flash"); }, 1200);
    });
  });
  preset();
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  apply();
  document.body.setAttribute("data-ready", "1");
})();
"""
