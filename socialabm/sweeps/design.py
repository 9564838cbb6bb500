"""Design points (grid, Latin hypercube, Sobol, Morris) and the seed of every run.

A design is a list of points, each a dict of the varied parameters' values. Sampled designs
draw in SALib's "problem" space, where a continuous range is itself, an integer range
``[low, high]`` is ``[low, high + 1)`` floored, and a list of ``k`` levels is ``[0, k)`` floored
to an index. The raw sample matrix is kept so SALib can compute sensitivity indices later.

Seeds: run ``(point, replicate)`` of a sweep with root seed ``r`` uses
``SeedSequence(r, spawn_key=(point, replicate))`` (the same as
``SeedSequence(r).spawn(...)[point].spawn(...)[replicate]``), reduced to a 63-bit integer. A run's
seed therefore depends on nothing but those three numbers: not on the worker count, the order in
which runs execute, the chunking or the backend. With ``seeds = "common"`` (common random
numbers) every point uses point 0's seeds: replicate ``k`` of each point gets
``run_seed(r, 0, k)``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from socialabm.extras import require
from socialabm.parameters import PARAMETERS, ParameterError, validate
from socialabm.sweeps.spec import SweepSpec, SweepSpecError, Varied

__all__ = ["Design", "RunKey", "build_design", "point_parameters", "run_keys", "run_seed"]

_DESIGN_STREAM = 2**32 - 1  # spawn key of the design sampler's own seed, apart from any point


@dataclass(frozen=True)
class RunKey:
    """Identity of one run: ``run_id = point * replicates + replicate``."""

    run_id: int
    point: int
    replicate: int
    seed: int


@dataclass
class Design:
    """The design points of a sweep.

    Attributes:
        points: Varied parameter values of each point (converted to the declared types).
        problem: SALib problem (names, bounds) for sampled designs; ``None`` for grids.
        matrix: SALib's raw sample, shape (points, varied parameters); ``None`` for grids.
    """

    points: list[dict[str, Any]]
    problem: dict[str, Any] | None = None
    matrix: np.ndarray | None = None


def run_seed(root: int, point: int, replicate: int) -> int:
    """Seed of run ``(point, replicate)`` of a sweep with root seed ``root`` (63-bit integer)."""
    state = np.random.SeedSequence(root, spawn_key=(point, replicate)).generate_state(2)
    return int((int(state[0]) << 32 | int(state[1])) & (2**63 - 1))


def run_keys(spec: SweepSpec, n_points: int) -> list[RunKey]:
    """Every run of the sweep, ordered by run id."""
    common = spec.seeds == "common"
    return [
        RunKey(p * spec.replicates + r, p, r, run_seed(spec.seed, 0 if common else p, r))
        for p in range(n_points)
        for r in range(spec.replicates)
    ]


def point_parameters(spec: SweepSpec, points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every parameter's value (validated, complete) at each design point."""
    return [validate({**spec.overrides, **p}) for p in points]


def _bounds(v: Varied) -> list[float]:
    if v.levels is not None:
        return [0.0, float(len(v.levels))]
    if PARAMETERS[v.name].type is int:
        return [float(v.low), float(v.high) + 1.0]
    return [float(v.low), float(v.high)]


def _decode(v: Varied, x: float) -> Any:
    """Value of ``v`` at problem-space coordinate ``x``."""
    if v.levels is not None:
        return v.levels[min(int(np.floor(x)), len(v.levels) - 1)]
    if PARAMETERS[v.name].type is int:
        return int(min(np.floor(x), v.high))
    return float(x)


def _sample(spec: SweepSpec, problem: dict[str, Any]) -> np.ndarray:
    seed = int(np.random.SeedSequence(spec.seed, spawn_key=(_DESIGN_STREAM,)).generate_state(1)[0])
    if spec.design == "lhs":
        from SALib.sample import latin

        return latin.sample(problem, spec.samples, seed=seed)
    if spec.design == "sobol":
        from SALib.sample import sobol

        return sobol.sample(
            problem, spec.samples, calc_second_order=spec.second_order, scramble=True, seed=seed
        )
    from SALib.sample import morris

    return morris.sample(problem, spec.samples, num_levels=spec.levels, seed=seed)


def build_design(spec: SweepSpec, check: bool = True) -> Design:
    """Build the design points of ``spec``.

    Args:
        spec: A validated sweep specification.
        check: Validate every point's complete parameter set (scenario + fixed + point) against
            the model's declaration, so impossible combinations fail before any run starts.

    Raises:
        SweepSpecError: a point whose parameters the model rejects (naming the point).
        MissingExtraError: a sampled design without SALib (the ``analysis`` extra).
    """
    varied = list(spec.vary.values())
    if spec.design != "grid":
        require("analysis", f"a {spec.design} design", ("SALib",))
    if spec.design == "grid":
        combos = itertools.product(*(v.levels for v in varied))
        design = Design([dict(zip(spec.vary, c, strict=True)) for c in combos])
    else:
        problem = {
            "num_vars": len(varied),
            "names": [v.name for v in varied],
            "bounds": [_bounds(v) for v in varied],
        }
        matrix = _sample(spec, problem)
        points = [
            {v.name: _decode(v, x) for v, x in zip(varied, row, strict=True)} for row in matrix
        ]
        design = Design(points, problem, matrix)
    if check:
        base = spec.overrides
        for i, point in enumerate(design.points):
            try:
                validate({**base, **point})
            except ParameterError as err:
                shown = ", ".join(f"{k}={v!r}" for k, v in point.items())
                raise SweepSpecError(f"{spec.source}: design point {i} ({shown}): {err}") from None
    return design
