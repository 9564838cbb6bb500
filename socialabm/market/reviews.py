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

**Writing (7.8).** On the day a review is due (``review_delay`` days after receipt), the owner's
*honest* rating expresses its experience on one star scale (star s stands for quality
``(s - 1)/4``), with a weight on how the experience compared with its expectation (the belief
held when it bought, ordered or received the unit; Oliver 1980)::

    q_h   = clip(q_exp + disconfirmation * (q_exp - expectation), 0, 1)
    honest stars = clip(rint(1 + 4 q_h), 1, 5)

Two biases turn the honest ratings, which are unimodal, into the posted J-shape
(Hu, Zhang & Pavlou 2009):

* *under-reporting* -- it writes with probability
  ``clip(review_base + review_extremity * (2 q_h - 1)**2, 0, 1)``, so middling experiences go
  unposted;
* *inflation* -- posted stars ``= clip(rint(1 + 4 q_h + inflation_i * [q_h >= 0.5]), 1, 5)``,
  with ``inflation_i = inflation_base + inflation_social * weak_share_i`` (dignity and mutual
  recommendation among weak ties inflate praise; complaints are not inflated).

The honest histogram of every owner (posted or not) is kept apart, and the run's review gap
(mean posted minus mean experienced stars, ``1 + 4 q_exp``) splits exactly into a
disconfirmation, a selection and an inflation part.

Whether or not a review is written, the owner's fandom updates: if ``q_exp - expectation >
fan_threshold`` (0.1) a non-fan becomes a fan of r with loyalty ``new_fan_loyalty`` (0.5) and a
fan of r gains ``loyalty_step`` (0.1) loyalty (max 1); if it is below ``-fan_threshold`` a fan of
r loses ``loyalty_step`` loyalty (min 0).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.arrays import (
    cell_rows_columns,
    clipped,
    flat_view,
    run_lengths,
    run_starts,
    tiled_rows,
)
from socialabm.rules import consumer as rules

if TYPE_CHECKING:
    from socialabm.market import Market


def read(market: Market) -> None:
    """Visitors of a retailer's platform read its reviews (vigilance-discounted).

    Works on the flat consumer-product cells that are read today (aware, visiting, with
    reviews), and on their readers' vigilance only, like word of mouth (7.2).
    """
    a, p = market.arrays, market.p
    has_reviews, mean_q, praise = review_means(market)
    n_r = has_reviews.size
    reviewed = np.count_nonzero(has_reviews)
    if not reviewed:
        return
    reading = market.visits & a["aware"]
    if reviewed < n_r:  # (a short row broadcast over the matrix is slow: only if needed)
        reading &= tiled_rows(has_reviews, reading.shape[0])
    cells = flat_view(reading).nonzero()[0]
    if cells.size == 0:
        return
    readers, r = cell_rows_columns(cells, n_r)
    belief = flat_view(a["belief"])
    updated = rules.belief_from_reviews(
        belief[cells], mean_q[r], a["vigilance"][readers], p["expected_inflation"], p["omega"]
    )
    belief[cells] = clipped(updated, 0.0, 1.0)
    # vigilance erodes with the mean praise (4-5 star share) of the reviews read today
    first = run_starts(readers)  # cells are reader-major: row runs
    who = readers[first]
    praise_sum = np.add.reduceat(praise[r], first)
    n_read = run_lengths(first, cells.size)
    eroded = a["vigilance"][who] - p["vigilance_erosion"] * praise_sum / n_read
    a["vigilance"][who] = clipped(eroded, 0.0, 1.0)


def review_means(market: Market) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per retailer, from the star counts ``market.stars``: whether it has a review, the review
    mean ``m_r`` (quality, [0, 1]) and the praise share (4-5 stars, [0, 1]); 0 without a
    review. Computed again only when the counts change (:meth:`Market.derived`: on the days
    someone posts a review); most days they are read, not written."""
    counts = market.stars

    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n_reviews = counts.sum(axis=1)
        reviews_or_one = np.maximum(n_reviews, 1)
        return (
            n_reviews > 0,
            (counts @ rules.STAR_QUALITY) / reviews_or_one,
            counts[:, 3:].sum(axis=1) / reviews_or_one,
        )

    return market.derived("review_means", counts, compute)


def write(market: Market) -> None:
    """Owners whose review is due today rate their experience; some post (J-shaped, inflated);
    their fandom updates."""
    model, a, p = market.model, market.arrays, market.p
    due = (a["review_day"] == model.day).nonzero()[0]
    if due.size == 0:
        return
    experienced, expectation = a["experienced"][due], a["expectation"][due]
    honest = rules.honest_quality(experienced, expectation, p["disconfirmation"])
    posted = model.decisions.review(due, honest, model.rng.random(due.size))
    wrote = posted > 0
    r_of = a["owns"][due]
    honest_stars = rules.stars_from_quality(honest)
    np.add.at(market.honest_stars, (r_of, honest_stars - 1), 1)
    np.add.at(market.stars, (r_of[wrote], posted[wrote] - 1), 1)
    sums = market.review_sums
    sums["owners"] += due.size
    sums["experienced_stars"] += float((1.0 + 4.0 * experienced).sum())
    sums["honest_stars"] += float(honest_stars.sum())
    sums["reviewers"] += int(wrote.sum())
    sums["reviewers_honest_stars"] += float(honest_stars[wrote].sum())
    sums["posted_stars"] += float(posted[wrote].sum())
    market.today["reviews"] += int(wrote.sum())
    a["review_day"][due] = -1
    _update_fans(market, due, experienced - expectation)


def _update_fans(market: Market, owners: np.ndarray, surprise: np.ndarray) -> None:
    """Pleased owners become fans (loyalty ``new_fan_loyalty``) or grow more loyal; displeased
    fans cool (by ``loyalty_step``, beyond a surprise of ``fan_threshold``)."""
    a, p = market.arrays, market.p
    r_of = a["owns"][owners]
    pleased = surprise > p["fan_threshold"]
    becomes = pleased & (a["fan_of"][owners] < 0)
    new = owners[becomes]
    a["fan_of"][new] = r_of[becomes]
    a["loyalty"][new] = p["new_fan_loyalty"]
    fan_of_r = a["fan_of"][owners] == r_of  # the new fans included: they gain loyalty too
    loyal = owners[pleased & fan_of_r]
    a["loyalty"][loyal] = np.minimum(1.0, a["loyalty"][loyal] + p["loyalty_step"])
    cool = owners[(surprise < -p["fan_threshold"]) & fan_of_r]
    a["loyalty"][cool] = np.maximum(0.0, a["loyalty"][cool] - p["loyalty_step"])
