"""A consumer who shares only with its strong ties (extension example, docs/extending.md).

Who sees a post is the sharer's decision, ``Consumer.post_audience``: by default every neighbour
who reads the feed. :class:`StrongTiesSharer` shows its posts to its strong ties (its own
community) only, in both forms: the per-agent method (readable) and the array form (so the
decision stays vectorised; the model runs the form the most derived class defines). Its posts
never reach a weak tie, so word of mouth cannot cross from one community to another through
them.

Use ``SocialCommerceModel(consumer_class=StrongTiesSharer)`` or, from the repository root,
``consumer_class="examples.strong_ties_sharer:StrongTiesSharer"``.
"""

from __future__ import annotations

import numpy as np

from socialabm import Consumer
from socialabm.rules import consumer as rules


class StrongTiesSharer(Consumer):
    """Shows every post it shares to its strong ties only."""

    def post_audience(self, retailer: int) -> int:
        """Strong ties only (see :data:`socialabm.rules.consumer.POST_AUDIENCES`)."""
        return rules.STRONG_TIES

    @classmethod
    def post_audience_array(cls, model, idx, retailer) -> np.ndarray:
        """Array form: strong ties only, for every sharer."""
        return np.full(len(idx), rules.STRONG_TIES, dtype=np.int8)
