"""Links that prepare the page, and the server's limits."""

from __future__ import annotations

import pytest
from socialabm.viz.limits import Limits, SessionGate
from socialabm.viz.links import DEFAULT_SPEED, read_link

SCENARIOS = ["platform_alliance", "presale", "social_commerce"]


def test_a_good_link_opens_its_scenario_with_its_values_and_no_notice():
    link = read_link(
        "scenario=presale&seed=7&n_consumers=800&speed=12&presenter=1&compare",
        SCENARIOS,
        Limits(),
    )
    assert (link.scenario, link.seed, link.overrides) == ("presale", 7, {"n_consumers": 800})
    assert (link.speed, link.presenter, link.compare) == (12, True, True)
    assert link.notices == []


def test_a_link_may_ask_for_less_than_a_day_per_second_and_an_exact_seed():
    link = read_link("speed=0.25&seed=9007199254740993", SCENARIOS, Limits())
    assert (link.speed, link.seed, link.notices) == (0.25, 9007199254740993, [])
    (notice,) = read_link("speed=0.1", SCENARIOS, Limits()).notices
    assert "from 0.25 to 20" in notice


def test_a_bad_population_is_told_the_servers_range_not_the_models():
    (notice,) = read_link("n_consumers=-3", SCENARIOS, Limits(max_consumers=800)).notices
    assert "from 10 to 800" in notice and "--max-consumers" in notice
    assert "5e+06" not in notice


def test_no_link_is_the_default_page():
    link = read_link(None, SCENARIOS, Limits(), default_seed=42)
    assert (link.scenario, link.seed, link.overrides, link.notices) == (None, 42, {}, [])
    assert link.speed == DEFAULT_SPEED and not link.presenter and not link.compare


def test_a_misspelled_scenario_is_named_with_a_suggestion():
    link = read_link("scenario=platform_aliance", SCENARIOS, Limits())
    assert link.scenario is None
    (notice,) = link.notices
    assert "'platform_aliance'" in notice and "did you mean 'platform_alliance'" in notice


@pytest.mark.parametrize("path", ["../secret.toml", "/etc/passwd", "scenarios/presale.toml"])
def test_a_link_cannot_open_a_file(path):
    link = read_link(f"scenario={path}", SCENARIOS, Limits())
    assert link.scenario is None and len(link.notices) == 1


def test_unknown_names_and_bad_values_each_get_a_notice():
    link = read_link(
        "n_consumer=300&beta_weak=2&presale_mode=sometimes&seed=-1&speed=50&presenter=maybe",
        SCENARIOS,
        Limits(),
    )
    text = "\n".join(link.notices)
    assert len(link.notices) == 6 and link.overrides == {}
    assert "did you mean 'n_consumers'" in text
    assert "'beta_weak'" in text and "out of range" in text
    assert "'presale_mode'" in text and "'sometimes'" in text
    assert "seed" in text and "speed='50'" in text and "presenter='maybe'" in text


def test_a_link_cannot_choose_an_agent_class():
    link = read_link("consumer_class=os:system", SCENARIOS, Limits())
    assert link.overrides == {} and "cannot be set by a link" in link.notices[0]


def test_a_population_over_the_servers_limit_is_capped_and_said():
    link = read_link("n_consumers=1000000", SCENARIOS, Limits(max_consumers=5000))
    assert link.overrides == {"n_consumers": 5000}
    assert "1,000,000" in link.notices[0] and "--max-consumers" in link.notices[0]


def test_limits_travel_through_the_environment():
    limits = Limits(max_consumers=1234, max_days=99, max_sessions=3)
    assert Limits.from_env(limits.to_env()) == limits
    assert Limits.from_env({}) == Limits()
    assert limits.population_error(1234) is None and "1,235" in limits.population_error(1235)
    assert limits.horizon_error(99) is None and "--max-days" in limits.horizon_error(100)


def test_the_session_gate_counts_connected_sessions_against_the_limit():
    gate = SessionGate()
    alive = {"a": True, "b": True}
    assert gate.enter("a", lambda: alive["a"], limit=2)
    assert gate.enter("b", lambda: alive["b"], limit=2)
    assert not gate.enter("c", lambda: True, limit=2)  # full
    assert gate.enter("a", lambda: True, limit=2)  # a session already in stays in
    alive["b"] = False  # its tab was closed: its place is free although its kernel lingers
    assert gate.count() == 1 and gate.enter("c", lambda: True, limit=2)
    gate.leave("a")
    assert gate.count() == 1
