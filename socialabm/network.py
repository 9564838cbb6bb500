"""The weak-tie social network (docs/ODD.md §2, §5) as sparse adjacency.

Consumers fall into communities linked by strong ties (tie strength ~ U(0.6, 1.0)); each consumer
also has on average ``weak_ties`` weak ties to random consumers anywhere (strength ~ U(0.05, 0.3)).
The graph is generated with numpy alone and held as two symmetric scipy CSR matrices, ``strong``
and ``weak``, whose values are tie strengths. networkx is used only to import a user's graph and to
export a small view for drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from socialabm.parameters import ParameterError

STRONG_STRENGTH = (0.6, 1.0)
"""Range of the uniform tie strength of strong ties (within a community)."""
WEAK_STRENGTH = (0.05, 0.3)
"""Range of the uniform tie strength of weak ties (to random others)."""


@dataclass
class SocialNetwork:
    """Symmetric sparse adjacency split into strong and weak ties.

    Attributes:
        strong: CSR matrix (n x n, float32) of strong-tie strengths in (0, 1].
        weak: CSR matrix (n x n, float32) of weak-tie strengths in (0, 1].
        community: Community id of each consumer (int32), or -1 when unknown.
    """

    strong: sp.csr_matrix
    weak: sp.csr_matrix
    community: np.ndarray = field(repr=False)

    @property
    def n(self) -> int:
        """Number of consumers (nodes)."""
        return self.strong.shape[0]

    @property
    def n_strong_ties(self) -> int:
        """Number of undirected strong ties."""
        return self.strong.nnz // 2

    @property
    def n_weak_ties(self) -> int:
        """Number of undirected weak ties."""
        return self.weak.nnz // 2

    @property
    def weak_tie_share(self) -> float:
        """Fraction of all ties that are weak."""
        total = self.n_strong_ties + self.n_weak_ties
        return self.n_weak_ties / total if total else 0.0

    def degrees(self) -> tuple[np.ndarray, np.ndarray]:
        """Strong and weak degree of every consumer (two int arrays)."""
        return np.diff(self.strong.indptr), np.diff(self.weak.indptr)

    def weak_share(self) -> np.ndarray:
        """Per consumer, the share of its ties that are weak (0 for isolated consumers)."""
        ds, dw = self.degrees()
        total = ds + dw
        return np.divide(dw, total, out=np.zeros(self.n), where=total > 0)

    def sample_nodes(self, max_nodes: int, rng_seed: int | None = 0) -> np.ndarray:
        """A connected neighbourhood of at most ``max_nodes`` consumers, by breadth-first search.

        Starts at a random consumer and adds whole neighbourhoods ring by ring, so the sample
        shows communities and the weak ties that bridge them. Cost: O(sample edges).
        """
        rng = np.random.default_rng(rng_seed)
        if self.n <= max_nodes:
            return np.arange(self.n)
        both = (self.strong + self.weak).tocsr()
        chosen: list[int] = []
        seen = np.zeros(self.n, dtype=bool)
        frontier = [int(rng.integers(self.n))]
        seen[frontier[0]] = True
        while frontier and len(chosen) < max_nodes:
            chosen.extend(frontier[: max_nodes - len(chosen)])
            ring = []
            for node in frontier:
                for nb in both.indices[both.indptr[node] : both.indptr[node + 1]]:
                    if not seen[nb]:
                        seen[nb] = True
                        ring.append(int(nb))
            rng.shuffle(ring)
            frontier = ring
        return np.sort(np.asarray(chosen, dtype=np.int64))

    def to_networkx(self, nodes: np.ndarray | None = None) -> nx.Graph:
        """A networkx view of the subgraph induced by ``nodes`` (all when ``None``).

        Edges carry ``strength`` (float) and ``weak`` (bool). Meant for drawing and export of
        small views; do not call it on a million-node network.
        """
        nodes = np.arange(self.n) if nodes is None else np.asarray(nodes)
        graph = nx.Graph()
        graph.add_nodes_from(int(v) for v in nodes)
        for matrix, is_weak in ((self.strong, False), (self.weak, True)):
            sub = sp.triu(matrix[nodes][:, nodes], k=1).tocoo()
            graph.add_edges_from(
                (int(nodes[i]), int(nodes[j]), {"strength": float(s), "weak": is_weak})
                for i, j, s in zip(sub.row, sub.col, sub.data, strict=True)
            )
        return graph


def generate_weak_tie_network(
    n: int,
    community_size: int,
    weak_ties: float,
    rng: np.random.Generator,
    weak_tie_reach: float = 1.0,
) -> SocialNetwork:
    """Generate the default weak-tie network natively (no networkx).

    Args:
        n: Number of consumers (>= 1).
        community_size: Consumers per community; each community is a clique of strong ties
            (the last community may be smaller).
        weak_ties: Mean number of weak ties per consumer (>= 0); endpoints uniform at random,
            self-loops, duplicates and ties inside a community dropped.
        rng: Source of every random draw.
        weak_tie_reach: Share of the population, in (0, 1], a weak tie can reach: with 1 the
            second endpoint is anyone (ties bridge distant communities); below 1 it is a
            consumer of another community within ``h = max(1, round(reach * n / 2))`` positions,
            so weak ties stay among nearby communities. Below 1 the network has exactly as many
            weak ties as at reach 1 with the same seed (the reach-1 pairs are drawn and counted,
            then as many distinct local ties drawn), with the same strength distribution; the
            strong ties are the same. Reach 1 draws the network as it always has.

    Returns:
        The network; about ``n * weak_ties / 2`` weak and ``n * (community_size - 1) / 2``
        strong undirected ties. 1,000,000 consumers take about two seconds.

    Raises:
        ParameterError: ``weak_tie_reach`` below 1 leaves fewer distinct pairs within reach than
            the weak ties to draw (the message gives the smallest reach that holds them).
    """
    community = (np.arange(n) // community_size).astype(np.int32)
    # strong ties: all pairs inside each community, built offset by offset
    rows, cols = [], []
    position = np.arange(n) % community_size
    for offset in range(1, community_size):
        i = np.flatnonzero(position + offset < community_size)
        i = i[i + offset < n]
        rows.append(i)
        cols.append(i + offset)
    s_row = np.concatenate(rows) if rows else np.empty(0, np.int64)
    s_col = np.concatenate(cols) if cols else np.empty(0, np.int64)
    s_val = rng.uniform(*STRONG_STRENGTH, size=s_row.size).astype(np.float32)

    # weak ties: random pairs, deduplicated as undirected keys
    m = int(round(n * weak_ties / 2))
    keys = _pair_keys(rng.integers(0, n, size=m), rng.integers(0, n, size=m), community, n)
    if weak_tie_reach < 1.0:  # as many ties, each within reach
        h = max(1, int(round(weak_tie_reach * n / 2)))
        keys = _local_keys(keys.size, h, community, rng, f"'weak_ties' = {weak_ties:g}")
    w_row, w_col = keys // n, keys % n
    w_val = rng.uniform(*WEAK_STRENGTH, size=keys.size).astype(np.float32)
    return SocialNetwork(
        strong=_symmetric(s_row, s_col, s_val, n),
        weak=_symmetric(w_row, w_col, w_val, n),
        community=community,
    )


def _pair_keys(a: np.ndarray, b: np.ndarray, community: np.ndarray, n: int) -> np.ndarray:
    """Sorted unique undirected keys ``lo * n + hi`` of the pairs ``(a, b)`` whose ends lie in
    different communities (self-loops and ties inside a community dropped)."""
    keep = community[a] != community[b]
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    keys = np.sort(lo.astype(np.int64) * n + hi)
    return keys[np.concatenate((keys[:1] >= 0, keys[1:] != keys[:-1]))]  # unique, much faster


def _local_keys(
    k: int, h: int, community: np.ndarray, rng: np.random.Generator, asked: str
) -> np.ndarray:
    """``k`` distinct weak ties (sorted undirected keys), each joining a consumer ``a`` (uniform)
    to ``(a + d) mod n`` with ``d`` uniform on ``{-h, ..., -1, 1, ..., h}`` in another community,
    drawn in rounds until ``k`` distinct ones are found (the first found are kept).

    Raises:
        ParameterError: fewer than ``k`` such pairs exist (``weak_tie_reach`` too small for
            the weak ties ``asked`` of this population).
    """
    n = community.size
    capacity = _local_capacity(h, community)
    if capacity < k:
        smallest = next(
            (x for x in range(h + 1, n // 2 + 1) if _local_capacity(x, community) >= k), n // 2
        )
        raise ParameterError(
            f"parameter 'weak_tie_reach' = {2 * h / n:.4g} leaves {capacity} possible weak ties "
            f"within reach, fewer than the {k} to draw ({n} consumers, {asked}); allowed here: "
            f"weak_tie_reach >= {2 * smallest / n:.4g}, or fewer weak ties"
        )
    found = np.empty(0, np.int64)
    while found.size < k:
        size = max(2 * (k - found.size), 1024)
        a = rng.integers(0, n, size=size)
        d = rng.integers(-h, h, size=size)
        b = (a + d + (d >= 0)) % n  # d = 0 stands for h: never a self-loop
        keep = community[a] != community[b]
        lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
        found = np.concatenate((found, lo.astype(np.int64) * n + hi))
        _, first = np.unique(found, return_index=True)
        found = found[np.sort(first)]  # distinct, in the order found
    return np.sort(found[:k])


def _local_capacity(h: int, community: np.ndarray) -> int:
    """Distinct pairs of consumers in different communities at most ``h`` positions apart
    (cyclically) in a population of contiguous communities."""
    n, total = community.size, 0
    size = int(np.bincount(community).max())
    # at distance d >= size (and n >= 2 size) every pair is in two communities: n pairs each
    exact = h if n < 2 * size else min(h, size - 1)
    i = np.arange(n)
    for d in range(1, exact + 1):
        cross = int(np.count_nonzero(community != community[(i + d) % n]))
        total += cross // 2 if 2 * d == n else cross
    far = max(0, h - exact)
    return total + far * n - (n // 2 if far and 2 * h == n else 0)


def from_networkx(graph: nx.Graph, weak_threshold: float = 0.5) -> SocialNetwork:
    """Build the network from a user's undirected networkx graph.

    Nodes are relabelled 0..n-1 in ``graph.nodes`` order. Each edge's ``strength`` attribute
    (default 1.0, must lie in (0, 1]) is its tie strength; an edge is weak when its strength is
    below ``weak_threshold``.

    Raises:
        ValueError: a directed graph, a self-loop, or a strength outside (0, 1].
    """
    if graph.is_directed():
        raise ValueError("network: a directed graph was given; allowed: an undirected nx.Graph")
    if nx.number_of_selfloops(graph):
        raise ValueError("network: the graph has self-loops; allowed: none")
    index = {node: k for k, node in enumerate(graph.nodes)}
    n = len(index)
    edges = [
        (index[u], index[v], float(d.get("strength", 1.0))) for u, v, d in graph.edges(data=True)
    ]
    arr = np.array(edges, dtype=float).reshape(-1, 3)
    bad = (arr[:, 2] <= 0) | (arr[:, 2] > 1) | ~np.isfinite(arr[:, 2])
    if bad.any():
        raise ValueError(
            f"network: edge strength {arr[bad, 2][0]!r} is outside (0, 1]; "
            "allowed: 0 < strength <= 1"
        )
    weak = arr[:, 2] < weak_threshold
    row, col = arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64)
    val = arr[:, 2].astype(np.float32)
    return SocialNetwork(
        strong=_symmetric(row[~weak], col[~weak], val[~weak], n),
        weak=_symmetric(row[weak], col[weak], val[weak], n),
        community=np.full(n, -1, dtype=np.int32),
    )


def _symmetric(row: np.ndarray, col: np.ndarray, val: np.ndarray, n: int) -> sp.csr_matrix:
    r = np.concatenate([row, col])
    c = np.concatenate([col, row])
    v = np.concatenate([val, val])
    matrix = sp.csr_matrix((v, (r, c)), shape=(n, n), dtype=np.float32)
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix
