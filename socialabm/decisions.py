"""Dispatch consumer decisions to their fast array form or, when a modeler overrode only the
per-agent method, to that method agent by agent (every other rule stays on the fast path)."""

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
}


def per_agent_overrides(cls: type[Consumer]) -> set[str]:
    """Decisions whose per-agent method ``cls`` overrides while keeping the default array form."""
    out = set()
    for method, array_form in DECISIONS.items():
        own_method = getattr(cls, method) is not getattr(Consumer, method)
        own_array = getattr(cls, array_form).__func__ is not getattr(Consumer, array_form).__func__
        if own_method and not own_array:
            out.add(method)
    return out


class Decisions:
    """The consumer decisions the market calls, bound to one model."""

    def __init__(self, model: ModelView) -> None:
        self.model = model
        self.cls = model.consumer_class
        self.per_agent = per_agent_overrides(self.cls)

    def agent(self, index: int) -> Consumer:
        """The consumer agent at ``index`` (store position)."""
        return self.model.consumer_agents[index]

    def sharing_probability(self, idx: np.ndarray, scarcity: np.ndarray) -> np.ndarray:
        """Sharing probability of consumers ``idx`` for products of the given scarcity."""
        if "sharing_probability" in self.per_agent:
            return np.array(
                [
                    self.agent(i).sharing_probability(float(s))
                    for i, s in zip(idx, scarcity, strict=True)
                ]
            )
        return self.cls.sharing_probability_array(self.model, idx, scarcity)

    def offer_utilities(self, idx: np.ndarray) -> np.ndarray:
        """``len(idx) x n_retailers`` utilities (CU) of consumers ``idx``."""
        if "offer_utilities" in self.per_agent:
            n_r = len(self.model.retailers)
            rows = [self.agent(i).offer_utilities() for i in idx]
            return np.array(rows, dtype=float).reshape(len(idx), n_r)
        return self.cls.offer_utilities_array(self.model, idx)
