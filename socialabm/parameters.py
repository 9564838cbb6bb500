"""The single declaration of every model parameter.

Each :class:`Parameter` states a name, default, type, allowed range (or choices), unit and a
one-line meaning. Validation, the CLI (``socialabm params``, ``--set``), scenario files, sweep
specifications and the app's sliders all read this table, so a parameter is declared exactly once.

Money is in currency units (CU), time in days, quality on the unit interval [0, 1].
"""

from __future__ import annotations

import difflib
import functools
import importlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from socialabm.campaign import CampaignCalendar


class ParameterError(ValueError):
    """A parameter value, name or combination is not allowed.

    The message names the parameter, the value given and what is allowed.
    """


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    Attributes:
        name: Keyword name accepted by :class:`socialabm.SocialCommerceModel`.
        default: Default value.
        type: One of ``int``, ``float``, ``bool``, ``str``.
        low: Smallest allowed value (numbers), inclusive; ``None`` for no bound.
        high: Largest allowed value (numbers), inclusive; ``None`` for no bound.
        choices: Allowed values for strings; ``None`` for any string.
        unit: Unit of the value (``"CU"`` currency units, ``"days"``, ``"1"`` dimensionless...).
        meaning: One line saying what it is.
        group: Section of the model it belongs to (for listings and the app).
    """

    name: str
    default: Any
    type: type
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    unit: str = "1"
    meaning: str = ""
    group: str = "model"

    def allowed(self) -> str:
        """Human-readable description of the allowed values."""
        if self.type is bool:
            return "true or false"
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.type is str:
            return "a string"
        low = "-inf" if self.low is None else f"{self.low:g}"
        high = "inf" if self.high is None else f"{self.high:g}"
        kind = "an integer" if self.type is int else "a number"
        return f"{kind} in [{low}, {high}]"

    def coerce(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise :class:`ParameterError`.

        Strings are parsed (``"0.3"``, ``"true"``), so command-line and form inputs work.
        """
        value = _parse(self, value)
        too_low = self.low is not None and value < self.low
        too_high = self.high is not None and value > self.high
        if self.type in (int, float) and (too_low or too_high):
            raise ParameterError(
                f"parameter {self.name!r}: value {value!r} is out of range; allowed: "
                f"{self.allowed()}"
            )
        if self.choices is not None and value not in self.choices:
            raise ParameterError(
                f"parameter {self.name!r}: value {value!r} is not allowed; allowed: "
                f"{self.allowed()}"
            )
        return value


def _parse(p: Parameter, value: Any) -> Any:
    bad = ParameterError(
        f"parameter {p.name!r}: value {value!r} is not {p.allowed().split(' in ')[0]}; "
        f"allowed: {p.allowed()}"
    )
    if p.type is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off"):
            return False
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        raise bad
    if p.type is str:
        if not isinstance(value, str):
            raise bad
        return value
    if isinstance(value, bool):
        raise bad
    try:
        number = float(value)  # strings too: float(" 0.3 ") == 0.3
    except (TypeError, ValueError):
        raise bad from None
    if not math.isfinite(number):
        raise bad
    if p.type is int:
        if number != int(number):
            raise bad
        return int(number)
    return number


def _group(group: str, rows: list[tuple]) -> list[Parameter]:
    """The parameters of one group from rows ``(name, default, low, high, unit, meaning)``, with
    the allowed strings as a seventh item; the type is the default's."""
    out = []
    for name, default, low, high, unit, meaning, *choices in rows:
        allowed = tuple(choices[0]) if choices else None
        kind = type(default)
        out.append(Parameter(name, default, kind, low, high, allowed, unit, meaning, group))
    return out


