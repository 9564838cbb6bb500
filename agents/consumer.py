"""Consumers: a Mesa agent per consumer as the face of columnar state arrays.

All consumer state lives in :class:`ConsumerStore` (one numpy array per attribute), so the daily
rules run as array operations over every consumer. A :class:`Consumer` agent holds only its index;
reading or writing one of its attributes reads or writes its entry in the arrays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import mesa
import numpy as np

from socialabm.decisions import (
    ARRAY_SUFFIX,
    decision,
    decisions_of,
    defining_class,
    missing_array_forms,
)
from socialabm.rules import consumer as rules

if TYPE_CHECKING:
    from socialabm.model import SocialCommerceModel

CONSUMER_STATES = ("unaware", "aware", "ordered", "owner", "sharer", "churned_fan")
"""Display states of a consumer, in the order of :meth:`SocialCommerceModel.consumer_states`."""


class Column:
    """Descriptor mapping a consumer attribute to its entry in the model's columnar store."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, agent: Consumer | None, owner: type) -> Any:
        if agent is None:
            return self
        value = agent.model.consumers.arrays[self.name][agent.index]
        return value.item() if isinstance(value, np.generic) else value

    def __set__(self, agent: Consumer, value: Any) -> None:
        agent.model.consumers.arrays[self.name][agent.index] = value


