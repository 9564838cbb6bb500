"""The ``calibrate`` subcommand (and ``calibration-publish``, which turns a finished calibration
into the ``calibrated`` scenario and the calibration section of docs/ODD.md).

Exit codes: 0 done; 2 invalid spec, directory or option, or pyabc missing (one line on stderr, no
traceback); 130 interrupted (finished generations are kept: continue with ``--resume``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialabm.cli.options import add_backend_options
from socialabm.extras import MissingExtraError, require

__all__ = ["cmd_calibrate", "register"]


def _error(message: str) -> int:
    print(f"socialabm: error: {message}", file=sys.stderr)
    return 2


def _extra_missing(what: str) -> str | None:
    """The one-line message when the ``calibration`` extra is not installed, else ``None``."""
    try:
        require("calibration", what)
    except MissingExtraError as err:
        return str(err)
    return None


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``calibrate`` and ``calibration-publish`` to an argparse ``subparsers`` object."""
    parser = subparsers.add_parser(
        "calibrate",
        help="fit parameters to observed patterns (ABC-SMC with pyabc; the 'calibration' extra)",
        description="Approximate Bayesian computation by sequential Monte Carlo: posterior "
        "samples, credible intervals, pair plots, a posterior predictive check and a report. "
        "Every simulation's seed derives from the spec's seed, so a rerun reproduces the "
        "posterior on any backend; a killed calibration continues with --resume.",
    )
    parser.add_argument("spec", help="calibration file (TOML); see docs/calibration.md")
    parser.add_argument("--out", type=Path, help="calibration directory (not with --check)")
    add_backend_options(parser, "simulations")
    parser.add_argument("--resume", action="store_true", help="continue the calibration in --out")
    parser.add_argument(
        "--check", action="store_true", help="check the spec and its patterns, then stop"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(func=cmd_calibrate)

    publish = subparsers.add_parser(
        "calibration-publish",
        help="write the calibrated scenario and ODD's calibration section from a calibration",
        description="Read a finished calibration directory; write the posterior medians as a "
        "scenario file and regenerate the calibration section of the ODD document (run from "
        "the repository root; the claims under the calibrated values are rerun with --claims).",
    )
    publish.add_argument("dir", type=Path, help="calibration directory")
    publish.add_argument(
        "--scenario", type=Path, default=Path("scenarios/calibrated.toml"),
        help="scenario file to write (default scenarios/calibrated.toml)",
    )  # fmt: skip
    publish.add_argument(
        "--odd", type=Path, default=Path("docs/ODD.md"),
        help="ODD document whose calibration section is regenerated (default docs/ODD.md)",
    )  # fmt: skip
    publish.add_argument(
        "--claims", type=int, default=0, metavar="SEEDS",
        help="also run the claims registry under the calibrated values with this many seeds "
        "(default 0: keep the claims table of the last publication)",
    )  # fmt: skip
    add_backend_options(publish, "claims' runs")
    publish.set_defaults(func=cmd_publish)


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Handler of ``socialabm calibrate``."""
    if message := _extra_missing("socialabm calibrate"):
        return _error(message)
    from socialabm.calibration.spec import load_calibration

    try:
        spec = load_calibration(args.spec)  # every check runs here, before any simulation
    except (ValueError, OSError) as err:
        return _error(str(err))
    if args.check:
        n = sum(len(p.targets) for p in (*spec.fit, *spec.held_out))
        print(f"{args.spec}: valid; {len(spec.priors)} parameters, {n} targets "
              f"({len(spec.held_out_targets)} held out)")  # fmt: skip
        return 0
    if args.out is None:
        return _error("calibrate needs --out DIR (the calibration directory)")
    from socialabm.calibration.execute import calibrate

    try:
        outcome = calibrate(
            spec, args.out, workers=args.workers, scheduler=args.scheduler,
            dask_local=args.dask_local, resume=args.resume, progress=not args.no_progress,
            spec_text=Path(args.spec).read_text(encoding="utf-8"),
        )  # fmt: skip
    except KeyboardInterrupt:
        print(f"interrupted; finished generations are saved in {args.out}, continue with "
              "--resume", file=sys.stderr)  # fmt: skip
        return 130
    except (ValueError, OSError) as err:
        return _error(str(err))
    print(outcome.line())
    if "report" in outcome.files:
        print(f"report written to {outcome.files['report']}")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Handler of ``socialabm calibration-publish``."""
    if message := _extra_missing("socialabm calibration-publish"):
        return _error(message)
    from socialabm.calibration.publish import publish

    try:
        written = publish(
            args.dir, args.scenario, args.odd, claims_seeds=args.claims,
            backend_options={"workers": args.workers, "scheduler": args.scheduler,
                             "dask_local": args.dask_local},
        )  # fmt: skip
    except (ValueError, OSError) as err:
        return _error(str(err))
    for path in written:
        print(f"wrote {path}")
    return 0
