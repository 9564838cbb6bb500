"""Reviews are J-shaped (Hu, Zhang & Pavlou 2009)."""

from __future__ import annotations

import numpy as np

from socialabm.validation.result import SOURCES, CheckResult, check_result
from socialabm.validation.runs import run_to_end, scenario_models


def j_shape_margin(counts: np.ndarray) -> tuple[float, np.ndarray]:
    """``min(s5 - max(s1..s4), s1 - max(s2, s3))`` of star shares, and the shares."""
    counts = np.asarray(counts, dtype=float)
    shares = counts / counts.sum() if counts.sum() > 0 else np.zeros(5)
    margin = min(shares[4] - shares[:4].max(), shares[0] - max(shares[1], shares[2]))
    return float(margin), shares


def check_j_shaped_reviews(fast: bool = False, counts: np.ndarray | None = None) -> CheckResult:
    """Reviews of the social_commerce scenario are J-shaped (Hu, Zhang & Pavlou 2009).

    Posted star counts (all retailers, whole horizon) of the built-in ``social_commerce``
    scenario; passes when the 5-star share is the largest and the 1-star share exceeds the 2-
    and 3-star shares, i.e. ``min(s5 - max(s1..s4), s1 - max(s2, s3)) > 0``.

    Args:
        fast: 1,000 consumers and one seed instead of 2,000 consumers and three seeds.
        counts: Star counts 1..5 to judge instead of running the scenario.
    """
    detail = "given counts"
    if counts is None:
        n, seeds = (1000, (1,)) if fast else (2000, (1, 2, 3))
        counts = sum(
            run_to_end(model).star_counts()
            for model in scenario_models("social_commerce", n, seeds)
        )
        detail = f"social_commerce, {n} consumers, seeds {list(seeds)}"
    margin, shares = j_shape_margin(counts)
    return check_result(
        "j_shaped_reviews",
        margin,
        0.0,
        0.0,
        ">",
        SOURCES["jshape"],
        "min(s5 - max(s1..s4), s1 - max(s2, s3)) of star shares",
        f"{detail}; shares 1..5 stars: " + " ".join(f"{x:.3f}" for x in shares),
    )
