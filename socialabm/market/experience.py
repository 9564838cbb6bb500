"""Experience presale: cheap trial units that seed word of mouth (docs/ODD.md 7.11).

On day 0 of a campaign under ``presale_mode = "experience"``, each retailer running the presale
in turn gives ``experience_units`` units to the well-informed consumers aware of its product who
have not bought and hold no other experience unit (one each), highest ``valuation * q_ir`` first.
The units are produced at once (outside the supplier's capacity)::

    retailer -> supplier:   units * unit_cost   (wholesale, at cost)
    supplier -> outside:    units * unit_cost   (production)
    consumer -> retailer:   experience_price    (each recipient; cash then debt)

The recipients receive, experience and always share them the same day. An experience unit is a
trial, not a purchase: ``bought`` stays false, so recipients may still order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm import consumer_rules as rules
from socialabm.market.payments import pay
from socialabm.market.shopping import receive

if TYPE_CHECKING:
    from socialabm.market import Market


def hand_out_units(market: Market) -> None:
    """Experience presale: units go cheaply to well-informed aware consumers, highest WTP
    first; they receive and share at once (MODEL §5)."""
    a, p, ledger = market.arrays, market.p, market.model.ledger
    given = []
    has_unit = np.zeros(market.model.network.n, dtype=bool)  # one experience unit each
    for r in market.model.retailers:
        eligible = np.flatnonzero(
            (a["informed"] == 2) & a["aware"][:, r.index] & ~a["bought"] & ~has_unit
        )
        if eligible.size == 0 or p["experience_units"] == 0 or not r.runs_presale:
            continue
        wtp = rules.willingness_to_pay(
            a["valuation"][eligible], a["belief"][eligible, r.index], 0.0, 0.0
        )
        chosen = eligible[np.argsort(-wtp, kind="stable")[: p["experience_units"]]]
        units = int(chosen.size)
        r.units.produce(units)
        ledger.transfer(r.account, r.supplier.account, units * r.supplier.unit_cost, "wholesale")
        ledger.transfer(r.supplier.account, "outside", units * r.supplier.unit_cost, "production")
        r.units.take(units, "experience")
        pay(market, chosen, np.full(units, p["experience_price"]), r.account, "experience")
        has_unit[chosen] = True
        a["expectation"][chosen] = a["belief"][chosen, r.index]
        receive(market, chosen, r.index, purchase=False)
        given.append(chosen)
        market.totals["experience_units"] += units
    market.received_experience = np.concatenate(given) if given else np.zeros(0, np.int64)
