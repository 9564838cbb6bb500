"""The validation suite passes in fast mode, and each check can fail on a broken input."""

from __future__ import annotations

import argparse

import numpy as np
import pytest
import scipy.sparse as sp

from socialabm import Retailer, Supplier
from socialabm.market import campaigns, shopping, word_of_mouth
from socialabm.network import SocialNetwork, generate_weak_tie_network
from socialabm.rules import bargaining
from socialabm.rules.bargaining import nash_wholesale_price
from socialabm.rules.consumer import STOCKOUT_RESPONSES
from socialabm.rules.pricing import newsvendor_quantity
from socialabm.validation import (
    awareness,
    cascades,
    network,
    reviews,
    runs,
    stockouts,
    suite,
    supply_chain,
)
from socialabm.validation import cli as validation_cli
from socialabm.validation.result import CheckResult, within

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_validation")]


@pytest.fixture(scope="module")
def fast_results() -> dict[str, CheckResult]:
    return {r.name: r for r in suite.run_all(fast=True)}


KNOWN_FAILURES = {
    "stockout_realised_shares": "few switchers find another brand in stock that they value above "
    "its price, so realised switching falls far below the field study's (docs/validation.md)",
    "cascade_sizes": "the model's chains of referrals are longer than Goel et al.'s "
    "(docs/validation.md, check 10)",
}
"""Checks the model fails today, with the reason docs/validation.md gives: the verdict is
reported as it is; a change of verdict fails here, so the docs are brought up to date."""


@pytest.mark.parametrize("name", [name for name, _ in suite.CHECKS])
def test_check_verdicts_are_the_documented_ones(fast_results, name):
    result = fast_results[name]
    assert result.passed is (name not in KNOWN_FAILURES), suite.format_table([result])
    assert result.source and result.what
    assert np.isfinite(result.measured)


def test_every_check_has_a_citation(fast_results):
    assert len(fast_results) == len(suite.CHECKS)
    for result in fast_results.values():
        assert any(ch.isdigit() for ch in result.source)  # a year at least


# -- each check fails on a deliberately broken input --------------------------------------------
def test_newsvendor_fails_on_wrong_rounding():
    def floor_quantity(known, mean, sd, price, wholesale, salvage):
        from scipy.stats import norm

        cf = (price - wholesale) / (price - salvage)
        return int(known + np.floor(mean + norm.ppf(cf) * sd))

    assert not supply_chain.check_newsvendor(fast=True, quantity_fn=floor_quantity).passed


def test_newsvendor_fails_on_wrong_fractile():
    def wrong(known, mean, sd, price, wholesale, salvage):
        return newsvendor_quantity(known, mean, sd, price, wholesale, 0.0)  # salvage ignored

    assert not supply_chain.check_newsvendor(fast=True, quantity_fn=wrong).passed


@pytest.mark.parametrize(
    "broken",
    [
        # the retailer ignores the salvage value of leftovers
        lambda r: newsvendor_quantity(
            r.presale_orders, r.spot_forecast, r.spot_sd, r.price, r.wholesale, 0.0
        ),
        # ... orders the forecast mean, ignoring its uncertainty
        lambda r: newsvendor_quantity(
            r.presale_orders, r.spot_forecast, 0.0, r.price, r.wholesale, r.model.p["salvage"]
        ),
        # ... forgets the presale orders it already has to serve
        lambda r: newsvendor_quantity(
            0, r.spot_forecast, r.spot_sd, r.price, r.wholesale, r.model.p["salvage"]
        ),
    ],
    ids=["salvage_ignored", "sd_ignored", "presale_orders_ignored"],
)
def test_newsvendor_fails_when_retailers_order_otherwise(monkeypatch, broken):
    monkeypatch.setattr(Retailer, "choose_order_quantity", broken)
    result = supply_chain.check_newsvendor(fast=True)
    assert not result.passed
    assert result.measured > 1.0


def test_nash_fails_when_power_is_swapped():
    def swapped(c, p, beta, lam):
        return c + beta * lam * (p - c)

    result = supply_chain.check_nash_bargaining(fast=True, price_fn=swapped)
    assert not result.passed
    assert result.measured > 1.0


def test_nash_fails_when_suppliers_ignore_power(monkeypatch):
    def even_split(self, power, expected_price):
        return nash_wholesale_price(self.unit_cost, expected_price, 0.5, 0.8)

    monkeypatch.setattr(Supplier, "wholesale_price", even_split)
    result = supply_chain.check_nash_bargaining(fast=True)
    assert not result.passed
    assert result.measured > 0.1


