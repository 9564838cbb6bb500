"""Platform adaptation: imitation with exploration (docs/ODD.md 7.18), every ``adapt_every`` days.

Every platform but the giant revisits one strategy flag: the social platform whether to offer
in-app ordering, a social e-commerce platform whether to be cooperative (willing to ally). A
platform adopts a better-paid peer's choice with probability growing in the payoff gap, then
explores (flips) with probability ``epsilon`` (:meth:`~socialabm.agents.Platform.adapt`). A member
of an alliance does not adapt: its own expected alliance income decides whether it stays (7.19).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socialabm.market import Market


def close_round(market: Market) -> None:
    """Move every platform's accumulated payoff into ``last_round_payoff``."""
    for pl in market.model.platforms:
        pl.last_round_payoff = pl.round_payoff
        pl.round_payoff = 0.0


def adapt_platforms(market: Market) -> None:
    """Each non-giant platform revisits integration (social) or cooperation (social
    e-commerce) by payoff-driven imitation with exploration (after :func:`close_round`)."""
    model = market.model
    payoffs = [abs(pl.last_round_payoff) for pl in model.platforms if pl.adapts()]
    scale = max(max(payoffs, default=0.0), 1e-9)
    for pl in model.platforms:
        if not pl.adapts():
            continue
        peers = [q for q in model.platforms if q.kind == pl.kind and q is not pl]
        before = pl.integrated
        pl.adapt(peers, scale)
        if pl.kind == "social" and pl.integrated != before:
            state = "offers in-app ordering" if pl.integrated else "stops in-app ordering"
            model.log_event(f"The social platform {state}")
