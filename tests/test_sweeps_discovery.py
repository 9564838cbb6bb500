"""Scenario discovery: ``analyze --prim`` finds the region where the toy runner's sales are high."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from socialabm.sweeps import SweepSpec, analyze_sweep, read_runs, run_sweep
from socialabm.sweeps.__main__ import main
from socialabm.sweeps.discovery import DiscoveryError, parse_condition

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = pytest.mark.xdist_group("test_sweeps_discovery")


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """An LHS sweep of the toy runner: its sales fall with jump_friction, rise with presale
    modes, and do not depend on deposit."""
    spec = SweepSpec(
        design="lhs",
        samples=120,
        steps=30,
        seed=11,
        vary={
            "jump_friction": {"low": 0.0, "high": 0.9},
            "deposit": {"low": 0.1, "high": 0.5},
            "presale_mode": ["none", "presale", "experience"],
        },
    )
    out = tmp_path_factory.mktemp("prim") / "toy"
    run_sweep(spec, out, workers=0, runner="socialabm.sweeps.testing:fake_run", progress=False)
    return out


def inside(runs: pd.DataFrame, limits: pd.DataFrame) -> np.ndarray:
    """Which runs lie in the box given by ``PrimBox.limits``-like restrictions."""
    keep = np.ones(len(runs), dtype=bool)
    for param, row in limits.iterrows():
        if isinstance(row["levels"], list):
            keep &= runs[param].astype(str).isin(row["levels"]).to_numpy()
        else:
            if not pd.isna(row["low"]):
                keep &= runs[param].to_numpy(float) >= row["low"]
            if not pd.isna(row["high"]):
                keep &= runs[param].to_numpy(float) <= row["high"]
    return keep


def test_prim_box_restricts_the_parameters_that_matter(toy, capsys):
    threshold = float(read_runs(toy)["sales_total"].quantile(0.7))
    condition = f"sales_total>{threshold:g}"
    assert main(["analyze", str(toy), "--outputs", "sales_total", "--prim", condition]) == 0
    printed = capsys.readouterr().out
    summary = json.loads((toy / "analysis" / f"prim_sales_total_gt_{threshold:g}.json").read_text())
    assert printed.startswith(summary["summary"])
    restricted = " ".join(summary["restrictions"])
    assert "jump_friction <=" in restricted and "deposit" not in restricted
    assert "presale_mode in {" in restricted and "none" not in restricted
    assert summary["coverage"] >= 0.5 and summary["density"] > 0.6

    # coverage and density are what they say, recomputed from runs.parquet and the box limits
    from socialabm.sweeps.analyze import load_sweep
    from socialabm.sweeps.discovery import discover

    data = load_sweep(toy)
    box = discover(data, parse_condition(condition, data.outputs))
    runs = read_runs(toy)
    case = runs["sales_total"].to_numpy() > threshold
    keep = inside(runs, box.limits)
    assert summary["density"] == pytest.approx(case[keep].mean())
    assert summary["coverage"] == pytest.approx(case[keep].sum() / case.sum())
    trajectory = pd.read_csv(toy / "analysis" / f"prim_sales_total_gt_{threshold:g}.csv")
    assert trajectory["chosen"].sum() == 1 and trajectory["coverage"].iloc[0] == 1.0

    report = (toy / "analysis" / "report.md").read_text()
    assert "## Scenario discovery (PRIM)" in report and "| `jump_friction` |" in report
    for kind in ("tradeoff", "box"):
        png = toy / "analysis" / "plots" / f"prim_sales_total_gt_{threshold:g}_{kind}.png"
        assert png.read_bytes()[:4] == b"\x89PNG"
        assert png.name in report


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("sales_total>>3", "expected OUTPUT>VALUE"),
        ("sales_total>many", "expected OUTPUT>VALUE"),
        ("sales_totl>3", "did you mean 'sales_total'"),
        ("sales_total>1e9", "no run of the 120 meets it"),
        ("sales_total>=0", "every run of the 120 meets it"),
    ],
)
def test_bad_conditions_are_one_clear_line(toy, capsys, condition, message):
    assert main(["analyze", str(toy), "--no-plots", "--prim", condition]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1


def test_python_api_takes_conditions_too(toy):
    with pytest.raises(DiscoveryError, match="did you mean"):
        analyze_sweep(toy, plots=False, prim=["noise_>0.5"])
    report = analyze_sweep(toy, plots=False, prim=["noise<0.5"]).read_text()
    assert "**noise<0.5**" in report
    assert not list((toy / "analysis").glob("prim_sales_total*"))  # earlier searches cleared


def test_prim_box_shows_the_box_asked_for_and_prints_the_trajectory(toy, capsys):
    threshold = float(read_runs(toy)["sales_total"].quantile(0.7))
    condition = f"sales_total>{threshold:g}"
    assert main(["analyze", str(toy), "--no-plots", "--prim", condition]) == 0
    automatic = capsys.readouterr().out
    trajectory = pd.read_csv(toy / "analysis" / f"prim_sales_total_gt_{threshold:g}.csv")
    shown = [line for line in automatic.splitlines() if line.endswith("<- shown")]
    assert len(shown) == 1 and int(shown[0].split()[0]) == trajectory["chosen"].idxmax()
    assert len([line for line in automatic.splitlines() if line[:5].strip().isdigit()]) == len(
        trajectory
    )
    assert main(["analyze", str(toy), "--no-plots", "--prim", condition, "--prim-box", "0"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "box 0 (chosen with --prim-box): (no restriction); coverage 100%" in first
    summary = json.loads((toy / "analysis" / f"prim_sales_total_gt_{threshold:g}.json").read_text())
    assert summary["box"] == 0 and summary["picked"] and summary["restrictions"] == []
    last = len(trajectory) - 1
    assert main(["analyze", str(toy), "--no-plots", "--prim", condition, "--prim-box", "99"]) == 2
    assert f"--prim-box 99: the peeling trajectory of {condition} has boxes 0 to {last}" in (
        capsys.readouterr().err
    )
    argv = ["analyze", str(toy), "--no-plots", "--prim", condition, "--prim-box", "0"]
    assert main([*argv, "--prim-box", "1"]) == 2
    assert "--prim-box given 2 times for 1 --prim condition(s)" in capsys.readouterr().err
