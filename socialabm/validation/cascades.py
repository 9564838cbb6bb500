"""Adoption cascades against Goel, Watts & Goldstein (2012)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from socialabm.outputs import cascades
from socialabm.validation.result import SOURCES, CheckResult, check_result
from socialabm.validation.runs import run_to_end, scenario_models

GOEL_RANGES = {"cascade_single_share": (0.70, 0.95), "adoptions_deep_share": (0.01, 0.06)}
"""Ranges over the domains of Goel, Watts & Goldstein (2012) as summarised by the first
author: cascades of a single adoption, adoptions more than one step from their seed. The check
passes when the model's figures lie in both (docs/validation.md §10)."""


def check_cascades(
    fast: bool = False, model_params: Mapping[str, Any] | None = None
) -> CheckResult:
    """Adoption cascades of the social_commerce scenario vs Goel, Watts & Goldstein (2012).

    Cascades as :func:`socialabm.outputs.cascades` traces them (a seed is an adoption not made
    aware by a post of an adopter; each adoption made aware by a post hangs under its poster),
    pooled over runs. Goel et al. find across seven online domains that most cascades are a
    single adoption and adoptions through chains of referrals are extremely rare. The check
    holds the model to their ranges (:data:`GOEL_RANGES`): the share of adoptions two or more
    referrals from their seed in 0.01-0.06 (the figure shown) and the share of cascades of one
    adoption in 0.70-0.95. The detail gives the runs' spread of the first, to show how far
    outside or inside the range the model is.

    Args:
        fast: 1,000 consumers and seeds 1-2 instead of 2,000 consumers and seeds 1-3.
        model_params: Parameters applied to the model (word of mouth weaker or more viral).
    """
    n, seeds = (1000, (1, 2)) if fast else (2000, (1, 2, 3))
    totals = np.zeros(5)  # cascades, single, adoptions, deep, max depth
    per_run = []
    for model in scenario_models("social_commerce", n, seeds, model_params):
        c = cascades(run_to_end(model))
        adoptions = c["cascades"] * np.nan_to_num(c["cascade_mean_size"])
        totals += [
            c["cascades"],
            c["cascades"] * np.nan_to_num(c["cascade_single_share"]),
            adoptions,
            adoptions * np.nan_to_num(c["adoptions_deep_share"]),
            0.0,
        ]
        totals[4] = max(totals[4], c["cascade_max_depth"])
        per_run.append(c["adoptions_deep_share"])
    single = totals[1] / totals[0] if totals[0] else math.nan
    deep = totals[3] / totals[2] if totals[2] else math.nan
    (s_low, s_high), (d_low, d_high) = (
        GOEL_RANGES["cascade_single_share"],
        GOEL_RANGES["adoptions_deep_share"],
    )
    spread = float(np.std(per_run, ddof=1)) if len(per_run) > 1 else math.nan
    inside = "inside" if s_low <= single <= s_high else "outside"
    return check_result(
        "cascade_sizes",
        deep,
        d_low,
        d_high - d_low,
        "range",
        SOURCES["goel"],
        f"share of adoptions 2+ referrals from their seed; Goel et al. {d_low:.2f}-{d_high:.2f}",
        f"social_commerce, {n} consumers, seeds {list(seeds)}: {int(totals[0])} cascades, "
        f"{int(totals[2])} adoptions; deep share per run {', '.join(f'{x:.3f}' for x in per_run)}"
        f" (sd {spread:.3f}); single-adoption share {single:.3f}, {inside} Goel et al.'s "
        f"{s_low:.2f}-{s_high:.2f} (both must hold); mean size {totals[2] / max(totals[0], 1):.2f}"
        f", deepest chain {int(totals[4])}",
        extra_ok=s_low <= single <= s_high,
    )
