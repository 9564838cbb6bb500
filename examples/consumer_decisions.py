"""Consumers that change one decision each (extension examples, docs/extending.md).

Every consumer decision has a per-agent method (override it for clarity) and an array form
(override it to keep the decision vectorised); the model runs whichever the most derived class
defines. Each class below overrides one decision:

* :class:`HonestReviewer` -- ``review``: rates honestly (no inflation) and always writes;
* :class:`PatientShopper` -- ``stockout_response``: waits and retries after every stock-out;
* :class:`InAppShopper` -- ``in_scene_probability``: buys in-scene whenever a post offers it;
* :class:`CashOnlyConsumer` -- ``borrows``: never buys on credit (per agent), and
  :class:`FastCashOnlyConsumer`, the same in array form;
* :class:`EagerRepayer` -- ``repayment``: pays all its income toward its debt;
* :class:`ContentedConsumer` -- ``buys_again``: one product a campaign is enough, whatever its
  self-restraint (no over-consumption where ``campaign_units > 1``).

Use ``SocialCommerceModel(consumer_class=HonestReviewer)`` or, from the repository root,
``consumer_class="examples.consumer_decisions:HonestReviewer"`` on the command line
(``--set``), in a scenario or sweep file, or in the app.
"""

from __future__ import annotations

import numpy as np

from socialabm import Consumer
from socialabm.rules import consumer as rules


class HonestReviewer(Consumer):
    """Always reviews, and posts the honest rating of its experience (no inflation)."""

    def review(self, honest: float, draw: float) -> int:
        """Stars for the honest quality on the model's scale (1 + 4 q, rounded)."""
        return int(rules.stars_from_quality(np.float64(honest)))


class PatientShopper(Consumer):
    """Meets every stock-out by delaying the purchase (code 2), never by giving up."""

    def stockout_response(self, draw: float) -> int:
        """Always ``delay`` (see :data:`socialabm.rules.consumer.STOCKOUT_RESPONSES`)."""
        return rules.STOCKOUT_RESPONSES.index("delay")


class InAppShopper(Consumer):
    """Buys in the chat whenever the social platform offers in-app ordering."""

    def in_scene_probability(self, retailer: int) -> float:
        """Always in-scene."""
        return 1.0


class CashOnlyConsumer(Consumer):
    """Never borrows: short of cash, it waits for its income."""

    def borrows(self, utility: float, price: float) -> bool:
        """Never on credit."""
        return False


class FastCashOnlyConsumer(CashOnlyConsumer):
    """:class:`CashOnlyConsumer` with the array form too, so the decision stays vectorised."""

    @classmethod
    def borrows_array(cls, model, idx, utility, price) -> np.ndarray:
        """Array form: nobody borrows."""
        return np.zeros(len(idx), dtype=bool)


class EagerRepayer(Consumer):
    """Puts its whole income toward its debt on every pay day."""

    def repayment(self, income: float) -> float:
        """All of it (the model caps the repayment at the debt)."""
        return income


class ContentedConsumer(Consumer):
    """Is sated by one product a campaign: never over-consumes."""

    def buys_again(self, utility: float, price: float) -> bool:
        """Never buys a second retailer's product in the same campaign."""
        return False
