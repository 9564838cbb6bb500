"""Suppliers: capacity, disruptions and the wholesale price they bargain for (docs/ODD.md 7.14,
7.15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from socialabm.rules.bargaining import nash_wholesale_price

if TYPE_CHECKING:
    from socialabm.model import SocialCommerceModel


class Supplier(mesa.Agent):
    """A supplier producing retailers' orders up to a daily capacity.

    Attributes:
        index: Position among the model's suppliers.
        name: Display name.
        unit_cost: Production cost per unit, CU.
        capacity: Units it can produce per day.
        disrupted_until: Last day of the current disruption (-1 when none).
    """

    def __init__(
        self, model: SocialCommerceModel, index: int, unit_cost: float, capacity: int
    ) -> None:
        super().__init__(model)
        self.index = index
        self.name = f"supplier_{index}"
        self.unit_cost = unit_cost
        self.capacity = capacity
        self.disrupted_until = -1

    @property
    def cash(self) -> float:
        """Ledger balance of its account, CU (so ``DataCollector(agent_reporters={"cash":
        "cash"})`` works on every agent type; consumers have cash too)."""
        return float(self.model.ledger.balances[self.account])

    @property
    def account(self) -> str:
        """Ledger account name."""
        return f"supplier:{self.name}"

    def disrupted(self, day: int) -> bool:
        """Whether the supplier is disrupted (produces nothing) on ``day``."""
        return day <= self.disrupted_until

    def update_disruption(self, day: int) -> None:
        """Start a disruption today with probability ``disruption_prob`` (when not disrupted and
        ``disrupted_supplier`` is ``"any"`` or this supplier: no draw otherwise)."""
        p = self.model.p
        if p["disrupted_supplier"] not in ("any", self.name):
            return
        if not self.disrupted(day) and self.model.rng.random() < p["disruption_prob"]:
            self.disrupted_until = day + p["disruption_days"] - 1

    def wholesale_price(self, power: float, expected_price: float) -> float:
        """Wholesale price bargained with a retailer of power ``power`` (generalized Nash), CU."""
        return nash_wholesale_price(
            self.unit_cost, expected_price, power, self.model.p["bargaining_lambda"]
        )
