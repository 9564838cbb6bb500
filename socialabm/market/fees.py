"""Platform fees and payoffs: commissions, drainage, referral fees, traffic value and costs
(docs/ODD.md 7.16, 7.17).

**Commissions, drainage and referral (7.17).** On each sale or presale order at price ``p`` by
retailer r hosted on platform h:

* commission ``commission * p`` to h -- only for third-party channels (``trading_3p``,
  ``social_3p``);
* drainage ``drainage_commission * p`` to the social platform for every ``jump`` transaction;
* ``commission * p`` to the social platform for every in-scene purchase made from a post in its
  app (in-app ordering, when it is integrated);
* for ``alliance`` transactions, with fee ``f = commission * p``: the first allied platform (in
  member order) the buyer belongs to receives ``alliance_referral * f`` from h and books it as
  alliance income; h books ``(1 - alliance_referral) * f`` as alliance income (an accounting
  figure for leave decisions, not a transfer).

**Platform payoffs (7.16).** Each day: traffic value ``traffic_value * active members`` from
``outside`` to each platform (giant: consumers visiting the trading platform; social: feed
readers; social e-commerce k: feed readers who are members of k); the social platform pays
``integration_cost`` while integrated; every alliance pays ``coordination_cost * size**2``, split
equally among members (each member's share is subtracted from its alliance income). A platform's
daily payoff is its ledger balance change over the day, so it includes the fees of 7.17;
``round_payoff`` accumulates it between adaptation rounds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.market import ALLIANCE, JUMP, POST_IN_SCENE

if TYPE_CHECKING:
    from socialabm.agents import Retailer
    from socialabm.market import Market


def pay_scene_fees(
    market: Market, r: Retailer, scenes: np.ndarray, prices: np.ndarray, buyers: np.ndarray
) -> None:
    """Commissions, drainage and alliance referral fees on sales of ``r`` at ``prices`` (CU) to
    ``buyers`` through paths ``scenes`` (codes into :data:`~socialabm.market.SCENES`)."""
    model, p, ledger = market.model, market.p, market.model.ledger
    host = r.platform
    charges = r.channel in ("trading_3p", "social_3p")
    if charges:
        ledger.transfer(
            r.account, host.account, p["commission"] * float(prices.sum()), "commission"
        )
    social = model.platforms[1]
    jump_value = float(prices[scenes == JUMP].sum())
    ledger.transfer(r.account, social.account, p["drainage_commission"] * jump_value, "drainage")
    via_social = float(prices[scenes == POST_IN_SCENE].sum())
    ledger.transfer(r.account, social.account, p["commission"] * via_social, "in_app_commission")
    allied = scenes == ALLIANCE
    if allied.any() and host.alliance is not None:
        partners = [pl for pl in host.alliance.members if pl is not host]
        member = model.membership[buyers[allied]][:, [pl.index for pl in partners]]
        referrer = np.argmax(member, axis=1)  # first allied platform the buyer belongs to
        fee = p["commission"] * prices[allied]
        host.alliance.sales += int(allied.sum())
        for k, pl in enumerate(partners):
            amount = p["alliance_referral"] * float(fee[referrer == k].sum())
            ledger.transfer(host.account, pl.account, amount, "alliance_referral")
            pl.alliance_income += amount
        host.alliance_income += (1.0 - p["alliance_referral"]) * float(fee.sum())


def pay_platforms(market: Market) -> None:
    """Traffic value of active members, integration and alliance coordination costs; each
    platform's payoff of the day."""
    model, p, ledger = market.model, market.p, market.model.ledger
    active = {0: int(market.visits_trading.sum()), 1: int(market.reads_feed.sum())}
    for pl in model.platforms[2:]:
        active[pl.index] = int((market.reads_feed & model.membership[:, pl.index]).sum())
    for pl in model.platforms:
        ledger.transfer("outside", pl.account, p["traffic_value"] * active[pl.index], "traffic")
        if pl.kind == "social" and pl.integrated:
            ledger.transfer(pl.account, "outside", p["integration_cost"], "integration")
    for alliance in model.alliances:
        share = alliance.coordination_cost(p["coordination_cost"]) / alliance.size
        for pl in alliance.members:
            ledger.transfer(pl.account, "outside", share, "coordination")
            pl.alliance_income -= share
    for pl in model.platforms:
        pl.payoff_today = ledger.balances[pl.account] - market.platform_balance[pl.name]
        pl.round_payoff += pl.payoff_today
