"""Run a sweep: plan the runs, skip finished ones, execute the rest in chunks, consolidate.

The loop keeps about two chunks per worker in flight. Chunk size adapts to the measured run
time (about :data:`TARGET_CHUNK_SECONDS` of work per chunk, smaller near the end so workers
finish together), so 10,000 millisecond runs cost a few hundred task round trips, not 10,000,
while long runs go one per chunk.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialabm.extras import require
from socialabm.parameters import CLASS_PARAMETERS, lookup
from socialabm.provenance import module_hashes, user_modules
from socialabm.references import reporter_names
from socialabm.sweeps import store
from socialabm.sweeps.backends import DASK, Backend, make_backend
from socialabm.sweeps.design import build_design, point_parameters, run_keys
from socialabm.sweeps.lock import FolderLock
from socialabm.sweeps.preflight import preflight
from socialabm.sweeps.spec import SweepSpec
from socialabm.sweeps.stopping import stop_on_signals
from socialabm.sweeps.worker import ChunkContext, RunTask

__all__ = ["DEFAULT_RUNNER", "SweepError", "SweepOutcome", "run_sweep"]

DEFAULT_RUNNER = "socialabm.experiments.runner:run_model"
"""The run function of a sweep that names none (``runner`` in the sweep file)."""
TARGET_CHUNK_SECONDS = 0.5
MAX_CHUNK = 1000


class SweepError(RuntimeError):
    """The sweep could not go on (a worker process died, the cluster went away...)."""


@dataclass
class SweepOutcome:
    """What a call of :func:`run_sweep` did.

    Attributes:
        out: Sweep directory.
        n_runs: Runs in the whole sweep.
        n_ok: Successful runs on disk now.
        n_failed: Failed runs on disk now (details in ``failures.parquet``).
        n_resumed: Runs already on disk when this call started (skipped).
        n_executed: Runs executed by this call.
        seconds: Wall time of this call (s).
        run_seconds: Sum of the wall times of the runs executed by this call (s).
        stopped: The sweep stopped early (``fail_fast``), leaving runs undone.
        backend: Description of where the runs executed.
        warnings: Messages for the user (e.g. version changed since the sweep started).
    """

    out: Path
    n_runs: int
    n_ok: int = 0
    n_failed: int = 0
    n_resumed: int = 0
    n_executed: int = 0
    seconds: float = 0.0
    run_seconds: float = 0.0
    stopped: bool = False
    backend: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every run of the sweep is on disk (succeeded or failed)."""
        return self.n_ok + self.n_failed == self.n_runs

    def line(self) -> str:
        """One-line summary for the user."""
        if self.n_executed == 0:
            return (
                f"{self.out}: {self.n_ok}/{self.n_runs} runs ok, {self.n_failed} failed; nothing "
                f"left to run ({self.n_resumed} already done)"
            )
        rate = self.n_executed / self.seconds * 60 if self.seconds > 0 else 0.0
        text = (
            f"{self.out}: {self.n_ok}/{self.n_runs} runs ok, {self.n_failed} failed"
            f" ({self.n_executed} executed in {self.seconds:.1f} s, {rate:.0f} runs/min,"
            f" {self.n_resumed} already done; {self.backend})"
        )
        if self.stopped:
            text += "; stopped at the first failure (--fail-fast), continue with --resume"
        return text


def _named_objects(spec: SweepSpec, runner: str) -> list[Any]:
    """Every ``"module:name"`` the sweep runs: agent classes, reporters and the runner."""
    named: list[Any] = [runner, *spec.reporters]
    named += [v for k, v in spec.overrides.items() if k in CLASS_PARAMETERS]
    for name, varied in spec.vary.items():
        if name in CLASS_PARAMETERS and varied.levels is not None:
            named += varied.levels
    return named


