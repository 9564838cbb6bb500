"""The published claims table and what checks it, without rerunning every row at every seed.

* ``docs/claims.csv`` is the evaluation of the per-seed values in ``docs/claims_runs.csv`` (every
  arm of every claim, knock-outs included, at every seed), and docs/ODD.md §11 is its rendering:
  checked exactly, with no model run.
* Fresh runs reproduce those values: every arm of every claim at its first seed (so each
  knock-out is run, and its targets are called in arm B), and :data:`FULL` claims at all their
  seeds. A change that breaks a mechanism (its effect vanishes, or survives its ablation or
  knock-out) changes these values and fails here.
* ``uv run pytest --full-claims tests/test_claims.py`` reruns every claim at all its seeds (a few
  minutes on two cores); ``uv run socialabm claims --update-docs`` publishes a new run after a
  deliberate change.
"""

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialabm.claims import ClaimError, claim_seeds, load_registry
from socialabm.claims.evaluate import COLUMNS, KNOCKOUT_RESULTS, VERDICTS, evaluate
from socialabm.claims.execute import run_arms
from socialabm.claims.report import read_table, render_section, section_of
from socialabm.claims.runs import read_runs, runs_frame

DOCS = Path(__file__).resolve().parents[1] / "docs"
PUBLISHED = DOCS / "claims.csv"
RUNS = DOCS / "claims_runs.csv"
REGISTRY = load_registry()
TEXT = {"claim", "section", "output", "expect", "verdict", "why", "knockout_result", "flagged"}
FULL = ("weak_ties_equal_degree",)
"""Claims rerun at all their seeds in the default test run: one of the cheapest (60-day runs);
every other arm is rerun at its first seed, and all at all seeds with ``--full-claims``."""


@pytest.fixture(scope="module")
def published():
    return read_table(PUBLISHED)


@pytest.fixture(scope="module")
def runs():
    return read_runs(RUNS)


