"""Run the arms of claims over paired seeds on the sweep backends (in-process, pool or Dask).

Every claim needs four parameter sets (arms A and B, each also ablated) times the seeds. Identical
parameter sets (shared between claims, or an ablation that equals another arm) run once. The runs
go to the same backends and worker code as sweeps, so a claim run on a Dask cluster gives the
same numbers as one in this process: seeds are fixed by the claim, not by the worker.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from socialabm.claims.registry import Claim
from socialabm.sweeps.backends import Backend, make_backend
from socialabm.sweeps.worker import ChunkContext, RunTask

__all__ = ["ArmRuns", "run_arms"]

ArmRuns = dict[str, dict[str, pd.DataFrame]]
"""``{claim id: {arm: summaries}}``: per arm (``a``, ``b``, ``a_ablated``, ``b_ablated``) a
DataFrame indexed by seed with one column per summary output."""

CHUNK = 4
"""Runs per task: a few, so that workers stay busy without waiting for the parent."""

RUNNER = "socialabm.experiments.runner:run_model"


def _key(params: dict[str, Any], steps: int | None) -> str:
    return json.dumps({"params": params, "steps": steps}, sort_keys=True, default=str)


def run_arms(
    claims: Sequence[Claim],
    seeds: Sequence[int],
    *,
    workers: int | None = 0,
    scheduler: str | None = None,
    dask_local: int | None = None,
    progress: bool = True,
    on_run: Callable[[int, int], None] | None = None,
) -> ArmRuns:
    """Run every arm of ``claims`` once per seed and return their summaries.

    Args:
        claims: The claims to run.
        seeds: Paired seeds (each arm of each claim runs once per seed).
        workers: Local worker processes (0: in this process; ``None``: every core).
        scheduler: Address of a Dask scheduler instead of a local pool.
        dask_local: Start a local Dask cluster with this many workers instead.
        progress: Show a progress bar (runs done, ETA) on stderr.
        on_run: Called as ``on_run(done, total)`` after each finished run.

    Raises:
        RuntimeError: a run failed (the message names the claim, arm, seed and error).
    """
    unique: dict[str, tuple[dict[str, Any], int | None]] = {}
    where: dict[tuple[str, str], str] = {}
    for claim in claims:
        for arm, params in claim.arms().items():
            key = _key(params, claim.steps)
            unique.setdefault(key, (params, claim.steps))
            where[(claim.id, arm)] = key
    point_of = {key: k for k, key in enumerate(unique)}
    label = {
        point_of[key]: f"claim {cid!r}, arm {arm}" for (cid, arm), key in reversed(where.items())
    }
    tasks: dict[int | None, list[RunTask]] = {}
    for key, (params, steps) in unique.items():
        point = point_of[key]
        for replicate, seed in enumerate(seeds):
            run_id = point * len(seeds) + replicate
            tasks.setdefault(steps, []).append((run_id, point, replicate, seed, params))
    total = sum(len(t) for t in tasks.values())
    backend = make_backend(workers, scheduler, dask_local)
    summaries = _execute(tasks, total, backend, label, progress, on_run)
    by_point: dict[int, list[tuple[int, dict[str, float]]]] = {}
    for (point, seed), summary in summaries.items():
        by_point.setdefault(point, []).append((seed, summary))
    frames = {
        point: pd.DataFrame([s for _, s in sorted(rows)], index=[seed for seed, _ in sorted(rows)])
        for point, rows in by_point.items()
    }
    out: ArmRuns = {}
    for (claim_id, arm), key in where.items():
        out.setdefault(claim_id, {})[arm] = frames[point_of[key]]
    return out


def _execute(
    tasks: dict[int | None, list[RunTask]],
    total: int,
    backend: Backend,
    label: dict[int, str],
    progress: bool,
    on_run: Callable[[int, int], None] | None,
) -> dict[tuple[int, int], dict[str, float]]:
    """Run the tasks (grouped by run length) on ``backend``; ``{(point, seed): summary}``."""
    from tqdm import tqdm

    seed_of = {t[0]: (t[1], t[3]) for group in tasks.values() for t in group}
    pending: dict[Any, None] = {}
    results: dict[tuple[int, int], dict[str, float]] = {}
    bar = tqdm(total=total, unit="run", desc="claims", disable=not progress, file=sys.stderr)
    queue = [
        (ChunkContext(runner=RUNNER, overrides={}, steps=steps, daily=False, collect_every=1,
                      daily_columns=None, out_dir=None, spec_hash=""), group[i : i + CHUNK])
        for steps, group in tasks.items()
        for i in range(0, len(group), CHUNK)
    ]  # fmt: skip
    queue.reverse()
    try:
        while queue or pending:
            while queue and len(pending) < backend.window:
                ctx, chunk = queue.pop()
                pending[backend.submit(ctx, chunk)] = None
            for future in backend.wait(list(pending)):
                del pending[future]
                for outcome in backend.result(future):
                    record = outcome.record
                    point, seed = seed_of[outcome.run_id]
                    if record is None or record["status"] != "ok":
                        error = "" if record is None else record.get("error", "")
                        raise RuntimeError(f"{label[point]}, seed {seed}: the run failed: {error}")
                    results[(point, seed)] = record["summary"]
                    bar.update(1)
                    if on_run is not None:
                        on_run(len(results), total)
    except BaseException:
        backend.close(cancel=True)
        raise
    finally:
        bar.close()
    backend.close()
    return results