# One row per parameter: name, default, low, high, unit, meaning (and the allowed strings).
# fmt: off
_TABLE = [
    # -- the network (docs/ODD.md §2, §5) ----------------------------------------------------------
    *_group("network", [
        ("n_consumers", 2000, 10, 5_000_000, "agents", "number of consumers"),
        ("community_size", 8, 2, 1000, "agents", "consumers per community (strong-tie clique)"),
        ("weak_ties", 6.0, 0.0, 200.0, "ties", "mean weak ties per consumer to random others"),
        ("weak_tie_reach", 1.0, 0.001, 1.0, "1",
         "share of the population a weak tie can reach (1: anyone; small: nearby communities "
         "only); below 1 the network keeps the number and strength of weak ties of reach 1 "
         "(too small a reach for the ties asked is refused)"),
        ("weak_threshold", 0.5, 0.0, 1.0, "1",
         "tie strength below which a tie of a user-supplied graph counts as weak"),
    ]),
    # -- the population (§5) -----------------------------------------------------------------------
    *_group("population", [
        ("share_well_informed", 0.1, 0.0, 1.0, "1",
         "share of consumers aware from day one with beliefs near the true quality"),
        ("share_semi_informed", 0.5, 0.0, 1.0, "1",
         "share of consumers who know the brands but not product quality"),
        ("valuation_mean", 100.0, 1.0, 1e6, "CU", "mean valuation of a unit of quality"),
        ("valuation_sd", 0.3, 0.0, 2.0, "1", "log-normal spread (sigma) of valuations"),
        ("cash_mean", 80.0, 0.0, 1e7, "CU", "mean initial cash per consumer (exponential)"),
        ("social_use_mean", 0.6, 0.0, 1.0, "1/day",
         "mean daily probability of reading the social feed"),
        ("trading_use_mean", 0.3, 0.0, 1.0, "1/day",
         "mean daily probability of visiting a trading platform"),
        ("dignity_mean", 0.5, 0.0, 1.0, "1", "mean need for dignity (Beta distributed)"),
        ("self_restraint_mean", 0.6, 0.0, 1.0, "1",
         "mean initial self-restraint (Beta distributed)"),
    ]),
    # -- awareness and beliefs (7.2, 7.3) ----------------------------------------------------------
    *_group("awareness", [
        ("ad_reach", 0.005, 0.0, 1.0, "1/day",
         "daily advertising reach alpha on a platform the consumer visits"),
        ("beta_weak", 0.06, 0.0, 1.0, "1", "awareness probability per post read from a weak tie"),
        ("beta_strong", 0.12, 0.0, 1.0, "1",
         "awareness probability per post read from a strong tie"),
        ("post_days", 5, 1, 365, "days", "days a shared post stays in neighbours' feeds"),
        ("eta", 0.3, 0.0, 1.0, "1",
         "belief step toward a post's reported quality (x tie strength)"),
        ("omega", 0.2, 0.0, 1.0, "1", "belief step toward the review mean on a trading visit"),
        ("expected_inflation", 0.1, 0.0, 1.0, "quality",
         "review inflation a fully vigilant consumer discounts"),
        ("vigilance_erosion", 0.02, 0.0, 1.0, "1/visit",
         "vigilance lost per visit in proportion to the share of praising reviews"),
        ("brand_noise", 0.1, 0.0, 1.0, "quality", "sd of prior beliefs around brand strength"),
        ("uninformed_prior", 0.4, 0.0, 1.0, "quality",
         "belief about quality of a consumer who knows nothing of the brand (skeptical default)"),
    ]),
    # -- choice, impulse and scenes (7.4) ----------------------------------------------------------
    *_group("choice", [
        ("loyalty_bonus", 10.0, 0.0, 1e6, "CU", "extra willingness to pay of a fully loyal fan"),
        ("impulse_gain", 0.3, 0.0, 0.9, "1",
         "share of the price a consumer with no self-restraint ignores (impulse buying)"),
        ("campaign_units", 1, 1, 100, "units",
         "most units a consumer buys in one campaign, at most one per retailer (1, the default: "
         "no over-consumption)"),
        ("satiation", 1.0, 0.0, 100.0, "1",
         "surplus, as a share of the price times self-restraint, a consumer who already bought "
         "this campaign needs before buying another retailer's product (over-consumption)"),
        ("scene_cost", 3.0, 0.0, 1e6, "CU",
         "cost of buying on a platform the consumer is not a member of"),
        ("jump_friction", 0.35, 0.0, 1.0, "1",
         "probability a jump from social feed to trading platform is abandoned"),
        ("in_scene_trust", 3.0, -1000.0, 1000.0, "CU",
         "value of buying inside the social scene (trust in the community, no app switch)"),
        ("trading_assurance", 2.0, -1000.0, 1000.0, "CU",
         "value of the jump destination's reviews, buyer protection and membership benefits"),
        ("scene_logit_scale", 2.0, 0.01, 1000.0, "CU",
         "logit scale of the in-scene vs jump choice (smaller: more deterministic)"),
    ]),
    # -- income, credit and debt (7.4, 7.5) --------------------------------------------------------
    *_group("credit", [
        ("income_mean", 50.0, 0.0, 1e7, "CU", "mean income per pay period"),
        ("income_sd", 0.5, 0.0, 3.0, "1", "log-normal spread (sigma) of incomes"),
        ("income_every", 30, 1, 365, "days", "days between pay days"),
        ("repay_share", 0.3, 0.0, 1.0, "1",
         "share of each income payment that repays debt (while in debt)"),
        ("credit_multiple", 2.0, 0.0, 100.0, "pay periods",
         "credit line (consumer credit, buy-now-pay-later) as a multiple of income"),
        ("credit_hurdle", 0.5, 0.0, 100.0, "1",
         "utility, as a share of the price times self-restraint, a purchase on credit must clear"),
        ("debt_interest", 0.0005, 0.0, 0.1, "1/day", "daily interest rate on consumer debt"),
    ]),
    # -- choice, impulse and scenes (7.4) ----------------------------------------------------------
    *_group("choice", [
        ("fan_share", 0.1, 0.0, 1.0, "1", "share of consumers who start as fans of one retailer"),
        ("fan_threshold", 0.1, 0.0, 1.0, "quality",
         "surprise (experienced minus expected quality) above which an owner becomes a fan or a "
         "fan grows more loyal, and below minus which a fan cools"),
        ("new_fan_loyalty", 0.5, 0.0, 1.0, "1", "loyalty of an owner who becomes a fan"),
        ("loyalty_step", 0.1, 0.0, 1.0, "1",
         "loyalty a fan gains after a pleasing experience, or loses after a disappointing one"),
    ]),
    # -- self-restraint (7.7) ----------------------------------------------------------------------
    *_group("restraint", [
        ("rho_use", 0.01, 0.0, 1.0, "1/day", "self-restraint lost per unit of social use per day"),
        ("rho_share", 0.05, 0.0, 1.0, "1", "self-restraint lost on a day the consumer shares"),
        ("rho_recover", 0.02, 0.0, 1.0, "1/day",
         "daily recovery rate toward initial self-restraint"),
        ("restraint_tie", "weak", None, None, "-",
         "tie type whose feed browsing erodes self-restraint (paper: weak; Wilcox & Stephen "
         "2013: strong)",
         ("weak", "strong", "all")),
    ]),
    # -- sharing (7.6) -----------------------------------------------------------------------------
    *_group("sharing", [
        ("share_base", 0.05, 0.0, 1.0, "1", "base probability of sharing a received product"),
        ("kappa_dignity", 0.4, 0.0, 5.0, "1", "weight of need for dignity in sharing"),
        ("kappa_weak", 0.8, 0.0, 5.0, "1", "extra dignity sharing per unit of weak-tie share"),
        ("kappa_scarcity", 0.3, 0.0, 5.0, "1", "extra sharing per unit of product scarcity"),
    ]),
    # -- reviews (7.8) -----------------------------------------------------------------------------
    *_group("reviews", [
        ("quality_noise", 0.15, 0.0, 1.0, "quality",
         "sd of experienced quality around true quality"),
        ("review_delay", 3, 0, 60, "days", "days from receiving a product to reviewing it"),
        ("failure_rate", 0.04, 0.0, 1.0, "1",
         "share of received units that fail (defect, wrong or late delivery): one-star "
         "experiences"),
        ("disconfirmation", 0.5, 0.0, 5.0, "1",
         "weight of (experience - expectation) in the honest rating"),
        ("review_base", 0.02, 0.0, 1.0, "1", "review probability after a middling experience"),
        ("review_extremity", 1.0, 0.0, 10.0, "1",
         "extra review probability at the most extreme experience (quadratic in extremity)"),
        ("inflation_base", 0.3, 0.0, 4.0, "stars",
         "star inflation of every non-negative review and post"),
        ("inflation_social", 1.0, 0.0, 4.0, "stars",
         "extra star inflation per unit weak-tie share (mutual recommendation)"),
    ]),
    # -- campaigns, presale and starvation (§2, 7.9-7.13) ------------------------------------------
    *_group("campaign", [
        ("campaign_days", 60, 10, 3650, "days", "length of one product campaign"),
        ("n_campaigns", 3, 1, 1000, "campaigns", "number of consecutive campaigns"),
        ("presale_mode", "none", None, None, "-",
         "sales strategy: spot only, presale, or experience presale",
         ("none", "presale", "experience")),
        ("presale_channels", "all", None, None, "-",
         "channels that run the presale (all, or one channel)",
         ("all", "self_run", "trading_3p", "social_3p", "self_built_social")),
        ("experience_days", 7, 1, 365, "days", "length of the experience window"),
        ("presale_days", 14, 1, 365, "days", "length of the presale window"),
        ("lead_days", 7, 0, 365, "days", "production lead time between presale and selling"),
        ("deposit", 0.3, 0.0, 1.0, "1", "share of the presale price paid as deposit"),
        ("waiting_cost", 0.3, 0.0, 1e6, "CU/day", "presale utility lost per day until delivery"),
        ("experience_units", 20, 0, 10_000_000, "units", "experience units per retailer"),
        ("experience_share", 1.0, 0.0, 1.0, "1",
         "probability an experience user shares the unit at once"),
        ("experience_learning", 0.5, 0.0, 1.0, "1",
         "how far a retailer expects beliefs to move toward its experience users' verdict"),
        ("experience_price", 10.0, 0.0, 1e6, "CU", "price of an experience unit"),
        ("survey_size", 100, 5, 100_000, "consumers", "aware consumers surveyed to set a price"),
        ("salvage", 15.0, 0.0, 1e6, "CU", "salvage value of a leftover unit"),
        ("starvation", False, None, None, "1",
         "starvation marketing: release at most 'release_cap' units a day"),
        ("release_cap", 10, 0, 10_000_000, "units/day",
         "units released per day and retailer under starvation marketing"),
    ]),
    # -- stock-outs (7.13) -------------------------------------------------------------------------
    *_group("stockouts", [
        ("stockout_switch", 0.32, 0.0, 1.0, "1",
         "share of stock-out encounters answered by buying another brand (Gruen et al. 2002)"),
        ("stockout_elsewhere", 0.38, 0.0, 1.0, "1",
         "share answered by buying the product outside the modelled retailers (lost sale)"),
        ("stockout_delay", 0.19, 0.0, 1.0, "1",
         "share answered by delaying the purchase (the rest gives up for the campaign)"),
        ("stockout_retry_days", 3, 1, 365, "days",
         "days a consumer who delays waits before shopping again"),
    ]),
    # -- campaigns, presale and starvation (§2, 7.9-7.13) ------------------------------------------
    *_group("campaign", [
        ("churn_prob", 0.3, 0.0, 1.0, "1",
         "probability an unfilled fan switches brand, times (1 - loyalty)"),
        ("loyalty_loss", 0.2, 0.0, 1.0, "1", "loyalty lost by an unfilled attempt"),
        ("churn_loyalty", 0.3, 0.0, 1.0, "1", "loyalty of a churned fan to its new brand"),
    ]),
    # -- retailers (§2, 7.12) ----------------------------------------------------------------------
    *_group("retailers", [
        ("quality_self_run", 0.7, 0.0, 1.0, "quality", "true quality of the giant's own product"),
        ("quality_trading_3p", 0.65, 0.0, 1.0, "quality", "true quality, trading third party"),
        ("quality_social_3p", 0.6, 0.0, 1.0, "quality", "true quality, social third party"),
        ("quality_self_built", 0.7, 0.0, 1.0, "quality",
         "true quality, self-built social retailer"),
        ("brand_self_run", 0.8, 0.0, 1.0, "1", "brand strength of the giant's own retail"),
        ("brand_trading_3p", 0.7, 0.0, 1.0, "1", "brand strength, trading third party"),
        ("brand_social_3p", 0.3, 0.0, 1.0, "1", "brand strength, social third party"),
        ("brand_self_built", 0.6, 0.0, 1.0, "1", "brand strength, self-built social retailer"),
        ("growth_learning", 0.5, 0.0, 1.0, "1",
         "weight of the last campaign's realised-to-forecast spot demand in the learned growth"),
    ]),
    # -- suppliers and bargaining (7.14, 7.15) -----------------------------------------------------
    *_group("suppliers", [
        ("concentration_self_run", 1.0, 0.0, 1.0, "1",
         "buyer concentration of the giant's own retail (an oligopoly buyer)"),
        ("concentration_trading_3p", 0.2, 0.0, 1.0, "1",
         "buyer concentration of a third-party merchant on the trading platform"),
        ("concentration_social_3p", 0.2, 0.0, 1.0, "1",
         "buyer concentration of a third-party merchant on a social e-commerce platform"),
        ("concentration_self_built", 0.3, 0.0, 1.0, "1",
         "buyer concentration of a retailer with its own social platform"),
        ("unit_cost", 30.0, 0.0, 1e6, "CU", "supplier's unit production cost c"),
        ("capacity", 0, 0, 10_000_000, "units/day",
         "supplier's daily production capacity (0 = scale with population)"),
        ("capacity_share", 0.2, 0.0, 100.0, "units/consumer/day",
         "with capacity = 0, each supplier's daily capacity per consumer (rounded up)"),
        ("disruption_prob", 0.0, 0.0, 1.0, "1/day", "daily probability a supplier is disrupted"),
        ("disruption_days", 10, 1, 365, "days", "length of a disruption"),
        ("multi_sourcing", False, None, None, "1",
         "retailers switch to another supplier when theirs is disrupted"),
        ("presale_deadline", 0, 0, 365, "days",
         "days into the selling window by which presale orders must be delivered, else they "
         "are cancelled and refunded (0 = no deadline: they wait to the campaign's close)"),
        ("disrupted_supplier", "any", None, None, "-",
         "which supplier disruptions can hit: any, or only one (its retailers single-sourced)",
         ("any", "supplier_0", "supplier_1")),
        ("bargaining_lambda", 0.8, 0.0, 1.0, "1", "share of the margin on the bargaining table"),
        ("power_bias", -0.5, -20.0, 20.0, "1", "intercept of retailer power (logit)"),
        ("power_concentration", 1.5, -20.0, 20.0, "1", "weight of buyer concentration on power"),
        ("power_brand", 1.5, -20.0, 20.0, "1", "weight of brand strength on power"),
        ("power_scale", 1.0, -20.0, 20.0, "1", "weight of scale (past volume share) on power"),
        ("power_advance", 1.0, -20.0, 20.0, "1", "weight of advance-payment share on power"),
        ("power_certainty", 1.5, -20.0, 20.0, "1", "weight of order certainty on power"),
        ("power_pooled", 1.5, -20.0, 20.0, "1", "weight of alliance pooled volume on power"),
        ("power_supplier", 1.0, -20.0, 20.0, "1", "weight of supplier concentration against power"),
    ]),
    # -- demand uncertainty (7.12) -----------------------------------------------------------------
    *_group("demand", [
        ("demand_uncertainty", 0.0, 0.0, 2.0, "1",
         "log-normal spread (sigma) of each retailer's campaign demand shock, drawn when selling "
         "opens: unseen by its forecast (0: none)"),
    ]),
    # -- group purchase (7.21) ---------------------------------------------------------------------
    *_group("group_purchase", [
        ("group_purchase", False, None, None, "1",
         "group purchase (team buying) on social e-commerce platforms' merchants"),
        ("group_discount", 0.2, 0.0, 0.9, "1",
         "share of the regular price a group purchase takes off (the group price)"),
        ("group_size", 3, 2, 100, "consumers",
         "members a group needs to succeed, starter included"),
        ("group_days", 3, 1, 60, "days", "days a group stays open for joiners"),
        ("group_start_rate", 0.05, 0.0, 1.0, "1/day",
         "daily probability that a consumer free to shop who reads the feed starts a group"),
    ]),
    # -- platforms and alliances (7.16-7.19) -------------------------------------------------------
    *_group("platforms", [
        ("n_social_ecommerce", 3, 1, 20, "platforms", "number of social e-commerce platforms"),
        ("commission", 0.05, 0.0, 1.0, "1", "commission rate on merchants' sales"),
        ("drainage_commission", 0.02, 0.0, 1.0, "1",
         "share of a jump sale paid to the platform whose community referred it"),
        ("membership_social_ecommerce", 0.3, 0.0, 1.0, "1",
         "probability a consumer is a member of each social e-commerce platform"),
        ("traffic_value", 0.01, 0.0, 1e6, "CU/member/day", "daily value of an active member"),
        ("integrate_social", False, None, None, "1",
         "the social platform offers in-app ordering (in-scene purchase) from the start"),
        ("integration_cost", 2.0, 0.0, 1e6, "CU/day", "daily cost of running in-scene ordering"),
        ("adaptation", False, None, None, "1",
         "platforms revise integration and cooperation by imitation"),
        ("adapt_every", 10, 1, 365, "days", "days between platform adaptation rounds"),
        ("epsilon", 0.05, 0.0, 1.0, "1", "exploration probability in platform adaptation"),
        ("alliances", False, None, None, "1", "social e-commerce platforms may form alliances"),
        ("coordination_cost", 0.5, 0.0, 1e6, "CU/day", "alliance coordination cost x size squared"),
        ("alliance_referral", 0.5, 0.0, 1.0, "1",
         "share of the commission passed to the allied platform that referred a sale"),
        ("pooling_fee", 0.5, 0.0, 1.0, "1",
         "share of its merchants' pooled-purchasing savings an alliance member charges them"),
        ("alliance_shopping", True, None, None, "1",
         "members' users may buy in-scene from merchants of allied platforms"),
        ("alliance_traffic", True, None, None, "1",
         "an alliance shares traffic: members' feeds show every allied merchant's ads and "
         "reviews"),
        ("leave_after", 3, 1, 1000, "rounds",
         "consecutive rounds a member expects no alliance income before it leaves"),
    ]),
]
# fmt: on

