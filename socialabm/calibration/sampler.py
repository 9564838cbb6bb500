"""A pyabc sampler whose generations do not depend on timing, worker count or backend.

pyabc's own parallel samplers take whichever particles finish first and reseed their workers
from the operating system, so two runs of one calibration differ. This sampler numbers the
candidates of each generation 0, 1, 2, ... and, before evaluating candidate ``i`` of generation
``t``, seeds numpy's and Python's global generators from ``(seed, t, i)``: the proposal drawn,
the run's seed and so the candidate's distance are functions of those three numbers alone. A
generation keeps the candidates 0..k, where k is the candidate that brought the number of
accepted ones to the population size, exactly as a single process evaluating them in order
would. Candidates run in chunks on a backend of :mod:`socialabm.sweeps.backends` (in this
process, a local process pool, or a Dask cluster), several chunks in flight; chunks started
beyond candidate k are dropped.

So a calibration rerun with the same seed reproduces its posterior on any backend, and a
calibration resumed after a crash redoes the unfinished generation exactly.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyabc.sampler import Sampler

from socialabm.sweeps.backends import Backend

__all__ = [
    "WORKER_MODULES",
    "DeterministicSampler",
    "candidate_seed",
    "evaluate_candidates",
    "evaluate_in_chunks",
]

WORKER_MODULES = (
    "cloudpickle",
    "socialabm.calibration.sampler",  # pyabc with it
    "socialabm.calibration.simulator",
    "socialabm.calibration.statistics",
    "socialabm.calibration.distance",
    "socialabm.calibration.predictive",
)
"""What a worker imports to evaluate candidates besides the model (``preload`` of
:func:`socialabm.sweeps.backends.make_backend`): a pool imports them once for all its workers."""


def candidate_seed(seed: int, t: int, index: int) -> int:
    """The seed of candidate ``index`` of generation ``t`` (t = -1: the prior sample that
    calibrates the first tolerance) of a calibration with root ``seed``."""
    return int(np.random.SeedSequence([seed, t + 1, index]).generate_state(1)[0])


@dataclass(frozen=True)
class GenerationContext:
    """What every chunk of one generation shares.

    Attributes:
        simulate: pyabc's ``simulate_one`` of the generation, pickled with cloudpickle.
        seed: Root seed of the calibration.
        t: Generation index.
        token: Identifies the generation within this process (cache key of workers).
    """

    simulate: bytes
    seed: int
    t: int
    token: str


_CACHE: dict[str, Callable[[], Any]] = {}


def evaluate_candidates(ctx: GenerationContext, indices: list[int]) -> list[tuple[int, Any]]:
    """Evaluate candidates ``indices`` of a generation (in a worker); return ``(index,
    particle)`` pairs. The unpickled ``simulate_one`` is kept for the generation's next chunks."""
    if ctx.token not in _CACHE:
        import cloudpickle

        _CACHE.clear()
        _CACHE[ctx.token] = cloudpickle.loads(ctx.simulate)
    simulate = _CACHE[ctx.token]
    out = []
    for index in indices:
        state = candidate_seed(ctx.seed, ctx.t, index)
        np.random.seed(state)  # noqa: NPY002 - pyabc draws proposals from the global state
        random.seed(state)
        out.append((index, simulate()))
    return out


class DeterministicSampler(Sampler):
    """Evaluate numbered candidates on a backend and keep them in candidate order.

    Args:
        backend: Where chunks run (:func:`socialabm.sweeps.backends.make_backend`).
        seed: Root seed of the calibration.
        chunk: Candidates per task (default: about one per worker slot per in-flight task).
        progress: Called as ``progress(t, accepted, evaluated, wanted)`` as chunks finish.
    """

    def __init__(
        self,
        backend: Backend,
        seed: int,
        chunk: int | None = None,
        progress: Callable[[int, int, int, int], None] | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.seed = int(seed)
        self.chunk = chunk
        self.progress = progress
        self.launched = 0
        """Candidates evaluated in all, those dropped after a generation filled included."""
        self._ctx: GenerationContext | None = None

    def _chunk_size(self, n: int) -> int:
        if self.chunk is not None:
            return max(1, self.chunk)
        return max(1, min(8, n // (4 * max(1, self.backend.slots))))

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):
        import cloudpickle

        ctx = GenerationContext(
            cloudpickle.dumps(simulate_one), self.seed, t, f"{id(self)}-{t}-{time.time_ns()}"
        )
        self._ctx = ctx  # kept alive: the Dask backend scatters a context per object id
        size = self._chunk_size(n)
        limit = int(min(max_eval, 2**62))
        results: dict[int, Any] = {}
        pending: dict[Any, int] = {}
        accepted: list[int] = []
        next_index = 0
        while True:
            enough = len(accepted) >= n
            cut = sorted(accepted)[n - 1] if enough else None
            if enough and all(i in results for i in range(cut + 1)):
                break
            while not enough and next_index < limit and len(pending) < self.backend.window:
                indices = list(range(next_index, min(next_index + size, limit)))
                pending[self.backend.submit(ctx, indices, run=evaluate_candidates)] = indices[0]
                next_index = indices[-1] + 1
            if not pending:
                break  # the budget ran out before n were accepted
            waiting = [f for f, first in pending.items() if cut is None or first <= cut]
            for future in self.backend.wait(waiting or list(pending)):
                pending.pop(future)
                for index, particle in self.backend.result(future):
                    results[index] = particle
                    self.launched += 1
                    if particle.accepted:
                        accepted.append(index)
            if self.progress is not None:
                self.progress(t, min(len(accepted), n), len(results), n)
        for future in pending:  # started beyond the last kept candidate
            future.cancel()
        sample = self._create_empty_sample()
        kept = sorted(results) if cut is None else range(cut + 1)
        for index in kept:
            sample.append(results[index])
        self.nr_evaluations_ = len(kept)
        if sample.n_accepted < n:
            sample.ok = False
        return sample


def evaluate_in_chunks(
    backend: Backend, ctx: Any, tasks: list[Any], run: Callable[[Any, list[Any]], list[Any]]
) -> list[Any]:
    """Run every task on ``backend`` (chunks of about a quarter of the tasks per worker slot, a
    window of them in flight) and return all results, in no particular order."""
    size = max(1, len(tasks) // (4 * max(1, backend.slots)))
    chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    pending: set[Any] = set()
    results: list[Any] = []
    while chunks or pending:
        while chunks and len(pending) < backend.window:
            pending.add(backend.submit(ctx, chunks.pop(0), run=run))
        for future in backend.wait(list(pending)):
            pending.discard(future)
            results.extend(backend.result(future))
    return results
