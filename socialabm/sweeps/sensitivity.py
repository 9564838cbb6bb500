"""Sensitivity indices of a sweep and how far they can be trusted.

On the per-point mean over replicates (so replicate noise is averaged first): Sobol first and
total order indices for ``sobol`` designs, Morris ``mu*`` and ``sigma`` for ``morris`` designs,
RBD-FAST first-order indices for ``lhs`` designs (all through SALib, with bootstrap 95%
confidence half-widths). Grids get none: their plots show the effects. Indices that fail a
consistency check or have wide intervals get a warning with the sample size that would fix them,
and Sobol indices are recomputed on growing prefixes of the sample (convergence;
:mod:`socialabm.sweeps.reliability`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from socialabm.sweeps.data import SweepData
from socialabm.sweeps.reliability import index_warnings, sobol_convergence
from socialabm.sweeps.spec import SweepSpec

__all__ = ["Sensitivity", "sensitivity"]


def _point_means(data: SweepData, name: str) -> np.ndarray | None:
    """Mean of ``name`` per design point in point order; ``None`` if a point has no run."""
    means = data.runs.groupby("point")[name].mean()
    n_points = len(data.design["points"])
    if len(means) != n_points or means.isna().any():
        return None
    return means.reindex(range(n_points)).to_numpy(float)


@dataclass
class Sensitivity:
    """Sensitivity indices of a sweep and how far they can be trusted.

    Attributes:
        indices: Long table: output, parameter, method, index (``S1``, ``ST``, ``mu_star``,
            ``sigma``), value, conf (95% half-width; NaN when none could be computed).
        notes: What could not be done (grid design, constant outputs, ...).
        warnings: Outputs whose indices fail a consistency check or have wide intervals, with
            the sample size that would fix them (see :mod:`socialabm.sweeps.reliability`).
        convergence: Sobol designs: the indices from the first n base samples as n grows
            (output, n, parameter, index, value, conf); empty otherwise.
    """

    indices: pd.DataFrame
    notes: list[str]
    warnings: list[str] = field(default_factory=list)
    convergence: pd.DataFrame = field(default_factory=pd.DataFrame)


def sensitivity(data: SweepData, outputs: list[str]) -> Sensitivity:
    """Sensitivity indices of each output, their checks and (Sobol) their convergence."""
    design = data.spec.design
    notes: list[str] = []
    if design == "grid":
        return Sensitivity(pd.DataFrame(), ["grid design: no sensitivity indices (see the plots)"])
    problem = data.design["problem"]
    matrix = np.asarray(data.design["matrix"], dtype=float)
    rows = []
    steps = []
    for name in outputs:
        y = _point_means(data, name)
        if y is None:
            notes.append(f"{name}: some design points have no successful run; no indices")
            continue
        if np.nanstd(y) == 0:
            notes.append(f"{name}: constant across the design; no indices")
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rows.extend(_indices(design, problem, matrix, y, data.spec, name))
        except Exception as err:  # noqa: BLE001 - SALib's errors become a note in the report
            notes.append(f"{name}: {design} analysis failed ({type(err).__name__}: {err})")
            continue
        if design == "sobol":
            spec = data.spec
            steps.append(
                sobol_convergence(problem, y, spec.samples, spec.second_order, spec.seed).assign(
                    output=name
                )
            )
    indices = pd.DataFrame(rows)
    convergence = pd.concat(steps, ignore_index=True) if steps else pd.DataFrame()
    return Sensitivity(indices, notes, index_warnings(indices, data.spec), convergence)


def _indices(
    design: str, problem: dict[str, Any], x: np.ndarray, y: np.ndarray, spec: SweepSpec, name: str
) -> list[dict[str, Any]]:
    seed = spec.seed
    names = problem["names"]
    if design == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=spec.second_order, seed=seed)
        pairs = [("S1", "S1_conf"), ("ST", "ST_conf")]
        method = "sobol"
    elif design == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, x, y, num_levels=spec.levels, seed=seed)
        pairs = [("mu_star", "mu_star_conf"), ("sigma", None)]
        method = "morris"
    else:
        from SALib.analyze import rbd_fast

        # the bootstrap resamples half the points; with M harmonics of such a resample of
        # N/2 points, 2M must stay well below N/2 or every index comes out 1 with conf 0
        harmonics = max(1, min(10, len(y) // 8))
        res = rbd_fast.analyze(problem, x, y, M=harmonics, seed=seed)
        pairs = [("S1", "S1_conf")]
        method = "rbd_fast"
    rows = []
    for i, param in enumerate(names):
        for key, conf in pairs:
            half = float(np.asarray(res[conf])[i]) if conf else float("nan")
            rows.append({
                "output": name, "parameter": param, "method": method, "index": key,
                "value": float(np.asarray(res[key])[i]),
                "conf": half if half > 0 else float("nan"),  # 0: degenerate, no interval
            })  # fmt: skip
    return rows
