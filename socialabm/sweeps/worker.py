"""The task a worker process executes: a chunk of runs, each committed to disk as it finishes.

A task carries one small :class:`ChunkContext` (the parameters common to every run, the run
length, the output options) and a list of :data:`RunTask` tuples (run id, point, replicate, seed,
the point's varied values), so nothing big is pickled per run.

When the worker can see the sweep directory (same machine, or a shared file system: the manifest
there has the expected spec hash) it writes each run's result file itself the moment the run
ends; otherwise it returns the results and the parent writes them. Either way a run that raises
becomes a failure record (parameters, seed, traceback) instead of stopping the chunk, unless
``fail_fast`` is set, in which case the chunk stops after recording it.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialabm.references import import_callable
from socialabm.sweeps import store

__all__ = ["ChunkContext", "RunOutcome", "RunTask", "resolve_runner", "run_chunk"]

RunTask = tuple[int, int, int, int, dict[str, Any]]
"""``(run_id, point, replicate, seed, varied values)``."""


@dataclass(frozen=True)
class ChunkContext:
    """What every run of a sweep shares.

    Attributes:
        runner: ``"module:function"`` with the signature of
            :func:`socialabm.experiments.runner.run_model`.
        overrides: Scenario + fixed parameters (validated values), applied to every run.
        steps: Days per run (``None``: the model's horizon).
        daily: Keep the daily series.
        collect_every: Keep every k-th day of it.
        daily_columns: Daily columns to keep (``None``: all).
        reporters: Extra summary outputs, output name -> ``"module:function"``; handed to the
            runner as ``reporters=`` (only when there are any).
        out_dir: Sweep directory the worker writes to if it can see it; ``None``: never.
        spec_hash: Hash the manifest in ``out_dir`` must carry for the worker to write there.
        fail_fast: Stop the chunk at the first failing run.
        fsync: Flush every result file to the disk before committing it (survives power loss,
            not only a killed process; slower).
        knockout: Functions replaced by neutral ones in every run of the chunk, inside the
            worker and for the run only (:mod:`socialabm.experiments.knockout`); handed to the
            runner as ``knockout=`` (only when there are any). Each record then holds
            ``knockout_calls``, the calls that reached each replacement.
    """

    runner: str
    overrides: dict[str, Any]
    steps: int | None
    daily: bool
    collect_every: int
    daily_columns: tuple[str, ...] | None
    out_dir: str | None
    spec_hash: str
    fail_fast: bool = False
    fsync: bool = False
    reporters: dict[str, str] = field(default_factory=dict)
    knockout: dict[str, str] = field(default_factory=dict)


@dataclass
class RunOutcome:
    """Result of one run as returned to the parent.

    Attributes:
        run_id: The run.
        ok: Whether it finished without raising.
        seconds: Wall time of the run (s).
        record: The JSON record, when the parent must write it (``None`` if already written).
        daily: The daily frame, when the parent must write it.
    """

    run_id: int
    ok: bool
    seconds: float
    record: dict[str, Any] | None = None
    daily: Any = None


_RUNNERS: dict[str, Callable[..., Any]] = {}
_VISIBLE: dict[tuple[str, str], bool] = {}


def resolve_runner(ref: str) -> Callable[..., Any]:
    """Import ``"module:function"`` (cached per process).

    Raises:
        ValueError: the runner cannot be imported or is not a function (one clear line).
    """
    if ref not in _RUNNERS:
        _RUNNERS[ref] = import_callable(ref, "runner")
    return _RUNNERS[ref]


def _can_write(ctx: ChunkContext) -> bool:
    if ctx.out_dir is None:
        return False
    key = (ctx.out_dir, ctx.spec_hash)
    if key not in _VISIBLE:
        try:
            manifest = store.load_manifest(Path(ctx.out_dir))
            _VISIBLE[key] = manifest.get("spec_hash") == ctx.spec_hash
        except (OSError, ValueError):  # SweepStoreError (no manifest) is a ValueError
            _VISIBLE[key] = False
    return _VISIBLE[key]


def _number(value: Any) -> Any:
    """A JSON-ready scalar: numbers as float/int/bool, others as strings."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def run_one(ctx: ChunkContext, task: RunTask) -> tuple[dict[str, Any], Any]:
    """Run one task; return its record (wall time in ``seconds``) and daily frame (or ``None``)."""
    run_id, point, replicate, seed, varied = task
    params = {**ctx.overrides, **varied}
    record: dict[str, Any] = {
        "run_id": run_id,
        "point": point,
        "replicate": replicate,
        "seed": seed,
    }
    start = time.perf_counter()
    daily = None
    extra: dict[str, Any] = {"reporters": ctx.reporters} if ctx.reporters else {}
    if ctx.knockout:
        extra["knockout"] = ctx.knockout
    try:
        result = resolve_runner(ctx.runner)(
            params, seed=seed, steps=ctx.steps, collect_daily=ctx.daily,
            collect_every=ctx.collect_every, **extra,
        )  # fmt: skip
        record["status"] = "ok"
        record["summary"] = {str(k): _number(v) for k, v in result.summary.items()}
        if ctx.knockout:
            record["knockout_calls"] = dict(result.knockout_calls or {})
        if ctx.daily and result.daily is not None:
            daily = result.daily
            if ctx.daily_columns is not None:
                keep = ["day", *[c for c in ctx.daily_columns if c != "day"]]
                missing = [c for c in keep if c not in daily.columns]
                if missing:
                    raise KeyError(
                        f"daily column(s) {missing} not produced by the model; available: "
                        f"{sorted(daily.columns)}"
                    )
                daily = daily[keep]
    except Exception as err:  # noqa: BLE001 - every failure of a run is recorded, not raised
        record["status"] = "failed"
        record["error"] = f"{type(err).__name__}: {err}"
        record["traceback"] = traceback.format_exc()
        record["params"] = {k: _number(v) for k, v in params.items()}
        daily = None
    record["seconds"] = time.perf_counter() - start
    return record, daily


def run_chunk(ctx: ChunkContext, tasks: list[RunTask]) -> list[RunOutcome]:
    """Run ``tasks`` in order, committing each result as it finishes (see the module doc)."""
    write = _can_write(ctx)
    outcomes = []
    for task in tasks:
        record, daily = run_one(ctx, task)
        ok = record["status"] == "ok"
        if write:
            store.write_run(Path(ctx.out_dir), record, daily, fsync=ctx.fsync)
            outcomes.append(RunOutcome(record["run_id"], ok, record["seconds"]))
        else:
            outcomes.append(RunOutcome(record["run_id"], ok, record["seconds"], record, daily))
        if not ok and ctx.fail_fast:
            break
    return outcomes
