"""Shopping: paths, choice, checkout, presale orders, sales, stock-outs, churn and delivery
(docs/ODD.md 7.4, 7.10, 7.13).

**Who shops.** In the presale and selling windows, consumers who read the feed or visit the
trading platform today, are aware of some product, have not bought this campaign, have no
outstanding order, have not given up this campaign and are not waiting after a stock-out.
In the selling window, consumers who have bought fewer than ``campaign_units`` units this
campaign and have used (reviewed) the last one may shop again: **over-consumption**
(:func:`may_buy_again`).

**Paths (scenes).** How retailer r's offer reaches consumer i today is the first that applies
(:func:`reach`): ``trading_only`` (r on the giant, i visits the trading platform); ``in_scene``
(r on a social e-commerce platform i is a member of, i reads the feed); ``alliance`` (i reads the
feed, is not a member of r's host but of a platform allied with it; only with
``alliance_shopping``); a post about r read today,
which offers a **jump** to r's platform and, if the social platform is integrated (in-app
ordering), also an **in-scene** purchase. Where both are open the consumer chooses by a logit
(:meth:`~socialabm.agents.Consumer.in_scene_probability`)::

    P(in-scene) = 1 / (1 + exp(-(in_scene_trust - (trading_assurance - scene_cost)) / scale))

**Choice.** Over available offers (reached, aware; in the presale window: r runs a presale)::

    u_ir = wtp_ir - price_r * (1 - (1 - self_restraint_i) * impulse_gain)
           - scene_cost * [path = jump]  - waiting_cost * (S - d)   (presale window only)

The consumer takes ``r* = argmax u_ir`` and goes ahead if ``u_ir* > 0``. A consumer shopping
again leaves out the retailers it bought from this campaign and goes ahead only if its
:meth:`~socialabm.agents.Consumer.buys_again` decision says so (default
``u_ir* > satiation * self_restraint_i * price_r*``: restrained consumers are sated by one
product; each unit beyond the first in a campaign counts as ``overconsumption``). A jump is
abandoned with probability ``jump_friction``. At checkout a consumer short of cash for what is
due now (the deposit or the price) buys on credit only if it decides to and its credit line allows
(:func:`~socialabm.market.payments.affordable`); else it waits for income. A purchase with
``wtp < price`` is counted as an impulse purchase.

**Presale (7.10).** An order pays a deposit ``deposit * presale_price`` and binds; platform fees
are charged on the full presale price. In the selling window a retailer delivers
``min(outstanding, stock)`` orders a day to randomly chosen waiting customers, who pay the balance
``(1 - deposit) * presale_price`` (committed: cash, then credit) and receive the unit.

**Selling and stock-outs (7.13).** For each retailer r (in index order) and today's buyers
``B_r``: ``available = max(0, stock - outstanding presale orders)``, with ``starvation`` also
``<= release_cap - sold_today``. Buyers are served in random order; the first ``available``
buy at the regular price and receive the unit at once. The rest meet a stock-out (*unfilled*;
``scarcity_r = |unfilled| / |B_r|``; a day with unfilled buyers not caused by the release cap is
a stock-out day) and respond once per encounter
(:meth:`~socialabm.agents.Consumer.stockout_response`; shares after Gruen, Corsten & Bharadwaj
2002):

* **switch** -- buy the best other offer reaching them today that has a unit left; the platform
  shows its other merchants' in-stock products (they reach the switcher by the same path and it
  becomes aware of them). A switcher who finds nothing acceptable, or cannot pay, delays; a second
  stock-out the same day is answered without switching. The ``stockout_switch`` count is of
  switchers who did buy another brand; the others count as delays;
* **elsewhere** -- buy the same product outside the modelled retailers (a lost sale: the money
  goes to ``outside``; the consumer is done for the campaign);
* **delay** -- shop again from ``stockout_retry_days`` days later;
* **give up** -- no purchase this campaign.

Nobody retries an empty retailer the next day by construction. Each unfilled fan of r also
loses loyalty and may switch brand::

    loyalty <- max(0, loyalty - loyalty_loss),    P(switch brand) = churn_prob * (1 - loyalty)

A switching fan becomes a fan (loyalty ``churn_loyalty``, 0.3; ``churned``; aware) of its best
other retailer.

**Receipt.** A consumer receiving a unit of r experiences
``q_exp = clip(q_r + N(0, quality_noise), 0, 1)``, or, with probability ``failure_rate``, a
failure worth one star; it owes a review ``review_delay`` days later and may share today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.arrays import rows_any, rows_count, take_rows, tiled_rows
from socialabm.market import (
    ALLIANCE,
    IN_SCENE,
    JUMP,
    NOT_REACHED,
    POST_IN_SCENE,
    REALISED_COUNTS,
    STOCKOUT_COUNTS,
    TRADING,
)
from socialabm.market.browsing import allied_audience
from socialabm.market.fees import pay_pooling_rebates, pay_scene_fees
from socialabm.market.payments import affordable, pay
from socialabm.rules import consumer as rules

if TYPE_CHECKING:
    from socialabm.agents import Retailer
    from socialabm.market import Market

SWITCH, ELSEWHERE, DELAY, GIVE_UP = range(4)
"""Codes of the stock-out responses: indices into ``rules.consumer.STOCKOUT_RESPONSES``."""


def reach(market: Market, rows: np.ndarray) -> np.ndarray:
    """``len(rows) x n_retailers`` codes of the path by which each offer reaches consumers
    ``rows`` today (:data:`NOT_REACHED` where none). Where a post offers both an in-scene
    purchase and a jump, the consumer's choice is drawn here."""
    model = market.model
    member = take_rows(model.membership, rows)
    host = market.platform_of
    shape = (rows.size, host.size)
    # operands of the matrix's own shape (numpy broadcasts a column, or a short row, over a
    # matrix of few columns one row at a time)
    feed = market.reads_feed[rows].repeat(host.size).reshape(shape)
    social = tiled_rows(host != 0, rows.size)  # r not on the giant
    in_scene = feed & social & member[:, host]
    trading = market.visits_trading[rows].repeat(host.size).reshape(shape) & ~social
    # the codes by one-byte arithmetic (no branch per cell): trading, in-scene and alliance
    # paths exclude each other, in-scene taking precedence over alliance
    path = trading.view(np.int8) * np.int8(TRADING - NOT_REACHED) + np.int8(NOT_REACHED)
    path += in_scene.view(np.int8) * np.int8(IN_SCENE - NOT_REACHED)
    if market.p["alliance_shopping"] and any(pl.alliance is not None for pl in model.platforms):
        alliance = feed & social & _allied_member(market, member) & ~in_scene
        path += alliance.view(np.int8) * np.int8(ALLIANCE - NOT_REACHED)
    post = take_rows(market.saw_post, rows) & feed & (path == NOT_REACHED)
    path += post.view(np.int8) * np.int8(JUMP - NOT_REACHED)
    if model.platforms[1].integrated and post.any():
        row, retailer = np.nonzero(post)
        prob = model.decisions.in_scene_probability(rows[row], retailer)
        in_scene = model.rng.random(row.size) < prob
        path[row[in_scene], retailer[in_scene]] = POST_IN_SCENE
    return path


