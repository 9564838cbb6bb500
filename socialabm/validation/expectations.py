"""Independent expectations for the validation suite (docs/validation.md).

Closed forms, quadrature and simulations of the exact stochastic processes that the model's parts
are checked against. Nothing here imports model code: each expectation is computed from the
mathematics of its source, so a check that compares the model with it is not comparing the
implementation with itself.

* Bass diffusion: :func:`bass_recursion` (the discrete Bass recursion) and
  :func:`bass_exact_curves` (the exact stochastic process it is the expectation of, simulated
  with binomial draws), with :func:`max_standardized_deviation` as the distance between curves;
  the continuous closed forms :func:`bass_continuous`, :func:`bass_peak_time` and
  :func:`bass_peak_share`, and :func:`crossing_time` (when a curve first reaches a level).
* Sampling of shares: :func:`multinomial_mean_sd` and :func:`multinomial_counts` (counts from
  groups of multinomial trials, each group with its own probabilities).
* Word of mouth after Goldenberg, Libai & Muller (2001): :func:`glm_takeoff_times`, their
  cellular automaton with random weak-tie meetings, simulated without a network.
* Percolation: :func:`mean_degree_for_giant` (giant component of a Poisson random graph),
  :func:`ties_removed_at_collapse` (bisection on any edge list) and
  :func:`random_graph_collapse` (the collapse point of a random multigraph, simulated).
* Newsvendor: :func:`newsvendor_expected_profit` by quadrature over normal demand and its
  maximiser :func:`newsvendor_optimum`.
* Nash bargaining: :func:`nash_product_maximiser`, the generalized Nash product maximised
  numerically.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy import integrate, optimize
from scipy.sparse.csgraph import connected_components


# -- Bass (1969) -------------------------------------------------------------------------------
def bass_hazard(aware: np.ndarray | float, market: int, p: float, q: float) -> np.ndarray:
    """Daily probability that an unaware member of a market of ``market`` becomes aware.

    ``1 - (1 - p) * (1 - q / market) ** aware``: external influence ``p`` and an independent
    chance ``q / market`` from each aware member. To first order in ``p`` and ``q`` this is Bass's
    hazard ``p + q * aware / market``; it is the exact hazard of independent exposures, the form
    the Bass model takes in discrete time with individual contacts (Goldenberg et al. 2001).
    """
    return 1.0 - (1.0 - p) * (1.0 - q / market) ** np.asarray(aware, dtype=float)


def bass_recursion(market: int, p: float, q: float, days: int, linear: bool = False) -> np.ndarray:
    """The discrete Bass recursion: expected share aware on days ``0..days`` (starting at 0).

    ``Y_{t+1} = Y_t + h(Y_t) * (market - Y_t)`` with ``h`` = :func:`bass_hazard`, or Bass's own
    linear hazard ``p + q Y_t / market`` when ``linear``.

    Args:
        market: Market size (members).
        p: Coefficient of external influence per day, in [0, 1).
        q: Coefficient of internal influence per day (``q / market`` per aware member).
        days: Days to run (>= 0).
        linear: Use Bass's linear hazard instead of the exact hazard of independent exposures.
    """
    y, out = 0.0, [0.0]
    for _ in range(days):
        h = p + q * y / market if linear else float(bass_hazard(y, market, p, q))
        y += h * (market - y)
        out.append(y / market)
    return np.array(out)


def bass_exact_curves(
    market: int, p: float, q: float, days: int, runs: int, replicates: int, rng: np.random.Generator
) -> np.ndarray:
    """Share aware, averaged over ``runs`` independent markets, of the exact process.

    Each day every unaware member becomes aware independently with probability
    :func:`bass_hazard`, so the day's new members are one binomial draw per market.

    Returns:
        Array ``(replicates, days + 1)``: each row is the mean curve of ``runs`` markets.
    """
    aware = np.zeros((replicates, runs), dtype=np.int64)
    out = np.zeros((replicates, days + 1))
    for t in range(days):
        aware += rng.binomial(market - aware, bass_hazard(aware, market, p, q))
        out[:, t + 1] = aware.mean(axis=1) / market
    return out


def bass_continuous(t: np.ndarray | float, p: float, q: float) -> np.ndarray:
    """Share adopted at time ``t`` in the continuous Bass (1969) model (closed form).

    ``F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t))``, the solution of
    ``dF/dt = (p + q F)(1 - F)``, ``F(0) = 0``; ``p > 0``.
    """
    e = np.exp(-(p + q) * np.asarray(t, dtype=float))
    return (1.0 - e) / (1.0 + (q / p) * e)


def bass_peak_time(p: float, q: float) -> float:
    """Time of peak adoption in the continuous Bass model, ``t* = ln(q / p) / (p + q)``.

    The adoption rate ``dF/dt`` is largest there when ``q > p > 0`` (else at ``t = 0``: 0).
    """
    return math.log(q / p) / (p + q) if q > p > 0 else 0.0


def bass_peak_share(p: float, q: float) -> float:
    """Share adopted at the peak of adoption, ``F(t*) = (q - p) / (2 q)`` (0 when ``q <= p``).

    The rate ``(p + q F)(1 - F)`` is a parabola in ``F`` with its top there, so in any model
    whose rate is Bass's function of ``F`` the peak comes when ``F`` crosses this share.
    """
    return (q - p) / (2.0 * q) if q > p > 0 else 0.0


def crossing_time(curves: np.ndarray, level: float) -> np.ndarray | float:
    """When curves sampled on days ``0, 1, ...`` (last axis) first reach ``level``.

    Linear interpolation between the last day below and the first day at or above ``level``;
    0 when the curve starts at or above it, NaN when it never reaches it.
    """
    curves = np.asarray(curves, dtype=float)
    flat = curves.reshape(-1, curves.shape[-1])
    above = flat >= level
    first = np.argmax(above, axis=1)
    rows = np.arange(flat.shape[0])
    before = flat[rows, np.maximum(first - 1, 0)]
    at = flat[rows, first]
    step = np.where(first > 0, (level - before) / np.where(at > before, at - before, 1.0), 1.0)
    out = np.where(above.any(axis=1), first - 1 + step, np.nan)
    return float(out[0]) if curves.ndim == 1 else out.reshape(curves.shape[:-1])


def max_standardized_deviation(
    curves: np.ndarray, reference: np.ndarray, sd: np.ndarray
) -> np.ndarray | float:
    """``max_t |curve_t - reference_t| / sd_t`` over the days with ``sd_t > 0`` (last axis)."""
    keep = sd > 0
    return np.max(np.abs(curves - reference)[..., keep] / sd[keep], axis=-1)


# -- sampling of shares ------------------------------------------------------------------------
def multinomial_mean_sd(trials: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of the category counts summed over groups of trials.

    Args:
        trials: Trials in each group, shape ``(g,)``.
        probs: Category probabilities of each group, shape ``(g, k)``, rows summing to 1.

    Returns:
        ``(mean, sd)``, each of shape ``(k,)``: ``sum_g n_g p_gk`` and
        ``sqrt(sum_g n_g p_gk (1 - p_gk))`` (groups are independent multinomials).
    """
    n = np.asarray(trials, dtype=float)[:, None]
    probs = np.asarray(probs, dtype=float)
    return (n * probs).sum(axis=0), np.sqrt((n * probs * (1.0 - probs)).sum(axis=0))


