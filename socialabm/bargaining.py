"""Supplier-retailer bargaining (MODEL §6): generalized Nash split of the margin."""

from __future__ import annotations

import math
from dataclasses import dataclass


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


def nash_wholesale_price(unit_cost: float, expected_price: float, beta: float, lam: float) -> float:
    """Generalized Nash wholesale price ``w = c + (1 - beta) * lambda * (p - c)``.

    The supplier gets the share ``1 - beta`` of the bargained margin ``lambda * (p - c)``; when the
    expected price does not exceed the cost the supplier sells at cost.
    """
    margin = max(expected_price - unit_cost, 0.0)
    return unit_cost + (1.0 - beta) * lam * margin
