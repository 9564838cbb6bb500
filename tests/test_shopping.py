"""The shopping phase (socialabm.market.shopping, docs/ODD.md 7.4, 7.10, 7.13) on a small
hand-built market: a few unconnected consumers whose state is set by hand, so each test knows
exactly which offers reach whom, what each is worth and what must happen.

Unless a test says otherwise: every consumer reads the feed, visits no trading platform, is a
member of every platform, has 1,000 CU, valuation 100 and belief 0.5 in every product (willingness
to pay 50 CU), full self-restraint and no impulse gain (utility = 50 - price), and is aware of
nothing; every retailer asks 40 CU and has no stock; the selling window is open.
"""

import networkx as nx
import numpy as np
import pytest
from socialabm.agents import Alliance

from socialabm import SocialCommerceModel
from socialabm.market import ALLIANCE, IN_SCENE, JUMP, NOT_REACHED, POST_IN_SCENE, TRADING, shopping
from socialabm.rules.consumer import STOCKOUT_RESPONSES

SELF_RUN, TRADING_3P, SOCIAL_3P, SELF_BUILT = range(4)
"""Retailers: on the giant (two), on social e-commerce platforms se_1 and se_2."""
GIANT, SOCIAL, SE_1, SE_2, SE_3 = range(5)
"""Platforms."""
PRICE = 40.0


def hand_built(n: int = 4, **params) -> SocialCommerceModel:
    """A market of ``n`` consumers in the state of the module docstring."""
    defaults = {"impulse_gain": 0.0, "jump_friction": 0.0, "failure_rate": 0.0}
    model = SocialCommerceModel(network=nx.empty_graph(n), rng=0, **(defaults | params))
    market, a = model.market, model.market.arrays
    a["valuation"][:] = 100.0
    a["belief"][:] = 0.5
    a["self_restraint"][:] = 1.0
    a["cash"][:] = 1000.0
    a["debt"][:] = 0.0
    a["aware"][:] = False
    a["fan_of"][:] = -1
    a["loyalty"][:] = 0.0
    model.membership[:] = True
    market.reads_feed = np.ones(n, dtype=bool)
    market.visits_trading = np.zeros(n, dtype=bool)
    market.saw_post = np.zeros((n, 4), dtype=bool)
    market.window = "selling"
    for r in model.retailers:
        r.price = PRICE
        market.prices[r.index] = PRICE
    return model


def stock(model: SocialCommerceModel, retailer: int, units: int) -> None:
    model.retailers[retailer].units.produce(units)


def aware(model: SocialCommerceModel, consumers, retailers) -> None:
    model.market.arrays["aware"][np.ix_(np.atleast_1d(consumers), np.atleast_1d(retailers))] = True


# -- paths (reach) ---------------------------------------------------------------------------------


def test_each_offer_reaches_a_consumer_by_the_first_path_that_applies():
    model = hand_built(5, alliance_shopping=True)
    market = model.market
    market.visits_trading = np.array([True, False, False, False, False])
    market.reads_feed = np.array([False, True, True, True, False])
    model.membership[:, SE_1:] = False
    model.membership[1, SE_1] = True  # consumer 1: member of se_1 only
    model.membership[3, SE_2] = True  # consumer 3: member of se_2, allied with se_1
    market.saw_post[2, TRADING_3P] = market.saw_post[4, SOCIAL_3P] = True
    allied = [model.platforms[SE_1], model.platforms[SE_2]]
    alliance = Alliance(members=allied, formed_day=0)
    for platform in allied:
        platform.alliance = alliance
    path = shopping.reach(market, np.arange(5))
    no = NOT_REACHED
    expected = np.array(
        [
            [TRADING, TRADING, no, no],  # trading visitor: the giant's retailers
            [no, no, IN_SCENE, ALLIANCE],  # in se_1: its merchant in-scene, se_2's across
            [no, JUMP, no, no],  # a post about a giant retailer: a jump to it
            [no, no, ALLIANCE, IN_SCENE],  # in se_2, allied with se_1: across the alliance
            [no, no, no, no],  # reads nothing: a post it does not read reaches it not
        ]
    )
    np.testing.assert_array_equal(path, expected)


