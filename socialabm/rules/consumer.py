"""Consumer rules (docs/ODD.md 7.1-7.8) as pure array functions.

Each function takes arrays (one entry per consumer, or consumers x retailers) and returns arrays,
with no hidden state, so it can be tested alone against its formula and reused by the per-agent
form of a decision. Quality and beliefs are on [0, 1]; money in currency units (CU).
"""

from __future__ import annotations

import numpy as np

from socialabm.arrays import clipped

STAR_QUALITY = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
"""Quality that 1..5 stars stand for (stars as quality on [0, 1])."""

FAILURE_QUALITY = 0.125
"""Highest experienced quality of a failed unit (the top of the one-star band)."""

STOCKOUT_RESPONSES = ("switch", "elsewhere", "delay", "give_up")
"""Responses to a stock-out, in the order of :func:`stockout_response` codes."""

POST_AUDIENCES = ("all_ties", "strong_ties", "weak_ties")
"""Who sees a post, in the order of the codes of ``Consumer.post_audience``: every neighbour who
reads the feed (the default), strong ties only, weak ties only."""

ALL_TIES, STRONG_TIES, WEAK_TIES = range(3)
"""Codes of :data:`POST_AUDIENCES`."""


def awareness_probability(
    alpha: np.ndarray,
    n_weak: np.ndarray,
    n_strong: np.ndarray,
    beta_weak: float,
    beta_strong: float,
) -> np.ndarray:
    """Daily probability an unaware consumer becomes aware (Goldenberg, Libai & Muller 2001).

    ``1 - (1 - alpha) * (1 - beta_weak)**n_weak * (1 - beta_strong)**n_strong``

    Args:
        alpha: Advertising reach on the platforms visited today, in [0, 1].
        n_weak: Number of weak-tie posts about the product read today (>= 0).
        n_strong: Number of strong-tie posts about the product read today (>= 0).
        beta_weak: Awareness probability per weak-tie post, in [0, 1].
        beta_strong: Awareness probability per strong-tie post, in [0, 1].
    """
    stay_unaware = (1.0 - alpha) * (1.0 - beta_weak) ** n_weak * (1.0 - beta_strong) ** n_strong
    return 1.0 - stay_unaware


def belief_from_posts(
    belief: np.ndarray, strength_sum: np.ndarray, reported_sum: np.ndarray, eta: float
) -> np.ndarray:
    """Move beliefs toward the qualities reported in the posts read today.

    Applies ``qhat += eta * s_ij * (q_post_j - qhat)`` for all posts at once as one step toward
    their strength-weighted mean, with the step weight ``min(1, eta * sum_j s_ij)`` so beliefs
    never overshoot.

    Args:
        belief: Current belief ``qhat`` in [0, 1].
        strength_sum: Sum of tie strengths of the posts read, ``sum_j s_ij`` (>= 0).
        reported_sum: Strength-weighted sum of reported qualities, ``sum_j s_ij * q_post_j``.
        eta: Belief step per unit of tie strength, in [0, 1].
    """
    weight = np.minimum(1.0, eta * strength_sum)
    mean = np.divide(reported_sum, strength_sum, out=belief.astype(float), where=strength_sum > 0)
    return belief + weight * (mean - belief)


def belief_from_reviews(
    belief: np.ndarray,
    review_quality: float | np.ndarray,
    vigilance: np.ndarray,
    expected_inflation: float,
    omega: float,
) -> np.ndarray:
    """Move beliefs toward the review mean, discounted by vigilance.

    ``qhat += omega * (review_quality - vigilance * expected_inflation - qhat)``
    """
    return belief + omega * (review_quality - vigilance * expected_inflation - belief)


def willingness_to_pay(
    valuation: np.ndarray, belief: np.ndarray, fan_loyalty: np.ndarray, loyalty_bonus: float
) -> np.ndarray:
    """``wtp = valuation * qhat + loyalty_bonus * loyalty`` (loyalty 0 for non-fans), in CU."""
    return valuation * belief + loyalty_bonus * fan_loyalty


def fan_loyalty(fan_of: np.ndarray, loyalty: np.ndarray, retailer: np.ndarray) -> np.ndarray:
    """A consumer's loyalty to ``retailer``: its ``loyalty`` if it is a fan of it (``fan_of``),
    else 0. Broadcasts (consumers as rows, retailers as columns)."""
    return np.where(fan_of == retailer, loyalty, 0.0)


