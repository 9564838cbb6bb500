"""What the parts the model is built from need of the model: a structural type (``Protocol``).

:class:`~socialabm.SocialCommerceModel` builds the market, the decision dispatcher and the daily
outputs, and hands itself to them; it satisfies :class:`ModelView` without naming it. They
type-hint against this view instead of importing ``socialabm.model``, so the model stands above
everything it is built from, also for type checkers (no import, even under ``TYPE_CHECKING``,
runs from a part back to the model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from socialabm.agents import Alliance, Consumer, ConsumerStore, Platform, Retailer, Supplier
    from socialabm.campaign import CampaignCalendar
    from socialabm.ledger import Ledger
    from socialabm.network import SocialNetwork


class ModelView(Protocol):
    """The model as the market phases, the decisions and the outputs see it.

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
        decisions: The consumer decisions (:class:`socialabm.decisions.Decisions`).
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
    decisions: Any
    day: int
    alliances: list[Alliance]
    alliance_history: list[Alliance]

    @property
    def se_platforms(self) -> list[Platform]:
        """The social e-commerce platforms."""
        ...

    def log_event(self, text: str) -> None:
        """Record a notable event for the app's running text."""
        ...