@pytest.mark.parametrize(("trust", "path"), [(1000.0, POST_IN_SCENE), (-1000.0, JUMP)])
def test_a_post_in_an_integrated_app_is_bought_in_scene_or_by_jump_by_the_logit(trust, path):
    model = hand_built(1, in_scene_trust=trust)
    model.membership[:, SE_1:] = False
    model.market.saw_post[0, TRADING_3P] = True
    assert shopping.reach(model.market, np.arange(1))[0, TRADING_3P] == JUMP  # not integrated
    model.platforms[SOCIAL].integrated = True
    assert shopping.reach(model.market, np.arange(1))[0, TRADING_3P] == path


# -- choice ----------------------------------------------------------------------------------------


def test_a_shopper_buys_the_best_offer_it_knows_of_with_positive_utility():
    model = hand_built(4)
    a = model.market.arrays
    for r in (SOCIAL_3P, SELF_BUILT):
        stock(model, r, 10)
    aware(model, [0, 1, 2], [SOCIAL_3P, SELF_BUILT])
    a["belief"][0, SELF_BUILT] = 0.6  # consumer 0: 60 - 40 beats 50 - 40
    a["belief"][1, :] = 0.3  # consumer 1: willingness to pay 30 < 40, nothing worth buying
    model.market.prices[SELF_BUILT] = 45.0
    model.retailers[SELF_BUILT].price = 45.0  # consumer 2: 50 - 40 beats 50 - 45
    shopping.shop(model.market)
    assert list(a["owns"]) == [SELF_BUILT, -1, SOCIAL_3P, -1]  # consumer 3 knows of nothing
    assert list(a["bought"]) == [True, False, True, False]
    np.testing.assert_allclose(a["cash"], [955.0, 1000.0, 960.0, 1000.0])
    assert model.market.today["sales_in_scene"] == 2


def test_a_jump_costs_the_scene_cost_and_may_be_abandoned():
    model = hand_built(2, scene_cost=3.0)
    a = model.market.arrays
    model.membership[:, SELF_BUILT + 1 :] = False  # members of se_1 only: se_2 unreached
    for r in (TRADING_3P, SOCIAL_3P):
        stock(model, r, 10)
    aware(model, [0, 1], [TRADING_3P, SOCIAL_3P])
    model.market.saw_post[:, TRADING_3P] = True
    a["belief"][:, TRADING_3P] = 0.52  # 52 - 40 - 3 (jump) < 50 - 40 (in-scene)
    a["belief"][1, SOCIAL_3P] = 0.0  # consumer 1 only wants the jump: 52 - 40 - 3 > 0
    shopping.shop(model.market)
    assert list(a["owns"]) == [SOCIAL_3P, TRADING_3P]
    assert model.market.today["sales_jump"] == 1 and model.market.today["attempts_jump"] == 1

    model = hand_built(1, jump_friction=1.0)
    stock(model, TRADING_3P, 10)
    aware(model, 0, TRADING_3P)
    model.market.saw_post[0, TRADING_3P] = True
    shopping.shop(model.market)
    assert model.market.arrays["owns"][0] == -1 and model.market.today["attempts_jump"] == 1


def test_a_shopper_short_of_cash_borrows_only_within_its_credit_line_and_if_it_decides_to():
    model = hand_built(3, credit_hurdle=0.0)
    a = model.market.arrays
    stock(model, SOCIAL_3P, 10)
    aware(model, [0, 1, 2], SOCIAL_3P)
    a["cash"][:] = 10.0
    a["credit_limit"][:] = [100.0, 20.0, 100.0]  # consumer 1 may not owe 30
    a["self_restraint"][2] = 0.9
    model.p["credit_hurdle"] = 2.0  # consumer 2: utility 10 < 2 * 0.9 * 40: waits for income
    a["self_restraint"][0] = 0.0  # consumer 0: no hurdle left
    shopping.shop(model.market)
    assert list(a["bought"]) == [True, False, False]
    assert a["debt"][0] == pytest.approx(30.0) and a["cash"][0] == 0.0
    assert model.market.today["credit_purchases"] == 1 and model.market.today["credit_waits"] == 2


# -- presale orders ------------------------------------------------------------------------------


