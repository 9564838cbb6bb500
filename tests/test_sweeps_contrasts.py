"""Paired contrasts between design points of a sweep run on common seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialabm.sweeps import SweepSpec, read_runs, run_sweep
from socialabm.sweeps.__main__ import main
from socialabm.sweeps.contrasts import welch_half_width

FAKE = "socialabm.sweeps.testing:fake_run"


def sweep(tmp_path, seeds: str):
    spec = SweepSpec(
        design="grid", replicates=8, steps=30, seed=4, seeds=seeds,
        vary={"jump_friction": [0.1, 0.3, 0.6]},
    )  # fmt: skip
    out = tmp_path / seeds
    run_sweep(spec, out, workers=0, runner=FAKE, progress=False)
    return out


@pytest.fixture(scope="module")
def common(tmp_path_factory):
    return sweep(tmp_path_factory.mktemp("contrasts"), "common")


def test_contrasts_pair_replicates_on_their_common_seed(common, capsys):
    argv = ["analyze", str(common), "--no-plots", "--outputs", "sales_total,aware_final"]
    assert main([*argv, "--contrast-base", "1"]) == 0
    assert "paired contrasts (common seeds)" in capsys.readouterr().out
    table = pd.read_csv(common / "analysis" / "contrasts.csv")
    assert sorted(table["point"].unique()) == [0, 2] and set(table["base"]) == {1}
    # jump_friction plays no part in aware_final: the two runs of a pair (one seed) are identical
    aware = table[table["output"] == "aware_final"]
    assert (aware["diff"] == 0).all() and (aware["ci_high"] == aware["ci_low"]).all()
    runs = read_runs(common).set_index(["point", "replicate"])["sales_total"]
    d = (runs.loc[2] - runs.loc[1]).to_numpy()
    row = table[(table["point"] == 2) & (table["output"] == "sales_total")].iloc[0]
    assert row["diff"] == pytest.approx(d.mean()) and row["n"] == 8
    assert row["ci_high"] - row["diff"] == pytest.approx(row["paired_half"])
    unpaired = welch_half_width(runs.loc[1].to_numpy(), runs.loc[2].to_numpy())
    assert row["unpaired_half"] == pytest.approx(unpaired)
    assert row["paired_half"] < row["unpaired_half"]  # what the common seeds gain
    finite = table["p_value"].notna()
    m = finite.sum()
    assert (table.loc[finite, "p_holm"] >= table.loc[finite, "p_value"]).all()
    assert table.loc[finite, "p_holm"].min() == pytest.approx(
        min(1.0, m * table.loc[finite, "p_value"].min())
    )
    report = (common / "analysis" / "report.md").read_text()
    assert "## Paired contrasts (common random numbers)" in report
    assert "Each point against point 1 (jump_friction = 0.3)" in report


def test_welch_half_width_is_the_textbook_one():
    a, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 4.0, 6.0])
    va, vb = a.var(ddof=1) / 4, b.var(ddof=1) / 3
    df = (va + vb) ** 2 / (va**2 / 3 + vb**2 / 2)
    from scipy import stats

    assert welch_half_width(a, b) == pytest.approx(stats.t.ppf(0.975, df) * np.sqrt(va + vb))
    assert np.isnan(welch_half_width(a[:1], b))


def test_independent_seeds_give_no_contrasts_and_say_why_when_asked(tmp_path, capsys):
    out = sweep(tmp_path, "independent")
    assert main(["analyze", str(out), "--no-plots"]) == 0
    assert not (out / "analysis" / "contrasts.csv").exists()
    capsys.readouterr()
    assert main(["analyze", str(out), "--no-plots", "--contrast-base", "0"]) == 2
    err = capsys.readouterr().err
    assert 'paired contrasts need seeds = "common"' in err and len(err.splitlines()) == 1


def test_a_contrast_base_that_is_no_point_is_refused(common, capsys):
    assert main(["analyze", str(common), "--no-plots", "--contrast-base", "7"]) == 2
    assert "--contrast-base 7: not a design point" in capsys.readouterr().err
