"""Run the arms of claims over paired seeds on the sweep backends (in-process, pool or Dask).

Every claim needs four parameter sets (arms A and B, each also ablated) times its seeds, and with
knock-outs two more (arms A and B with the claim's code replaced). Identical runs (shared between
claims, or an ablation that equals another arm) run once. The runs go to the same backends and
worker code as sweeps, so a claim run on a Dask cluster gives the same numbers as one in this
process: seeds are fixed by the claim, not by the worker, and a knock-out is applied inside the
worker around the one run it belongs to.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from socialabm.claims.registry import Claim, ClaimError
from socialabm.sweeps.backends import Backend, make_backend
from socialabm.sweeps.worker import ChunkContext, RunTask

__all__ = ["ArmRuns", "run_arms"]

ArmRuns = dict[str, dict[str, pd.DataFrame]]
"""``{claim id: {arm: summaries}}``: per arm (``a``, ``b``, ``a_ablated``, ``b_ablated``, and with
knock-outs ``a_knockout``, ``b_knockout``) a DataFrame indexed by seed with one column per summary
output."""

CHUNK = 4
"""Runs per task: a few, so that workers stay busy without waiting for the parent."""

RUNNER = "socialabm.experiments.runner:run_model"

Run = tuple[dict[str, Any], int | None, dict[str, str]]
"""One parameter set of a claim: ``(parameters, steps, knock-out)``."""


def _key(params: dict[str, Any], steps: int | None, knockout: dict[str, str]) -> str:
    return json.dumps(
        {"params": params, "steps": steps, "knockout": knockout}, sort_keys=True, default=str
    )


def run_arms(
    claims: Sequence[Claim],
    seeds: Mapping[str, Sequence[int]],
    *,
    knockout: bool = False,
    workers: int | None = 0,
    scheduler: str | None = None,
    dask_local: int | None = None,
    progress: bool = True,
    on_run: Callable[[int, int], None] | None = None,
    check_calls: bool = True,
) -> ArmRuns:
    """Run every arm of ``claims`` once per seed and return their summaries.

    Args:
        claims: The claims to run.
        seeds: Paired seeds of each claim, by claim id (each arm runs once per seed).
        knockout: Also run arms A and B with each claim's knock-out (claims that declare one).
        workers: Local worker processes (0: in this process; ``None``: every core).
        scheduler: Address of a Dask scheduler instead of a local pool.
        dask_local: Start a local Dask cluster with this many workers instead.
        progress: Show a progress bar (runs done, ETA) on stderr.
        on_run: Called as ``on_run(done, total)`` after each finished run.
        check_calls: Refuse a knock-out target that arm B never called over ``seeds``. Off
            only to rerun a subset of a claim's seeds: a target may be called at some seeds
            only (alliance traffic, once an alliance has formed).

    Raises:
        RuntimeError: a run failed (the message names the claim, arm, seed and error).
        ClaimError: a knock-out target that arm B never called (the knock-out misses the code
            the claim runs through).
    """
    unique: dict[str, Run] = {}
    where: dict[tuple[str, str], str] = {}
    for claim in claims:
        for arm, (params, ko) in claim.arms(knockout).items():
            key = _key(params, claim.steps, ko)
            unique.setdefault(key, (params, claim.steps, ko))
            where[(claim.id, arm)] = key
    point_of = {key: k for k, key in enumerate(unique)}
    label = {
        point_of[key]: f"claim {cid!r}, arm {arm}" for (cid, arm), key in reversed(where.items())
    }
    wanted: dict[int, set[int]] = {}
    for (cid, _), key in where.items():
        wanted.setdefault(point_of[key], set()).update(seeds[cid])
    tasks: dict[str, tuple[Run, list[RunTask]]] = {}
    run_id = 0
    for key, (params, steps, ko) in unique.items():
        point = point_of[key]
        group = json.dumps({"steps": steps, "knockout": ko}, sort_keys=True)
        _, bucket = tasks.setdefault(group, (({}, steps, ko), []))
        for replicate, seed in enumerate(sorted(wanted[point])):
            bucket.append((run_id, point, replicate, seed, params))
            run_id += 1
    backend = make_backend(workers, scheduler, dask_local)
    summaries, calls = _execute(list(tasks.values()), run_id, backend, label, progress, on_run)
    frames: dict[int, pd.DataFrame] = {}
    for point in wanted:
        rows = sorted((seed, s) for (p, seed), s in summaries.items() if p == point)
        frames[point] = pd.DataFrame([s for _, s in rows], index=[seed for seed, _ in rows])
    out: ArmRuns = {}
    for (claim_id, arm), key in where.items():
        frame = frames[point_of[key]]
        out.setdefault(claim_id, {})[arm] = frame.loc[list(seeds[claim_id])]
    if check_calls:
        _check_knockouts_called(claims, where, point_of, calls)
    return out


def _check_knockouts_called(
    claims: Sequence[Claim],
    where: dict[tuple[str, str], str],
    point_of: dict[str, int],
    calls: dict[int, dict[str, int]],
) -> None:
    """Raise :class:`ClaimError` for a knock-out target that arm B never called."""
    for claim in claims:
        key = where.get((claim.id, "b_knockout"))
        if key is None:
            continue
        made = calls.get(point_of[key], {})
        missed = [ref for ref in claim.knockout if not made.get(ref)]
        if missed:
            raise ClaimError(
                f"claim {claim.id!r}: knock-out target {missed[0]!r} was never called in arm B: "
                "the claim's runs do not go through it (name the function where the code looks "
                "it up, e.g. the module that calls it)"
            )


def _execute(
    groups: list[tuple[Run, list[RunTask]]],
    total: int,
    backend: Backend,
    label: dict[int, str],
    progress: bool,
    on_run: Callable[[int, int], None] | None,
) -> tuple[dict[tuple[int, int], dict[str, float]], dict[int, dict[str, int]]]:
    """Run the tasks (grouped by run length and knock-out) on ``backend``; return
    ``{(point, seed): summary}`` and, per point run with a knock-out, the calls that reached
    each replacement summed over its seeds."""
    from tqdm import tqdm

    seed_of = {t[0]: (t[1], t[3]) for _, group in groups for t in group}
    pending: dict[Any, None] = {}
    results: dict[tuple[int, int], dict[str, float]] = {}
    calls: dict[int, dict[str, int]] = {}
    bar = tqdm(total=total, unit="run", desc="claims", disable=not progress, file=sys.stderr)
    queue = [
        (ChunkContext(runner=RUNNER, overrides={}, steps=steps, daily=False, collect_every=1,
                      daily_columns=None, out_dir=None, spec_hash="", knockout=ko),
         group[i : i + CHUNK])
        for (_, steps, ko), group in groups
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
                    counted = calls.setdefault(point, {})
                    for ref, n in record.get("knockout_calls", {}).items():
                        counted[ref] = counted.get(ref, 0) + n
                    bar.update(1)
                    if on_run is not None:
                        on_run(len(results), total)
    except BaseException:
        backend.close(cancel=True)
        raise
    finally:
        bar.close()
    backend.close()
    return results, calls
