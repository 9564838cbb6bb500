"""Simulation-based calibration: the share of 90% credible intervals that contain the truth.

Draws ``--datasets`` parameter sets from the priors of a calibration spec (default: the
built-in scenarios/calibration/calibrated.toml), simulates synthetic data at each, calibrates
to it with a smaller budget (``--population``, ``--generations``, ``--max-simulations``,
``--consumers``) and prints the coverage per parameter and over all, with its binomial standard
error. Near 0.90: calibrated intervals; well below: over-confident; above: conservative.

Usage::

    uv run python benchmarks/calibration_coverage.py --datasets 40      # the figure in the docs
    uv run python benchmarks/calibration_coverage.py --datasets 5 --population 40   # quick
    uv run python benchmarks/calibration_coverage.py --csv coverage.csv  # also the rows
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

from socialabm.calibration.coverage import coverage
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
    parser.add_argument("--consumers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args()
    spec = load_calibration(args.spec)
    spec = dataclasses.replace(
        spec, base_parameters={**spec.base_parameters, "n_consumers": args.consumers}
    )
    budget = Budget(
        population=args.population,
        generations=args.generations,
        max_simulations=args.max_simulations,
        quantile=args.quantile,
    )
    print(
        f"{args.datasets} synthetic data sets; {len(spec.priors)} parameters; "
        f"{args.consumers} consumers; {budget}"
    )
    started = time.perf_counter()

    def progress(done: int, rows) -> None:
        print(
            f"  {done}/{args.datasets} data sets, running coverage "
            f"{rows['covered'].mean():.3f} ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )

    table, summary = coverage(
        spec, args.datasets, seed=args.seed, budget=budget, workers=args.workers, progress=progress
    )
    if args.csv:
        table.to_csv(args.csv, index=False)
    print(
        f"coverage of {summary['level']:.0%} intervals: {summary['coverage']:.3f} "
        f"(standard error {summary['standard_error']:.3f}; {len(table)} intervals, "
        f"{summary['redrawn']} truths redrawn for undefined data)"
    )
    for name, share in summary["by_parameter"].items():
        print(f"  {name:<22} {share:.3f}")
    print(
        f"wall time {time.perf_counter() - started:.0f} s; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