def _allied_member(market: Market, member: np.ndarray) -> np.ndarray:
    """``n x n_retailers``: member of a platform allied with the retailer's host."""
    return allied_audience(market.model, member)[:, market.platform_of]


def shop(market: Market) -> None:
    """Consumers who meet an offer today buy (or order) the best one with positive utility, if
    they can pay; stock-outs get their responses (see the module docstring)."""
    if market.window not in ("presale", "selling"):
        return
    model, a = market.model, market.arrays
    free = market.reads_feed | market.visits_trading  # out today
    again = may_buy_again(market)
    free &= ~a["bought"] if again is False else ~a["bought"] | again
    free &= (a["ordered_from"] < 0) & ~a["gave_up"]
    free &= (a["wait_until"] <= model.day) & rows_any(a["aware"])
    idx = free.nonzero()[0]
    idx, best, scene, wtp = _choose(market, idx, exclude=None)
    if market.window == "presale":
        _take_presale_orders(market, idx, best, scene, wtp)
        return
    switchers, failed, path, _ = _sell(market, idx, best, scene, wtp, switch_round=False)
    if switchers.size:
        idx, best, scene, wtp = _choose(market, switchers, exclude=(failed, path))
        served = _sell(market, idx, best, scene, wtp, switch_round=True)[3]  # of the switchers
        switched = np.zeros(model.network.n, dtype=bool)  # by consumer: bought another brand
        switched[served] = True
        fallback = switchers[~switched[switchers]]
        _delay(market, fallback)  # the fallback: found nothing, shops again later
        market.today["stockout_realised_switch"] += int(served.size)
        market.today["stockout_realised_delay"] += int(fallback.size)


