"""The output catalog declares exactly what the model produces, and the commands print outputs
grouped, with their units, meanings and multiple-comparison adjustments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from socialabm.agents.retailer import CHANNELS

from socialabm import SocialCommerceModel
from socialabm.cli import main
from socialabm.cli.printing import summary_lines
from socialabm.experiments.adjust import benjamini_hochberg, holm, with_adjusted_p
from socialabm.output_catalog import (
    CHANNEL_NAMES,
    DAILY_OUTPUTS,
    GROUPS,
    SUMMARY_OUTPUTS,
    declared,
    summary_names,
)
from socialabm.suggest import close_names, did_you_mean

EVERYTHING_ON = {
    "n_consumers": 200, "presale_mode": "experience", "alliances": True,
    "campaign_units": 3, "n_social_ecommerce": 2,
}  # fmt: skip


@pytest.fixture(scope="module")
def produced() -> dict[str, list[str]]:
    """The summary keys and daily columns of two stepped models (defaults, everything on)."""
    names: dict[str, list[str]] = {"summary": [], "daily": []}
    for params in ({"n_consumers": 100}, EVERYTHING_ON):
        model = SocialCommerceModel(**params, rng=3)
        for _ in range(5):
            model.step()
        names["summary"] += [k for k in model.summary() if k not in names["summary"]]
        names["daily"] += [c for c in model.daily_frame() if c not in names["daily"]]
    return names


@pytest.mark.parametrize(
    ("kind", "table"), [("summary", SUMMARY_OUTPUTS), ("daily", DAILY_OUTPUTS)]
)
def test_every_output_produced_is_declared_and_every_declared_one_is_produced(
    produced, kind, table
):
    names = produced[kind]
    assert len(names) > 45
    assert [n for n in names if declared(n, table) is None] == [], "declare them"
    unproduced = [o.name for o in table.values() if not any(o.matches(n) for n in names)]
    assert unproduced == [], "not produced by the model: remove or fix their declaration"
    for out in table.values():
        assert out.unit and out.meaning and out.group in GROUPS


def test_families_stand_for_one_output_per_channel_or_platform(produced):
    assert CHANNEL_NAMES == CHANNELS
    wholesale = SUMMARY_OUTPUTS["wholesale_<channel>"]
    assert [n for n in produced["summary"] if wholesale.matches(n)] == [
        f"wholesale_{c}" for c in CHANNELS
    ]
    assert declared("wholesale_elsewhere", SUMMARY_OUTPUTS) is None
    assert declared("payoff_se_2", DAILY_OUTPUTS) is DAILY_OUTPUTS["payoff_se_<k>"]
    assert declared("payoff_se_x", DAILY_OUTPUTS) is None
    assert sorted(summary_names()) == sorted(produced["summary"])


def test_the_run_summary_is_grouped_with_units_and_says_what_it_left_out():
    summary = {name: 1.5 for name in summary_names()}
    lines = summary_lines(summary)
    headings = [line.strip() for line in lines if not line.startswith("    ")][:-1]
    assert headings == [h for k, h in GROUPS.items() if k not in ("run",)]
    assert "    aware_share" in lines[1] and "fraction" in lines[1]
    assert "consumers aware of at least one product" in lines[1]
    shown = sum(line.startswith("    ") for line in lines)
    assert 25 <= shown < len(summary)
    assert lines[-1] == (
        f"  ({shown} of {len(summary)} outputs; --all shows every one, `socialabm outputs` "
        "explains them, --out writes them to summary.csv)"
    )
    every = summary_lines(summary, every=True)
    assert sum(line.startswith("    ") for line in every) == len(summary)
    assert any(line.startswith("    platform_margin_giant") for line in every)


def test_socialabm_outputs_lists_every_declared_output_and_suggests_names(capsys):
    assert main(["outputs"]) == 0
    out = capsys.readouterr().out
    for name in [*SUMMARY_OUTPUTS, *DAILY_OUTPUTS]:
        assert f"    {name} " in out
    assert "<channel>: one output per retailer channel: self_run, trading_3p" in out
    assert main(["outputs", "--daily", "total_debt"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == [
        "total_debt", "CU", "consumers'", "debt,", "summed",
    ]  # fmt: skip
    assert main(["outputs", "stars"]) == 2
    err = capsys.readouterr().err
    assert "'stars' is not an output; did you mean 'mean_stars' or 'shares'" in err
    assert "`socialabm outputs` lists" in err and err.count("\n") == 1


def test_compare_filters_outputs_and_adjusts_for_the_ones_compared(tmp_path, capsys):
    argv = ["compare", "traditional", "social_commerce", "--seeds", "3", "--steps", "20"]
    argv += ["--set", "n_consumers=150", "--outputs", "sales, aware_share,sales_jump"]
    assert main([*argv, "--out", str(tmp_path / "c.csv")]) == 0
    out = capsys.readouterr().out
    rows = [line.split()[0] for line in out.splitlines() if line[:5].lstrip() == line[4] != " "]
    assert rows == ["aware_share", "sales", "sales_jump"]  # in catalog order, grouped
    assert "Holm's adjustment for the 3 outputs compared" in out
    table = pd.read_csv(tmp_path / "c.csv", index_col="output")
    assert list(table.index) == ["sales", "aware_share", "sales_jump"]
    np.testing.assert_allclose(table["p_holm"], holm(table["p_value"]))
    np.testing.assert_allclose(table["p_bh"], benjamini_hochberg(table["p_value"]))


def test_a_mistyped_compare_output_fails_before_any_run(capsys):
    assert main(["compare", "traditional", "presale", "--outputs", "sales,aware_shar"]) == 2
    err = capsys.readouterr().err
    assert "--outputs: 'aware_shar' is not a summary output; did you mean 'aware_share'?" in err


def test_holm_and_benjamini_hochberg_on_a_worked_example():
    p = [0.01, 0.04, 0.03, 0.005, np.nan]
    # Holm: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 -> running max
    np.testing.assert_allclose(holm(p), [0.03, 0.06, 0.06, 0.02, np.nan])
    # BH: times 4/1, 4/2, 4/3, 4/4 = 0.02, 0.02, 0.04, 0.04 -> running min from the top
    np.testing.assert_allclose(benjamini_hochberg(p), [0.02, 0.04, 0.04, 0.02, np.nan])
    assert holm([0.9, 0.8]).tolist() == [1.0, 1.0]  # capped at 1
    table = with_adjusted_p(pd.DataFrame({"p_value": [0.01, 0.5]}))
    assert table["p_holm"].tolist() == [0.02, 0.5]
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        holm([1.5])


def test_did_you_mean_finds_close_spellings_other_cases_and_fragments():
    known = ["mean_stars", "aware_share", "sales", "sales_jump", "cascade_single_share"]
    assert close_names("aware_shar", known) == ["aware_share"]
    assert close_names("Aware_Share", known) == ["aware_share"]
    assert close_names("stars", known)[0] == "mean_stars"
    assert close_names("cascade_single", known) == ["cascade_single_share"]
    assert close_names("zzz", known) == []
    assert did_you_mean("sale", known) == "; did you mean 'sales' or 'sales_jump'?"
    assert did_you_mean("zzz", known) == ""


def test_unknown_key_names_the_first_stray_key_a_suggestion_and_what_is_allowed():
    from socialabm.suggest import unknown_key

    allowed = {"population", "generations", "quantile"}
    assert unknown_key({"population": 1, "quantile": 0.5}, allowed) == ""
    assert unknown_key(["population", "generation", "x"], allowed) == (
        "unknown key 'generation'; did you mean 'generations'? "
        "(allowed: generations, population, quantile)"
    )
