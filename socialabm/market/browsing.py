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
    reads_feed = rng.random(n) < a["social_use"]
    visits_trading = rng.random(n) < a["trading_use"]
    set_browsing(market, reads_feed, visits_trading)


def set_browsing(market: Market, reads_feed: np.ndarray, visits_trading: np.ndarray) -> None:
    """Set today's feed readers and trading visitors, and the platform visits they imply
    (:func:`platform_visits`)."""
    market.reads_feed = reads_feed
    market.visits_trading = visits_trading
    market.visits = platform_visits(
        reads_feed, visits_trading, market.model.membership, market.platform_of
    )


def platform_visits(
    reads_feed: np.ndarray, visits_trading: np.ndarray, member: np.ndarray, platform_of: np.ndarray
) -> np.ndarray:
    """``n x n_retailers`` bool: the consumer visits the platform retailer r sells on today.

    Args:
        reads_feed: ``n`` bool, the consumer reads the social feed today.
        visits_trading: ``n`` bool, the consumer visits the trading platform today.
        member: ``n x n_platforms`` bool, the consumer is a member of platform k.
        platform_of: Host platform index of each retailer (0 is the giant).
    """
    visits = np.empty((reads_feed.size, platform_of.size), dtype=bool)
    for r, host in enumerate(platform_of):
        # the giant is visited by trading visits, the others through the social feed
        visits[:, r] = visits_trading if host == 0 else reads_feed & member[:, host]
    return visits
