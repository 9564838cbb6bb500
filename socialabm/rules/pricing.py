"""Retailer pricing and ordering: survey-based prices and the newsvendor order (docs/ODD.md 7.9,
7.12)."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtri  # the standard normal quantile (scipy.stats.norm.ppf's)

PRICE_GRID_POINTS = 60
"""Candidate prices tried between unit cost and the highest surveyed willingness to pay."""

FALLBACK_MARKUP = 1.25
"""Price as a multiple of unit cost when no surveyed consumer values the product above cost (a
modelling choice: a retailer still asks a margin; docs/ODD.md 7.9)."""

FULL_FRACTILE_SDS = 4.0
"""Standard deviations of spot demand a newsvendor orders above the mean when its critical
fractile is 1 (the normal quantile is infinite there; 4 sd cover all but 3e-5 of demand)."""


def survey_price(wtp: np.ndarray, unit_cost: float) -> float:
    """The margin-maximising price for surveyed willingness to pay.

    Tries a grid of prices from ``unit_cost`` to the largest WTP and returns the one maximising
    ``(p - unit_cost) * share(wtp >= p)``. Higher surveyed WTP (for example after experience
    sharing) therefore yields a higher price without any hard-coded premium.

    Args:
        wtp: Surveyed willingness to pay (CU), any length >= 0.
        unit_cost: Unit cost (CU) below which no price is considered.

    Returns:
        The chosen price (CU); ``FALLBACK_MARKUP * unit_cost`` when nobody values the product
        above cost.
    """
    wtp = np.asarray(wtp, dtype=float)
    if wtp.size == 0 or wtp.max() <= unit_cost:
        return FALLBACK_MARKUP * unit_cost if unit_cost > 0 else 1.0
    grid = np.linspace(unit_cost, wtp.max(), PRICE_GRID_POINTS)
    share = (wtp[None, :] >= grid[:, None]).mean(axis=1)
    return float(grid[np.argmax((grid - unit_cost) * share)])


def critical_fractile(price: float, wholesale: float, salvage: float) -> float:
    """Newsvendor critical fractile ``(p - w) / (p - salvage)``, clipped to [0, 1]."""
    if price <= salvage:
        return 0.0
    return float(min(1.0, max(0.0, (price - wholesale) / (price - salvage))))


def newsvendor_quantity(
    known_orders: int, mean: float, sd: float, price: float, wholesale: float, salvage: float
) -> int:
    """Order quantity ``Q = known orders + mean + z * sd`` with ``z = Phi^-1(critical fractile)``.

    This is the optimal order of the normal newsvendor for the uncertain (spot) part of demand
    plus the demand already known from presale orders. Rounded up to whole units, never below
    the known orders.

    Args:
        known_orders: Binding presale orders (units, >= 0).
        mean: Mean of uncertain spot demand (units, >= 0).
        sd: Standard deviation of spot demand (units, >= 0).
        price: Selling price (CU).
        wholesale: Wholesale price paid per unit (CU).
        salvage: Value of a leftover unit (CU).
    """
    fractile = critical_fractile(price, wholesale, salvage)
    if sd <= 0 or mean <= 0:
        spot = max(mean, 0.0)
    elif fractile <= 0.0:
        spot = 0.0
    elif fractile >= 1.0:
        spot = mean + FULL_FRACTILE_SDS * sd
    else:
        spot = max(0.0, mean + float(ndtri(fractile)) * sd)
    return int(known_orders + math.ceil(spot - 1e-9))


def spot_demand_forecast(
    surveyed_wtp: np.ndarray, price: float, pool: float, growth: float
) -> tuple[float, float]:
    """Mean and sd of spot demand estimated from a survey.

    The buying share ``s = share(wtp >= price)`` in the survey is projected onto ``pool`` potential
    buyers scaled by ``growth`` (the retailer's learned ratio of realised to surveyed demand).
    The sd combines survey sampling error and binomial noise.
    """
    k = max(len(surveyed_wtp), 1)
    share = float(np.mean(np.asarray(surveyed_wtp) >= price)) if len(surveyed_wtp) else 0.0
    reach = pool * growth
    mean = reach * share
    sd = math.sqrt(reach**2 * share * (1 - share) / k + reach * share * (1 - share))
    return mean, sd
