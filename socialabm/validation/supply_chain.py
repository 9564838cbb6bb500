"""Retailers' production orders (the newsvendor optimum) and supplier-retailer deals (the
generalized Nash bargaining split) in running models."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from socialabm.rules.bargaining import current_power, nash_wholesale_price
from socialabm.rules.pricing import newsvendor_quantity
from socialabm.validation.expectations import (
    nash_product_maximiser,
    newsvendor_expected_profit,
    newsvendor_optimum,
)
from socialabm.validation.result import SOURCES, CheckResult, check_result
from socialabm.validation.runs import order_days

NEWSVENDOR_CASES = (
    # known orders, mean, sd, price, wholesale, salvage
    (0, 200.0, 50.0, 100.0, 40.0, 10.0),
    (30, 200.0, 50.0, 100.0, 40.0, 10.0),
    (0, 80.0, 30.0, 60.0, 50.0, 15.0),
    (12, 500.0, 120.0, 70.0, 33.0, 15.0),
    (0, 1000.0, 10.0, 45.0, 44.0, 0.0),
    (5, 37.5, 12.25, 88.0, 30.0, 20.0),
)
"""Further inputs of :func:`check_newsvendor` for ``pricing.newsvendor_quantity``, with critical
fractiles from 0.02 to 0.85 (the model's orders cover a narrower range)."""


def _newsvendor_gap(
    order: int, known: int, mean: float, sd: float, price: float, wholesale: float, salvage: float
) -> tuple[float, float]:
    """Units between an order's spot part and the expected-profit maximiser rounded up (0 when
    ``maximiser <= spot < maximiser + 1``), and the expected profit given up (CU)."""
    best = newsvendor_optimum(mean, sd, price, wholesale, salvage)
    spot = order - known
    lost = newsvendor_expected_profit(best, mean, sd, price, wholesale, salvage)
    lost -= newsvendor_expected_profit(spot, mean, sd, price, wholesale, salvage)
    return max(best - spot, spot - best - 1.0, 0.0), lost


def check_newsvendor(
    fast: bool = False, quantity_fn: Callable[..., int] = newsvendor_quantity
) -> CheckResult:
    """Retailers' production orders maximise expected profit over their own forecast.

    In running models (the ``presale`` and ``bargaining_power`` scenarios, right after each of the
    first three production orders) every retailer's order ``Q`` is compared with the order
    maximising its expected profit, computed independently: with the inputs the retailer holds when
    it orders (price ``p``, agreed wholesale price ``w``, ``salvage``, presale orders ``K`` and spot
    forecast mean and sd), demand is ``K + max(X, 0)``, ``X ~ N(mean, sd)``, and ``E[p min(D, y) +
    salvage (y - D)^+] - w y`` is integrated by quadrature and maximised numerically over the spot
    units ``y`` (:func:`~socialabm.validation.expectations.newsvendor_optimum`). Orders are whole
    units and the model rounds up, so the claim is ``y* <= Q - K < y* + 1``; measured is how far ``Q
    - K`` lies outside that interval (units), tolerance 1e-4 (the maximiser's numerical precision is
    about 1e-6 units). ``pricing.newsvendor_quantity`` (or ``quantity_fn``) is checked the same way
    on :data:`NEWSVENDOR_CASES`.

    Args:
        fast: One seed per scenario instead of two.
        quantity_fn: Order function judged on the fixed cases (to show the check can fail).
    """
    gaps, lost = [], []
    for model in order_days(fast):
        for r in model.retailers:
            inputs = (r.spot_forecast, r.spot_sd, r.price, r.wholesale, model.p["salvage"])
            gap, loss = _newsvendor_gap(r.order_quantity, r.presale_orders, *inputs)
            gaps.append(gap)
            lost.append(loss)
    case_gaps = [
        _newsvendor_gap(quantity_fn(known, *inputs), known, *inputs)[0]
        for known, *inputs in NEWSVENDOR_CASES
    ]
    return check_result(
        "newsvendor_optimal_order",
        max(gaps + case_gaps),
        0.0,
        1e-4,
        "abs",
        SOURCES["newsvendor"],
        "units by which orders miss the expected-profit maximiser rounded up",
        f"{len(gaps)} retailer orders (presale and bargaining_power scenarios): max miss "
        f"{max(gaps):.2g} units, expected profit given up to whole units <= {max(lost):.3g} CU; "
        f"{len(NEWSVENDOR_CASES)} known cases of newsvendor_quantity: max miss "
        f"{max(case_gaps):.2g} units",
    )


NASH_GRID = tuple(
    itertools.product((10.0, 30.0), (45.0, 100.0), (0.1, 0.35, 0.5, 0.8), (1.0, 0.8, 0.5))
)
"""Unit cost, expected price, retailer power and ``lambda`` on which
``bargaining.nash_wholesale_price`` is also checked (:func:`check_nash_bargaining`)."""


def check_nash_bargaining(
    fast: bool = False, price_fn: Callable[..., float] = nash_wholesale_price
) -> CheckResult:
    """Agreed wholesale prices maximise the generalized Nash product (Nash 1950; Kalai 1977).

    The supplier gets ``w - c``, the retailer the rest of the bargained pie ``lambda (p - c)``; with
    retailer power ``beta`` the generalized Nash product is ``(w - c)^(1 - beta) (c + lambda (p - c)
    - w)^beta``. In running models (the ``presale`` and ``bargaining_power`` scenarios, right after
    each of the first three production orders) each retailer's power is computed with
    ``bargaining.current_power`` from its state and the model's parameters, and the wholesale price
    it agreed with its supplier (``Supplier.wholesale_price`` inside the model) is compared with the
    numerical maximiser of the product at that power
    (:func:`~socialabm.validation.expectations.nash_product_maximiser`): this also catches a market
    that bargains with another power than the retailer's. ``nash_wholesale_price`` (or ``price_fn``)
    is checked the same way on :data:`NASH_GRID`. Measured: the largest gap (CU).

    Args:
        fast: One seed per scenario instead of two.
        price_fn: Price function judged on the grid (to show the check can fail).
    """
    worst, worst_grid, deals = 0.0, 0.0, 0
    powers = []
    for model in order_days(fast):
        lam = model.p["bargaining_lambda"]
        for r in model.retailers:
            beta = current_power(r, model.p, 0.0)  # alliances act through rebates, not power
            cost = r.supplier.unit_cost
            best = nash_product_maximiser(cost, cost + lam * (r.price - cost), beta)
            worst = max(worst, abs(r.wholesale - best))
            powers.append(beta)
            deals += 1
    for c, p, beta, lam in NASH_GRID:
        best = nash_product_maximiser(c, c + lam * (p - c), beta)
        worst_grid = max(worst_grid, abs(price_fn(c, p, beta, lam) - best))
    return check_result(
        "nash_bargaining_split",
        max(worst, worst_grid),
        0.0,
        1e-5,
        "abs",
        SOURCES["nash"],
        "max |agreed wholesale price - argmax Nash product| (CU) at the retailer's power",
        f"{deals} supplier-retailer deals (presale and bargaining_power scenarios, power "
        f"{min(powers):.2f}-{max(powers):.2f}): max gap {worst:.2g} CU; "
        f"{len(NASH_GRID)} grid cases of nash_wholesale_price: max gap {worst_grid:.2g} CU",
    )
