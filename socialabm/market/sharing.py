"""Dignity-driven sharing and posts (docs/ODD.md 7.6).

Every consumer who received a unit today (spot purchase, presale delivery or experience unit)
shares it with probability::

    P(share) = clip(share_base + kappa_dignity * dignity_i * (1 + kappa_weak * weak_share_i)
                    + kappa_scarcity * scarcity_r, 0, 1)

where ``scarcity_r`` is the share of r's most recent day with buyers that went unfilled (7.13).
Experience users share with probability ``experience_share`` instead (7.11). A share creates a
post: ``post_of = r``, ``post_until = today + post_days``, its audience (the sharer's
:meth:`~socialabm.agents.Consumer.post_audience` decision: every neighbour who reads the feed by
default, or strong or weak ties only; 7.2) and reported quality on the scale of reviews (7.8)::

    q_post = clip(q_h + inflation_i / 4 * [q_h >= 0.5], 0, 1),
    q_h = clip(q_exp + disconfirmation * (q_exp - expectation), 0, 1)

(the poster's honest rating, raised by its inflation bias when the experience was not negative).

A new post replaces the consumer's previous one. Word of mouth runs before sharing, so a post
shared on day t is read on days t+1 ... t+``post_days``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.rules import consumer as rules

if TYPE_CHECKING:
    from socialabm.market import Market


def share(market: Market) -> None:
    """Today's receivers share (dignity-driven; experience users with ``experience_share``);
    who shared today is noted for self-restraint (7.7)."""
    model, a, p = market.model, market.arrays, market.p
    received = market.received
    sharers = np.zeros(0, dtype=np.int64)
    if received.size:
        r_of = a["owns"][received]
        prob = model.decisions.sharing_probability(received, market.scarcity[r_of])
        if market.received_experience.size:  # experience users among them
            trial = np.isin(received, market.received_experience)
            prob = trial_share_probability(prob, trial, p["experience_share"])
        sharers = received[model.rng.random(received.size) < prob]
        a["post_of"][sharers] = a["owns"][sharers]
        a["post_ties"][sharers] = model.decisions.post_audience(sharers, a["owns"][sharers])
        # readable on the next post_days days (word of mouth runs before sharing)
        a["post_until"][sharers] = model.day + p["post_days"]
        honest = rules.honest_quality(
            a["experienced"][sharers], a["expectation"][sharers], p["disconfirmation"]
        )
        a["post_quality"][sharers] = rules.inflated_quality(honest, a["inflation"][sharers])
        a["shares"][sharers] += 1
        market.today["shares"] += int(sharers.size)
        shared = np.bincount(a["post_of"][sharers], minlength=len(model.retailers)).tolist()
        for r in model.retailers:
            r.shares_campaign += shared[r.index]
    market.shared_today = np.zeros(model.network.n, dtype=bool)
    market.shared_today[sharers] = True


def trial_share_probability(
    prob: np.ndarray, trial: np.ndarray, experience_share: float
) -> np.ndarray:
    """Sharing probabilities of today's receivers: ``experience_share`` for experience users
    (``trial``), their own ``prob`` for everyone else (docs/ODD.md 7.11)."""
    return np.where(trial, experience_share, prob)
