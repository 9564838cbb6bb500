"""Browsing and platform visits (docs/ODD.md 7.1).

Each day, independently::

    reads_feed_i     ~ Bernoulli(social_use_i)
    visits_trading_i ~ Bernoulli(trading_use_i)

A consumer *visits the host platform of retailer r* today if r is hosted on the giant and
``visits_trading_i``, or r is hosted on a social e-commerce platform k and
``reads_feed_i and member_ik`` (community platforms are reached through the social feed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from socialabm.market import Market


def browse(market: Market) -> None:
    """Who reads the social feed and who visits a trading platform today."""
    a, rng = market.arrays, market.model.rng
    n = market.model.network.n
    market.reads_feed = rng.random(n) < a["social_use"]
    market.visits_trading = rng.random(n) < a["trading_use"]


def platform_visits(market: Market) -> np.ndarray:
    """``n x n_retailers`` bool: the consumer visits the platform retailer r sells on today.

    Computed once per day (on first use after the browsing draws) and cached in
    ``market.visits``.
    """
    if market.visits is None:
        member = market.model.membership
        visits = np.empty((market.reads_feed.size, market.platform_of.size), dtype=bool)
        for r, host in enumerate(market.platform_of):
            # the giant is visited by trading visits, the others through the social feed
            community = market.reads_feed & member[:, host]
            visits[:, r] = market.visits_trading if host == 0 else community
        market.visits = visits
    return market.visits
