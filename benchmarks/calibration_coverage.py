"""Simulation-based calibration: the share of 90% credible intervals that contain the truth.

Draws ``--datasets`` parameter sets from the priors of a calibration spec (default: the
built-in scenarios/calibration/calibrated.toml), simulates synthetic data at each, calibrates
to it with a smaller budget (``--population``, ``--generations``, ``--max-simulations``,
``--consumers``) and prints the coverage per parameter and over all, with its binomial standard
error. Near 0.90: calibrated intervals; well below: over-confident; above: conservative.
From the same fits it prints the coverage a smaller ``generations`` budget would have given, and
the coverage at each final tolerance ``min_epsilon`` of ``--tolerances`` (larger: wider): the
setting to widen over-confident intervals with (docs/calibration.md, "Recovery and coverage").

Usage::

    uv run python benchmarks/calibration_coverage.py --datasets 40      # the figure in the docs
    uv run python benchmarks/calibration_coverage.py --datasets 5 --population 40   # quick
    uv run python benchmarks/calibration_coverage.py --csv coverage.csv  # also the rows
    uv run python benchmarks/calibration_coverage.py --from-csv coverage.csv --tolerances 4 6
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

import pandas as pd

from socialabm.calibration.coverage import (
    coverage,
    coverage_by_generations,
    coverage_by_tolerance,
)
from socialabm.calibration.spec import Budget, load_calibration

SPEC = Path(__file__).resolve().parents[1] / "scenarios" / "calibration" / "calibrated.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--datasets", type=int, default=40)
    parser.add_argument("--population", type=int, default=100)
    parser.add_argument("--generations", type=int, default=5)
    parser.add_argument("--max-simulations", type=int, default=2000)
    parser.add_argument("--quantile", type=float, default=0.5)
    parser.add_argument("--min-epsilon", type=float, default=0.0)
    parser.add_argument(
        "--tolerances", type=float, nargs="+", default=[1, 2, 3, 4, 5, 6, 7, 8, 10, 12],
        help="final tolerances (min_epsilon) to report the coverage at, from the same fits",
    )  # fmt: skip
    parser.add_argument("--from-csv", type=Path, help="read the rows of an earlier --csv")
    parser.add_argument("--consumers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args()
    if args.from_csv:
        report(pd.read_csv(args.from_csv), args.tolerances)
        return
    spec = load_calibration(args.spec)
    spec = dataclasses.replace(
        spec, base_parameters={**spec.base_parameters, "n_consumers": args.consumers}
    )
    budget = Budget(
        population=args.population,
        generations=args.generations,
        max_simulations=args.max_simulations,
        quantile=args.quantile,
        min_epsilon=args.min_epsilon,
    )
    print(
        f"{args.datasets} synthetic data sets; {len(spec.priors)} parameters; "
        f"{args.consumers} consumers; {budget}"
    )
    started = time.perf_counter()

    def progress(done: int, rows: pd.DataFrame) -> None:
        if args.csv:  # after every data set: a long run can be read before it ends
            rows.to_csv(args.csv, index=False)
        print(
            f"  {done}/{args.datasets} data sets, running coverage "
            f"{rows.loc[rows['final'], 'covered'].mean():.3f} "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )

    table, summary = coverage(
        spec, args.datasets, seed=args.seed, budget=budget, workers=args.workers, progress=progress
    )
    if args.csv:
        table.to_csv(args.csv, index=False)
    print(
        f"coverage of {summary['level']:.0%} intervals: {summary['coverage']:.3f} "
        f"(standard error {summary['standard_error']:.3f}; {int(table['final'].sum())} "
        "intervals, "
        f"{summary['redrawn']} truths redrawn for undefined data)"
    )
    for name, share in summary["by_parameter"].items():
        print(f"  {name:<22} {share:.3f}")
    report(table, args.tolerances)
    print(
        f"wall time {time.perf_counter() - started:.0f} s; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def report(table: pd.DataFrame, tolerances: list[float]) -> None:
    """Print the coverage per ``generations`` budget and per final tolerance."""
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print("\ncoverage had the fits stopped after fewer generations (epsilon: median final "
              "tolerance):")  # fmt: skip
        print(coverage_by_generations(table).round(3).to_string(index=False))
        print("\ncoverage at a final tolerance min_epsilon (reached: share of fits reaching it):")
        print(coverage_by_tolerance(table, tolerances).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