def _progress(total: int, initial: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="run",
        disable=not enabled,
        file=sys.stderr,
        dynamic_ncols=True,
        smoothing=0.05,
        desc="sweep",
    )


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    fail_fast: bool = False,
    chunk_size: int | None = None,
    progress: bool = True,
    fsync: bool = False,
    runner: str = DEFAULT_RUNNER,
    spec_text: str | None = None,
    accept_changed_code: bool = False,
) -> SweepOutcome:
    """Run (or resume) a sweep into the directory ``out``.

    Args:
        spec: The validated sweep.
        out: Sweep directory; created if missing. It must be new or empty unless ``resume``.
        workers: Local worker processes (default: every core; 0: run in this process).
        scheduler: Address of a Dask scheduler (``tcp://HOST:PORT``) instead of a local pool.
        dask_local: Start a local Dask cluster with this many single-thread workers instead.
        resume: Continue the sweep already in ``out`` (refused if its spec differs); finished
            runs are kept and not redone. On a new or empty directory it simply starts.
        retry_failed: On resume, run failed runs again.
        fail_fast: Stop at the first failing run instead of recording it and going on.
        chunk_size: Runs per task (default: adaptive).
        progress: Show a progress bar (runs done, rate, ETA) on stderr.
        fsync: Flush each result to the disk before committing it (power-loss safety).
        runner: ``"module:function"`` called like :func:`socialabm.experiments.runner.run_model`.
        spec_text: The sweep file's text, copied into the directory for reference.
        accept_changed_code: On resume, go on although socialabm's code or a user module the
            spec names (agent class, reporter, runner) changed since the sweep started (a
            warning, recorded in the manifest); by default that is refused.

    While it runs, the sweep holds the lock of ``out`` (:mod:`socialabm.sweeps.lock`: one
    writer per directory) and ``SIGTERM``, a hang-up or the death of its ``uv run`` launcher
    stop it as Ctrl-C does (:mod:`socialabm.sweeps.stopping`): its workers are stopped, the
    finished runs stay on disk and the lock is released.

    Raises:
        SweepSpecError: a design point the model rejects, a runner or reporter that cannot be
            used, or an output name the runs do not produce (checked by a short test run).
        SweepStoreError: ``out`` holds another sweep, or resuming with a changed spec or changed
            user modules.
        SweepError: a worker process or the cluster failed (finished runs stay on disk).
        FolderLockedError: another process is writing into ``out`` (the message names it).
        MissingExtraError: a Dask option or a sampled design whose extra is not installed.
        KeyboardInterrupt: Ctrl-C, or :class:`~socialabm.sweeps.stopping.Stopped` (a
            ``KeyboardInterrupt``) for the other ways to be stopped; finished runs stay on disk.
    """
    started = time.perf_counter()
    out = Path(out).resolve()
    if scheduler is not None or dask_local is not None:  # before the directory is made
        require("distributed", DASK)
    with FolderLock(out) as lock, stop_on_signals() as stop:
        design = build_design(spec)
        keys = run_keys(spec, len(design.points))
        preflight(spec, design.points[0], keys[0].seed, runner)  # fails here, not once per run
        design_dict = {
            "points": design.points,
            "problem": design.problem,
            "matrix": None if design.matrix is None else design.matrix.tolist(),
        }
        design_dict, warnings = store.open_sweep_dir(
            out, spec.to_dict(), spec.spec_hash(), design_dict, runner, resume, spec_text,
            user_modules=module_hashes(user_modules(_named_objects(spec, runner))),
            accept_changed_code=accept_changed_code,
            rehash=lambda stored: SweepSpec.from_dict(stored).spec_hash(),
        )  # fmt: skip
        warnings = lock.warnings + warnings
        points: list[dict[str, Any]] = design_dict["points"]
        overrides = {k: lookup(k).coerce(v) for k, v in spec.overrides.items()}
        n_runs = len(points) * spec.replicates

        status = store.scan_parts(out, clean=True)
        skip = {i for i, s in status.items() if s == "ok" or not retry_failed}
        keys = sorted(keys, key=lambda k: (k.replicate, k.point))
        todo: deque[RunTask] = deque(  # replicate-major: early results cover every point
            (k.run_id, k.point, k.replicate, k.seed, points[k.point])
            for k in keys
            if k.run_id not in skip
        )
        result = SweepOutcome(out, n_runs, n_resumed=len(skip), warnings=warnings)
        for message in warnings:
            print(f"warning: {message}", file=sys.stderr)

        if todo:
            ctx = ChunkContext(
                runner=runner, overrides=overrides, steps=spec.steps, daily=spec.daily,
                collect_every=spec.collect_every, daily_columns=spec.daily_columns,
                out_dir=str(out), spec_hash=spec.spec_hash(), fail_fast=fail_fast, fsync=fsync,
                reporters=reporter_names(spec.reporters),
            )  # fmt: skip
            with stop.shielded():  # a worker cut off while starting would print a traceback
                backend = make_backend(workers, scheduler, dask_local)
            result.backend = backend.description
            try:
                _loop(backend, ctx, todo, out, result, chunk_size, fail_fast, progress)
            except BaseException:  # KeyboardInterrupt too: drop the chunks not started yet
                backend.close(cancel=True)
                raise
            backend.close()

        counts = store.consolidate(out, point_parameters(spec, points), list(spec.vary))
        result.n_ok, result.n_failed = counts["ok"], counts["failed"]
        result.seconds = time.perf_counter() - started
        store.write_json(out / "status.json", {
            "n_runs": n_runs, "ok": result.n_ok, "failed": result.n_failed,
            "missing": n_runs - result.n_ok - result.n_failed, "executed": result.n_executed,
            "resumed": result.n_resumed, "seconds": result.seconds,
            "run_seconds": result.run_seconds, "backend": result.backend,
            "stopped": result.stopped,
        })  # fmt: skip
        return result


