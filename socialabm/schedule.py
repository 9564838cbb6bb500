"""The day: one declared sequence of named phases (docs/ODD.md §3 is generated from it).

Each :class:`Phase` is a plain function of the model's :class:`~socialabm.market.Market` in a
module of :mod:`socialabm.market` named after its submodel, and states the state it **reads**
(inputs it does not change) and the state it **writes** (changes), named as in
:mod:`socialabm.state_trace`: ``market.<attribute>``, ``consumers.<column>``,
``retailers.<attribute>``, ``suppliers.<attribute>``, ``platforms.<attribute>``, ``alliances``,
``ledger``, ``events`` and ``rng``. The parameters, the calendar, the network, the memberships
and the day are read by every phase and never written by one, so they are not listed.

:meth:`SocialCommerceModel.step <socialabm.model.SocialCommerceModel.step>` runs
:data:`SCHEDULE` in order, the benchmarks time it phase by phase, and a test
(``tests/test_schedule.py``) traces every phase of a run with every mechanism on and fails when
one touches state it does not declare. A hand-off between phases is a name one phase writes and
a later one reads: ``market.received`` (shopping, experience units) is read by sharing,
``market.shared_today`` (sharing) by self-restraint, ``market.platform_balance`` (the day's
start) by the platform payoffs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from socialabm.market import (
    adaptation,
    alliances,
    browsing,
    campaigns,
    cancellation,
    fees,
    group_purchase,
    payments,
    restraint,
    reviews,
    sharing,
    shopping,
    supply,
    word_of_mouth,
)

if TYPE_CHECKING:
    from socialabm.market import Market


def state_names(text: str) -> frozenset[str]:
    """Names of state from a compact listing: ``"consumers: cash debt; ledger"`` ->
    ``{"consumers.cash", "consumers.debt", "ledger"}`` (groups separated by ``;``)."""
    names: set[str] = set()
    for group in filter(None, (g.strip() for g in text.split(";"))):
        owner, sep, attributes = group.partition(":")
        names |= {f"{owner.strip()}.{a}" for a in attributes.split()} if sep else {owner}
    return frozenset(names)


@dataclass(frozen=True)
class Phase:
    """One phase of the day.

    Attributes:
        module: The module of :mod:`socialabm.market` that defines it.
        function: The name of the phase function in ``module``: a plain function of the market.
        reads: State it reads and does not change.
        writes: State it changes (it may read it too).
        does: What it does, for docs/ODD.md §3 (with the ODD §7 submodels it implements).
        when: Whether it acts today (``None``: every day); a phase acting only in some
            campaign windows checks that itself.
    """

    module: ModuleType
    function: str
    reads: frozenset[str]
    writes: frozenset[str]
    does: str
    when: Callable[[Market], bool] | None = None

    @property
    def name(self) -> str:
        """``module.function`` (``"shopping.shop"``)."""
        return f"{self.module.__name__.rpartition('.')[2]}.{self.function}"

    def run(self, market: Market) -> None:
        """Run the phase on ``market`` (the function is looked up in its module at each call,
        so a function patched into the module, as a test or a benchmark may do, is the one
        run)."""
        getattr(self.module, self.function)(market)

    def acts_today(self, market: Market) -> bool:
        """Whether the phase runs today."""
        return self.when is None or self.when(market)


def platform_round(market: Market) -> bool:
    """Whether today closes a platform round: ``(day + 1) mod adapt_every = 0``."""
    return (market.model.day + 1) % market.p["adapt_every"] == 0


def adapting(market: Market) -> bool:
    """A platform round with platform adaptation on (parameter ``adaptation``)."""
    return platform_round(market) and market.p["adaptation"]


def allying(market: Market) -> bool:
    """A platform round with alliances on (parameter ``alliances``)."""
    return platform_round(market) and market.p["alliances"]


def _phase(name, reads, writes, does, when=None):
    module, _, function = name.partition(".")
    return Phase(MODULES[module], function, state_names(reads), state_names(writes), does, when)


MODULES = {m.__name__.rpartition(".")[2]: m for m in (
    adaptation, alliances, browsing, campaigns, cancellation, fees, group_purchase, payments,
    restraint, reviews, sharing, shopping, supply, word_of_mouth)}  # fmt: skip
"""The modules of :mod:`socialabm.market` that define phases, by short name."""


# fmt: off
SCHEDULE: tuple[Phase, ...] = (
    _phase("campaigns.begin_day",
           reads="consumers: belief fan_of inflation informed loyalty purchases self_restraint "
                 "valuation; market: last_volume; retailers: growth scale; platforms: alliance; "
                 "alliances",
           writes="consumers: aware borrowed bought bought_campaign cash debt expectation "
                  "experienced gave_up ordered_from owns received_day review_day wait_until; "
                  "market: attempted_from demand_shock experience_users experience_verdict "
                  "platform_balance "
                  "prices received "
                  "received_experience regular_prices scarcity sold_today today totals window; "
                  "retailers: fan_loss order_quantity pooled_saving power presale_cancelled "
                  "presale_delivered presale_orders presale_price price rebates_campaign "
                  "runs_presale shares_campaign sold_campaign spot_forecast spot_sd stockout_days "
                  "to_produce unfilled units wholesale; ledger; rng",
           does="start the day's record (zero the day's counters, empty the day's receivers, "
                "note each platform's ledger balance); the window from `d = day mod "
                "campaign_days`. If `d = 0`: start a campaign (reset `bought`, `gave_up`, "
                "`wait_until`, `ordered_from` and first attempts; fans become aware of their "
                "brand; scarcity 0; each retailer resets its campaign state with `runs_presale = "
                "presale_days > 0 and Retailer.decides_presale()`, by default `presale_channels "
                "∈ {\"all\", channel}`). In the experience window on `d = 0`: hand out "
                "experience units (7.11). If `d = E` and there is a presale window: open presale "
                "(survey and set presale prices, 7.9). If `d = E + P`: close presale and order "
                "production — survey and set the regular price, forecast spot demand, bargain "
                "the wholesale price, order the newsvendor quantity, set the pooling rebates "
                "(7.9, 7.12, 7.15, 7.19). In the lead and selling windows the asked price is "
                "the regular price; when selling opens, each retailer's demand shock of the "
                "campaign is drawn (with `demand_uncertainty`, 7.12)"),
    _phase("supply.produce",
           reads="retailers: wholesale",
           writes="retailers: to_produce units; suppliers: disrupted_until; ledger; rng",
           does="supplier disruptions, then production up to capacity (7.14)"),
    _phase("payments.receive_income",
           reads="consumers: income pay_phase",
           writes="consumers: cash debt repaid; ledger",
           does="consumers whose pay day is today receive their income and repay debt first "
                "(7.5)"),
    _phase("browsing.browse",
           reads="consumers: social_use trading_use; platforms: alliance; alliances",
           writes="market: reads_feed visits_trading visits; rng",
           does="each consumer reads the feed with probability `social_use`, visits the "
                "trading platform with probability `trading_use` (independent draws); the "
                "platforms each consumer visits today follow, allied platforms' members "
                "visiting every allied merchant with `alliance_traffic` (7.1)"),
    _phase("word_of_mouth.spread",
           reads="consumers: post_of post_quality post_ties post_until; market: reads_feed "
                 "visits",
           writes="consumers: aware aware_from belief; market: saw_post; rng",
           does="live posts are read; awareness and beliefs update (7.2, 7.3)"),
    _phase("reviews.read",
           reads="consumers: aware; market: stars visits",
           writes="consumers: belief vigilance",
           does="visitors read reviews; beliefs and vigilance update (7.3)"),
    _phase("group_purchase.form_groups",
           reads="consumers: belief fan_of gave_up loyalty ordered_from self_restraint "
                 "valuation wait_until credit_limit; market: demand_shock reads_feed "
                 "regular_prices window",
           writes="consumers: aware aware_from bought bought_campaign cash debt borrowed "
                  "expectation group_of; market: attempted_from groups today; ledger",
           does="selling window with `group_purchase` only: ties of open groups' starters who "
                "read the feed see the invitation (aware) and may join at the group price; "
                "free feed readers may start a group on a social e-commerce merchant and pay "
                "into escrow (7.21)"),
    _phase("shopping.shop",
           reads="consumers: belief credit_limit self_restraint social_use trading_use "
                 "valuation; market: demand_shock experience_users prices reads_feed "
                 "saw_post visits_trading window; platforms: alliance integrated; retailers: "
                 "pooled_saving presale_cancelled presale_delivered presale_price price "
                 "runs_presale",
           writes="consumers: adopted aware borrowed bought bought_campaign cash churned "
                  "debt expectation experienced fan_of gave_up impulse_purchases loyalty "
                  "ordered_from owns purchases received_day review_day wait_until; market: "
                  "attempted_from received scarcity sold_today today; retailers: fan_loss "
                  "presale_orders rebates_campaign sold_campaign unfilled units; platforms: "
                  "alliance_income; alliances; ledger; rng",
           does="only in the presale and selling windows: paths, choice, checkout and credit, "
                "presale orders or sales, stock-outs and their responses, churn, platform fees "
                "and pooling rebates (7.4, 7.5, 7.10, 7.13, 7.17)"),
    _phase("shopping.deliver_presale_orders",
           reads="market: window; retailers: pooled_saving presale_cancelled presale_orders "
                 "presale_price",
           writes="consumers: borrowed cash debt experienced ordered_from owns purchases "
                  "received_day review_day; market: received sold_today; retailers: "
                  "presale_delivered rebates_campaign sold_campaign units; platforms: "
                  "alliance_income; ledger; rng",
           does="selling window only: outstanding presale orders are delivered from stock and "
                "the balance is paid (7.10)"),
    _phase("cancellation.cancel_overdue_orders",
           reads="consumers: belief inflation self_restraint valuation; market: demand_shock "
                 "prices window; retailers: presale_price",
           writes="consumers: aware bought bought_campaign cash churned fan_of loyalty "
                  "ordered_from; market: stars today; retailers: fan_loss presale_cancelled; "
                  "ledger; rng",
           does="on the `presale_deadline`-th day of the selling window, presale orders still "
                "undelivered are cancelled: deposits refunded, fans and reviews react (7.10)"),
    _phase("group_purchase.settle_groups",
           reads="consumers: belief fan_of loyalty; market: regular_prices window; retailers: "
                 "pooled_saving presale_cancelled presale_delivered presale_orders",
           writes="consumers: adopted bought bought_campaign cash experienced group_of "
                  "owns purchases received_day review_day; market: groups received sold_today "
                  "today; retailers: rebates_campaign sold_campaign units; platforms: "
                  "alliance_income; ledger; rng",
           does="full groups succeed while their merchant has units (escrow paid to the "
                "merchant, fees as an in-scene sale, units received); groups past their "
                "deadline fail and every member is refunded (7.21)"),
    _phase("sharing.share",
           reads="consumers: dignity expectation experienced inflation owns weak_share; market: "
                 "received received_experience scarcity",
           writes="consumers: post_of post_quality post_ties post_until shares; market: "
                  "shared_today today; retailers: shares_campaign; rng",
           does="today's receivers share, each post with the audience its sharer chooses "
                "(7.6)"),
    _phase("reviews.write",
           reads="consumers: expectation experienced inflation owns",
           writes="consumers: fan_of loyalty review_day; market: honest_stars review_sums stars "
                  "today; rng",
           does="reviews due today are written; fans update (7.8)"),
    _phase("restraint.update",
           reads="consumers: restraint_initial weak_share; market: reads_feed shared_today",
           writes="consumers: self_restraint",
           does="self-restraint dynamics (7.7)"),
    _phase("payments.accrue_interest",
           reads="",
           writes="consumers: debt interest",
           does="interest on debt (7.5)"),
    _phase("fees.pay_platforms",
           reads="market: platform_balance reads_feed visits_trading; platforms: integrated; "
                 "alliances",
           writes="platforms: alliance_income payoff_today round_payoff; ledger",
           does="traffic value, integration and coordination costs; each platform's payoff of "
                "the day is its balance change since the day's start (7.16)"),
    _phase("adaptation.close_round",
           reads="",
           writes="platforms: last_round_payoff round_payoff",
           does="when `(day + 1) mod adapt_every = 0` (a platform round): each platform's "
                "`round_payoff` becomes `last_round_payoff`",
           when=platform_round),
    _phase("adaptation.adapt_platforms",
           reads="platforms: alliance last_round_payoff",
           writes="platforms: cooperative integrated remembered; events; rng",
           does="in a platform round with `adaptation`: platforms imitate better-paid peers "
                "and explore (7.18)",
           when=adapting),
    _phase("alliances.update_alliances",
           reads="market: last_volume; platforms: cooperative; retailers: order_quantity "
                 "presale_orders price runs_presale scale spot_forecast",
           writes="platforms: alliance alliance_income losing_rounds; retailers: pooled_saving; "
                  "alliances; events",
           does="in a platform round with `alliances`: members that keep losing leave, groups "
                "merge while every member gains, pooling rebates are set (7.19)",
           when=allying),
    _phase("campaigns.end_day",
           reads="market: attempted_from today; retailers: fan_loss order_quantity power "
                 "presale_cancelled presale_orders presale_price price rebates_campaign "
                 "shares_campaign sold_campaign spot_forecast unfilled wholesale",
           writes="consumers: cash ordered_from; market: campaign_records last_volume totals; "
                  "retailers: growth scale stockout_days to_produce units; ledger",
           does="count stock-out days and add the day's counters to the run totals; on the "
                "campaign's last day close the campaign (cancel and refund undelivered presale "
                "orders, salvage stock, record the campaign, learn `growth` and `scale`; 7.10, "
                "7.12)"),
)
# fmt: on
"""The phases of one day, in the order ``SocialCommerceModel.step`` runs them."""
