"""Shopping: paths, choice, presale orders, sales, stock-outs, churn and delivery
(docs/ODD.md 7.4, 7.10, 7.13).

**Choice (7.4).** Shopping happens only in the presale and selling windows, for consumers who have
not bought this campaign, have no outstanding order, and read the feed or visit the trading
platform today::

    u_ir = wtp_ir - price_r + (1 - self_restraint_i) * impulse_gain
           - scene_cost * [path_ir = jump]
           - waiting_cost * (S - d)          (presale window only; S = selling start, d = day)

**Paths (scenes).** How retailer r's offer reaches consumer i today is the first that applies
(:func:`reach`): ``trading_only`` (r on the giant, i visits the trading platform); ``in_scene``
(r on a social e-commerce platform i is a member of, i reads the feed); ``alliance`` (i reads the
feed, is not a member of r's host but of a platform allied with it); i read a post about r today:
``in_scene`` if the social platform is integrated, else ``jump``; otherwise not reached. An offer is
available if reached and i is aware of r (in the presale window: r runs a presale). The consumer
takes ``r* = argmax_r u_ir`` over available offers and acts if ``u_ir* > 0``; a ``jump`` attempt is
abandoned with probability ``jump_friction``. A consumer's first attempt in a campaign is recorded
(``attempted_from``) as realised demand.

**Presale (7.10).** An order pays a deposit ``deposit * presale_price`` (cash then debt) and
binds; platform fees are charged on the full presale price. In the selling window a retailer
delivers ``min(outstanding, stock)`` orders a day to randomly chosen waiting customers, who pay
the balance ``(1 - deposit) * presale_price`` and receive the unit.

**Selling, stock-outs, starvation and churn (7.13).** For each retailer r (in index order) and
today's buyers ``B_r``: ``available = max(0, stock - outstanding presale orders)``, with
``starvation`` also ``<= release_cap - released_today``. Buyers are served in random order; the
first ``available`` buy at the regular price and receive the unit at once, the rest are unfilled;
``scarcity_r = |unfilled| / |B_r|``. A day with unfilled buyers not caused by the release cap is a
stock-out day. For each unfilled fan of r::

    loyalty <- max(0, loyalty - loyalty_loss)
    P(switch) = churn_prob * (1 - loyalty)

A switching fan becomes a fan (loyalty 0.3, ``churned``, aware) of its best other retailer.

**Receipt.** A consumer receiving a unit of r experiences
``q_exp = clip(q_r + N(0, quality_noise), 0, 1)``, owes a review ``review_delay`` days later and
may share today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.arrays import rows_any
from socialabm.market import ALLIANCE, IN_SCENE, JUMP, NOT_REACHED, TRADING
from socialabm.market.fees import pay_scene_fees
from socialabm.market.payments import pay

if TYPE_CHECKING:
    from socialabm.agents import Retailer
    from socialabm.market import Market


def reach(market: Market, rows: np.ndarray | None = None) -> np.ndarray:
    """``len(rows) x n_retailers`` codes of how each offer reaches consumers ``rows`` today
    (best path; all consumers when ``rows`` is None)."""
    model = market.model
    rows = slice(None) if rows is None else rows
    member = model.membership[rows]
    feed = market.reads_feed[rows][:, None]
    saw_post = market.saw_post[rows]
    host = market.platform_of
    on_giant = (host == 0)[None, :]
    path = np.full(saw_post.shape, NOT_REACHED, dtype=np.int8)
    path = np.where(saw_post & feed, IN_SCENE if model.platforms[1].integrated else JUMP, path)
    allied = _allied_member(market, member)
    path = np.where(feed & allied & ~on_giant, ALLIANCE, path)
    path = np.where(feed & member[:, host] & ~on_giant, IN_SCENE, path)
    path = np.where(market.visits_trading[rows][:, None] & on_giant, TRADING, path)
    return path


def _allied_member(market: Market, member: np.ndarray) -> np.ndarray:
    """``n x n_retailers``: member of a platform allied with the retailer's host."""
    out = np.zeros((member.shape[0], len(market.platform_of)), dtype=bool)
    for r, host in enumerate(market.platform_of):
        alliance = market.model.platforms[host].alliance
        if alliance is None:
            continue
        others = [pl.index for pl in alliance.members if pl.index != host]
        out[:, r] = member[:, others].any(axis=1) & ~member[:, host]
    return out


