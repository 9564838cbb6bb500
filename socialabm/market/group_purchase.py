"""Group purchase (team buying): groups started at a group price, shared with ties, filled or
refunded (docs/ODD.md 7.21).

The defining mechanic of social e-commerce (seed §2.2: "mobilizing their enthusiasm to
participate in group purchase"; the Pinduoduo model, Chen, Lu & Wang 2021 on team buying; Liang
2014 on group buying's word of mouth). Switched on by ``group_purchase`` (off by default), in the
selling window, for retailers hosted on a social e-commerce platform (the trading giant runs no
groups).

**Group price.** Retailer r's group price is ``g_r = (1 - group_discount) * price_r`` (its
regular price of the campaign).

**Starting (``form_groups``).** A consumer free to shop (not bought or ordered this campaign, not
given up or waiting after a stock-out, in no group) who reads the feed today starts a group with
probability ``group_start_rate`` on its best group offer among the retailers of the social
e-commerce platforms it is a member of and is aware of::

    u_ir = wtp_ir - g_r * (1 - (1 - self_restraint_i) * impulse_gain) - waiting_cost * D

(:meth:`~socialabm.agents.Consumer.offer_utilities` at the group price, ``D = group_days`` the
longest wait for the group to fill), if its :meth:`~socialabm.agents.Consumer.joins_group`
decision says so (default: ``u_ir > max(0, u_now)``, the group beats buying the same product
now, ``u_now`` the same utility at ``price_r`` with no wait) and it can pay (cash, or credit it
decides to take: :func:`~socialabm.market.payments.affordable`). It pays ``g_r`` into escrow
(the ledger account ``group_escrow``) at once. The group is open to joiners until day
``t + group_days - 1`` (and at the latest the campaign's last day).

**Sharing and joining.** The starter shares its group with all its ties (strong and weak). Every
tie who reads the feed on a day the group is open sees the invitation: it becomes aware of r
(its ``aware_from`` is the starter, where it was not aware yet), and, if it is free to shop, it
decides to join by the same rule at the group price (``D`` the days left until the deadline).
A consumer invited by several groups considers one (at random). A group takes joiners up to
``group_size`` members (starter included), in random order. A joiner pays ``g_r`` into escrow.
Invitations seen are counted (``group_invitations``).

**Settling (``settle_groups``, after shopping).** A full group (``group_size`` members) succeeds
when its retailer has the units (stock not owed to presale orders, within the release cap):
full groups are served in random order while the units last. The escrow pays ``g_r`` per member
to the retailer (``group_sale``), the platform fees are charged as for an in-scene sale at the
group price (7.17), and each member receives its unit that day (it may share and review it like
any buyer: 7.6, 7.8). A group not full (or not served) by its deadline fails: every member is
refunded exactly what it paid (``refund``, once), and is free to shop again. Money moves only
through the ledger and units only through ``hand_over``: both are conserved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from socialabm.arrays import rows_any, take_rows
from socialabm.market import IN_SCENE
from socialabm.market.fees import pay_scene_fees
from socialabm.market.payments import affordable, pay, refund
from socialabm.market.shopping import (
    available_units,
    hand_over,
    receive,
    shocked,
    willingness_to_pay,
)

if TYPE_CHECKING:
    from socialabm.agents import Retailer
    from socialabm.market import Market

ESCROW = "group_escrow"
"""Ledger account holding the group payments of open groups."""

NO_GROUP = -1
"""``group_of`` of a consumer in no group."""


def _empty(dtype: str) -> np.ndarray:
    return np.zeros(0, dtype=dtype)


@dataclass
class GroupBook:
    """The open groups, one entry per group in the order they were started (ids ascending).

    Attributes:
        id: Group id (``consumers.group_of`` of its members), int64.
        retailer: Retailer index, int16.
        starter: The consumer who started it, int64.
        price: Group price paid by each member, CU.
        deadline: Last day it takes joiners, int32.
        members: Members so far (starter included), int32.
        next_id: Id of the next group started.
        rng: The draws of group purchase (who starts, invitations and slots taken, the order
            full groups are served in): a stream of its own, the model's generator jumped
            ahead (:func:`group_stream`), so that switching group purchase on changes no other
            draw until a group changes what consumers do.
    """

    id: np.ndarray = field(default_factory=lambda: _empty("int64"))
    retailer: np.ndarray = field(default_factory=lambda: _empty("int16"))
    starter: np.ndarray = field(default_factory=lambda: _empty("int64"))
    price: np.ndarray = field(default_factory=lambda: _empty("float64"))
    deadline: np.ndarray = field(default_factory=lambda: _empty("int32"))
    members: np.ndarray = field(default_factory=lambda: _empty("int32"))
    next_id: int = 0
    rng: np.random.Generator | None = None

    def keep(self, rows: np.ndarray) -> None:
        """Keep the groups at ``rows`` (a bool mask or positions), in order."""
        for name in ("id", "retailer", "starter", "price", "deadline", "members"):
            setattr(self, name, getattr(self, name)[rows])

    def add(
        self, retailer: np.ndarray, starter: np.ndarray, price: np.ndarray, deadline: int
    ) -> np.ndarray:
        """Open one group per starter (all with one member, the starter); returns their ids."""
        k = starter.size
        ids = np.arange(self.next_id, self.next_id + k, dtype=np.int64)
        self.next_id += k
        self.id = np.concatenate([self.id, ids])
        self.retailer = np.concatenate([self.retailer, retailer.astype(np.int16)])
        self.starter = np.concatenate([self.starter, starter.astype(np.int64)])
        self.price = np.concatenate([self.price, price])
        self.deadline = np.concatenate([self.deadline, np.full(k, deadline, dtype=np.int32)])
        self.members = np.concatenate([self.members, np.ones(k, dtype=np.int32)])
        return ids

    def position(self, ids: np.ndarray) -> np.ndarray:
        """Positions in the book of groups ``ids`` (all open)."""
        return np.searchsorted(self.id, ids)


def group_stream(rng: np.random.Generator) -> np.random.Generator:
    """A generator for group purchase, determined by the model's ``rng`` without drawing from
    it: its bit generator jumped ahead (by ``2**128`` steps for PCG64, the default)."""
    return np.random.Generator(rng.bit_generator.jumped())


def _active(market: Market) -> bool:
    return bool(market.p["group_purchase"]) and market.window == "selling"


def free_to_join(market: Market) -> np.ndarray:
    """``n`` bool: consumers free to start or join a group today (as free to shop in 7.4, and
    in no group)."""
    a, day = market.arrays, market.model.day
    return (
        ~a["bought"]
        & (a["ordered_from"] < 0)
        & ~a["gave_up"]
        & (a["wait_until"] <= day)
        & (a["group_of"] == NO_GROUP)
    )


def group_utilities(
    market: Market, idx: np.ndarray, prices: np.ndarray, waiting_days: np.ndarray
) -> np.ndarray:
    """Utilities (CU) of consumers ``idx`` for buying every retailer's product at ``prices``
    (``len(idx) x n_retailers``) after ``waiting_days`` (one per consumer): their willingness
    to pay (times the campaign's demand shock, 7.12) and offer utility decisions, on no path
    cost."""
    wtp = shocked(market, willingness_to_pay(market, idx))
    return market.model.decisions.offer_utilities(
        idx, wtp, prices, np.zeros(wtp.shape), waiting_days
    )


def discounted(price: np.ndarray, discount: float) -> np.ndarray:
    """The group price of each regular ``price`` (CU): ``(1 - discount) * price``."""
    return (1.0 - discount) * price


def group_prices(market: Market) -> np.ndarray:
    """Each retailer's group price, CU (NaN for retailers on the trading giant: no groups)."""
    prices = discounted(market.regular_prices, market.p["group_discount"])
    return np.where(market.platform_of == 0, np.nan, prices)


def form_groups(market: Market) -> None:
    """Invitees of open groups join; then new groups are started (see the module docstring)."""
    if not _active(market):
        return
    _join(market)
    _start(market)


def _commit(market: Market, idx: np.ndarray, retailer: np.ndarray, price: np.ndarray) -> None:
    """Consumers ``idx`` pay ``price`` into escrow for a group on ``retailer`` (one each)."""
    a = market.arrays
    borrowed = pay(market, idx, price, ESCROW, "group_payment")
    market.today["credit_purchases"] += int((borrowed > 0).sum())
    a["bought"][idx] = True
    a["bought_campaign"][idx, retailer] = True
    a["expectation"][idx] = a["belief"][idx, retailer]
    first = market.attempted_from[idx] < 0
    market.attempted_from[idx[first]] = retailer[first]
    market.today["group_members"] += int(idx.size)


def _decide(
    market: Market, idx: np.ndarray, retailer: np.ndarray, price: np.ndarray, wait: np.ndarray
) -> np.ndarray:
    """Which of consumers ``idx`` take the group on ``retailer`` at ``price`` after ``wait``
    days: their ``joins_group`` decision (against buying the product now at its regular
    price), then whether they can pay."""
    rows = np.arange(idx.size)
    regular = np.broadcast_to(market.regular_prices, (idx.size, market.regular_prices.size))
    prices = regular.copy()
    prices[rows, retailer] = price
    utility = group_utilities(market, idx, prices, wait)[rows, retailer]
    now = group_utilities(market, idx, regular, np.zeros(idx.size))[rows, retailer]
    wants = np.flatnonzero(market.model.decisions.joins_group(idx, utility, now))
    ok = np.zeros(idx.size, dtype=bool)
    ok[wants] = affordable(market, idx[wants], utility[wants], price[wants])
    return ok


def invitations(market: Market) -> tuple[np.ndarray, np.ndarray]:
    """Today's invitations: ``(invitee, group position)`` pairs, one per tie (strong or weak)
    of each open group's starter who sees it (:func:`sees_invitation`)."""
    book, net = market.groups, market.model.network
    pairs = [_neighbours(ties, book.starter) for ties in (net.strong, net.weak)]
    invitee = np.concatenate([p[0] for p in pairs])
    group = np.concatenate([p[1] for p in pairs])
    sees = sees_invitation(market, invitee)
    return invitee[sees], group[sees]


def _neighbours(ties, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every neighbour in CSR matrix ``ties`` of each of ``rows``, with the position in
    ``rows`` it is a neighbour of."""
    starts, counts = ties.indptr[rows], ties.indptr[rows + 1] - ties.indptr[rows]
    owner = np.repeat(np.arange(rows.size), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return ties.indices[np.repeat(starts, counts) + offsets].astype(np.int64), owner


def sees_invitation(market: Market, invitee: np.ndarray) -> np.ndarray:
    """Whether each tie ``invitee`` of a starter sees the group's invitation today: it reads
    the feed (bool, one per entry)."""
    return market.reads_feed[invitee]


def _join(market: Market) -> None:
    a, book, model = market.arrays, market.groups, market.model
    invitee, group = invitations(market)
    market.today["group_invitations"] += int(invitee.size)
    if invitee.size == 0:
        return
    r = book.retailer[group].astype(np.int64)
    newly = ~a["aware"][invitee, r]
    a["aware"][invitee, r] = True
    a["aware_from"][invitee[newly], r[newly]] = book.starter[group[newly]]
    order = market.groups.rng.permutation(invitee.size)  # one invitation per invitee, at random
    invitee, group, r = invitee[order], group[order], r[order]
    _, first = np.unique(invitee, return_index=True)
    invitee, group, r = invitee[first], group[first], r[first]
    keep = free_to_join(market)[invitee]
    invitee, group, r = invitee[keep], group[keep], r[keep]
    wait = (book.deadline[group] - model.day).astype(float)
    joins = _decide(market, invitee, r, book.price[group], wait)
    invitee, group, r = invitee[joins], group[joins], r[joins]
    shuffled = market.groups.rng.permutation(invitee.size)  # slots taken in random order
    invitee, group, r = invitee[shuffled], group[shuffled], r[shuffled]
    by_group = np.argsort(group, kind="stable")
    invitee, group, r = invitee[by_group], group[by_group], r[by_group]
    rank = np.arange(group.size) - np.searchsorted(group, group)  # rank within its group
    fits = rank < market.p["group_size"] - book.members[group]
    invitee, group, r = invitee[fits], group[fits], r[fits]
    _commit(market, invitee, r, book.price[group])
    a["group_of"][invitee] = book.id[group]
    np.add.at(book.members, group, 1)


def _start(market: Market) -> None:
    a, p, model = market.arrays, market.p, market.model
    cal = model.calendar
    idx = np.flatnonzero(free_to_join(market) & market.reads_feed)
    idx = idx[market.groups.rng.random(idx.size) < p["group_start_rate"]]
    member = take_rows(model.membership, idx)[:, market.platform_of]
    offered = member & take_rows(a["aware"], idx) & (market.platform_of != 0)[None, :]
    meets = rows_any(offered)
    idx, offered = idx[meets], offered[meets]
    if idx.size == 0:
        return
    prices = group_prices(market)
    wait = np.full(idx.size, float(p["group_days"]))
    utility = group_utilities(market, idx, np.broadcast_to(prices, offered.shape), wait)
    best = np.argmax(np.where(offered, utility, -np.inf), axis=1)
    price = prices[best]
    starts = _decide(market, idx, best, price, wait)
    idx, best, price = idx[starts], best[starts], price[starts]
    if idx.size == 0:
        return
    last_day = model.day - model.day % cal.campaign_days + cal.campaign_days - 1
    deadline = min(model.day + p["group_days"] - 1, last_day)
    _commit(market, idx, best, price)
    a["group_of"][idx] = market.groups.add(best, idx, price, deadline)
    market.today["groups_started"] += int(idx.size)


def settle_groups(market: Market) -> None:
    """Full groups with units available succeed; groups past their deadline fail and are
    refunded (see the module docstring)."""
    book = market.groups
    if book.id.size == 0:
        return
    a, model, p = market.arrays, market.model, market.p
    in_group = np.flatnonzero(a["group_of"] != NO_GROUP)
    position = book.position(a["group_of"][in_group])
    served = np.zeros(book.id.size, dtype=bool)
    full = book.members >= p["group_size"]
    for r in model.retailers:
        candidates = np.flatnonzero(full & (book.retailer == r.index))
        if candidates.size == 0:
            continue
        candidates = market.groups.rng.permutation(candidates)
        fits = np.cumsum(book.members[candidates]) <= available_units(market, r)
        winners = candidates[fits]
        served[winners] = True
        mine = np.isin(position, winners)
        if mine.any():
            _deliver(market, r, in_group[mine], book.price[position[mine]])
    failed = ~served & (book.deadline <= model.day)
    losers = in_group[failed[position]]
    if losers.size:
        refund(market, losers, book.price[position[failed[position]]], ESCROW)
        retailer = book.retailer[position[failed[position]]].astype(np.int64)
        a["bought"][losers] = False
        a["bought_campaign"][losers, retailer] = False
        market.today["group_refunds"] += int(losers.size)
        market.today["groups_failed"] += int(failed.sum())
    done = served | failed
    a["group_of"][in_group[done[position]]] = NO_GROUP
    market.today["groups_succeeded"] += int(served.sum())
    book.keep(~done)


def _deliver(market: Market, r: Retailer, buyers: np.ndarray, prices: np.ndarray) -> None:
    """Members ``buyers`` of ``r``'s succeeded groups get their units at their group
    ``prices`` (CU, one each)."""
    a = market.arrays
    hand_over(market, r, int(buyers.size))
    market.model.ledger.transfer(ESCROW, r.account, float(prices.sum()), "group_sale")
    scenes = np.full(buyers.size, IN_SCENE, dtype=np.int8)
    pay_scene_fees(market, r, scenes, prices, buyers)
    market.today["sales_in_scene"] += int(buyers.size)
    market.today["group_sales"] += int(buyers.size)
    a["adopted"][buyers, r.index] = True
    receive(market, buyers, r.index)