def _loop(
    backend: Backend,
    ctx: ChunkContext,
    todo: deque[RunTask],
    out: Path,
    result: SweepOutcome,
    chunk_size: int | None,
    fail_fast: bool,
    progress: bool,
) -> None:
    """Keep ~2 chunks per worker in flight until ``todo`` is empty (or the first failure)."""
    pending: set[Any] = set()
    timed = 0  # runs with a measured duration

    def next_size() -> int:
        if chunk_size is not None:
            return max(1, chunk_size)
        if timed == 0:
            return 1
        mean = max(result.run_seconds / timed, 1e-6)
        target = round(TARGET_CHUNK_SECONDS / mean)
        tail = len(todo) // (backend.slots * 4)
        return max(1, min(target, tail, MAX_CHUNK))

    bar = _progress(result.n_runs, result.n_resumed, progress)
    try:
        while todo or pending:
            while todo and len(pending) < backend.window:
                n = next_size()
                tasks = [todo.popleft() for _ in range(min(n, len(todo)))]
                pending.add(backend.submit(ctx, tasks))
            for future in backend.wait(pending):
                pending.discard(future)
                try:
                    outcomes = backend.result(future)
                except Exception as err:
                    raise SweepError(
                        f"a worker failed ({type(err).__name__}: {err}); finished runs are "
                        f"saved in {out}, continue with --resume"
                    ) from err
                failed = 0
                for o in outcomes:
                    if o.record is not None:  # the worker could not see the directory
                        store.write_run(out, o.record, o.daily, fsync=ctx.fsync)
                    result.run_seconds += o.seconds
                    failed += not o.ok
                timed += len(outcomes)
                result.n_executed += len(outcomes)
                result.n_failed += failed
                bar.update(len(outcomes))
                if failed:
                    bar.set_postfix(failed=result.n_failed, refresh=False)
                if failed and fail_fast:
                    result.stopped = True
                    todo.clear()
    finally:
        bar.close()