def test_presale_orders_bind_a_deposit_with_retailers_that_run_a_presale():
    model = hand_built(2, presale_mode="presale", deposit=0.3, waiting_cost=0.0)
    market, a = model.market, model.market.arrays
    market.window = "presale"
    social = model.retailers[SOCIAL_3P]
    social.runs_presale, social.presale_price = True, 30.0
    market.prices[SOCIAL_3P] = 30.0
    aware(model, [0, 1], [SOCIAL_3P, SELF_BUILT])
    a["belief"][:, SELF_BUILT] = 0.9  # better, but no presale: not on offer now
    a["belief"][1, SOCIAL_3P] = 0.2  # 20 < 30: no order
    shopping.shop(market)
    assert list(a["ordered_from"]) == [SOCIAL_3P, -1]
    assert list(a["owns"]) == [-1, -1]  # ordered, not received
    assert a["cash"][0] == pytest.approx(1000.0 - 0.3 * 30.0)
    assert social.presale_orders == 1 and market.today["presale_orders"] == 1
    assert social.units.sold == 0


def test_waiting_for_delivery_costs_each_day_to_the_selling_window():
    model = hand_built(1, presale_mode="presale", waiting_cost=1.0)
    market, cal = model.market, model.calendar
    market.window = "presale"
    social = model.retailers[SOCIAL_3P]
    social.runs_presale, social.presale_price = True, 30.0
    market.prices[SOCIAL_3P] = 30.0
    aware(model, 0, SOCIAL_3P)
    days = cal.selling_start - model.day % cal.campaign_days
    model.market.arrays["belief"][0, SOCIAL_3P] = (30.0 + days - 0.5) / 100  # worth it: no
    shopping.shop(market)
    assert model.market.arrays["ordered_from"][0] == -1
    model.market.arrays["belief"][0, SOCIAL_3P] = (30.0 + days + 0.5) / 100
    shopping.shop(market)
    assert model.market.arrays["ordered_from"][0] == SOCIAL_3P


# -- selling, stock-outs and the responses -------------------------------------------------------


def stockout_market(n: int = 5, units: int = 2, **shares) -> SocialCommerceModel:
    """``n`` shoppers who all want se_1's merchant, which has ``units`` units."""
    responses = {"stockout_switch": 0.0, "stockout_elsewhere": 0.0, "stockout_delay": 0.0}
    model = hand_built(n, **(responses | shares))
    stock(model, SOCIAL_3P, units)
    aware(model, np.arange(n), SOCIAL_3P)
    return model


def test_buyers_beyond_the_stock_meet_a_stock_out():
    model = stockout_market(5, 2, stockout_elsewhere=1.0)
    market, a = model.market, model.market.arrays
    shopping.shop(market)
    assert (a["owns"] == SOCIAL_3P).sum() == 2 and model.retailers[SOCIAL_3P].units.stock == 0
    assert market.today["unfilled"] == 3 and market.today["stockout"][SOCIAL_3P]
    assert market.scarcity[SOCIAL_3P] == pytest.approx(3 / 5)
    assert model.retailers[SOCIAL_3P].unfilled == 3


def test_unfilled_shoppers_who_buy_elsewhere_pay_outside_and_are_done():
    model = stockout_market(5, 2, stockout_elsewhere=1.0)
    a, ledger = model.market.arrays, model.ledger
    outside = ledger.balances["outside"]
    shopping.shop(model.market)
    unfilled = a["owns"] != SOCIAL_3P
    assert a["bought"].all() and (a["owns"][unfilled] == -1).all()
    np.testing.assert_allclose(a["cash"][unfilled], 1000.0 - PRICE)
    assert ledger.balances["outside"] == pytest.approx(outside + 3 * PRICE)
    assert model.market.today["stockout_elsewhere"] == 3


def test_unfilled_shoppers_who_delay_shop_again_days_later_and_others_give_up():
    model = stockout_market(5, 2, stockout_delay=1.0, stockout_retry_days=3)
    a = model.market.arrays
    shopping.shop(model.market)
    unfilled = a["owns"] != SOCIAL_3P
    assert (a["wait_until"][unfilled] == model.day + 3).all() and not a["bought"][unfilled].any()
    assert model.market.today["stockout_delay"] == 3 and not a["gave_up"].any()

    model = stockout_market(5, 2)  # no share switches, buys elsewhere or delays: all give up
    shopping.shop(model.market)
    a = model.market.arrays
    assert list(a["gave_up"]) == list(a["owns"] != SOCIAL_3P)
    assert model.market.today["stockout_give_up"] == 3


