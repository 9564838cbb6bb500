"""Campaigns: the day's window, campaign start, survey pricing, presale, the production order and
the campaign's close (docs/ODD.md §3 steps 1 and last, 7.9, 7.10, 7.12, 7.15).

**Survey pricing (7.9).** A retailer samples ``k = min(survey_size, pool)`` consumers without
replacement from those aware of its product who have not bought this campaign (all consumers if
fewer than ``MIN_SURVEY_POOL`` = 5 are aware) and observes each one's reservation price
``v_i = wtp_ir / (1 - (1 - self_restraint_i) * impulse_gain)`` (:func:`survey`). On a grid
``g_1..g_60 = linspace(c, max v)`` with ``c = unit_cost``::

    p* = argmax_g (g - c) * share(v >= g)            (if max v <= c: p* = 1.25 c)

The regular price uses ``v``; the presale price (set when the presale opens, 7.10) uses
``v - waiting_cost * (P + L)``.

**Production order (7.12, 7.15).** At the close of presale, after setting the regular price
``p``: with ``s`` the surveyed share with ``v >= p``, ``k`` the survey size, ``pool`` the aware
non-buyers and ``G = pool * growth_r``::

    mu = G * s,    sigma = sqrt(G**2 s(1 - s)/k + G s(1 - s))
    w  = c + (1 - beta) * bargaining_lambda * max(p - c, 0)     (beta: bargaining.current_power)
    F  = clip((p - w)/(p - salvage), 0, 1)
    Q  = presale_orders + ceil(mu + PhiInv(F) * sigma)          (newsvendor)

**Demand uncertainty (7.12).** When selling opens, after the production order, each retailer's
demand shock of the campaign is drawn, ``z_r ~ LogNormal(-sigma**2 / 2, sigma)`` with ``sigma =
demand_uncertainty`` (mean 1; none at 0), and multiplies every consumer's willingness to pay for
its product in the selling window (:func:`socialabm.market.shopping.offer_utilities`). The
survey and the forecast cannot see it; presale orders, placed before, are not exposed to it.

**Campaign close (7.10, 7.12).** Undelivered presale orders are cancelled and their deposits
refunded; leftover stock is salvaged at ``salvage`` per unit; unproduced orders are cancelled
unpaid. With realised demand ``D`` (first attempts at r, presale orders included) the retailer
learns::

    growth <- clip(growth * (1 - g + g * (D - presale_orders) / mu), 0.25, 20)   (if mu > 0)
    scale  <- sold_r / sum(sold)

with ``g = growth_learning`` (0.5); and the campaign record stores
``forecast_error = |Q - D| / max(D, 1)``, ``leftover_share = leftover / max(Q, 1)`` and
``net_wholesale``, the wholesale price less the alliance pooling rebates received per unit
produced (7.19).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.market import DAILY_COUNTS
from socialabm.market.alliances import set_pooling_rebates
from socialabm.market.experience import hand_out_units
from socialabm.market.payments import refund
from socialabm.rules import consumer as rules
from socialabm.rules.bargaining import current_power
from socialabm.rules.pricing import spot_demand_forecast

if TYPE_CHECKING:
    from socialabm.agents import Retailer
    from socialabm.market import Market

GROWTH_BOUNDS = (0.25, 20.0)
"""Bounds of a retailer's learned demand growth: one bad or lucky campaign can neither zero nor
explode its forecast (a modelling choice, docs/ODD.md 7.12)."""

MIN_SURVEY_POOL = 5
"""Fewest aware non-buyers a retailer surveys among; with fewer it surveys all consumers (a
survey of a handful would price on noise; a modelling choice, docs/ODD.md 7.9)."""


def begin_day(market: Market) -> None:
    """Open the day: start a campaign or a window, set prices, order production."""
    model, cal = market.model, market.model.calendar
    market.reset_today()
    d = model.day % cal.campaign_days
    market.window = cal.window(d)
    if d == 0:
        _start_campaign(market)
    if market.window == "experience" and d == 0:
        hand_out_units(market)
    if d == cal.presale_start and cal.presale_days > 0:
        _open_presale(market)
    if d == cal.lead_start:
        _order_production(market)
    if d == cal.selling_start:
        market.prices[:] = market.regular_prices
        _draw_demand_shocks(market)
    if market.window == "lead":
        market.prices[:] = market.regular_prices


def _start_campaign(market: Market) -> None:
    a = market.arrays
    a["bought"][:] = False
    a["bought_campaign"][:] = False
    a["gave_up"][:] = False
    a["wait_until"][:] = -1
    a["ordered_from"][:] = -1
    market.attempted_from[:] = -1
    fans = a["fan_of"] >= 0
    a["aware"][np.flatnonzero(fans), a["fan_of"][fans]] = True
    market.scarcity[:] = 0.0
    market.demand_shock[:] = 1.0
    for r in market.model.retailers:
        r.start_campaign(
            runs_presale=market.model.calendar.presale_days > 0 and r.decides_presale()
        )


def _draw_demand_shocks(market: Market) -> None:
    """Selling opens: each retailer's demand shock of the campaign is drawn,
    ``LogNormal(-sigma**2 / 2, sigma)`` with ``sigma = demand_uncertainty`` (mean 1; no draw at
    0)."""
    sigma = market.p["demand_uncertainty"]
    if sigma > 0:
        n_r = market.demand_shock.size
        market.demand_shock[:] = market.model.rng.lognormal(-0.5 * sigma**2, sigma, n_r)


def survey(market: Market, retailer: Retailer) -> np.ndarray:
    """Reservation prices (CU) of up to ``survey_size`` consumers aware of the retailer's product
    who have not bought (all consumers if fewer than 5 are aware).

    Each sampled consumer's willingness to pay is asked (its decision, at its beliefs and fan
    loyalty), then its utility of the offer at two prices, 0 and 1 CU, bought now on no path
    cost; the reservation price is where the (linear) utility crosses zero: ``wtp / (1 - (1 -
    self_restraint) * impulse_gain)`` for the default consumer, so impulse buyers accept higher
    prices. A retailer with experience users asks as if each belief had moved
    ``experience_learning`` of the way toward their verdict (7.11). Nothing of the market or the
    consumers is changed but the random draws.
    """
    a, rng, p = market.arrays, market.model.rng, market.p
    decisions = market.model.decisions
    r = retailer.index
    aware = np.flatnonzero(a["aware"][:, r] & ~a["bought"])
    pool = aware if aware.size >= MIN_SURVEY_POOL else np.arange(market.model.network.n)
    k = min(p["survey_size"], pool.size)
    sample = rng.choice(pool, size=k, replace=False)
    belief = a["belief"][sample, r]
    verdict = market.experience_verdict.get(r)
    if verdict is not None:  # beliefs it expects once its experience users' posts have spread
        belief = belief + p["experience_learning"] * (verdict - belief)
    loyalty = rules.fan_loyalty(a["fan_of"][sample], a["loyalty"][sample], r)
    wtp = decisions.willingness_to_pay(sample, belief, loyalty)
    free, now = np.zeros(k), np.zeros(k)
    utility = [decisions.offer_utilities(sample, wtp, np.full(k, price), free, now)
               for price in (0.0, 1.0)]  # fmt: skip
    at_zero, slope = utility[0], utility[0] - utility[1]
    return np.divide(at_zero, slope, out=at_zero.copy(), where=slope > 0)  # flat: wtp itself


def _open_presale(market: Market) -> None:
    cal = market.model.calendar
    wait = cal.selling_start - cal.presale_start
    for r in market.model.retailers:
        if r.runs_presale:
            r.presale_price = r.choose_presale_price(survey(market, r), wait)
        market.prices[r.index] = r.presale_price


def _order_production(market: Market) -> None:
    """Close presale; price the selling window, bargain the wholesale price, order Q."""
    a = market.arrays
    for r in market.model.retailers:
        market.prices[r.index] = 0.0
        wtp = survey(market, r)
        r.price = r.choose_price(wtp)
        market.regular_prices[r.index] = r.price
        pool = float(np.count_nonzero(a["aware"][:, r.index] & ~a["bought"]))
        r.spot_forecast, r.spot_sd = spot_demand_forecast(wtp, r.price, pool, r.growth)
        r.power = current_power(r, market.p, 0.0)
        r.wholesale = r.supplier.wholesale_price(r.power, r.price)
        r.order_quantity = r.choose_order_quantity()
        r.to_produce = r.order_quantity
    market.prices[:] = market.regular_prices
    set_pooling_rebates(market.model)


def end_day(market: Market) -> None:
    """Add the day's counters to the run's; at a campaign's last day salvage stock and learn
    from demand."""
    model, cal = market.model, market.model.calendar
    for r in model.retailers:
        if market.today["stockout"][r.index]:
            r.stockout_days += 1
    totals, today = market.totals, market.today
    for key in DAILY_COUNTS:
        totals[key] += today[key]
    if (model.day + 1) % cal.campaign_days == 0:
        _close_campaign(market)


def _close_campaign(market: Market) -> None:
    model, a, p, ledger = market.model, market.arrays, market.p, market.model.ledger
    total_sold = sum(r.sold_campaign for r in model.retailers)
    for r in model.retailers:
        # undelivered presale orders are cancelled and their deposits refunded
        waiting = np.flatnonzero(a["ordered_from"] == r.index)
        if waiting.size:
            refund(
                market, waiting, np.full(waiting.size, p["deposit"] * r.presale_price), r.account
            )
            a["ordered_from"][waiting] = -1
        leftover = r.units.stock
        if leftover:
            r.units.take(leftover, "salvaged")
            ledger.transfer("outside", r.account, leftover * p["salvage"], "salvage")
        made = r.order_quantity - r.to_produce
        r.to_produce = 0
        demand = int(np.sum(market.attempted_from == r.index))  # presale and spot buyers
        spot = demand - r.presale_orders
        record = {
            "campaign": model.day // model.calendar.campaign_days,
            "retailer": r.name,
            "channel": r.channel,
            "price": r.price,
            "presale_price": r.presale_price,
            "presale_orders": r.presale_orders,
            "order_quantity": r.order_quantity,
            "demand": demand,
            "sold": r.sold_campaign,
            "leftover": leftover,
            "forecast_error": abs(r.order_quantity - demand) / max(demand, 1),
            "leftover_share": leftover / max(r.order_quantity, 1),
            "stockout_days": r.stockout_days,
            "unfilled": r.unfilled,
            "fan_loss": r.fan_loss,
            "presale_cancelled": r.presale_cancelled,
            "shares": r.shares_campaign,
            "wholesale": r.wholesale,
            "net_wholesale": r.wholesale - r.rebates_campaign / max(made, 1),
            "power": r.power,
        }
        market.campaign_records.append(record)
        if r.spot_forecast > 0:
            ratio = spot / r.spot_forecast
            w = p["growth_learning"]
            r.growth = float(np.clip(r.growth * ((1.0 - w) + w * ratio), *GROWTH_BOUNDS))
        r.scale = r.sold_campaign / total_sold if total_sold else r.scale
        market.last_volume[r.index] = r.sold_campaign
