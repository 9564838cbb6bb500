"""Readable names for what the page shows: the parameters (sliders) and the consumer columns
(the inspector).

The model's declarations stay the source of truth: :data:`socialabm.parameters.PARAMETERS` says
which parameters exist (with their unit and meaning), ``Consumer.columns`` and
``Consumer.matrix_columns`` which consumer columns exist. This module only adds the words a
class reads from the back of the room. ``tests/test_viz_labels.py`` checks that every declared
parameter and every declared consumer column has a label here and that no label names something
undeclared, so a new parameter or column is caught the day it is added. A column of one's own
consumer class (``Consumer`` subclasses, docs/extending.md) is shown under its own name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

PARAMETER_LABELS: dict[str, str] = {
    # network
    "n_consumers": "Consumers",
    "community_size": "Friends per circle",
    "weak_ties": "Acquaintances per consumer",
    "weak_tie_reach": "Reach of acquaintances",
    "weak_threshold": "Weak-tie threshold",
    # population
    "share_well_informed": "Share well informed",
    "share_semi_informed": "Share semi-informed",
    "valuation_mean": "Mean valuation",
    "valuation_sd": "Spread of valuations",
    "cash_mean": "Mean starting cash",
    "social_use_mean": "Social feed use",
    "trading_use_mean": "Trading platform visits",
    "dignity_mean": "Need for dignity",
    "self_restraint_mean": "Self-restraint",
    # awareness
    "ad_reach": "Advertising reach",
    "beta_weak": "Awareness per acquaintance's post",
    "beta_strong": "Awareness per friend's post",
    "post_days": "Days a post stays in feeds",
    "eta": "Belief step toward a post",
    "omega": "Belief step toward reviews",
    "expected_inflation": "Review inflation discounted",
    "vigilance_erosion": "Vigilance lost per visit",
    "brand_noise": "Noise of brand beliefs",
    "uninformed_prior": "Belief of the uninformed",
    # choice
    "loyalty_bonus": "Loyalty bonus",
    "impulse_gain": "Impulse buying",
    "campaign_units": "Units per consumer and campaign",
    "satiation": "Satiation",
    "scene_cost": "Cost of a non-member platform",
    "jump_friction": "Jumps abandoned",
    "in_scene_trust": "Trust in buying in the scene",
    "trading_assurance": "Assurance of trading platforms",
    "scene_logit_scale": "Randomness of scene choice",
    "fan_share": "Share of fans",
    "fan_threshold": "Surprise that makes or cools a fan",
    "new_fan_loyalty": "Loyalty of a new fan",
    "loyalty_step": "Loyalty gained or lost per experience",
    # credit
    "income_mean": "Mean income",
    "income_sd": "Spread of incomes",
    "income_every": "Days between pay days",
    "repay_share": "Share of income repaying debt",
    "credit_multiple": "Credit line",
    "credit_hurdle": "Hurdle to buy on credit",
    "debt_interest": "Interest on debt",
    # restraint
    "rho_use": "Restraint lost to feed use",
    "rho_share": "Restraint lost by sharing",
    "rho_recover": "Restraint recovery",
    "restraint_tie": "Feed that erodes restraint",
    # sharing
    "share_base": "Base sharing probability",
    "kappa_dignity": "Sharing for dignity",
    "kappa_weak": "Sharing with acquaintances",
    "kappa_scarcity": "Sharing scarce products",
    # reviews
    "quality_noise": "Noise of experienced quality",
    "review_delay": "Days until a review",
    "failure_rate": "Units that fail",
    "disconfirmation": "Weight of disappointment",
    "review_base": "Review probability",
    "review_extremity": "Extra reviews when extreme",
    "inflation_base": "Star inflation",
    "inflation_social": "Extra inflation among acquaintances",
    # campaign
    "campaign_days": "Days per campaign",
    "n_campaigns": "Campaigns",
    "presale_mode": "Sales strategy",
    "presale_channels": "Channels with a presale",
    "experience_days": "Days of the experience window",
    "presale_days": "Days of the presale",
    "lead_days": "Production lead time",
    "deposit": "Presale deposit",
    "waiting_cost": "Cost of waiting",
    "experience_units": "Experience units per retailer",
    "experience_share": "Experience users who share",
    "experience_learning": "Learning from experience users",
    "experience_price": "Price of an experience unit",
    "survey_size": "Consumers surveyed for the price",
    "salvage": "Salvage value",
    "starvation": "Starvation marketing",
    "release_cap": "Units released per day",
    "churn_prob": "Unfilled fans who switch",
    "loyalty_loss": "Loyalty lost when unfilled",
    "churn_loyalty": "Loyalty to the new brand after switching",
    # stock-outs
    "stockout_switch": "Stock-outs: buy another brand",
    "stockout_elsewhere": "Stock-outs: buy elsewhere",
    "stockout_delay": "Stock-outs: wait",
    "stockout_retry_days": "Days waited after a stock-out",
    # retailers
    "quality_self_run": "Quality: giant's own retail",
    "quality_trading_3p": "Quality: trading third party",
    "quality_social_3p": "Quality: social third party",
    "quality_self_built": "Quality: self-built social",
    "brand_self_run": "Brand: giant's own retail",
    "brand_trading_3p": "Brand: trading third party",
    "brand_social_3p": "Brand: social third party",
    "brand_self_built": "Brand: self-built social",
    "growth_learning": "Learning from last campaign's demand",
    # suppliers
    "concentration_self_run": "Buyer concentration: giant's own",
    "concentration_trading_3p": "Buyer concentration: trading 3rd party",
    "concentration_social_3p": "Buyer concentration: social 3rd party",
    "concentration_self_built": "Buyer concentration: self-built",
    "unit_cost": "Unit cost",
    "capacity": "Supplier capacity",
    "capacity_share": "Default capacity per consumer",
    "disruption_prob": "Disruption probability",
    "disruption_days": "Days of a disruption",
    "multi_sourcing": "Switch supplier when disrupted",
    "bargaining_lambda": "Margin on the table",
    "power_bias": "Power: baseline",
    "power_concentration": "Power: buyer concentration",
    "power_brand": "Power: brand",
    "power_scale": "Power: scale",
    "power_advance": "Power: advance payment",
    "power_certainty": "Power: order certainty",
    "power_pooled": "Power: pooled volume",
    "power_supplier": "Power: supplier concentration",
    # demand uncertainty
    "demand_uncertainty": "Demand uncertainty",
    # group purchase
    "group_purchase": "Group purchase",
    "group_discount": "Group discount",
    "group_size": "Members a group needs",
    "group_days": "Days a group stays open",
    "group_start_rate": "Chance to start a group (per day)",
    # platforms
    "n_social_ecommerce": "Social e-commerce platforms",
    "commission": "Commission",
    "drainage_commission": "Referral share of a jump sale",
    "membership_social_ecommerce": "Membership of social e-commerce",
    "traffic_value": "Value of an active member",
    "integrate_social": "In-app ordering on social",
    "integration_cost": "Cost of in-app ordering",
    "adaptation": "Platforms adapt",
    "adapt_every": "Days between adaptations",
    "epsilon": "Exploration",
    "alliances": "Alliances allowed",
    "coordination_cost": "Alliance coordination cost",
    "alliance_referral": "Commission to the referring ally",
    "pooling_fee": "Pooling fee",
    "alliance_shopping": "Shopping across allies",
    "alliance_traffic": "Traffic shared across allies",
    "presale_deadline": "Presale delivery deadline",
    "disrupted_supplier": "Supplier at risk of disruption",
    "leave_after": "Rounds before leaving an alliance",
}
"""Slider label of every declared parameter (the name stays in the control's tooltip)."""

SILENT_UNITS = frozenset({"1", "-", "", "agents", "ties", "platforms", "campaigns", "rounds"})
"""Units a label does not repeat: none, or the thing the label already counts."""


def parameter_label(name: str, unit: str = "") -> str:
    """The slider label of parameter ``name``: its readable name, and its ``unit`` in brackets
    unless it is in :data:`SILENT_UNITS` (``"Acquaintances per consumer"``,
    ``"Loyalty bonus (CU)"``); an undeclared name is shown as it is."""
    label = PARAMETER_LABELS.get(name, name)
    return label if unit in SILENT_UNITS else f"{label} ({unit})"


# -- the inspector -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """How the inspector shows a consumer column.

    Attributes:
        label: What the row (or, per retailer, the table's column) is called.
        kind: How a value reads: ``"number"``, ``"money"`` (CU), ``"share"`` (0..1 as %),
            ``"count"``, ``"yes/no"``, ``"retailer"`` (an index; -1: none), ``"day"`` (-1: none),
            ``"consumer"`` (an id; -1: none), ``"informed"`` (0/1/2), ``"audience"`` (a code
            into :data:`socialabm.rules.consumer.POST_AUDIENCES`).
        none: What a -1 of a retailer, day or consumer column means.
    """

    label: str
    kind: str = "number"
    none: str = "–"


COLUMNS: dict[str, Column] = {
    "valuation": Column("Valuation of quality", "money"),
    "informed": Column("Knows the market", "informed"),
    "dignity": Column("Need for dignity", "share"),
    "self_restraint": Column("Self-restraint", "share"),
    "restraint_initial": Column("Self-restraint at the start", "share"),
    "social_use": Column("Reads the feed (per day)", "share"),
    "trading_use": Column("Visits trading (per day)", "share"),
    "cash": Column("Cash", "money"),
    "debt": Column("Debt", "money"),
    "income": Column("Income per pay period", "money"),
    "pay_phase": Column("Pay day (day of period)", "count"),
    "credit_limit": Column("Credit limit", "money"),
    "borrowed": Column("Borrowed so far", "money"),
    "interest": Column("Interest so far", "money"),
    "repaid": Column("Repaid so far", "money"),
    "vigilance": Column("Vigilance about reviews", "share"),
    "weak_share": Column("Ties that are acquaintances", "share"),
    "inflation": Column("Inflates reviews by (stars)"),
    "fan_of": Column("Fan of", "retailer", "nobody"),
    "loyalty": Column("Loyalty", "share"),
    "bought": Column("Bought this campaign", "yes/no"),
    "ordered_from": Column("Presale order with", "retailer", "none"),
    "owns": Column("Owns a unit from", "retailer", "none yet"),
    "received_day": Column("Last unit received", "day", "never"),
    "review_day": Column("Review due", "day", "none due"),
    "experienced": Column("Quality experienced"),
    "expectation": Column("Quality expected"),
    "post_of": Column("Live post about", "retailer", "no post"),
    "post_until": Column("Post in feeds until", "day", "no post"),
    "post_quality": Column("Quality the post reports"),
    "post_ties": Column("The post reaches", "audience"),
    "churned": Column("Switched brand (unfilled fan)", "yes/no"),
    "wait_until": Column("Waits after a stock-out until", "day", "not waiting"),
    "gave_up": Column("Gave up this campaign", "yes/no"),
    "purchases": Column("Units bought", "count"),
    "impulse_purchases": Column("Impulse purchases", "count"),
    "shares": Column("Products shared", "count"),
    "group_of": Column("In group purchase (id)", "consumer", "none"),
    # one value per retailer
    "aware": Column("Aware", "yes/no"),
    "belief": Column("Belief (quality)"),
    "aware_from": Column("Told by", "consumer", "–"),
    "adopted": Column("Ever bought", "yes/no"),
    "bought_campaign": Column("This campaign", "yes/no"),
}
"""Label and reading of every declared consumer column (``Consumer.columns`` and
``Consumer.matrix_columns``)."""

INFORMED = ("uninformed", "semi-informed", "well informed")
AUDIENCES = ("every tie", "strong ties only", "weak ties only")
"""How the inspector reads the codes of ``socialabm.rules.consumer.POST_AUDIENCES``."""


def column_label(name: str) -> str:
    """The inspector's name for column ``name`` (an undeclared column: its own name)."""
    column = COLUMNS.get(name)
    return column.label if column is not None else name


def column_text(name: str, value: Any, retailers: tuple[str, ...] = ()) -> str:
    """Value ``value`` of column ``name`` as the inspector shows it: -1 of a retailer, day or
    consumer column as what it means (``"nobody"``), a retailer index as the retailer's name
    (from ``retailers``), shares in %, money in CU."""
    column = COLUMNS.get(name, Column(name))
    if isinstance(value, bool) or column.kind == "yes/no":
        return "yes" if value else "no"
    if column.kind in ("retailer", "day", "consumer") and int(value) < 0:
        return column.none
    if column.kind == "retailer":
        index = int(value)
        return retailers[index] if index < len(retailers) else f"retailer {index}"
    if column.kind == "day":
        return f"day {int(value)}"
    if column.kind == "consumer":
        return f"#{int(value)}"
    if column.kind == "informed" and 0 <= int(value) < len(INFORMED):
        return INFORMED[int(value)]
    if column.kind == "audience" and 0 <= int(value) < len(AUDIENCES):
        return AUDIENCES[int(value)]
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    if column.kind == "share":
        return f"{100 * float(value):.0f}%"
    if column.kind == "money":
        return f"{float(value):,.1f} CU"
    if column.kind == "count":
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)
