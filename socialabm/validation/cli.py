"""The ``validate`` subcommand's arguments, registered without importing the validation suite.

:mod:`socialabm.validation` imports networkx and scipy; the main CLI builds every subcommand's
parser at start, so the parser lives here and the suite is imported only when it runs.
"""

from __future__ import annotations

import argparse

CHECK_NAMES = (
    "awareness_glm_one_step",
    "bass_adoption_curve",
    "bass_takeoff_time",
    "glm_takeoff_weak_vs_strong",
    "weak_tie_bridges",
    "newsvendor_optimal_order",
    "nash_bargaining_split",
    "j_shaped_reviews",
    "stockout_response_shares",
    "stockout_realised_shares",
    "cascade_sizes",
)
"""Names of :data:`socialabm.validation.CHECKS`, in order (a test keeps the two equal)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand to the ``socialabm`` command's subparsers."""
    parser = subparsers.add_parser(
        "validate",
        help="check the model against published results and closed forms",
        description="Run the validation suite (docs/validation.md) and print a pass/fail "
        "table; exit status 1 if any check fails.",
    )
    parser.add_argument("--fast", action="store_true", help="smaller, quicker runs")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="CHECK",
        help="run only this check (repeatable); names: " + ", ".join(CHECK_NAMES),
    )
    parser.add_argument("--brief", action="store_true", help="one line per check")
    parser.set_defaults(func=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    """Run the suite, print the table, return 1 when any check fails."""
    import time

    from socialabm.validation.suite import format_table, run_all

    start = time.perf_counter()
    results = run_all(fast=args.fast, only=args.only or None)
    print(format_table(results, details=not args.brief))
    print(f"({time.perf_counter() - start:.1f} s{', fast mode' if args.fast else ''})")
    return 0 if all(r.passed for r in results) else 1
