"""Shared alliance traffic (docs/ODD.md 7.1, 7.19): members of an allied platform visit every
allied merchant's platform (its ads and reviews reach them), and a platform counts that traffic
in the alliance's value only while it is shared."""

import networkx as nx
import numpy as np
import pytest
from socialabm.agents import Alliance
from socialabm.scenarios import load_scenario

from socialabm import SocialCommerceModel
from socialabm.market.alliances import expected_income
from socialabm.market.browsing import allied_audience, set_browsing

SELF_RUN, TRADING_3P, SOCIAL_3P, SELF_BUILT = range(4)
GIANT, SOCIAL, SE_1, SE_2, SE_3 = range(5)


def ally(model: SocialCommerceModel, *platforms: int) -> None:
    members = [model.platforms[k] for k in platforms]
    alliance = Alliance(members=members, formed_day=0)
    model.alliances.append(alliance)
    for platform in members:
        platform.alliance = alliance


def small_market(**params) -> SocialCommerceModel:
    """Four unconnected consumers: 0 in se_1 only, 1 in se_2 only, 2 in se_3 only, 3 in none."""
    model = SocialCommerceModel(network=nx.empty_graph(4), rng=0, **params)
    model.membership[:, SE_1:] = False
    model.membership[0, SE_1] = model.membership[1, SE_2] = model.membership[2, SE_3] = True
    return model


@pytest.mark.parametrize("traffic", [True, False])
def test_members_of_an_allied_platform_visit_every_allied_merchant_only_with_shared_traffic(
    traffic,
):
    model = small_market(alliance_traffic=traffic)
    ally(model, SE_1, SE_2)
    feed = np.array([True, True, True, True])
    set_browsing(model.market, feed, np.zeros(4, dtype=bool))
    visits = model.market.visits
    assert visits[:, SOCIAL_3P].tolist() == [True, traffic, False, False]  # hosted on se_1
    assert visits[:, SELF_BUILT].tolist() == [traffic, True, False, False]  # hosted on se_2
    assert not visits[:, [SELF_RUN, TRADING_3P]].any()  # nobody visits the giant today


def test_shared_traffic_needs_the_feed_and_an_alliance():
    model = small_market()
    set_browsing(model.market, np.ones(4, dtype=bool), np.zeros(4, dtype=bool))
    assert model.market.visits[:, SOCIAL_3P].tolist() == [True, False, False, False]  # no alliance
    ally(model, SE_1, SE_2)
    set_browsing(model.market, np.array([True, False, True, True]), np.zeros(4, dtype=bool))
    assert model.market.visits[:, SOCIAL_3P].tolist() == [True, False, False, False]  # 1 offline


def test_the_allied_audience_excludes_own_members_and_unallied_platforms():
    model = small_market()
    model.membership[0, SE_2] = True  # consumer 0 is a member of both allied platforms
    ally(model, SE_1, SE_2)
    audience = allied_audience(model, model.membership)
    assert audience[:, SE_1].tolist() == [False, True, False, False]
    assert audience[:, SE_2].tolist() == [False, False, False, False]
    assert not audience[:, [GIANT, SOCIAL, SE_3]].any()


def test_the_alliance_value_counts_shared_shoppers_only_with_shared_traffic():
    params = {**load_scenario("platform_alliance").parameters, "n_consumers": 300}
    model = SocialCommerceModel(**params, rng=1)
    for _ in range(9):
        model.step()
    se1, se2 = model.platforms[SE_1], model.platforms[SE_2]
    shared = {pl: expected_income(model, pl, [se1, se2]) for pl in (se1, se2)}
    model.p["alliance_traffic"] = False
    pooled_only = {pl: expected_income(model, pl, [se1, se2]) for pl in (se1, se2)}
    model.p["power_pooled"] = 0.0
    model.p["alliance_traffic"] = True
    traffic_only = {pl: expected_income(model, pl, [se1, se2]) for pl in (se1, se2)}
    coordination = params["coordination_cost"] * 2 * model.p["adapt_every"]
    for pl in (se1, se2):
        assert shared[pl] > pooled_only[pl] and traffic_only[pl] > -coordination
        # the two pathways add up: pooling fees + shared shoppers' commissions - coordination
        total = pooled_only[pl] + traffic_only[pl] + coordination
        assert shared[pl] == pytest.approx(total)
