"""The weak-tie network against percolation theory: weak ties hold it together (Onnela et al.
2007)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from socialabm.network import SocialNetwork, generate_weak_tie_network
from socialabm.validation.expectations import (
    mean_degree_for_giant,
    random_graph_collapse,
    ties_removed_at_collapse,
)
from socialabm.validation.result import SOURCES, CheckResult, check_result, within


def giant_breakdown_fraction(
    network: SocialNetwork, weakest_first: bool, threshold: float = 0.5, seed: int = 0
) -> float:
    """Fraction of ties removed (in strength order) when the giant component first falls below
    ``threshold`` of all consumers
    (:func:`~socialabm.validation.expectations.ties_removed_at_collapse`)."""
    both = sp.triu(network.strong + network.weak, k=1).tocoo()
    rng = np.random.default_rng(seed)
    order = np.lexsort((rng.random(both.nnz), both.data))  # by strength, ties broken at random
    if not weakest_first:
        order = order[::-1]
    removed = ties_removed_at_collapse(network.n, both.row, both.col, order, threshold)
    return removed / both.nnz


def check_weak_tie_bridges(
    fast: bool = False, network: SocialNetwork | None = None, seed: int = 5
) -> CheckResult:
    """Collapse points of the default network against percolation theory (Onnela et al. 2007).

    Ties are removed weakest-first and strongest-first; the fractions removed when the giant
    component falls below half the consumers are compared with the values percolation theory
    gives for the network's structure, communities (cliques of strong ties) joined by random
    weak ties (``B`` ties between communities, ``S`` within, ``M = B + S``, ``K`` communities of
    ``N`` consumers). A Poisson random graph's giant holds half the nodes at mean degree
    ``c = 2 ln 2`` (:func:`~socialabm.validation.expectations.mean_degree_for_giant`):

    * weakest-first, the bridges go first while the cliques hold; communities joined by the ``r``
      remaining bridges form a random multigraph of mean degree ``2r/K``, so the collapse comes at
      ``(B - c K / 2) / M``;
    * strongest-first, the cliques go first; the bridges alone are a random graph on consumers
      of mean degree ``2B/N``, so the collapse comes at ``(S + B - c N / 2) / M``.

    The tolerance of each is the finite-size spread of these random-graph models, simulated with
    :func:`~socialabm.validation.expectations.random_graph_collapse` (no network code): the
    simulated mean's distance from the value plus 4 standard deviations. Onnela et al.'s claim (weak
    ties hold the network together, strong ties do not) is the gap between the two.

    Args:
        fast: 2,000 consumers instead of 10,000 (and fewer simulated graphs).
        network: Network to judge instead of the default one; communities must be its cliques.
        seed: Seed of the network, the tie order and the simulations.
    """
    if network is None:
        from socialabm.parameters import defaults

        d = defaults()
        n = 2000 if fast else 10000
        network = generate_weak_tie_network(
            n, d["community_size"], d["weak_ties"], np.random.default_rng(seed)
        )
    if network.community.min() < 0:
        raise ValueError(
            "weak_tie_bridges: the network has no communities (community -1); "
            "allowed: a network with community labels, as generate_weak_tie_network makes"
        )
    both = sp.triu(network.strong + network.weak, k=1).tocoo()
    sizes = np.bincount(network.community)
    bridges = int(np.count_nonzero(network.community[both.row] != network.community[both.col]))
    total, within_ties = both.nnz, both.nnz - bridges
    c = mean_degree_for_giant(0.5)
    rng = np.random.default_rng(seed)
    reps = 20 if fast else 40
    cases = {
        "weakest-first": (
            (bridges - c * sizes.size / 2) / total,
            random_graph_collapse(sizes, bridges, reps, rng) / total,
            giant_breakdown_fraction(network, weakest_first=True, seed=seed),
        ),
        "strongest-first": (
            (total - c * network.n / 2) / total,
            (within_ties + random_graph_collapse(np.ones(network.n), bridges, reps, rng)) / total,
            giant_breakdown_fraction(network, weakest_first=False, seed=seed),
        ),
    }
    tol = {k: abs(sim.mean() - theory) + 4 * sim.std() for k, (theory, sim, _) in cases.items()}
    theory_w, _, f_weak = cases["weakest-first"]
    theory_s, _, f_strong = cases["strongest-first"]
    return check_result(
        "weak_tie_bridges",
        f_weak,
        theory_w,
        tol["weakest-first"],
        "abs",
        SOURCES["onnela"] + "; " + SOURCES["percolation"],
        "fraction of ties removed weakest-first when the giant falls below 50%",
        f"strongest-first {f_strong:.4f} (theory {theory_s:.4f} +/- "
        f"{tol['strongest-first']:.2g}), {f_strong - f_weak:.3f} later than weakest-first; "
        f"{network.n} consumers, {sizes.size} communities, {bridges} of {total} ties between "
        f"communities; tolerances from {reps} simulated random graphs each",
        extra_ok=within(f_strong, theory_s, tol["strongest-first"], "abs"),
    )