PARAMETERS: dict[str, Parameter] = {p.name: p for p in _TABLE}
"""Every model parameter by name, in declaration order."""


@dataclass(frozen=True)
class ClassParameter:
    """An agent-class keyword (``consumer_class`` ...): which class to use for one kind of agent.

    In scenario files, sweep files and on command lines its value is a string ``"module:Class"``
    (``"examples.debt_averse_consumer:DebtAverseConsumer"``): the module must be importable (on
    ``sys.path``; for a sweep, on every worker too) and the class must subclass ``base``.

    Attributes:
        name: Keyword name accepted by :class:`socialabm.SocialCommerceModel`.
        base: The default class as ``"module:Class"``; a class given must subclass it.
        meaning: One line saying what it is.
    """

    name: str
    base: str
    meaning: str = ""
    type: ClassVar[type] = str
    unit: ClassVar[str] = "-"
    choices: ClassVar[None] = None

    @property
    def default(self) -> str:
        """The default class as ``"module:Class"`` (the same as :attr:`base`)."""
        return self.base

    def base_class(self) -> type:
        """The default class (imported on first use: the agents import this module)."""
        module, _, name = self.base.partition(":")
        return getattr(importlib.import_module(module), name)

    def allowed(self) -> str:
        """Human-readable description of the allowed values."""
        return _allowed_class(self.base_class())

    def coerce(self, value: Any) -> str:
        """Check that ``value`` names a subclass of the base; return it as ``"module:Class"``.

        A string is imported and checked, and returned unchanged; a class is returned as its
        ``"module:Class"`` path, which must import back to the same class (so a sweep can hand
        it to worker processes as a string).

        Raises:
            ParameterError: naming the parameter, the value and what is allowed.
        """
        cls = resolve_class(self.name, value, self.base_class())
        if isinstance(value, str):
            return value
        path = f"{cls.__module__}:{cls.__qualname__}"
        try:  # a class of a script (__main__) is not the same class in a worker process
            same = cls.__module__ != "__main__" and resolve_class(self.name, path, cls) is cls
        except ParameterError:
            same = False
        if not same:
            raise ParameterError(
                f"parameter {self.name!r}: class {cls!r} cannot be imported by name as "
                f"{path!r}; allowed: {self.allowed()} (define the class at the top level of a "
                "module)"
            )
        return path


