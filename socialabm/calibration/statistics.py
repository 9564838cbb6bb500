"""Pattern statistics: numbers of a finished run that observed patterns can be compared with.

Each statistic is a function of the finished model returning a float (``nan`` when the run gives it
no meaning, e.g. shares of stock-out responses in a run without a stock-out). They are reporters in
the sense of :func:`socialabm.experiments.runner.run_model`, so a calibration asks for the ones its
targets name and gets them in the run summary; :data:`STATISTICS` lists them by name.

* Reviews (Hu, Zhang & Pavlou 2009; docs/ODD.md 7.10): ``posted_star_share_1`` ..
  ``posted_star_share_5`` and ``honest_star_share_1`` .. ``_5`` (shares of the posted reviews
  and of every owner's honest rating); ``j_five_lead`` (5-star share minus the largest other
  share: > 0 when 5 stars are most frequent), ``j_one_lead`` (1-star share minus the larger of
  the 2- and 3-star shares: > 0 when the J curls up at 1 star) and ``honest_balance`` (honest 4-5
  star share minus honest 1-2 star share: 0 for as many positive as negative ratings).
* Stock-outs (Gruen, Corsten & Bharadwaj 2002; ODD 7.12): ``stockout_share_switch``,
  ``_elsewhere``, ``_delay``, ``_give_up``: realised responses (the summary's ``stockout_*``
  counts) as shares of all stock-out encounters.
* Diffusion (Bass 1969): ``bass_imitation_ratio``, ``ln(1 + q/p)`` of a discrete Bass model
  fitted by bounded least squares to the daily number of consumers aware of a product (the
  model's awareness phase is the diffusion process that docs/validation.md checks against Bass).
  The ratio q/p does not depend on the unit of time, so the model's days compare with the years
  of published diffusion studies; ``1 +`` keeps it finite when the fit finds no imitation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["READ_DAILY", "STATISTICS", "bass_fit", "bass_recursion_curve", "statistic_names"]

STOCKOUT_RESPONSES = ("switch", "elsewhere", "delay", "give_up")
"""The model's stock-out responses, in the order of its ``stockout_*`` summary counts."""


def _shares(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    return counts / total if total > 0 else np.full(counts.shape, np.nan)


def _posted(model: Any) -> np.ndarray:
    return _shares(model.star_counts())


def _honest(model: Any) -> np.ndarray:
    return _shares(model.honest_star_counts())


def j_five_lead(model: Any) -> float:
    """5-star share of posted reviews minus the largest of the 1- to 4-star shares."""
    s = _posted(model)
    return float(s[4] - s[:4].max())


def j_one_lead(model: Any) -> float:
    """1-star share of posted reviews minus the larger of the 2- and 3-star shares."""
    s = _posted(model)
    return float(s[0] - max(s[1], s[2]))


def honest_balance(model: Any) -> float:
    """Share of honest ratings with 4-5 stars minus the share with 1-2 stars (all owners)."""
    s = _honest(model)
    return float(s[3] + s[4] - s[0] - s[1])


def bass_recursion_curve(p: float, q: float, m: float, start: float, days: int) -> np.ndarray:
    """Cumulative adopters of the discrete Bass model ``N_t = N_{t-1} + (p + q N_{t-1} / m)
    (m - N_{t-1})`` from ``N_0 = start`` over ``days`` days (``N_0`` included)."""
    curve = np.empty(days + 1)
    curve[0] = start
    for t in range(1, days + 1):
        n = curve[t - 1]
        curve[t] = n + (p + q * n / m) * max(m - n, 0.0)
    return curve


def bass_fit(adopters: np.ndarray) -> tuple[float, float, float]:
    """Fit the discrete Bass model to a cumulative adoption curve by bounded least squares.

    The curve starts where the data start (``N_0`` = the first value: the model's consumers
    aware on day one); ``p`` (innovation, per day) in [1e-6, 1], ``q`` (imitation, per day) in
    [0, 5] and the market ``m`` between the last value and 1.5 times it are chosen to minimise
    the squared differences of the cumulative counts.

    Args:
        adopters: Cumulative adopters at the end of each day (at least 5 days).

    Returns:
        ``(p, q, m)``; ``nan`` each when the curve is too short or does not grow.
    """
    from scipy.optimize import least_squares

    data = np.asarray(adopters, dtype=float)
    if data.size < 5 or data[-1] <= data[0]:
        return (np.nan, np.nan, np.nan)
    days = data.size - 1
    top = data[-1]

    def residuals(x: np.ndarray) -> np.ndarray:
        return (bass_recursion_curve(x[0], x[1], x[2], data[0], days) - data) / top

    start = np.array([0.01, 0.1, top * 1.05])
    fit = least_squares(
        residuals, start, bounds=([1e-6, 0.0, top], [1.0, 5.0, 1.5 * top]), method="trf"
    )
    p, q, m = fit.x
    return (float(p), float(q), float(m))


def bass_imitation_ratio(model: Any) -> float:
    """ln(1 + q/p) of the discrete Bass model fitted to the daily count of consumers aware."""
    p, q, _ = bass_fit(model.daily_frame()["aware"].to_numpy())
    return float(np.log1p(q / p)) if np.isfinite(p) else float("nan")


def _star_share(kind: str, k: int) -> Callable[[Any], float]:
    pick = _posted if kind == "posted" else _honest

    def share(model: Any) -> float:
        return float(pick(model)[k - 1])

    share.__name__ = f"{kind}_star_share_{k}"
    share.__doc__ = f"Share of {kind} ratings with {k} star{'s' * (k > 1)}."
    return share


def _stockout_share(response: str) -> Callable[[Any], float]:
    index = STOCKOUT_RESPONSES.index(response)

    def share(model: Any) -> float:
        totals = model.market.totals
        return float(_shares([totals[f"stockout_realised_{r}"] for r in STOCKOUT_RESPONSES])[index])

    share.__name__ = f"stockout_share_{response}"
    share.__doc__ = f"Realised '{response}' responses as a share of all stock-out encounters."
    return share


STATISTICS: dict[str, Callable[[Any], float]] = {
    "j_five_lead": j_five_lead,
    "j_one_lead": j_one_lead,
    "honest_balance": honest_balance,
    "bass_imitation_ratio": bass_imitation_ratio,
    **{f"{kind}_star_share_{k}": _star_share(kind, k) for kind in ("posted", "honest")
       for k in range(1, 6)},
    **{f"stockout_share_{r}": _stockout_share(r) for r in STOCKOUT_RESPONSES},
}  # fmt: skip
"""Every pattern statistic by name (each a function of the finished model)."""


READ_DAILY = frozenset({"bass_imitation_ratio"})
"""The statistics that read the run's daily series; the others read only the finished model's
state, so a run that needs none of these collects no daily series."""


def statistic_names() -> list[str]:
    """Names of :data:`STATISTICS`, sorted."""
    return sorted(STATISTICS)
