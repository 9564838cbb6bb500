"""Sweep execution: seed-exact results across backends, failures, fail-fast, resume rules."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from socialabm.sweeps import SweepSpec, SweepStoreError, run_sweep
from socialabm.sweeps.design import run_seed
from socialabm.sweeps.testing import FAIL_VALUE

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = pytest.mark.xdist_group("test_sweeps_execute")

TINY = {"n_consumers": 100}


def tiny_spec(**changes) -> SweepSpec:
    """A real-model sweep of 3 x 2 points x 2 replicates, 12 days each (well under a second)."""
    base = dict(
        vary={"jump_friction": [0.1, 0.35, 0.6], "presale_mode": ["none", "presale"]},
        fixed=TINY,
        replicates=2,
        steps=12,
        seed=42,
        daily=True,
        collect_every=3,
    )
    return SweepSpec(**{**base, **changes})


def runs(path) -> pd.DataFrame:
    """runs.parquet by run id, without the wall times (which differ between any two sweeps)."""
    table = pd.read_parquet(path / "runs.parquet").drop(columns="seconds")
    return table.sort_values("run_id").reset_index(drop=True)


def daily(path) -> pd.DataFrame:
    return (
        pd.read_parquet(path / "daily.parquet")
        .sort_values(["run_id", "day"])
        .reset_index(drop=True)
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tiny sweep run in this process (workers=0): the reference result."""
    out = tmp_path_factory.mktemp("ref") / "sweep"
    outcome = run_sweep(tiny_spec(), out, workers=0, progress=False)
    assert outcome.complete and outcome.n_ok == 12 and outcome.n_failed == 0
    return out


def test_tables_are_tidy(reference):
    table = runs(reference)
    assert list(table.columns[:4]) == ["run_id", "point", "replicate", "seed"]
    assert table["run_id"].tolist() == list(range(12))
    assert (table["n_consumers"] == 100).all() and "deposit" in table  # every parameter
    assert "sales" in table and "aware_share" in table  # every output
    assert table["run_id"].is_unique and table["seed"].is_unique
    d = daily(reference)
    assert {"run_id", "point", "replicate", "day", "jump_friction"} <= set(d.columns)
    assert d.groupby("run_id").size().tolist() == [4] * 12  # 12 days, every 3rd kept
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["spec_hash"] and manifest["package_version"] and manifest["n_runs"] == 12


@pytest.mark.parametrize("workers", [1, 2])
def test_worker_count_does_not_change_results(reference, tmp_path, workers):
    out = tmp_path / "sweep"
    run_sweep(tiny_spec(), out, workers=workers, chunk_size=workers + 1, progress=False)
    pd.testing.assert_frame_equal(runs(out), runs(reference))
    pd.testing.assert_frame_equal(daily(out), daily(reference))


