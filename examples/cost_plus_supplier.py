"""A supplier that sells at cost plus a fixed markup (extension example, docs/extending.md).

The default supplier bargains its wholesale price with each retailer (a generalized Nash split
of the margin, so powerful retailers pay less). :class:`CostPlusSupplier` ignores bargaining
power and charges ``unit_cost * (1 + markup)`` to every retailer.

Use ``SocialCommerceModel(supplier_class=CostPlusSupplier)`` or
``supplier_class="examples.cost_plus_supplier:CostPlusSupplier"``.
"""

from __future__ import annotations

from socialabm import Supplier


class CostPlusSupplier(Supplier):
    """Charges every retailer the same cost-plus wholesale price."""

    markup = 0.3
    """Markup on the unit cost."""

    def wholesale_price(self, power: float, expected_price: float) -> float:
        """``unit_cost * (1 + markup)``, whatever the retailer's power or price (CU)."""
        return self.unit_cost * (1.0 + self.markup)