CLASS_PARAMETERS: dict[str, ClassParameter] = {
    c.name: c
    for c in (
        ClassParameter("consumer_class", "socialabm:Consumer", "class of the consumers"),
        ClassParameter("retailer_class", "socialabm:Retailer", "class of the retailers"),
        ClassParameter("supplier_class", "socialabm:Supplier", "class of the suppliers"),
        ClassParameter("platform_class", "socialabm:Platform", "class of the platforms"),
    )
}
"""The agent-class keywords of the model; not in :data:`PARAMETERS` (they are not numbers to
vary continuously, and take no part in the defaults), but accepted by :func:`validate`."""


def lookup(name: str) -> Parameter | ClassParameter:
    """The declaration of a model parameter or agent-class keyword.

    Raises:
        ParameterError: an unknown name (with a suggestion).
    """
    found = PARAMETERS.get(name) or CLASS_PARAMETERS.get(name)
    if found is None:
        raise unknown_name_error(name)
    return found


def _allowed_class(base: type) -> str:
    return (
        f"'module:Class' naming a subclass of socialabm.{base.__name__} in a module Python can "
        "import (its folder on PYTHONPATH)"
    )


def resolve_class(name: str, value: Any, base: type) -> type:
    """The class ``value`` gives, directly or as ``"module:Class"`` (imported); it must subclass
    ``base``. ``Class`` may be dotted (``"module:Outer.Inner"``).

    Raises:
        ParameterError: not of the form ``module:Class``, the module cannot be imported, it has
            no such class, the class does not subclass ``base``, or the class says why the
            model cannot use it (its ``class_problem()``, as a consumer class defining ``step``);
            the message names the parameter, the value and what is allowed.
    """

    def bad(problem: str) -> ParameterError:
        return ParameterError(
            f"parameter {name!r}: value {value!r} {problem}; allowed: {_allowed_class(base)}"
        )

    cls = value
    if isinstance(value, str):
        module_name, sep, attr = value.partition(":")
        if not (sep and module_name and attr):
            raise bad("is not of the form 'module:Class'")
        try:
            module = importlib.import_module(module_name)
        except (ImportError, TypeError, ValueError) as err:  # TypeError: a relative name
            raise bad(f"cannot be imported ({err})") from None
        try:
            cls = functools.reduce(getattr, attr.split("."), module)
        except AttributeError:
            raise bad(f"names no class: module {module_name!r} has no {attr!r}") from None
    elif not isinstance(value, type):
        raise bad("is neither a class nor a 'module:Class' string")
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise bad(f"is not a subclass of {base.__name__}")
    problem = cls.class_problem() if hasattr(cls, "class_problem") else ""
    if problem:
        raise ParameterError(f"parameter {name!r}: class {cls.__name__} {problem}")
    return cls


