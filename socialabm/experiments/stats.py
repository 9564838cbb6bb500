"""Small statistics shared by paired comparisons, claims and sweep analyses."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Interval:
    """A mean with its two-sided t confidence interval.

    Attributes:
        mean: Mean of the finite values (NaN when there are none).
        low, high: Interval bounds (equal to the mean when it has no spread or one value).
        n: Number of finite values used.
        p_value: Two-sided p-value of the t test of mean 0 (1 when every value is 0).
    """

    mean: float
    low: float
    high: float
    n: int
    p_value: float

    def excludes_zero(self) -> bool:
        """Whether the interval lies entirely above or entirely below 0."""
        return self.low > 0 or self.high < 0

    def contains_zero(self) -> bool:
        """Whether 0 lies inside the interval (bounds included)."""
        return not self.excludes_zero()


def mean_interval(values: np.ndarray | list[float], confidence: float = 0.95) -> Interval:
    """Mean of the finite ``values`` and its two-sided Student-t interval.

    Args:
        values: Observations (for a paired design: the per-pair differences); NaN and infinite
            entries are dropped.
        confidence: Level of the interval, in (0, 1).

    Returns:
        The :class:`Interval`. With fewer than two values, or no spread, the interval has zero
        width and the p-value is 1 when the mean is 0, else 0.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence {confidence!r}: allowed: a number in (0, 1)")
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        nan = float("nan")
        return Interval(nan, nan, nan, 0, nan)
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else 0.0
    if n < 2 or sd == 0:
        return Interval(mean, mean, mean, n, 1.0 if mean == 0 else 0.0)
    from scipy import stats  # imported on first use: scipy.stats takes seconds to import

    se = sd / math.sqrt(n)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
    p_value = float(2 * stats.t.sf(abs(mean) / se, n - 1))
    return Interval(mean, mean - half, mean + half, n, p_value)
