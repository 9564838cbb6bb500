"""Budget of a calibration: simulations, wall time and effective sample size.

Runs the built-in calibration (scenarios/calibration/calibrated.toml: 5 parameters, 500
consumers, the whole 180-day horizon, 200 particles, at most 6 generations and 3,000
simulations) into a temporary directory and prints, per generation, the tolerance, simulations,
acceptance and effective sample size (ESS), then the totals: simulations kept and evaluated,
wall time, CPU time of this process, and the load average before and after (the machine is
shared: wall time grows with other load). Target: <= 10 minutes on a 2-core machine.

Usage::

    uv run python benchmarks/bench_calibration.py                 # the issue's figure
    uv run python benchmarks/bench_calibration.py --consumers 300 --workers 2
    uv run python benchmarks/bench_calibration.py --population 60 --generations 3   # quick
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

from socialabm.calibration.execute import calibrate
from socialabm.calibration.results import generations, load_history
from socialabm.calibration.spec import load_calibration

SPEC = Path(__file__).resolve().parents[1] / "scenarios" / "calibration" / "calibrated.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--consumers", type=int, help="override n_consumers")
    parser.add_argument("--population", type=int, help="override the particles per generation")
    parser.add_argument("--generations", type=int, help="override the most generations")
    parser.add_argument("--workers", type=int, default=None, help="pool workers (default: all)")
    args = parser.parse_args()
    spec = load_calibration(args.spec)
    changes = {}
    if args.consumers:
        changes["base_parameters"] = {**spec.base_parameters, "n_consumers": args.consumers}
    budget = spec.budget
    if args.population:
        budget = dataclasses.replace(budget, population=args.population)
    if args.generations:
        budget = dataclasses.replace(budget, generations=args.generations)
    spec = dataclasses.replace(spec, budget=budget, predictive=0, **changes)
    print(
        f"spec {args.spec.name}: {len(spec.priors)} parameters, "
        f"{spec.base_parameters.get('n_consumers')} consumers, {budget.population} particles, "
        f"<= {budget.generations} generations, <= {budget.max_simulations} simulations"
    )
    load0 = os.getloadavg()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        outcome = calibrate(
            spec, Path(tmp) / "fit", workers=args.workers, progress=False, write_results=False
        )
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        table = generations(load_history(outcome.out))
    load1 = os.getloadavg()
    print(table.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print(
        f"simulations: {outcome.simulations} kept (prior sample included), "
        f"{outcome.evaluated} evaluated; final ESS {table['ess'].iloc[-1]:.1f}"
    )
    print(
        f"wall time: {wall:.1f} s ({wall / 60:.1f} min; target <= 10 min); CPU time of this "
        f"process {cpu:.1f} s; {outcome.backend}"
    )
    print(
        f"load average (1, 5, 15 min) before {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}, "
        f"after {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
