"""A retailer that marks its price up after a sell-out (extension example, docs/extending.md).

The default retailer prices each campaign from a survey of willingness to pay alone.
:class:`DynamicPricingRetailer` remembers how its last campaign went: if it sold out (turned
buyers away unfilled, or had no stock left), it marks the survey price up by ``markup``; if more
than ``slack`` of its order was left over, it marks it down by the same factor.

Use ``SocialCommerceModel(retailer_class=DynamicPricingRetailer)`` or, from the repository root,
``retailer_class="examples.dynamic_pricing_retailer:DynamicPricingRetailer"``.
"""

from __future__ import annotations

import numpy as np

from socialabm import Retailer


class DynamicPricingRetailer(Retailer):
    """A retailer whose price reacts to last campaign's sell-out or leftovers."""

    markup = 0.15
    """Relative price change after a sell-out (up) or large leftovers (down)."""
    slack = 0.3
    """Share of the order left over above which the price is marked down."""

    def choose_price(self, surveyed_wtp: np.ndarray) -> float:
        """Survey price, marked up after a sell-out and down after large leftovers (CU)."""
        price = super().choose_price(surveyed_wtp)
        records = [r for r in self.model.market.campaign_records if r["retailer"] == self.name]
        if not records:
            return price
        last = records[-1]
        sold_out = last["unfilled"] > 0 or (last["order_quantity"] > 0 and last["leftover"] == 0)
        if sold_out:
            return price * (1.0 + self.markup)
        if last["leftover_share"] > self.slack:
            return max(self.model.p["unit_cost"], price * (1.0 - self.markup))
        return price
