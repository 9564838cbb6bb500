"""Consumer rules of MODEL §4 as pure array functions.

Each function takes arrays (one entry per consumer, or consumers x retailers) and returns arrays,
with no hidden state, so it can be tested alone against its formula and reused by the per-agent
form of a decision. Quality and beliefs are on [0, 1]; money in currency units (CU).
"""

from __future__ import annotations

import numpy as np

STAR_QUALITY = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
"""Quality that 1..5 stars stand for (stars as quality on [0, 1])."""

POST_BIAS_PER_STAR = 0.05
"""Quality added to a post per star of the poster's inflation bias."""


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
    return np.clip(raw + kappa_scarcity * scarcity, 0.0, 1.0)


def review_probability(
    surprise: np.ndarray, review_base: float, review_extremity: float
) -> np.ndarray:
    """Probability of posting a review, growing with how extreme the experience was.

    ``clip(review_base + review_extremity * |surprise| / 0.25, 0, 1)``: middling experiences are
    under-reported. ``surprise`` is experienced quality minus expectation.
    """
    return np.clip(review_base + review_extremity * np.abs(surprise) / 0.25, 0.0, 1.0)


def stars(surprise: np.ndarray, inflation: np.ndarray, stars_k: float) -> np.ndarray:
    """Posted stars ``clip(round(3 + k * surprise + inflation), 1, 5)`` as int8."""
    return np.clip(np.rint(3.0 + stars_k * surprise + inflation), 1, 5).astype(np.int8)


def post_quality(experienced: np.ndarray, inflation: np.ndarray) -> np.ndarray:
    """Quality a post reports: experience raised by the poster's inflation bias, on [0, 1]."""
    return np.clip(experienced + POST_BIAS_PER_STAR * inflation, 0.0, 1.0)


def self_restraint_step(
    restraint: np.ndarray,
    initial: np.ndarray,
    feed_exposure: np.ndarray,
    shared_today: np.ndarray,
    rho_use: float,
    rho_share: float,
    rho_recover: float,
) -> np.ndarray:
    """One day of self-restraint dynamics, clipped to [0, 1].

    ``r -= rho_use * feed_exposure + rho_share * shared_today``, then ``r += rho_recover *
    (initial - r)``. ``feed_exposure`` is the day's social use through the tie type that erodes
    restraint (parameter ``restraint_tie``).
    """
    eroded = restraint - rho_use * feed_exposure - rho_share * shared_today
    return np.clip(eroded + rho_recover * (initial - eroded), 0.0, 1.0)
