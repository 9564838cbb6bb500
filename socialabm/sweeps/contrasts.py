"""Paired contrasts between the design points of a sweep run with common random numbers.

With ``seeds = "common"`` replicate ``k`` of every design point runs on the same seed, so two
points differ in their parameters only. The difference between two points is then estimated
from the per-replicate differences (a paired design): the noise the runs share cancels, and the
interval of the difference is narrower than the one two per-point intervals imply. Without
pairing, common seeds would gain the researcher nothing.

For every point but a base point (default: point 0) and every output: the mean of the
differences ``point - base`` over the replicates both have (failed runs drop out of the pair),
its two-sided 95% Student-t interval and p-value
(:func:`socialabm.experiments.stats.mean_interval`), the same p-value adjusted for every
contrast of the table (Holm, and Benjamini-Hochberg; :mod:`socialabm.experiments.adjust`), and,
to show what the pairing gained, the half-width of the paired interval beside the half-width of
the unpaired (Welch) interval of the same difference.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from socialabm.experiments.adjust import with_adjusted_p
from socialabm.experiments.stats import mean_interval
from socialabm.sweeps.data import AnalysisError

if TYPE_CHECKING:
    from socialabm.sweeps.data import SweepData

__all__ = ["paired_contrasts", "welch_half_width"]


def welch_half_width(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> float:
    """Half-width of the unpaired (Welch) t interval of ``mean(b) - mean(a)`` (NaN when either
    sample has fewer than two values)."""
    from scipy import stats

    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size < 2 or b.size < 2:
        return math.nan
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        return 0.0
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    return float(stats.t.ppf(0.5 + confidence / 2, df) * se)


def paired_contrasts(data: SweepData, outputs: list[str], base: int = 0) -> pd.DataFrame:
    """Every point against ``base``, paired by replicate (see the module doc).

    Args:
        data: A sweep run with ``seeds = "common"``.
        outputs: The outputs to contrast.
        base: The design point every other point is compared with.

    Returns:
        Long table: ``point``, ``base``, ``output``, ``n`` (pairs), ``diff`` (mean of ``point -
        base``), ``ci_low``, ``ci_high``, ``p_value``, ``p_holm``, ``p_bh``, ``paired_half``,
        ``unpaired_half``.

    Raises:
        AnalysisError: the sweep's seeds are independent (no pairs), or ``base`` is not a
            design point with successful runs.
    """
    if data.spec.seeds != "common":
        raise AnalysisError(
            f'paired contrasts need seeds = "common" (replicate k of every point on one seed); '
            f"{data.out} was run with seeds = {data.spec.seeds!r}"
        )
    runs = data.runs.set_index(["point", "replicate"]).sort_index()
    points = sorted(runs.index.get_level_values("point").unique())
    if base not in points:
        raise AnalysisError(
            f"--contrast-base {base}: not a design point with successful runs (points: "
            f"0 to {len(data.design['points']) - 1}, with runs: {len(points)})"
        )
    reference = runs.loc[base]
    rows = []
    for point in points:
        if point == base:
            continue
        other = runs.loc[point]
        pairs = reference.index.intersection(other.index)
        for name in outputs:
            a, b = reference[name].to_numpy(float), other[name].to_numpy(float)
            d = mean_interval(other.loc[pairs, name].to_numpy(float)
                              - reference.loc[pairs, name].to_numpy(float))  # fmt: skip
            rows.append({
                "point": point, "base": base, "output": name, "n": d.n, "diff": d.mean,
                "ci_low": d.low, "ci_high": d.high, "p_value": d.p_value,
                "paired_half": (d.high - d.low) / 2, "unpaired_half": welch_half_width(a, b),
            })  # fmt: skip
    columns = ["point", "base", "output", "n", "diff", "ci_low", "ci_high", "p_value"]
    table = pd.DataFrame(rows, columns=[*columns, "paired_half", "unpaired_half"])
    table = with_adjusted_p(table)
    return table[[*columns, "p_holm", "p_bh", "paired_half", "unpaired_half"]]
