"""The independent expectations agree with textbook closed forms and with simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from socialabm.validation import expectations as ex


# -- Bass --------------------------------------------------------------------------------------
def test_bass_recursion_is_bass_for_small_influence():
    exact = ex.bass_recursion(10_000, 1e-4, 1e-3, 400)
    linear = ex.bass_recursion(10_000, 1e-4, 1e-3, 400, linear=True)
    assert np.max(np.abs(exact - linear)) < 1e-3
    assert exact[0] == 0.0 and np.all(np.diff(exact) > 0) and exact[-1] < 1.0


def test_bass_recursion_first_step_is_external_influence():
    assert ex.bass_recursion(500, 0.03, 0.3, 1)[1] == pytest.approx(0.03)
    # two steps: Y1 = p m, then h(Y1) = 1 - (1 - p)(1 - q/m)^(p m)
    h = 1 - (1 - 0.03) * (1 - 0.3 / 500) ** (0.03 * 500)
    assert ex.bass_recursion(500, 0.03, 0.3, 2)[2] == pytest.approx(0.03 + h * 0.97)


def test_exact_process_mean_follows_the_recursion_closer_in_larger_markets():
    gaps = []
    for market in (200, 2000):
        curves = ex.bass_exact_curves(market, 0.03, 0.3, 15, 20, 200, np.random.default_rng(0))
        gaps.append(np.max(np.abs(curves.mean(axis=0) - ex.bass_recursion(market, 0.03, 0.3, 15))))
    # the hazard is not linear in the aware count, so the process's mean lags the recursion by
    # a finite-size amount (about 0.006 of a market of 200), shrinking like 1/market
    assert gaps[0] < 0.01
    assert gaps[1] < gaps[0] / 4


def test_max_standardized_deviation_skips_days_without_spread():
    sd = np.array([0.0, 0.1, 0.2])
    got = ex.max_standardized_deviation(np.array([5.0, 0.3, 0.2]), np.zeros(3), sd)
    assert got == pytest.approx(3.0)
    two = ex.max_standardized_deviation(np.array([[0, 0.1, 0.0], [0, 0, 0.8]]), np.zeros(3), sd)
    assert two == pytest.approx([1.0, 4.0])


def test_continuous_bass_peaks_at_closed_form_time_and_share():
    p, q = 0.03, 0.3
    t = np.linspace(0.0, 20.0, 200_001)
    rate = np.gradient(ex.bass_continuous(t, p, q), t)
    assert t[np.argmax(rate)] == pytest.approx(ex.bass_peak_time(p, q), abs=1e-3)
    assert ex.bass_continuous(ex.bass_peak_time(p, q), p, q) == pytest.approx(
        ex.bass_peak_share(p, q)
    )
    assert ex.bass_peak_time(0.3, 0.03) == 0.0 and ex.bass_peak_share(0.3, 0.03) == 0.0


def test_recursion_with_short_steps_converges_to_continuous_bass():
    # k steps a day at rates p/k, q/k; a large market so the exact hazard is Bass's linear one
    p, q, days = 0.03, 0.3, 10
    errors = []
    for k in (1, 10, 100):
        y = ex.bass_recursion(10**7, p / k, q / k, days * k)[::k]
        errors.append(np.max(np.abs(y - ex.bass_continuous(np.arange(days + 1), p, q))))
    assert errors[0] > 0.05  # daily steps: the continuous closed form is a poor approximation
    assert errors[2] < errors[1] / 5 < errors[0] / 25 and errors[2] < 0.005


def test_crossing_time_interpolates_between_days():
    assert ex.crossing_time(np.array([0.0, 0.2, 0.6, 0.9]), 0.45) == pytest.approx(1.625)
    assert ex.crossing_time(np.array([0.5, 0.7]), 0.45) == 0.0
    two = ex.crossing_time(np.array([[0.0, 0.5, 1.0], [0.0, 0.1, 0.2]]), 0.25)
    assert two[0] == pytest.approx(0.5) and np.isnan(two[1])


# -- sampling of shares ------------------------------------------------------------------------
def test_multinomial_moments_sum_over_groups():
    mean, sd = ex.multinomial_mean_sd([100, 20], [[0.5, 0.3, 0.2], [0.0, 0.5, 0.5]])
    assert mean == pytest.approx([50, 40, 30])
    assert sd**2 == pytest.approx([25, 100 * 0.21 + 5, 100 * 0.16 + 5])


def test_multinomial_counts_match_their_moments():
    trials, probs = [400, 50], [[0.3, 0.7], [0.0, 1.0]]
    counts = ex.multinomial_counts(trials, probs, 20_000, np.random.default_rng(5))
    mean, sd = ex.multinomial_mean_sd(trials, probs)
    assert np.all(counts.sum(axis=1) == 450)
    assert counts.mean(axis=0) == pytest.approx(mean, abs=4 * sd[0] / math.sqrt(20_000))
    assert counts.std(axis=0) == pytest.approx(sd, rel=0.03)


# -- GLM ---------------------------------------------------------------------------------------
def test_glm_automaton_without_word_of_mouth_is_advertising_alone():
    alpha = 0.01
    times = ex.glm_takeoff_times(3000, 5, 5, alpha, 0.0, 0.0, 20, np.random.default_rng(1))
    expected = math.log(1 - 0.16) / math.log(1 - alpha)  # 1 - (1 - alpha)^t = 0.16
    assert abs(times.mean() - expected) < 1.0


def test_glm_automaton_takes_off_faster_with_more_ties():
    rng = np.random.default_rng(2)
    few = ex.glm_takeoff_times(3000, 5, 5, 0.001, 0.01, 0.05, 10, rng).mean()
    many = ex.glm_takeoff_times(3000, 29, 29, 0.001, 0.01, 0.05, 10, rng).mean()
    assert many < few - 5


# -- percolation -------------------------------------------------------------------------------
@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_mean_degree_solves_the_giant_component_equation(share):
    c = ex.mean_degree_for_giant(share)
    assert share == pytest.approx(1 - math.exp(-c * share))


def test_half_giant_at_two_ln_two_and_bad_share():
    assert ex.mean_degree_for_giant(0.5) == pytest.approx(2 * math.log(2))
    with pytest.raises(ValueError, match="share"):
        ex.mean_degree_for_giant(1.0)


def test_ties_removed_at_collapse_on_a_path():
    # path 0-1-...-9; removing ties from the 0 end leaves the giant 9, 8, ... nodes
    row, col = np.arange(9), np.arange(1, 10)
    order = np.arange(9)
    assert ex.ties_removed_at_collapse(10, row, col, order, 0.5) == 6  # giant 4 < 5
    assert ex.ties_removed_at_collapse(10, row, col, order[::-1], 0.5) == 6
    # removing the middle tie first halves the path at once
    middle_first = np.array([4, 0, 1, 2, 3, 5, 6, 7, 8])
    assert ex.ties_removed_at_collapse(10, row, col, middle_first, 0.51) == 1
    # weights: node 0 alone carries most of the weight
    weight = np.array([20.0] + [1.0] * 9)
    assert ex.ties_removed_at_collapse(10, row, col, order, 0.5, weight) == len(order)  # never


def test_random_graph_collapse_matches_percolation_theory():
    n, ties = 4000, 12_000
    removed = ex.random_graph_collapse(np.ones(n), ties, 10, np.random.default_rng(3))
    theory = ties - ex.mean_degree_for_giant(0.5) * n / 2
    assert abs(removed.mean() - theory) < 0.01 * ties
    assert removed.std() < 0.01 * ties


# -- newsvendor --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "case",
    [(200.0, 50.0, 100.0, 40.0, 10.0), (80.0, 30.0, 60.0, 50.0, 15.0), (5.0, 4.0, 50, 30, 15)],
)
def test_newsvendor_optimum_is_the_critical_fractile(case):
    mean, sd, price, wholesale, salvage = case
    fractile = (price - wholesale) / (price - salvage)
    closed_form = max(0.0, mean + norm.ppf(fractile) * sd)
    assert ex.newsvendor_optimum(*case) == pytest.approx(closed_form, abs=1e-5)


def test_newsvendor_expected_profit_matches_monte_carlo():
    rng = np.random.default_rng(4)
    mean, sd, price, wholesale, salvage, units = 20.0, 15.0, 60.0, 35.0, 10.0, 27.0
    demand = np.maximum(rng.normal(mean, sd, 2_000_000), 0.0)
    sold = np.minimum(demand, units)
    profit = price * sold + salvage * (units - sold) - wholesale * units
    got = ex.newsvendor_expected_profit(units, mean, sd, price, wholesale, salvage)
    assert got == pytest.approx(profit.mean(), abs=4 * profit.std() / math.sqrt(profit.size))


def test_newsvendor_without_uncertainty_orders_the_demand():
    assert ex.newsvendor_optimum(40.0, 0.0, 50.0, 30.0, 10.0) == pytest.approx(40.0, abs=1e-5)
    assert ex.newsvendor_expected_profit(50.0, 40.0, 0.0, 50.0, 30.0, 10.0) == 40 * 50 + 100 - 1500


# -- Nash --------------------------------------------------------------------------------------
@pytest.mark.parametrize("beta", [0.1, 0.5, 0.9])
def test_nash_maximiser_is_the_power_weighted_split(beta):
    assert ex.nash_product_maximiser(30.0, 50.0, beta) == pytest.approx(
        30.0 + (1 - beta) * 20.0, abs=1e-6
    )


def test_nash_maximiser_without_a_pie_is_cost():
    assert ex.nash_product_maximiser(30.0, 25.0, 0.4) == 30.0
