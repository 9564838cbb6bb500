"""The daily phases of the market: campaigns, supply, browsing, word of mouth, shopping,
delivery, sharing, reviews, restraint and debt, and platform payments (docs/ODD.md, schedule).

Every consumer rule runs as array operations over all consumers; loops run over the few
retailers, suppliers and platforms only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from socialabm import consumer_rules as rules
from socialabm.arrays import flat_view, rows_any
from socialabm.bargaining import current_power
from socialabm.pricing import spot_demand_forecast

if TYPE_CHECKING:
    from socialabm.agents import Platform, Retailer
    from socialabm.model import SocialCommerceModel

SCENES = ("trading_only", "jump", "in_scene", "alliance")
"""Trading scenario of a completed sale (MODEL §4, scenes and jumps)."""

NOT_REACHED = -1
TRADING, IN_SCENE, ALLIANCE, JUMP = 0, 2, 3, 1  # codes into SCENES

DAILY_COUNTS = (
    *(f"sales_{s}" for s in SCENES),
    "unfilled",
    "shares",
    "reviews",
    "churn",
    "presale_orders",
    "attempts_jump",
    "attempts_in_scene",
)
"""Counters of one day (``Market.today``), summed over the run into ``Market.totals``."""


class Market:
    """Daily market state and phases of one model (the model owns one ``Market``)."""

    def __init__(self, model: SocialCommerceModel) -> None:
        self.model = model
        n_r = len(model.retailers)
        n = model.network.n
        self.prices = np.zeros(n_r)
        self.regular_prices = np.zeros(n_r)
        self.stars = np.zeros((n_r, 5), dtype=np.int64)
        self.scarcity = np.zeros(n_r)
        self.attempted_from = np.full(n, -1, dtype=np.int16)
        self.reads_feed = np.zeros(n, dtype=bool)
        self.visits_trading = np.zeros(n, dtype=bool)
        self.saw_post = np.zeros((n, n_r), dtype=bool)
        self.received = np.zeros(0, dtype=np.int64)
        self.received_experience = np.zeros(0, dtype=np.int64)
        self.platform_of = np.array([r.platform.index for r in model.retailers])
        self.totals = dict.fromkeys((*DAILY_COUNTS, "experience_units"), 0)
        self.campaign_records: list[dict] = []
        self.last_volume = np.zeros(n_r)
        self.released = np.zeros(n_r, dtype=np.int64)
        self.shared_today = np.zeros(n, dtype=bool)
        self.lent = 0.0  # CU lent to consumers (debt principal)
        self.interest = 0.0  # CU of interest accrued on consumer debt
        self.window = "lead"
        self._reset_today()

    # -- helpers ------------------------------------------------------------------------------
    @property
    def p(self) -> dict:
        """The model's validated parameters."""
        return self.model.p

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        """The consumers' columnar state, one array per attribute."""
        return self.model.consumers.arrays

    def _reset_today(self) -> None:
        n_r = len(self.model.retailers)
        self.today = dict.fromkeys(DAILY_COUNTS, 0) | {"stockout": np.zeros(n_r, dtype=bool)}
        self.sold_today = np.zeros(n_r, dtype=np.int64)
        ledger = self.model.ledger
        self.platform_balance = {
            pl.name: ledger.balances[pl.account] for pl in self.model.platforms
        }

    def pay(self, idx: np.ndarray, amounts: np.ndarray, payee: str, kind: str) -> None:
        """Consumers ``idx`` pay ``amounts`` (CU): cash first, the rest as debt from the lender."""
        if idx.size == 0:
            return
        a = self.arrays
        cash = a["cash"][idx]
        from_cash = np.minimum(cash, amounts)
        borrowed = amounts - from_cash
        a["cash"][idx] = cash - from_cash
        a["debt"][idx] += borrowed  # idx holds distinct consumers
        self.model.ledger.transfer("lender", "consumers", float(borrowed.sum()), "credit")
        self.model.ledger.transfer("consumers", payee, float(amounts.sum()), kind)
        self.lent += float(borrowed.sum())

    def refund(self, idx: np.ndarray, amounts: np.ndarray, payer: str) -> None:
        """Retailer ``payer`` refunds ``amounts`` (CU) to consumers ``idx`` (as cash)."""
        if idx.size == 0:
            return
        self.arrays["cash"][idx] += amounts
        self.model.ledger.transfer(payer, "consumers", float(amounts.sum()), "refund")

    # -- phase: campaign bookkeeping ----------------------------------------------------------
    def begin_day(self) -> None:
        """Open the day: start a campaign or a window, set prices, order production."""
        model, cal = self.model, self.model.calendar
        self._reset_today()
        d = model.day % cal.campaign_days
        self.window = cal.window(d)
        if d == 0:
            self._start_campaign()
        if self.window == "experience" and d == 0:
            self._hand_out_experience_units()
        if d == cal.presale_start and cal.presale_days > 0:
            self._open_presale()
        if d == cal.lead_start:
            self._order_production()
        if d == cal.selling_start:
            self.prices[:] = self.regular_prices
        if self.window == "lead":
            self.prices[:] = self.regular_prices

    def _start_campaign(self) -> None:
        a = self.arrays
        a["bought"][:] = False
        a["ordered_from"][:] = -1
        self.attempted_from[:] = -1
        fans = a["fan_of"] >= 0
        a["aware"][np.flatnonzero(fans), a["fan_of"][fans]] = True
        self.scarcity[:] = 0.0
        for r in self.model.retailers:
            r.start_campaign(
                runs_presale=self.model.calendar.presale_days > 0
                and self.p["presale_channels"] in ("all", r.channel)
            )

    def _survey(self, retailer: Retailer) -> np.ndarray:
        """Willingness to pay of up to ``survey_size`` aware consumers (all consumers if none)."""
        a, rng, p = self.arrays, self.model.rng, self.p
        aware = np.flatnonzero(a["aware"][:, retailer.index] & ~a["bought"])
        pool = aware if aware.size >= 5 else np.arange(self.model.network.n)
        k = min(p["survey_size"], pool.size)
        sample = rng.choice(pool, size=k, replace=False)
        utilities = self.model.decisions.offer_utilities(sample)
        # utilities are wtp - price + impulse; add the price back to get wtp + impulse
        return utilities[:, retailer.index] + self.prices[retailer.index]

    def _hand_out_experience_units(self) -> None:
        """Experience presale: units go cheaply to well-informed aware consumers, highest WTP
        first; they receive and share at once (MODEL §5)."""
        a, p, ledger = self.arrays, self.p, self.model.ledger
        given = []
        has_unit = np.zeros(self.model.network.n, dtype=bool)  # one experience unit each
        for r in self.model.retailers:
            eligible = np.flatnonzero(
                (a["informed"] == 2) & a["aware"][:, r.index] & ~a["bought"] & ~has_unit
            )
            if eligible.size == 0 or p["experience_units"] == 0 or not r.runs_presale:
                continue
            wtp = rules.willingness_to_pay(
                a["valuation"][eligible], a["belief"][eligible, r.index], 0.0, 0.0
            )
            chosen = eligible[np.argsort(-wtp, kind="stable")[: p["experience_units"]]]
            units = int(chosen.size)
            r.units.produce(units)
            ledger.transfer(
                r.account, r.supplier.account, units * r.supplier.unit_cost, "wholesale"
            )
            ledger.transfer(
                r.supplier.account, "outside", units * r.supplier.unit_cost, "production"
            )
            r.units.take(units, "experience")
            self.pay(chosen, np.full(units, p["experience_price"]), r.account, "experience")
            has_unit[chosen] = True
            a["expectation"][chosen] = a["belief"][chosen, r.index]
            self._receive(chosen, r.index, purchase=False)
            given.append(chosen)
            self.totals["experience_units"] += units
        self.received_experience = np.concatenate(given) if given else np.zeros(0, np.int64)

    def _open_presale(self) -> None:
        cal = self.model.calendar
        wait = cal.selling_start - cal.presale_start
        for r in self.model.retailers:
            if r.runs_presale:
                r.presale_price = r.choose_presale_price(self._survey(r), wait)
            self.prices[r.index] = r.presale_price

    def _order_production(self) -> None:
        """Close presale; price the selling window, bargain the wholesale price, order Q."""
        a = self.arrays
        for r in self.model.retailers:
            self.prices[r.index] = 0.0
            wtp = self._survey(r)
            r.price = r.choose_price(wtp)
            self.regular_prices[r.index] = r.price
            pool = float(np.count_nonzero(a["aware"][:, r.index] & ~a["bought"]))
            r.spot_forecast, r.spot_sd = spot_demand_forecast(wtp, r.price, pool, r.growth)
            r.power = current_power(r, self.p, self.pooled_share(r))
            r.wholesale = r.supplier.wholesale_price(r.power, r.price)
            r.order_quantity = r.choose_order_quantity()
            r.to_produce = r.order_quantity
        self.prices[:] = self.regular_prices

    # -- phase: supply ------------------------------------------------------------------------
    def supply(self) -> None:
        """Suppliers' disruptions and production of ordered units up to daily capacity."""
        model, p = self.model, self.p
        for s in model.suppliers:
            s.update_disruption(model.day)
        left = {s.index: (0 if s.disrupted(model.day) else s.capacity) for s in model.suppliers}
        for r in model.retailers:
            if r.to_produce <= 0:
                continue
            makers = [r.supplier]
            if p["multi_sourcing"]:
                makers += [s for s in model.suppliers if s is not r.supplier]
            for s in makers:
                units = min(r.to_produce, left[s.index])
                if units <= 0:
                    continue
                left[s.index] -= units
                r.to_produce -= units
                r.units.produce(units)
                model.ledger.transfer(r.account, s.account, units * r.wholesale, "wholesale")
                model.ledger.transfer(s.account, "outside", units * s.unit_cost, "production")

    # -- phase: browsing and word of mouth ----------------------------------------------------
    def browse(self) -> None:
        """Who reads the social feed and who visits a trading platform today."""
        a, rng = self.arrays, self.model.rng
        n = self.model.network.n
        self.reads_feed = rng.random(n) < a["social_use"]
        self.visits_trading = rng.random(n) < a["trading_use"]

    @property
    def reads_feed(self) -> np.ndarray:
        """``n`` bool: the consumer reads the social feed today (set by :meth:`browse`)."""
        return self._reads_feed

    @reads_feed.setter
    def reads_feed(self, value: np.ndarray) -> None:
        self._reads_feed = value
        self._visits = None

    @property
    def visits_trading(self) -> np.ndarray:
        """``n`` bool: the consumer visits the trading platform today (set by :meth:`browse`)."""
        return self._visits_trading

    @visits_trading.setter
    def visits_trading(self, value: np.ndarray) -> None:
        self._visits_trading = value
        self._visits = None

    def spread_word_of_mouth(self) -> None:
        """Posts read today make consumers aware (Goldenberg et al. formula) and move beliefs.

        Works on the consumer-product cells that can change only: cells with a post read today
        (awareness by the full formula, belief update) and unaware cells reached by an ad only
        (awareness with probability ``ad_reach``); every other cell keeps its state.
        """
        model, a, p = self.model, self.arrays, self.p
        n, n_r = model.network.n, len(model.retailers)
        posters = np.flatnonzero((a["post_of"] >= 0) & (a["post_until"] >= model.day))
        weak = _post_reads(model.network.weak, posters, a, self.reads_feed, n_r)
        strong = _post_reads(model.network.strong, posters, a, self.reads_feed, n_r)
        seen = np.zeros(n * n_r, dtype=bool)
        seen[weak[2]] = True
        seen[strong[2]] = True
        self.saw_post = seen.reshape(n, n_r)
        touched = np.flatnonzero(seen)  # cells with at least one post read today
        slot = np.zeros(n * n_r, dtype=np.int64)
        slot[touched] = np.arange(touched.size)
        totals = {}
        for name, (source, strength, key) in (("weak", weak), ("strong", strong)):
            pos = slot[key]
            totals[name] = np.bincount(pos, minlength=touched.size)
            totals[f"s_{name}"] = np.bincount(pos, weights=strength, minlength=touched.size)
            totals[f"q_{name}"] = np.bincount(
                pos, weights=strength * a["post_quality"][source], minlength=touched.size
            )

        unaware = ~flat_view(a["aware"])
        visits = self.platform_visits().ravel() if p["ad_reach"] > 0 else None
        alpha = p["ad_reach"] * visits[touched] if visits is not None else 0.0
        prob = rules.awareness_probability(
            alpha, totals["weak"], totals["strong"], p["beta_weak"], p["beta_strong"]
        )
        exposed = unaware[touched]
        cells = [touched[exposed]]
        probs = [prob[exposed]]
        if visits is not None:  # unaware cells reached by the ad alone
            ad_only = visits & unaware
            ad_only[touched] = False
            cells.append(np.flatnonzero(ad_only))
            probs.append(np.full(cells[-1].size, p["ad_reach"]))
        cells, probs = np.concatenate(cells), np.concatenate(probs)
        aware = flat_view(a["aware"])
        aware[cells[model.rng.random(cells.size) < probs]] = True

        if touched.size:
            belief = flat_view(a["belief"])
            belief[touched] = rules.belief_from_posts(
                belief[touched],
                totals["s_weak"] + totals["s_strong"],
                totals["q_weak"] + totals["q_strong"],
                p["eta"],
            )

    def platform_visits(self) -> np.ndarray:
        """``n x n_retailers`` bool: the consumer visits the platform retailer r sells on today.

        Computed once per day (on first use after :meth:`browse`) and cached.
        """
        if self._visits is None:
            member = self.model.membership
            visits = np.empty((self.reads_feed.size, self.platform_of.size), dtype=bool)
            for r, host in enumerate(self.platform_of):
                # the giant is visited by trading visits, the others through the social feed
                community = self.reads_feed & member[:, host]
                visits[:, r] = self.visits_trading if host == 0 else community
            self._visits = visits
        return self._visits

    def read_reviews(self) -> None:
        """Visitors of a retailer's platform read its reviews (vigilance-discounted)."""
        a, p = self.arrays, self.p
        n = self.model.network.n
        counts = self.stars
        n_reviews = counts.sum(axis=1)
        if not n_reviews.any():
            return
        mean_q = (counts @ rules.STAR_QUALITY) / np.maximum(n_reviews, 1)
        praise = counts[:, 3:].sum(axis=1) / np.maximum(n_reviews, 1)
        visits, aware = self.platform_visits(), a["aware"]
        praise_sum, read = np.zeros(n), np.zeros(n)
        for r in np.flatnonzero(n_reviews):  # column by column: few retailers, many readers
            readers = np.flatnonzero(visits[:, r] & aware[:, r])
            updated = rules.belief_from_reviews(
                a["belief"][readers, r],
                mean_q[r],
                a["vigilance"][readers],
                p["expected_inflation"],
                p["omega"],
            )
            a["belief"][readers, r] = np.clip(updated, 0.0, 1.0)
            praise_sum[readers] += praise[r]
            read[readers] += 1.0
        # vigilance erodes with the mean praise (4-5 star share) of the reviews read today
        mean_praise = np.divide(praise_sum, read, out=np.zeros(n), where=read > 0)
        a["vigilance"][:] = np.clip(a["vigilance"] - p["vigilance_erosion"] * mean_praise, 0, 1)

    # -- phase: shopping ----------------------------------------------------------------------
    def reach(self, rows: np.ndarray | None = None) -> np.ndarray:
        """``len(rows) x n_retailers`` codes of how each offer reaches consumers ``rows`` today
        (best path; all consumers when ``rows`` is None)."""
        model = self.model
        rows = slice(None) if rows is None else rows
        member = model.membership[rows]
        feed = self.reads_feed[rows][:, None]
        saw_post = self.saw_post[rows]
        host = self.platform_of
        on_giant = (host == 0)[None, :]
        path = np.full(saw_post.shape, NOT_REACHED, dtype=np.int8)
        path = np.where(saw_post & feed, IN_SCENE if model.platforms[1].integrated else JUMP, path)
        allied = self._allied_member(member)
        path = np.where(feed & allied & ~on_giant, ALLIANCE, path)
        path = np.where(feed & member[:, host] & ~on_giant, IN_SCENE, path)
        path = np.where(self.visits_trading[rows][:, None] & on_giant, TRADING, path)
        return path

    def _allied_member(self, member: np.ndarray) -> np.ndarray:
        """``n x n_retailers``: member of a platform allied with the retailer's host."""
        out = np.zeros((member.shape[0], len(self.platform_of)), dtype=bool)
        for r, host in enumerate(self.platform_of):
            alliance = self.model.platforms[host].alliance
            if alliance is None:
                continue
            others = [pl.index for pl in alliance.members if pl.index != host]
            out[:, r] = member[:, others].any(axis=1) & ~member[:, host]
        return out

    def shop(self) -> None:
        """Aware consumers who meet an offer today buy (or order) the best one with positive
        utility, subject to stock and release caps; jumps may be abandoned."""
        window = self.window
        if window not in ("presale", "selling"):
            return
        model, a, p = self.model, self.arrays, self.p
        out = self.reads_feed | self.visits_trading
        free = ~a["bought"] & (a["ordered_from"] < 0) & out & rows_any(a["aware"])
        idx = np.flatnonzero(free)
        path = self.reach(idx)
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
        self.today["attempts_jump"] += int(jumping.sum())
        self.today["attempts_in_scene"] += int((scene == IN_SCENE).sum())
        done = ~jumping | (model.rng.random(idx.size) >= p["jump_friction"])
        idx, best, scene = idx[done], best[done], scene[done]
        first = self.attempted_from[idx] < 0
        self.attempted_from[idx[first]] = best[first]
        if window == "presale":
            self._take_presale_orders(idx, best, scene)
        else:
            self._sell(idx, best, scene)

    def _take_presale_orders(self, idx: np.ndarray, best: np.ndarray, scene: np.ndarray) -> None:
        a, p = self.arrays, self.p
        for r in self.model.retailers:
            take = best == r.index
            buyers = idx[take]
            if buyers.size == 0:
                continue
            deposit = np.full(buyers.size, p["deposit"] * r.presale_price)
            self.pay(buyers, deposit, r.account, "deposit")
            a["ordered_from"][buyers] = r.index
            a["bought"][buyers] = True
            a["expectation"][buyers] = a["belief"][buyers, r.index]
            r.presale_orders += int(buyers.size)
            self.today["presale_orders"] += int(buyers.size)
            self._pay_scene_fees(r, scene[take], np.full(buyers.size, r.presale_price), buyers)
            self._count_sales(scene[take])

    def _sell(self, idx: np.ndarray, best: np.ndarray, scene: np.ndarray) -> None:
        a, p, rng = self.arrays, self.p, self.model.rng
        for r in self.model.retailers:
            take = best == r.index
            buyers, scenes = idx[take], scene[take]
            if buyers.size == 0:
                continue
            owed = r.presale_orders - r.presale_delivered
            available = max(0, r.units.stock - owed)
            capped = p["starvation"] and available > p["release_cap"] - self.released[r.index]
            if p["starvation"]:
                available = min(available, p["release_cap"] - self.released[r.index])
            order = rng.permutation(buyers.size)
            filled, unfilled = order[:available], order[available:]
            if unfilled.size:
                self._unfilled(r, buyers[unfilled])
                if not capped:
                    self.today["stockout"][r.index] = True
            self.scarcity[r.index] = unfilled.size / buyers.size
            buyers, scenes = buyers[filled], scenes[filled]
            if buyers.size == 0:
                continue
            r.units.take(int(buyers.size), "sold")
            self.released[r.index] += int(buyers.size)
            self.sold_today[r.index] += int(buyers.size)
            r.sold_campaign += int(buyers.size)
            self.pay(buyers, np.full(buyers.size, r.price), r.account, "sale")
            a["bought"][buyers] = True
            a["expectation"][buyers] = a["belief"][buyers, r.index]
            self._pay_scene_fees(r, scenes, np.full(buyers.size, r.price), buyers)
            self._count_sales(scenes)
            self._receive(buyers, r.index)

    def _unfilled(self, r: Retailer, consumers: np.ndarray) -> None:
        """Unfilled attempts: loyalty drops; a fan switches brand with probability
        ``churn_prob * (1 - loyalty)`` to its best alternative (MODEL §5, starvation)."""
        a, p, model = self.arrays, self.p, self.model
        self.today["unfilled"] += int(consumers.size)
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
        self.today["churn"] += int(movers.size)

    def _pay_scene_fees(
        self, r: Retailer, scenes: np.ndarray, prices: np.ndarray, buyers: np.ndarray
    ) -> None:
        """Commissions, drainage and alliance referral fees on sales of ``r`` (MODEL §7)."""
        model, p, ledger = self.model, self.p, self.model.ledger
        host = r.platform
        charges = r.channel in ("trading_3p", "social_3p")
        if charges:
            ledger.transfer(
                r.account, host.account, p["commission"] * float(prices.sum()), "commission"
            )
        social = model.platforms[1]
        jump_value = float(prices[scenes == JUMP].sum())
        ledger.transfer(
            r.account, social.account, p["drainage_commission"] * jump_value, "drainage"
        )
        if social.integrated and host.kind == "trading":
            via_social = float(prices[scenes == IN_SCENE].sum())
            ledger.transfer(
                r.account, social.account, p["commission"] * via_social, "in_app_commission"
            )
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

    def _count_sales(self, scenes: np.ndarray) -> None:
        for code, name in (
            (TRADING, "trading_only"),
            (JUMP, "jump"),
            (IN_SCENE, "in_scene"),
            (ALLIANCE, "alliance"),
        ):
            self.today[f"sales_{name}"] += int((scenes == code).sum())

    def _receive(self, consumers: np.ndarray, r_index: int, purchase: bool = True) -> None:
        """Consumers receive a unit of retailer ``r_index`` today: experience it, schedule the
        review, and join today's receivers (who may share). Experience units (a trial, not a
        purchase: ``purchase=False``) leave the consumer free to order the product."""
        a, p, model = self.arrays, self.p, self.model
        quality = model.retailers[r_index].quality
        a["owns"][consumers] = r_index
        a["received_day"][consumers] = model.day
        a["review_day"][consumers] = model.day + p["review_delay"]
        noise = model.rng.normal(0.0, p["quality_noise"], consumers.size)
        a["experienced"][consumers] = np.clip(quality + noise, 0.0, 1.0)
        a["purchases"][consumers] += int(purchase)
        self.received = np.concatenate([self.received, consumers])

    # -- phase: delivery ----------------------------------------------------------------------
    def deliver_presale_orders(self) -> None:
        """In the selling window, deliver outstanding presale orders from stock (balance paid)."""
        if self.window != "selling":
            return
        a, p, rng = self.arrays, self.p, self.model.rng
        for r in self.model.retailers:
            owed = r.presale_orders - r.presale_delivered
            if owed <= 0 or r.units.stock <= 0:
                continue
            waiting = np.flatnonzero(a["ordered_from"] == r.index)
            k = min(owed, r.units.stock)
            chosen = np.sort(rng.permutation(waiting)[:k])
            r.units.take(int(k), "sold")
            r.presale_delivered += int(k)
            r.sold_campaign += int(k)
            self.sold_today[r.index] += int(k)
            balance = np.full(k, (1.0 - p["deposit"]) * r.presale_price)
            self.pay(chosen, balance, r.account, "presale_balance")
            a["ordered_from"][chosen] = -1
            self._receive(chosen, r.index)

    # -- phase: sharing and reviews -----------------------------------------------------------
    def share_and_review(self) -> None:
        """Receivers share (dignity-driven); owners due today review (inflated, J-shaped)."""
        model, a, p = self.model, self.arrays, self.p
        received = self.received
        sharers = np.zeros(0, dtype=np.int64)
        if received.size:
            r_of = a["owns"][received]
            prob = model.decisions.sharing_probability(received, self.scarcity[r_of])
            share = model.rng.random(received.size) < prob
            forced = np.isin(received, self.received_experience)  # experience users share
            sharers = received[share | forced]
            a["post_of"][sharers] = a["owns"][sharers]
            # readable on the next post_days days (word of mouth runs before sharing)
            a["post_until"][sharers] = model.day + p["post_days"]
            a["post_quality"][sharers] = rules.post_quality(
                a["experienced"][sharers], a["inflation"][sharers]
            )
            a["shares"][sharers] += 1
            self.today["shares"] += int(sharers.size)
            for r in model.retailers:
                r.shares_campaign += int(np.sum(a["post_of"][sharers] == r.index))
        self.shared_today = np.zeros(model.network.n, dtype=bool)
        self.shared_today[sharers] = True
        self.received = np.zeros(0, dtype=np.int64)
        self.received_experience = np.zeros(0, dtype=np.int64)

        due = np.flatnonzero(a["review_day"] == model.day)
        if due.size:
            surprise = a["experienced"][due] - a["expectation"][due]
            writes = model.rng.random(due.size) < rules.review_probability(
                surprise, p["review_base"], p["review_extremity"]
            )
            reviewers = due[writes]
            stars = rules.stars(surprise[writes], a["inflation"][reviewers], p["stars_k"])
            np.add.at(self.stars, (a["owns"][reviewers], stars - 1), 1)
            self.today["reviews"] += int(reviewers.size)
            a["review_day"][due] = -1
            self._update_fans(due, surprise)

    def _update_fans(self, owners: np.ndarray, surprise: np.ndarray) -> None:
        """Pleased owners become fans (loyalty 0.5) or grow more loyal; displeased fans cool."""
        a = self.arrays
        r_of = a["owns"][owners]
        pleased = surprise > 0.1
        new = owners[pleased & (a["fan_of"][owners] < 0)]
        a["fan_of"][new] = r_of[pleased & (a["fan_of"][owners] < 0)]
        a["loyalty"][new] = 0.5
        loyal = owners[pleased & (a["fan_of"][owners] == r_of)]
        a["loyalty"][loyal] = np.minimum(1.0, a["loyalty"][loyal] + 0.1)
        cool = owners[(surprise < -0.1) & (a["fan_of"][owners] == r_of)]
        a["loyalty"][cool] = np.maximum(0.0, a["loyalty"][cool] - 0.1)

    # -- phase: restraint and debt ------------------------------------------------------------
    def update_restraint_and_debt(self) -> None:
        """Social use and sharing erode self-restraint, which recovers; debt accrues interest."""
        a, p = self.arrays, self.p
        tie = p["restraint_tie"]
        share = {"weak": a["weak_share"], "strong": 1.0 - a["weak_share"], "all": 1.0}[tie]
        exposure = self.reads_feed * share
        a["self_restraint"][:] = rules.self_restraint_step(
            a["self_restraint"],
            a["restraint_initial"],
            exposure,
            self.shared_today,
            p["rho_use"],
            p["rho_share"],
            p["rho_recover"],
        )
        if p["debt_interest"] > 0:
            added = a["debt"] * p["debt_interest"]
            a["debt"] += added
            self.interest += float(added.sum())

    # -- phase: platform payments -------------------------------------------------------------
    def pay_platforms(self) -> None:
        """Traffic value of active members, integration and alliance coordination costs."""
        model, p, ledger = self.model, self.p, self.model.ledger
        active = {0: int(self.visits_trading.sum()), 1: int(self.reads_feed.sum())}
        for pl in model.platforms[2:]:
            active[pl.index] = int((self.reads_feed & model.membership[:, pl.index]).sum())
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
            pl.payoff_today = ledger.balances[pl.account] - self.platform_balance[pl.name]
            pl.round_payoff += pl.payoff_today

    # -- phase: end of day / campaign ---------------------------------------------------------
    def end_day(self) -> None:
        """Record the day; at a campaign's last day salvage stock and learn from demand."""
        model, cal = self.model, self.model.calendar
        for r in model.retailers:
            if self.today["stockout"][r.index]:
                r.stockout_days += 1
        for key in DAILY_COUNTS:
            self.totals[key] += self.today[key]
        self.released = np.zeros(len(model.retailers), dtype=np.int64)
        if (model.day + 1) % cal.campaign_days == 0:
            self._close_campaign()

    def _close_campaign(self) -> None:
        model, a, p, ledger = self.model, self.arrays, self.p, self.model.ledger
        total_sold = sum(r.sold_campaign for r in model.retailers)
        for r in model.retailers:
            # undelivered presale orders are cancelled and their deposits refunded
            waiting = np.flatnonzero(a["ordered_from"] == r.index)
            if waiting.size:
                self.refund(
                    waiting, np.full(waiting.size, p["deposit"] * r.presale_price), r.account
                )
                a["ordered_from"][waiting] = -1
            leftover = r.units.stock
            if leftover:
                r.units.take(leftover, "salvaged")
                ledger.transfer("outside", r.account, leftover * p["salvage"], "salvage")
            r.to_produce = 0
            demand = int(np.sum(self.attempted_from == r.index))  # presale and spot buyers
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
                "shares": r.shares_campaign,
                "wholesale": r.wholesale,
                "power": r.power,
            }
            self.campaign_records.append(record)
            if r.spot_forecast > 0:
                ratio = spot / r.spot_forecast
                r.growth = float(np.clip(r.growth * (0.5 + 0.5 * ratio), 0.25, 20.0))
            r.scale = r.sold_campaign / total_sold if total_sold else r.scale
            self.last_volume[r.index] = r.sold_campaign

    def pooled_share(self, retailer: Retailer) -> float:
        """Share of last campaign's units sold by merchants of the retailer's alliance."""
        alliance = retailer.platform.alliance
        return 0.0 if alliance is None else self.volume_share(alliance.members)

    def volume_share(self, platforms: Iterable[Platform]) -> float:
        """Share of last campaign's units sold by merchants hosted on ``platforms`` (0 if none)."""
        total = self.last_volume.sum()
        if total <= 0:
            return 0.0
        hosted = np.isin(self.platform_of, [pl.index for pl in platforms])
        return float(self.last_volume[hosted].sum() / total)


def _post_reads(matrix, posters: np.ndarray, a: dict, reads_feed: np.ndarray, n_r: int):
    """Readers of today's posts along ``matrix`` ties.

    Returns, per (poster, reader) pair: the poster index, the tie strength and the flat key
    ``reader * n_r + retailer`` (for bincount), restricted to readers who read their feed today.
    """
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    starts = indptr[posters]
    lengths = indptr[posters + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(0), empty
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    readers = indices[offsets].astype(np.int64)
    source = np.repeat(posters, lengths)
    keep = reads_feed[readers]
    readers, source, strength = readers[keep], source[keep], data[offsets][keep].astype(float)
    key = readers * n_r + a["post_of"][source]
    return source, strength, key
