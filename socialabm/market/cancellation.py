"""Presale orders past their delivery deadline: cancellation, refund, fans and reviews
(docs/ODD.md 7.10, 7.14).

A presale promises delivery: with ``presale_deadline`` = ``T`` > 0 days, every presale order a
retailer has not delivered by the end of the selling window's ``T``-th day is **cancelled**
(after that day's deliveries, :func:`cancel_overdue_orders`). This happens when production
could not fill the orders in time: above all a supplier disruption that outlasts the deadline
(7.14), as the seed paper's supply risk of presale ("goods can be discontinued") describes. For
each cancelled order of retailer r::

    r -> consumer:   deposit * presale_price_r     (refund; the consumer paid no balance)

The order is void: the consumer may shop again this campaign (any retailer reaching it, 7.4),
retailer r's outstanding orders fall by the cancelled ones (it owes them no unit; units made
later are sold spot). The customer reacts as an unfilled buyer does (7.13): a fan of r loses
``loyalty_loss`` and switches brand with probability ``churn_prob * (1 - loyalty)``; and it rates
the cancellation as a failure (honest quality 0, one star), posting the review with the review
decision's probability (7.8; no inflation: inflation applies to praise only). Its review counts
in r's posted stars, which later readers see (7.3); it is not an owner's review and stays out of
the review gaps. Without a deadline (``T = 0``, the default) undelivered orders wait and are
cancelled and refunded only at the campaign's close (7.10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.market.payments import refund
from socialabm.market.shopping import fans_lose_loyalty

if TYPE_CHECKING:
    from socialabm.agents import Retailer
    from socialabm.market import Market


def cancel_overdue_orders(market: Market) -> None:
    """On the deadline day (the selling window's ``presale_deadline``-th day) cancel every
    presale order still undelivered: refund, the customer free to shop, fans and reviews react."""
    model, p = market.model, market.p
    deadline = p["presale_deadline"]
    cal = model.calendar
    if deadline == 0 or model.day % cal.campaign_days != cal.selling_start + deadline - 1:
        return
    for r in model.retailers:
        waiting = np.flatnonzero(market.arrays["ordered_from"] == r.index)
        if waiting.size:
            cancel(market, r, waiting)


def cancel(market: Market, r: Retailer, customers: np.ndarray) -> None:
    """Cancel the presale orders of ``customers`` at retailer ``r`` (see the module docstring)."""
    a, p, model = market.arrays, market.p, market.model
    refund(market, customers, np.full(customers.size, p["deposit"] * r.presale_price), r.account)
    a["ordered_from"][customers] = -1
    a["bought"][customers] = False
    a["bought_campaign"][customers, r.index] = False
    r.presale_cancelled += int(customers.size)
    market.today["presale_cancelled"] += int(customers.size)
    fans_lose_loyalty(market, r, customers)
    honest = np.zeros(customers.size)  # a cancelled order is rated as a failure: one star
    posted = model.decisions.review(customers, honest, model.rng.random(customers.size))
    wrote = posted > 0
    np.add.at(market.stars, (r.index, posted[wrote] - 1), 1)
    market.today["reviews"] += int(wrote.sum())
