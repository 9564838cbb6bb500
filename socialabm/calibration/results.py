"""The posterior read from a calibration's history, and what it says about each parameter.

* :func:`posterior` -- the last generation's particles: one row each, the fitted parameters and
  the normalised importance ``weight``.
* :func:`summaries` -- per parameter the weighted mean, median and 90% credible interval (5% and
  95% weighted quantiles), the prior's 90% interval, and ``narrowing``: the posterior interval's
  width over the prior's (in log for a log-uniform prior). A parameter whose narrowing stays
  near 1 is not identified by the patterns (:data:`IDENTIFIED_BELOW` draws the line).
* :func:`generations` -- per generation the tolerance, simulations, acceptance rate and
  effective sample size (ESS = 1 / sum of squared normalised weights).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from socialabm.calibration.spec import CalibrationSpec

__all__ = [
    "IDENTIFIED_BELOW",
    "effective_sample_size",
    "generations",
    "load_history",
    "posterior",
    "summaries",
    "weighted_quantile",
]

IDENTIFIED_BELOW = 0.5
"""A parameter counts as identified when its posterior 90% interval is narrower than this share
of its prior's."""
LEVEL = 0.90
"""Credible level of the reported intervals."""


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float | np.ndarray) -> Any:
    """Quantile ``q`` of ``values`` under normalised ``weights`` (inverse of the weighted CDF,
    interpolated between the midpoints of the sorted particles' weights)."""
    order = np.argsort(values)
    v, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cdf, v)


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of importance weights: ``(sum w)^2 / sum w^2``."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum())


def load_history(out: str | Path) -> Any:
    """The pyabc ``History`` of the calibration directory ``out`` (its ``history.db``)."""
    from pyabc import History

    return History(f"sqlite:///{Path(out) / 'history.db'}", _id=1)


def posterior(history: Any, t: int | None = None) -> pd.DataFrame:
    """Particles of generation ``t`` (default: the last): parameter columns on the parameters'
    own scale (a log-uniform one is fitted as its log) and ``weight``."""
    from socialabm.calibration.simulator import natural_scale

    frame, weights = history.get_distribution(m=0, t=t)
    frame = pd.DataFrame(natural_scale(frame.reset_index(drop=True).to_dict("series")))
    frame["weight"] = np.asarray(weights, dtype=float) / np.sum(weights)
    return frame


def summaries(spec: CalibrationSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per fitted parameter (see the module doc); ``default`` is the base scenario's
    value (the model default unless the scenario or ``[fixed]`` sets it)."""
    from socialabm.parameters import PARAMETERS

    tail = (1 - LEVEL) / 2
    rows = []
    for name, prior in spec.priors.items():
        values, w = frame[name].to_numpy(), frame["weight"].to_numpy()
        low, median, high = weighted_quantile(values, w, [tail, 0.5, 1 - tail])
        p_low, p_high = prior.frozen().ppf([tail, 1 - tail])
        if prior.kind == "loguniform":  # widths on the prior's own (log) scale
            narrowing = np.log(high / low) / np.log(p_high / p_low)
        else:
            narrowing = (high - low) / (p_high - p_low)
        rows.append({
            "parameter": name,
            "default": spec.base_parameters.get(name, PARAMETERS[name].default),
            "mean": float(np.sum(values * w)),
            "median": float(median),
            "ci_low": float(low),
            "ci_high": float(high),
            "prior": prior.kind,
            "prior_low": prior.low,
            "prior_high": prior.high,
            "prior_ci_low": float(p_low),
            "prior_ci_high": float(p_high),
            "narrowing": float(narrowing),
            "identified": bool(narrowing < IDENTIFIED_BELOW),
        })  # fmt: skip
    return pd.DataFrame(rows)


def generations(history: Any) -> pd.DataFrame:
    """One row per finished generation: ``t``, ``epsilon``, ``simulations``, ``acceptance``,
    ``ess``."""
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    rows = []
    for row in pops.itertuples():
        _, w = history.get_distribution(m=0, t=int(row.t))
        rows.append({
            "t": int(row.t),
            "epsilon": float(row.epsilon),
            "simulations": int(row.samples),
            "acceptance": float(row.particles / row.samples),
            "ess": effective_sample_size(w),
        })  # fmt: skip
    return pd.DataFrame(rows)