def defaults() -> dict[str, Any]:
    """Return a fresh dict of every parameter's default value."""
    return {name: p.default for name, p in PARAMETERS.items()}


def unknown_name_error(name: str, known: Mapping[str, Any] | None = None) -> ParameterError:
    """Build the error for an unknown parameter name, suggesting close matches."""
    known = {**PARAMETERS, **CLASS_PARAMETERS} if known is None else known
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return ParameterError(
        f"unknown parameter {name!r}{hint} (run `socialabm params` for the full list)"
    )


def validate(params: Mapping[str, Any]) -> dict[str, Any]:
    """Check and complete a parameter mapping.

    Args:
        params: Parameter names to values; missing names take their defaults. Values may be
            strings (as typed on a command line) and are converted. The agent-class keywords of
            :data:`CLASS_PARAMETERS` are accepted too: each is imported and checked, and kept
            (as a ``"module:Class"`` string) only when given.

    Returns:
        A new dict with every parameter, converted to its declared type.

    Raises:
        ParameterError: an unknown name (with a suggestion), a value of the wrong type or out of
            range, a class keyword naming no suitable class, or an inconsistent combination of
            values.
    """
    for name in params:
        lookup(name)
    values = defaults()
    for name, value in params.items():
        values[name] = lookup(name).coerce(value)
    _check_consistency(values)
    return values


