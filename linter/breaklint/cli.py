"""The `breaklint` command: a thin click layer over the library API.

Nothing here imports spaCy: `--version`, `--help`, `rules` and `explain` answer from
the rule files alone, and linting loads the pipeline only if an enabled rule needs it.
"""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import BreaklintError
from .report import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROFILE_CHOICES = ("breakup", "no-breakup", "template")


class _DefaultToCheck(click.Group):
    """`breaklint PATH...` means `breaklint check PATH...`; subcommands stay available."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        elif not args:
            args = ["check"]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        check = self.commands["check"]
        with click.Context(check, info_name=ctx.info_name, parent=None) as sub:
            check.format_help(sub, formatter)
        formatter.write_paragraph()
        with formatter.section("Other commands"):
            formatter.write_dl(
                [(name, cmd.get_short_help_str(60)) for name, cmd in self.commands.items() if name != "check"]
            )


def _terminal_width() -> int:
    """How wide output may be: the terminal's width, or 100 when not printing to one."""
    if not sys.stdout.isatty():
        return 100
    import shutil  # only here: importing it slows every start-up a little

    return shutil.get_terminal_size((100, 24)).columns


def _split_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


def _fail(message: str) -> None:
    click.echo(f"breaklint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="breaklint", message="%(prog)s %(version)s")
def main() -> None:
    """Lint sales email drafts for sarcasm, blame, ultimatums, self-oriented language,
    length and unfilled merge tags."""


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-p", "--profile", type=click.Choice(PROFILE_CHOICES), help="Which school of guidance to apply (default: breakup, or the config's).")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), help="Exit 1 when a finding is at or above this severity (default: warning).")
@click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids or categories (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids or categories (comma-separated, repeatable).")
@click.option("--wpm", type=click.FloatRange(min=1), help="Reading speed in words per minute (default 238).")
@click.option("--max-seconds", type=click.FloatRange(min=1), help="Longest acceptable reading time (default 25).")
@click.option("--model", metavar="NAME", help="An installed spaCy pipeline to parse with.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file instead of searching for .breaklint.yaml.")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("--stdin-filename", metavar="NAME", help="The name to report for input read from '-'.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour in text output (auto respects NO_COLOR and non-terminals).")
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files (atomically), then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes that may change meaning.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them; exit 1 if there are any.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), metavar="PATH", help="Also write an HTML report (every draft with its findings highlighted) to PATH.")
@click.option("--baseline", "baseline_opt", type=click.Path(dir_okay=False), metavar="FILE", help="Report only findings not in this baseline (default: .breaklint-baseline.json beside the config, or in the current folder, if it exists).")
@click.option("--no-baseline", is_flag=True, help="Report every finding, ignoring any baseline.")
@click.option("--write-baseline", is_flag=True, help="Record the current findings in the baseline file (--baseline or the default) instead of reporting them.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the caches of findings and of the loaded rules (see BREAKLINT_CACHE_DIR / cache_dir).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes for big runs (default: the number of cores).")
def check(paths, profile, fmt, fail_on, select, ignore, wpm, max_seconds, model, config_path, no_config, stdin_filename, color, fix, unsafe_fixes, diff, report_path, baseline_opt, no_baseline, write_baseline, no_cache, jobs) -> None:
    """Check drafts: files, folders (searched recursively) or - for standard input.

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage, configuration
    or input error.
    """
    from . import baseline as baselines
    from .config import baseline_path, make_linter, resolve
    from .engine import default_jobs, severity_at_least
    from .progress import with_progress
    from .report import Summary, make_formatter

    if not paths:
        _fail("no drafts given. Pass files or folders to check, or - to read standard input (breaklint --help).")
    if no_baseline and (write_baseline or baseline_opt):
        _fail("--no-baseline cannot be combined with --baseline or --write-baseline.")
    if write_baseline and (fix or diff):
        _fail("--write-baseline cannot be combined with --fix or --diff.")
    cache = cache_dir = None
    try:
        config = resolve(
            list(paths), config_path=config_path, use_config=not no_config,
            profile=profile, fail_on=fail_on, select=_split_ids(select), ignore=_split_ids(ignore),
            wpm=wpm, max_seconds=max_seconds, model=model,
        )
        if not no_cache:
            from .cache import ENV_VAR, default_dir

            cache_dir = os.environ.get(ENV_VAR) or config.cache_dir or default_dir()
        linter = make_linter(config, rules_cache=cache_dir)
        baseline, baseline_file = None, None
        if not no_baseline:
            baseline_file = str(baseline_opt or baseline_path(config))
            if os.path.exists(baseline_file):
                try:
                    baseline = baselines.load(baseline_file, baselines.draft_wide(linter.rules))
                except BreaklintError:
                    if not write_baseline:  # rewriting replaces a broken baseline
                        raise
            elif (baseline_opt or config.baseline) and not write_baseline:
                # One named explicitly must exist; the default one is used if present.
                baselines.load(baseline_file)  # raises: does not exist
    except BreaklintError as exc:
        _fail(str(exc))
        return
    if cache_dir is not None:
        from .cache import FindingsCache, run_fingerprint

        cache = FindingsCache(cache_dir, run_fingerprint(linter.rules, config.options))
    if write_baseline:
        _write_baseline(linter, list(paths), stdin_filename, baseline_file, baseline)
        return

    # NO_COLOR counts when set and not empty (https://no-color.org).
    use_color = color == "always" or (color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    width = _terminal_width()
    out = sys.stdout
    formatter = make_formatter(fmt, out, color=use_color, width=width)
    report = _Report(report_path, make_formatter) if report_path else None
    for f in (formatter, report and report.formatter):
        if f is not None and hasattr(f, "use_rules"):  # rule metadata (SARIF's rule help)
            f.use_rules(linter.rules)
    summary = Summary()
    failed = bad_input = would_change = False
    try:
        results = linter.lint_paths(list(paths), stdin_name=stdin_filename, cache=cache, jobs=jobs or default_jobs())
        for result in with_progress(results, lambda: _count_files(linter, paths)):
            is_stdin = result.path == "<stdin>"
            if is_stdin and stdin_filename:
                result = _rename(result, stdin_filename)
            if (fix or diff) and result.source_text is not None and result.fixable:
                outcome = _apply_fixes(linter, result, diff=diff, unsafe=unsafe_fixes, to_stdout=is_stdin)
                if diff:
                    would_change = would_change or outcome
                    summary.add(result)
                    if report:
                        report.formatter.file(result)
                    continue
                summary.fixed += outcome
                if is_stdin:  # the fixed draft went to stdout; no report to mix into it
                    summary.add(result)
                    if report:
                        report.formatter.file(result)
                    continue
            if baseline is not None and not result.error:
                before = len(result.findings)
                result.findings = baseline.filter(result.path, result.findings, linter.rules_for(result.path))
                summary.baselined += before - len(result.findings)
            for warning in result.warnings:
                click.echo(f"breaklint: warning: {result.path}: {warning}", err=True)
            if result.error:
                click.echo(f"breaklint: error: {result.error}", err=True)
                bad_input = True
            elif result.skipped and result.explicit:
                bad_input = True
            summary.add(result)
            formatter.file(result)
            if report:
                report.formatter.file(result)
            if any(severity_at_least(f.severity, config.fail_on) for f in result.findings):
                failed = True
    except BreaklintError as exc:
        _fail(str(exc))
    if report:
        report.write(summary)
    if baseline is not None:
        _warn_stale(baseline)
    if diff:
        sys.exit(EXIT_ERROR if bad_input else EXIT_FINDINGS if would_change else EXIT_CLEAN)
    if fix and "-" in paths:
        sys.exit(EXIT_ERROR if bad_input else EXIT_CLEAN)
    formatter.finish(summary)
    sys.exit(EXIT_ERROR if bad_input else EXIT_FINDINGS if failed else EXIT_CLEAN)


def _count_files(linter, paths) -> int:
    """How many files a run will check (for the progress bar)."""
    from .readers import iter_paths

    return sum(1 for p in iter_paths(list(paths)) if not linter.excluded(p))


def _write_baseline(linter, paths: list[str], stdin_name: str | None, target: str, previous) -> None:
    """--write-baseline: record every current finding, keeping the old baseline's
    entries for files and rules this run did not check. Nothing is written if an
    input could not be checked: its accepted findings would be lost."""
    from . import baseline as baselines
    from .progress import with_progress

    findings, files, bad_input = [], 0, False
    try:
        for result in with_progress(linter.lint_paths(paths, stdin_name=stdin_name), lambda: _count_files(linter, paths)):
            if result.path == "<stdin>" and stdin_name:
                result = _rename(result, stdin_name)
            for warning in result.warnings:
                click.echo(f"breaklint: warning: {result.path}: {warning}", err=True)
            if result.error or (result.skipped and result.explicit):
                if result.error:
                    click.echo(f"breaklint: error: {result.error}", err=True)
                bad_input = True
                continue
            if previous is not None:
                previous.filter(result.path, result.findings, linter.rules_for(result.path))
            findings.extend(result.findings)
            files += not result.skipped
    except BreaklintError as exc:
        _fail(str(exc))
    if bad_input:
        _fail(f"baseline not written to {target}: some inputs could not be checked.")
    try:
        count = baselines.write(target, findings, previous, baselines.draft_wide(linter.rules))
    except OSError as exc:
        _fail(f"cannot write the baseline to {target}: {exc.strerror or exc}")
        return
    click.echo(f"breaklint: wrote {count} finding{'s' if count != 1 else ''} to the baseline {target} ({len(findings)} from {files} checked file{'s' if files != 1 else ''}).", err=True)
    sys.exit(EXIT_CLEAN)


def _warn_stale(baseline, limit: int = 10) -> None:
    stale = baseline.stale()
    for path, rule, text, _ in stale[:limit]:
        shown = text if len(text) <= 60 else text[:57] + "..."
        what = f" ({shown!r})" if shown else ""  # draft-wide findings are stored without text
        click.echo(f"breaklint: warning: baseline {baseline.path}: {rule} in {path}{what} matches no finding any more", err=True)
    if len(stale) > limit:
        click.echo(f"breaklint: warning: baseline {baseline.path}: and {len(stale) - limit} more stale entries", err=True)
    if stale:
        click.echo("breaklint: warning: refresh the baseline with --write-baseline", err=True)


class _Report:
    """--report PATH: an HTML report built alongside the normal output, written
    atomically (a temporary file in the same folder, then os.replace)."""

    def __init__(self, path: str, make_formatter):
        import io

        self.path = path
        self.buffer = io.StringIO()
        self.formatter = make_formatter("html", self.buffer)

    def write(self, summary) -> None:
        import tempfile

        self.formatter.finish(summary)
        target = os.path.abspath(self.path)
        folder = os.path.dirname(target)
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".breaklint-report-", suffix=".html.tmp", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(self.buffer.getvalue())
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
            tmp = None
        except OSError as exc:
            _fail(f"cannot write the report to {self.path}: {exc.strerror or exc}")
        finally:
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)


def _apply_fixes(linter, result, diff: bool, unsafe: bool, to_stdout: bool) -> int:
    """Fix one file (or print its diff). Returns the number of fixes applied, or for
    --diff whether there is anything to change. Updates result.findings to what
    remains after fixing."""
    from .fixes import FixError, plan_until_stable, write_atomic

    def relint(text: str) -> list:
        return linter.lint_as(result.path, text, result.encoding)

    planned = plan_until_stable(result.path, result.source_text, result.findings, relint, unsafe=unsafe)
    if diff:
        if planned.changed:
            click.echo(planned.diff(), nl=False)
        return int(planned.changed)
    if to_stdout:
        click.echo(planned.fixed, nl=False)
        return len(planned.applied)
    if not planned.changed:
        return 0
    try:
        write_atomic(result.path, planned.fixed, result.encoding, expected_original=result.source_text)
    except (FixError, OSError) as exc:
        click.echo(f"breaklint: warning: {result.path}: {exc}", err=True)
        return 0
    remaining = relint(planned.fixed)
    result.findings = remaining
    result.source_text = planned.fixed
    return len(planned.applied)


def _builtin_rules(no_cache: bool) -> list:
    """The built-in rules, from the rule-set cache when they have not changed
    (rulecache.py; $BREAKLINT_CACHE_DIR or the user's cache folder)."""
    from .cache import default_dir
    from .rulecache import load_rules

    return load_rules(folder=None if no_cache else default_dir())


def _rename(result, name: str):
    from dataclasses import replace

    result.findings = [replace(f, path=name) for f in result.findings]
    result.path = name
    return result


@main.command("rules")
@click.option("-p", "--profile", type=click.Choice(PROFILE_CHOICES), help="Only rules active in this profile.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of the loaded rules.")
def rules_command(profile, fmt, no_cache) -> None:
    """List every rule: id, category, severity, profiles and what it flags."""
    import json

    try:
        rules = _builtin_rules(no_cache)
    except BreaklintError as exc:
        _fail(str(exc))
        return
    if profile:
        rules = [r for r in rules if profile in r.profiles]
    rules.sort(key=lambda r: (r.category, r.id))
    if fmt == "json":
        click.echo(json.dumps([
            {"id": r.id, "category": r.category, "severity": r.severity, "profiles": list(r.profiles),
             "message": r.message, "source": r.source, "fix": r.fix is not None}
            for r in rules
        ], indent=2))
        return
    width = _terminal_width()
    head = f"{'ID':<9} {'CATEGORY':<17} {'SEVERITY':<8} {'PROFILES':<27} MESSAGE"
    click.echo(head)
    for r in rules:
        profiles = ",".join("all" if set(r.profiles) == set(PROFILE_CHOICES) else p for p in r.profiles[:1]) if set(r.profiles) == set(PROFILE_CHOICES) else ",".join(r.profiles)
        line = f"{r.id:<9} {r.category:<17} {r.severity:<8} {profiles:<27} {r.message}"
        if len(line) > width:
            line = line[: width - 1] + "…"
        click.echo(line)
    click.echo(f"\n{len(rules)} rules. 'breaklint explain ID' shows one in full.")


@main.command("config")
@click.argument("path", required=False, default=".", type=click.Path())
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file instead of searching.")
def config_command(path: str, config_path: str | None) -> None:
    """Show the configuration that applies to PATH (default: the current folder):
    which file it came from and every resolved setting, with the profile PATH gets."""
    import dataclasses
    import json

    from .config import baseline_path, make_linter, resolve

    try:
        config = resolve([path], config_path=config_path)
        linter = make_linter(config)
    except BreaklintError as exc:
        _fail(str(exc))
        return
    settings = dataclasses.asdict(config.options)
    settings["fail_on"] = config.fail_on
    shown = {
        "config_file": config.path,
        "path": path,
        "profile_for_path": linter.profile_for(path),
        "excluded": linter.excluded(path),
        "active_rules": len(linter.active_for(linter.profile_for(path))),
        "baseline": str(baseline_path(config)) if os.path.exists(baseline_path(config)) else None,
        "settings": {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(settings.items())},
    }
    click.echo(json.dumps(shown, indent=2, default=list))


@main.command("explain")
@click.argument("rule_id")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of the loaded rules.")
def explain_command(rule_id: str, no_cache: bool) -> None:
    """Show a rule's full documentation: what, why, source, rewrites, examples."""
    import difflib
    import textwrap

    try:
        rules = {r.id: r for r in _builtin_rules(no_cache)}
    except BreaklintError as exc:
        _fail(str(exc))
        return
    rule = rules.get(rule_id.upper())
    if rule is None:
        close = difflib.get_close_matches(rule_id.upper(), list(rules), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else " Run 'breaklint rules' for the list."
        _fail(f"unknown rule id {rule_id!r}.{hint}")
        return

    def para(text: str) -> str:
        return textwrap.fill(" ".join(text.split()), width=88, initial_indent="  ", subsequent_indent="  ")

    lines = [
        f"{rule.id}: {rule.message}",
        "",
        f"  category: {rule.category}    severity: {rule.severity}    confidence: {rule.confidence}",
        f"  profiles: {', '.join(rule.profiles)}",
        f"  looks at: {', '.join(rule.zones)}",
        "",
        "Why",
        para(rule.why),
        "",
        f"Source: {rule.source or 'none'}" + (" (in the project's shared guidance articles)" if rule.source else ""),
        "",
        "Write instead",
        *[textwrap.fill(" ".join(s.split()), width=88, initial_indent="  - ", subsequent_indent="    ") for s in rule.suggest],
    ]
    if rule.fix is not None:
        kind = "safe" if rule.fix.get("safe", True) else "unsafe"
        what = "removes the flagged text" if rule.fix["replace"] == "" else f"replaces it with {rule.fix['replace']!r}"
        lines += ["", f"Fix ({kind}): {what}."]
    lines += ["", "Flagged"]
    lines += [textwrap.fill(" ".join(e.text.split()), width=88, initial_indent="  ✗ ", subsequent_indent="    ") for e in rule.flag_examples]
    lines += ["", "Not flagged"]
    lines += [textwrap.fill(" ".join(e.text.split()), width=88, initial_indent="  ✓ ", subsequent_indent="    ") for e in rule.pass_examples]
    lines += ["", f"Rule file: {rule.path}"]
    click.echo("\n".join(lines))


@main.command("eval")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--jsonl", "jsonl", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Labelled JSON Lines (id, body, labels), e.g. ../shared/realworld/emails.jsonl.")
@click.option("-p", "--profile", "profiles", multiple=True, type=click.Choice(PROFILE_CHOICES), help="Profiles to score (repeatable; default: breakup).")
@click.option("--split", default="all", show_default=True, help="Which corpus split to score: core, dev, test, holdout (any split a sidecar names), or all.")
@click.option("-q", "--quiet", is_flag=True, help="Only the score tables, not every miss and false alarm.")
def eval_command(paths, jsonl, profiles, split, quiet) -> None:
    """Score the rules against labelled drafts (corpus folders of sidecars, or JSON
    Lines files): precision, recall and F1 per category, then every miss and false
    alarm."""
    from .engine import Linter, Options
    from .evaluate import SPLIT_ORDER, evaluate, format_evaluation, load_corpus, load_jsonl

    # A .jsonl file named as a path is read as JSON Lines, like --jsonl.
    jsonl = (*jsonl, *(p for p in paths if p.endswith(".jsonl")))
    paths = tuple(p for p in paths if not p.endswith(".jsonl"))
    if not paths and not jsonl:
        _fail("nothing to evaluate: give corpus folders (e.g. corpus/) and/or JSON Lines files (--jsonl FILE).")
    try:
        corpus = load_corpus(paths)
        found = sorted({i.split for i in corpus}, key=lambda s: (SPLIT_ORDER.index(s) if s in SPLIT_ORDER else len(SPLIT_ORDER), s))
        if paths and not corpus:
            _fail(f"no labelled drafts under {', '.join(paths)}: a corpus draft is NAME.txt with a NAME.yaml sidecar (see corpus/README.md).")
        if split != "all" and corpus and split not in found:
            _fail(f"no drafts in split '{split}'; the splits found are: {', '.join(found)}.")
        sets = [(f"corpus {name}", [i for i in corpus if i.split == name]) for name in found if split in ("all", name)]
        for path in jsonl:
            sets.append((path, load_jsonl(path)))
        for profile in profiles or ("breakup",):
            linter = Linter(options=Options(profile=profile))
            for name, items in sets:
                click.echo(format_evaluation(evaluate(items, profile, linter, name), show_errors=not quiet))
                click.echo("")
    except BreaklintError as exc:
        _fail(str(exc))


if __name__ == "__main__":  # pragma: no cover
    main()
