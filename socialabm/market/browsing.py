"""Browsing and platform visits, with the traffic an alliance shares (docs/ODD.md 7.1, 7.19).

Each day, independently::

    reads_feed_i     ~ Bernoulli(social_use_i)
    visits_trading_i ~ Bernoulli(trading_use_i)

A consumer *visits the host platform of retailer r* today if r is hosted on the giant and
``visits_trading_i``, or r is hosted on a social e-commerce platform k and
``reads_feed_i and audience_ik`` (community platforms are reached through the social feed).
A platform's audience is its members and, with ``alliance_traffic``, the members of every
platform allied with it (:func:`allied_audience`): an alliance shares traffic, so a member's
feed shows every allied merchant (its ads and reviews reach the member as they reach the host's
own users). The seed paper's alliance "maximizes platform diversion"; ordering in-scene from an
allied merchant is the separate switch ``alliance_shopping`` (7.4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.arrays import rows_any

if TYPE_CHECKING:
    from socialabm.market import Market, MarketModel


def browse(market: Market) -> None:
    """Who reads the social feed and who visits a trading platform today."""
    a, rng = market.arrays, market.model.rng
    n = market.model.network.n
    reads_feed = rng.random(n) < a["social_use"]
    visits_trading = rng.random(n) < a["trading_use"]
    set_browsing(market, reads_feed, visits_trading)


def set_browsing(market: Market, reads_feed: np.ndarray, visits_trading: np.ndarray) -> None:
    """Set today's feed readers and trading visitors, and the platform visits they imply
    (:func:`platform_visits`, audiences widened by :func:`allied_audience`)."""
    model = market.model
    market.reads_feed = reads_feed
    market.visits_trading = visits_trading
    if market.p["alliance_traffic"] and model.alliances:
        audience = (model.membership | allied_audience(model, model.membership)).T
    else:
        audience = member_rows(market)
    market.visits = platform_visits(reads_feed, visits_trading, audience, market.platform_of)


def member_rows(market: Market) -> np.ndarray:
    """``n_platforms x n`` bool, C-contiguous: row k marks the members of platform k (the
    transpose of ``model.membership``, whose columns are strided: at 10k consumers reading one
    costs ten times a contiguous row). Computed again only when the memberships change
    (:meth:`Market.derived`): they are drawn once, but a scenario or test may edit them."""
    membership = market.model.membership
    return market.derived("member_rows", membership, lambda: np.ascontiguousarray(membership.T))


def allied_audience(model: MarketModel, member: np.ndarray) -> np.ndarray:
    """``len(member) x n_platforms`` bool: the consumer is not a member of platform k but of a
    platform allied with it (all False for the giant and unallied platforms).

    Args:
        model: The model (its platforms' alliances).
        member: ``m x n_platforms`` bool memberships of the consumers in question.
    """
    out = np.zeros_like(member)
    for platform in model.platforms:
        if platform.alliance is None:
            continue
        allied = rows_any(member[:, [pl.index for pl in platform.alliance.members]])
        out[:, platform.index] = allied & ~member[:, platform.index]
    return out


def platform_visits(
    reads_feed: np.ndarray,
    visits_trading: np.ndarray,
    audience: np.ndarray,
    platform_of: np.ndarray,
) -> np.ndarray:
    """``n x n_retailers`` bool: the consumer visits the platform retailer r sells on today.

    Args:
        reads_feed: ``n`` bool, the consumer reads the social feed today.
        visits_trading: ``n`` bool, the consumer visits the trading platform today.
        audience: ``n_platforms x n`` bool, platform k's offers reach consumer i's feed (a
            member of k or, with shared traffic, of a platform allied with k): row k is
            platform k's audience (:func:`member_rows`).
        platform_of: Host platform index of each retailer (0 is the giant).
    """
    visits = np.empty((reads_feed.size, platform_of.size), dtype=bool)
    for r, host in enumerate(platform_of):
        # the giant is visited by trading visits, the others through the social feed
        visits[:, r] = visits_trading if host == 0 else reads_feed & audience[host]
    return visits
