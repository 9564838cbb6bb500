"""The declared day: every phase touches only the state it declares, ``step`` runs the
declaration, and ODD §3 is generated from it."""

from __future__ import annotations

import types

import numpy as np
import pytest
from socialabm.scenarios import load_scenario

from socialabm import SocialCommerceModel
from socialabm.schedule import SCHEDULE, Phase, state_names
from socialabm.state_trace import state_of, trace, traced_step, undeclared
from tools.docsite.schedule import ODD, schedule_block

EVERYTHING = {
    "n_consumers": 250, "starvation": True, "release_cap": 5, "campaign_units": 2,
    "disruption_prob": 0.05, "integrate_social": True, "multi_sourcing": True,
    "alliance_shopping": True, "n_campaigns": 2, "presale_deadline": 1, "capacity": 3,
    "group_purchase": True, "demand_uncertainty": 0.3, "campaign_days": 30,
}  # fmt: skip
"""Every optional mechanism on, over the platform_alliance scenario (alliances, adaptation), in two
30-day campaigns (so that adaptation runs between them)."""


def everything_model(presale_mode: str, seed: int = 3) -> SocialCommerceModel:
    params = load_scenario("platform_alliance").model_params(**EVERYTHING)
    return SocialCommerceModel(**{**params, "presale_mode": presale_mode}, rng=seed)


@pytest.mark.parametrize("presale_mode", ["presale", "experience"])
def test_no_phase_touches_state_it_does_not_declare(presale_mode):
    model = everything_model(presale_mode)
    problems: dict[str, set[str]] = {}
    acted: set[str] = set()
    while model.running:
        for name, touched in traced_step(model).items():
            phase = next(p for p in SCHEDULE if p.name == name)
            problems.setdefault(name, set()).update(undeclared(phase, touched))
            acted.add(name)
    assert acted == {p.name for p in SCHEDULE}  # every phase ran at least once
    assert {k: v for k, v in problems.items() if v} == {}


def test_declarations_name_real_state():
    names = state_of(everything_model("presale"))
    for phase in SCHEDULE:
        assert phase.reads | phase.writes <= names, phase.name
        assert not phase.reads & phase.writes, phase.name  # a written name is not listed twice


def test_the_trace_catches_an_undeclared_hand_off():
    """Knock-out: a phase that writes a market attribute and reads a consumer column it does not
    declare is reported (so an empty report above means something)."""

    def sneaky(market):
        market.shared_today = market.arrays["dignity"] > 0.5

    module = types.SimpleNamespace(__name__="tests.sneaky", phase=sneaky)
    phase = Phase(module, "phase", frozenset(), frozenset(), "")
    assert phase.name == "sneaky.phase"
    touched = trace(phase.run, everything_model("presale").market)
    assert undeclared(phase, touched) == ["reads consumers.dignity", "writes market.shared_today"]


def test_the_trace_sees_in_place_writes_and_draws():
    def in_place(market):
        market.prices[0] += 1.0
        market.arrays["cash"][3] -= 1.0
        market.model.rng.random()

    touched = trace(in_place, everything_model("presale").market)
    assert touched.writes == {"market.prices", "consumers.cash", "rng"}


def test_step_runs_the_declared_schedule():
    stepped, traced = everything_model("presale", seed=5), everything_model("presale", seed=5)
    for _ in range(40):
        stepped.step()
        traced_step(traced)
    assert stepped.summary() == pytest.approx(traced.summary(), nan_ok=True)
    np.testing.assert_array_equal(stepped.consumers.belief, traced.consumers.belief)


def test_state_names_reads_the_compact_listing():
    assert state_names("consumers: cash debt; ledger; market: prices") == {
        "consumers.cash", "consumers.debt", "ledger", "market.prices"
    }  # fmt: skip


def test_odd_section_3_is_generated_from_the_schedule():
    text = ODD.read_text(encoding="utf-8")
    assert schedule_block() in text, "run: uv run python -m tools.docsite.schedule"