def switch_market(n: int = 5, units: int = 2) -> SocialCommerceModel:
    """``n`` shoppers on the giant who know of trading_3p only (``units`` units) and all switch
    at a stock-out; members of se_1 only among the social e-commerce platforms."""
    model = hand_built(n, stockout_switch=1.0, stockout_elsewhere=0.0, stockout_delay=0.0)
    model.market.visits_trading[:] = True
    model.market.reads_feed[:] = False  # no social e-commerce offer reaches them today
    model.membership[:, SE_2:] = False
    stock(model, TRADING_3P, units)
    aware(model, np.arange(n), TRADING_3P)
    return model


@pytest.mark.parametrize("alternative", [SELF_RUN, SOCIAL_3P])
def test_a_switcher_finds_an_in_stock_alternative_by_search_and_buys_it(alternative):
    # self_run: the failed platform's other merchant; social_3p: on se_1, where they are members,
    # although they do not read the feed today. Nobody knew of it: the search makes them aware.
    model = switch_market()
    stock(model, alternative, 10)
    shopping.shop(model.market)
    a, today = model.market.arrays, model.market.today
    unfilled = a["owns"] != TRADING_3P
    assert unfilled.sum() == 3 and (a["owns"][unfilled] == alternative).all()
    assert a["aware"][unfilled, alternative].all() and (a["wait_until"][unfilled] <= 0).all()
    assert today["stockout_switch"] == 3 and today["stockout_realised_switch"] == 3
    assert today["stockout_realised_delay"] == 0 and today["unfilled"] == 3


@pytest.mark.parametrize(
    ("stocked", "belief"),
    [
        (None, 0.5),  # no other retailer has a unit left
        (SELF_BUILT, 0.5),  # in stock only on se_2, a platform they are no members of
        (SELF_RUN, 0.3),  # in stock, but worth 30 CU at a price of 40: not acceptable
    ],
)
def test_a_switcher_without_an_acceptable_alternative_falls_back_to_delay(stocked, belief):
    model = switch_market()
    model.market.arrays["belief"][:, SELF_RUN] = belief
    if stocked is not None:
        stock(model, stocked, 10)
    shopping.shop(model.market)
    a, today = model.market.arrays, model.market.today
    unfilled = a["owns"] != TRADING_3P
    assert unfilled.sum() == 3 and not a["bought"][unfilled].any()
    assert (a["wait_until"][unfilled] == model.day + model.p["stockout_retry_days"]).all()
    assert today["stockout_switch"] == 3 and today["stockout_realised_switch"] == 0
    assert today["stockout_realised_delay"] == 3 and today["stockout_delay"] == 0
    assert not a["aware"][unfilled, SELF_BUILT].any()


def test_switchers_who_find_the_alternative_sold_out_to_other_switchers_fall_back():
    model = switch_market(6, 2)  # 4 switchers, one unit left at self_run
    stock(model, SELF_RUN, 1)
    shopping.shop(model.market)
    a, today = model.market.arrays, model.market.today
    assert (a["owns"] == SELF_RUN).sum() == 1 and model.retailers[SELF_RUN].units.stock == 0
    assert today["unfilled"] == 4 and model.retailers[SELF_RUN].unfilled == 0
    assert today["stockout_realised_switch"] == 1 and today["stockout_realised_delay"] == 3
    assert sum(today[f"stockout_realised_{k}"] for k in STOCKOUT_RESPONSES) == today["unfilled"]


def test_the_release_cap_limits_sales_without_counting_a_stock_out_day():
    model = stockout_market(3, 5, starvation=True, release_cap=1, stockout_delay=1.0)
    shopping.shop(model.market)
    r = model.retailers[SOCIAL_3P]
    assert r.units.sold == 1 and r.units.stock == 4 and model.market.sold_today[SOCIAL_3P] == 1
    assert model.market.today["unfilled"] == 2 and not model.market.today["stockout"][SOCIAL_3P]


