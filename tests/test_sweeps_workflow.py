"""A researcher's workflow: checks before any run, stale tables after a resume, resume identity,
custom outputs, common random numbers, and the smaller defects of issue 12."""

from __future__ import annotations

import json
import os
import shutil
import uuid

import pandas as pd
import pytest

from socialabm.experiments.runner import run_model
from socialabm.sweeps import (
    SweepSpec,
    SweepSpecError,
    SweepStoreError,
    analyze_sweep,
    read_runs,
    run_sweep,
)
from socialabm.sweeps.__main__ import main
from socialabm.sweeps.analyze import refresh
from socialabm.sweeps.testing import fake_run

FAKE = "socialabm.sweeps.testing:fake_run"
TINY = {"n_consumers": 100}


def tiny(**changes) -> SweepSpec:
    """Real-model sweep of 2 points x 2 replicates, 8 days each."""
    base = dict(vary={"jump_friction": [0.1, 0.6]}, fixed=TINY, replicates=2, steps=8, seed=3)
    return SweepSpec(**{**base, **changes})


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


# -- 4. output names checked before any run ---------------------------------------------------
@pytest.mark.parametrize(
    ("section", "typo", "hint"),
    [
        ("[outputs]\ndaily = true\ndaily_columns", '["awre"]', "did you mean 'aware'"),
        ("[analysis]\noutputs", '["sales", "aware_shar"]', "did you mean 'aware_share'"),
        ("[analysis]\noutputs", '["experience_units"]', "did you mean 'out_experience_units'"),
    ],
)
def test_output_name_typos_fail_the_dry_run(tmp_path, capsys, section, typo, hint):
    spec = tmp_path / "s.toml"
    spec.write_text(
        f"steps = 5\n[fixed]\nn_consumers = 80\n[vary]\ndeposit = [0.1]\n{section} = {typo}\n"
    )
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--dry-run"]) == 2
    err = one_line_error(capsys)
    assert hint in err and "s.toml" in err
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    assert hint in one_line_error(capsys)
    assert not (tmp_path / "o").exists()  # nothing was run or created


def test_correct_output_names_pass_and_depend_on_the_runner(tmp_path, capsys):
    ok = tiny(daily=True, daily_columns=("aware", "sales"), analysis_outputs=("sales", "fan_loss"))
    spec = tmp_path / "ok.toml"
    spec.write_text(
        'steps = 5\n[vary]\ndeposit = [0.1]\n[outputs]\ndaily = true\ndaily_columns = ["aware"]'
        '\n[analysis]\noutputs = ["sales", "out_experience_units"]\n'
    )
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--dry-run"]) == 0
    assert "1 points x 1 replicates" in capsys.readouterr().out
    run_sweep(ok, tmp_path / "real", workers=0, progress=False)
    fake = tiny(analysis_outputs=("sales_total",))  # the toy runner's outputs, not the model's
    run_sweep(fake, tmp_path / "fake", workers=0, runner=FAKE, progress=False)
    with pytest.raises(SweepSpecError, match="'sales_total' is not a numeric per-run output"):
        run_sweep(fake, tmp_path / "model", workers=0, progress=False)


# -- 5. stale tables after an interrupted resume ----------------------------------------------
CALLS = {"left": 0}


def interrupting_run(params, seed=None, **kwargs):
    """``fake_run`` that raises KeyboardInterrupt (as Ctrl-C would) once CALLS["left"] is 0."""
    if CALLS["left"] == 0:
        raise KeyboardInterrupt
    CALLS["left"] -= 1
    return fake_run(params, seed, **kwargs)


def test_analyze_and_read_runs_see_runs_committed_after_the_tables(tmp_path):
    spec = SweepSpec(vary={"jump_friction": [i / 10 for i in range(10)]}, replicates=4, steps=5)
    out = tmp_path / "s"
    runner = f"{__name__}:interrupting_run"

    def sweep(runs_before_interrupt: int) -> None:
        CALLS["left"] = runs_before_interrupt
        with pytest.raises(KeyboardInterrupt):
            run_sweep(spec, out, workers=0, resume=True, runner=runner, progress=False)

    sweep(14)  # interrupted: no table yet
    report = analyze_sweep(out, plots=False).read_text()  # writes the tables with 14 rows
    assert "**14 ok, 0 failed, 26 not run**" in report
    sweep(11)  # --resume, interrupted again at 25 runs on disk
    report = analyze_sweep(out, plots=False).read_text()
    assert "**25 ok, 0 failed, 15 not run**" in report
    assert len(read_runs(out)) == 25
    assert not refresh(out)  # fresh tables are not rebuilt

    # a record rewritten after the tables (same counts) is picked up too: by its time stamp
    part = sorted((out / "parts").rglob("*.ok.json"))[0]
    record = json.loads(part.read_text())
    record["summary"]["noise"] = 123.0
    part.write_text(json.dumps(record))
    later = (out / "runs.parquet").stat().st_mtime_ns + 10**9
    os.utime(part, ns=(later, later))
    assert read_runs(out).set_index("run_id").loc[record["run_id"], "noise"] == 123.0