def assert_same_table(fresh: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(fresh.columns) == list(COLUMNS)
    assert list(fresh["claim"]) == list(expected["claim"])
    assert list(fresh["output"]) == list(expected["output"])
    for column in COLUMNS:
        if column in TEXT:
            changed = fresh[column].to_numpy() != expected[column].to_numpy()
            assert not changed.any(), f"{column} changed:\n{fresh.loc[changed, ['claim', column]]}"
        else:
            np.testing.assert_allclose(
                fresh[column].to_numpy(float), expected[column].to_numpy(float),
                rtol=1e-12, atol=0, equal_nan=True, err_msg=column,
            )  # fmt: skip


def assert_same_values(claim_id: str, fresh: dict, stored: dict, seeds: list[int]) -> None:
    outputs = list(REGISTRY.select([claim_id])[0].expect)
    assert set(fresh) == set(stored)
    for arm in stored:
        np.testing.assert_array_equal(
            fresh[arm].loc[seeds, outputs].to_numpy(float),
            stored[arm].loc[seeds, outputs].to_numpy(float),
            err_msg=f"claim {claim_id!r}, arm {arm}",
        )


def test_odd_section_is_the_rendering_of_the_published_table(published):
    expected = render_section(published, REGISTRY.claims)
    assert section_of((DOCS / "ODD.md").read_text(encoding="utf-8")) == expected


def test_published_table_is_the_evaluation_of_the_published_runs(published, runs):
    assert_same_table(evaluate(REGISTRY.claims, runs), published)


def test_published_runs_cover_every_arm_of_every_claim_at_its_seeds(runs):
    for claim in REGISTRY.claims:
        arms = runs[claim.id]
        assert set(arms) == set(claim.arms(knockout=True)), claim.id
        for frame in arms.values():
            assert list(frame.index) == list(range(claim.seeds)), claim.id
            assert set(frame.columns) == set(claim.expect), claim.id


def test_published_rows_have_verdicts_knock_outs_and_flags_by_the_rule(published):
    rows = {(c.id, output) for c in REGISTRY.claims for output in c.expect}
    assert set(zip(published["claim"], published["output"], strict=True)) == rows
    assert set(published["verdict"]) <= set(VERDICTS)
    assert set(published["knockout_result"]) <= set(KNOCKOUT_RESULTS)
    rule = (published["verdict"] == "holds") & (published["knockout_result"] != "removes")
    assert (published["flagged"] == rule).all()


def test_published_verdicts_are_read_as_written(published, tmp_path):
    table = published.head(2).copy()
    table.loc[0, ["verdict", "effect"]] = ["null", float("nan")]
    table.to_csv(tmp_path / "t.csv", index=False)
    back = read_table(tmp_path / "t.csv")
    assert back.loc[0, "verdict"] == "null" and np.isnan(back.loc[0, "effect"])
    assert back.loc[1, "effect"] == table.loc[1, "effect"]
    assert back["flagged"].dtype == bool


def test_per_seed_values_read_back_as_written(runs, tmp_path):
    claims = REGISTRY.select(list(FULL))
    subset = {c.id: runs[c.id] for c in claims}
    runs_frame(claims, subset).to_csv(tmp_path / "runs.csv", index=False)
    back = read_runs(tmp_path / "runs.csv")
    for claim in claims:
        assert_same_values(claim.id, back[claim.id], subset[claim.id], list(range(claim.seeds)))


@pytest.fixture(scope="module")
def first_seeds():
    """Every arm of every claim, knock-outs included, at its first seed: one ``run_arms`` call,
    so a run that several claims share (202 distinct runs for 264 arms) runs once.

    A knock-out target may be called at some seeds only (alliance_low_profit's allied traffic,
    once an alliance has formed): whether arm B calls it is checked over all the claim's seeds
    (socialabm claims --update-docs, --full-claims), and by the tests below."""
    seeds = {claim.id: [0] for claim in REGISTRY.claims}
    return run_arms(
        REGISTRY.claims, seeds, knockout=True, workers=0, progress=False, check_calls=False
    )


# one test process runs them all (pytest-xdist), so the shared runs are made once
@pytest.mark.slow
@pytest.mark.xdist_group("claims_first_seeds")
@pytest.mark.parametrize("claim_id", REGISTRY.ids)
def test_every_arm_and_knock_out_reproduces_its_first_seed(claim_id, first_seeds, runs):
    assert_same_values(claim_id, first_seeds[claim_id], runs[claim_id], [0])


@pytest.mark.parametrize("claim_id", FULL)
def test_a_few_claims_reproduce_every_seed_and_their_rows(claim_id, runs, published):
    claims = REGISTRY.select([claim_id])
    fresh = run_arms(claims, claim_seeds(claims), knockout=True, workers=0, progress=False)
    assert_same_values(claim_id, fresh[claim_id], runs[claim_id], list(range(claims[0].seeds)))
    rows = published[published["claim"] == claim_id].reset_index(drop=True)
    assert_same_table(evaluate(claims, fresh), rows)


def test_a_knock_out_of_code_the_claim_does_not_call_is_refused(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text(
        textwrap.dedent("""
        [[claims]]
        id = "dignity"
        claim = "Dignity drives sharing."
        scenario = "social_commerce"
        n_consumers = 100
        steps = 20
        mechanism = ["kappa_dignity"]
        a = { kappa_dignity = 0.0 }
        b = {}
        ablation = { dignity_mean = 0.0 }
        # campaigns imports current_power by name: the bargaining module's name is never called
        knockout = { "socialabm.rules.bargaining:current_power" = "zero" }
        expect = { shares = "up" }
        """)
    )
    claims = load_registry(path).claims
    with pytest.raises(ClaimError, match="current_power' was never called in arm B"):
        run_arms(claims, claim_seeds(claims, [0]), knockout=True, workers=0, progress=False)


@pytest.mark.slow
@pytest.mark.parametrize("backend", [{"workers": 2}, {"dask_local": 1}], ids=["pool", "dask"])
def test_knock_outs_apply_in_every_backend_and_never_leak(backend, runs):
    """Knocked-out and normal runs share the worker processes: each gives the values of the
    published run (made in other processes), so no knock-out reached a run it did not belong to."""
    claims = REGISTRY.select(["weak_tie_bridges", "weak_tie_dignity"])
    seeds = {c.id: [0, 1] for c in claims}
    fresh = run_arms(claims, seeds, knockout=True, progress=False, **backend)
    for claim in claims:
        assert_same_values(claim.id, fresh[claim.id], runs[claim.id], [0, 1])


@pytest.mark.full_claims
def test_fresh_run_reproduces_the_published_runs_and_table(published, runs):
    claims = list(REGISTRY.claims)
    fresh = run_arms(claims, claim_seeds(claims), knockout=True, workers=None, progress=False)
    for claim in claims:
        assert_same_values(claim.id, fresh[claim.id], runs[claim.id], list(range(claim.seeds)))
    assert_same_table(evaluate(claims, fresh), published)


def test_the_command_lists_claims_and_prints_what_each_says(tmp_path, capsys):
    from socialabm.cli import main

    assert main(["claims", "--list"]) == 0
    listed = capsys.readouterr().out
    for claim in REGISTRY.claims:
        assert f"{claim.id} (seed §{claim.section})" in listed
        assert claim.claim.split()[0] in listed
    assert "knock-out: socialabm.rules.consumer:share_probability = zero(dignity)" in listed
    assert listed.rstrip().endswith(f"{len(REGISTRY.claims)} claims")

    out = tmp_path / "t.csv"
    args = ["claims", "weak_tie_bridges", "--seeds", "3", "--knockout", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    (claim,) = REGISTRY.select(["weak_tie_bridges"])
    assert "weak_tie_bridges (seed §2.3)\n    Weak ties that bridge distant" in printed
    assert "knock-out [95% CI]" in printed and "1 rows: " in printed
    assert list(read_table(out)["knockout_result"]) != [""]


def test_update_docs_publishes_only_the_full_registry(capsys):
    from socialabm.cli import main

    assert main(["claims", "dignity_sharing", "--update-docs"]) == 2
    assert "drop the claim ids" in capsys.readouterr().err
