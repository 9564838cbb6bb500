"""The validation suite passes in fast mode, and each check can fail on a broken input."""

from __future__ import annotations

import argparse

import numpy as np
import pytest
import scipy.sparse as sp

from socialabm import validation as v
from socialabm.network import SocialNetwork, generate_weak_tie_network


@pytest.fixture(scope="module")
def fast_results() -> dict[str, v.CheckResult]:
    return {r.name: r for r in v.run_all(fast=True)}


@pytest.mark.parametrize("name", [name for name, _ in v.CHECKS])
def test_check_passes(fast_results, name):
    result = fast_results[name]
    assert result.passed, v.format_table([result])
    assert result.source and result.what
    assert np.isfinite(result.measured)


def test_every_check_has_a_citation(fast_results):
    assert len(fast_results) == len(v.CHECKS)
    for result in fast_results.values():
        assert any(ch.isdigit() for ch in result.source)  # a year at least


# -- each check fails on a deliberately broken input --------------------------------------------
def test_newsvendor_fails_on_wrong_rounding():
    def floor_quantity(known, mean, sd, price, wholesale, salvage):
        from scipy.stats import norm

        cf = (price - wholesale) / (price - salvage)
        return int(known + np.floor(mean + norm.ppf(cf) * sd))

    assert not v.check_newsvendor(quantity_fn=floor_quantity).passed


def test_newsvendor_fails_on_wrong_fractile():
    def wrong(known, mean, sd, price, wholesale, salvage):
        from socialabm.pricing import newsvendor_quantity

        return newsvendor_quantity(known, mean, sd, price, wholesale, 0.0)  # salvage ignored

    assert not v.check_newsvendor(quantity_fn=wrong).passed


def test_nash_fails_when_power_is_swapped():
    def swapped(c, p, beta, lam):
        return c + beta * lam * (p - c)

    result = v.check_nash_bargaining(price_fn=swapped)
    assert not result.passed
    assert result.measured > 1.0


def test_awareness_fails_when_phase_uses_other_probability():
    assert not v.check_awareness_glm_one_step(fast=True, model_params={"beta_weak": 0.1}).passed


def test_bass_fails_when_imitation_is_off():
    result = v.check_bass_recovery(fast=True, model_params={"beta_strong": 0.2 / 500})
    assert not result.passed


def test_takeoff_fails_when_levels_reversed():
    levels = dict(v.GLM_LEVELS)
    levels["beta_w"] = levels["beta_w"][::-1]  # "more" weak-tie influence now slows take-off
    assert not v.check_glm_takeoff(fast=True, levels=levels).passed


def test_bridges_fail_when_strengths_are_shuffled():
    net = generate_weak_tie_network(2000, 8, 6.0, np.random.default_rng(0))
    both = sp.triu(net.strong + net.weak, k=1).tocoo()
    rng = np.random.default_rng(1)
    data = rng.permutation(both.data)
    upper = sp.coo_matrix((data, (both.row, both.col)), shape=both.shape)
    sym = (upper + upper.T).tocsr()
    empty = sp.csr_matrix(sym.shape, dtype=np.float32)
    shuffled = SocialNetwork(strong=sym, weak=empty, community=net.community)
    assert not v.check_weak_tie_bridges(network=shuffled).passed


@pytest.mark.parametrize(
    "counts", [[10, 20, 40, 20, 10], [5, 10, 20, 30, 40], [60, 10, 10, 10, 50], [0, 0, 0, 0, 0]]
)
def test_j_shape_fails_for_other_shapes(counts):
    assert not v.check_j_shaped_reviews(counts=np.array(counts)).passed


def test_j_shape_passes_for_j():
    assert v.check_j_shaped_reviews(counts=np.array([20, 5, 8, 10, 60])).passed


# -- helpers and rules --------------------------------------------------------------------------
def test_rules():
    assert v.within(0.11, 0.1, 0.15, "rel") and not v.within(0.2, 0.1, 0.15, "rel")
    assert v.within(0.5, 1.0, 0.5, ">=") and not v.within(0.49, 1.0, 0.5, ">=")
    assert not v.within(0.0, 0.0, 0.0, ">") and v.within(1e-9, 0.0, 0.0, ">")
    assert not v.within(float("nan"), 0.0, 1.0, "abs")
    with pytest.raises(ValueError):
        v.within(0.0, 0.0, 0.0, "bogus")


def test_bass_ols_recovers_exact_bass_series():
    p, q, m = 0.02, 0.3, 1000.0
    y, ys, news = 0.0, [], []
    for _ in range(40):
        s = (p + q * y / m) * (m - y)
        ys.append(y)
        news.append(s)
        y += s
    assert np.allclose(v.bass_ols(np.array(ys), np.array(news)), (p, q, m))


# -- the CLI subcommand -------------------------------------------------------------------------
def _parser():
    parser = argparse.ArgumentParser(prog="socialabm")
    v.register(parser.add_subparsers(dest="command", required=True))
    return parser


def test_validate_command_passes(capsys):
    args = _parser().parse_args(["validate", "--fast", "--only", "newsvendor_closed_form"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "newsvendor_closed_form" in out and "PASS" in out and "1 passed, 0 failed" in out


def test_validate_command_exit_1_on_failure(capsys, monkeypatch):
    def broken(fast=False):
        return v.check_j_shaped_reviews(counts=np.array([10, 20, 40, 20, 10]))

    monkeypatch.setattr(v, "CHECKS", [("j_shaped_reviews", broken)])
    args = _parser().parse_args(["validate", "--brief"])
    assert args.func(args) == 1
    assert "FAIL" in capsys.readouterr().out


def test_unknown_check_name():
    with pytest.raises(ValueError, match="unknown check"):
        v.run_all(only=["nope"])
