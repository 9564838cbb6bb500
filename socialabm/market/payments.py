"""Payments, income and credit: debt as a stock with flows (docs/ODD.md 7.5).

**Paying.** For a payment ``A`` by consumer i, cash pays first and the rest is borrowed on the
consumer's credit line (consumer credit or buy-now-pay-later, as social-commerce platforms
offer)::

    from_cash = min(cash_i, A),   cash_i -= from_cash,   borrowed = A - from_cash
    debt_i += borrowed

The borrowed part is booked as ``credit`` from the ``lender`` to the consumers, and the full
amount goes to the payee. Whether a consumer short of cash buys at all is its decision, taken
before paying (:meth:`~socialabm.agents.Consumer.borrows`, in shopping): restrained consumers
wait for income, unrestrained ones borrow, within ``debt + borrowed <= credit_limit``. Payments
the consumer is already committed to (a presale order's balance, an experience unit) are paid
the same way without that decision. A refund is paid back as cash.

**Income and repayment (pay day).** Consumer i is paid ``income_i`` every ``income_every`` days,
on the day of the period given by its ``pay_phase``. It first repays debt::

    repaid_i = min(debt_i, repayment_i(income_i)),    repayment_i = repay_share * income_i
    debt_i -= repaid_i,   cash_i += income_i - repaid_i

booked as ``income`` from ``outside`` and ``repayment`` to the ``lender``.

**Interest (end of day).** ``debt_i <- debt_i * (1 + debt_interest)``. Per consumer, at every
step::

    debt_i = borrowed_i + interest_i - repaid_i

(the model's accounting invariant; the three totals are consumer columns).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.arrays import clipped

if TYPE_CHECKING:
    from socialabm.market import Market


def pay(market: Market, idx: np.ndarray, amounts: np.ndarray, payee: str, kind: str) -> np.ndarray:
    """Consumers ``idx`` (distinct) pay ``amounts`` (CU) to account ``payee``, booked as ``kind``:
    cash first, the rest borrowed from the lender. Returns the CU each one borrowed."""
    if idx.size == 0:
        return np.zeros(0)
    a, ledger = market.arrays, market.model.ledger
    cash = a["cash"][idx]
    from_cash = np.minimum(cash, amounts)
    borrowed = amounts - from_cash
    a["cash"][idx] = cash - from_cash
    if borrowed.any():  # (else adding the zeros would change nothing)
        a["debt"][idx] += borrowed  # idx holds distinct consumers
        a["borrowed"][idx] += borrowed
        ledger.transfer("lender", "consumers", float(borrowed.sum()), "credit")
    ledger.transfer("consumers", payee, float(amounts.sum()), kind)
    return borrowed


def affordable(
    market: Market, idx: np.ndarray, utility: np.ndarray, amounts: np.ndarray
) -> np.ndarray:
    """Which of consumers ``idx`` go ahead with a purchase paying ``amounts`` (CU) now.

    Those with the cash do. The others need credit for the shortfall: they must decide to
    borrow (their ``borrows`` decision on the purchase's ``utility``) and stay within their
    credit line. The rest wait for income (counted as ``credit_waits``).
    """
    a = market.arrays
    shortfall = amounts - a["cash"][idx]
    short = shortfall > 0
    ok = ~short
    if short.any():
        rows = short.nonzero()[0]
        who = idx[rows]
        within = a["debt"][who] + shortfall[rows] <= a["credit_limit"][who]
        wants = market.model.decisions.borrows(who, utility[rows], amounts[rows])
        ok[rows] = within & wants
    market.today["credit_waits"] += int(ok.size - np.count_nonzero(ok))
    return ok


def refund(market: Market, idx: np.ndarray, amounts: np.ndarray, payer: str) -> None:
    """Account ``payer`` refunds ``amounts`` (CU) to consumers ``idx`` (as cash)."""
    if idx.size == 0:
        return
    market.arrays["cash"][idx] += amounts
    market.model.ledger.transfer(payer, "consumers", float(amounts.sum()), "refund")


def receive_income(market: Market) -> None:
    """Pay day: consumers whose pay day is today receive their income and repay debt first."""
    model, a, p = market.model, market.arrays, market.p
    paid = paid_on(market, model.day % p["income_every"])
    if paid.size == 0:
        return
    income = a["income"][paid]
    wanted = clipped(model.decisions.repayment(paid, income), 0.0, income)
    repaid = np.minimum(a["debt"][paid], wanted)
    a["debt"][paid] -= repaid
    a["repaid"][paid] += repaid
    a["cash"][paid] += income - repaid
    model.ledger.transfer("outside", "consumers", float(income.sum()), "income")
    model.ledger.transfer("consumers", "lender", float(repaid.sum()), "repayment")


_NOBODY = np.zeros(0, dtype=np.int64)
_NOBODY.flags.writeable = False


def paid_on(market: Market, phase: int) -> np.ndarray:
    """Consumers whose ``pay_phase`` is ``phase`` (a day of the pay period), ascending, as
    ``(pay_phase == phase).nonzero()[0]``. The consumers of every phase are grouped once and
    again only when the pay phases change (:meth:`Market.derived`; they are drawn once): a pay
    day looks its consumers up rather than scanning them all. The arrays are read-only."""
    pay_phase = market.arrays["pay_phase"]

    def by_phase() -> dict[int, np.ndarray]:
        order = pay_phase.argsort(kind="stable")  # each phase's consumers ascending
        order.flags.writeable = False
        phases, starts = np.unique(pay_phase[order], return_index=True)
        ends = [*starts[1:].tolist(), order.size]
        return {
            k: order[s:e] for k, s, e in zip(phases.tolist(), starts.tolist(), ends, strict=True)
        }

    return market.derived("paid_on", pay_phase, by_phase).get(phase, _NOBODY)


def accrue_interest(market: Market) -> None:
    """Debt grows by ``debt_interest`` a day (interest is owed to the lender, not a payment)."""
    a, rate = market.arrays, market.p["debt_interest"]
    if rate <= 0:
        return
    added = a["debt"] * rate
    a["debt"] += added
    a["interest"] += added
