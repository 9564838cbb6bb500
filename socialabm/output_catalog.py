"""The single declaration of every model output: its name, unit, meaning and group.

Two tables, one per kind of output, as :mod:`socialabm.parameters` declares the inputs:

* :data:`SUMMARY_OUTPUTS`: the per-run summary (``model.summary()``, one row of a sweep's
  ``runs.parquet``, what ``socialabm run`` and ``compare`` print);
* :data:`DAILY_OUTPUTS`: the daily series (``model.daily_frame()``, ``daily.parquet``).

A name may hold one placeholder for a family of outputs: ``<channel>`` (one output per retailer
channel, :data:`CHANNEL_NAMES`) or ``<k>`` (one per social e-commerce platform, 1 to
``n_social_ecommerce``). ``socialabm outputs`` prints both tables; the tests check them against
what the model produces, both ways (an output produced but not declared, or declared but not
produced, fails). The computations are :mod:`socialabm.outputs`; docs/ODD.md §8 explains them.

Units: ``fraction`` is a share of a whole in [0, 1]; ``1`` another dimensionless number; ``CU``
currency units; ``stars`` the 1-5 star scale; ``quality`` the unit interval of product quality.
Counts name what they count (``units``, ``consumers``, ``posts``...).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from socialabm.suggest import did_you_mean

__all__ = [
    "CHANNEL_NAMES",
    "DAILY_OUTPUTS",
    "GROUPS",
    "SUMMARY_OUTPUTS",
    "Output",
    "declared",
    "summary_names",
    "unknown_output",
]

CHANNEL_NAMES = ("self_run", "trading_3p", "social_3p", "self_built_social")
"""The retailer channels an output family ``..._<channel>`` has one member for (the model's
``socialabm.agents.retailer.CHANNELS``; a test keeps the two equal)."""

GROUPS = {
    "run": "run",
    "diffusion": "awareness and word of mouth",
    "sales": "sales and trading paths",
    "stockouts": "stock and stock-outs",
    "reviews": "reviews",
    "consumers": "self-restraint, impulse and credit",
    "campaigns": "campaigns and prices",
    "retailers": "retailers (one output per channel)",
    "platforms": "platforms and alliances",
    "cascades": "adoption cascades (Goel, Watts & Goldstein 2012)",
    "groups": "group purchase (team buying) and margins per unit",
}
"""Groups of outputs, in listing order: key -> heading."""

_PLACEHOLDERS = {
    "<channel>": "(?:" + "|".join(CHANNEL_NAMES) + ")",
    "<k>": r"[1-9][0-9]*",
}


@dataclass(frozen=True)
class Output:
    """One declared output.

    Attributes:
        name: Column or summary key; may hold one placeholder (``<channel>``, ``<k>``) for a
            family of outputs.
        unit: Its unit (module doc).
        meaning: One line saying what it is.
        group: Key of :data:`GROUPS`.
        headline: Shown by ``socialabm run`` without ``--all``.
    """

    name: str
    unit: str
    meaning: str
    group: str
    headline: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"output {self.name!r}: group {self.group!r} is not in GROUPS")
        regex = re.escape(self.name)
        for placeholder, values in _PLACEHOLDERS.items():
            regex = regex.replace(re.escape(placeholder), values)
        object.__setattr__(self, "pattern", re.compile(regex))

    @property
    def family(self) -> bool:
        """Whether the name stands for several outputs (it holds a placeholder)."""
        return "<" in self.name

    def matches(self, name: str) -> bool:
        """Whether ``name`` is this output (or a member of this family)."""
        return self.pattern.fullmatch(name) is not None


def _table(*outputs: Output) -> dict[str, Output]:
    table = {o.name: o for o in outputs}
    if len(table) != len(outputs):
        raise ValueError("an output is declared twice")
    return table


O = Output

SUMMARY_OUTPUTS: dict[str, Output] = _table(
    O("days", "days", "days run", "run"),
    # -- diffusion ---------------------------------------------------------------------------
    O("aware_share", "fraction", "consumers aware of at least one product", "diffusion", True),
    O("shares", "posts", "posts sharing a product, by owners", "diffusion"),
    O("shares_per_buyer", "posts/unit", "shares per unit bought or tried", "diffusion", True),
    O("belief_gap", "quality", "mean belief minus true quality (aware pairs)", "diffusion"),
    # -- sales -------------------------------------------------------------------------------
    O("sales", "units", "spot sales and presale orders", "sales", True),
    O("sales_trading_only", "units", "sales on the giant, reached by a visit", "sales", True),
    O("sales_jump", "units", "sales after a jump from a post to the shop", "sales", True),
    O("sales_in_scene", "units", "sales inside the social app (member's platform)", "sales",
      True),
    O("sales_alliance", "units", "sales in the app of an allied platform", "sales", True),
    O("presale_orders", "orders", "presale orders placed", "sales", True),
    O("experience_units", "units", "experience (trial) units handed out", "sales"),
    O("in_scene_share", "fraction", "in-scene sales over sales", "sales"),
    O("alliance_sales_share", "fraction", "alliance sales over sales", "sales"),
    O("jump_conversion", "fraction", "jump sales over jump attempts", "sales"),
    O("post_conversion", "fraction", "sales from posts over attempts from posts", "sales", True),
    O("giant_share", "fraction", "units sold by giant-hosted retailers, whole run", "platforms",
      True),
    O("giant_share_last_campaign", "fraction", "the same, last campaign", "platforms"),
    O("alliance_share_last_campaign", "fraction", "units sold by alliance members, last campaign",
      "platforms"),
    # -- stock-outs and fans -----------------------------------------------------------------
    O("unfilled", "attempts", "purchase attempts that met a stock-out", "stockouts", True),
    O("stockout_switch", "attempts", "stock-outs answered by switching brand (drawn)", "stockouts"),
    O("stockout_elsewhere", "attempts", "stock-outs answered by buying elsewhere (drawn)",
      "stockouts"),
    O("stockout_delay", "attempts", "stock-outs answered by waiting (drawn)", "stockouts"),
    O("stockout_give_up", "attempts", "stock-outs answered by giving up (drawn)", "stockouts"),
    O("lost_sales", "attempts", "stock-outs lost to the retailer (realised elsewhere + give up)",
      "stockouts", True),
    O("fan_loss", "consumers", "fans who switched brand", "stockouts", True),
    O("stockout_days", "retailer-days", "days out of stock, over retailer-campaigns",
      "stockouts", True),
    # -- reviews -----------------------------------------------------------------------------
    O("reviews", "reviews", "reviews posted", "reviews"),
    O("mean_stars", "stars", "mean posted stars (NaN without reviews)", "reviews", True),
    O("j_shape_index", "fraction", "1- and 5-star reviews over reviews", "reviews", True),
    O("honest_j_shape_index", "fraction", "the same for honest ratings of every owner",
      "reviews"),
    O("review_inflation_gap", "stars", "mean posted minus mean experienced stars", "reviews",
      True),
    O("review_gap_disconfirmation", "stars", "part of the gap: honest minus experienced",
      "reviews"),
    O("review_gap_selection", "stars", "part of the gap: who chooses to write", "reviews"),
    O("review_gap_inflation", "stars", "part of the gap: posted minus honest", "reviews"),
    # -- consumers: restraint, impulse and credit --------------------------------------------
    O("mean_self_restraint", "1", "mean self-restraint (0-1) at the end", "consumers", True),
    O("impulse_purchases", "purchases", "purchases with willingness to pay below the price",
      "consumers"),
    O("impulse_share", "fraction", "impulse purchases over sales", "consumers", True),
    O("overconsumption", "units", "units beyond each buyer's first of a campaign", "consumers"),
    O("overconsumption_share", "fraction", "over-consumption over sales", "consumers"),
    O("credit_purchases", "purchases", "purchases that borrowed part of the price",
      "consumers", True),
    O("credit_waits", "waits", "chosen offers a consumer could not pay", "consumers"),
    O("debt_per_consumer", "CU", "debt at the end, mean over consumers", "consumers", True),
    O("borrowed_per_consumer", "CU", "borrowed over the run, mean over consumers", "consumers"),
    O("repaid_per_consumer", "CU", "repaid over the run, mean over consumers", "consumers"),
    O("indebted_share", "fraction", "consumers with debt at the end", "consumers"),
    # -- campaigns ---------------------------------------------------------------------------
    O("presale_price", "CU", "presale price, mean over retailer-campaigns", "campaigns", True),
    O("price", "CU", "selling price, mean over retailer-campaigns", "campaigns", True),
    O("forecast_error", "1", "sum |order - demand| over sum demand", "campaigns", True),
    O("leftover_share", "fraction", "units left unsold over units ordered", "campaigns", True),
    # -- retailers ---------------------------------------------------------------------------
    O("wholesale_<channel>", "CU/unit", "net wholesale price, mean over campaigns",
      "retailers", True),
    O("power_<channel>", "1", "bargaining power (0-1), mean over campaigns", "retailers"),
    O("profit_<channel>", "CU", "ledger balance at the end", "retailers"),
    O("margin_<channel>", "1", "profit over revenue (0 without revenue)", "retailers"),
    # -- platforms and alliances -------------------------------------------------------------
    O("payoff_giant", "CU", "the trading giant's ledger balance", "platforms"),
    O("payoff_social", "CU", "the social platform's ledger balance", "platforms"),
    O("payoff_social_ecommerce", "CU", "the social e-commerce platforms' balances, together",
      "platforms", True),
    O("platform_margin_giant", "1", "giant's payoff over its merchants' revenue", "platforms"),
    O("platform_margin_social_ecommerce", "1",
      "social e-commerce payoff over its merchants' revenue", "platforms"),
    O("alliances_formed", "alliances", "alliances ever formed", "platforms", True),
    O("alliance_count", "alliances", "alliances at the end", "platforms"),
    O("alliance_largest", "platforms", "members of the largest alliance at the end",
      "platforms"),
    # -- cascades ----------------------------------------------------------------------------
    O("cascades", "cascades", "adoption cascades (a seed and its descendants)", "cascades"),
    O("cascade_single_share", "fraction", "cascades of a single adoption", "cascades", True),
    O("cascade_mean_size", "adoptions", "mean adoptions per cascade", "cascades"),
    O("cascade_max_depth", "referrals", "longest chain from a seed", "cascades"),
    O("adoptions_deep_share", "fraction", "adoptions two or more referrals from their seed",
      "cascades"),
    # -- stock-outs as realised (issue 18 §1) ------------------------------------------------
    O("stockout_realised_switch", "attempts",
      "stock-outs after which the switcher bought another brand", "stockouts"),
    O("stockout_realised_elsewhere", "attempts", "stock-outs that ended in buying elsewhere",
      "stockouts"),
    O("stockout_realised_delay", "attempts",
      "stock-outs that ended in waiting (drawn delays and switchers' fallbacks)", "stockouts"),
    O("stockout_realised_give_up", "attempts", "stock-outs that ended in giving up",
      "stockouts"),
    # -- experience presale: recipients and the others (issue 18 §2) -------------------------
    O("presale_orders_recipients", "orders",
      "presale orders by consumers who received an experience unit that campaign", "sales"),
    O("presale_orders_others", "orders",
      "presale orders by consumers who received no experience unit that campaign", "sales"),
    # -- supplier over-reliance (issue 17 §2) ------------------------------------------------
    O("presale_cancelled", "orders", "presale orders cancelled at the delivery deadline",
      "stockouts"),
    O("sold_<channel>", "units", "units the retailer handed over (spot and presale)",
      "retailers"),
    O("cancelled_<channel>", "orders", "the retailer's presale orders cancelled at the deadline",
      "retailers"),
    O("fan_loss_<channel>", "consumers", "the retailer's fans who switched brand", "retailers"),
    # -- rows that held by construction (issue 17 §3) ---------------------------------------
    O("drainage_social_ecommerce", "CU",
      "drainage commissions received by the social e-commerce platforms", "platforms"),
    O("drainage_share_social_ecommerce", "fraction",
      "drainage commissions over all income of the social e-commerce platforms", "platforms"),
    # -- group purchase and margins per unit (7.21) ---------------------------------------------
    O("groups_started", "groups", "group purchases started", "groups", True),
    O("groups_succeeded", "groups", "groups that filled and were served", "groups"),
    O("groups_failed", "groups", "groups refunded at their deadline", "groups"),
    O("group_members", "consumers", "members who paid into a group (starters included)",
      "groups"),
    O("group_refunds", "consumers", "members refunded by a failed group", "groups"),
    O("group_refunded", "CU", "money refunded by failed groups", "groups"),
    O("group_sales", "units", "units sold to members of succeeded groups", "groups"),
    O("group_invitations", "invitations", "group invitations seen by ties", "groups"),
    O("purchases_price_sensitive", "units",
      "units bought by consumers valuing quality below the median valuation", "groups"),
    O("unit_margin_<channel>", "CU/unit",
      "realised price less the net wholesale price per unit", "groups"),
    O("realised_price_<channel>", "CU/unit", "revenue net of refunds per unit sold", "groups"),
    O("leftover_cost_<channel>", "CU",
      "leftover units times net wholesale less salvage, closed campaigns", "groups"),
)  # fmt: skip
"""The per-run summary outputs (``model.summary()``), in listing order."""

DAILY_OUTPUTS: dict[str, Output] = _table(
    O("day", "days", "days completed", "run"),
    O("aware", "consumers", "consumers aware of at least one product", "diffusion"),
    O("shares", "posts/day", "posts sharing a product today", "diffusion"),
    O("belief_gap", "quality", "mean belief minus true quality (aware pairs)", "diffusion"),
    O("sales", "units/day", "units handed over today (spot sales, presale deliveries)", "sales"),
    O("sales_trading_only", "units/day", "today's sales on the giant, reached by a visit",
      "sales"),
    O("sales_jump", "units/day", "today's sales after a jump from a post", "sales"),
    O("sales_in_scene", "units/day", "today's sales inside the social app", "sales"),
    O("sales_alliance", "units/day", "today's sales in the app of an allied platform", "sales"),
    O("presale_orders", "orders/day", "presale orders placed today", "sales"),
    O("giant_share", "fraction", "today's units sold by giant-hosted retailers", "platforms"),
    O("alliance_share", "fraction", "today's units sold by alliance members", "platforms"),
    O("unfilled", "attempts/day", "purchase attempts that met a stock-out today", "stockouts"),
    O("stockout_switch", "attempts/day", "stock-outs answered by switching brand today (drawn)",
      "stockouts"),
    O("stockout_elsewhere", "attempts/day", "stock-outs answered by buying elsewhere today (drawn)",
      "stockouts"),
    O("stockout_delay", "attempts/day", "stock-outs answered by waiting today (drawn)",
      "stockouts"),
    O("stockout_give_up", "attempts/day", "stock-outs answered by giving up today (drawn)",
      "stockouts"),
    O("stock", "units", "units in stock, all retailers", "stockouts"),
    O("fans", "consumers", "fans of any retailer", "stockouts"),
    O("fan_churn", "consumers/day", "fans who switched brand today", "stockouts"),
    O("reviews", "reviews/day", "reviews posted today", "reviews"),
    O("mean_stars", "stars", "mean posted stars so far (NaN before the first)", "reviews"),
    O("mean_self_restraint", "1", "mean self-restraint (0-1)", "consumers"),
    O("total_debt", "CU", "consumers' debt, summed", "consumers"),
    O("impulse_purchases", "purchases/day", "today's purchases below willingness to pay",
      "consumers"),
    O("overconsumption", "units/day", "today's units beyond a buyer's first of the campaign",
      "consumers"),
    O("credit_purchases", "purchases/day", "today's purchases that borrowed", "consumers"),
    O("credit_waits", "waits/day", "chosen offers a consumer could not pay today", "consumers"),
    O("integration_share", "1", "1 when the social platform offers in-app ordering",
      "platforms"),
    O("alliance_count", "alliances", "live alliances", "platforms"),
    O("alliance_largest", "platforms", "members of the largest alliance", "platforms"),
    O("fans_<channel>", "consumers", "the retailer's fans", "retailers"),
    O("wholesale_<channel>", "CU/unit", "the retailer's current (gross) wholesale price",
      "retailers"),
    O("profit_<channel>", "CU", "the retailer's ledger balance", "retailers"),
    O("stock_<channel>", "units", "the retailer's stock", "retailers"),
    O("payoff_giant", "CU", "the trading giant's ledger balance", "platforms"),
    O("payoff_social", "CU", "the social platform's ledger balance", "platforms"),
    O("payoff_se_<k>", "CU", "social e-commerce platform k's ledger balance", "platforms"),
    # -- stock-outs as realised (issue 18 §1) ------------------------------------------------
    O("stockout_realised_switch", "attempts/day",
      "stock-outs after which the switcher bought another brand today", "stockouts"),
    O("stockout_realised_elsewhere", "attempts/day",
      "stock-outs that ended in buying elsewhere today", "stockouts"),
    O("stockout_realised_delay", "attempts/day",
      "stock-outs that ended in waiting today (drawn delays and switchers' fallbacks)",
      "stockouts"),
    O("stockout_realised_give_up", "attempts/day", "stock-outs that ended in giving up today",
      "stockouts"),
)  # fmt: skip
"""The daily series (``model.daily_frame()``), in listing order."""


def declared(name: str, table: dict[str, Output]) -> Output | None:
    """The declaration of output ``name`` in ``table`` (a family's, for a member), or ``None``."""
    if name in table:
        return table[name]
    return next((o for o in table.values() if o.family and o.matches(name)), None)


def summary_names() -> list[str]:
    """Every per-run summary output by name, in listing order (families expanded)."""
    return [
        o.name.replace("<channel>", channel) if o.family else o.name
        for o in SUMMARY_OUTPUTS.values()
        for channel in (CHANNEL_NAMES if o.family else ("",))
    ]


def unknown_output(where: str, name: str, known: Sequence[str], what: str = "an output") -> str:
    """The message for an output name that is not among ``known``: where it was given, a "did
    you mean" (:func:`socialabm.suggest.did_you_mean`) and where every output is explained.

    Args:
        where: Where the name was given (``"--outputs"``, ``"sweep.toml [analysis] outputs"``).
        name: The name given.
        known: The outputs available there.
        what: What the name should have been (``"a numeric output of this sweep"``).
    """
    return (
        f"{where}: {name!r} is not {what}{did_you_mean(name, known)} ({len(set(known))} "
        "available; `socialabm outputs` lists the model's outputs with their units and meanings)"
    )
