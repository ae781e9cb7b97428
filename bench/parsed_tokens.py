"""Count the tokens breaklint sends through the tagger and parser on the bench corpus.

    python bench/parsed_tokens.py            # 300 drafts, seed 6, default profile

Three ways of running the same rules over the same drafts: parsing every draft whole
(no pre-pass), the pre-pass deciding per draft (a draft is parsed whole or not at
all), and the pre-pass deciding per segment (only the segments a grammar rule could
match, each with its context; see linter/breaklint/partialparse.py). Tokens are
counted over the analysis text the pipeline sees; "context included" counts a
segment's neighbours as often as they are parsed. CPU seconds are this process's,
pipeline loading excluded. Findings must be identical in all three (checked here too).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from breaklint.engine import Linter, analysis_for  # noqa: E402
from breaklint.readers import read_draft  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=300)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "breaklint-bench-tokens"))
    args = ap.parse_args()
    paths = corpus.build(Path(args.workdir) / f"drafts-{args.size}", args.size, args.seed)
    results = {}
    print(f"| mode | drafts parsed | tokens parsed (context included) | CPU (s) |")
    print("|---|---:|---:|---:|")
    total = None
    for label, kw in (
        ("every draft, whole", dict(prefilter=False)),
        ("pre-pass per draft", dict(partial=False)),
        ("pre-pass per segment", {}),
    ):
        linter = Linter(**kw)
        linter._pipeline()
        drafts = [read_draft(str(p)) for p in paths]
        if total is None:
            total = sum(len(linter._nlp.make_doc(analysis_for(d, linter._parse_zones()).text)) for d in drafts)
        start = time.process_time()
        results[label] = [(d.path, [f.to_dict() for f in found]) for d, found in linter.lint_drafts(drafts)]
        cpu = time.process_time() - start
        print(f"| {label} | {linter.parsed_drafts} of {len(paths)} | {linter.parsed_tokens:,} of {total:,} ({linter.parsed_tokens / total:.0%}) | {cpu:.1f} |")
    first = next(iter(results.values()))
    same = all(r == first for r in results.values())
    print(f"\nfindings identical in all three: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
