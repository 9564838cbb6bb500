"""Consumer payments, refunds, self-restraint and debt (docs/ODD.md 7.5, 7.7).

**Payment, cash first, then debt (7.5).** For a payment ``A`` by consumer i::

    from_cash = min(cash_i, A),   cash_i -= from_cash,   debt_i += A - from_cash

The borrowed part is booked as ``credit`` from the ``lender``, and the full amount goes to the
payee. A refund is paid back as cash. Each day, after shopping::

    debt_i <- debt_i * (1 + debt_interest)

There is no income and no repayment: cash only falls (refunds excepted) and debt only rises.

**Self-restraint (7.7)**::

    x_i  = reads_feed_i * T_i,   T_i = weak_share_i ("weak"), 1 - weak_share_i ("strong"), 1 ("all")
    r'_i = sr_i - rho_use * x_i - rho_share * shared_today_i
    sr_i <- clip(r'_i + rho_recover * (restraint_initial_i - r'_i), 0, 1)

``T_i`` is chosen by ``restraint_tie``. Lower restraint raises utility through the impulse term
(7.4), hence purchases and debt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm import consumer_rules as rules

if TYPE_CHECKING:
    from socialabm.market import Market


def pay(market: Market, idx: np.ndarray, amounts: np.ndarray, payee: str, kind: str) -> None:
    """Consumers ``idx`` (distinct) pay ``amounts`` (CU) to account ``payee``, booked as ``kind``:
    cash first, the rest as debt from the lender."""
    if idx.size == 0:
        return
    a, ledger = market.arrays, market.model.ledger
    cash = a["cash"][idx]
    from_cash = np.minimum(cash, amounts)
    borrowed = amounts - from_cash
    a["cash"][idx] = cash - from_cash
    a["debt"][idx] += borrowed  # idx holds distinct consumers
    ledger.transfer("lender", "consumers", float(borrowed.sum()), "credit")
    ledger.transfer("consumers", payee, float(amounts.sum()), kind)
    market.lent += float(borrowed.sum())


def refund(market: Market, idx: np.ndarray, amounts: np.ndarray, payer: str) -> None:
    """Account ``payer`` refunds ``amounts`` (CU) to consumers ``idx`` (as cash)."""
    if idx.size == 0:
        return
    market.arrays["cash"][idx] += amounts
    market.model.ledger.transfer(payer, "consumers", float(amounts.sum()), "refund")


def update_restraint_and_debt(market: Market) -> None:
    """Social use and sharing erode self-restraint, which recovers; debt accrues interest."""
    a, p = market.arrays, market.p
    tie = p["restraint_tie"]
    share = {"weak": a["weak_share"], "strong": 1.0 - a["weak_share"], "all": 1.0}[tie]
    exposure = market.reads_feed * share
    a["self_restraint"][:] = rules.self_restraint_step(
        a["self_restraint"],
        a["restraint_initial"],
        exposure,
        market.shared_today,
        p["rho_use"],
        p["rho_share"],
        p["rho_recover"],
    )
    if p["debt_interest"] > 0:
        added = a["debt"] * p["debt_interest"]
        a["debt"] += added
        market.interest += float(added.sum())
