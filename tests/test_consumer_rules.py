import networkx as nx
import numpy as np
import pytest

from socialabm import SocialCommerceModel
from socialabm.market import word_of_mouth
from socialabm.market.browsing import set_browsing
from socialabm.rules import consumer as rules


def test_awareness_formula_closed_form():
    p = rules.awareness_probability(np.array([0.1]), np.array([2]), np.array([1]), 0.2, 0.5)
    assert p[0] == pytest.approx(1 - 0.9 * 0.8**2 * 0.5)
    assert (
        rules.awareness_probability(np.array([0.0]), np.array([0]), np.array([0]), 0.3, 0.3)[0] == 0
    )


def _star_graph_model():
    """Consumer 0 has two weak (1, 2) and one strong (3) neighbour; 4 is isolated from 0."""
    g = nx.Graph()
    g.add_edge(0, 1, strength=0.2)
    g.add_edge(0, 2, strength=0.2)
    g.add_edge(0, 3, strength=0.9)
    g.add_edge(3, 4, strength=0.9)
    params = dict(
        beta_weak=0.3,
        beta_strong=0.6,
        ad_reach=0.0,
        share_well_informed=0.0,
        fan_share=0.0,
        social_use_mean=1.0,
        trading_use_mean=0.0,
    )
    return SocialCommerceModel(network=g, rng=0, **params)


def test_word_of_mouth_on_hand_built_graph_matches_closed_form():
    model = _star_graph_model()
    a = model.consumers.arrays
    a["aware"][:] = False
    a["post_of"][[1, 2, 3]] = 0  # neighbours 1, 2 (weak) and 3 (strong) post about retailer 0
    a["post_until"][[1, 2, 3]] = 10
    a["post_quality"][[1, 2, 3]] = 0.9
    market = model.market
    set_browsing(market, np.ones(5, dtype=bool), np.zeros(5, dtype=bool))
    trials, hits = 4000, 0
    for _ in range(trials):
        a["aware"][:] = False
        word_of_mouth.spread(market)
        hits += a["aware"][0, 0]
    expected = 1 - (1 - 0.3) ** 2 * (1 - 0.6)
    assert hits / trials == pytest.approx(expected, abs=0.025)
    assert not a["aware"][0, 1:].any()  # posts were about retailer 0 only
    # consumer 4 reads one strong post (from 3)
    assert market.saw_post[4, 0] and not market.saw_post[4, 1]


def test_belief_from_posts_is_weighted_and_never_overshoots():
    belief = np.array([0.2, 0.2])
    out = rules.belief_from_posts(belief, np.array([0.5, 10.0]), np.array([0.4, 8.0]), eta=0.5)
    assert out[0] == pytest.approx(0.2 + 0.25 * (0.8 - 0.2))
    assert out[1] == pytest.approx(0.8)  # weight capped at 1: lands on the mean


def test_vigilance_discounts_reviews():
    trusting = rules.belief_from_reviews(np.array([0.5]), 0.9, np.array([0.0]), 0.2, 0.5)
    vigilant = rules.belief_from_reviews(np.array([0.5]), 0.9, np.array([1.0]), 0.2, 0.5)
    assert trusting[0] == pytest.approx(0.7) and vigilant[0] == pytest.approx(0.6)


def test_sharing_grows_with_dignity_weak_ties_and_scarcity():
    base = dict(share_base=0.05, kappa_dignity=0.3, kappa_weak=0.8, kappa_scarcity=0.3)
    p = rules.share_probability(
        np.array([0.0, 1.0, 1.0, 1.0]), np.array([0, 0, 1, 1]), np.array([0, 0, 0, 1.0]), **base
    )
    assert np.all(np.diff(p) > 0)
    assert p[0] == pytest.approx(0.05)
    assert rules.share_probability(np.array([1.0]), np.array([1.0]), 10.0, **base)[0] == 1.0


def test_review_probability_is_quadratic_in_extremity_of_the_honest_rating():
    prob = rules.review_probability(np.array([0.5, 0.75, 1.0, 0.0]), 0.1, 0.8)
    assert prob.tolist() == pytest.approx([0.1, 0.1 + 0.8 * 0.25, 0.9, 0.9])


def test_stars_map_quality_on_one_scale_and_inflation_raises_praise_only():
    assert rules.stars_from_quality(np.array([0.0, 0.25, 0.5, 0.74, 1.0])).tolist() == [
        1,
        2,
        3,
        4,
        5,
    ]
    claimed = rules.inflated_quality(np.array([0.2, 0.5, 0.9]), np.array([1.0, 1.0, 1.0]))
    assert claimed.tolist() == pytest.approx([0.2, 0.75, 1.0])  # complaints are not inflated
    honest = rules.honest_quality(np.array([0.6, 0.6]), np.array([0.4, 0.8]), 0.5)
    assert honest.tolist() == pytest.approx([0.7, 0.5])


def test_failed_units_are_one_star_experiences():
    q = rules.experienced_quality(
        0.7, np.array([0.1, -0.9, 0.0]), np.array([False, False, True]), np.array([0.0, 0.0, 0.5])
    )
    assert q.tolist() == pytest.approx([0.8, 0.0, 0.5 * rules.FAILURE_QUALITY])
    assert rules.stars_from_quality(q[2:]).tolist() == [1]


def test_impulse_scales_with_price_and_credit_hurdle_with_restraint():
    restraint = np.array([1.0, 0.0])
    u = rules.offer_utility(np.array([60.0, 60.0]), np.array([80.0, 80.0]), restraint, 0.3)
    assert u.tolist() == pytest.approx([-20.0, 60.0 - 80.0 * 0.7])
    assert rules.clears_restraint_hurdle(
        np.array([5.0, 5.0]), np.array([50.0, 50.0]), np.array([0.2, 0.05]), 1.0
    ).tolist() == [False, True]


def test_stockout_responses_follow_the_cumulated_shares():
    draw = np.array([0.0, 0.31, 0.33, 0.69, 0.71, 0.88, 0.9, 0.999])
    codes = rules.stockout_response(draw, 0.32, 0.38, 0.19)
    assert codes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]


def test_in_scene_logit():
    assert rules.in_scene_probability(1.0, 2.0, 1.0, 2.0) == pytest.approx(0.5)
    assert rules.in_scene_probability(5.0, 2.0, 1.0, 2.0) == pytest.approx(1 / (1 + np.exp(-2)))


def test_the_self_restraint_step_may_write_over_the_restraint():
    """``out=restraint`` (as the restraint phase updates in place) gives the same bits."""
    rng = np.random.default_rng(5)
    restraint, initial = rng.random(200), rng.random(200)
    exposure, shared = rng.random(200), rng.random(200) < 0.2
    args = (initial, exposure, shared, 0.05, 0.02, 0.1)
    want = rules.self_restraint_step(restraint, *args)
    got = rules.self_restraint_step(restraint, *args, out=restraint)
    assert got is restraint
    assert got.tobytes() == want.tobytes()