def test_dask_local_cluster_gives_identical_results(reference, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "sweep"
    outcome = run_sweep(tiny_spec(), out, dask_local=2, progress=False)
    assert "Dask" in outcome.backend
    pd.testing.assert_frame_equal(runs(out), runs(reference))
    pd.testing.assert_frame_equal(daily(out), daily(reference))


def test_parent_commits_when_workers_cannot_see_the_directory(reference, tmp_path, monkeypatch):
    from socialabm.sweeps import worker

    monkeypatch.setattr(worker, "_can_write", lambda ctx: False)
    out = tmp_path / "sweep"
    run_sweep(tiny_spec(), out, workers=0, progress=False)
    pd.testing.assert_frame_equal(runs(out), runs(reference))


def test_failing_runs_are_recorded_and_the_sweep_goes_on(tmp_path):
    spec = tiny_spec(vary={"jump_friction": [0.1, FAIL_VALUE, 0.6]}, daily=False)
    out = tmp_path / "sweep"
    outcome = run_sweep(
        spec, out, workers=2, runner="socialabm.sweeps.testing:failing_run", progress=False
    )
    assert (outcome.n_ok, outcome.n_failed) == (4, 2) and outcome.complete
    failures = pd.read_parquet(out / "failures.parquet")
    assert failures["point"].tolist() == [1, 1]
    assert failures["jump_friction"].tolist() == [FAIL_VALUE] * 2
    assert failures["error"].str.contains("deliberate failure").all()
    assert failures["traceback"].str.contains("Traceback").all()
    assert json.loads(failures["params"].iloc[0])["jump_friction"] == FAIL_VALUE
    assert failures["seed"].tolist() == [run_seed(spec.seed, 1, r) for r in range(2)]
    assert 1 not in set(runs(out)["point"])
    # resuming does not redo failed runs unless asked to
    again = run_sweep(
        spec,
        out,
        workers=0,
        resume=True,
        runner="socialabm.sweeps.testing:failing_run",
        progress=False,
    )
    assert again.n_executed == 0
    retried = run_sweep(
        spec,
        out,
        workers=0,
        resume=True,
        retry_failed=True,
        runner="socialabm.sweeps.testing:failing_run",
        progress=False,
    )
    assert retried.n_executed == 2 and retried.n_failed == 2


def test_fail_fast_stops_early(tmp_path):
    spec = tiny_spec(vary={"jump_friction": [FAIL_VALUE, 0.1, 0.2, 0.3]}, replicates=3, daily=False)
    outcome = run_sweep(
        spec,
        tmp_path / "sweep",
        workers=0,
        fail_fast=True,
        chunk_size=1,
        runner="socialabm.sweeps.testing:failing_run",
        progress=False,
    )
    assert outcome.stopped and outcome.n_failed == 1 and not outcome.complete
    assert outcome.n_executed == 1


def test_resume_rules(tmp_path):
    out = tmp_path / "sweep"
    spec = tiny_spec(daily=False)
    run_sweep(spec, out, workers=0, runner="socialabm.sweeps.testing:fake_run", progress=False)
    with pytest.raises(SweepStoreError, match="already holds a sweep.*--resume"):
        run_sweep(spec, out, workers=0, runner="socialabm.sweeps.testing:fake_run")
    with pytest.raises(SweepStoreError, match=r"spec changed.*changed: replicates"):
        run_sweep(
            tiny_spec(daily=False, replicates=3),
            out,
            workers=0,
            resume=True,
            runner="socialabm.sweeps.testing:fake_run",
        )
    with pytest.raises(SweepStoreError, match="was run with"):
        run_sweep(spec, out, workers=0, resume=True)
    done = run_sweep(
        spec,
        out,
        workers=0,
        resume=True,
        progress=False,
        runner="socialabm.sweeps.testing:fake_run",
    )
    assert done.n_executed == 0 and done.n_resumed == 12 and done.complete
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(SweepStoreError, match="not a sweep directory"):
        run_sweep(spec, foreign, workers=0)


def test_resume_after_partial_loss_redoes_only_missing_runs(tmp_path):
    out = tmp_path / "sweep"
    spec = tiny_spec()
    run_sweep(spec, out, workers=0, progress=False)
    before = runs(out)
    lost = sorted((out / "parts").rglob("*.ok.json"))[3:7]
    for path in lost:  # as if the sweep had been killed before these runs finished
        path.unlink()
    (out / "runs.parquet").unlink()
    (lost[0].parent / ".000000099.ok.json.123.tmp").write_text("{half")  # a torn write
    again = run_sweep(spec, out, workers=2, resume=True, progress=False)
    assert again.n_executed == 4 and again.n_resumed == 8
    pd.testing.assert_frame_equal(runs(out), before)
    assert not list((out / "parts").rglob("*.tmp"))


MODEL_MODULES = ("socialabm.model", "socialabm.experiments.runner", "socialabm.sweeps.worker")


def _loaded() -> bool:
    import sys

    return all(m in sys.modules for m in MODEL_MODULES)


def test_local_dask_workers_fork_from_a_preloaded_server():
    pytest.importorskip("distributed")
    import os

    from socialabm.sweeps.backends import DaskBackend

    backend = DaskBackend(local_workers=1)
    try:
        parents = backend._client.run(os.getppid)
        assert os.getpid() not in parents.values()  # not spawned by this process's nanny
        assert all(backend._client.run(_loaded).values())
    finally:
        backend.close()


def test_workers_of_an_existing_cluster_import_the_model_when_the_sweep_starts():
    distributed = pytest.importorskip("distributed")
    import logging

    from socialabm.sweeps.backends import DaskBackend

    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:  # fmt: skip
        with distributed.Client(cluster) as client:
            assert not any(client.run(_loaded).values())  # a fresh (spawned) worker
        backend = DaskBackend(address=cluster.scheduler_address)
        try:
            assert all(backend._client.run(_loaded).values())  # the plugin imported them
        finally:
            backend.close()
