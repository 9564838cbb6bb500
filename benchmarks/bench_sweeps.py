"""Throughput and overhead of sweeps.

Prints:

* runs per minute for the default scenario at N consumers and S days (default 2,000 and 200)
  with the local pool at 1 and 2 workers (parallel efficiency = rate(2) / (2 rate(1))) and with
  a local Dask cluster of 2 workers; rates are measured from the first to the last finished run,
  so the pool's start-up (about 2-4 s, once per sweep) is reported separately;
* the scheduling overhead per run for tiny runs (N = 10, 1 day): the time per run from the
  first to the last finished run of a sweep of ``--tiny`` runs, minus the cost of the same run
  called in-process, at 1 worker (each run committed to disk, as in a real sweep), for the local
  pool and for a local Dask cluster;
* the start-up of a local Dask cluster of 2 workers, in three parts: the cluster (scheduler,
  worker processes, client), the workers' first task (one tiny run: the imports of the model,
  unless the workers were preloaded) and the shutdown.

Usage::

    uv run python benchmarks/bench_sweeps.py                  # the issue's figures
    uv run python benchmarks/bench_sweeps.py --runs 8 --steps 50 --tiny 200   # quick check
    uv run python benchmarks/bench_sweeps.py --only-dask      # the Dask figures only
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from socialabm.experiments.runner import run_model
from socialabm.sweeps import SweepSpec, run_sweep


def spec(n: int, steps: int, runs: int) -> SweepSpec:
    """``runs`` replicates of the default scenario (one design point)."""
    return SweepSpec(
        vary={"jump_friction": [0.35]},
        fixed={"n_consumers": n},
        steps=steps,
        replicates=runs,
        seed=1,
        name="bench",
    )


def timed_sweep(s: SweepSpec, **kw) -> tuple[float, float, str]:
    """(wall s, steady s from first to last finished run, backend) of one fresh sweep."""
    out = Path(tempfile.mkdtemp(prefix="bench_sweep_")) / "sweep"
    try:
        start = time.perf_counter()
        outcome = run_sweep(s, out, progress=False, **kw)
        wall = time.perf_counter() - start
        assert outcome.n_ok == outcome.n_runs, outcome.line()
        stamps = sorted(p.stat().st_mtime for p in (out / "parts").rglob("*.ok.json"))
        steady = (stamps[-1] - stamps[0]) * len(stamps) / max(len(stamps) - 1, 1)
        return wall, steady, outcome.backend
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def dask_startup(workers: int) -> dict[str, float]:
    """Seconds to start a local Dask cluster, to get the first (tiny) run back, to close it."""
    from socialabm.sweeps.backends import DaskBackend
    from socialabm.sweeps.worker import ChunkContext

    t = time.perf_counter()
    backend = DaskBackend(local_workers=workers)
    started = time.perf_counter()
    ctx = ChunkContext(
        runner="socialabm.experiments.runner:run_model", overrides={"n_consumers": 10}, steps=1,
        daily=False, collect_every=1, daily_columns=None, out_dir=None, spec_hash="",
    )  # fmt: skip
    futures = [backend.submit(ctx, [(i, 0, 0, i, {})]) for i in range(workers)]
    for future in futures:
        assert backend.result(future)[0].ok
    first = time.perf_counter()
    backend.close()
    return {
        "dask_cluster_start_s": started - t,
        "dask_first_task_s": first - started,
        "dask_close_s": time.perf_counter() - first,
    }


def cold_dask_startup(workers: int) -> dict[str, float]:
    """:func:`dask_startup` in a fresh interpreter (nothing imported or started before)."""
    code = (
        "import json, sys; sys.path.insert(0, 'benchmarks'); from bench_sweeps import "
        f"dask_startup; print(json.dumps(dask_startup({workers})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def tiny_overhead(label: str, tiny_runs: int, in_process: float, **kw) -> dict[str, float]:
    """Seconds per tiny run in a sweep once it is going (first to last finished run, so the
    start-up, whose length varies with the machine's load, is left out), and that minus the
    in-process cost of the same run (ms)."""
    spec = SweepSpec(
        vary={"jump_friction": [0.35]}, fixed={"n_consumers": 10}, steps=1, replicates=tiny_runs,
        seed=1,
    )  # fmt: skip
    per_run = timed_sweep(spec, **kw)[1] / tiny_runs
    print(
        f"{label}: tiny runs (N=10, 1 day): {in_process * 1e3:.2f} ms in-process, "
        f"{per_run * 1e3:.2f} ms per run in a sweep -> overhead "
        f"{(per_run - in_process) * 1e3:.2f} ms per run"
    )
    return {
        f"{label}_tiny_per_run_ms": per_run * 1e3,
        f"{label}_overhead_per_run_ms": (per_run - in_process) * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="consumers per run")
    parser.add_argument("--steps", type=int, default=200, help="days per run")
    parser.add_argument("--runs", type=int, default=40, help="runs per throughput measurement")
    parser.add_argument("--tiny", type=int, default=2000, help="tiny runs for the overhead")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--only-dask", action="store_true", help="skip the local pool measurements")
    args = parser.parse_args()

    fig: dict[str, float] = {}
    run_model({"n_consumers": 10}, seed=0, steps=1, collect_daily=False)  # imports the model
    t = time.perf_counter()
    run_model({"n_consumers": args.n}, seed=0, steps=args.steps, collect_daily=False)
    fig["in_process_seconds_per_run"] = time.perf_counter() - t
    print(
        f"one run in-process (N={args.n}, {args.steps} days): "
        f"{fig['in_process_seconds_per_run']:.3f} s"
    )

    s = spec(args.n, args.steps, args.runs)
    backends = [("dask_local_2", {"dask_local": 2})]
    if not args.only_dask:
        backends = [("pool_1", {"workers": 1}), ("pool_2", {"workers": 2}), *backends]
    for label, kw in backends:
        wall, steady, backend = timed_sweep(s, **kw)
        fig[f"{label}_runs_per_min"] = args.runs / steady * 60
        fig[f"{label}_startup_s"] = wall - steady
        print(
            f"{backend:<28} {fig[f'{label}_runs_per_min']:8.1f} runs/min "
            f"({args.runs} runs, wall {wall:.1f} s incl. ~{wall - steady:.1f} s start-up "
            "and consolidation)"
        )
    if not args.only_dask:
        fig["parallel_efficiency_2"] = fig["pool_2_runs_per_min"] / (2 * fig["pool_1_runs_per_min"])
        fig["dask_vs_pool_2"] = fig["dask_local_2_runs_per_min"] / fig["pool_2_runs_per_min"]
        print(
            f"parallel efficiency at 2 workers: {fig['parallel_efficiency_2']:.1%} "
            f"(target >= 90%); Dask/pool at 2 workers: {fig['dask_vs_pool_2']:.2f}"
        )

    phases = cold_dask_startup(2)
    fig |= phases
    print(
        "local Dask cluster, 2 workers: start {dask_cluster_start_s:.2f} s, first task back "
        "{dask_first_task_s:.2f} s, close {dask_close_s:.2f} s".format(**phases)
    )

    reps = 200
    t = time.perf_counter()
    for i in range(reps):
        run_model({"n_consumers": 10}, seed=i, steps=1, collect_daily=False)
    in_process = (time.perf_counter() - t) / reps
    fig["tiny_in_process_ms"] = in_process * 1e3
    if not args.only_dask:
        fig |= tiny_overhead("pool_1", args.tiny, in_process, workers=1)
    fig |= tiny_overhead("dask_local_1", args.tiny, in_process, dask_local=1)
    if args.json:
        args.json.write_text(json.dumps(fig, indent=1))


if __name__ == "__main__":
    main()
