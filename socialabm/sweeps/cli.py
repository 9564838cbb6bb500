"""The ``sweep`` and ``analyze`` subcommands.

The main CLI adds them with :func:`register`::

    from socialabm.sweeps.cli import register as register_sweeps
    register_sweeps(subparsers)          # subparsers = parser.add_subparsers(...)
    ...
    args = parser.parse_args(argv)
    return args.func(args)               # each handler returns the exit code

Exit codes: 0 every run succeeded (or the analysis was written); 1 some runs failed, the sweep
stopped at a failure (``--fail-fast``) or a worker/cluster died; 2 invalid spec, directory or
option, or another process writes into the directory (one line on stderr, no traceback); 130
interrupted by Ctrl-C, 143 stopped by ``SIGTERM`` (or its ``uv run`` launcher died), 129 by a
hang-up: finished runs are kept and the exact command to resume is printed.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from socialabm.cli.options import add_backend_options
from socialabm.extras import MissingExtraError

__all__ = ["cmd_analyze", "cmd_sweep", "register"]


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``sweep`` and ``analyze`` to an argparse ``subparsers`` object (sets ``func``)."""
    sweep = subparsers.add_parser(
        "sweep",
        help="run a batch experiment (parameter sweep) from a TOML sweep file",
        description="Run every run of a sweep file into a crash-safe sweep directory. Each "
        "finished run is committed to disk at once; a killed sweep continues with --resume. "
        "Results do not depend on the worker count or backend.",
    )
    sweep.add_argument("spec", help="sweep file (TOML); see docs/sweeps.md")
    sweep.add_argument(
        "--out", required=True, help="sweep directory (new, or existing with --resume)"
    )
    add_backend_options(sweep, "runs")
    sweep.add_argument(
        "--resume",
        action="store_true",
        help="continue the sweep in --out; finished runs are not redone",
    )
    sweep.add_argument(
        "--retry-failed", action="store_true", help="with --resume: run the failed runs again"
    )
    sweep.add_argument(
        "--accept-changed-code",
        action="store_true",
        help="with --resume: go on although socialabm's code or a module the sweep file names "
        "(agent class, reporter) changed since the sweep started (default: refuse)",
    )
    sweep.add_argument(
        "--fail-fast",
        action="store_true",
        help="stop at the first failing run (default: record it and go on)",
    )
    sweep.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        metavar="K",
        help="runs per task (default: adaptive, ~0.5 s of work per task)",
    )
    sweep.add_argument(
        "--fsync",
        action="store_true",
        help="flush every result to the disk (survives power loss; slower)",
    )
    sweep.add_argument(
        "--dry-run",
        action="store_true",
        help="check the sweep file (names, values, design points, output names with one short "
        "test run), print its size and stop",
    )
    sweep.add_argument(
        "--analyze", action="store_true", help="run `socialabm analyze` on the directory afterwards"
    )
    sweep.add_argument("--no-progress", action="store_true", help="no progress bar")
    sweep.set_defaults(func=cmd_sweep)

    analyze = subparsers.add_parser(
        "analyze",
        help="summarise a sweep directory: means with 95%% CIs, sensitivity indices, plots",
        description="Per design point means with 95% confidence intervals across replicates, "
        "Sobol or Morris indices when the design allows, PNG plots and a Markdown report.",
    )
    analyze.add_argument("dir", help="sweep directory written by `socialabm sweep`")
    analyze.add_argument(
        "--outputs",
        default=None,
        metavar="A,B,...",
        help="outputs to analyse (default: the sweep file's [analysis] "
        "outputs, else the first eight)",
    )
    analyze.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    analyze.add_argument(
        "--prim",
        action="append",
        default=[],
        metavar="'OUTPUT>VALUE'",
        help="scenario discovery: the region of the varied parameters where runs meet the "
        "condition (>, <, >=, <=), as a PRIM box with its coverage and density (repeatable)",
    )
    analyze.add_argument(
        "--prim-box",
        action="append",
        type=int,
        default=[],
        metavar="N",
        help="show box N of the peeling trajectory instead of the automatic choice (one per "
        "--prim, in order; the command prints the trajectory)",
    )
    analyze.add_argument(
        "--contrast-base",
        type=int,
        default=None,
        metavar="N",
        help='with seeds = "common": the design point the paired contrasts compare every point '
        "with (default 0)",
    )
    analyze.set_defaults(func=cmd_analyze)


