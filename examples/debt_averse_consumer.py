"""A consumer who dislikes buying on credit (extension example, docs/extending.md).

The default consumer values an offer at ``wtp - price * (1 - (1 - self_restraint) *
impulse_gain)`` and, short of cash, borrows the rest when that utility clears its credit hurdle.
:class:`DebtAverseConsumer` subtracts ``debt_aversion * max(price - cash, 0)`` from each offer's
utility: every currency unit it would have to borrow counts against the offer, so it buys less
on credit. (To change only the borrowing decision, override ``borrows``: see
``examples.consumer_decisions.CashOnlyConsumer``.)
``debt_aversion`` is a new per-consumer column (default 0.8), so it can differ between consumers.

Only the per-agent method is overridden, so the model runs this decision consumer by consumer
(readable, slower). :class:`FastDebtAverseConsumer` adds the array form of the same formula and
runs at full speed; both give identical runs on the same seed.

Use::

    from socialabm import SocialCommerceModel
    from examples.debt_averse_consumer import DebtAverseConsumer

    model = SocialCommerceModel(consumer_class=DebtAverseConsumer, n_consumers=500, rng=1)

or, from the repository root, ``consumer_class="examples.debt_averse_consumer:DebtAverseConsumer"``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from socialabm import Consumer


class DebtAverseConsumer(Consumer):
    """A consumer whose utility of an offer falls with the amount it would have to borrow."""

    columns: ClassVar[dict[str, tuple[str, Any]]] = {"debt_aversion": ("float64", 0.8)}

    def offer_utilities(
        self, wtp: np.ndarray, prices: np.ndarray, path_cost: np.ndarray, waiting_days: float
    ) -> np.ndarray:
        """Default utilities minus ``debt_aversion * max(price - cash, 0)`` per offer (CU)."""
        utilities = super().offer_utilities(wtp, prices, path_cost, waiting_days)
        borrowing = np.maximum(prices - self.cash, 0.0)
        return utilities - self.debt_aversion * borrowing


class FastDebtAverseConsumer(DebtAverseConsumer):
    """:class:`DebtAverseConsumer` with the array form too, so the decision stays vectorised."""

    @classmethod
    def offer_utilities_array(cls, model, idx, wtp, prices, path_cost, waiting_days) -> np.ndarray:
        """Array form of :meth:`DebtAverseConsumer.offer_utilities` for consumers ``idx``."""
        a = model.consumers.arrays
        utilities = super().offer_utilities_array(model, idx, wtp, prices, path_cost, waiting_days)
        cash = a["cash"][idx].reshape(-1, *[1] * (np.ndim(prices) - 1))
        aversion = a["debt_aversion"][idx].reshape(cash.shape)
        return utilities - aversion * np.maximum(prices - cash, 0.0)
