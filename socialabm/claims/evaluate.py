"""Verdicts of claims from their paired runs, with their power and knock-outs.

For each claim and output, over seeds s with all arms finite:

* effect ``d_s = B_s - A_s`` (the mechanism switched from A to B);
* ablated effect ``e_s = B'_s - A'_s`` (the same switch with the pathway cut by parameters in both
  arms);
* reduction ``d_s - e_s`` (how much of the effect the ablation removed);
* knocked-out effect ``k_s = B^k_s - A^k_s`` (the same switch with the pathway's code replaced by
  a neutral one in both arms), when the knock-out was run.

For an interaction claim (a moderator at two levels, :mod:`socialabm.claims.registry`), every
difference above is a difference in differences: ``d_s = (B_s - A_s) - (B_low_s - A_low_s)``,
and so on for the ablated and knocked-out arms; ``mean_a`` and ``mean_b`` of the table are then
the mean effect of switching A to B at the low and at the high level.

Each gets a mean and a paired two-sided 95% t interval (common random numbers: every arm of a
claim shares seed s). For an expected direction ``up`` (``down`` mirrored):

* **holds** -- the effect is significant (its interval lies above 0), the reduction is significant
  (its interval lies above 0) and the ablated effect's mean is at most half the effect's;
* **partial** -- the effect and the reduction are significant, but more than half the effect
  remains under the ablation;
* **unexplained** -- the effect is significant, the reduction is not: the ablation does not show
  that the mechanism causes it;
* **null** -- the effect is not significant;
* **fails** -- the effect is significant in the opposite direction.

For ``none`` (no effect expected) the row **holds** when the effect is not significant and the
run could have detected an effect of the smallest size that matters (below), is **null** when it
could not (underpowered), and **fails** when the effect is significant.

**Power.** The minimum detectable effect of a row at its n seeds (two-sided 5% test, 80% power) is
``MDE = (t(0.975, n-1) + t(0.80, n-1)) * sd(d) / sqrt(n)``, with ``sd(d)`` the standard deviation of
the paired differences. The smallest effect that matters is the claim's ``smallest_effect`` (0.1
unless it sets another) times the absolute mean of arm A (of arm B where A's is 0). A row whose
MDE exceeds it is **underpowered**: a null there says little, and more seeds (or consumers) are
needed to decide it.

**Knock-out.** The knocked-out effect is judged against the effect as the ablated one is:
``removes`` (the reduction ``d - k`` is significant and at most half the effect remains),
``partial`` (significant, more than half remains), ``survives`` (not significant), ``n/a`` (no
significant effect to remove). A row that **holds** but whose knock-out does not remove its
effect is **flagged**: it holds without the code it names, so it is not evidence for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from socialabm.claims.execute import ArmRuns
from socialabm.claims.registry import Claim
from socialabm.experiments.stats import Interval, mean_interval

__all__ = [
    "COLUMNS",
    "KNOCKOUT_RESULTS",
    "VERDICTS",
    "evaluate",
    "knockout_result",
    "minimum_detectable_effect",
    "verdict",
]

VERDICTS = ("holds", "partial", "unexplained", "null", "fails")
"""The verdicts of a claim's row (:func:`verdict`)."""

KNOCKOUT_RESULTS = ("removes", "partial", "survives", "n/a")
"""What a knock-out does to a row's effect (:func:`knockout_result`); ``""`` when not run."""

COLUMNS = (
    "claim", "section", "output", "expect", "mean_a", "mean_b", "effect", "effect_low",
    "effect_high", "ablated", "ablated_low", "ablated_high", "reduction_low", "reduction_high",
    "mde", "relevant", "verdict", "why", "knockout", "knockout_low", "knockout_high",
    "knockout_result", "flagged", "seeds",
)  # fmt: skip
"""Columns of the claims table (one row per claim and output). ``mde``: minimum detectable
effect; ``relevant``: the smallest effect that matters (both in the output's unit)."""

POWER = 0.8
"""Power at which the minimum detectable effect is computed."""


