"""Model outputs (docs/ODD.md §8): the daily series collected by Mesa's DataCollector and the
per-run summary used by the CLI and sweeps."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from socialabm.agents.retailer import CHANNELS
from socialabm.arrays import mean, minus_columns, rows_any
from socialabm.market import REALISED_COUNTS, SCENES, STOCKOUT_COUNTS

if TYPE_CHECKING:
    from socialabm.agents.retailer import Retailer
    from socialabm.market import MarketModel


def daily_outputs(model: MarketModel) -> dict[str, Any]:
    """Every built-in daily output of the day just closed, by column, in column order: one pass
    a day, so what several columns share (fan counts, the day's counters) is read once."""
    m, today, retailers, balances = (
        model.market,
        model.market.today,
        model.retailers,
        model.ledger.balances,
    )
    fans = fan_counts(model)
    out: dict[str, Any] = {
        "day": model.day,
        "aware": int(np.count_nonzero(rows_any(model.consumers.aware))),
        "presale_orders": today["presale_orders"],
    }
    for scene in SCENES:
        out[f"sales_{scene}"] = today[f"sales_{scene}"]
    out |= {
        "sales": int(m.sold_today.sum()),
        "unfilled": today["unfilled"],
        **{key: today[key] for key in STOCKOUT_COUNTS},
        "stock": int(sum(r.units.stock for r in retailers)),
        "fans": int(fans.sum()),
        "fan_churn": today["churn"],
        "shares": today["shares"],
        "reviews": today["reviews"],
        "mean_stars": mean_stars(m.stars.sum(axis=0)),
        "belief_gap": belief_gap(model),
        "mean_self_restraint": mean(model.consumers.self_restraint),
        "total_debt": float(model.consumers.debt.sum()),
        "impulse_purchases": today["impulse_purchases"],
        "overconsumption": today["overconsumption"],
        "credit_purchases": today["credit_purchases"],
        "credit_waits": today["credit_waits"],
        "integration_share": integration_share(model),
        "alliance_count": len(model.alliances),
        "alliance_largest": max((al.size for al in model.alliances), default=0),
        "giant_share": _share(model, lambda r: r.platform.kind == "trading"),
        "alliance_share": _share(model, lambda r: r.platform.alliance is not None),
    }
    for r in retailers:
        out[f"fans_{r.channel}"] = int(fans[r.index])
        out[f"wholesale_{r.channel}"] = r.wholesale
        out[f"profit_{r.channel}"] = balances[r.account]
        out[f"stock_{r.channel}"] = r.units.stock
    for pl in model.platforms:
        out[f"payoff_{pl.name}"] = balances[pl.account]
    out |= {key: today[key] for key in REALISED_COUNTS}
    return out


def daily_reporters(model: MarketModel) -> dict[str, Callable]:
    """Model reporters for ``mesa.DataCollector``, one per column of :func:`daily_outputs`
    (computed once a day, whichever column is asked first)."""
    return {name: functools.partial(_daily_output, name) for name in daily_outputs(model)}


def _daily_output(name: str, model: MarketModel) -> Any:
    """Column ``name`` of today's :func:`daily_outputs`."""
    cache = model.__dict__.get("_daily_outputs")
    if cache is None or cache[0] != model.day:
        model._daily_outputs = cache = (model.day, daily_outputs(model))
    return cache[1][name]


class DailyCollector(mesa.DataCollector):
    """The model's Mesa ``DataCollector``: every built-in column (:func:`daily_outputs`) is
    appended from one call a day; reporters added later (``SocialCommerceModel.add_reporter``)
    are collected by Mesa's own ``collect``. Its ``model_reporters`` and ``model_vars`` hold every
    column, so ``get_model_vars_dataframe()`` is Mesa's.

    The built-in values are plain numbers (or immutable numpy scalars), so Mesa's per-value
    ``deepcopy`` is not needed for them. A run whose daily series nobody reads turns collection
    off (:meth:`stop`; ``run_model(collect_daily=False)`` without reporters): about 15% of a
    500-consumer run's time.
    """

    def __init__(self, model: MarketModel) -> None:
        super().__init__(model_reporters=daily_reporters(model))
        self._builtin = len(self.model_reporters)
        self.stopped = False

    def stop(self) -> None:
        """Collect nothing from now on; the daily series is then incomplete, and
        ``SocialCommerceModel.daily_frame`` refuses to return it."""
        self.stopped = True

    def collect(self, model: MarketModel) -> None:
        """Collect the day's outputs (see the class docstring); nothing once stopped."""
        if self.stopped:
            return
        values = daily_outputs(model)
        model_vars = self.model_vars
        for name, value in values.items():
            model_vars[name].append(value)
        reporters = self.model_reporters
        added = dict(itertools.islice(reporters.items(), self._builtin, None))
        if not added:  # Mesa's collect records the time only when it has reporters to run;
            # mesa.batch_run maps each step to its row through this list
            self._collection_steps.append(model.time)
        self.model_reporters = added  # Mesa's collect runs over the added reporters only
        try:
            super().collect(model)
        finally:
            self.model_reporters = reporters


def fan_counts(model: MarketModel) -> np.ndarray:
    """Fans of each retailer (one comparison per retailer: faster than a bincount of the fans
    at any size, as the retailers are few)."""
    fan_of = model.consumers.fan_of
    return np.array([np.count_nonzero(fan_of == r) for r in range(len(model.retailers))])


def integration_share(model: MarketModel) -> float:
    """Share of social platforms integrated with the trading platform (in-app ordering)."""
    flags = [pl.integrated for pl in model.platforms if pl.kind == "social"]
    return float(sum(flags) / len(flags))


def _share(model: MarketModel, which: Callable) -> float:
    # (Python ints: exact sums, and the same quotient as numpy's below 2**53 units)
    sold = model.market.sold_today.tolist()
    total = sum(sold)
    if total == 0:
        return 0.0
    return float(sum(sold[r.index] for r in model.retailers if which(r)) / total)


def mean_stars(counts: np.ndarray) -> float:
    """Mean posted stars for counts of 1..5 stars (NaN without reviews). (Python ints: exact
    sums, and the same quotient as numpy's below 2**53 stars.)"""
    counts = counts.tolist()
    total = sum(counts)
    stars = sum(s * c for s, c in enumerate(counts, start=1))
    return float(stars / total) if total else float("nan")


def belief_gap(model: MarketModel) -> float:
    """Mean belief minus true quality over aware consumer-product pairs."""
    aware = model.consumers.aware
    n_aware = np.count_nonzero(aware)
    if n_aware == 0:
        return 0.0
    quality = np.array([r.quality for r in model.retailers])
    gap = minus_columns(model.consumers.belief, quality)
    return float(np.einsum("ij,ij->", gap, aware) / n_aware)


def j_shape_index(counts: np.ndarray) -> float:
    """Share of 5-star and 1-star reviews among all posted reviews (0 without reviews)."""
    total = counts.sum()
    return float((counts[0] + counts[4]) / total) if total else 0.0


def run_summary(model: MarketModel) -> dict[str, float]:
    """Per-run summary: totals and campaign-level figures, one flat dict of floats."""
    m, a = model.market, model.consumers.arrays
    totals = m.totals
    sales = sum(totals[f"sales_{s}"] for s in SCENES)
    counts = m.stars.sum(axis=0)
    campaigns = CampaignTable(m.campaign_records)
    out: dict[str, float] = {
        "days": float(model.day),
        "aware_share": float(rows_any(a["aware"]).mean()),
        "sales": float(sales),
        "presale_orders": float(totals["presale_orders"]),
        "experience_units": float(totals["experience_units"]),
        "unfilled": float(totals["unfilled"]),
        "fan_loss": float(totals["churn"]),
        "shares": float(totals["shares"]),
        "shares_per_buyer": totals["shares"] / max(sales + totals["experience_units"], 1),
        "reviews": float(counts.sum()),
        "mean_stars": mean_stars(counts),
        "j_shape_index": j_shape_index(counts),
        "honest_j_shape_index": j_shape_index(m.honest_stars.sum(axis=0)),
        **review_gaps(m.review_sums),
        "belief_gap": belief_gap(model),
        "mean_self_restraint": mean(a["self_restraint"]),
        "impulse_purchases": float(totals["impulse_purchases"]),
        "impulse_share": _ratio(totals["impulse_purchases"], sales),  # sales include orders
        "overconsumption": float(totals["overconsumption"]),
        "overconsumption_share": _ratio(totals["overconsumption"], sales),
        "credit_purchases": float(totals["credit_purchases"]),
        "credit_waits": float(totals["credit_waits"]),
        "debt_per_consumer": float(a["debt"].mean()),
        "borrowed_per_consumer": float(a["borrowed"].mean()),
        "repaid_per_consumer": float(a["repaid"].mean()),
        "indebted_share": float((a["debt"] > 0).mean()),
        **{key: float(totals[key]) for key in STOCKOUT_COUNTS},
        "lost_sales": float(
            totals["stockout_realised_elsewhere"] + totals["stockout_realised_give_up"]
        ),
        "jump_conversion": _ratio(totals["sales_jump"], totals["attempts_jump"]),
        "post_conversion": _ratio(
            totals["sales_jump"] + totals["sales_post_in_scene"],
            totals["attempts_jump"] + totals["attempts_post_in_scene"],
        ),
        "in_scene_share": _ratio(totals["sales_in_scene"], sales),
        "alliance_sales_share": _ratio(totals["sales_alliance"], sales),
        "alliances_formed": float(len(model.alliance_history)),
        "alliance_count": float(len(model.alliances)),
        "alliance_largest": float(max((al.size for al in model.alliances), default=0)),
    }
    for s in SCENES:
        out[f"sales_{s}"] = float(totals[f"sales_{s}"])
    nan = float("nan")  # campaign figures are undefined before the first campaign closes
    out |= dict.fromkeys(
        ("presale_price", "price", "forecast_error", "leftover_share", "stockout_days"), nan
    )
    if len(campaigns):
        out["presale_price"] = campaigns.mean("presale_price")
        out["price"] = campaigns.mean("price")
        # demand-weighted |Q - demand| / demand over every retailer and campaign
        miss = _nansum(np.abs(campaigns["order_quantity"] - campaigns["demand"]))
        out["forecast_error"] = float(miss / max(campaigns.total("demand"), 1))
        out["leftover_share"] = float(
            campaigns.total("leftover") / max(campaigns.total("order_quantity"), 1)
        )
        out["stockout_days"] = float(campaigns.total("stockout_days"))
    for channel in CHANNELS:
        retailer = next(r for r in model.retailers if r.channel == channel)
        rows = campaigns.of_channel(channel)
        out[f"wholesale_{channel}"] = (
            rows.mean("net_wholesale") if len(rows) else retailer.wholesale
        )
        out[f"power_{channel}"] = rows.mean("power") if len(rows) else retailer.power
        out[f"profit_{channel}"] = float(model.ledger.balances[retailer.account])
        out[f"margin_{channel}"] = _ratio(out[f"profit_{channel}"], revenue(model, retailer))
    out |= platform_figures(model)
    out |= cascades(model)
    sold = np.array([r.units.sold for r in model.retailers])
    out["giant_share"] = _ratio(float(sold[m.platform_of == 0].sum()), sold.sum())
    giant_sales = sum(r.sold_campaign for r in model.retailers if r.platform.kind == "trading")
    out["giant_share_last_campaign"] = _ratio(
        giant_sales, sum(r.sold_campaign for r in model.retailers)
    )
    out["alliance_share_last_campaign"] = _ratio(
        sum(r.sold_campaign for r in model.retailers if r.platform.alliance is not None),
        sum(r.sold_campaign for r in model.retailers),
    )
    out |= {key: float(m.totals[key]) for key in REALISED_COUNTS}
    out |= {
        key: float(m.totals[key]) for key in ("presale_orders_recipients", "presale_orders_others")
    }
    out |= own_figures(model, campaigns)
    out |= drainage_figures(model)
    out |= group_figures(model)
    for r in model.retailers:
        out[f"unit_margin_{r.channel}"] = unit_margin(model, r, campaigns)
        out[f"realised_price_{r.channel}"] = realised_price(model, r)
        out[f"leftover_cost_{r.channel}"] = leftover_cost(model, r, campaigns)
    return out


def drainage_figures(model: MarketModel) -> dict[str, float]:
    """Drainage commissions received by the social e-commerce platforms together (CU), and
    their share of all those platforms' income (every flow received; 0 without income)."""
    accounts = {pl.account for pl in model.se_platforms}
    income = drainage = 0.0
    for (kind, _payer, payee), amount in model.ledger.flows.items():
        if payee in accounts:
            income += amount
            drainage += amount if kind == "drainage" else 0.0
    return {
        "drainage_social_ecommerce": drainage,
        "drainage_share_social_ecommerce": _ratio(drainage, income),
    }


def own_figures(model: MarketModel, campaigns: CampaignTable) -> dict[str, float]:
    """Each retailer's own sales, cancelled presale orders and lost fans, whole run (the
    single-sourced retailer's losses, which market totals hide when its buyers switch)."""
    out = {"presale_cancelled": float(model.market.totals["presale_cancelled"])}
    is_open = model.day % model.calendar.campaign_days != 0  # a campaign not yet recorded
    for r in model.retailers:
        done = campaigns.of_channel(r.channel)
        for name, key, ongoing in (
            ("cancelled", "presale_cancelled", r.presale_cancelled),
            ("fan_loss", "fan_loss", r.fan_loss),
        ):
            total = (done.total(key) if len(done) else 0) + (ongoing if is_open else 0)
            out[f"{name}_{r.channel}"] = float(total)
        out[f"sold_{r.channel}"] = float(r.units.sold)
    return out


def cascades(model: MarketModel) -> dict[str, float]:
    """Adoption cascades (Goel, Watts & Goldstein 2012), over every product.

    An adoption is a consumer's first purchase or order of a product. Its parent is the poster
    whose post made the consumer aware of the product (``aware_from``) when that poster adopted
    it too; otherwise the adoption is a seed (made aware by an ad, from the start, as a fan...).
    A cascade is a seed with every adoption descending from it.

    Returns:
        ``cascades`` (number), ``cascade_single_share`` (share of cascades of one adoption),
        ``cascade_mean_size``, ``cascade_max_depth``, and ``adoptions_deep_share`` (share of
        adoptions two or more steps from their seed: chains of referrals).
    """
    a = model.consumers.arrays
    sizes, depths = [], []
    for r in range(a["adopted"].shape[1]):
        nodes = np.flatnonzero(a["adopted"][:, r])
        if nodes.size == 0:
            continue
        parent = a["aware_from"][nodes, r].astype(np.int64)
        position = np.full(a["adopted"].shape[0], -1, dtype=np.int64)
        position[nodes] = np.arange(nodes.size)
        up = np.where(parent >= 0, position[np.maximum(parent, 0)], -1)  # parent's position
        root, depth = np.arange(nodes.size), np.zeros(nodes.size, dtype=np.int64)
        hop = up.copy()
        while (hop >= 0).any():  # walk every node up to its seed, one step per pass
            moving = hop >= 0
            root[moving] = hop[moving]
            depth[moving] += 1
            hop[moving] = up[hop[moving]]
        sizes.append(np.bincount(root, minlength=nodes.size)[up < 0])
        depths.append(depth)
    if not sizes:
        return {"cascades": 0.0, "cascade_single_share": float("nan"),
                "cascade_mean_size": float("nan"), "cascade_max_depth": 0.0,
                "adoptions_deep_share": float("nan")}  # fmt: skip
    size, depth = np.concatenate(sizes), np.concatenate(depths)
    return {
        "cascades": float(size.size),
        "cascade_single_share": float(np.mean(size == 1)),
        "cascade_mean_size": float(size.mean()),
        "cascade_max_depth": float(depth.max()),
        "adoptions_deep_share": float(np.mean(depth >= 2)),
    }


REVENUE_KINDS = ("sale", "deposit", "presale_balance", "experience", "group_sale")
"""Ledger kinds of consumers' payments to retailers (revenue)."""


def revenue(model: MarketModel, retailer: Retailer) -> float:
    """Retailer's revenue over the run so far (CU): what consumers paid it."""
    return sum(model.ledger.total(k, payee=retailer.account) for k in REVENUE_KINDS)


def group_figures(model: MarketModel) -> dict[str, float]:
    """Group purchase counts (docs/ODD.md 7.21) and the units bought by price-sensitive
    consumers: those whose valuation (CU per unit of quality) is below the median."""
    totals, a = model.market.totals, model.consumers.arrays
    keys = ("groups_started", "groups_succeeded", "groups_failed", "group_members",
            "group_refunds", "group_sales", "group_invitations")  # fmt: skip
    sensitive = a["valuation"] < np.median(a["valuation"])
    return {
        **{key: float(totals[key]) for key in keys},
        "group_refunded": float(model.ledger.total("refund", payer="group_escrow")),
        "purchases_price_sensitive": float(a["purchases"][sensitive].sum()),
    }


def realised_price(model: MarketModel, retailer: Retailer) -> float:
    """The retailer's revenue net of the refunds it paid, per unit sold (CU/unit; NaN before a
    unit is sold): what a unit fetched on average, presale and group discounts included."""
    sold = retailer.units.sold
    if sold == 0:
        return float("nan")
    net = revenue(model, retailer) - model.ledger.total("refund", payer=retailer.account)
    return float(net / sold)


def unit_margin(model: MarketModel, retailer: Retailer, campaigns: CampaignTable) -> float:
    """The retailer's margin per unit sold (CU/unit): its :func:`realised_price` less its net
    wholesale price per unit (weighted by the units sold in each campaign); NaN before a unit
    is sold."""
    if retailer.units.sold == 0 or not len(campaigns):
        return float("nan")
    rows = campaigns.of_channel(retailer.channel)
    cost = float(_nansum(rows["net_wholesale"] * rows["sold"]) / max(rows.total("sold"), 1))
    return realised_price(model, retailer) - cost


def leftover_cost(model: MarketModel, retailer: Retailer, campaigns: CampaignTable) -> float:
    """What the retailer lost on leftover stock over its closed campaigns (CU): each salvaged
    unit's net wholesale price less its salvage value (0 before a campaign closes)."""
    if not len(campaigns):
        return 0.0
    rows = campaigns.of_channel(retailer.channel)
    return float(_nansum(rows["leftover"] * (rows["net_wholesale"] - model.p["salvage"])))


class CampaignTable:
    """The records of the closed campaigns (``market.campaign_records``: one per retailer and
    finished campaign, see :mod:`socialabm.market.campaigns`) as numpy columns.

    Sums and means skip NaN and add in the order pandas does, so the figures equal those of a
    ``pandas.DataFrame`` of the records: a run has a handful of records, for which building
    and filtering a DataFrame costs more than the figures themselves.
    """

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records
        self._columns: dict[str, np.ndarray] = {}
        self._channels: dict[str, CampaignTable] = {}

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, name: str) -> np.ndarray:
        """Column ``name``, one value per record (ints as int64, floats as float64)."""
        if name not in self._columns:
            self._columns[name] = np.array([record[name] for record in self.records])
        return self._columns[name]

    def of_channel(self, channel: str) -> CampaignTable:
        """The records of the retailer selling through ``channel`` (selected once: the summary
        asks for each channel's several times)."""
        if channel not in self._channels:
            mine = [r for r in self.records if r["channel"] == channel]
            self._channels[channel] = CampaignTable(mine)
        return self._channels[channel]

    def total(self, name: str) -> Any:
        """Sum of column ``name`` over the records, NaN skipped (0 without records), as a numpy
        scalar of the column's type."""
        return _nansum(self[name])

    def mean(self, name: str) -> float:
        """Mean of column ``name`` over the records, NaN skipped (NaN if every value is)."""
        values = self[name]
        missing = _missing(values)
        count = np.float64(values.size - np.count_nonzero(missing))
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(_nansum(values, np.float64) / count)


