"""Platform alliances: who joins, who leaves, on one payoff (docs/ODD.md 7.19).

Every ``adapt_every`` days (with ``alliances``), after adaptation (7.18). A platform judges an
alliance by **its own expected alliance income** per round, the same figure when joining and when
leaving. For platform k in alliance A (R = ``campaign_days / adapt_every``
rounds per campaign, ``V_r`` the current volume of retailer r: its order this campaign or, before
it, its sales last campaign)::

    income_k(A) = pooling fees   pooling_fee * sum_{r on k} (w_r(0) - w_r(s_A)) * V_r / R
                + commission     (1 - alliance_referral) * commission * p_r * c_r * U_r / R,
                                 r on k charging commission, U_r = users of A's other members
                                 who are not members of k, c_r = V_r / members of k
                + referral fees  alliance_referral * commission * p_r * c_r * U_kr / R,
                                 r on another member (every merchant pays it), U_kr = k's users
                                 who are not members of r's host
                - coordination   coordination_cost * |A|**2 * adapt_every / |A|

where ``w_r(s)`` is r's wholesale price at pooled share s (bargaining 7.15) and ``s_A`` the share
of current volume hosted by A's members. **Pooled purchasing** works as a volume rebate: while
its host is allied, a merchant's supplier rebates ``w_r(0) - w_r(s_A)`` on every unit it sells
(set by :func:`set_pooling_rebates` after each order and each round), so members' merchants pay
less from the round the alliance forms. The saving reaches the platform only through the
explicit pass-through ``pooling_fee`` (7.17). **Shared traffic** reaches it as commission and
referral fees: with ``alliance_traffic`` the partners' users browse its merchants as its own
users do (ads, reviews: 7.1) and with ``alliance_shopping`` they order in-scene (7.4), so they
are expected to buy at the host's own conversion ``c_r``; the two commission terms count only
with both switches on (an allied user who never sees a merchant is not expected to buy). The
realised income of a round (the same flows as booked in the ledger) is kept as
``Platform.alliance_income`` for the outputs and the app.

1. **Leaving.** A member whose expected income in its alliance was not positive in
   ``leave_after`` consecutive rounds (its volumes fell, partners left) leaves; an alliance of
   fewer than two dissolves. Members do not revise their cooperation by imitation (7.18): the
   alliance payoff alone decides whether they stay.
2. **Joining.** Candidate groups are the live alliances and the unallied social e-commerce
   platforms. Two groups merge when every member ``k`` of the union decides to
   (:meth:`~socialabm.agents.Platform.decides_to_ally`, by default: cooperative and
   ``income_k(union)`` above what it expects where it is now, 0 alone; a subclass decides
   otherwise); the accepted merge with the largest total gain goes
   first, repeated until none is accepted. Two singletons form a **new** alliance (counted once
   in ``alliance_history``); a platform or alliance joining a live alliance **expands** it (the
   larger keeps its identity).
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from socialabm.agents import Alliance
from socialabm.rules.bargaining import current_power

if TYPE_CHECKING:
    from socialabm.agents import Platform, Retailer
    from socialabm.market import Market, MarketModel

__all__ = [
    "current_volumes",
    "expected_income",
    "pooled_saving",
    "pooled_share",
    "set_pooling_rebates",
    "update_alliances",
]


def current_volumes(model: MarketModel) -> np.ndarray:
    """Units per retailer: this campaign's order, or last campaign's sales before it orders."""
    ordered = np.array([r.order_quantity for r in model.retailers], dtype=float)
    return np.maximum(ordered, model.market.last_volume)


def pooled_share(model: MarketModel, members: list[Platform]) -> float:
    """Share of current volume (:func:`current_volumes`) hosted by ``members`` (0 if none)."""
    volumes = current_volumes(model)
    total = volumes.sum()
    if total <= 0:
        return 0.0
    hosted = np.isin(model.market.platform_of, [pl.index for pl in members])
    return float(volumes[hosted].sum() / total)


def pooled_saving(model: MarketModel, r: Retailer, share: float) -> float:
    """How much less per unit (CU) retailer ``r`` pays its supplier bargaining with pooled share
    ``share`` than alone."""
    p = model.p
    alone = r.supplier.wholesale_price(current_power(r, p, 0.0), r.price)
    pooled = r.supplier.wholesale_price(current_power(r, p, share), r.price)
    return max(0.0, alone - pooled)


def set_pooling_rebates(model: MarketModel) -> None:
    """Set each retailer's pooling rebate per unit: :func:`pooled_saving` at its alliance's
    pooled share, 0 outside an alliance (after every order and every alliance round)."""
    for r in model.retailers:
        alliance = r.platform.alliance
        share = 0.0 if alliance is None else pooled_share(model, alliance.members)
        r.pooled_saving = pooled_saving(model, r, share) if alliance is not None else 0.0


def expected_income(model: MarketModel, platform: Platform, members: list[Platform]) -> float:
    """Platform's own expected alliance income per round (CU) as a member of ``members``."""
    p, member = model.p, model.membership
    rounds = max(p["campaign_days"] / p["adapt_every"], 1.0)
    volumes = current_volumes(model)
    share = pooled_share(model, members)
    others = [q.index for q in members if q is not platform]
    shared_traffic = p["alliance_traffic"] and p["alliance_shopping"]
    income = 0.0
    for r in model.retailers:
        host = r.platform
        if host is platform:
            income += p["pooling_fee"] * pooled_saving(model, r, share) * volumes[r.index]
        if not (shared_traffic and host in members):
            continue
        users_of_host = member[:, host.index]
        conversion = volumes[r.index] / max(int(users_of_host.sum()), 1)
        fee = p["commission"] * r.price * conversion
        if host is platform:  # partners' users buying from its merchants: commission kept
            if r.charges_commission:
                reached = member[:, others].any(axis=1) & ~users_of_host
                income += (1.0 - p["alliance_referral"]) * fee * float(reached.sum())
        else:  # its users buying from a partner's merchants: the merchant's referral fee
            reached = member[:, platform.index] & ~users_of_host
            income += p["alliance_referral"] * fee * float(reached.sum())
    coordination = p["coordination_cost"] * len(members) * p["adapt_every"]
    return income / rounds - coordination