def test_nash_fails_when_the_market_bargains_with_another_power(monkeypatch):
    def without_brand(retailer, p, pooled):
        return bargaining.current_power(retailer, {**p, "power_brand": 0.0}, pooled)

    monkeypatch.setattr(campaigns, "current_power", without_brand)
    result = supply_chain.check_nash_bargaining(fast=True)
    assert not result.passed
    assert result.measured > 0.1


def test_awareness_fails_when_phase_uses_other_probability():
    assert not awareness.check_awareness_glm_one_step(
        fast=True, model_params={"beta_weak": 0.1}
    ).passed


def test_bass_fails_when_word_of_mouth_is_10_percent_stronger():
    q_per_tie = awareness.BASS["q"] / awareness.BASS["market"]
    result = awareness.check_bass_curve(model_params={"beta_strong": 1.1 * q_per_tie})
    assert not result.passed
    assert result.measured > 1.5 * (result.expected + result.tolerance)


@pytest.mark.parametrize(
    "params",
    [
        {"beta_strong": awareness.BASS["q"] / awareness.BASS["market"] / 1.1},
        {"ad_reach": 1.2 * awareness.BASS["p"]},
    ],
    ids=["word_of_mouth_weaker", "ads_stronger"],
)
def test_bass_fails_when_rates_differ(params):
    assert not awareness.check_bass_curve(fast=True, model_params=params).passed


@pytest.mark.parametrize("factor", [1.15, 1 / 1.15], ids=["faster", "slower"])
def test_takeoff_time_fails_when_word_of_mouth_rate_differs(factor):
    result = awareness.check_takeoff_time(
        fast=True,
        model_params={"beta_strong": factor * awareness.BASS["q"] / awareness.BASS["market"]},
    )
    assert not result.passed
    assert (result.measured < result.expected) == (factor > 1)  # faster word of mouth, sooner


def test_takeoff_time_expectation_is_the_discrete_recursion_not_the_closed_form():
    from socialabm.validation.expectations import bass_peak_time

    result = awareness.check_takeoff_time(fast=True, replicates=500)
    continuous = bass_peak_time(awareness.BASS["p"], awareness.BASS["q"])
    # daily steps lag the continuous solution by far more than the sampling tolerance
    assert result.expected - continuous > 3 * result.tolerance
    assert result.passed and f"{continuous:.3f}" in result.detail


def test_takeoff_fails_when_levels_reversed():
    levels = dict(awareness.GLM_LEVELS)
    levels["beta_w"] = levels["beta_w"][::-1]  # "more" weak-tie influence now slows take-off
    assert not awareness.check_glm_takeoff(fast=True, levels=levels).passed


def test_takeoff_fails_when_weak_ties_matter_less_than_half():
    levels = {**awareness.GLM_LEVELS, "weak_ties": (5, 8), "beta_w": (0.005, 0.007)}
    result = awareness.check_glm_takeoff(fast=True, levels=levels)
    assert not result.passed
    assert result.measured < awareness.GLM_CLAIM


@pytest.fixture(scope="module")
def small_network() -> SocialNetwork:
    return generate_weak_tie_network(2000, 8, 6.0, np.random.default_rng(0))


def test_bridges_fail_when_strengths_are_shuffled(small_network):
    net = small_network
    both = sp.triu(net.strong + net.weak, k=1).tocoo()
    rng = np.random.default_rng(1)
    data = rng.permutation(both.data)
    upper = sp.coo_matrix((data, (both.row, both.col)), shape=both.shape)
    sym = (upper + upper.T).tocsr()
    empty = sp.csr_matrix(sym.shape, dtype=np.float32)
    shuffled = SocialNetwork(strong=sym, weak=empty, community=net.community)
    assert not network.check_weak_tie_bridges(network=shuffled).passed


def test_bridges_fail_when_weak_ties_join_neighbouring_communities_only(small_network):
    """As many weak ties, but along a ring of communities: not the random bridges the model
    promises, and the network falls apart far sooner than percolation on a random graph."""
    net = small_network
    rng = np.random.default_rng(2)
    k = net.community.max() + 1
    ties = net.n_weak_ties
    a = rng.integers(0, net.n, size=ties)
    b = (net.community[a] + 1) % k * 8 + rng.integers(0, 8, size=ties)
    upper = sp.coo_matrix((np.full(ties, 0.1, np.float32), (a, b)), shape=(net.n, net.n))
    ring = SocialNetwork(strong=net.strong, weak=(upper + upper.T).tocsr(), community=net.community)
    result = network.check_weak_tie_bridges(network=ring)
    assert not result.passed
    assert result.measured < result.expected - 0.05