def may_buy_again(market: Market) -> np.ndarray | bool:
    """Consumers who bought this campaign and may shop for another product today
    (over-consumption): in the selling window, fewer than ``campaign_units`` units bought or
    ordered this campaign, and the last unit received and reviewed (no review pending). ``False``
    outside the selling window or with ``campaign_units = 1``."""
    p, a = market.p, market.arrays
    if market.window != "selling" or p["campaign_units"] <= 1:
        return False
    units = rows_count(a["bought_campaign"])  # 0: not bought, or bought elsewhere
    return (units > 0) & (units < p["campaign_units"]) & (a["review_day"] < 0)


def _choose(
    market: Market, idx: np.ndarray, exclude: tuple[np.ndarray, np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Consumers ``idx`` pick their best available offer; those who go ahead (positive utility,
    jump not abandoned, able to pay) are returned with the retailer and path of their choice and
    their willingness to pay for it (CU, before the demand shock: impulse purchases are counted
    by it).

    ``exclude`` (switchers after a stock-out): the retailer each one just failed at and the path
    it reached it by. A switcher looks for an alternative (:func:`search`) and becomes aware of
    the offers it finds; an offer found that did not reach it today reaches it by the failed
    retailer's path (the failed platform's other merchants) or by the platform's own path
    (``trading_only`` on the giant, ``in_scene`` on a social e-commerce platform it is a member
    of). Only offers found are open to it.
    """
    model, a, p = market.model, market.arrays, market.p
    path = reach(market, idx)
    if exclude is not None:
        failed, failed_path = exclude
        found = search(market, idx, failed)
        host = market.platform_of
        mates = host[None, :] == host[failed][:, None]
        own = np.where(host == 0, TRADING, IN_SCENE)[None, :]
        searched = np.where(mates, failed_path[:, None], own)
        path = np.where(found & (path == NOT_REACHED), searched, path)
        a["aware"][idx] |= found
    offered = (path != NOT_REACHED) & take_rows(a["aware"], idx)
    if market.window == "presale":
        offered &= np.array([r.runs_presale for r in model.retailers])[None, :]
    again = a["bought"][idx]  # shopping again this campaign: not where it already bought
    if again.any():
        offered &= ~(again[:, None] & take_rows(a["bought_campaign"], idx))
    if exclude is not None:
        offered &= found
    meets = rows_any(offered).nonzero()[0]  # only they can choose: decide for them alone
    idx, again = idx[meets], again[meets]
    path, offered = take_rows(path, meets), take_rows(offered, meets)
    if idx.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return idx, empty, empty, np.zeros(0)
    path_cost = np.where(path == JUMP, p["scene_cost"], 0.0)
    waiting_days = 0
    if market.window == "presale":
        cal = model.calendar
        waiting_days = cal.selling_start - model.day % cal.campaign_days
    wtp = willingness_to_pay(market, idx)
    utility = offer_utilities(market, idx, path_cost, waiting_days, wtp)
    utility = np.where(offered, utility, -np.inf)
    best = utility.argmax(axis=1)  # (the method: np.argmax's wrapper costs as much)
    u_best = utility[np.arange(idx.size), best]
    wants = u_best > 0
    if again.any():
        rows_again = (again & wants).nonzero()[0]
        wants[rows_again] = model.decisions.buys_again(
            idx[rows_again], u_best[rows_again], market.prices[best[rows_again]]
        )
    # ``go``: the rows still going ahead, narrowed stage by stage; the consumers, their choice
    # and its values are taken for the rows a stage needs, not carried through every stage
    go = wants.nonzero()[0]
    scene = path[go, best[go]]
    jumping = scene == JUMP
    market.today["attempts_jump"] += int(np.count_nonzero(jumping))
    market.today["attempts_post_in_scene"] += int(np.count_nonzero(scene == POST_IN_SCENE))
    done = ~jumping | (model.rng.random(go.size) >= p["jump_friction"])
    go, scene = go[done], scene[done]
    chosen = best[go]
    if market.window == "presale":
        due = p["deposit"] * np.array([r.presale_price for r in model.retailers])[chosen]
    else:
        due = market.prices[chosen]
    ok = affordable(market, idx[go], u_best[go], due)
    go, scene, best = go[ok], scene[ok], chosen[ok]
    idx, wtp = idx[go], wtp[go, best]
    first = market.attempted_from[idx] < 0
    market.attempted_from[idx[first]] = best[first]
    return idx, best, scene, wtp


def offer_utilities(
    market: Market,
    idx: np.ndarray,
    path_cost: np.ndarray | None = None,
    waiting_days: int = 0,
    wtp: np.ndarray | None = None,
) -> np.ndarray:
    """``len(idx) x n_retailers`` utilities (CU) of consumers ``idx`` for every offer at today's
    prices: their willingness to pay (:func:`willingness_to_pay`) times the demand shock, then
    their :meth:`~socialabm.agents.Consumer.offer_utilities` decision.

    Args:
        market: The market.
        idx: Consumers.
        path_cost: Cost of the path by which each offer reaches each consumer, CU (default 0).
        waiting_days: Days until a presale order would be delivered (0: a purchase now).
        wtp: Their :func:`willingness_to_pay`, CU, if already known (default: decided here).
    """
    if wtp is None:
        wtp = willingness_to_pay(market, idx)
    wtp = shocked(market, wtp)
    prices = tiled_rows(market.prices, idx.size)
    if path_cost is None:
        path_cost = np.zeros(wtp.shape)
    return market.model.decisions.offer_utilities(
        idx, wtp, prices, path_cost, np.full(idx.size, waiting_days)
    )


def willingness_to_pay(market: Market, idx: np.ndarray) -> np.ndarray:
    """``len(idx) x n_retailers`` willingness to pay (CU) of consumers ``idx`` for every
    product: their :meth:`~socialabm.agents.Consumer.willingness_to_pay` decision at their
    beliefs and fan loyalty (before the campaign's demand shock)."""
    a = market.arrays
    belief = take_rows(a["belief"], idx)
    loyalty = rules.fan_loyalty_rows(a["fan_of"][idx], a["loyalty"][idx], belief.shape[1])
    return market.model.decisions.willingness_to_pay(idx, belief, loyalty)


def search(market: Market, idx: np.ndarray, failed: np.ndarray) -> np.ndarray:
    """``len(idx) x n_retailers`` bool: the offers switchers ``idx`` find when they look for an
    alternative after a stock-out at retailer ``failed`` (one per switcher): the other
    retailers' offers on the failed retailer's platform and on the platforms the switcher can
    reach, with a unit left today (:func:`in_stock_alternatives`). A consumer can reach the
    giant if it uses the trading platform at all (``trading_use > 0``; everyone is a member) and
    a social e-commerce platform if it is a member and uses the social feed at all
    (``social_use > 0``: community platforms are reached through the feed)."""
    a, host = market.arrays, market.platform_of
    mates = host[None, :] == host[failed][:, None]
    uses = np.where(host[None, :] == 0, a["trading_use"][idx, None], a["social_use"][idx, None])
    reachable = take_rows(market.model.membership, idx)[:, host] & (uses > 0)
    return (mates | reachable) & in_stock_alternatives(market, failed)


def shocked(market: Market, wtp: np.ndarray) -> np.ndarray:
    """Willingness to pay (a row over retailers per consumer) times each retailer's demand
    shock of the campaign (docs/ODD.md 7.12; unchanged with ``demand_uncertainty = 0``)."""
    if market.p["demand_uncertainty"] > 0:
        return wtp * market.demand_shock[None, :]
    return wtp


def in_stock_alternatives(market: Market, failed: np.ndarray) -> np.ndarray:
    """``len(failed) x n_retailers`` bool: every retailer other than ``failed`` (one per
    switcher) with a unit left today."""
    retailers = market.model.retailers
    in_stock = np.array([available_units(market, r) > 0 for r in retailers])
    return in_stock[None, :] & (np.arange(len(retailers))[None, :] != failed[:, None])


def available_units(market: Market, r: Retailer) -> int:
    """Units retailer ``r`` can still sell today (stock not owed to presale orders, within the
    daily release cap under starvation marketing)."""
    available = max(0, r.units.stock - r.owed_presale)
    if market.p["starvation"]:
        # units released today so far: sold_today, as presale deliveries come after shopping
        available = min(available, market.p["release_cap"] - int(market.sold_today[r.index]))
    return available


def _take_presale_orders(
    market: Market, idx: np.ndarray, best: np.ndarray, scene: np.ndarray, wtp: np.ndarray
) -> None:
    """Buyers ``idx`` order from the retailer ``best`` they chose (reached by path ``scene``,
    willing to pay ``wtp``, CU), paying the deposit."""
    a, p = market.arrays, market.p
    chosen = np.bincount(best, minlength=len(market.model.retailers)).tolist()
    for r in market.model.retailers:
        if not chosen[r.index]:  # (no selections for a retailer nobody chose)
            continue
        take = best == r.index
        buyers = idx[take]
        deposit = np.full(buyers.size, p["deposit"] * r.presale_price)
        borrowed = pay(market, buyers, deposit, r.account, "deposit")
        market.today["credit_purchases"] += int(np.count_nonzero(borrowed > 0))
        a["ordered_from"][buyers] = r.index
        _mark_bought(market, buyers, r.index)
        r.presale_orders += int(buyers.size)
        market.today["presale_orders"] += int(buyers.size)
        recipients = int(market.experience_users[buyers].sum())
        market.today["presale_orders_recipients"] += recipients
        market.today["presale_orders_others"] += int(buyers.size) - recipients
        _count_impulse(market, buyers, wtp[take], r.presale_price)
        prices = np.full(buyers.size, r.presale_price)
        _count_sales(market, pay_scene_fees(market, r, scene[take], prices, buyers))


def _sell(
    market: Market,
    idx: np.ndarray,
    best: np.ndarray,
    scene: np.ndarray,
    wtp: np.ndarray,
    switch_round: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Serve today's buyers retailer by retailer.

    Args:
        market: The market.
        idx: Buyers.
        best: The retailer each buyer chose.
        scene: The path by which it reached the buyer.
        wtp: The buyer's willingness to pay for it, CU (before the demand shock).
        switch_round: The buyers are switchers buying the alternative they found: one who finds
            it sold out to the switchers served before it meets no new stock-out; it is left
            unserved (and falls back, in :func:`shop`).

    Returns:
        The consumers who switch after a stock-out, the retailer each one failed at, the path it
        had reached it by, and the buyers served.
    """
    rng = market.model.rng
    switchers, failed, paths, served = [], [], [], []
    chosen = np.bincount(best, minlength=len(market.model.retailers)).tolist()
    for r in market.model.retailers:
        if not chosen[r.index]:  # (no selections for a retailer nobody chose)
            continue
        if chosen[r.index] == idx.size:  # (the only retailer chosen, most days: no selection)
            buyers, scenes, wtps = idx, scene, wtp
        else:
            take = best == r.index
            buyers, scenes, wtps = idx[take], scene[take], wtp[take]
        available = available_units(market, r)
        capped = available < max(0, r.units.stock - r.owed_presale)  # the release cap binds
        order = rng.permutation(buyers.size)
        filled, unfilled = order[:available], order[available:]
        if unfilled.size and not switch_round:
            switching = _stockout(market, r, buyers[unfilled])
            switchers.append(buyers[unfilled][switching])
            failed.append(np.full(np.count_nonzero(switching), r.index))
            paths.append(scenes[unfilled][switching])
            if not capped:
                market.today["stockout"][r.index] = True
        if not switch_round:
            market.scarcity[r.index] = unfilled.size / buyers.size
        buyers, scenes, wtps = buyers[filled], scenes[filled], wtps[filled]
        if buyers.size == 0:
            continue
        served.append(buyers)
        hand_over(market, r, int(buyers.size))
        prices = np.full(buyers.size, r.price)
        borrowed = pay(market, buyers, prices, r.account, "sale")
        market.today["credit_purchases"] += int(np.count_nonzero(borrowed > 0))
        _mark_bought(market, buyers, r.index)
        _count_impulse(market, buyers, wtps, r.price)
        _count_sales(market, pay_scene_fees(market, r, scenes, prices, buyers))
        receive(market, buyers, r.index)
    return tuple(_joined(x) for x in (switchers, failed, paths, served))


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The arrays of ``parts`` end to end (an empty int array if none; the one itself if one:
    no copy)."""
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _stockout(market: Market, r: Retailer, consumers: np.ndarray) -> np.ndarray:
    """Consumers who found ``r`` out of stock respond; returns those who switch brand now. Each
    response is counted as drawn (``stockout_<response>``) and, but for switching, whose outcome
    :func:`shop` counts, as realised (``stockout_realised_<response>``)."""
    model = market.model
    market.today["unfilled"] += int(consumers.size)
    r.unfilled += int(consumers.size)
    fans_lose_loyalty(market, r, consumers)
    response = model.decisions.stockout_response(consumers, model.rng.random(consumers.size))
    counts = np.bincount(response, minlength=len(STOCKOUT_COUNTS)).tolist()  # by response code
    for code, (drawn, realised) in enumerate(zip(STOCKOUT_COUNTS, REALISED_COUNTS, strict=True)):
        market.today[drawn] += counts[code]
        if code != SWITCH:
            market.today[realised] += counts[code]
    if counts[ELSEWHERE]:
        elsewhere = consumers[response == ELSEWHERE]
        pay(market, elsewhere, np.full(elsewhere.size, r.price), "outside", "elsewhere")
        market.arrays["bought"][elsewhere] = True
    if counts[DELAY]:
        _delay(market, consumers[response == DELAY])
    if counts[GIVE_UP]:
        market.arrays["gave_up"][consumers[response == GIVE_UP]] = True
    return response == SWITCH


def _delay(market: Market, consumers: np.ndarray) -> None:
    """Consumers delay their purchase: they shop again ``stockout_retry_days`` days later."""
    market.arrays["wait_until"][consumers] = market.model.day + market.p["stockout_retry_days"]


def fans_lose_loyalty(market: Market, r: Retailer, consumers: np.ndarray) -> None:
    """Unfilled fans of ``r`` lose loyalty; a fan switches brand with probability
    ``churn_prob * (1 - loyalty)`` to its best alternative (docs/ODD.md 7.13)."""
    a, p, model = market.arrays, market.p, market.model
    fans = consumers[a["fan_of"][consumers] == r.index]
    if fans.size == 0:
        return
    a["loyalty"][fans] = np.maximum(0.0, a["loyalty"][fans] - p["loyalty_loss"])
    switch = model.rng.random(fans.size) < p["churn_prob"] * (1.0 - a["loyalty"][fans])
    movers = fans[switch]
    if movers.size == 0:
        return
    utility = offer_utilities(market, movers)
    utility[:, r.index] = -np.inf
    a["fan_of"][movers] = np.argmax(utility, axis=1)
    a["loyalty"][movers] = p["churn_loyalty"]
    a["churned"][movers] = True
    a["aware"][movers, a["fan_of"][movers]] = True
    r.fan_loss += int(movers.size)
    market.today["churn"] += int(movers.size)


def _mark_bought(market: Market, buyers: np.ndarray, r_index: int) -> None:
    """Record purchases (or orders) of retailer ``r_index`` and the buyers' expectation of it
    (their belief now); units beyond a consumer's first in the campaign count as
    over-consumption."""
    a = market.arrays
    market.today["overconsumption"] += int(np.count_nonzero(a["bought"][buyers]))
    a["bought"][buyers] = True
    # (a column's view indexed by the buyers: twice as fast as [buyers, r_index] on a day's few)
    a["bought_campaign"][:, r_index][buyers] = True
    a["adopted"][:, r_index][buyers] = True
    a["expectation"][buyers] = a["belief"][:, r_index][buyers]


def hand_over(market: Market, r: Retailer, units: int) -> None:
    """Retailer ``r`` hands ``units`` units over to buyers (spot sales or presale deliveries):
    the one place a unit sold is counted (in ``r.units``, today's ``sold_today`` and the
    campaign's ``r.sold_campaign``), with its pooling rebate."""
    r.units.take(units, "sold")
    pay_pooling_rebates(market, r, units)
    market.sold_today[r.index] += units
    r.sold_campaign += units


def _count_impulse(market: Market, buyers: np.ndarray, wtp: np.ndarray, price: float) -> None:
    """Count impulse purchases: willingness to pay ``wtp`` (CU, the buyers' decision when they
    chose) below the ``price`` paid (CU)."""
    impulse = (wtp < price).nonzero()[0]
    if impulse.size:
        market.arrays["impulse_purchases"][buyers[impulse]] += 1
        market.today["impulse_purchases"] += int(impulse.size)


def _count_sales(market: Market, count: list[int]) -> None:
    """Count the day's sales by scene from ``count``, the sales by path code (as
    :func:`~socialabm.market.fees.pay_scene_fees` returns them)."""
    today = market.today
    today["sales_trading_only"] += count[TRADING]
    today["sales_jump"] += count[JUMP]
    today["sales_in_scene"] += count[IN_SCENE] + count[POST_IN_SCENE]
    today["sales_post_in_scene"] += count[POST_IN_SCENE]
    today["sales_alliance"] += count[ALLIANCE]


def receive(market: Market, consumers: np.ndarray, r_index: int, purchase: bool = True) -> None:
    """Consumers receive a unit of retailer ``r_index`` today: experience it, schedule the
    review, and join today's receivers (who may share). Experience units (a trial, not a
    purchase: ``purchase=False``) leave the consumer free to order the product."""
    a, p, model = market.arrays, market.p, market.model
    quality = model.retailers[r_index].quality
    a["owns"][consumers] = r_index
    a["received_day"][consumers] = model.day
    a["review_day"][consumers] = model.day + p["review_delay"]
    rng, k = model.rng, consumers.size
    a["experienced"][consumers] = rules.experienced_quality(
        quality, rng.normal(0.0, p["quality_noise"], k), rng.random(k) < p["failure_rate"],
        rng.random(k),
    )  # fmt: skip
    a["purchases"][consumers] += int(purchase)
    market.received = np.concatenate([market.received, consumers])


def deliver_presale_orders(market: Market) -> None:
    """In the selling window, deliver outstanding presale orders from stock (balance paid)."""
    if market.window != "selling":
        return
    a, p, rng = market.arrays, market.p, market.model.rng
    for r in market.model.retailers:
        owed = r.owed_presale
        if owed <= 0 or r.units.stock <= 0:
            continue
        waiting = (a["ordered_from"] == r.index).nonzero()[0]
        k = min(owed, r.units.stock)
        chosen = np.sort(rng.permutation(waiting)[:k])
        hand_over(market, r, int(k))
        r.presale_delivered += int(k)
        balance = np.full(k, (1.0 - p["deposit"]) * r.presale_price)
        pay(market, chosen, balance, r.account, "presale_balance")
        a["ordered_from"][chosen] = -1
        receive(market, chosen, r.index)