class Consumer(mesa.Agent):
    """A consumer (docs/ODD.md §2; its daily rules 7.1-7.8).

    Attributes are views of the model's columnar arrays (per consumer; per consumer and retailer
    for ``aware`` and ``belief``). A subclass may declare more attributes in ``columns`` as
    ``name: (dtype, default)``; the model then allocates an array for each.

    Decisions come in two forms sharing one formula: a per-agent method (readable, overridable)
    and a class-level array form over many consumers (fast). Override the per-agent method and
    the model runs that decision per agent; override the array form to keep it fast
    (:mod:`socialabm.decisions`).
    """

    columns: ClassVar[dict[str, tuple[str, Any]]] = {
        "valuation": ("float64", 0.0),  # CU per unit of quality
        "informed": ("int8", 0),  # 0 uninformed, 1 semi-informed, 2 well-informed
        "dignity": ("float64", 0.0),  # need for dignity, [0, 1]
        "self_restraint": ("float64", 0.0),  # [0, 1]
        "restraint_initial": ("float64", 0.0),  # [0, 1]
        "social_use": ("float64", 0.0),  # daily probability of reading the feed
        "trading_use": ("float64", 0.0),  # daily probability of visiting a trading platform
        "cash": ("float64", 0.0),  # CU
        "debt": ("float64", 0.0),  # CU owed on the credit line (principal + interest - repaid)
        "income": ("float64", 0.0),  # CU per pay period
        "pay_phase": ("int16", 0),  # day of the pay period on which income arrives
        "credit_limit": ("float64", 0.0),  # CU the consumer may owe before credit is refused
        "borrowed": ("float64", 0.0),  # CU borrowed over the run
        "interest": ("float64", 0.0),  # CU of interest accrued over the run
        "repaid": ("float64", 0.0),  # CU repaid over the run
        "vigilance": ("float64", 1.0),  # [0, 1]
        "weak_share": ("float64", 0.0),  # share of the consumer's ties that are weak
        "inflation": ("float64", 0.0),  # review inflation bias, stars
        "fan_of": ("int16", -1),  # retailer index or -1
        "loyalty": ("float64", 0.0),  # [0, 1]
        "bought": ("bool", False),  # bought (or ordered) in the current campaign
        "ordered_from": ("int16", -1),  # presale order outstanding with this retailer
        "owns": ("int16", -1),  # retailer of the last unit received
        "received_day": ("int32", -1),
        "review_day": ("int32", -1),  # day the pending review is due, or -1
        "experienced": ("float64", 0.0),  # experienced quality of the last unit
        "expectation": ("float64", 0.0),  # belief about it when bought
        "post_of": ("int16", -1),  # retailer of the live post, or -1
        "post_until": ("int32", -1),  # last day the post is in feeds
        "post_quality": ("float64", 0.0),  # quality the post reports
        "post_ties": ("int8", 0),  # ties the live post reaches: code into rules.POST_AUDIENCES
        "churned": ("bool", False),  # a fan who switched brand after going unfilled
        "wait_until": ("int32", -1),  # delayed after a stock-out: shops again from this day
        "gave_up": ("bool", False),  # gave up buying for the current campaign (stock-out)
        "purchases": ("int32", 0),  # units bought over the run
        "impulse_purchases": ("int32", 0),  # purchases with willingness to pay below the price
        "shares": ("int32", 0),  # products shared over the run
        "group_of": ("int64", -1),  # id of the open group purchase it is in, or -1
    }
    matrix_columns: ClassVar[dict[str, tuple[str, Any]]] = {
        "aware": ("bool", False),  # aware of retailer r's product
        "belief": ("float64", 0.0),  # qhat, belief about r's quality
        "aware_from": ("int32", -1),  # consumer whose post made it aware of r (-1: no post)
        "adopted": ("bool", False),  # bought or ordered r at least once
        "bought_campaign": ("bool", False),  # bought or ordered r in the current campaign
    }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get("columns", {})
        cls.columns = {**super(cls, cls).columns, **declared}  # type: ignore[misc]
        _add_columns(cls, declared)
        missing = missing_array_forms(cls)
        if missing:
            forms = ", ".join(name + ARRAY_SUFFIX for name in missing)
            raise TypeError(f"{cls.__name__}: decision(s) {missing} need an array form ({forms})")

    def __init__(self, model: SocialCommerceModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    def step(self) -> None:
        """Consumers do not step one by one: a consumer's day is its decisions, which the
        market's phases ask in the order of the model's schedule (docs/ODD.md §3). Raises an
        error saying what to do instead (a subclass defining ``step`` is refused when a model
        is built with it: :meth:`class_problem`)."""
        raise NotImplementedError(
            f"consumer {self.index} has no step of its own: a consumer's day is its decisions, "
            "taken in the market's phases (socialabm.schedule.SCHEDULE, docs/ODD.md §3); run a "
            "day with model.step(), and change what consumers do by overriding a decision "
            f"({', '.join(decisions_of(type(self)))}; docs/extending.md)"
        )

    @classmethod
    def class_problem(cls) -> str:
        """Why the model cannot use this consumer class ("" if it can): a subclass that defines
        ``step`` expects the model to call it, and the model never does (the decisions are the
        consumer's behaviour, called per agent when only their per-agent form is overridden)."""
        if defining_class(cls, "step") is Consumer:
            return ""
        return (
            f"defines step(), which the model never calls: a consumer's day is its decisions, "
            "taken in the market's phases (docs/ODD.md §3); move the behaviour into the decision "
            f"it changes ({', '.join(decisions_of(cls))}), overriding its per-agent form runs "
            "it consumer by consumer (docs/extending.md)"
        )

    def remove(self) -> None:
        """Consumers cannot be removed one by one: each is a row of the model's arrays and of
        its network. Raises an error saying what to do instead."""
        raise NotImplementedError(
            f"consumer {self.index} cannot be removed: consumers are rows of the model's arrays "
            "and network; build the model with fewer consumers (n_consumers, or a network "
            "without them), or take one out of the market with agent.social_use = "
            "agent.trading_use = 0"
        )

    def __getattr__(self, name: str) -> Any:
        # matrix columns: a row view over retailers
        if name in type(self).matrix_columns:
            return self.model.consumers.arrays[name][self.index]
        raise AttributeError(f"{type(self).__name__!r} has no attribute {name!r}")

    # -- decisions ------------------------------------------------------------------------
    # Each decision has a per-agent method (one consumer, plain numbers), marked @decision, and
    # an array form, the classmethod <name>_array over many consumers (socialabm.decisions).
    # Random draws are made by the market and passed in, so both forms give the same result for
    # the same draws.
    @decision(float)
    def willingness_to_pay(self, belief: np.ndarray, loyalty: np.ndarray) -> np.ndarray:
        """CU the consumer would pay for products it believes of quality ``belief``:
        ``valuation * belief + loyalty_bonus * loyalty`` (docs/ODD.md 7.4). The one formula of
        willingness to pay: choice, price surveys, impulse purchases and the experience
        presale's ranking all ask it.

        Args:
            belief: Its belief about each product's quality, [0, 1] (a number or a row).
            loyalty: Its loyalty to each product's retailer, [0, 1]: 0 where it is no fan, and
                0 throughout when a retailer ranks consumers by product value alone (7.11).
        """
        bonus = self.model.p["loyalty_bonus"]
        return rules.willingness_to_pay(self.valuation, belief, loyalty, bonus)

    @decision(float)
    def offer_utilities(
        self, wtp: np.ndarray, prices: np.ndarray, path_cost: np.ndarray, waiting_days: float
    ) -> np.ndarray:
        """Utility (CU) of buying each offer (docs/ODD.md 7.4)::

            wtp - price * (1 - (1 - self_restraint) * impulse_gain) - path_cost
                - waiting_cost * waiting_days

        Args:
            wtp: Its willingness to pay for each product (:meth:`willingness_to_pay`), CU.
            prices: The price each offer asks, CU.
            path_cost: The cost of the path by which each offer reaches it (``scene_cost`` for a
                jump, else 0), CU.
            waiting_days: Days until a presale order is delivered (0 for a purchase now).
        """
        p = self.model.p
        restraint = np.float64(self.self_restraint)
        waiting = p["waiting_cost"] * waiting_days
        return rules.offer_utility(wtp, prices, restraint, p["impulse_gain"], path_cost, waiting)

    @decision(float)
    def sharing_probability(self, scarcity: float) -> float:
        """Probability of sharing a product just received (docs/ODD.md 7.6).

        Args:
            scarcity: Share of the product's latest buyers that went unfilled, [0, 1].
        """
        p = self.model.p
        return float(
            rules.share_probability(
                np.float64(self.dignity),
                np.float64(self.weak_share),
                scarcity,
                p["share_base"],
                p["kappa_dignity"],
                p["kappa_weak"],
                p["kappa_scarcity"],
            )
        )

    @decision(np.int8)
    def post_audience(self, retailer: int) -> int:
        """Who sees the post the consumer shares about ``retailer``'s product, as a code into
        :data:`~socialabm.rules.consumer.POST_AUDIENCES`: every neighbour who reads the feed
        (0, the default), its strong ties only (1) or its weak ties only (2) (docs/ODD.md 7.2,
        7.6).

        Args:
            retailer: Index of the retailer whose product the post is about.
        """
        return rules.ALL_TIES

    @decision(float)
    def in_scene_probability(self, retailer: int) -> float:
        """Probability of buying in-scene (in the chat) rather than jumping to the retailer's
        platform, when a post offers both (docs/ODD.md 7.4).

        Args:
            retailer: Index of the retailer whose product the post is about.
        """
        p = self.model.p
        return rules.in_scene_probability(
            p["in_scene_trust"], p["trading_assurance"], p["scene_cost"], p["scene_logit_scale"]
        )

    @decision(bool)
    def borrows(self, utility: float, price: float) -> bool:
        """Whether, short of cash, the consumer buys now on credit rather than waiting for
        income: the purchase's utility (CU) must clear ``credit_hurdle * self_restraint *
        price`` (docs/ODD.md 7.4)."""
        hurdle = self.model.p["credit_hurdle"]
        restraint = np.float64(self.self_restraint)
        return bool(rules.clears_restraint_hurdle(utility, price, restraint, hurdle))

    @decision(bool)
    def buys_again(self, utility: float, price: float) -> bool:
        """Whether the consumer, who already bought a product this campaign, buys another
        retailer's product at ``price`` (over-consumption): the purchase's utility (CU) must
        clear ``satiation * self_restraint * price`` (docs/ODD.md 7.4)."""
        satiation = self.model.p["satiation"]
        restraint = np.float64(self.self_restraint)
        return bool(rules.clears_restraint_hurdle(utility, price, restraint, satiation))

    @decision(float)
    def repayment(self, income: float) -> float:
        """CU of a pay day's ``income`` the consumer puts toward its debt (before capping at the
        debt): ``repay_share * income`` (docs/ODD.md 7.5)."""
        return self.model.p["repay_share"] * income

    @decision(np.int8)
    def stockout_response(self, draw: float) -> int:
        """Response to finding the chosen product out of stock, as a code into
        :data:`~socialabm.rules.consumer.STOCKOUT_RESPONSES` (switch brand, buy elsewhere,
        delay, give up), from a uniform ``draw`` in [0, 1) (docs/ODD.md 7.13)."""
        p = self.model.p
        code = rules.stockout_response(
            np.array([draw]), p["stockout_switch"], p["stockout_elsewhere"], p["stockout_delay"]
        )
        return int(code[0])

    @decision(np.int8)
    def review(self, honest: float, draw: float) -> int:
        """Stars the consumer posts about its last unit (1..5), or 0 for no review
        (docs/ODD.md 7.8).

        Args:
            honest: Honest quality of the experience on [0, 1] (star s stands for (s - 1)/4).
            draw: Uniform [0, 1) draw deciding whether it writes.
        """
        p = self.model.p
        writes = draw < rules.review_probability(
            np.float64(honest), p["review_base"], p["review_extremity"]
        )
        claimed = rules.inflated_quality(np.float64(honest), np.float64(self.inflation))
        return int(rules.stars_from_quality(claimed)) if writes else 0

    @decision(bool)
    def joins_group(self, utility: float, now: float) -> bool:
        """Whether the consumer starts, or joins, a group purchase (docs/ODD.md 7.21): the
        group's ``utility`` (CU, at the group price, the wait for the group to fill included)
        must be positive and beat ``now``, the utility of buying the same product now at its
        regular price (CU)."""
        return bool(utility > max(now, 0.0))

    # -- array forms ----------------------------------------------------------------------
    @classmethod
    def willingness_to_pay_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, belief: np.ndarray, loyalty: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`willingness_to_pay`: ``belief`` and ``loyalty`` have a row (or
        an entry) per consumer of ``idx``."""
        valuation = _per_row(model.consumers.arrays["valuation"][idx], belief)
        return rules.willingness_to_pay(valuation, belief, loyalty, model.p["loyalty_bonus"])

    @classmethod
    def offer_utilities_array(
        cls,
        model: SocialCommerceModel,
        idx: np.ndarray,
        wtp: np.ndarray,
        prices: np.ndarray,
        path_cost: np.ndarray,
        waiting_days: np.ndarray,
    ) -> np.ndarray:
        """Array form of :meth:`offer_utilities`: ``wtp``, ``prices`` and ``path_cost`` have a
        row (or an entry) per consumer of ``idx``, ``waiting_days`` an entry."""
        p = model.p
        restraint = _per_row(model.consumers.arrays["self_restraint"][idx], wtp)
        waiting = p["waiting_cost"] * _per_row(np.asarray(waiting_days), wtp)
        return rules.offer_utility(wtp, prices, restraint, p["impulse_gain"], path_cost, waiting)

    @classmethod
    def sharing_probability_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, scarcity: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`sharing_probability` for consumers ``idx``."""
        a, p = model.consumers.arrays, model.p
        return rules.share_probability(
            a["dignity"][idx],
            a["weak_share"][idx],
            scarcity,
            p["share_base"],
            p["kappa_dignity"],
            p["kappa_weak"],
            p["kappa_scarcity"],
        )

    @classmethod
    def post_audience_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, retailer: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`post_audience`: audience codes (int8) for consumers ``idx``."""
        return np.full(len(idx), rules.ALL_TIES, dtype=np.int8)

    @classmethod
    def in_scene_probability_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, retailer: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`in_scene_probability` for consumers ``idx`` and the retailers
        ``retailer`` (one per consumer)."""
        p = model.p
        prob = rules.in_scene_probability(
            p["in_scene_trust"], p["trading_assurance"], p["scene_cost"], p["scene_logit_scale"]
        )
        return np.full(len(idx), prob)

    @classmethod
    def borrows_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, utility: np.ndarray, price: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`borrows`."""
        restraint = model.consumers.arrays["self_restraint"][idx]
        return rules.clears_restraint_hurdle(utility, price, restraint, model.p["credit_hurdle"])

    @classmethod
    def buys_again_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, utility: np.ndarray, price: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`buys_again`."""
        restraint = model.consumers.arrays["self_restraint"][idx]
        return rules.clears_restraint_hurdle(utility, price, restraint, model.p["satiation"])

    @classmethod
    def repayment_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, income: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`repayment`."""
        return model.p["repay_share"] * np.asarray(income, dtype=float)

    @classmethod
    def stockout_response_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, draw: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`stockout_response`."""
        p = model.p
        return rules.stockout_response(
            draw, p["stockout_switch"], p["stockout_elsewhere"], p["stockout_delay"]
        )

    @classmethod
    def review_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, honest: np.ndarray, draw: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`review`: stars (int8, 0 = no review) for consumers ``idx``."""
        a, p = model.consumers.arrays, model.p
        writes = draw < rules.review_probability(honest, p["review_base"], p["review_extremity"])
        stars = rules.stars_from_quality(rules.inflated_quality(honest, a["inflation"][idx]))
        return np.where(writes, stars, 0).astype(np.int8)

    @classmethod
    def joins_group_array(
        cls, model: SocialCommerceModel, idx: np.ndarray, utility: np.ndarray, now: np.ndarray
    ) -> np.ndarray:
        """Array form of :meth:`joins_group`."""
        return np.asarray(utility) > np.maximum(now, 0.0)


def _per_row(values: np.ndarray, like: np.ndarray) -> np.ndarray:
    """``values`` (one per consumer) shaped like ``like`` (an entry or a row per consumer): a row
    is the consumer's value repeated, as numpy broadcasts a column over a matrix of few columns
    one row at a time."""
    if np.ndim(like) == 2:
        return values.repeat(like.shape[1]).reshape(like.shape)
    return values


class ConsumerStore:
    """Columnar state of all consumers: ``arrays[name]`` is one numpy array per attribute.

    Args:
        consumer_class: The consumer class whose ``columns`` and ``matrix_columns`` to allocate.
        n: Number of consumers.
        n_retailers: Number of retailers (width of the matrix columns).
    """

    def __init__(self, consumer_class: type[Consumer], n: int, n_retailers: int) -> None:
        self.n = n
        self.arrays: dict[str, np.ndarray] = {}
        for name, (dtype, default) in consumer_class.columns.items():
            self.arrays[name] = np.full(n, default, dtype=dtype)
        for name, (dtype, default) in consumer_class.matrix_columns.items():
            self.arrays[name] = np.full((n, n_retailers), default, dtype=dtype)

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["arrays"][name]
        except KeyError:
            raise AttributeError(f"consumer store has no column {name!r}") from None


def _add_columns(cls: type[Consumer], names: Any) -> None:
    """Give ``cls`` a :class:`Column` attribute for each of ``names`` it does not define.

    Raises:
        TypeError: a column named like a method of the class (a decision...), which the column
            would hide.
    """
    for name in names:
        if callable(getattr(cls, name, None)):
            raise TypeError(f"{cls.__name__}: column {name!r} would hide the method {name}()")
        if not isinstance(cls.__dict__.get(name), Column):
            column = Column()
            column.__set_name__(cls, name)
            setattr(cls, name, column)


_add_columns(Consumer, Consumer.columns)
