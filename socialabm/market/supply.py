"""Suppliers: disruptions, capacity, production and multi-sourcing (docs/ODD.md 7.14).

Each day a supplier not disrupted starts a disruption with probability ``disruption_prob``
lasting ``disruption_days`` days (including today); a disrupted supplier produces nothing.
Otherwise it produces up to ``capacity`` units a day, shared among its retailers in index order.
With ``multi_sourcing``, a retailer's unmet requirement is then produced with the spare capacity
of the other supplier, at the same wholesale price. Per unit produced for retailer r::

    retailer r  -> producing supplier:  w_r   (wholesale)
    supplier    -> outside:             c     (production, c = unit_cost)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socialabm.agents import Retailer, Supplier
    from socialabm.market import Market


def produce(market: Market) -> None:
    """Suppliers' disruptions and production of ordered units up to daily capacity."""
    model = market.model
    for s in model.suppliers:
        s.update_disruption(model.day)
    left = {s.index: (0 if s.disrupted(model.day) else s.capacity) for s in model.suppliers}
    for r in model.retailers:
        if r.to_produce <= 0:
            continue
        for s in [r.supplier, *backup_suppliers(market, r)]:
            units = min(r.to_produce, left[s.index])
            if units <= 0:
                continue
            left[s.index] -= units
            r.to_produce -= units
            r.units.produce(units)
            model.ledger.transfer(r.account, s.account, units * r.wholesale, "wholesale")
            model.ledger.transfer(s.account, "outside", units * s.unit_cost, "production")


def backup_suppliers(market: Market, r: Retailer) -> list[Supplier]:
    """The suppliers that make retailer ``r``'s unmet requirement with their spare capacity:
    with ``multi_sourcing`` every other supplier, else none."""
    if not market.p["multi_sourcing"]:
        return []
    return [s for s in market.model.suppliers if s is not r.supplier]