@pytest.mark.parametrize(
    "counts", [[10, 20, 40, 20, 10], [5, 10, 20, 30, 40], [60, 10, 10, 10, 50], [0, 0, 0, 0, 0]]
)
def test_j_shape_fails_for_other_shapes(counts):
    assert not reviews.check_j_shaped_reviews(counts=np.array(counts)).passed


def test_j_shape_passes_for_j():
    assert reviews.check_j_shaped_reviews(counts=np.array([20, 5, 8, 10, 60])).passed


def test_stockout_source_shares_redistribute_same_brand_substitution():
    shares = stockouts.stockout_source_shares()
    assert shares == pytest.approx(np.array([26, 31, 15, 9]) / 81)
    assert shares.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "params",
    [
        {"stockout_switch": 0.38, "stockout_elsewhere": 0.32},  # switch and elsewhere swapped
        {"stockout_switch": 0.36, "stockout_delay": 0.15},  # delay shifted into switching
    ],
    ids=["swapped", "switch_plus_004"],
)
def test_stockout_shares_fail_when_the_decision_departs_from_the_source(params):
    result = stockouts.check_stockout_shares(fast=True, model_params=params)
    assert not result.passed
    assert result.measured > result.expected + result.tolerance


def test_stockout_shares_fail_for_consumers_who_always_wait():
    from examples.consumer_decisions import PatientShopper

    result = stockouts.check_stockout_shares(
        fast=True, model_params={"consumer_class": PatientShopper}
    )
    assert not result.passed
    assert "delay 1.000" in result.detail  # every stock-out counted as a delay


def test_the_two_stock_out_checks_share_their_runs_only_within_a_suite_run(monkeypatch):
    made = []
    run = stockouts._run_stockouts

    def counted(fast, model_params):
        made.append((fast, dict(model_params or {})))
        return run(fast, model_params)

    monkeypatch.setattr(stockouts, "_run_stockouts", counted)
    names = ["stockout_response_shares", "stockout_realised_shares"]
    shared = suite.run_all(fast=True, only=names)
    assert made == [(True, {})]  # one set of runs for both checks
    decided = stockouts.check_stockout_shares(fast=True)
    realised = stockouts.check_stockout_realised(fast=True)
    assert len(made) == 3  # outside a suite run each check runs its own
    assert [r.detail for r in shared] == [decided.detail, realised.detail]


def test_stockout_realised_outcomes_follow_each_consumer(monkeypatch):
    """The run's realised stock-out counts, one per stock-out met: elsewhere and give-up as
    decided; a switch only when the switcher buys another brand that day, counted here
    independently as the buyers the market serves in its switch round; every other switcher
    falls back to a delay."""
    served = []
    sell = shopping._sell

    def counting_sell(*choice, switch_round):
        out = sell(*choice, switch_round=switch_round)
        if switch_round:
            served.append(out[3].size)
        return out

    monkeypatch.setattr(shopping, "_sell", counting_sell)
    (model,) = runs.scenario_models("starvation_marketing", 1000, (1,), {"stockout_switch": 0.6,
                                  "stockout_elsewhere": 0.2, "stockout_delay": 0.1})  # fmt: skip
    totals = runs.run_to_end(model).market.totals
    drawn = np.array([totals[f"stockout_{k}"] for k in STOCKOUT_RESPONSES])
    realised = np.array([totals[f"stockout_realised_{k}"] for k in STOCKOUT_RESPONSES])
    assert drawn.sum() == realised.sum() == totals["unfilled"] > 500
    assert realised[0] == sum(served) > 0
    assert realised[2] == drawn[2] + drawn[0] - realised[0]  # switchers' fallbacks: delays
    assert realised[1] == drawn[1] and realised[3] == drawn[3]  # elsewhere, give up


def _ads_credited_to_posters(spread):
    """Word of mouth whose attribution also credits ad-made awareness to a live poster of the
    same product (a broken attribution: ads counted as referrals)."""

    def broken(market):
        a = market.arrays
        before = a["aware"].copy()
        spread(market)
        new = a["aware"] & ~before & (a["aware_from"] < 0)
        live = np.flatnonzero((a["post_of"] >= 0) & (a["post_until"] >= market.model.day))
        rng = np.random.default_rng(0)
        for r in range(new.shape[1]):
            rows, posters = np.flatnonzero(new[:, r]), live[a["post_of"][live] == r]
            if rows.size and posters.size:
                a["aware_from"][rows, r] = rng.choice(posters, rows.size)

    return broken


