"""Agent classes named as ``"module:Class"`` strings in scenario files, sweep files and the app."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import solara

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # examples/ is a package at the repository root
    sys.path.insert(0, str(ROOT))

from socialabm.scenarios import ScenarioError, load_scenario  # noqa: E402
from socialabm.viz import app, cli  # noqa: E402
from socialabm.viz import session as viz_session  # noqa: E402
from socialabm.viz.limits import Limits  # noqa: E402
from socialabm.viz.links import read_link  # noqa: E402

from examples.debt_averse_consumer import DebtAverseConsumer, FastDebtAverseConsumer  # noqa: E402
from socialabm import Consumer, SocialCommerceModel  # noqa: E402
from socialabm.cli import main  # noqa: E402
from socialabm.parameters import ParameterError, validate  # noqa: E402
from socialabm.sweeps import SweepSpec, SweepSpecError, load_spec, run_sweep  # noqa: E402

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = pytest.mark.xdist_group("test_class_paths")

AVERSE = "examples.debt_averse_consumer:DebtAverseConsumer"
FAST = "examples.debt_averse_consumer:FastDebtAverseConsumer"
SMALL = {"n_consumers": 300, "campaign_days": 30, "n_campaigns": 2}

# (value, what the message must say) for every way a class string can be wrong
BAD = [
    ("examples.debt_averse_consumer", "not of the form 'module:Class'"),
    ("no_such_module_xyz:Consumer", "cannot be imported (No module named 'no_such_module_xyz')"),
    ("examples.debt_averse_consumer:NoSuchClass", "has no 'NoSuchClass'"),
    ("examples.dynamic_pricing_retailer:DynamicPricingRetailer", "not a subclass of Consumer"),
    (3, "neither a class nor a 'module:Class' string"),
]
ALLOWED = "allowed: 'module:Class' naming a subclass of socialabm.Consumer"


def scenario_file(tmp_path: Path, consumer_class: object, **params: object) -> Path:
    lines = [
        f"{k} = {json.dumps(v)}" for k, v in {**params, "consumer_class": consumer_class}.items()
    ]
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n[parameters]\n' + "\n".join(lines) + "\n")
    return path


# -- scenario files ----------------------------------------------------------------------------
def test_scenario_file_class_is_kept_and_changes_behaviour(tmp_path):
    scenario = load_scenario(scenario_file(tmp_path, AVERSE, **SMALL))
    assert scenario.parameters["consumer_class"] == AVERSE  # passed on as given
    averse = SocialCommerceModel(**scenario.model_params(), rng=1)
    assert averse.consumer_class is DebtAverseConsumer
    assert isinstance(averse.decisions.agent(0), DebtAverseConsumer)
    default = SocialCommerceModel(**SMALL, rng=1)
    for model in (averse, default):
        while model.running:
            model.step()
    assert averse.summary()["debt_per_consumer"] < default.summary()["debt_per_consumer"]


def test_example_scenario_file_and_cli_run(capsys):
    path = ROOT / "examples" / "scenarios" / "debt_averse.toml"
    assert load_scenario(path).parameters["consumer_class"] == FAST
    assert main(["run", str(path), "--steps", "5", "--set", "n_consumers=100"]) == 0
    assert "debt_per_consumer" in capsys.readouterr().out


@pytest.mark.parametrize(("value", "problem"), BAD)
def test_bad_class_in_scenario_file_is_one_clear_error(tmp_path, value, problem):
    path = scenario_file(tmp_path, value)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    text = str(err.value)
    assert text.startswith(f"scenario file {path}: parameter 'consumer_class': value {value!r}")
    assert problem in text and ALLOWED in text
    assert main(["run", str(path)]) == 2  # the CLI prints that line, no traceback


@pytest.mark.parametrize(("value", "problem"), BAD)
def test_bad_class_given_to_the_model_is_the_same_error(value, problem):
    with pytest.raises(ParameterError, match="parameter 'consumer_class'") as err:
        SocialCommerceModel(n_consumers=20, consumer_class=value)
    assert problem in str(err.value) and ALLOWED in str(err.value)


def test_validate_converts_classes_to_importable_paths():
    assert validate({"consumer_class": FastDebtAverseConsumer})["consumer_class"] == FAST
    assert "consumer_class" not in validate({})  # only when given

    class Local(Consumer):
        pass

    with pytest.raises(ParameterError, match="cannot be imported by name"):
        validate({"consumer_class": Local})
    with pytest.raises(ParameterError, match="did you mean 'consumer_class'"):
        validate({"consumer_clas": AVERSE})


# -- sweeps ------------------------------------------------------------------------------------
def tiny(**changes) -> SweepSpec:
    """2 points x 2 replicates of 40 days on 150 consumers (about a second)."""
    base = dict(
        vary={"jump_friction": [0.1, 0.6]},
        fixed={"n_consumers": 150},
        replicates=2,
        steps=40,
        seed=3,
    )
    return SweepSpec(**{**base, **changes})


def runs(path: Path) -> pd.DataFrame:
    """runs.parquet by run id, without the wall times (which differ between any two sweeps)."""
    table = pd.read_parquet(path / "runs.parquet").drop(columns="seconds")
    return table.sort_values("run_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory):
    """The tiny sweep with default consumers and with debt-averse ones, both in-process."""
    out = tmp_path_factory.mktemp("class_sweeps")
    run_sweep(tiny(), out / "default", workers=0, progress=False)
    custom = tiny(fixed={"n_consumers": 150, "consumer_class": AVERSE})
    run_sweep(custom, out / "custom", workers=0, progress=False)
    return runs(out / "default"), runs(out / "custom")


def test_fixed_class_changes_runs_and_is_recorded_as_a_string(sweeps):
    default, custom = sweeps
    assert "consumer_class" not in default
    assert pd.api.types.is_string_dtype(custom["consumer_class"])
    assert (custom["consumer_class"] == AVERSE).all()
    assert (custom["debt_per_consumer"] < default["debt_per_consumer"]).all()


@pytest.mark.parametrize(
    "backend",
    [{"workers": 2}, pytest.param({"dask_local": 2}, marks=pytest.mark.slow)],
    ids=["pool", "dask"],
)
def test_workers_resolve_the_class_string(sweeps, tmp_path, backend):
    if "dask_local" in backend:
        pytest.importorskip("distributed")
    custom = tiny(fixed={"n_consumers": 150, "consumer_class": AVERSE})
    outcome = run_sweep(custom, tmp_path / "sweep", chunk_size=1, progress=False, **backend)
    assert outcome.n_ok == 4 and outcome.n_failed == 0
    pd.testing.assert_frame_equal(runs(tmp_path / "sweep"), sweeps[1])


def test_class_as_a_varied_categorical_parameter(sweeps, tmp_path):
    spec = tiny(vary={"consumer_class": ["socialabm:Consumer", FAST]}, replicates=1)
    run_sweep(spec, tmp_path / "sweep", workers=0, progress=False)
    table = runs(tmp_path / "sweep").set_index("consumer_class")
    assert (
        table.loc[FAST, "debt_per_consumer"] < table.loc["socialabm:Consumer", "debt_per_consumer"]
    )
    example = load_spec(ROOT / "examples" / "sweeps" / "custom_consumer.toml")
    assert example.vary["consumer_class"].levels == ("socialabm:Consumer", FAST)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fixed": {"consumer_class": "examples.debt_averse_consumer"}}, "[fixed] consumer_class"),
        ({"fixed": {"consumer_class": "nope_xyz:C"}}, "No module named 'nope_xyz'"),
        ({"vary": {"consumer_class": ["socialabm:Consumer", "socialabm:Retailer"]}}, "subclass"),
        ({"vary": {"consumer_class": {"low": 0, "high": 1}}}, "a range needs a numeric"),
    ],
)
def test_bad_class_in_a_sweep_spec_fails_up_front(changes, message):
    with pytest.raises(SweepSpecError) as err:
        tiny(**changes)
    assert message in str(err.value) and "consumer_class" in str(err.value)


@pytest.mark.slow
def test_sweep_cli_workers_need_the_module_on_pythonpath(tmp_path):
    """From another folder, the real CLI runs a class sweep on a 2-worker pool with the module's
    folder on PYTHONPATH, and without it stops with one clear line before any run."""
    spec = ROOT / "examples" / "sweeps" / "custom_consumer.toml"
    cmd = [sys.executable, "-m", "socialabm.sweeps", "sweep", str(spec), "--workers", "2"]
    cmd += ["--no-progress", "--out"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    bad = subprocess.run([*cmd, "bad"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "PYTHONPATH" in bad.stderr and "Traceback" not in bad.stderr
    env["PYTHONPATH"] = str(ROOT)
    ok = subprocess.run([*cmd, "ok"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    table = runs(tmp_path / "ok").set_index("consumer_class")
    assert set(table.index) == {"socialabm:Consumer", FAST}


# -- the app -----------------------------------------------------------------------------------
def test_viz_cli_checks_and_hands_over_class_and_scenario():
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    path = str(ROOT / "examples" / "scenarios" / "debt_averse.toml")
    args = parser.parse_args(["viz", "--set", f"consumer_class={AVERSE}", "--scenario", path])
    env: dict[str, str] = {}
    cli.configure(args.scenario, args.sets, env)
    assert json.loads(env[cli.SET_ENV]) == {"consumer_class": AVERSE}
    assert env[cli.SCENARIO_ENV] == path
    cli.configure(None, ["n_consumers=200"], env)
    assert json.loads(env[cli.SET_ENV]) == {"n_consumers": 200} and cli.SCENARIO_ENV not in env
    with pytest.raises(ParameterError, match=ALLOWED):
        cli.configure(None, ["consumer_class=nope_xyz:C"], {})
    with pytest.raises(ScenarioError):
        cli.configure("no_such_scenario", [], {})


def session(monkeypatch, **env: str) -> viz_session.Session:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    solara.render(solara.Text("x"), handle_error=False)  # a kernel context
    return viz_session.Session(read_link("seed=5", viz_session.scenario_names(), Limits()))


def test_app_builds_the_class_given_with_set(monkeypatch):
    s = session(monkeypatch, SOCIALABM_VIZ_SET=json.dumps({"consumer_class": AVERSE}))
    assert s.runner.model.consumer_class is DebtAverseConsumer
    assert viz_session.custom_classes(s.runner.model) == [f"consumers: {AVERSE}"]
    s.choose_scenario("presale")  # applies to every scenario, and to Reset
    assert s.reset() and s.runner.model.consumer_class is DebtAverseConsumer
    s.step()
    assert s.runner.model.day == 1


def test_app_opens_a_scenario_file_with_its_class(monkeypatch):
    path = str(ROOT / "examples" / "scenarios" / "debt_averse.toml")
    s = session(monkeypatch, SOCIALABM_VIZ_SCENARIO=path)
    assert viz_session.scenario_names()[0] == path and s.scenario_name.value == path
    assert s.runner.model.consumer_class is FastDebtAverseConsumer
    s.choose_scenario("social_commerce")  # a built-in scenario: default consumers again
    assert s.runner.model.consumer_class is Consumer
    assert viz_session.custom_classes(s.runner.model) == []
    link = read_link(f"consumer_class={AVERSE}", viz_session.scenario_names(), Limits())
    assert link.overrides == {} and link.notices  # never from a link


def test_page_shows_the_custom_class(monkeypatch):
    from tests.test_viz_app import texts

    monkeypatch.setenv(cli.SET_ENV, json.dumps({"consumer_class": FAST}))
    box, rc = solara.render(app.Page(), handle_error=False)
    try:
        assert texts(rc, "viz-classes") == [f"custom agents: consumers: {FAST}"]
    finally:
        rc.close()


@pytest.mark.parametrize("path", [AVERSE, FAST])  # per-agent form and array form
def test_app_session_with_the_class_behaves_differently(monkeypatch, path):
    def debt_after_steps(env: dict[str, str]) -> float:
        s = session(monkeypatch, **env)
        for _ in range(40):  # past the lead window into selling
            s.step()
        return float(s.runner.model.consumers.debt.mean())

    default = debt_after_steps({})
    custom = debt_after_steps({cli.SET_ENV: json.dumps({"consumer_class": path})})
    assert custom < default


@pytest.mark.parametrize("path", [AVERSE, FAST])  # per-agent form and array form
def test_cli_run_with_the_class_behaves_differently(capsys, path):
    def debt(*sets: str) -> float:
        args = ["run", "social_commerce", "--steps", "40", "--set", "n_consumers=300"]
        assert main([*args, *(x for s in sets for x in ("--set", s))]) == 0
        out = capsys.readouterr().out.splitlines()
        line = next(x for x in out if x.split()[:1] == ["debt_per_consumer"])
        return float(line.split()[1])  # name, value, unit, meaning

    assert debt(f"consumer_class={path}") < debt()
