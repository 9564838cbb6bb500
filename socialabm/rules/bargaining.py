"""Supplier-retailer bargaining (docs/ODD.md 7.15): generalized Nash split of the margin."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

MULTI_SOURCING_CONCENTRATION = 0.5
"""Supplier concentration a retailer faces with ``multi_sourcing`` (two suppliers to turn to);
1 with a single supplier (docs/ODD.md 7.15)."""


@dataclass(frozen=True)
class PowerInputs:
    """What a retailer brings to the bargaining table, each on [0, 1].

    Attributes:
        concentration: Buyer concentration (an oligopoly buyer is near 1).
        brand: Brand strength.
        scale: Share of last campaign's units among all retailers.
        advance: Share of the order paid in advance (deposits).
        certainty: Share of the order known from binding presale orders.
        pooled: Alliance pooled-volume share (0 outside an alliance).
        supplier_concentration: Concentration on the supply side (1 = a single supplier).
    """

    concentration: float
    brand: float
    scale: float
    advance: float
    certainty: float
    pooled: float
    supplier_concentration: float


def retailer_power(inputs: PowerInputs, weights: dict[str, float], bias: float) -> float:
    """Retailer bargaining power ``beta`` in (0, 1): logistic in the weighted inputs.

    ``beta = 1 / (1 + exp(-(bias + sum_k w_k x_k - w_supplier * supplier_concentration)))``

    Args:
        inputs: The retailer's power inputs.
        weights: Weights by input name (``concentration``, ``brand``, ``scale``, ``advance``,
            ``certainty``, ``pooled``, ``supplier``).
        bias: Intercept (logit scale).
    """
    z = (
        bias
        + weights["concentration"] * inputs.concentration
        + weights["brand"] * inputs.brand
        + weights["scale"] * inputs.scale
        + weights["advance"] * inputs.advance
        + weights["certainty"] * inputs.certainty
        + weights["pooled"] * inputs.pooled
        - weights["supplier"] * inputs.supplier_concentration
    )
    return 1.0 / (1.0 + math.exp(-z))


class Bargainer(Protocol):
    """What bargaining reads from a retailer (:class:`~socialabm.Retailer` has it all)."""

    @property
    def buyer_concentration(self) -> float:
        """Buyer concentration of the retailer's channel, in [0, 1]."""

    @property
    def brand(self) -> float:
        """Brand strength, in [0, 1]."""

    @property
    def scale(self) -> float:
        """Share of last campaign's units among all retailers, in [0, 1]."""

    @property
    def presale_orders(self) -> int:
        """Binding presale orders this campaign."""

    @property
    def spot_forecast(self) -> float:
        """Spot demand forecast (mean) this campaign, units."""

    @property
    def runs_presale(self) -> bool:
        """Whether the retailer runs a presale this campaign."""


POWER_WEIGHTS = ("concentration", "brand", "scale", "advance", "certainty", "pooled", "supplier")
"""Names of the power weights: parameter ``power_<name>`` weighs input ``<name>``."""


def power_inputs(retailer: Bargainer, p: Mapping[str, Any], pooled: float) -> PowerInputs:
    """The retailer's power inputs now (docs/ODD.md 7.15).

    With ``q = max(presale_orders + spot_forecast, 1)``: ``advance = deposit * presale_orders / q``
    and ``certainty = min(1, presale_orders / q)`` for a retailer running a presale (else 0);
    ``supplier_concentration`` is :data:`MULTI_SOURCING_CONCENTRATION` with ``multi_sourcing``,
    else 1.

    Args:
        retailer: The retailer (after its spot forecast for the campaign is set).
        p: The model parameters (``deposit``, ``multi_sourcing``).
        pooled: Alliance pooled-volume share in [0, 1] (0 outside an alliance).
    """
    q = max(retailer.presale_orders + retailer.spot_forecast, 1.0)
    orders = retailer.presale_orders if retailer.runs_presale else 0
    return PowerInputs(
        concentration=retailer.buyer_concentration,
        brand=retailer.brand,
        scale=purchasing_scale(retailer),
        advance=advance_share(p["deposit"], orders, q),
        certainty=order_certainty(orders, q),
        pooled=pooled,
        supplier_concentration=1.0 - multi_sourcing_relief(p["multi_sourcing"]),
    )


def purchasing_scale(retailer: Bargainer) -> float:
    """The retailer's purchasing scale as a power input, [0, 1]: its share of all units sold in
    the last finished campaign (learned at each close, 7.12), so a retailer whose buyers are many
    bargains from a larger volume (the seed paper's "e-commerce procurement scale is huge").

    Args:
        retailer: The retailer (its ``scale``).
    """
    return retailer.scale


def multi_sourcing_relief(multi_sourcing: bool) -> float:
    """How much multi-sourcing lowers the supplier concentration a retailer faces, [0, 1]:
    ``1 - MULTI_SOURCING_CONCENTRATION`` with a second supplier to turn to, else 0 (the
    bargaining-power pathway of multi-sourcing; its recovery pathway is
    :func:`socialabm.market.supply.backup_suppliers`).

    Args:
        multi_sourcing: Whether the retailer may buy from every supplier.
    """
    return 1.0 - MULTI_SOURCING_CONCENTRATION if multi_sourcing else 0.0


def advance_share(deposit: float, presale_orders: int, quantity: float) -> float:
    """Share of the order paid in advance: ``deposit * presale_orders / quantity``, in [0, 1].

    Args:
        deposit: Deposit as a share of the presale price, [0, 1].
        presale_orders: Binding presale orders (0 for a retailer without a presale).
        quantity: Units the retailer expects to sell, ``max(presale orders + spot forecast, 1)``.
    """
    return deposit * presale_orders / quantity


def order_certainty(presale_orders: int, quantity: float) -> float:
    """Share of the order known from binding presale orders: ``min(1, presale_orders /
    quantity)`` (arguments as for :func:`advance_share`)."""
    return min(1.0, presale_orders / quantity)


def current_power(retailer: Bargainer, p: Mapping[str, Any], pooled: float) -> float:
    """Bargaining power ``beta`` of ``retailer`` from its current inputs and the model's power
    weights (``power_<name>`` for each of :data:`POWER_WEIGHTS`) and ``power_bias``.

    Args:
        retailer: The retailer.
        p: The model parameters.
        pooled: Alliance pooled-volume share in [0, 1] (0 outside an alliance).
    """
    weights = {k: p[f"power_{k}"] for k in POWER_WEIGHTS}
    return retailer_power(power_inputs(retailer, p, pooled), weights, p["power_bias"])


def nash_wholesale_price(unit_cost: float, expected_price: float, beta: float, lam: float) -> float:
    """Generalized Nash wholesale price ``w = c + (1 - beta) * lambda * (p - c)``.

    The supplier gets the share ``1 - beta`` of the bargained margin ``lambda * (p - c)``; when the
    expected price does not exceed the cost the supplier sells at cost.
    """
    margin = max(expected_price - unit_cost, 0.0)
    return unit_cost + (1.0 - beta) * lam * margin