# -- 6. resume identity -----------------------------------------------------------------------
def test_same_spec_under_another_file_name_resumes(tmp_path, capsys):
    first = tmp_path / "first.toml"
    first.write_text(
        "steps = 4\nreplicates = 2\n[fixed]\nn_consumers = 60\n[vary]\ndeposit = [0.1]\n"
    )
    out = str(tmp_path / "o")
    assert main(["sweep", str(first), "--out", out, "--workers", "0", "--no-progress"]) == 0
    copy = tmp_path / "renamed.toml"
    shutil.copy(first, copy)
    capsys.readouterr()
    assert main(["sweep", str(copy), "--out", out, "--resume", "--workers", "0"]) == 0
    line = capsys.readouterr().out.strip()
    assert line == f"{out}: 2/2 runs ok, 0 failed; nothing left to run (2 already done)"
    assert tiny(name="a").spec_hash() == tiny(name="b", description="x").spec_hash()


def test_a_sweep_started_by_an_older_version_still_resumes(tmp_path):
    """Manifests written before the hash left out the name, and before seeds and reporters."""
    out = tmp_path / "o"
    spec = tiny(name="old_name")
    run_sweep(spec, out, workers=0, runner=FAKE, progress=False)
    manifest = json.loads((out / "manifest.json").read_text())
    for key in ("seeds", "reporters"):
        del manifest["spec"][key]
    manifest["spec_hash"] = "0" * 64  # as hashed by the old code
    (out / "manifest.json").write_text(json.dumps(manifest))
    (next((out / "parts").rglob("*.ok.json"))).unlink()
    again = run_sweep(tiny(name="new_name"), out, workers=0, resume=True, runner=FAKE)
    assert again.n_executed == 1 and again.complete
    assert json.loads((out / "manifest.json").read_text())["spec_hash"] == spec.spec_hash()
    with pytest.raises(SweepStoreError, match="changed: seed"):
        run_sweep(tiny(seed=4), out, workers=0, resume=True, runner=FAKE)


EXTENSION = '''
from socialabm import Consumer


class QuietConsumer(Consumer):
    """Changes nothing."""


def sales_twice(model):
    return 2.0 * model.summary()["sales"]


def not_a_number(model):
    return "many"
'''


@pytest.fixture
def extension(tmp_path, monkeypatch):
    """A user module (unique name) on sys.path: a consumer class and reporters."""
    name = f"user_ext_{uuid.uuid4().hex[:8]}"
    folder = tmp_path / "ext"
    folder.mkdir()
    (folder / f"{name}.py").write_text(EXTENSION)
    monkeypatch.syspath_prepend(str(folder))
    return name, folder / f"{name}.py"


def test_an_edited_user_module_is_refused_on_resume_unless_accepted(tmp_path, extension):
    module, path = extension
    spec = tiny(fixed={**TINY, "consumer_class": f"{module}:QuietConsumer"})
    out = tmp_path / "o"
    run_sweep(spec, out, workers=0, progress=False)
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["user_modules"]) == {module}
    run_sweep(spec, out, workers=0, resume=True, progress=False)  # unchanged: fine
    path.write_text(EXTENSION + "\n# tuned the consumer\n")
    with pytest.raises(SweepStoreError, match=rf"user module {module} \(.*\) changed.*4 fin"):
        run_sweep(spec, out, workers=0, resume=True, progress=False)
    accepted = run_sweep(spec, out, workers=0, resume=True, accept_changed_code=True)
    assert any("accepted" in w for w in accepted.warnings)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["code_changes"][0]["modules"][0].startswith(module)
    run_sweep(spec, out, workers=0, resume=True, progress=False)  # the new code is the reference


# -- 7. custom outputs ------------------------------------------------------------------------
def test_reporters_become_summary_columns(tmp_path, extension):
    module, _ = extension
    spec = tiny(reporters=[f"{module}:sales_twice"], analysis_outputs=("sales_twice",))
    out = tmp_path / "o"
    run_sweep(spec, out, workers=2, progress=False)
    runs = read_runs(out)
    assert len(runs) == 4 and (runs["sales_twice"] == 2 * runs["sales"]).all()
    direct = run_model(
        {**TINY, "jump_friction": 0.1}, seed=int(runs["seed"][0]), steps=8,
        reporters={"x": f"{module}:sales_twice"},
    )  # fmt: skip
    assert direct.summary["x"] == runs["sales_twice"][0]


