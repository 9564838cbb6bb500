"""Platform adaptation and alliances (MODEL §7), run every ``adapt_every`` days."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from socialabm.agents import Alliance
from socialabm.bargaining import current_power

if TYPE_CHECKING:
    from socialabm.agents import Platform
    from socialabm.market import MarketModel


def close_round(model: MarketModel) -> None:
    """Move every platform's accumulated payoff into ``last_round_payoff``."""
    for pl in model.platforms:
        pl.last_round_payoff = pl.round_payoff
        pl.round_payoff = 0.0


def adapt_platforms(model: MarketModel) -> None:
    """Each non-giant platform revisits integration (social) or cooperation (social
    e-commerce) by payoff-driven imitation with exploration."""
    close_round(model)
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


def standalone_payoff(pl: Platform) -> float:
    """What the platform would have earned last round outside its alliance (CU)."""
    return pl.last_round_payoff - pl.alliance_income


def alliance_gain(model: MarketModel, members: list[Platform]) -> float:
    """Projected gain of an alliance per round (CU): pooled purchasing + shared traffic.

    Pooled purchasing: members' merchants bargain with the pooled volume of last campaign;
    the gain is the drop in their wholesale price times their last volume. Shared traffic:
    consumers of other members who would shop in-scene across the alliance, at the host
    members' own conversion, times the commission.
    """
    market, p = model.market, model.p
    hosts = {pl.index for pl in members}
    pooled = market.volume_share(members)
    rounds_per_campaign = max(p["campaign_days"] / p["adapt_every"], 1.0)
    gain = 0.0
    for r in model.retailers:
        if r.platform.index not in hosts:
            continue
        w_alone = r.supplier.wholesale_price(current_power(r, p, pooled=0.0), r.price)
        w_pooled = r.supplier.wholesale_price(current_power(r, p, pooled=pooled), r.price)
        gain += (w_alone - w_pooled) * market.last_volume[r.index] / rounds_per_campaign
        member = model.membership
        own = member[:, r.platform.index]
        others = member[:, [h for h in hosts if h != r.platform.index]].any(axis=1) & ~own
        conversion = market.last_volume[r.index] / max(own.sum(), 1)
        gain += p["commission"] * r.price * conversion * others.sum() / rounds_per_campaign
    return float(gain)


def coordination_per_round(model: MarketModel, size: int) -> float:
    """Coordination cost of an alliance of ``size`` platforms per round (CU)."""
    return model.p["coordination_cost"] * size**2 * model.p["adapt_every"]


def update_alliances(model: MarketModel) -> None:
    """Members that keep losing leave; then cooperative platforms merge pairwise when every
    member's equal share of the alliance surplus beats standing alone (MODEL §7)."""
    if not model.p["adaptation"]:
        close_round(model)
    day = model.day
    for alliance in list(model.alliances):
        for pl in list(alliance.members):
            pl.losing_rounds = pl.losing_rounds + 1 if pl.alliance_income < 0 else 0
            if pl.losing_rounds >= model.p["leave_after"] or not pl.cooperative:
                alliance.members.remove(pl)
                pl.alliance = None
                pl.losing_rounds = 0
                model.log_event(f"{pl.name} left the alliance")
        if alliance.size < 2:
            for pl in alliance.members:
                pl.alliance = None
            alliance.members.clear()
            alliance.dissolved_day = day
            model.alliances.remove(alliance)
            model.log_event("An alliance dissolved")
    merged = True
    while merged:
        merged = False
        groups = _candidate_groups(model)
        best = None
        for g1, g2 in combinations(groups, 2):
            members = g1 + g2
            surplus = alliance_gain(model, members) - coordination_per_round(model, len(members))
            share = surplus / len(members)
            if all(
                pl.decides_to_ally(standalone_payoff(pl) + share, standalone_payoff(pl))
                for pl in members
            ) and (best is None or surplus > best[0]):
                best = (surplus, members)
        if best is not None:
            _form(model, best[1])
            merged = True
    for pl in model.platforms:
        pl.alliance_income = 0.0


def _candidate_groups(model: MarketModel) -> list[list[Platform]]:
    """Cooperative social e-commerce platforms as singletons, plus live alliances."""
    groups = [list(a.members) for a in model.alliances]
    groups += [[pl] for pl in model.se_platforms if pl.cooperative and pl.alliance is None]
    return groups


def _form(model: MarketModel, members: list[Platform]) -> None:
    old = {id(pl.alliance): pl.alliance for pl in members if pl.alliance is not None}
    for alliance in old.values():
        alliance.dissolved_day = model.day
        model.alliances.remove(alliance)
    alliance = Alliance(
        members=list(members), formed_day=model.day, id=len(model.alliance_history) + 1
    )
    for pl in members:
        pl.alliance = alliance
        pl.losing_rounds = 0
    model.alliances.append(alliance)
    model.alliance_history.append(alliance)
    model.log_event(
        f"Alliance of {alliance.size} platforms formed ({', '.join(pl.name for pl in members)})"
    )
