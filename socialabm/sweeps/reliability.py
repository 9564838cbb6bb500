"""How far sensitivity indices can be trusted: consistency checks, the sample size that would
make them trustworthy, and the Sobol indices recomputed as the base sample grows.

Checks (per output, on the table of :func:`socialabm.sweeps.analyze.sensitivity`):

* a first-order index above the total one (``S1 > ST + 0.01``): impossible in theory, so it
  is estimation noise;
* an index negative even at the upper end of its 95% interval (``value + conf < 0``), or above
  1 even at its lower end (``value - conf > 1``);
* first-order indices summing above ``1 + 0.1``;
* a 95% half-width above :data:`TARGET_CONF`, or no interval at all.

Interval half-widths shrink like ``1 / sqrt(N)``, so the base sample that would bring the widest
one down to :data:`TARGET_CONF` is about ``N * (conf / TARGET_CONF)^2`` (rounded up to a power
of 2 for Sobol designs). Replicates average the model's own noise out of each point's mean;
they do not narrow these intervals, which come from the sampling of the parameter space.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["TARGET_CONF", "index_warnings", "sobol_convergence", "suggested_samples"]

TARGET_CONF = 0.05
"""95% half-width (index units) an index needs to be read with confidence."""
ORDER_TOL = 0.01
SUM_TOL = 0.1
MIN_CONVERGENCE_N = 4


def points_per_sample(design: str, n_params: int, second_order: bool) -> int:
    """Design points per unit of ``samples``: Sobol ``D + 2`` (``2D + 2`` with second order),
    Morris ``D + 1``, LHS 1."""
    if design == "sobol":
        return 2 * n_params + 2 if second_order else n_params + 2
    return n_params + 1 if design == "morris" else 1


def suggested_samples(samples: int, widest: float, power_of_two: bool) -> int:
    """Base sample size that would bring a 95% half-width of ``widest`` (at ``samples``) down
    to :data:`TARGET_CONF`; at least twice ``samples``."""
    if not math.isfinite(widest) or widest <= 0:
        needed = 4 * samples
    else:
        needed = max(2 * samples, math.ceil(samples * (widest / TARGET_CONF) ** 2))
    return 2 ** math.ceil(math.log2(needed)) if power_of_two else needed


def _problems(sub: pd.DataFrame) -> tuple[list[str], float]:
    """What is wrong with one output's indices, and the widest interval (NaN: none)."""
    wide = sub.pivot(index="parameter", columns="index", values="value")
    conf = sub.pivot(index="parameter", columns="index", values="conf")
    found = []
    if {"S1", "ST"} <= set(wide.columns):
        above = wide.index[wide["S1"] > wide["ST"] + ORDER_TOL].tolist()
        if above:
            found.append(f"S1 > ST for {', '.join(f'`{p}`' for p in above)}")
    half = conf.fillna(0.0)
    for problem, where in (
        ("negative beyond its 95% CI", wide + half < 0),
        ("above 1 beyond its 95% CI", wide - half > 1),
        ("no confidence interval", conf.isna()),
    ):
        named = [f"{k} of `{p}`" for k in wide.columns for p in wide.index if where.loc[p, k]]
        if named:
            found.append(f"{problem}: {', '.join(named)}")
    if "S1" in wide.columns and wide["S1"].sum() > 1 + SUM_TOL:
        found.append(f"the S1 sum to {wide['S1'].sum():.2f} (> 1)")
    widest = float(np.nanmax(conf.to_numpy(float))) if conf.notna().any().any() else math.nan
    if widest > TARGET_CONF:
        found.append(f"95% CI half-widths up to ±{widest:.2g}")
    return found, widest


def index_warnings(indices: pd.DataFrame, spec: Any) -> list[str]:
    """One warning per output whose Sobol or RBD-FAST indices fail a check (module doc), with
    the ``samples`` that would fix it. Morris screening measures are not checked."""
    if indices.empty:
        return []
    lines = []
    per_sample = points_per_sample(spec.design, len(spec.vary), spec.second_order)
    for output, sub in indices.groupby("output", sort=False):
        if sub["method"].iloc[0] not in ("sobol", "rbd_fast"):
            continue
        found, widest = _problems(sub)
        if not found:
            continue
        n = suggested_samples(spec.samples, widest, power_of_two=spec.design == "sobol")
        lines.append(
            f"**{output}**: not trustworthy at `samples = {spec.samples}`: {'; '.join(found)}. "
            f"About `samples = {n}` ({n * per_sample} design points) would bring the "
            f"intervals to ±{TARGET_CONF}."
        )
    return lines


def sobol_convergence(
    problem: dict[str, Any], y: np.ndarray, samples: int, second_order: bool, seed: int
) -> pd.DataFrame:
    """Sobol indices from the first ``n`` base samples, for ``n`` = 4, 8, ... up to ``samples``.

    The Saltelli sample is a sequence of blocks, one per base sample, and a prefix of a
    scrambled Sobol' sequence of power-of-2 length is itself balanced, so each prefix is a
    valid smaller design.

    Args:
        problem: SALib problem of the sweep.
        y: Per-point means of one output, in design order.
        samples: The sweep's base sample size ``N``.
        second_order: Whether the design samples second-order indices.
        seed: Seed of the bootstrap.

    Returns:
        Long table: n, parameter, index (``S1``, ``ST``), value, conf.
    """
    from SALib.analyze import sobol

    block = points_per_sample("sobol", problem["num_vars"], second_order)
    rows = []
    n = min(MIN_CONVERGENCE_N, samples)
    while n <= samples:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sobol.analyze(problem, y[: n * block], calc_second_order=second_order, seed=seed)
        for i, param in enumerate(problem["names"]):
            for key in ("S1", "ST"):
                rows.append({
                    "n": n, "parameter": param, "index": key,
                    "value": float(res[key][i]), "conf": float(res[f"{key}_conf"][i]),
                })  # fmt: skip
        n *= 2
    return pd.DataFrame(rows)