RARE_WORD_OF_MOUTH = {"ad_reach": 0.02, "beta_weak": 0.03, "beta_strong": 0.06}
"""Ads four times as far-reaching, word of mouth half as strong: cascades as shallow as online."""


def test_cascades_pass_when_word_of_mouth_is_as_rare_as_online():
    result = cascades.check_cascades(fast=True, model_params=RARE_WORD_OF_MOUTH)
    assert result.passed, suite.format_table([result])
    assert 0.01 <= result.measured <= 0.06 and "inside Goel et al.'s 0.70-0.95" in result.detail


def test_cascades_fail_when_ads_are_credited_as_referrals(monkeypatch):
    monkeypatch.setattr(word_of_mouth, "spread", _ads_credited_to_posters(word_of_mouth.spread))
    result = cascades.check_cascades(fast=True, model_params=RARE_WORD_OF_MOUTH)
    assert not result.passed
    assert result.measured > 2 * cascades.GOEL_RANGES["adoptions_deep_share"][1]


def test_cascades_fail_below_the_range_when_referrals_almost_never_chain():
    params = {"ad_reach": 0.05, "beta_weak": 0.02, "beta_strong": 0.04}
    result = cascades.check_cascades(fast=True, model_params=params)
    assert not result.passed and result.measured < cascades.GOEL_RANGES["adoptions_deep_share"][0]


def test_the_cascade_check_holds_the_model_to_goels_ranges_and_reports_its_failure(fast_results):
    low, high = cascades.GOEL_RANGES["adoptions_deep_share"]
    result = fast_results["cascade_sizes"]
    assert (result.expected, result.expected + result.tolerance) == (low, high)
    assert result.expected_text == f"{low:.4g} to {high:.4g}"
    assert result.measured > high and not result.passed  # the model's chains are longer
    assert "deep share per run" in result.detail and "(both must hold)" in result.detail


# -- helpers and rules --------------------------------------------------------------------------
def test_rules():
    assert within(0.06, 0.01, 0.05, "range") and within(0.01, 0.01, 0.05, "range")
    assert not within(0.0601, 0.01, 0.05, "range") and not within(0.0099, 0.01, 0.05, "range")
    assert within(0.11, 0.1, 0.15, "rel") and not within(0.2, 0.1, 0.15, "rel")
    assert within(0.5, 1.0, 0.5, ">=") and not within(0.49, 1.0, 0.5, ">=")
    assert not within(0.0, 0.0, 0.0, ">") and within(1e-9, 0.0, 0.0, ">")
    assert within(4.0, 0.0, 4.0, "<=") and not within(4.01, 0.0, 4.0, "<=")
    assert not within(float("nan"), 0.0, 1.0, "abs")
    with pytest.raises(ValueError):
        within(0.0, 0.0, 0.0, "bogus")


def test_expected_text_states_the_pass_condition():
    def text(rule, expected, tolerance):
        return CheckResult("x", 0.0, expected, tolerance, True, "s 2000", rule).expected_text

    assert text("abs", 0.45, 0.002) == "0.45 +/- 0.002"
    assert text("<=", 0.0, 3.9) == "<= 3.9"
    assert text(">=", 0.5, 0.0) == ">= 0.5"


# -- the CLI subcommand -------------------------------------------------------------------------
def _parser():
    parser = argparse.ArgumentParser(prog="socialabm")
    validation_cli.register(parser.add_subparsers(dest="command", required=True))
    return parser


def test_validate_command_passes(capsys):
    args = _parser().parse_args(["validate", "--fast", "--only", "newsvendor_optimal_order"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "newsvendor_optimal_order" in out and "PASS" in out and "1 passed, 0 failed" in out


def test_validate_command_exit_1_on_failure(capsys, monkeypatch):
    def broken(fast=False):
        return reviews.check_j_shaped_reviews(counts=np.array([10, 20, 40, 20, 10]))

    monkeypatch.setattr(suite, "CHECKS", [("j_shaped_reviews", broken)])
    args = _parser().parse_args(["validate", "--brief"])
    assert args.func(args) == 1
    assert "FAIL" in capsys.readouterr().out


def test_unknown_check_name():
    with pytest.raises(ValueError, match="unknown check"):
        suite.run_all(only=["nope"])
