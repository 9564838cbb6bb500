"""The market: the daily state the market phases share, and the phases, one module per submodel
of docs/ODD.md §7.

``SocialCommerceModel.step()`` runs the phases in the order :data:`socialabm.schedule.SCHEDULE`
declares, with what each reads and writes (docs/ODD.md §3); each is a plain function of the
model's :class:`Market`:

* :mod:`~socialabm.market.campaigns` -- ``begin_day`` (campaign start, survey pricing, presale,
  bargaining and production order) and ``end_day`` (campaign close, learning): 7.9, 7.10, 7.12,
  7.15;
* :mod:`~socialabm.market.experience` -- experience units (7.11), handed out by ``begin_day``;
* :mod:`~socialabm.market.supply` -- ``produce``: disruptions and production (7.14);
* :mod:`~socialabm.market.browsing` -- ``browse``: who reads the feed and who visits which
  platform today (7.1);
* :mod:`~socialabm.market.word_of_mouth` -- ``spread``: awareness and beliefs from posts (7.2, 7.3);
* :mod:`~socialabm.market.reviews` -- ``read`` (beliefs, vigilance: 7.3) and ``write`` (stars and
  fans: 7.8);
* :mod:`~socialabm.market.shopping` -- ``shop`` and ``deliver_presale_orders``: paths, choice,
  presale orders, sales, stock-outs and churn (7.4, 7.10, 7.13);
* :mod:`~socialabm.market.sharing` -- ``share``: dignity-driven sharing (7.6);
* :mod:`~socialabm.market.payments` -- paying with cash and credit, refunds, income and
  repayment, interest (7.5);
* :mod:`~socialabm.market.restraint` -- ``update``: self-restraint (7.7);
* :mod:`~socialabm.market.fees` -- commissions, drainage, referral fees and ``pay_platforms``
  (7.16, 7.17);
* :mod:`~socialabm.market.adaptation` -- the platform round's ``close_round`` and
  ``adapt_platforms`` (7.18);
* :mod:`~socialabm.market.alliances` -- the platform round's ``update_alliances`` (7.19);
* :mod:`~socialabm.market.group_purchase` -- ``form_groups`` and ``settle_groups``: group
  purchase (team buying, 7.21).

Every consumer rule runs as array operations over all consumers; loops run over the few
retailers, suppliers and platforms only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from socialabm.arrays import CellScratch
from socialabm.model_view import ModelView
from socialabm.rules import consumer as rules

SCENES = ("trading_only", "jump", "in_scene", "alliance")
"""Trading scenario of a completed sale (docs/ODD.md 7.4, scenes and jumps)."""

NOT_REACHED = -1
"""Path code of a consumer whom no offer reached today."""
TRADING, JUMP, IN_SCENE, ALLIANCE = 0, 1, 2, 3
"""Path codes of a purchase: indices into :data:`SCENES`."""
POST_IN_SCENE = 4
"""Path code of an in-scene purchase chosen from a post (in-app ordering); counted as
``in_scene`` in :data:`SCENES`, and apart for the conversion of post-driven purchases."""

STOCKOUT_COUNTS = tuple(f"stockout_{r}" for r in rules.STOCKOUT_RESPONSES)
"""Daily counters of the stock-out responses as drawn (``stockout_switch``,
``stockout_elsewhere``...): one per stock-out met."""

REALISED_COUNTS = tuple(f"stockout_realised_{r}" for r in rules.STOCKOUT_RESPONSES)
"""Daily counters of what stock-outs came to (``stockout_realised_switch``...): a drawn switch is
realised only if the switcher bought another brand; else it falls back to a delay."""

DAILY_COUNTS = (
    *(f"sales_{s}" for s in SCENES),
    "sales_post_in_scene",
    "unfilled",
    *STOCKOUT_COUNTS,
    *REALISED_COUNTS,
    "shares",
    "reviews",
    "churn",
    "presale_orders",
    "presale_orders_recipients",
    "presale_orders_others",
    "presale_cancelled",
    "attempts_jump",
    "attempts_post_in_scene",
    "impulse_purchases",
    "overconsumption",
    "credit_purchases",
    "credit_waits",
    "groups_started",
    "groups_succeeded",
    "groups_failed",
    "group_members",
    "group_refunds",
    "group_sales",
    "group_invitations",
)
"""Counters of one day (``Market.today``), summed over the run into ``Market.totals``."""

_ZERO_COUNTS = dict.fromkeys(DAILY_COUNTS, 0)
"""A day's counters before the day (copied each day)."""

REVIEW_SUMS = (
    "owners", "experienced_stars", "honest_stars", "reviewers", "reviewers_honest_stars",
    "posted_stars",
)  # fmt: skip
"""Running sums behind the review gaps (``Market.review_sums``): owners whose review fell due,
the star value ``1 + 4 q`` of their experienced and honest qualities, reviewers, and the honest
and posted stars of the reviewers."""