def test_unfilled_fans_lose_loyalty_and_may_switch_brand():
    model = stockout_market(3, 0, stockout_delay=1.0, loyalty_loss=0.2, churn_prob=0.0)
    a = model.market.arrays
    a["fan_of"][:] = [SOCIAL_3P, SOCIAL_3P, -1]
    a["loyalty"][:] = [0.5, 0.1, 0.0]
    shopping.shop(model.market)
    np.testing.assert_allclose(a["loyalty"], [0.3, 0.0, 0.0])
    assert list(a["fan_of"]) == [SOCIAL_3P, SOCIAL_3P, -1]

    model = stockout_market(2, 0, stockout_delay=1.0, loyalty_loss=1.0, churn_prob=1.0)
    a = model.market.arrays
    a["fan_of"][:] = SOCIAL_3P
    a["loyalty"][:] = 0.5
    a["belief"][:, SELF_BUILT] = 0.9  # the best other retailer
    shopping.shop(model.market)
    assert list(a["fan_of"]) == [SELF_BUILT, SELF_BUILT] and a["churned"].all()
    assert a["aware"][:, SELF_BUILT].all() and model.retailers[SOCIAL_3P].fan_loss == 2


# -- shopping again (over-consumption) and receipt -----------------------------------------------


def test_a_buyer_shops_again_only_below_its_campaign_units_after_using_the_last_unit():
    model = hand_built(2, campaign_units=2, satiation=1.0)
    a = model.market.arrays
    for r in (TRADING_3P, SOCIAL_3P, SELF_BUILT):
        stock(model, r, 10)
    aware(model, [0, 1], [TRADING_3P, SOCIAL_3P, SELF_BUILT])
    a["belief"][:] = 0.9  # 90 - 40 = 50 clears satiation * restraint * price = 40
    a["bought"][:] = True
    a["bought_campaign"][:, SELF_BUILT] = True  # bought self_built and used it (no review due)
    a["review_day"][:] = [-1, model.day + 2]  # consumer 1 has not used its unit yet
    shopping.shop(model.market)
    assert list(a["owns"]) == [SOCIAL_3P, -1]  # not where it bought already
    assert model.market.today["overconsumption"] == 1
    a["review_day"][:] = -1
    model.market.visits_trading[:] = True  # trading_3p now reaches both
    shopping.shop(model.market)
    assert list(a["owns"]) == [SOCIAL_3P, TRADING_3P]  # consumer 0 has had its two units
    assert model.market.today["overconsumption"] == 2


def test_receivers_experience_the_unit_owe_a_review_and_may_share():
    model = hand_built(2, review_delay=3, quality_noise=0.0)
    stock(model, SOCIAL_3P, 10)
    aware(model, [0, 1], SOCIAL_3P)
    shopping.shop(model.market)
    a = model.market.arrays
    quality = model.retailers[SOCIAL_3P].quality
    np.testing.assert_allclose(a["experienced"], quality)
    assert list(a["review_day"]) == [model.day + 3] * 2 and list(a["purchases"]) == [1, 1]
    assert sorted(model.market.received) == [0, 1]


# -- delivery of presale orders ------------------------------------------------------------------


def test_presale_orders_are_delivered_from_stock_in_the_selling_window_for_the_balance():
    model = hand_built(3, presale_mode="presale", deposit=0.3)
    market, a = model.market, model.market.arrays
    social = model.retailers[SOCIAL_3P]
    social.presale_orders, social.presale_price = 3, 30.0
    a["ordered_from"][:] = SOCIAL_3P
    stock(model, SOCIAL_3P, 2)
    market.window = "presale"
    shopping.deliver_presale_orders(market)
    assert social.presale_delivered == 0  # not before the selling window
    market.window = "selling"
    shopping.deliver_presale_orders(market)
    got = a["owns"] == SOCIAL_3P
    assert got.sum() == 2 and social.presale_delivered == 2 and social.units.stock == 0
    assert (a["ordered_from"][got] == -1).all() and (a["ordered_from"][~got] == SOCIAL_3P).all()
    np.testing.assert_allclose(a["cash"][got], 1000.0 - 0.7 * 30.0)
    assert social.owed_presale == 1
    shopping.deliver_presale_orders(market)  # no stock left: the last order waits
    assert social.presale_delivered == 2


def test_presale_orders_of_experience_users_are_counted_apart():
    model = hand_built(4)
    market = model.market
    market.window = "presale"
    for r in model.retailers:
        r.runs_presale, r.presale_price = True, 30.0
    market.prices[:] = 30.0
    aware(model, np.arange(4), SOCIAL_3P)
    market.experience_users[[1, 2]] = True  # two of them got an experience unit this campaign
    shopping.shop(market)
    today = market.today
    assert (market.arrays["ordered_from"] == SOCIAL_3P).all()
    assert today["presale_orders"] == 4
    assert today["presale_orders_recipients"] == 2 and today["presale_orders_others"] == 2