def _check_consistency(v: dict[str, Any]) -> None:
    """Reject combinations that each pass their range but cannot work together."""
    if v["share_well_informed"] + v["share_semi_informed"] > 1.0:
        raise ParameterError(
            "parameters 'share_well_informed' + 'share_semi_informed' = "
            f"{v['share_well_informed'] + v['share_semi_informed']:g}; allowed: at most 1"
        )
    windows = CampaignCalendar.from_params(v).selling_start
    if windows >= v["campaign_days"]:
        raise ParameterError(
            f"parameter 'campaign_days' = {v['campaign_days']} leaves no selling window after "
            f"the experience, presale and lead windows ({windows} days); allowed: more than "
            f"{windows}"
        )
    if v["presale_mode"] == "experience" and v["experience_units"] > v["n_consumers"]:
        raise ParameterError(
            f"parameter 'experience_units' = {v['experience_units']} exceeds 'n_consumers' = "
            f"{v['n_consumers']}; allowed: at most the number of consumers"
        )
    if v["starvation"] and v["release_cap"] == 0:
        raise ParameterError(
            "parameter 'release_cap' = 0 with 'starvation' = true would never release a unit to "
            "the demand; allowed: at least 1"
        )
    if v["alliances"] and v["n_social_ecommerce"] < 2:
        raise ParameterError(
            f"parameter 'alliances' = true needs at least 2 social e-commerce platforms to ally, "
            f"but 'n_social_ecommerce' = {v['n_social_ecommerce']}; allowed: 2 or more"
        )
    if v["alliances"] and v["membership_social_ecommerce"] == 0:
        raise ParameterError(
            "parameter 'alliances' = true but 'membership_social_ecommerce' = 0 leaves the social "
            "e-commerce platforms without members; allowed: a value above 0"
        )
    responses = v["stockout_switch"] + v["stockout_elsewhere"] + v["stockout_delay"]
    if responses > 1.0 + 1e-12:
        raise ParameterError(
            "parameters 'stockout_switch' + 'stockout_elsewhere' + 'stockout_delay' = "
            f"{responses:g}; allowed: at most 1 (the rest gives up)"
        )
    if v["salvage"] >= v["unit_cost"] and v["unit_cost"] > 0:
        raise ParameterError(
            f"parameter 'salvage' = {v['salvage']:g} is not below 'unit_cost' = "
            f"{v['unit_cost']:g}; allowed: salvage < unit_cost (else ordering is unbounded)"
        )
