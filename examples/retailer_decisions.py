"""Retailers that change one decision each (extension examples, docs/extending.md).

* :class:`LeanRetailer` -- ``choose_order_quantity``: orders its presale orders plus the mean
  spot forecast only, without the newsvendor's safety stock;
* :class:`BrandPresaleRetailer` -- ``decides_presale``: runs a presale only with a strong brand.

The price decision has its own example, ``examples.dynamic_pricing_retailer``. Use
``SocialCommerceModel(retailer_class=LeanRetailer)`` or
``retailer_class="examples.retailer_decisions:LeanRetailer"``.
"""

from __future__ import annotations

import math

from socialabm import Retailer


class LeanRetailer(Retailer):
    """Orders known presale demand plus the expected spot demand, no safety stock."""

    def choose_order_quantity(self) -> int:
        """``presale_orders + ceil(spot_forecast)`` units."""
        return self.presale_orders + math.ceil(self.spot_forecast)


class BrandPresaleRetailer(Retailer):
    """Runs a presale (when the scenario has a presale window) only if its brand is strong."""

    strong_brand = 0.6
    """Brand strength from which it runs a presale."""

    def decides_presale(self) -> bool:
        """Presale only with a brand of at least :attr:`strong_brand`."""
        return self.brand >= self.strong_brand
