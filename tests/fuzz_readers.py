"""Fuzz target for the readers: plain text, .eml (MIME), HTML, Markdown and templates.

A seeded mutation loop over the input fixtures: bytes are inserted (markup, MIME
headers, transfer encodings, entities, line endings, invalid UTF-8), deleted,
duplicated, flipped and spliced between files. Every mutant must either be refused
with an InputError (a warning or an exit-2 message) or read into a draft whose offsets
lie inside the file, and linting it must give findings whose offsets and line/column
agree with the file's text. Linting uses the rules that need no parse (merge tags,
length), so thousands of mutants run in seconds; the spaCy rules are covered by the
property tests.

The test suite runs a few hundred iterations (tests/test_fuzz.py). Run it longer:

    python tests/fuzz_readers.py --iterations 200000 --seed 7

A failing input is saved under --out (default: the current folder) for replay.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "fixtures" / "inputs"
EXTRA_SEEDS = {
    "plain.txt": b"Subject: hi\r\n\r\nHi {{first_name}},\n\nYou never replied.\r\n\r\nBest,\nSam\n",
    "cp1252.txt": "Hi Zoë, it’s {{x}} — ok\n".encode("cp1252"),
    "bom.html": b"\xef\xbb\xbf<p>Hi &amp; {{x}}</p>",
}
TOKENS = [
    b"<", b">", b"<p>", b"</p>", b"<br>", b"<div style='display:none'>", b"<!--", b"-->", b"<script>", b"</script>",
    b"<head>", b"<pre>", b"</pre>", b"&", b"&amp;", b"&#", b"&#x110000;", b"&#99999999999;", b"&nbsp;", b"&zwnj;",
    b"=", b"=\r\n", b"=3D", b"=C3=A9", b"=\n", b"\r\n", b"\n", b"\r", b"\n\n", b"\t", b"\x00", b"\xff", b"\xc3",
    b"\xef\xbb\xbf", b"\xff\xfe", "é".encode(), "’".encode(), b"\xe9", b"{{", b"}}", b"{{first_name}}", b"{%", b"%}",
    b"{#", b"#}", b"{{!--", b"--}}", b"*|FNAME|*", b"[Name]", b"```\n", b"---\n", b"`", b"Subject: ",
    b"Content-Transfer-Encoding: base64\n", b"Content-Transfer-Encoding: quoted-printable\n",
    b"Content-Type: text/html; charset=utf-8\n", b"Content-Type: multipart/alternative; boundary=b\n",
    b"Content-Type: text/plain; charset=x-unknown\n", b"--b\n", b"--b--\n", b"=?utf-8?b?SGk=?=", b"=?utf-8?q?Caf=C3=A9?=",
    b"SGkge3t4fX0K", b"<!-- breaklint: disable -->", b"<!-- breaklint: disable-next-line TAG001 -->",
]
KINDS = (".txt", ".eml", ".html", ".md", ".hbs", ".j2")


def seed_corpus() -> list[tuple[str, bytes]]:
    corpus = [(p.name, p.read_bytes()) for p in sorted(SEEDS.iterdir()) if p.is_file()]
    return corpus + sorted(EXTRA_SEEDS.items())


def mutate(data: bytes, rng: random.Random, corpus: list[tuple[str, bytes]]) -> bytes:
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(7)
        at = rng.randint(0, len(data))
        if op <= 1:
            data = data[:at] + rng.choice(TOKENS) + data[at:]
        elif op == 2 and data:
            data = data[:at] + data[at + rng.randint(1, 40) :]
        elif op == 3 and data:
            piece = data[at : at + rng.randint(1, 200)]
            data = data[:at] + piece * rng.randint(2, 30) + data[at:]
        elif op == 4 and data:
            i = rng.randrange(len(data))
            data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]
        elif op == 5:
            other = rng.choice(corpus)[1]
            j = rng.randint(0, len(other))
            data = data[:at] + other[j : j + rng.randint(1, 300)] + data[at:]
        else:
            data = data[: rng.randint(0, len(data))]
    return data


def check(path: Path, linter) -> str:
    """Read and lint one file; raise AssertionError (or anything else) on a bug.
    Returns what happened: "read", "refused", or "findings"."""
    from breaklint.errors import InputError
    from breaklint.positions import LineIndex
    from breaklint.readers import read_draft

    try:
        draft = read_draft(str(path))
    except InputError:
        outcome = "refused"
    else:
        outcome = "read"
        source = draft.source_text or ""
        if draft.source_offsets is not None:
            assert len(draft.source_offsets) == len(draft.text), "one source offset per character"
            assert all(0 <= o <= len(source) for o in draft.source_offsets), "source offsets inside the file"
    [result] = list(linter.lint_paths([str(path)]))
    assert (result.error is None) or outcome == "refused"
    if result.findings:
        outcome = "findings"
        source = result.source_text or ""
        index = LineIndex(source)
        for f in result.findings:
            assert 0 <= f.start <= f.end <= len(source), f
            assert source[f.start : f.end] == f.text, f
            assert index.line_col(f.start) == (f.line, f.column), f
            assert index.line_col(f.end) == (f.end_line, f.end_column), f
    return outcome


def run_fuzz(iterations: int, seed: int, workdir: Path, out: Path | None = None) -> Counter:
    from breaklint.engine import Linter, Options

    linter = Linter(options=Options(select=("merge-tag", "length")))
    rng = random.Random(seed)
    corpus = seed_corpus()
    stats: Counter = Counter()
    for i in range(iterations):
        name, data = rng.choice(corpus)
        suffix = rng.choice(KINDS) if rng.random() < 0.3 else (Path(name).suffix or ".txt")
        mutant = mutate(data, rng, corpus)
        path = workdir / f"mutant{suffix}"
        path.write_bytes(mutant)
        try:
            stats[check(path, linter)] += 1
        except Exception:
            saved = (out or workdir) / f"fuzz-failure-{seed}-{i}{suffix}"
            saved.write_bytes(mutant)
            raise AssertionError(f"iteration {i} (seed {seed}, from {name}): input saved to {saved}\n{traceback.format_exc()}") from None
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path.cwd(), help="where to save a failing input")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            stats = run_fuzz(args.iterations, args.seed, Path(tmp), args.out)
        except AssertionError as exc:
            print(exc, file=sys.stderr)
            return 1
    print(f"{args.iterations} inputs, seed {args.seed}: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
