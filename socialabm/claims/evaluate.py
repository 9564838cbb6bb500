"""Verdicts of claims from their paired runs.

For each claim and output, over seeds s with all four arms finite:

* effect ``d_s = B_s - A_s`` (the mechanism switched from A to B);
* ablated effect ``e_s = B'_s - A'_s`` (the same switch with the pathway cut in both arms);
* reduction ``d_s - e_s`` (how much of the effect the ablation removed).

Each gets a mean and a paired two-sided 95% t interval (common random numbers: the four arms share
seed s). For an expected direction ``up`` (``down`` mirrored):

* **holds** -- the effect interval lies above 0, and the ablated effect's interval contains 0 or
  the reduction's interval lies above 0 (the ablation removes the effect, or most of it);
* **fails** -- the effect is significant in the wrong direction, or significant in the expected
  direction while the ablation leaves it (the mechanism is not what causes it);
* **null** -- the effect interval contains 0.

For ``none`` (no effect expected) the claim holds when the effect interval contains 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from socialabm.claims.execute import ArmRuns
from socialabm.claims.registry import Claim
from socialabm.experiments.stats import Interval, mean_interval

__all__ = ["COLUMNS", "VERDICTS", "evaluate", "verdict"]

VERDICTS = ("holds", "fails", "null")
"""The verdicts of a claim's row (:func:`verdict`)."""

COLUMNS = (
    "claim", "section", "output", "expect", "mean_a", "mean_b", "effect", "effect_low",
    "effect_high", "ablated", "ablated_low", "ablated_high", "reduction_low", "reduction_high",
    "verdict", "why", "seeds",
)  # fmt: skip
"""Columns of the claims table (one row per claim and output)."""


def verdict(
    expect: str, effect: Interval, ablated: Interval, reduction: Interval
) -> tuple[str, str]:
    """The verdict for one output and a short reason (see the module docstring)."""
    if effect.n < 2:
        return "null", "fewer than two seeds with finite values"
    if expect == "none":
        if effect.contains_zero():
            return "holds", "no significant effect, as expected"
        return "fails", "significant effect where none is expected"
    sign = 1.0 if expect == "up" else -1.0
    low, high = sorted((sign * effect.low, sign * effect.high))
    if high < 0:
        return "fails", "significant effect in the opposite direction"
    if low <= 0:
        return "null", "effect not significant"
    red_low = min(sign * reduction.low, sign * reduction.high)
    if ablated.contains_zero():
        return "holds", "ablation removes the effect"
    if red_low > 0:
        return "holds", "ablation significantly reduces the effect"
    return "fails", "ablation leaves the effect"


def evaluate(claims: Sequence[Claim], runs: ArmRuns, confidence: float = 0.95) -> pd.DataFrame:
    """The claims table: one row per claim and output, columns :data:`COLUMNS`."""
    rows = []
    for claim in claims:
        arms = runs[claim.id]
        for output, expect in claim.expect.items():
            values = {arm: arms[arm][output].to_numpy(dtype=float) for arm in arms}
            finite = np.all([np.isfinite(v) for v in values.values()], axis=0)
            a, b = values["a"][finite], values["b"][finite]
            a_abl, b_abl = values["a_ablated"][finite], values["b_ablated"][finite]
            effect = mean_interval(b - a, confidence)
            ablated = mean_interval(b_abl - a_abl, confidence)
            reduction = mean_interval((b - a) - (b_abl - a_abl), confidence)
            result, why = verdict(expect, effect, ablated, reduction)
            rows.append(
                {
                    "claim": claim.id,
                    "section": claim.section,
                    "output": output,
                    "expect": expect,
                    "mean_a": float(a.mean()) if a.size else float("nan"),
                    "mean_b": float(b.mean()) if b.size else float("nan"),
                    "effect": effect.mean,
                    "effect_low": effect.low,
                    "effect_high": effect.high,
                    "ablated": ablated.mean,
                    "ablated_low": ablated.low,
                    "ablated_high": ablated.high,
                    "reduction_low": reduction.low,
                    "reduction_high": reduction.high,
                    "verdict": result,
                    "why": why,
                    "seeds": int(finite.sum()),
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))
