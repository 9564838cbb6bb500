"""Self-restraint: eroded by social use and sharing, recovering over time (docs/ODD.md 7.7).

Each day::

    x_i  = reads_feed_i * T_i,   T_i = weak_share_i ("weak"), 1 - weak_share_i ("strong"), 1 ("all")
    r'_i = sr_i - rho_use * x_i - rho_share * shared_today_i
    sr_i <- clip(r'_i + rho_recover * (restraint_initial_i - r'_i), 0, 1)

``T_i`` is chosen by ``restraint_tie``: the seed paper ties the loss of restraint to weak-tie
networks; Wilcox & Stephen (2013) found it among users focused on close friends (strong ties).
Self-restraint acts twice: the impulse term lowers the price a consumer weighs (7.4) and the
credit hurdle lowers with it (7.5), so eroded restraint means more impulse buying and more debt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialabm.rules import consumer as rules

if TYPE_CHECKING:
    from socialabm.market import Market


def update(market: Market) -> None:
    """One day of self-restraint dynamics for every consumer."""
    a, p = market.arrays, market.p
    tie = p["restraint_tie"]
    # the share of the tie type (1 - weak_share, a pass over every consumer, only when used)
    if tie == "weak":
        share = a["weak_share"]
    elif tie == "strong":
        share = 1.0 - a["weak_share"]
    else:
        share = 1.0
    exposure = market.reads_feed * share
    rules.self_restraint_step(
        a["self_restraint"],
        a["restraint_initial"],
        exposure,
        market.shared_today,
        p["rho_use"],
        p["rho_share"],
        p["rho_recover"],
        out=a["self_restraint"],
    )
