"""Reviews: reading them (beliefs and vigilance) and writing them (stars, fans)
(docs/ODD.md 7.3 reviews and vigilance, 7.8).

**Reading (7.3).** Reviews accumulate per retailer over the run as star counts ``N_r(s)``,
s = 1..5, mapped to quality by ``Q(s) = (s - 1)/4``; the review mean is
``m_r = sum_s N_r(s) Q(s) / sum_s N_r(s)``. A consumer aware of r who visits r's host platform
today (7.1), when r has a review, updates::

    q_ir <- clip(q_ir + omega * (m_r - vigilance_i * expected_inflation - q_ir), 0, 1)

With ``praise_r`` the share of r's reviews with 4 or 5 stars and ``pi_i`` the mean of ``praise_r``
over the products i read reviews of today (0 if none)::

    vigilance_i <- clip(vigilance_i - vigilance_erosion * pi_i, 0, 1)

**Writing (7.8).** On the day a review is due (``review_delay`` days after receipt), with
surprise ``d = q_exp - expectation`` (expectation = belief when the unit was bought, ordered or
received as an experience unit)::

    P(review) = clip(review_base + review_extremity * |d| / 0.25, 0, 1)
    stars     = clip(rint(3 + stars_k * d + inflation_i), 1, 5)

Whether or not a review is written, the owner's fandom updates: if ``d > 0.1`` a non-fan becomes a
fan of r with loyalty 0.5 and a fan of r gains 0.1 loyalty (max 1); if ``d < -0.1`` a fan of r
loses 0.1 loyalty (min 0).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm import consumer_rules as rules
from socialabm.market.browsing import platform_visits

if TYPE_CHECKING:
    from socialabm.market import Market


def read(market: Market) -> None:
    """Visitors of a retailer's platform read its reviews (vigilance-discounted)."""
    a, p = market.arrays, market.p
    n = market.model.network.n
    counts = market.stars
    n_reviews = counts.sum(axis=1)
    if not n_reviews.any():
        return
    mean_q = (counts @ rules.STAR_QUALITY) / np.maximum(n_reviews, 1)
    praise = counts[:, 3:].sum(axis=1) / np.maximum(n_reviews, 1)
    visits, aware = platform_visits(market), a["aware"]
    praise_sum, n_read = np.zeros(n), np.zeros(n)
    for r in np.flatnonzero(n_reviews):  # column by column: few retailers, many readers
        readers = np.flatnonzero(visits[:, r] & aware[:, r])
        updated = rules.belief_from_reviews(
            a["belief"][readers, r],
            mean_q[r],
            a["vigilance"][readers],
            p["expected_inflation"],
            p["omega"],
        )
        a["belief"][readers, r] = np.clip(updated, 0.0, 1.0)
        praise_sum[readers] += praise[r]
        n_read[readers] += 1.0
    # vigilance erodes with the mean praise (4-5 star share) of the reviews read today
    mean_praise = np.divide(praise_sum, n_read, out=np.zeros(n), where=n_read > 0)
    a["vigilance"][:] = np.clip(a["vigilance"] - p["vigilance_erosion"] * mean_praise, 0, 1)


def write(market: Market) -> None:
    """Owners whose review is due today review (inflated, J-shaped); their fandom updates."""
    model, a, p = market.model, market.arrays, market.p
    due = np.flatnonzero(a["review_day"] == model.day)
    if due.size:
        surprise = a["experienced"][due] - a["expectation"][due]
        writes = model.rng.random(due.size) < rules.review_probability(
            surprise, p["review_base"], p["review_extremity"]
        )
        reviewers = due[writes]
        stars = rules.stars(surprise[writes], a["inflation"][reviewers], p["stars_k"])
        np.add.at(market.stars, (a["owns"][reviewers], stars - 1), 1)
        market.today["reviews"] += int(reviewers.size)
        a["review_day"][due] = -1
        _update_fans(market, due, surprise)


def _update_fans(market: Market, owners: np.ndarray, surprise: np.ndarray) -> None:
    """Pleased owners become fans (loyalty 0.5) or grow more loyal; displeased fans cool."""
    a = market.arrays
    r_of = a["owns"][owners]
    pleased = surprise > 0.1
    new = owners[pleased & (a["fan_of"][owners] < 0)]
    a["fan_of"][new] = r_of[pleased & (a["fan_of"][owners] < 0)]
    a["loyalty"][new] = 0.5
    loyal = owners[pleased & (a["fan_of"][owners] == r_of)]
    a["loyalty"][loyal] = np.minimum(1.0, a["loyalty"][loyal] + 0.1)
    cool = owners[(surprise < -0.1) & (a["fan_of"][owners] == r_of)]
    a["loyalty"][cool] = np.maximum(0.0, a["loyalty"][cool] - 0.1)
