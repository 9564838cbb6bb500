"""Posterior predictive check: the patterns the calibrated model produces, against those observed.

Parameter sets are drawn from the posterior (weighted, with a generator seeded from the
calibration's seed) and each is simulated once with its own derived seed; as many runs are made
at the base scenario's parameters (the defaults) for comparison. For every target, fitted and
held out, the table gives the observation, the simulated mean, sd and 5-95% range under the
posterior and under the defaults, the mean standardised discrepancy and the share of runs that
meet the observation (inside an interval, or within one sd of a point).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from socialabm.calibration.patterns import Target
from socialabm.calibration.simulator import SEED_BOUND, run_outputs
from socialabm.calibration.spec import CalibrationSpec
from socialabm.references import reporter_names
from socialabm.sweeps.backends import Backend

__all__ = ["predictive_runs", "predictive_table"]

PREDICTIVE_STREAM = 7_919
"""Salt of the predictive check's seeds (kept apart from the fit's candidate seeds)."""


@dataclass(frozen=True)
class PredictiveContext:
    """What every predictive run shares: base parameters, outputs, days, reporters."""

    base: Mapping[str, Any]
    outputs: tuple[str, ...]
    steps: int | None
    reporters: Mapping[str, str]


def run_predictive(ctx: PredictiveContext, tasks: list[tuple[int, dict, int]]) -> list[dict]:
    """Run ``(index, proposal, seed)`` tasks (in a worker); one output row per task."""
    rows = []
    for index, proposal, seed in tasks:
        params = {**ctx.base, **proposal}
        rows.append({"run": index, **run_outputs(params, seed, ctx.outputs, ctx.steps,
                                                 ctx.reporters)})  # fmt: skip
    return rows


def predictive_runs(
    spec: CalibrationSpec, frame: pd.DataFrame, backend: Backend, n: int | None = None
) -> pd.DataFrame:
    """``n`` runs (default ``spec.predictive``) at posterior draws (``arm = "posterior"``) and as
    many at the base parameters (``arm = "default"``), outputs as columns."""
    n = spec.predictive if n is None else n
    rng = np.random.default_rng([spec.seed, PREDICTIVE_STREAM])
    picks = rng.choice(len(frame), size=n, p=frame["weight"].to_numpy())
    seeds = rng.integers(SEED_BOUND, size=n)
    names = list(spec.priors)
    draws = [{k: float(frame.loc[i, k]) for k in names} for i in picks]
    tasks = [(i, draws[i], int(seeds[i])) for i in range(n)]
    tasks += [(n + i, {}, int(seeds[i])) for i in range(n)]  # defaults: same seeds, paired
    ctx = PredictiveContext(dict(spec.base_parameters), tuple(spec.outputs), spec.steps,
                            reporter_names(spec.reporters))  # fmt: skip
    from socialabm.calibration.sampler import evaluate_in_chunks

    rows = evaluate_in_chunks(backend, ctx, tasks, run_predictive)
    table = pd.DataFrame(sorted(rows, key=lambda r: r["run"]))
    table["arm"] = np.where(table["run"] < n, "posterior", "default")
    for k in names:
        table[k] = [draws[r][k] if r < n else spec.base_parameters.get(k, np.nan)
                    for r in table["run"]]  # fmt: skip
    return table


def _meets(target: Target, values: np.ndarray) -> np.ndarray:
    if target.is_interval:
        return (values >= target.low) & (values <= target.high)
    return np.abs(values - target.value) <= target.sd


def predictive_table(spec: CalibrationSpec, runs: pd.DataFrame) -> pd.DataFrame:
    """One row per target: observation and, per arm, the simulated spread and agreement."""
    rows = []
    for role, targets in (("fitted", spec.targets), ("held out", spec.held_out_targets)):
        for target in targets:
            row: dict[str, Any] = {"output": target.output, "pattern": target.pattern,
                                   "role": role, "observed": target.describe()}  # fmt: skip
            for arm in ("posterior", "default"):
                values = runs.loc[runs["arm"] == arm, target.output].to_numpy(dtype=float)
                finite = values[np.isfinite(values)]
                d = np.array([target.discrepancy(v) for v in values])
                row |= {
                    f"{arm}_mean": float(finite.mean()) if finite.size else np.nan,
                    f"{arm}_sd": float(finite.std(ddof=1)) if finite.size > 1 else np.nan,
                    f"{arm}_p05": float(np.quantile(finite, 0.05)) if finite.size else np.nan,
                    f"{arm}_p95": float(np.quantile(finite, 0.95)) if finite.size else np.nan,
                    f"{arm}_discrepancy": float(np.mean(d[np.isfinite(d)])) if finite.size
                    else np.inf,
                    f"{arm}_meets": float(np.mean(_meets(target, values))),
                }  # fmt: skip
            rows.append(row)
    return pd.DataFrame(rows)