def shop(market: Market) -> None:
    """Aware consumers who meet an offer today buy (or order) the best one with positive
    utility, subject to stock and release caps; jumps may be abandoned."""
    window = market.window
    if window not in ("presale", "selling"):
        return
    model, a, p = market.model, market.arrays, market.p
    out = market.reads_feed | market.visits_trading
    free = ~a["bought"] & (a["ordered_from"] < 0) & out & rows_any(a["aware"])
    idx = np.flatnonzero(free)
    path = reach(market, idx)
    offered = (path != NOT_REACHED) & a["aware"][idx]
    if window == "presale":
        offered &= np.array([r.runs_presale for r in model.retailers])[None, :]
    meets_offer = rows_any(offered)  # only they can choose: decide for them alone
    idx, path, offered = idx[meets_offer], path[meets_offer], offered[meets_offer]
    if idx.size == 0:
        return
    utility = model.decisions.offer_utilities(idx)
    utility = utility - np.where(path == JUMP, p["scene_cost"], 0.0)
    if window == "presale":
        cal = model.calendar
        wait = cal.selling_start - model.day % cal.campaign_days
        utility = utility - p["waiting_cost"] * wait
    utility = np.where(offered, utility, -np.inf)
    best = np.argmax(utility, axis=1)
    rows = np.arange(idx.size)
    wants = utility[rows, best] > 0
    idx, best, scene = idx[wants], best[wants], path[rows, best][wants]
    # jumps: abandoned with probability jump_friction
    jumping = scene == JUMP
    market.today["attempts_jump"] += int(jumping.sum())
    market.today["attempts_in_scene"] += int((scene == IN_SCENE).sum())
    done = ~jumping | (model.rng.random(idx.size) >= p["jump_friction"])
    idx, best, scene = idx[done], best[done], scene[done]
    first = market.attempted_from[idx] < 0
    market.attempted_from[idx[first]] = best[first]
    if window == "presale":
        _take_presale_orders(market, idx, best, scene)
    else:
        _sell(market, idx, best, scene)


def _take_presale_orders(
    market: Market, idx: np.ndarray, best: np.ndarray, scene: np.ndarray
) -> None:
    a, p = market.arrays, market.p
    for r in market.model.retailers:
        take = best == r.index
        buyers = idx[take]
        if buyers.size == 0:
            continue
        deposit = np.full(buyers.size, p["deposit"] * r.presale_price)
        pay(market, buyers, deposit, r.account, "deposit")
        a["ordered_from"][buyers] = r.index
        a["bought"][buyers] = True
        a["expectation"][buyers] = a["belief"][buyers, r.index]
        r.presale_orders += int(buyers.size)
        market.today["presale_orders"] += int(buyers.size)
        pay_scene_fees(market, r, scene[take], np.full(buyers.size, r.presale_price), buyers)
        _count_sales(market, scene[take])


def _sell(market: Market, idx: np.ndarray, best: np.ndarray, scene: np.ndarray) -> None:
    a, p, rng = market.arrays, market.p, market.model.rng
    for r in market.model.retailers:
        take = best == r.index
        buyers, scenes = idx[take], scene[take]
        if buyers.size == 0:
            continue
        owed = r.presale_orders - r.presale_delivered
        available = max(0, r.units.stock - owed)
        capped = p["starvation"] and available > p["release_cap"] - market.released[r.index]
        if p["starvation"]:
            available = min(available, p["release_cap"] - market.released[r.index])
        order = rng.permutation(buyers.size)
        filled, unfilled = order[:available], order[available:]
        if unfilled.size:
            _unfilled(market, r, buyers[unfilled])
            if not capped:
                market.today["stockout"][r.index] = True
        market.scarcity[r.index] = unfilled.size / buyers.size
        buyers, scenes = buyers[filled], scenes[filled]
        if buyers.size == 0:
            continue
        r.units.take(int(buyers.size), "sold")
        market.released[r.index] += int(buyers.size)
        market.sold_today[r.index] += int(buyers.size)
        r.sold_campaign += int(buyers.size)
        pay(market, buyers, np.full(buyers.size, r.price), r.account, "sale")
        a["bought"][buyers] = True
        a["expectation"][buyers] = a["belief"][buyers, r.index]
        pay_scene_fees(market, r, scenes, np.full(buyers.size, r.price), buyers)
        _count_sales(market, scenes)
        receive(market, buyers, r.index)


