"""A command that needs a missing extra says which, in one line, before any work (missing modules
simulated: ``sys.modules[name] = None`` makes an import and ``find_spec`` fail as if absent)."""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest

from socialabm.cli import main
from socialabm.extras import EXTRAS, MissingExtraError, explain, require
from socialabm.sweeps import SweepSpec, run_sweep

ROOT = Path(__file__).resolve().parents[1]


def absent(monkeypatch, *modules: str) -> None:
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def test_require_names_the_extra_and_how_to_install_it(monkeypatch):
    require("analysis", "a sobol design", ("SALib",))  # installed here: nothing happens
    absent(monkeypatch, "SALib")
    with pytest.raises(MissingExtraError) as caught:
        require("analysis", "a sobol design", ("SALib",))
    assert str(caught.value) == (
        "a sobol design needs SALib, from socialabm's 'analysis' extra: "
        'pip install "socialabm[analysis]"'
    )


def test_viz_without_the_app_extra_stops_before_starting(monkeypatch, capsys):
    absent(monkeypatch, "solara", "ipyvuetify")
    assert main(["viz", "--port", "1"]) == 2
    err = one_line(capsys)
    assert "socialabm viz needs solara, ipyvuetify, from socialabm's 'app' extra" in err
    assert 'pip install "socialabm[app]"' in err


def test_dask_options_without_the_distributed_extra_stop_before_the_directory(
    monkeypatch, capsys, tmp_path
):
    spec = tmp_path / "s.toml"
    spec.write_text("steps = 3\n[fixed]\nn_consumers = 50\n[vary]\njump_friction = [0.1]\n")
    absent(monkeypatch, "dask", "distributed")
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--dask-local", "1"]) == 2
    assert "needs dask, distributed, from socialabm's 'distributed' extra" in one_line(capsys)
    assert not out.exists()
    assert main(["claims", "--seeds", "2", "--dask-local", "1", "--out", str(out / "c")]) == 2
    assert "'distributed' extra" in one_line(capsys)


def test_a_sampled_design_without_salib_stops_before_the_directory(monkeypatch, capsys, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(
        "design = 'lhs'\nsamples = 4\n[vary]\njump_friction = {low = 0.1, high = 0.5}\n"
    )
    absent(monkeypatch, "SALib")
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "0"]) == 2
    assert "a lhs design needs SALib, from socialabm's 'analysis' extra" in one_line(capsys)
    assert not out.exists()


def test_analysis_needs_the_extra_only_for_plots_indices_and_prim(monkeypatch, capsys, tmp_path):
    spec = SweepSpec(steps=5, vary={"jump_friction": [0.1, 0.5]}, replicates=2)
    out = tmp_path / "grid"
    run_sweep(spec, out, workers=0, runner="socialabm.sweeps.testing:fake_run", progress=False)
    absent(monkeypatch, "matplotlib", "SALib", "ema_workbench")
    assert main(["analyze", str(out)]) == 2
    assert "plotting (--no-plots skips it) needs matplotlib" in one_line(capsys)
    assert not (out / "analysis").exists()  # nothing half written
    assert main(["analyze", str(out), "--no-plots", "--prim", "sales_total>10"]) == 2
    assert "--prim (scenario discovery) needs ema_workbench" in one_line(capsys)
    assert main(["analyze", str(out), "--no-plots"]) == 0  # a grid's means and CIs: core only
    assert (out / "analysis" / "point_stats.csv").is_file()


def test_run_out_without_matplotlib_writes_the_data_and_says_why_there_is_no_plot(
    monkeypatch, capsys, tmp_path
):
    absent(monkeypatch, "matplotlib")
    argv = ["run", "traditional", "--steps", "3", "--set", "n_consumers=60", "--out"]
    assert main([*argv, str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "no plot: it needs matplotlib, from socialabm's 'analysis' extra" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "daily.csv", "daily.parquet", "manifest.json", "summary.csv",
    ]  # fmt: skip


def test_any_other_missing_module_of_an_extra_is_one_line_and_a_bug_is_not_hidden(
    monkeypatch, capsys
):
    err = ModuleNotFoundError("No module named 'ema_workbench'", name="ema_workbench.analysis")
    assert explain(err, "socialabm analyze") == (
        "socialabm analyze needs ema_workbench, from socialabm's 'analysis' extra: "
        'pip install "socialabm[analysis]"'
    )
    shared = ModuleNotFoundError(name="matplotlib.pyplot")
    assert "'app' or 'analysis' or 'calibration' extra" in explain(shared, "x")
    assert explain(ModuleNotFoundError(name="no_such_module"), "x") is None

    import socialabm.cli.commands as commands

    def fails(args):
        import no_such_module_xyz  # noqa: F401

    monkeypatch.setattr(commands, "cmd_scenarios", fails)
    with pytest.raises(ModuleNotFoundError):  # not an extra: a bug, shown as one
        main(["scenarios"])


NAME = re.compile(r"\s*([A-Za-z0-9_.-]+)\s*(?:\[([^\]]+)\])?")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_by(requirements: list[str]) -> set[str]:
    """The distributions ``requirements`` install (with their own dependencies, not extras'
    optional ones), normalised."""
    todo, seen = list(requirements), set()
    while todo:
        match = NAME.match(todo.pop())
        for name in {match.group(1), *(match.group(2) or "").split(",")} - {""}:
            if _normal(name) in seen:
                continue
            seen.add(_normal(name))
            try:
                needs = importlib.metadata.requires(name) or []
            except importlib.metadata.PackageNotFoundError:
                continue
            todo += [r for r in needs if "extra ==" not in r]
    return seen


def test_the_extras_table_matches_pyproject():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    optional = declared["optional-dependencies"]
    assert set(EXTRAS) <= set(optional)
    providers = importlib.metadata.packages_distributions()
    core = installed_by(declared["dependencies"])
    for extra, modules in EXTRAS.items():
        extra_installs = installed_by(optional[extra])
        for module in modules:
            dists = {_normal(d) for d in providers[module]}
            assert dists & extra_installs, f"{module} is not installed by the {extra!r} extra"
            assert not dists & core, f"{module} is installed by the core already"
