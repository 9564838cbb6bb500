import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from socialabm.network import from_networkx, generate_weak_tie_network
from socialabm.parameters import ParameterError


@pytest.fixture
def net():
    return generate_weak_tie_network(2000, 8, 6.0, np.random.default_rng(3))


def test_generator_sizes_symmetry_and_strengths(net):
    assert net.n == 2000
    assert net.n_strong_ties == 250 * 28  # 250 cliques of 8
    assert abs(net.n_weak_ties - 2000 * 6 / 2) < 0.05 * 6000  # few dropped duplicates
    for m, (lo, hi) in ((net.strong, (0.6, 1.0)), (net.weak, (0.05, 0.3))):
        assert (m - m.T).nnz == 0
        assert m.data.min() >= lo and m.data.max() <= hi
        assert m.diagonal().sum() == 0
    assert sp.csr_matrix(net.strong.multiply(net.weak)).nnz == 0  # no tie is both
    assert 0.4 < net.weak_tie_share < 0.5


def test_weak_ties_are_the_bridges(net):
    n_strong_only, _ = connected_components(net.strong, directed=False)
    assert n_strong_only == 250  # removing all weak ties leaves the communities apart
    # removing as many strong ties at random leaves one giant component
    both = sp.triu(net.strong + net.weak, k=1).tocoo()
    is_strong = np.asarray(net.strong[both.row, both.col]).ravel() > 0
    rng = np.random.default_rng(0)
    drop = rng.choice(
        np.flatnonzero(is_strong), size=min(net.n_weak_ties, is_strong.sum()), replace=False
    )
    keep = np.ones(both.nnz, dtype=bool)
    keep[drop] = False
    rest = sp.coo_matrix((both.data[keep], (both.row[keep], both.col[keep])), shape=both.shape)
    _, labels = connected_components(rest, directed=False)
    assert np.bincount(labels).max() > 0.95 * net.n


def test_from_networkx_splits_by_threshold_and_rejects_bad_strength():
    g = nx.Graph()
    g.add_edge("a", "b", strength=0.9)
    g.add_edge("b", "c", strength=0.2)
    g.add_edge("c", "d")  # default strength 1.0
    net = from_networkx(g, weak_threshold=0.5)
    assert net.n == 4 and net.n_strong_ties == 2 and net.n_weak_ties == 1
    assert net.weak[1, 2] == pytest.approx(0.2)
    g.add_edge("d", "e", strength=1.5)
    with pytest.raises(ValueError, match="outside"):
        from_networkx(g)
    with pytest.raises(ValueError, match="self-loops"):
        from_networkx(nx.Graph([(0, 1), (1, 1)]))
    with pytest.raises(ValueError, match="directed"):
        from_networkx(nx.DiGraph([(0, 1)]))


def test_sample_is_connected_and_bounded(net):
    nodes = net.sample_nodes(200, rng_seed=1)
    assert len(nodes) == 200
    view = net.to_networkx(nodes)
    assert nx.is_connected(view)
    weak_flags = {d["weak"] for _, _, d in view.edges(data=True)}
    assert weak_flags == {True, False}


@pytest.mark.parametrize(
    ("n", "community_size", "weak_ties"),
    [(300, 8, 0.0), (300, 400, 6.0), (10, 10, 200.0)],
    ids=["no_weak_ties", "one_community", "every_pair_inside"],
)
def test_generator_without_weak_pairs_gives_strong_ties_only(n, community_size, weak_ties):
    net = generate_weak_tie_network(n, community_size, weak_ties, np.random.default_rng(1))
    assert net.n_weak_ties == 0
    size = min(community_size, n)
    assert (
        net.n_strong_ties == (n // size) * size * (size - 1) // 2 + (n % size) * (n % size - 1) // 2
    )
    assert net.weak_tie_share == 0.0


@pytest.mark.parametrize("extra", [{"weak_ties": 0.0}, {"community_size": 400}])
def test_model_runs_without_weak_ties(extra):
    from socialabm import SocialCommerceModel

    model = SocialCommerceModel(n_consumers=300, campaign_days=20, n_campaigns=1, **extra, rng=2)
    for _ in range(model.horizon):
        model.step()
    assert model.network.n_weak_ties == 0
    assert model.summary()["days"] == 20


# -- weak-tie reach: as many ties, as strong, only nearby (issue 18 §3) --------------------------


@pytest.mark.parametrize("n", [300, 2000])
def test_weak_ties_keep_their_number_and_strength_at_any_reach(n):
    full = generate_weak_tie_network(n, 8, 6.0, np.random.default_rng(7), 1.0)
    for reach in (0.05, 0.1, 0.3, 0.9):
        net = generate_weak_tie_network(n, 8, 6.0, np.random.default_rng(7), reach)
        assert net.n_weak_ties == full.n_weak_ties > 0.95 * n * 6.0 / 2
        assert (net.strong != full.strong).nnz == 0  # strong ties untouched
        strength = net.weak.data
        assert strength.min() >= 0.05 and strength.max() <= 0.3
        sd = 0.25 / np.sqrt(12 * net.n_weak_ties)  # of the mean of U(0.05, 0.3) strengths
        assert abs(strength.mean() - 0.175) < 5 * sd
        # every weak tie joins two communities within h positions (cyclically)
        h = max(1, round(reach * n / 2))
        tie = sp.triu(net.weak, k=1).tocoo()
        gap = np.abs(tie.row - tie.col)
        assert (np.minimum(gap, n - gap) <= h).all()
        assert (net.community[tie.row] != net.community[tie.col]).all()


def test_a_reach_too_small_for_the_weak_ties_is_one_clear_error():
    with pytest.raises(ParameterError, match=r"'weak_tie_reach' = 0.02 .* weak_tie_reach >= 0.04"):
        generate_weak_tie_network(300, 8, 6.0, np.random.default_rng(0), 0.02)
