"""Run (or resume) a calibration into a directory, then write its results.

The directory holds ``spec.toml`` (the file as given), ``manifest.json`` (spec hash, seed,
versions), ``history.db`` (pyabc's SQLite history, one transaction per finished generation) and,
once the fit is done, ``status.json`` and the results of :mod:`socialabm.calibration.results`
and :mod:`socialabm.calibration.report`. A killed calibration continues with ``resume=True``
from its last finished generation; the unfinished one is redone exactly (same candidates, same
seeds), so the posterior equals an uninterrupted run's.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from socialabm.calibration.spec import CalibrationSpec

__all__ = ["CalibrationError", "CalibrationOutcome", "calibrate"]


class CalibrationError(ValueError):
    """The output directory cannot be used (another calibration, a changed spec...)."""


@dataclass
class CalibrationOutcome:
    """What a call of :func:`calibrate` did.

    Attributes:
        out: Calibration directory.
        generations: Finished generations in the history.
        simulations: Simulations the kept generations used (pyabc's count: deterministic).
        evaluated: Simulations this call evaluated, those dropped at a generation's end included.
        seconds: Wall time of this call (s).
        resumed_from: Generations already finished when this call started.
        backend: Where the simulations ran.
        files: Result files written, by what they hold.
    """

    out: Path
    generations: int = 0
    simulations: int = 0
    evaluated: int = 0
    seconds: float = 0.0
    resumed_from: int = 0
    backend: str = ""
    files: dict[str, Path] = field(default_factory=dict)

    def line(self) -> str:
        """One-line summary for the user."""
        return (
            f"{self.out}: {self.generations} generations, {self.simulations} simulations kept "
            "(with the prior sample) "
            f"({self.evaluated} evaluated by this call in {self.seconds:.1f} s; resumed after "
            f"{self.resumed_from} finished generations; {self.backend})"
        )


def _manifest(spec: CalibrationSpec) -> dict[str, Any]:
    from socialabm import provenance

    return {
        "kind": "socialabm calibration",
        "name": spec.name,
        "spec_hash": spec.spec_hash(),
        "seed": spec.seed,
        "parameters": {k: p.to_dict() for k, p in spec.priors.items()},
        "package_version": provenance.package_version(),
        "code_hash": provenance.code_hash(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _open(out: Path, spec: CalibrationSpec, resume: bool, spec_text: str | None) -> int:
    """Prepare ``out``; return the generations already finished there."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        stored = json.loads(manifest_path.read_text(encoding="utf-8"))
        if stored.get("kind") != "socialabm calibration":
            raise CalibrationError(f"{out} holds something else than a calibration")
        if not resume:
            raise CalibrationError(
                f"{out} already holds a calibration; continue it with --resume or choose a new "
                "directory"
            )
        if stored.get("spec_hash") != spec.spec_hash():
            raise CalibrationError(
                f"{out} holds a calibration of another spec (the spec, its scenario or a pattern "
                "file changed); start a new directory"
            )
        return _finished_generations(out / "history.db")
    if out.exists() and any(out.iterdir()):
        raise CalibrationError(f"{out} is not empty and holds no calibration; choose a new one")
    out.mkdir(parents=True, exist_ok=True)
    if spec_text is None and Path(spec.source).is_file():
        spec_text = Path(spec.source).read_text(encoding="utf-8")
    if spec_text is not None:
        (out / "spec.toml").write_text(spec_text, encoding="utf-8")
    manifest_path.write_text(json.dumps(_manifest(spec), indent=1) + "\n", encoding="utf-8")
    return 0


def _finished_generations(database: Path) -> int:
    if not database.exists():
        return 0
    import sqlite3

    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        (top,) = db.execute("SELECT MAX(t) FROM populations").fetchone()
    return 0 if top is None else max(int(top) + 1, 0)


class _Progress:
    """One line per generation on stderr (a tqdm bar of accepted particles while it fills)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.t: int | None = None

    def __call__(self, t: int, accepted: int, evaluated: int, wanted: int) -> None:
        if not self.enabled:
            return
        if t != self.t:
            self.close()
            from tqdm import tqdm

            label = "prior sample" if t < 0 else f"generation {t}"
            self.bar = tqdm(total=wanted, desc=label, unit="particle", file=sys.stderr,
                            leave=True, dynamic_ncols=True, mininterval=0.5)  # fmt: skip
            self.t = t
        self.bar.set_postfix(evaluated=evaluated, refresh=False)
        self.bar.update(accepted - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def calibrate(
    spec: CalibrationSpec,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    progress: bool = True,
    spec_text: str | None = None,
    chunk: int | None = None,
    write_results: bool = True,
    backend: Any = None,
) -> CalibrationOutcome:
    """Run (or resume) the calibration ``spec`` into the directory ``out``.

    Args:
        spec: The validated calibration.
        out: Calibration directory: new or empty, or an earlier one of the same spec with
            ``resume``.
        workers: Local worker processes (default: every core; 0: in this process).
        scheduler: Address of a Dask scheduler (``tcp://HOST:PORT``) instead of a local pool.
        dask_local: Start a local Dask cluster with this many workers instead.
        resume: Continue the calibration in ``out`` from its last finished generation.
        progress: Show progress on stderr.
        spec_text: The calibration file's text, copied into the directory (default: the file
            the spec was read from, if any).
        chunk: Candidates per task (default: adaptive to the population and worker count).
        write_results: Write posterior, summaries, plots, predictive check and report.
        backend: A backend of :mod:`socialabm.sweeps.backends` to use (and leave open) instead
            of one made from ``workers``/``scheduler``/``dask_local``.

    Raises:
        CalibrationError: ``out`` holds something else, or a calibration of another spec.
    """
    from socialabm.calibration.adapter import run_abc
    from socialabm.calibration.sampler import WORKER_MODULES, DeterministicSampler
    from socialabm.sweeps.backends import make_backend

    started = time.perf_counter()
    out = Path(out).resolve()
    done = _open(out, spec, resume, spec_text)
    outcome = CalibrationOutcome(out, resumed_from=done)
    status_path = out / "status.json"
    finished = status_path.exists() and json.loads(status_path.read_text())["finished"]
    own = backend is None
    backend = make_backend(workers, scheduler, dask_local, WORKER_MODULES) if own else backend
    outcome.backend = backend.description
    bar = _Progress(progress)
    try:
        sampler = DeterministicSampler(backend, spec.seed, chunk=chunk, progress=bar)
        if not finished:
            history = run_abc(spec, out / "history.db", sampler)
            outcome.evaluated = sampler.launched
        else:
            from socialabm.calibration.results import load_history

            history = load_history(out)
        bar.close()
        outcome.generations = history.max_t + 1
        outcome.simulations = int(history.total_nr_simulations)
        status = {"finished": True, "generations": outcome.generations,
                  "simulations": outcome.simulations}  # fmt: skip
        status_path.write_text(json.dumps(status, indent=1) + "\n", encoding="utf-8")
        if write_results:
            from socialabm.calibration.report import write_all

            outcome.files = write_all(spec, out, history, backend, progress=progress)
    except BaseException:
        bar.close()
        if own:
            backend.close(cancel=True)
        raise
    if own:
        backend.close()
    outcome.seconds = time.perf_counter() - started
    return outcome
