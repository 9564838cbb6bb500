"""Dispatch consumer decisions to their fast array form or, where a modeler's class defines the
per-agent method below the array form, to that method agent by agent.

Every decision of :class:`~socialabm.agents.Consumer` exists twice: a per-agent method (one
consumer, plain numbers: readable, easy to override) and an array form (a classmethod over many
consumers: fast). For each decision separately, the dispatcher looks up which class in the
consumer class's method resolution order defines each form. When the per-agent method is defined
lower (in a more derived class) than the array form, that override would be hidden by the
inherited array form, so the decision runs per agent; otherwise the array form runs. A modeler
can thus override one decision per agent, in any class of a hierarchy, and every other decision
keeps its fast path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.agents.consumer import Consumer

if TYPE_CHECKING:
    from socialabm.model_view import ModelView

DECISIONS = {
    # per-agent method -> array form
    "sharing_probability": "sharing_probability_array",
    "offer_utilities": "offer_utilities_array",
    "in_scene_probability": "in_scene_probability_array",
    "borrows": "borrows_array",
    "buys_again": "buys_again_array",
    "repayment": "repayment_array",
    "stockout_response": "stockout_response_array",
    "review": "review_array",
}
"""Every overridable consumer decision: per-agent method name -> array form name."""


def defining_class(cls: type, name: str) -> type:
    """The class in ``cls.__mro__`` whose own body defines ``name``."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass
    raise AttributeError(f"{cls.__name__} has no attribute {name!r}")


def per_agent_overrides(cls: type[Consumer]) -> set[str]:
    """Decisions of ``cls`` that run per agent: those whose per-agent method is defined in a
    class below (more derived than) the class defining the array form."""
    mro = cls.__mro__
    return {
        method
        for method, array_form in DECISIONS.items()
        if mro.index(defining_class(cls, method)) < mro.index(defining_class(cls, array_form))
    }


class Decisions:
    """The consumer decisions the market calls, bound to one model.

    Each method takes the consumers ``idx`` and arrays aligned with them, and returns one value
    per consumer (a row per consumer for :meth:`offer_utilities`).
    """

    def __init__(self, model: ModelView) -> None:
        self.model = model
        self.cls = model.consumer_class
        self.per_agent = per_agent_overrides(self.cls)

    def agent(self, index: int) -> Consumer:
        """The consumer agent at ``index`` (store position)."""
        return self.model.consumer_agents[index]

    def _call(self, name: str, idx: np.ndarray, *columns: np.ndarray, dtype: type = float):
        if name not in self.per_agent:
            return getattr(self.cls, DECISIONS[name])(self.model, idx, *columns)
        columns = tuple(np.asarray(c) for c in columns)
        agents = self.model.consumer_agents
        rows = [
            getattr(agents[i], name)(*(c[k].item() for c in columns)) for k, i in enumerate(idx)
        ]
        return np.array(rows, dtype=dtype)

    def sharing_probability(self, idx: np.ndarray, scarcity: np.ndarray) -> np.ndarray:
        """Sharing probability of consumers ``idx`` for products of the given scarcity."""
        return self._call("sharing_probability", idx, scarcity)

    def offer_utilities(self, idx: np.ndarray) -> np.ndarray:
        """``len(idx) x n_retailers`` utilities (CU) of consumers ``idx`` at today's prices."""
        utilities = self._call("offer_utilities", idx)
        return utilities.reshape(len(idx), len(self.model.retailers))

    def in_scene_probability(self, idx: np.ndarray, retailer: np.ndarray) -> np.ndarray:
        """Probability that consumers ``idx`` buy ``retailer``'s product in-scene, not by jump."""
        return self._call("in_scene_probability", idx, retailer)

    def borrows(self, idx: np.ndarray, utility: np.ndarray, price: np.ndarray) -> np.ndarray:
        """Whether consumers ``idx``, short of cash, buy on credit now (bool per consumer)."""
        return self._call("borrows", idx, utility, price, dtype=bool)

    def buys_again(self, idx: np.ndarray, utility: np.ndarray, price: np.ndarray) -> np.ndarray:
        """Whether consumers ``idx``, who bought this campaign, buy another product now."""
        return self._call("buys_again", idx, utility, price, dtype=bool)

    def repayment(self, idx: np.ndarray, income: np.ndarray) -> np.ndarray:
        """CU of today's ``income`` that consumers ``idx`` put toward their debt."""
        return self._call("repayment", idx, income)

    def stockout_response(self, idx: np.ndarray, draw: np.ndarray) -> np.ndarray:
        """Stock-out response codes (int8) of consumers ``idx`` for uniform ``draw``s."""
        return self._call("stockout_response", idx, draw, dtype=np.int8)

    def review(self, idx: np.ndarray, honest: np.ndarray, draw: np.ndarray) -> np.ndarray:
        """Stars (int8, 0 = no review) consumers ``idx`` post for honest qualities ``honest``."""
        return self._call("review", idx, honest, draw, dtype=np.int8)