class Market:
    """Daily market state of one model (the model owns one ``Market``; the phases change it).

    Which phase writes and which reads each attribute is declared in
    :data:`socialabm.schedule.SCHEDULE`.

    Attributes:
        model: The model.
        window: Today's campaign window.
        prices: Price each retailer asks today, CU.
        regular_prices: Each retailer's selling-window price this campaign, CU.
        reads_feed: ``n`` bool: the consumer reads the social feed today.
        visits_trading: ``n`` bool: the consumer visits the trading platform today.
        visits: ``n x n_retailers`` bool: the consumer visits the platform the retailer sells on
            today (:func:`~socialabm.market.browsing.platform_visits`).
        saw_post: ``n x n_retailers`` bool: the consumer read a post about the retailer today.
        received: Consumers who received a unit today (they may share).
        received_experience: Consumers who received an experience unit today.
        experience_users: ``n`` bool: the consumer received an experience unit this campaign
            (set when the units are handed out; their presale orders are counted apart).
        shared_today: ``n`` bool: the consumer shared today.
        today: The day's counters (:data:`DAILY_COUNTS`) and ``stockout`` flags per retailer.
        sold_today: Units each retailer handed over today (spot sales, then presale
            deliveries).
        platform_balance: Each platform's ledger balance at the start of the day, CU.
        stars: ``n_retailers x 5`` posted reviews by stars 1..5 over the run.
        honest_stars: ``n_retailers x 5`` honest ratings of every owner whose review fell due
            (posted or not): the histogram if everyone rated honestly.
        review_sums: Running sums behind the review gaps (:data:`REVIEW_SUMS`).
        scarcity: Share of each retailer's latest day's buyers that went unfilled, [0, 1].
        attempted_from: Retailer of each consumer's first attempt this campaign (-1: none).
        experience_verdict: Per retailer index, the mean quality its experience users claimed
            this campaign (experience presale only).
        platform_of: Host platform index of each retailer.
        totals: :data:`DAILY_COUNTS` summed over the run, plus ``experience_units``.
        campaign_records: One dict per retailer and finished campaign.
        last_volume: Units each retailer sold in the last finished campaign.
        demand_shock: Each retailer's demand shock this campaign: the factor on consumers'
            willingness to pay in the selling window (1 until selling opens; 7.12).
        groups: The open group purchases
            (:class:`~socialabm.market.group_purchase.GroupBook`).
        scratch: A work buffer over the consumer-product cells
            (:class:`~socialabm.arrays.CellScratch`; not state).
        memo: Values derived from state, each kept with the bytes of the state it was
            derived from (:meth:`derived`; not state).
    """

    def __init__(self, model: ModelView) -> None:
        self.model = model
        n_r = len(model.retailers)
        n = model.network.n
        self.window = "lead"
        self.prices = np.zeros(n_r)
        self.regular_prices = np.zeros(n_r)
        self.reads_feed = np.zeros(n, dtype=bool)
        self.visits_trading = np.zeros(n, dtype=bool)
        self.visits = np.zeros((n, n_r), dtype=bool)
        self.saw_post = np.zeros((n, n_r), dtype=bool)
        self.shared_today = np.zeros(n, dtype=bool)
        self.stars = np.zeros((n_r, 5), dtype=np.int64)
        self.honest_stars = np.zeros((n_r, 5), dtype=np.int64)
        self.review_sums = dict.fromkeys(REVIEW_SUMS, 0.0)
        self.scarcity = np.zeros(n_r)
        self.experience_users = np.zeros(n, dtype=bool)
        self.attempted_from = np.full(n, -1, dtype=np.int16)
        self.experience_verdict: dict[int, float] = {}
        self.platform_of = np.array([r.platform.index for r in model.retailers])
        self.totals = dict.fromkeys((*DAILY_COUNTS, "experience_units"), 0)
        self.campaign_records: list[dict] = []
        self.last_volume = np.zeros(n_r)
        self.demand_shock = np.ones(n_r)
        from socialabm.market.group_purchase import GroupBook, group_stream  # imports this module

        self.groups = GroupBook(rng=group_stream(model.rng))
        self.scratch = CellScratch(n * n_r)
        self.memo: dict[str, tuple[bytes, Any]] = {}
        self.reset_today()

    def derived[T](self, name: str, source: np.ndarray, compute: Callable[[], T]) -> T:
        """``compute()``, a value derived from ``source`` alone, kept in :attr:`memo` under
        ``name`` with ``source``'s bytes and computed again only when those bytes change: for
        values read every day from state that changes on few days or never (drawn once, but a
        scenario or a test may edit it)."""
        key = source.tobytes()
        kept = self.memo.get(name)
        if kept is None or kept[0] != key:
            kept = self.memo[name] = (key, compute())
        return kept[1]

    @property
    def p(self) -> dict[str, Any]:
        """The model's validated parameters."""
        return self.model.p

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        """The consumers' columnar state, one array per attribute."""
        return self.model.consumers.arrays

    def reset_today(self) -> None:
        """Start the day's record: zero the day's counters and units handed over, empty the
        day's receivers, and note each platform's balance (its payoff is the change)."""
        n_r = len(self.model.retailers)
        self.today = _ZERO_COUNTS.copy()
        self.today["stockout"] = np.zeros(n_r, dtype=bool)
        self.sold_today = np.zeros(n_r, dtype=np.int64)
        self.received = np.zeros(0, dtype=np.int64)
        self.received_experience = np.zeros(0, dtype=np.int64)
        ledger = self.model.ledger
        self.platform_balance = {
            pl.name: ledger.balances[pl.account] for pl in self.model.platforms
        }


class MarketModel(ModelView, Protocol):
    """A model view with its market: what the outputs and the platform round read."""

    market: Market