def test_bad_reporters_fail_before_any_run(tmp_path, extension):
    module, _ = extension
    cases = [
        ([f"{module}:no_such"], SweepSpecError, "has no 'no_such'"),
        (["no_such_module:f"], SweepSpecError, "cannot be imported"),
        ([f"{module}:QuietConsumer.__doc__"], SweepSpecError, "not a function"),
        ([f"{module}:sales_twice", f"{module}:sales_twice"], SweepSpecError, "both give"),
    ]
    for refs, error, message in cases:
        with pytest.raises(error, match=message):
            tiny(reporters=refs)
    out = tmp_path / "o"
    with pytest.raises(SweepSpecError, match="reporter 'not_a_number' returned 'many'"):
        run_sweep(tiny(reporters=[f"{module}:not_a_number"]), out, workers=0)
    with pytest.raises(SweepSpecError, match="takes no 'reporters' argument"):
        run_sweep(tiny(reporters=[f"{module}:sales_twice"]), out, workers=0, runner=FAKE)
    assert not out.exists()
    with pytest.raises(ValueError, match="name of one of the model's summary outputs"):
        run_model(TINY, seed=1, steps=2, reporters={"sales": f"{module}:sales_twice"})


# -- 8. common random numbers -----------------------------------------------------------------
@pytest.mark.parametrize("seeds", ["common", "independent"])
def test_common_seeds_make_points_differing_in_an_inert_parameter_identical(tmp_path, seeds):
    """``deposit`` only matters on presale; without presale, common seeds give equal runs."""
    spec = tiny(vary={"deposit": [0.1, 0.5]}, replicates=3, steps=20, seeds=seeds)
    runs = read_runs(run_sweep(spec, tmp_path / "o", workers=0, progress=False).out)
    a, b = (runs[runs["point"] == p].reset_index(drop=True) for p in (0, 1))
    outputs = [
        c for c in runs.columns if c not in ("run_id", "point", "seed", "seconds", "deposit")
    ]
    if seeds == "common":
        assert a["seed"].tolist() == b["seed"].tolist() and a["seed"].is_unique
        pd.testing.assert_frame_equal(a[outputs], b[outputs])
    else:
        assert set(a["seed"]).isdisjoint(b["seed"])
        assert not a[outputs].equals(b[outputs])
    assert tiny(seeds="common").spec_hash() != tiny().spec_hash()


# -- 11. smaller defects ----------------------------------------------------------------------
def test_runs_table_has_each_runs_wall_time(tmp_path):
    out = run_sweep(tiny(), tmp_path / "o", workers=0, progress=False).out
    runs = read_runs(out)
    assert list(runs.columns[:5]) == ["run_id", "point", "replicate", "seed", "seconds"]
    records = {
        json.loads(p.read_text())["run_id"]: json.loads(p.read_text())["seconds"]
        for p in (out / "parts").rglob("*.ok.json")
    }
    assert runs.set_index("run_id")["seconds"].to_dict() == records
    assert (runs["seconds"] > 0).all()
    analyze_sweep(out, plots=False)
    analysed = pd.read_parquet(out / "analysis" / "point_stats.parquet")["output"]
    assert "seconds" not in set(analysed)  # a timing, not a model output


def test_thinned_daily_series_keeps_the_last_day(tmp_path):
    daily = run_model(TINY, seed=1, steps=25, collect_every=10).daily
    assert daily["day"].tolist() == [5, 15, 25]
    spec = tiny(steps=23, daily=True, collect_every=10)
    out = run_sweep(spec, tmp_path / "o", workers=0, progress=False).out
    days = pd.read_parquet(out / "daily.parquet").groupby("run_id")["day"].agg(list)
    assert days.map(lambda d: d == [3, 13, 23]).all()


def test_analyze_help_shows_a_single_percent_sign(capsys):
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    text = capsys.readouterr().out
    assert "95% confidence" in text and "%%" not in text


def test_categorical_tick_labels_do_not_overlap():
    from socialabm.sweeps.analyze import SweepData
    from socialabm.sweeps.plots import draw_effects

    classes = [
        "socialabm:Consumer",
        "examples.debt_averse_consumer:DebtAverseConsumer",
        "examples.debt_averse_consumer:FastDebtAverseConsumer",
    ]
    spec = SweepSpec(
        vary={"consumer_class": classes, "jump_friction": [0.1, 0.5], "deposit": [0.1, 0.3]}
    )
    runs = pd.DataFrame(
        [(c, j, d, float(i)) for i, (c, j, d) in enumerate(
            (c, j, d) for c in classes for j in (0.1, 0.5) for d in (0.1, 0.3)
        )],
        columns=["consumer_class", "jump_friction", "deposit", "sales"],
    )  # fmt: skip
    data = SweepData(out=None, spec=spec, manifest={}, design={}, runs=runs, failures=None)
    fig = draw_effects(data, "sales")
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert sorted(t.get_text() for t in labels) == [
        "Consumer", "DebtAverseConsumer", "FastDebtAverseConsumer"
    ]  # fmt: skip
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert all(a.x1 <= b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    assert all(b.y1 <= ax.get_window_extent(renderer).y0 for b in boxes)  # below the axes
    assert all(b.y0 >= 0 for b in boxes)  # inside the figure