def _missing(values: np.ndarray) -> np.ndarray:
    return np.isnan(values) if values.dtype.kind == "f" else np.zeros(values.shape, bool)


def _nansum(values: np.ndarray, dtype: type | None = None) -> Any:
    """``values.sum()`` with NaN counted as 0, as pandas sums a column (same order of adds)."""
    missing = _missing(values)
    if missing.any():
        values = np.where(missing, 0, values)
    return values.sum(dtype=dtype)


def platform_figures(model: MarketModel) -> dict[str, float]:
    """Payoff (ledger balance, CU) of the giant, the social platform and the social e-commerce
    platforms together; for the giant and the social e-commerce platforms also the margin:
    payoff over the revenue of the merchants they host (NaN before any sale), as in the seed's
    low-profit comparison (the social platform hosts no merchant)."""
    groups = {
        "giant": [pl for pl in model.platforms if pl.kind == "trading"],
        "social": [pl for pl in model.platforms if pl.kind == "social"],
        "social_ecommerce": list(model.se_platforms),
    }
    out = {}
    for name, platforms in groups.items():
        payoff = sum(model.ledger.balances[pl.account] for pl in platforms)
        hosted = sum(revenue(model, r) for r in model.retailers if r.platform in platforms)
        out[f"payoff_{name}"] = float(payoff)
        if name != "social":
            out[f"platform_margin_{name}"] = float(payoff / hosted) if hosted else float("nan")
    return out


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den else 0.0


def review_gaps(sums: dict[str, float]) -> dict[str, float]:
    """The review gap and its exact decomposition, in stars (NaN before any review).

    ``review_inflation_gap`` = mean posted stars - mean experienced stars (``1 + 4 q_exp`` over
    every owner whose review fell due) = ``review_gap_disconfirmation`` (mean honest - mean
    experienced, all owners) + ``review_gap_selection`` (mean honest of reviewers - of all owners:
    who chooses to write) + ``review_gap_inflation`` (mean posted - mean honest, reviewers).
    """
    names = ("review_inflation_gap", "review_gap_disconfirmation", "review_gap_selection",
             "review_gap_inflation")  # fmt: skip
    if not sums["reviewers"]:
        return dict.fromkeys(names, float("nan"))
    experienced = sums["experienced_stars"] / sums["owners"]
    honest = sums["honest_stars"] / sums["owners"]
    honest_reviewers = sums["reviewers_honest_stars"] / sums["reviewers"]
    posted = sums["posted_stars"] / sums["reviewers"]
    return dict(
        zip(
            names,
            (posted - experienced, honest - experienced, honest_reviewers - honest,
             posted - honest_reviewers),
            strict=True,
        )
    )  # fmt: skip