def update_alliances(market: Market) -> None:
    """One alliance round: members that keep losing leave, then groups merge while every member
    of a merge gains (see the module docstring); the round's alliance incomes reset."""
    model = market.model
    _leave(model)
    while (best := _best_merge(model)) is not None:
        _merge(model, *best)
    set_pooling_rebates(model)
    for pl in model.platforms:
        pl.alliance_income = 0.0


def _leave(model: MarketModel) -> None:
    for alliance in list(model.alliances):
        for pl in list(alliance.members):
            losing = expected_income(model, pl, alliance.members) <= 0
            pl.losing_rounds = pl.losing_rounds + 1 if losing else 0
            if pl.losing_rounds >= model.p["leave_after"]:
                alliance.members.remove(pl)
                pl.alliance = None
                pl.losing_rounds = 0
                model.log_event(f"{pl.name} left alliance #{alliance.id}")
        if alliance.size < 2:
            _dissolve(model, alliance)


def _dissolve(model: MarketModel, alliance: Alliance) -> None:
    for pl in alliance.members:
        pl.alliance = None
    alliance.members.clear()
    alliance.dissolved_day = model.day
    model.alliances.remove(alliance)
    model.log_event(f"Alliance #{alliance.id} dissolved")


def _best_merge(model: MarketModel) -> tuple[list[Platform], list[Platform]] | None:
    """The accepted merge of two groups with the largest total gain, or ``None``."""
    groups = [list(a.members) for a in model.alliances]
    groups += [[pl] for pl in model.se_platforms if pl.alliance is None]
    best, best_gain = None, 0.0
    for g1, g2 in combinations(groups, 2):
        union = g1 + g2
        now = {pl: _income_now(model, pl) for pl in union}
        offer = {pl: expected_income(model, pl, union) for pl in union}
        if all(pl.decides_to_ally(offer[pl], now[pl]) for pl in union):
            gain = sum(offer[pl] - now[pl] for pl in union)
            if best is None or gain > best_gain:
                best, best_gain = (g1, g2), gain
    return best


def _income_now(model: MarketModel, pl: Platform) -> float:
    """Expected alliance income where the platform is now (0 outside an alliance)."""
    return 0.0 if pl.alliance is None else expected_income(model, pl, pl.alliance.members)


def _merge(model: MarketModel, g1: list[Platform], g2: list[Platform]) -> None:
    """Merge two groups: a new alliance of two singletons, else the larger alliance grows."""
    alliances = sorted(
        {pl.alliance for pl in g1 + g2 if pl.alliance is not None},
        key=lambda a: (-a.size, a.id),
    )
    if not alliances:
        alliance = Alliance(members=[], formed_day=model.day, id=len(model.alliance_history) + 1)
        model.alliances.append(alliance)
        model.alliance_history.append(alliance)
        joining = g1 + g2
        verb = "formed"
    else:
        alliance, absorbed = alliances[0], alliances[1:]
        joining = [pl for pl in g1 + g2 if pl.alliance is not alliance]
        for other in absorbed:
            other.members.clear()
            other.dissolved_day = model.day
            model.alliances.remove(other)
        verb = "grew"
    for pl in joining:
        pl.alliance = alliance
        pl.losing_rounds = 0
        alliance.members.append(pl)
    names = ", ".join(pl.name for pl in joining)
    model.log_event(f"Alliance #{alliance.id} {verb}: {alliance.size} platforms (+{names})")
