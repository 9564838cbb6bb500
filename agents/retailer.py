"""Retailers (docs/ODD.md 7.9-7.13): a channel, a product, prices, stock and a supplier."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from socialabm.ledger import UnitRegister
from socialabm.rules import pricing

if TYPE_CHECKING:
    from socialabm.agents.platform import Platform
    from socialabm.agents.supplier import Supplier

    from socialabm.model import SocialCommerceModel

CHANNELS = ("self_run", "trading_3p", "social_3p", "self_built_social")
"""Retail channels: the giant's own retail, third parties on the trading platform and on a social
e-commerce platform, and a retailer that owns its social platform."""

CONCENTRATION_PARAMETER = {
    "self_run": "concentration_self_run",
    "trading_3p": "concentration_trading_3p",
    "social_3p": "concentration_social_3p",
    "self_built_social": "concentration_self_built",
}
"""The parameter giving each channel's buyer concentration (oligopoly buyer = 1)."""


class Retailer(mesa.Agent):
    """A retailer selling one product per campaign through its channel.

    Attributes:
        index: Position among the model's retailers (column in consumer matrices).
        name: Display name (the channel).
        channel: One of :data:`CHANNELS`.
        platform: The platform it sells on.
        quality: True product quality in [0, 1].
        brand: Brand strength in [0, 1].
        supplier: Current supplier.
        price: Regular (selling-window) price, CU.
        presale_price: Presale price this campaign, CU (0 without presale).
        wholesale: Wholesale price agreed this campaign, CU per unit.
        pooled_saving: Rebate per unit sold that its supplier grants for its alliance's pooled
            purchasing, CU (0 outside an alliance).
        rebates_campaign: Pooling rebates received this campaign, CU.
        units: Unit register (produced, sold, experience, salvaged, stock).
        order_quantity: Units ordered from the supplier this campaign.
        to_produce: Units ordered but not yet produced.
        presale_orders: Binding presale orders this campaign.
        presale_delivered: Presale orders delivered this campaign.
        presale_cancelled: Presale orders cancelled at the delivery deadline this campaign.
        spot_forecast: Spot demand forecast (mean) this campaign, units.
        growth: Learned ratio of realised to surveyed spot demand (>= 0.25).
        scale: Share of all units sold last campaign.
        runs_presale: Whether it runs presale this campaign.
    """

    def __init__(
        self,
        model: SocialCommerceModel,
        index: int,
        channel: str,
        platform: Platform,
        quality: float,
        brand: float,
        supplier: Supplier,
    ) -> None:
        super().__init__(model)
        self.index = index
        self.name = channel
        self.channel = channel
        self.platform = platform
        self.quality = quality
        self.brand = brand
        self.supplier = supplier
        self.price = 0.0
        self.presale_price = 0.0
        self.wholesale = model.p["unit_cost"]
        self.units = UnitRegister()
        self.spot_forecast = 0.0
        self.spot_sd = 0.0
        self.growth = 1.0
        self.scale = 0.25
        self.start_campaign(runs_presale=False)
        self.power = 0.5
        self.pooled_saving = 0.0

    def start_campaign(self, runs_presale: bool) -> None:
        """Reset the per-campaign orders, prices and counters at a campaign's start."""
        self.runs_presale = runs_presale
        self.presale_price = 0.0
        self.presale_orders = self.presale_delivered = self.presale_cancelled = 0
        self.order_quantity = self.to_produce = 0
        self.stockout_days = self.unfilled = self.fan_loss = 0
        self.shares_campaign = self.sold_campaign = 0
        self.rebates_campaign = 0.0

    @property
    def charges_commission(self) -> bool:
        """Whether it pays its host a commission (third-party channels)."""
        return self.channel in ("trading_3p", "social_3p")

    def decides_presale(self) -> bool:
        """Whether it runs a presale this campaign (when the strategy has a presale window):
        by default when ``presale_channels`` is ``"all"`` or its own channel."""
        return self.model.p["presale_channels"] in ("all", self.channel)

    @property
    def owed_presale(self) -> int:
        """Presale orders of this campaign neither delivered nor cancelled (units)."""
        return self.presale_orders - self.presale_delivered - self.presale_cancelled

    @property
    def cash(self) -> float:
        """Ledger balance of its account, CU (so ``DataCollector(agent_reporters={"cash":
        "cash"})`` works on every agent type; consumers have cash too)."""
        return float(self.model.ledger.balances[self.account])

    @property
    def account(self) -> str:
        """Ledger account name."""
        return f"retailer:{self.name}"

    @property
    def buyer_concentration(self) -> float:
        """Buyer concentration of its channel, [0, 1] (parameter ``concentration_<channel>``)."""
        return self.model.p[CONCENTRATION_PARAMETER[self.channel]]

    def choose_price(self, surveyed_wtp: np.ndarray) -> float:
        """Regular price from a survey of aware consumers' willingness to pay (CU)."""
        return pricing.survey_price(surveyed_wtp, self.model.p["unit_cost"])

    def choose_presale_price(self, surveyed_wtp: np.ndarray, days_to_delivery: int) -> float:
        """Presale price: the survey price of WTP less the waiting cost to delivery (CU)."""
        waiting = self.model.p["waiting_cost"] * days_to_delivery
        return pricing.survey_price(surveyed_wtp - waiting, self.model.p["unit_cost"])

    def choose_order_quantity(self) -> int:
        """Newsvendor order: presale orders plus the spot forecast at the critical fractile."""
        p = self.model.p
        return pricing.newsvendor_quantity(
            self.presale_orders,
            self.spot_forecast,
            self.spot_sd,
            self.price,
            self.wholesale,
            p["salvage"],
        )
