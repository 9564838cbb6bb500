"""Experience presale: cheap trial units that seed word of mouth and teach the retailer
(docs/ODD.md 7.11).

On day 0 of a campaign under ``presale_mode = "experience"``, the retailers that run the presale
hand out up to ``experience_units`` units each, one per consumer, to candidates ranked by their
willingness to pay ``valuation * q_ir``: first the well-informed consumers aware of the product,
then semi-informed ones if too few. The units are allocated **fairly**: in rounds, the retailers
(in a random order each round) each take their best remaining candidate, so no retailer is
served first. The units are produced at once (outside the supplier's capacity)::

    retailer -> supplier:   units * unit_cost   (wholesale, at cost)
    supplier -> outside:    units * unit_cost   (production)
    consumer -> retailer:   experience_price    (each recipient; cash then credit)

Recipients receive and experience the unit the same day and share it with probability
``experience_share`` (review and posts as for any unit). An experience unit is a trial, not a
purchase: ``bought`` stays false, so recipients may still order.

**Demand learning.** The retailer reads its experience users' verdict, the mean quality their
posts claim, ``v_r`` (``Market.experience_verdict``). When it surveys willingness to pay for the
presale price and the production order, it expects each surveyed belief to move toward that
verdict,
``q_ir + experience_learning * (v_r - q_ir)`` (:func:`socialabm.market.campaigns.survey`): the
experience users' posts and reviews will reach its market before the selling window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.market.payments import pay
from socialabm.market.shopping import receive
from socialabm.rules import consumer as rules

if TYPE_CHECKING:
    from socialabm.market import Market


def hand_out_units(market: Market) -> None:
    """Experience presale: units go cheaply to the most interested informed consumers, shared
    fairly between retailers; recipients receive them at once (see the module docstring)."""
    a, p, model = market.arrays, market.p, market.model
    givers = [r for r in model.retailers if r.runs_presale]
    market.experience_verdict = {}
    market.experience_users = np.zeros(model.network.n, dtype=bool)
    if not givers or p["experience_units"] == 0:
        return
    ranked = {r.index: _candidates(market, r.index) for r in givers}
    taken = np.zeros(model.network.n, dtype=bool)
    chosen: dict[int, list[int]] = {r.index: [] for r in givers}
    position = dict.fromkeys(ranked, 0)
    for _ in range(p["experience_units"]):
        progressed = False
        for r_index in model.rng.permutation(list(ranked)):
            candidates, k = ranked[r_index], position[r_index]
            while k < candidates.size and taken[candidates[k]]:
                k += 1
            position[r_index] = k + 1
            if k < candidates.size:
                taken[candidates[k]] = True
                chosen[r_index].append(int(candidates[k]))
                progressed = True
        if not progressed:
            break
    given = []
    for r in givers:
        users = np.sort(np.array(chosen[r.index], dtype=np.int64))
        if users.size == 0:
            continue
        units = int(users.size)
        r.units.produce(units)
        model.ledger.transfer(
            r.account, r.supplier.account, units * r.supplier.unit_cost, "wholesale"
        )
        model.ledger.transfer(
            r.supplier.account, "outside", units * r.supplier.unit_cost, "production"
        )
        r.units.take(units, "experience")
        pay(market, users, np.full(units, p["experience_price"]), r.account, "experience")
        a["expectation"][users] = a["belief"][users, r.index]
        a["aware"][users, r.index] = True
        market.experience_users[users] = True
        receive(market, users, r.index, purchase=False)
        market.experience_verdict[r.index] = _verdict(market, users)
        given.append(users)
        market.totals["experience_units"] += units
    if given:
        market.received_experience = np.concatenate(given)


def _candidates(market: Market, r_index: int) -> np.ndarray:
    """Consumers who may get retailer ``r_index``'s unit, best first: well-informed and aware,
    then semi-informed, each group by willingness to pay (highest first)."""
    a, decisions = market.arrays, market.model.decisions
    free = ~a["bought"]
    groups = (
        np.flatnonzero((a["informed"] == 2) & a["aware"][:, r_index] & free),
        np.flatnonzero((a["informed"] == 1) & free),
    )
    ordered = []
    for group in groups:
        by_value = np.zeros(group.size)  # ranked by product value: loyalty aside
        wtp = decisions.willingness_to_pay(group, a["belief"][group, r_index], by_value)
        ordered.append(group[np.argsort(-wtp, kind="stable")])
    return np.concatenate(ordered)


def _verdict(market: Market, users: np.ndarray) -> float:
    """Mean quality experience users claim in their posts: their honest rating raised by their
    inflation bias (7.8), as the retailer reads it."""
    a, p = market.arrays, market.p
    honest = rules.honest_quality(
        a["experienced"][users], a["expectation"][users], p["disconfirmation"]
    )
    return float(rules.inflated_quality(honest, a["inflation"][users]).mean())
