"""The shipped example sweeps run end to end through the CLI, and their analysis is right."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from socialabm.sweeps import SweepSpec, run_sweep
from socialabm.sweeps.__main__ import main
from socialabm.sweeps.analyze import AnalysisError, analyze_sweep

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = pytest.mark.xdist_group("test_sweeps_analyze")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sweeps"


@pytest.fixture(scope="module")
def grid_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("grid") / "small_grid"
    code = main(
        [
            "sweep",
            str(EXAMPLES / "small_grid.toml"),
            "--out",
            str(out),
            "--workers",
            "2",
            "--no-progress",
            "--analyze",
        ]
    )
    assert code == 0
    return out


def test_grid_example_report_and_tables(grid_dir):
    analysis = grid_dir / "analysis"
    report = (analysis / "report.md").read_text()
    assert "# Sweep report: small_grid" in report and "18 ok, 0 failed" in report
    assert "no sensitivity indices" in report
    for output in ("sales", "aware_share", "jump_conversion", "shares_per_buyer"):
        png = analysis / "plots" / f"effects_{output}.png"
        assert png.read_bytes()[:4] == b"\x89PNG"
        assert f"plots/effects_{output}.png" in report
    assert pd.read_parquet(grid_dir / "daily.parquet")["run_id"].nunique() == 18


def test_point_means_and_confidence_intervals_are_right(grid_dir):
    runs = pd.read_parquet(grid_dir / "runs.parquet")
    table = pd.read_parquet(grid_dir / "analysis" / "point_stats.parquet")
    row = table[(table["point"] == 2) & (table["output"] == "sales")].iloc[0]
    values = runs.loc[runs["point"] == 2, "sales"].to_numpy(float)
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    assert row["n"] == 3 and row["mean"] == pytest.approx(values.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (values.mean() - half, values.mean() + half)
    )
    assert row["jump_friction"] == 0.35 and row["presale_mode"] == "none"


def test_sobol_example_gives_indices_and_a_bar_chart(tmp_path):
    out = tmp_path / "sobol"
    assert (
        main(
            [
                "sweep",
                str(EXAMPLES / "sobol.toml"),
                "--out",
                str(out),
                "--workers",
                "2",
                "--no-progress",
            ]
        )
        == 0
    )
    assert main(["analyze", str(out)]) == 0
    indices = pd.read_csv(out / "analysis" / "sensitivity.csv")
    assert set(indices["index"]) == {"S1", "ST"} and set(indices["method"]) == {"sobol"}
    assert set(indices["parameter"]) == {"jump_friction", "beta_weak", "kappa_dignity", "deposit"}
    assert set(indices["output"]) == {"sales", "aware_share", "shares_per_buyer"}
    assert (out / "analysis" / "plots" / "sensitivity.png").exists()
    report = (out / "analysis" / "report.md").read_text()
    assert "Method: **sobol**" in report
    # N = 16 gives noise, and the report says so, with a larger sample to use
    assert "**Warning: some indices are not trustworthy.**" in report
    assert "- **sales**: not trustworthy at `samples = 16`" in report
    # the convergence view: the indices on the first 4, 8 and 16 base samples
    convergence = pd.read_csv(out / "analysis" / "convergence.csv")
    assert sorted(convergence["n"].unique()) == [4, 8, 16]
    last = convergence[convergence["n"] == 16].set_index(["output", "parameter", "index"])
    full = indices.set_index(["output", "parameter", "index"]).loc[last.index]
    assert np.allclose(last["value"], full["value"])  # n = N is the full analysis
    assert "### Convergence" in report and "| `beta_weak` | ST |" in report
    assert (out / "analysis" / "plots" / "convergence.png").exists()


def toy_sweep(out: Path, **spec) -> Path:
    """A sampled sweep of the toy runner over jump_friction (which drives its sales) and deposit
    (which does not), 20 days per run."""
    ranges = {"jump_friction": {"low": 0.0, "high": 0.9}, "deposit": {"low": 0.1, "high": 0.5}}
    spec = SweepSpec(vary=ranges, steps=20, **spec)
    run_sweep(spec, out, workers=0, runner="socialabm.sweeps.testing:fake_run", progress=False)
    return out


def test_rbd_fast_intervals_are_never_a_false_zero(tmp_path):
    """Small LHS designs used to print "± 0": too many harmonics for the bootstrap resamples."""
    out = toy_sweep(tmp_path / "lhs", design="lhs", samples=16, seed=2)
    report = analyze_sweep(out, outputs=["sales_total"], plots=False).read_text()
    indices = pd.read_csv(out / "analysis" / "sensitivity.csv")
    assert set(indices["method"]) == {"rbd_fast"}
    assert (indices["conf"] > 0).all()
    assert re.search(r"± 0(\s|\|)", report) is None
    assert "not trustworthy at `samples = 16`" in report  # and the intervals are wide


def test_morris_indices_find_the_influential_parameter(tmp_path):
    """On the toy runner, sales fall with jump_friction; deposit does not affect sales."""
    out = toy_sweep(tmp_path / "morris", design="morris", samples=10, replicates=1, seed=5)
    analyze_sweep(out, outputs=["sales_total"], plots=False)
    idx = pd.read_csv(out / "analysis" / "sensitivity.csv").query("index == 'mu_star'")
    mu = idx.set_index("parameter")["value"]
    assert mu["jump_friction"] > 5 * mu["deposit"]


def test_analysis_errors_are_one_clear_line(grid_dir, tmp_path, capsys):
    with pytest.raises(AnalysisError, match="did you mean 'sales'"):
        analyze_sweep(grid_dir, outputs=["sale"], plots=False)
    assert main(["analyze", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not a sweep directory" in err and len(err.splitlines()) == 1


def test_cli_dry_run_and_spec_errors(tmp_path, capsys):
    assert (
        main(["sweep", str(EXAMPLES / "sobol.toml"), "--out", str(tmp_path / "x"), "--dry-run"])
        == 0
    )
    assert "96 points x 2 replicates = 192 runs" in capsys.readouterr().out
    assert not (tmp_path / "x").exists()
    bad = tmp_path / "bad.toml"
    bad.write_text("[vary]\nbeta_wek = [0.1]\n")
    assert main(["sweep", str(bad), "--out", str(tmp_path / "y")]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'beta_weak'" in err and len(err.splitlines()) == 1


def test_failed_runs_make_a_nonzero_exit_and_appear_in_the_report(tmp_path, capsys):
    spec = SweepSpec(vary={"jump_friction": [0.1, 0.999]}, replicates=2, steps=5)
    out = tmp_path / "f"
    outcome = run_sweep(
        spec, out, workers=0, runner="socialabm.sweeps.testing:failing_run", progress=False
    )
    assert outcome.n_failed == 2
    report = analyze_sweep(out, plots=False).read_text()
    assert "## Failed runs" in report and "deliberate failure" in report