def multinomial_counts(
    trials: np.ndarray, probs: np.ndarray, replicates: int, rng: np.random.Generator
) -> np.ndarray:
    """Category counts summed over independent multinomial groups, simulated.

    Args:
        trials: Trials in each group, shape ``(g,)``.
        probs: Category probabilities of each group, shape ``(g, k)``.
        replicates: Simulated samples.
        rng: Random generator.

    Returns:
        Array ``(replicates, k)`` of counts.
    """
    probs = np.asarray(probs, dtype=float)
    out = np.zeros((replicates, probs.shape[1]), dtype=np.int64)
    for n, pr in zip(np.asarray(trials, dtype=np.int64), probs, strict=True):
        out += rng.multinomial(n, pr, size=replicates)
    return out


# -- Goldenberg, Libai & Muller (2001) ---------------------------------------------------------
def glm_takeoff_times(
    n: int,
    strong_ties: int,
    weak_ties: int,
    alpha: float,
    beta_w: float,
    beta_s: float,
    replicates: int,
    rng: np.random.Generator,
    target: float = 0.16,
    max_days: int = 500,
) -> np.ndarray:
    """Days until ``target`` of the market is aware in GLM's cellular automaton.

    The market is split into personal networks of ``strong_ties + 1`` members (the remainder is
    dropped). Each day every unaware member hears from the aware members of its own network
    (strong ties) and meets ``weak_ties`` members of other networks at random (weak ties, drawn
    afresh each day, with replacement), and becomes aware with probability
    ``1 - (1 - alpha)(1 - beta_w)^k_w (1 - beta_s)^k_s``.

    Returns:
        Take-off day of each replicate (``max_days`` when not reached).
    """
    size = strong_ties + 1
    groups = n // size
    others = groups * size - size
    aware = np.zeros((replicates, groups, size), dtype=bool)
    takeoff = np.full(replicates, max_days)
    for day in range(max_days):
        total = aware.sum(axis=(1, 2))
        takeoff[(total >= target * groups * size) & (takeoff == max_days)] = day
        if (takeoff < max_days).all():
            break
        in_group = aware.sum(axis=2, keepdims=True)
        k_s = in_group - aware
        outside = (total[:, None, None] - in_group) / others
        k_w = rng.binomial(weak_ties, np.broadcast_to(outside, aware.shape))
        h = 1.0 - (1.0 - alpha) * (1.0 - beta_w) ** k_w * (1.0 - beta_s) ** k_s
        aware |= rng.random(aware.shape) < h
    return takeoff