def fan_loyalty_rows(fan_of: np.ndarray, loyalty: np.ndarray, n_retailers: int) -> np.ndarray:
    """:func:`fan_loyalty` of each consumer for every retailer, ``len(fan_of) x n_retailers``
    (the same values: ``loyalty`` in its fan's column, 0 elsewhere), written cell by cell rather
    than broadcast."""
    out = np.zeros((fan_of.size, n_retailers))
    fans = (fan_of >= 0).nonzero()[0]
    out[fans, fan_of[fans]] = loyalty[fans]
    return out


def share_probability(
    dignity: np.ndarray,
    weak_share: np.ndarray,
    scarcity: np.ndarray | float,
    share_base: float,
    kappa_dignity: float,
    kappa_weak: float,
    kappa_scarcity: float,
) -> np.ndarray:
    """Dignity-driven sharing probability of a received product.

    ``clip(share_base + kappa_dignity * dignity * (1 + kappa_weak * weak_share)
    + kappa_scarcity * scarcity, 0, 1)``
    """
    raw = share_base + kappa_dignity * dignity * (1.0 + kappa_weak * weak_share)
    return clipped(raw + kappa_scarcity * scarcity, 0.0, 1.0)


def experienced_quality(
    quality: float,
    noise: np.ndarray,
    failed: np.ndarray,
    failure_draw: np.ndarray,
) -> np.ndarray:
    """Quality a consumer experiences from a unit of true ``quality``, on [0, 1].

    ``clip(quality + noise, 0, 1)``, except for failed units (defect, wrong or late delivery),
    which are experienced at ``failure_draw * FAILURE_QUALITY`` (worth one star at most).

    Args:
        quality: True quality of the product, in [0, 1].
        noise: Normal draws ``N(0, quality_noise)``, one per unit.
        failed: Whether each unit failed (probability ``failure_rate``).
        failure_draw: Uniform [0, 1) draws, one per unit, placing a failure in the one-star band.
    """
    normal = clipped(quality + noise, 0.0, 1.0)
    return np.where(failed, failure_draw * FAILURE_QUALITY, normal)


def honest_quality(
    experienced: np.ndarray, expectation: np.ndarray, disconfirmation: float
) -> np.ndarray:
    """Quality an honest rating expresses: experience plus a weight on (dis)confirmation.

    ``clip(q_exp + disconfirmation * (q_exp - expectation), 0, 1)`` (Oliver 1980: satisfaction
    grows with experienced quality and with how far it beats the expectation).
    """
    return clipped(experienced + disconfirmation * (experienced - expectation), 0.0, 1.0)


def stars_from_quality(quality: np.ndarray) -> np.ndarray:
    """Stars on the documented scale ``stars = 1 + 4 * quality``, rounded and kept in 1..5
    (int8). Star s stands for quality ``(s - 1) / 4`` (:data:`STAR_QUALITY`)."""
    return clipped(np.rint(1.0 + 4.0 * quality), 1, 5).astype(np.int8)


def review_probability(
    honest: np.ndarray, review_base: float, review_extremity: float
) -> np.ndarray:
    """Probability of writing a review: under-reporting of middling experiences.

    ``clip(review_base + review_extremity * e**2, 0, 1)`` with extremity ``e = |2 q_h - 1|`` of
    the honest quality ``q_h`` on [0, 1] (0 for a middling, 1 for an extreme experience): the
    very pleased and the very disappointed write; the middle stays silent (Hu, Zhang & Pavlou
    2009).
    """
    extremity = np.abs(2.0 * honest - 1.0)
    return clipped(review_base + review_extremity * extremity**2, 0.0, 1.0)


def inflated_quality(honest: np.ndarray, inflation: np.ndarray) -> np.ndarray:
    """Quality a review or post claims: honest quality raised by the poster's inflation bias.

    ``clip(q_h + inflation / 4, 0, 1)`` when the experience is not negative (``q_h >= 0.5``,
    three stars or more), else ``q_h``: dignity and mutual recommendation inflate praise, not
    complaints. ``inflation`` is in stars (a quarter of the quality scale each).
    """
    raised = honest + np.where(honest >= 0.5, inflation, 0.0) / 4.0
    return clipped(raised, 0.0, 1.0)