def minimum_detectable_effect(diffs: np.ndarray, confidence: float = 0.95) -> float:
    """``(t(1 - alpha/2, n-1) + t(power, n-1)) * sd / sqrt(n)`` of the paired differences
    ``diffs`` (NaN with fewer than two): the smallest true mean difference a two-sided test at
    ``confidence`` detects with probability :data:`POWER`."""
    x = np.asarray(diffs, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n < 2:
        return float("nan")
    from scipy import stats

    t_sum = stats.t.ppf(0.5 + confidence / 2, n - 1) + stats.t.ppf(POWER, n - 1)
    return float(t_sum * x.std(ddof=1) / math.sqrt(n))


def _signed(sign: float, iv: Interval) -> tuple[float, float]:
    low, high = sorted((sign * iv.low, sign * iv.high))
    return low, high


def verdict(
    expect: str,
    effect: Interval,
    ablated: Interval,
    reduction: Interval,
    mde: float = float("nan"),
    relevant: float = float("nan"),
) -> tuple[str, str]:
    """The verdict for one output and a short reason (see the module docstring).

    Args:
        expect: ``up``, ``down`` or ``none``.
        effect: The effect's paired interval.
        ablated: The ablated effect's paired interval.
        reduction: The reduction's paired interval (effect minus ablated effect, per seed).
        mde: The effect's minimum detectable effect (:func:`minimum_detectable_effect`).
        relevant: The smallest effect that matters, in the output's unit.
    """
    if effect.n < 2:
        return "null", "fewer than two seeds with finite values"
    powered = mde <= relevant
    power = f"MDE {_g(mde)} {'<=' if powered else '>'} {_g(relevant)}"
    if expect == "none":
        if effect.excludes_zero():
            return "fails", "significant effect where none is expected"
        if powered:
            return "holds", f"no significant effect, and one that matters would show ({power})"
        return "null", f"no significant effect, but underpowered ({power})"
    sign = 1.0 if expect == "up" else -1.0
    low, high = _signed(sign, effect)
    if high < 0:
        return "fails", "significant effect in the opposite direction"
    if low <= 0:
        state = "powered" if powered else "underpowered"
        return "null", f"effect not significant; {state} ({power})"
    if _signed(sign, reduction)[0] <= 0:
        return "unexplained", "the ablation does not reduce the effect significantly"
    if sign * ablated.mean <= 0.5 * sign * effect.mean:
        return "holds", "the ablation removes at least half of the effect"
    return "partial", "the ablation reduces the effect, but more than half remains"


def knockout_result(expect: str, effect: Interval, knocked: Interval, reduction: Interval) -> str:
    """What the knock-out does to a significant effect (:data:`KNOCKOUT_RESULTS`): the verdict's
    rule with the knocked-out effect in the ablated effect's place."""
    if expect == "none" or effect.n < 2:
        return "n/a"
    found, _ = verdict(expect, effect, knocked, reduction)
    return {"holds": "removes", "partial": "partial", "unexplained": "survives"}.get(found, "n/a")


MAIN_ARMS = ("a", "b", "a_ablated", "b_ablated")
"""The arms the verdict compares (the knock-out arms are judged apart)."""


def _finite(values: dict[str, np.ndarray], arms: Sequence[str]) -> np.ndarray:
    """Seeds at which every one of ``arms`` has a finite value."""
    return np.all([np.isfinite(values[arm]) for arm in arms], axis=0)


def _g(x: float) -> str:
    return f"{x:.3g}" if math.isfinite(x) else "nan"


def _as_plain(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """An interaction claim's values as a plain claim's: arm ``a`` holds, per seed, the
    effect at the low level (``b_low - a_low``), arm ``b`` the effect at the high level, and so
    for the ablated and knocked-out arms (their ``a`` 0, their ``b`` the difference in
    differences), so that every ``b - a`` below is a difference in differences."""
    out = {}
    for suffix in ("", "_ablated", "_knockout"):
        if "b" + suffix not in values:
            continue
        low = values["b" + suffix + "_low"] - values["a" + suffix + "_low"]
        high = values["b" + suffix] - values["a" + suffix]
        if suffix:
            out["a" + suffix], out["b" + suffix] = np.zeros_like(high), high - low
        else:
            out["a"], out["b"] = low, high
    return out


def evaluate(claims: Sequence[Claim], runs: ArmRuns, confidence: float = 0.95) -> pd.DataFrame:
    """The claims table: one row per claim and output, columns :data:`COLUMNS`."""
    rows = []
    for claim in claims:
        arms = runs[claim.id]
        for output, expect in claim.expect.items():
            values = {arm: arms[arm][output].to_numpy(dtype=float) for arm in arms}
            if claim.interaction is not None:
                values = _as_plain(values)
            finite = _finite(values, MAIN_ARMS)
            v = {arm: values[arm][finite] for arm in MAIN_ARMS}
            d = v["b"] - v["a"]
            e = v["b_ablated"] - v["a_ablated"]
            effect = mean_interval(d, confidence)
            ablated = mean_interval(e, confidence)
            reduction = mean_interval(d - e, confidence)
            mean_a = float(v["a"].mean()) if d.size else float("nan")
            mean_b = float(v["b"].mean()) if d.size else float("nan")
            level = abs(mean_a) if mean_a else abs(mean_b)
            mde = minimum_detectable_effect(d, confidence)
            relevant = claim.smallest_effect * level
            result, why = verdict(expect, effect, ablated, reduction, mde, relevant)
            row = {
                "claim": claim.id,
                "section": claim.section,
                "output": output,
                "expect": expect,
                "mean_a": mean_a,
                "mean_b": mean_b,
                "effect": effect.mean,
                "effect_low": effect.low,
                "effect_high": effect.high,
                "ablated": ablated.mean,
                "ablated_low": ablated.low,
                "ablated_high": ablated.high,
                "reduction_low": reduction.low,
                "reduction_high": reduction.high,
                "mde": mde,
                "relevant": relevant,
                "verdict": result,
                "why": why,
                "knockout": float("nan"),
                "knockout_low": float("nan"),
                "knockout_high": float("nan"),
                "knockout_result": "",
                "flagged": False,
                "seeds": int(finite.sum()),
            }
            if "b_knockout" in values:  # its own seeds with every arm it compares finite
                both = _finite(values, ("a", "b", "a_knockout", "b_knockout"))
                d_k = values["b"][both] - values["a"][both]
                k = values["b_knockout"][both] - values["a_knockout"][both]
                knocked = mean_interval(k, confidence)
                ko = knockout_result(
                    expect,
                    mean_interval(d_k, confidence),
                    knocked,
                    mean_interval(d_k - k, confidence),
                )
                row.update(
                    knockout=knocked.mean,
                    knockout_low=knocked.low,
                    knockout_high=knocked.high,
                    knockout_result=ko,
                    flagged=result == "holds" and ko != "removes",
                )
            rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))
