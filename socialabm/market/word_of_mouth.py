"""Word of mouth: awareness and beliefs from the posts read today (docs/ODD.md 7.2, 7.3 posts).

**Awareness (7.2).** A *live post* is a consumer with ``post_of >= 0`` and
``post_until >= today``. A consumer who reads the feed today reads every live post of its
neighbours that reaches it: by default a post reaches every neighbour (strong and weak); the
poster's ``post_audience`` decision (7.6) may restrict it to strong or to weak ties. With
``n_w(i, r)`` and ``n_s(i, r)`` the live posts about r read from weak and strong neighbours,
after Goldenberg, Libai & Muller (2001) an unaware consumer becomes aware of r today with
probability (one Bernoulli draw per unaware consumer-product pair)::

    P(aware) = 1 - (1 - alpha_ir) * (1 - beta_weak)**n_w * (1 - beta_strong)**n_s
    alpha_ir = ad_reach if i visits r's host platform today (7.1), else 0

**Beliefs from posts (7.3).** For every consumer and product, with ``S_ir = sum_j s_ij`` over the
posts about r read today (``s_ij`` = tie strength) and ``Q_ir = sum_j s_ij * q_post_j``::

    w     = min(1, eta * S_ir)
    q_ir <- q_ir + w * (Q_ir / S_ir - q_ir)        (unchanged when S_ir = 0)

**Attribution.** A consumer made aware on a day it read posts about r is recorded as made aware by
one of those posters (``aware_from``; the strong-tie poster if there is one), which traces
adoption cascades (Goel, Watts & Goldstein 2012; :func:`socialabm.outputs.cascades`).

Only the consumer-product cells that can change are touched: cells with a post read today
(awareness by the full formula, belief update) and unaware cells reached by an ad only
(awareness with probability ``ad_reach``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from socialabm.arrays import flat_view
from socialabm.rules import consumer as rules

if TYPE_CHECKING:
    import scipy.sparse as sp

    from socialabm.market import Market


def spread(market: Market) -> None:
    """Posts read today make consumers aware (Goldenberg et al. formula) and move beliefs."""
    model, a, p = market.model, market.arrays, market.p
    n, n_r = model.network.n, len(model.retailers)
    posters = ((a["post_of"] >= 0) & (a["post_until"] >= model.day)).nonzero()[0]
    seen = np.zeros(n * n_r, dtype=bool)
    market.saw_post = seen.reshape(n, n_r)
    touched = np.zeros(0, dtype=np.int64)  # cells with at least one post read today
    if posters.size:  # (about half the days of a small model have no live post)
        audience = a["post_ties"][posters]  # each post reaches the ties its poster chose
        to_weak, to_strong = (
            posters[audience != rules.STRONG_TIES],
            posters[audience != rules.WEAK_TIES],
        )
        weak = _post_reads(model.network.weak, to_weak, a, market.reads_feed, n_r)
        strong = _post_reads(model.network.strong, to_strong, a, market.reads_feed, n_r)
        seen[weak[2]] = True
        seen[strong[2]] = True
        touched = seen.nonzero()[0]
    aware = flat_view(a["aware"])
    visits = ad_exposure(market)
    by_ad = np.zeros(0, dtype=np.int64)
    if visits is not None:  # unaware cells reached by the ad alone
        ad_only = np.greater(visits, aware)  # visits and not aware
        if touched.size:
            ad_only[touched] = False
        by_ad = ad_only.nonzero()[0]
    if touched.size == 0:  # no post read today: the ads alone
        aware[by_ad[model.rng.random(by_ad.size) < p["ad_reach"]]] = True
        return
    slot = market.scratch.cells()  # position in ``touched`` of each touched cell (others unset)
    slot[touched] = np.arange(touched.size)
    totals = {}
    # one poster read per cell (strong last; every touched cell is written: no fill needed)
    poster = np.empty(touched.size, dtype=np.int64)
    for name, (source, strength, key) in (("weak", weak), ("strong", strong)):
        pos = slot[key]
        poster[pos] = source
        totals[name] = np.bincount(pos, minlength=touched.size)
        totals[f"s_{name}"] = np.bincount(pos, weights=strength, minlength=touched.size)
        totals[f"q_{name}"] = np.bincount(
            pos, weights=strength * a["post_quality"][source], minlength=touched.size
        )

    alpha = p["ad_reach"] * visits[touched] if visits is not None else 0.0
    prob = rules.awareness_probability(
        alpha, totals["weak"], totals["strong"], p["beta_weak"], p["beta_strong"]
    )
    exposed = ~aware[touched]
    by_post = touched[exposed]  # unaware cells that read a post
    # one draw per cell, the post-reading cells first
    draws = model.rng.random(by_post.size + by_ad.size)
    became = draws[: by_post.size] < prob[exposed]
    aware[by_post[became]] = True
    aware[by_ad[draws[by_post.size :] < p["ad_reach"]]] = True
    flat_view(a["aware_from"])[by_post[became]] = poster[exposed][became]

    belief = flat_view(a["belief"])
    belief[touched] = rules.belief_from_posts(
        belief[touched],
        totals["s_weak"] + totals["s_strong"],
        totals["q_weak"] + totals["q_strong"],
        p["eta"],
    )


def ad_exposure(market: Market) -> np.ndarray | None:
    """Flat ``n * n_retailers`` bool: the cells an ad can reach today (the consumer visits the
    platform of the retailer), or ``None`` when ads are off (``ad_reach`` 0)."""
    return market.visits.ravel() if market.p["ad_reach"] > 0 else None


def _post_reads(
    matrix: sp.csr_matrix,
    posters: np.ndarray,
    a: dict[str, np.ndarray],
    reads_feed: np.ndarray,
    n_r: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Readers of today's posts along ``matrix`` ties.

    Returns, per (poster, reader) pair: the poster index, the tie strength and the flat key
    ``reader * n_r + retailer`` (for bincount), restricted to readers who read their feed today.
    """
    if posters.size == 0:  # no post to read along these ties today
        return posters, np.zeros(0), posters
    indptr = matrix.indptr
    starts = indptr[posters]
    lengths = indptr[posters + 1] - starts
    # (array methods, not np.repeat / np.cumsum: their Python-level wrappers cost more than the
    # work on a small model's few posts)
    offsets = (starts - lengths.cumsum() + lengths).repeat(lengths)
    offsets += np.arange(offsets.size)  # the posters' ties, row by row
    readers = matrix.indices[offsets]
    kept = reads_feed[readers].nonzero()[0]  # readers who read their feed today
    source = posters.repeat(lengths)[kept]  # the poster of each read
    strength = matrix.data[offsets[kept]].astype(float)
    product = a["post_of"][source]
    key = np.multiply(readers[kept], n_r, dtype=np.int64)  # (int64 before the product)
    key += product
    return source, strength, key