# -- percolation -------------------------------------------------------------------------------
def mean_degree_for_giant(share: float) -> float:
    """Mean degree at which a Poisson random graph's giant component holds ``share`` of nodes.

    From the giant-component equation ``S = 1 - exp(-c S)`` (Erdos & Renyi 1960; Molloy & Reed
    1995 for any degree sequence): ``c = -ln(1 - S) / S``; ``2 ln 2 = 1.386`` at ``S = 0.5``.
    The giant vanishes at ``c = 1`` (the limit ``S -> 0``).
    """
    if not 0.0 < share < 1.0:
        raise ValueError(f"share {share!r}: allowed: 0 < share < 1")
    return -math.log1p(-share) / share


def ties_removed_at_collapse(
    n: int,
    row: np.ndarray,
    col: np.ndarray,
    order: np.ndarray,
    threshold: float = 0.5,
    weight: np.ndarray | None = None,
) -> int:
    """Ties removed (in ``order``) when the giant component first falls below ``threshold``.

    Bisection: the giant only shrinks as ties go.

    Args:
        n: Number of nodes.
        row: First end of each tie.
        col: Second end of each tie.
        order: Removal order (indices into ``row``/``col``).
        threshold: Share of the total node weight the giant must keep, in (0, 1].
        weight: Weight of each node (members of a contracted group; default 1 each).

    Returns:
        The number of ties removed (0 if the giant is below ``threshold`` from the start,
        ``len(order)`` if it falls below only with the last tie or never does).
    """
    weight = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    total = weight.sum()

    def giant_after(removed: int) -> float:
        keep = order[removed:]
        graph = sp.csr_matrix((np.ones(keep.size), (row[keep], col[keep])), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        return np.bincount(labels, weights=weight).max() / total

    if giant_after(0) < threshold:
        return 0
    lo, hi = 0, len(order)  # giant >= threshold after removing lo ties, < after hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if giant_after(mid) >= threshold:
            lo = mid
        else:
            hi = mid
    return hi


def random_graph_collapse(
    sizes: np.ndarray,
    ties: int,
    replicates: int,
    rng: np.random.Generator,
    threshold: float = 0.5,
) -> np.ndarray:
    """Ties removed at collapse in random multigraphs, simulated (``replicates`` graphs).

    Each graph joins groups of ``sizes`` members by ``ties`` ties whose ends are members drawn
    uniformly at random from two different groups; ties are removed in random order until the
    giant component holds less than ``threshold`` of all members (:func:`ties_removed_at_collapse`).
    With groups of one member this is a random graph on members.

    Returns:
        Ties removed at collapse, one per replicate.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    group_of = np.repeat(np.arange(sizes.size), sizes)
    out = np.empty(replicates, dtype=np.int64)
    for k in range(replicates):
        a = group_of[rng.integers(0, group_of.size, size=3 * ties)]
        b = group_of[rng.integers(0, group_of.size, size=3 * ties)]
        keep = np.flatnonzero(a != b)[:ties]
        out[k] = ties_removed_at_collapse(
            sizes.size, a[keep], b[keep], rng.permutation(keep.size), threshold, sizes
        )
    return out


# -- newsvendor --------------------------------------------------------------------------------
def newsvendor_expected_profit(
    units: float, mean: float, sd: float, price: float, wholesale: float, salvage: float
) -> float:
    """Expected profit of ordering ``units`` against demand ``D = max(X, 0)``, ``X ~ N(mean, sd)``.

    ``E[price * min(D, units) + salvage * (units - D)^+] - wholesale * units``, written as
    ``(price - wholesale) * units - (price - salvage) * E[(units - D)^+]`` (``min(D, u) = u -
    (u - D)^+``) so that the quadrature (adaptive, over the normal density) only integrates the
    small expected leftover and the profit is accurate to about 1e-10 CU. ``sd = 0``: demand is
    ``max(mean, 0)`` for sure.
    """
    if sd <= 0:
        leftover = max(units - max(mean, 0.0), 0.0)
    elif units <= 0:
        leftover = 0.0
    else:
        scale = 1.0 / (sd * math.sqrt(2.0 * math.pi))

        def integrand(x: float) -> float:
            return (units - max(x, 0.0)) * scale * math.exp(-0.5 * ((x - mean) / sd) ** 2)

        lo = min(mean - 12.0 * sd, units)
        points = [0.0] if lo < 0.0 < units else None
        leftover, _ = integrate.quad(
            integrand, lo, units, points=points, limit=200, epsabs=1e-13, epsrel=1e-13
        )
    return (price - wholesale) * units - (price - salvage) * leftover


def newsvendor_optimum(
    mean: float, sd: float, price: float, wholesale: float, salvage: float
) -> float:
    """Units maximising :func:`newsvendor_expected_profit` (bounded scalar search, >= 0)."""
    top = max(mean, 0.0) + 12.0 * max(sd, 0.0) + 1.0
    best = optimize.minimize_scalar(
        lambda u: -newsvendor_expected_profit(u, mean, sd, price, wholesale, salvage),
        bounds=(0.0, top),
        method="bounded",
        options={"xatol": 1e-7},
    )
    return float(best.x)


# -- Nash bargaining ---------------------------------------------------------------------------
def nash_product_maximiser(cost: float, top: float, beta: float) -> float:
    """Wholesale price ``w`` maximising ``(w - cost)^(1 - beta) * (top - w)^beta`` numerically.

    The supplier gains ``w - cost``, the buyer ``top - w`` (``top`` = cost plus the margin on the
    table); ``beta`` is the buyer's bargaining power in (0, 1). Returns ``cost`` when
    ``top <= cost`` (nothing to share).
    """
    span = top - cost
    if span <= 0:
        return cost

    def neg_log_product(w: float) -> float:
        return -((1.0 - beta) * math.log(w - cost) + beta * math.log(top - w))

    best = optimize.minimize_scalar(
        neg_log_product,
        bounds=(cost + 1e-12 * span, top - 1e-12 * span),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return float(best.x)