def cmd_sweep(args: argparse.Namespace) -> int:
    """Handler of ``socialabm sweep``."""
    from socialabm.sweeps.spec import load_spec

    try:
        spec = load_spec(args.spec)  # a bad file fails before the heavy imports below
    except (ValueError, OSError) as err:
        return _error(str(err))
    from socialabm.sweeps.lock import FolderLock

    try:
        if not args.dry_run:  # before the heavy imports: answer at once
            FolderLock(args.out).check()
    except OSError as err:
        return _error(str(err))
    from socialabm.sweeps.execute import SweepError, run_sweep

    resume = resume_command(args)  # now: once stopped, its uv launcher may have died
    try:
        if args.dry_run:
            return _dry_run(args.spec, spec)
        outcome = run_sweep(
            spec, args.out, workers=args.workers, scheduler=args.scheduler,
            dask_local=args.dask_local, resume=args.resume, retry_failed=args.retry_failed,
            fail_fast=args.fail_fast, chunk_size=args.chunk_size,
            progress=not args.no_progress, fsync=args.fsync,
            spec_text=Path(args.spec).read_text(encoding="utf-8"),
            accept_changed_code=args.accept_changed_code,
        )  # fmt: skip
    except KeyboardInterrupt as stop:
        return _stopped(args.out, stop, resume)
    except SweepError as err:
        print(f"error: {err}\n  {resume}", file=sys.stderr)
        return 1
    except (ValueError, OSError, MissingExtraError) as err:
        return _error(str(err))
    print(outcome.line())
    if outcome.n_failed:
        print(
            f"{outcome.n_failed} run(s) failed: see {Path(args.out) / 'failures.parquet'} "
            "(error, traceback, parameters, seed of each)",
            file=sys.stderr,
        )
    if outcome.stopped:
        print(f"continue with:\n  {resume}", file=sys.stderr)
    code = 0 if outcome.complete and not outcome.n_failed else 1
    if args.analyze and outcome.n_ok:
        code = max(code, _analyze(args.out, None, plots=True))
    return code


def resume_command(args: argparse.Namespace) -> str:
    """The command line that continues this sweep: the one given (``args.command_line``, set by
    the CLI's ``main``), with ``--resume``, without ``--dry-run``; prefixed ``uv run`` when
    ``uv run`` started this process."""
    from socialabm.sweeps.stopping import launcher

    words = [w for w in getattr(args, "command_line", ["socialabm", "sweep"]) if w != "--dry-run"]
    if "--resume" not in words:
        words.append("--resume")
    prefix = "uv run " if launcher() is not None else ""
    return prefix + shlex.join(words)


def _stopped(directory: str, stop: KeyboardInterrupt, resume: str) -> int:
    """Say what was kept and how to go on after Ctrl-C or a :class:`Stopped`; the exit code."""
    from socialabm.sweeps import store
    from socialabm.sweeps.stopping import Stopped

    out = Path(directory)
    if isinstance(stop, Stopped):
        what, code = f"stopped ({stop.reason})", stop.exit_code
    else:
        what, code = "interrupted (Ctrl-C)", 130
    try:
        total = f" of {store.load_manifest(out)['n_runs']}"
    except (OSError, ValueError, KeyError):
        total = ""
    done = list(store.scan_parts(out).values()) if out.is_dir() else []
    failed = f", {done.count('failed')} failed" if "failed" in done else ""
    print(
        f"{what}: {done.count('ok')}{total} runs finished and kept in {out}{failed}; continue "
        f"with:\n  {resume}",
        file=sys.stderr,
    )
    return code


def _dry_run(path: str, spec: Any) -> int:
    """Build the design, run the checks a sweep runs before its first run, print the size."""
    from socialabm.sweeps.design import build_design, run_keys
    from socialabm.sweeps.execute import DEFAULT_RUNNER
    from socialabm.sweeps.preflight import preflight

    points = build_design(spec).points
    preflight(spec, points[0], run_keys(spec, 1)[0].seed, DEFAULT_RUNNER)
    print(
        f"{path}: valid; {spec.design} design, {len(points)} points x "
        f"{spec.replicates} replicates = {len(points) * spec.replicates} runs of "
        f"{spec.steps or 'the full horizon of'} days"
    )
    return 0


def _analyze(
    directory: str,
    outputs: list[str] | None,
    plots: bool,
    prim: list[str] | None = None,
    prim_boxes: list[int] | None = None,
    contrast_base: int | None = None,
) -> int:
    if not (Path(directory) / "manifest.json").is_file():  # before the heavy imports
        return _error(f"{directory} is not a sweep directory (no manifest.json)")
    from socialabm.sweeps.analyze import analyze_sweep

    try:
        report = analyze_sweep(
            directory, outputs=outputs, plots=plots, prim=prim, prim_boxes=prim_boxes,
            contrast_base=contrast_base,
        )  # fmt: skip
    except (ValueError, OSError, MissingExtraError) as err:
        return _error(str(err))
    for path in sorted(report.parent.glob("prim_*.json")):
        found = json.loads(path.read_text())
        trajectory = path.with_suffix(".csv")
        print(found["summary"])
        print(_trajectory_text(trajectory))
    if (report.parent / "contrasts.csv").is_file():
        print(f"paired contrasts (common seeds): {report.parent / 'contrasts.csv'}")
    print(f"analysis written to {report}")
    return 0


def _trajectory_text(path: Path) -> str:
    """The peeling trajectory of ``prim_*.csv``, as the report shows it, and how to pick."""
    import pandas as pd

    from socialabm.sweeps.discovery import trajectory_lines

    frame = pd.read_csv(path)
    return "\n".join(
        [
            *trajectory_lines(frame),
            f"  ({path.name}; --prim-box N shows box N instead)",
        ]
    )


def cmd_analyze(args: argparse.Namespace) -> int:
    """Handler of ``socialabm analyze``."""
    outputs = None
    if args.outputs:
        outputs = [o.strip() for o in args.outputs.split(",") if o.strip()]
    return _analyze(
        args.dir, outputs, plots=not args.no_plots, prim=args.prim, prim_boxes=args.prim_box,
        contrast_base=args.contrast_base,
    )  # fmt: skip
