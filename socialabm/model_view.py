"""What the market phases, the consumer decisions, the outputs and the platform dynamics need from
the model, as structural types (``typing.Protocol``).

:class:`~socialabm.SocialCommerceModel` satisfies :class:`ModelView` without naming it, so those
modules type-hint against this one and never import ``socialabm.model`` (which imports them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from socialabm.agents import Alliance, Consumer, ConsumerStore, Platform, Retailer, Supplier
    from socialabm.campaign import CampaignCalendar
    from socialabm.ledger import Ledger
    from socialabm.network import SocialNetwork


class ConsumerDecisions(Protocol):
    """The consumer decisions the market calls (:class:`~socialabm.decisions.Decisions`)."""

    def sharing_probability(self, idx: np.ndarray, scarcity: np.ndarray) -> np.ndarray:
        """Sharing probability of consumers ``idx`` for products of the given scarcity."""
        ...

    def offer_utilities(self, idx: np.ndarray) -> np.ndarray:
        """``len(idx) x n_retailers`` utilities (CU) of consumers ``idx``."""
        ...

    def in_scene_probability(self, idx: np.ndarray, retailer: np.ndarray) -> np.ndarray:
        """Probability that consumers ``idx`` buy ``retailer``'s product in-scene."""
        ...

    def borrows(self, idx: np.ndarray, utility: np.ndarray, price: np.ndarray) -> np.ndarray:
        """Whether consumers ``idx``, short of cash, buy on credit now."""
        ...

    def buys_again(self, idx: np.ndarray, utility: np.ndarray, price: np.ndarray) -> np.ndarray:
        """Whether consumers ``idx``, who bought this campaign, buy another product now."""
        ...

    def repayment(self, idx: np.ndarray, income: np.ndarray) -> np.ndarray:
        """CU of today's ``income`` that consumers ``idx`` put toward their debt."""
        ...

    def stockout_response(self, idx: np.ndarray, draw: np.ndarray) -> np.ndarray:
        """Stock-out response codes of consumers ``idx``."""
        ...

    def review(self, idx: np.ndarray, honest: np.ndarray, draw: np.ndarray) -> np.ndarray:
        """Stars (0 = no review) consumers ``idx`` post."""
        ...


class ModelView(Protocol):
    """The model as the market phases, decisions, outputs and platform dynamics see it.

    Attributes:
        p: The validated parameters.
        rng: The model's random generator (every draw of the run).
        network: The consumers' tie network.
        consumers: The columnar consumer state.
        consumer_class: The consumer agent class in use.
        consumer_agents: The Mesa agent of each consumer, in store order.
        retailers, suppliers, platforms: The agents, in index order.
        membership: ``n x n_platforms`` bool, consumer i is a member of platform k.
        ledger: The money ledger.
        calendar: The campaign windows.
        decisions: The consumer decisions.
        day: Days completed.
        alliances: Live alliances; ``alliance_history``: every alliance ever formed.
    """

    p: dict[str, Any]
    rng: np.random.Generator
    network: SocialNetwork
    consumers: ConsumerStore
    consumer_class: type[Consumer]
    consumer_agents: list[Consumer]
    retailers: list[Retailer]
    suppliers: list[Supplier]
    platforms: list[Platform]
    membership: np.ndarray
    ledger: Ledger
    calendar: CampaignCalendar
    decisions: ConsumerDecisions
    day: int
    alliances: list[Alliance]
    alliance_history: list[Alliance]

    @property
    def se_platforms(self) -> list[Platform]:
        """The social e-commerce platforms."""
        ...

    def current_prices(self) -> np.ndarray:
        """Price each retailer asks today, CU."""
        ...

    def log_event(self, text: str) -> None:
        """Record a notable event for the app's running text."""
        ...
