"""Platform fees and payoffs: commissions, drainage, referral fees, traffic value and costs
(docs/ODD.md 7.16, 7.17).

**Commissions, drainage, referral and pooling fees (7.17).** On each sale or presale order at
price ``p`` by retailer r hosted on platform h:

* commission ``commission * p`` to h -- only for third-party channels (``trading_3p``,
  ``social_3p``);
* drainage ``drainage_commission * p`` for every ``jump`` transaction to the platform whose
  community referred the shopper: drawn uniformly among the social platform and the social
  e-commerce platforms the buyer is a member of (those platforms live on drainage: the seed's
  low profit);
* ``commission * p`` to the social platform for every in-scene purchase made from a post in its
  app (in-app ordering, when it is integrated);
* for ``alliance`` transactions: r pays the referring member (the first platform of h's alliance,
  in member order, the buyer belongs to) a referral fee ``alliance_referral * commission * p``;
  the referrer books it, and h books the commission it keeps, ``(1 - alliance_referral) *
  commission * p`` (if r pays commission), as alliance income.

On each unit delivered (sale or presale delivery) by a merchant whose host is in an alliance, its
supplier rebates the pooled-purchasing saving per unit (7.19), and the merchant passes
``pooling_fee`` of the rebate to its host: the explicit channel through which pooled bargaining
reaches a platform; the host books it as alliance income.

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

from socialabm.arrays import take_rows
from socialabm.market import ALLIANCE, JUMP, POST_IN_SCENE
from socialabm.market.browsing import member_rows

if TYPE_CHECKING:
    from socialabm.agents import Retailer
    from socialabm.market import Market


def pay_scene_fees(
    market: Market, r: Retailer, scenes: np.ndarray, prices: np.ndarray, buyers: np.ndarray
) -> list[int]:
    """Commissions, drainage and alliance referral fees on sales of ``r`` at ``prices`` (CU) to
    ``buyers`` through paths ``scenes`` (codes into :data:`~socialabm.market.SCENES`). Returns
    the number of these sales by path code (a list indexed by the codes)."""
    model, p, ledger = market.model, market.p, market.model.ledger
    host = r.platform
    if r.charges_commission:
        ledger.transfer(
            r.account, host.account, p["commission"] * float(prices.sum()), "commission"
        )
    sales_by_path = np.bincount(scenes, minlength=POST_IN_SCENE + 1).tolist()  # by path code
    if sales_by_path[JUMP]:
        jumped = scenes == JUMP
        _pay_drainage(market, r, buyers[jumped], prices[jumped])
    if sales_by_path[POST_IN_SCENE]:
        via_social = float(prices[scenes == POST_IN_SCENE].sum())
        social = model.platforms[1]
        ledger.transfer(
            r.account, social.account, p["commission"] * via_social, "in_app_commission"
        )
    if sales_by_path[ALLIANCE] and host.alliance is not None:
        allied = scenes == ALLIANCE
        partners = [pl for pl in host.alliance.members if pl is not host]
        member = model.membership[buyers[allied]][:, [pl.index for pl in partners]]
        referrer = np.argmax(member, axis=1)  # first allied platform the buyer belongs to
        fee = p["commission"] * prices[allied]
        host.alliance.sales += int(allied.sum())
        for k, pl in enumerate(partners):
            amount = p["alliance_referral"] * float(fee[referrer == k].sum())
            ledger.transfer(r.account, pl.account, amount, "alliance_referral")
            pl.alliance_income += amount
        if r.charges_commission:
            host.alliance_income += (1.0 - p["alliance_referral"]) * float(fee.sum())
    return sales_by_path


def _pay_drainage(market: Market, r: Retailer, buyers: np.ndarray, prices: np.ndarray) -> None:
    """Drainage on jump sales to the community that referred each buyer: one drawn uniformly
    among the social platform and the social e-commerce platforms the buyer belongs to."""
    model, p = market.model, market.p
    member = take_rows(model.membership, buyers)  # a copy
    member[:, 0] = False  # the giant refers nobody; the social platform (1) everyone reads
    # (the methods, not np.cumsum / np.argmax: their wrappers cost as much on a day's few buyers)
    ranks = member.cumsum(axis=1)  # the last column counts the platforms that may refer
    pick = (model.rng.random(buyers.size) * ranks[:, -1]).astype(np.int64)
    referrer = (ranks > pick[:, None]).argmax(axis=1)
    for k in np.bincount(referrer).nonzero()[0]:  # the referrers present, in index order
        amount = p["drainage_commission"] * float(prices[referrer == k].sum())
        model.ledger.transfer(r.account, model.platforms[k].account, amount, "drainage")


def pay_pooling_rebates(market: Market, r: Retailer, units: int) -> None:
    """Pooled purchasing on ``units`` units sold by ``r``: its supplier rebates the pooled
    saving per unit, and ``r`` passes ``pooling_fee`` of it to its host (the host's alliance
    income)."""
    if units <= 0 or r.pooled_saving <= 0:
        return
    ledger, rebate = market.model.ledger, r.pooled_saving * units
    ledger.transfer(r.supplier.account, r.account, rebate, "pooling_rebate")
    fee = market.p["pooling_fee"] * rebate
    ledger.transfer(r.account, r.platform.account, fee, "pooling_fee")
    r.platform.alliance_income += fee
    r.rebates_campaign += rebate


def pay_platforms(market: Market) -> None:
    """Traffic value of active members, integration and alliance coordination costs; each
    platform's payoff of the day."""
    model, p, ledger = market.model, market.p, market.model.ledger
    active = {
        0: int(np.count_nonzero(market.visits_trading)),
        1: int(np.count_nonzero(market.reads_feed)),
    }
    members = member_rows(market)
    for pl in model.platforms[2:]:
        active[pl.index] = int(np.count_nonzero(market.reads_feed & members[pl.index]))
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