def effective_price_factor(self_restraint: np.ndarray, impulse_gain: float) -> np.ndarray:
    """Share of the price a consumer weighs when deciding: ``1 - (1 - self_restraint) *
    impulse_gain``. An unrestrained consumer discounts up to ``impulse_gain`` of the price
    (impulse buying grows with the price, so it matters at any price level)."""
    return 1.0 - (1.0 - self_restraint) * impulse_gain


def offer_utility(
    wtp: np.ndarray,
    price: np.ndarray,
    self_restraint: np.ndarray,
    impulse_gain: float,
    path_cost: np.ndarray | float = 0.0,
    waiting: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Utility (CU) of buying at ``price``:
    ``wtp - price * effective_price_factor - path_cost - waiting``.

    A purchase with positive utility but ``wtp < price`` is an *impulse purchase*.

    Args:
        wtp: Willingness to pay, CU.
        price: Price asked, CU.
        self_restraint: Self-restraint, [0, 1].
        impulse_gain: Share of the price an unrestrained consumer ignores, [0, 0.9].
        path_cost: Cost of the path by which the offer reaches the consumer (``scene_cost`` for
            a jump), CU.
        waiting: Cost of waiting for a presale order's delivery, CU.
    """
    return wtp - price * effective_price_factor(self_restraint, impulse_gain) - path_cost - waiting


def clears_restraint_hurdle(
    utility: np.ndarray, price: np.ndarray, self_restraint: np.ndarray, weight: float
) -> np.ndarray:
    """Whether a purchase's utility (CU) clears the hurdle ``weight * self_restraint * price``
    that self-restraint puts before buying beyond one's means or needs.

    With ``weight = credit_hurdle``: whether a consumer short of cash borrows to buy now
    (restrained consumers wait for income; unrestrained ones buy on credit). With ``weight =
    satiation``: whether a consumer who already bought this campaign buys another retailer's
    product (over-consumption; restrained consumers are sated by one product).
    """
    return utility > weight * self_restraint * price


def stockout_response(
    draw: np.ndarray, switch: float, elsewhere: float, delay: float
) -> np.ndarray:
    """Response codes (:data:`STOCKOUT_RESPONSES` order) to a stock-out from uniform ``draw``s.

    The shares ``switch`` (another brand), ``elsewhere`` (the same product bought outside the
    modelled retailers) and ``delay`` (retry later) are cumulated; the remainder gives up.
    """
    edges = np.cumsum([switch, elsewhere, delay])
    return np.searchsorted(edges, draw, side="right").astype(np.int8)


def in_scene_probability(trust: float, assurance: float, scene_cost: float, scale: float) -> float:
    """Logit probability of buying in-scene rather than jumping, when both paths are open.

    ``1 / (1 + exp(-(trust - (assurance - scene_cost)) / scale))``: in-scene convenience and
    trust in the community against what the jump's destination offers (reviews, buyer
    protection, membership benefits) less the cost of switching (all in CU).
    """
    x = (trust - (assurance - scene_cost)) / scale
    return float(0.5 * (1.0 + np.tanh(0.5 * x)))  # the logistic, without overflow


def self_restraint_step(
    restraint: np.ndarray,
    initial: np.ndarray,
    feed_exposure: np.ndarray,
    shared_today: np.ndarray,
    rho_use: float,
    rho_share: float,
    rho_recover: float,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """One day of self-restraint dynamics, clipped to [0, 1], written into ``out`` if given (it
    may be ``restraint`` itself, which is read first).

    ``r -= rho_use * feed_exposure + rho_share * shared_today``, then ``r += rho_recover *
    (initial - r)``. ``feed_exposure`` is the day's social use through the tie type that erodes
    restraint (parameter ``restraint_tie``); ``shared_today`` is bool (or 0/1): whether the
    consumer shared today.
    """
    # in place, operation for operation as written above (subtracting rho_share * 0 = 0 from
    # those who did not share changes nothing): one pass per operation, no temporaries
    eroded = np.subtract(restraint, rho_use * feed_exposure, dtype=float)
    np.subtract(eroded, rho_share, out=eroded, where=np.asarray(shared_today, dtype=bool))
    out = np.subtract(initial, eroded, out=out)
    out *= rho_recover
    out += eroded
    return out.clip(0.0, 1.0, out=out)  # (the method: no np.clip wrapper)