def _unfilled(market: Market, r: Retailer, consumers: np.ndarray) -> None:
    """Unfilled attempts: loyalty drops; a fan switches brand with probability
    ``churn_prob * (1 - loyalty)`` to its best alternative (MODEL §5, starvation)."""
    a, p, model = market.arrays, market.p, market.model
    market.today["unfilled"] += int(consumers.size)
    r.unfilled += int(consumers.size)
    fans = consumers[a["fan_of"][consumers] == r.index]
    if fans.size == 0:
        return
    a["loyalty"][fans] = np.maximum(0.0, a["loyalty"][fans] - p["loyalty_loss"])
    switch = model.rng.random(fans.size) < p["churn_prob"] * (1.0 - a["loyalty"][fans])
    movers = fans[switch]
    if movers.size == 0:
        return
    utility = model.decisions.offer_utilities(movers)
    utility[:, r.index] = -np.inf
    a["fan_of"][movers] = np.argmax(utility, axis=1)
    a["loyalty"][movers] = 0.3
    a["churned"][movers] = True
    a["aware"][movers, a["fan_of"][movers]] = True
    r.fan_loss += int(movers.size)
    market.today["churn"] += int(movers.size)


def _count_sales(market: Market, scenes: np.ndarray) -> None:
    for code, name in (
        (TRADING, "trading_only"),
        (JUMP, "jump"),
        (IN_SCENE, "in_scene"),
        (ALLIANCE, "alliance"),
    ):
        market.today[f"sales_{name}"] += int((scenes == code).sum())


def receive(market: Market, consumers: np.ndarray, r_index: int, purchase: bool = True) -> None:
    """Consumers receive a unit of retailer ``r_index`` today: experience it, schedule the
    review, and join today's receivers (who may share). Experience units (a trial, not a
    purchase: ``purchase=False``) leave the consumer free to order the product."""
    a, p, model = market.arrays, market.p, market.model
    quality = model.retailers[r_index].quality
    a["owns"][consumers] = r_index
    a["received_day"][consumers] = model.day
    a["review_day"][consumers] = model.day + p["review_delay"]
    noise = model.rng.normal(0.0, p["quality_noise"], consumers.size)
    a["experienced"][consumers] = np.clip(quality + noise, 0.0, 1.0)
    a["purchases"][consumers] += int(purchase)
    market.received = np.concatenate([market.received, consumers])


def deliver_presale_orders(market: Market) -> None:
    """In the selling window, deliver outstanding presale orders from stock (balance paid)."""
    if market.window != "selling":
        return
    a, p, rng = market.arrays, market.p, market.model.rng
    for r in market.model.retailers:
        owed = r.presale_orders - r.presale_delivered
        if owed <= 0 or r.units.stock <= 0:
            continue
        waiting = np.flatnonzero(a["ordered_from"] == r.index)
        k = min(owed, r.units.stock)
        chosen = np.sort(rng.permutation(waiting)[:k])
        r.units.take(int(k), "sold")
        r.presale_delivered += int(k)
        r.sold_campaign += int(k)
        market.sold_today[r.index] += int(k)
        balance = np.full(k, (1.0 - p["deposit"]) * r.presale_price)
        pay(market, chosen, balance, r.account, "presale_balance")
        a["ordered_from"][chosen] = -1
        receive(market, chosen, r.index)
