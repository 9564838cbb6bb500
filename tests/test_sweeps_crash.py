"""Crash safety: a real sweep process killed with SIGKILL, then resumed, loses and duplicates
nothing and ends with exactly the results of an uninterrupted sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from socialabm.sweeps import load_spec, run_sweep

SPEC = """
name = "crash"
replicates = 6
steps = 25
seed = 99
[fixed]
n_consumers = 150
[vary]
jump_friction = [0.1, 0.3, 0.5, 0.7]
presale_mode = ["none", "presale"]
[outputs]
daily = true
every = 5
"""
N_RUNS = 4 * 2 * 6


def committed(out: Path) -> int:
    return len(list((out / "parts").rglob("*.ok.json"))) if (out / "parts").exists() else 0


def start(spec: Path, out: Path, *extra: str) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "socialabm.sweeps",
        "sweep",
        str(spec),
        "--out",
        str(out),
        "--workers",
        "2",
        "--chunk-size",
        "2",
        "--no-progress",
        *extra,
    ]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def kill_when(proc: subprocess.Popen, out: Path, at_least: int, group: bool) -> int:
    """SIGKILL the sweep (its whole process group, or only the parent) once ``at_least`` runs
    are committed; return how many were committed at that moment."""
    deadline = time.monotonic() + 120
    while committed(out) < at_least:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "sweep made no progress"
        time.sleep(0.005)
    if group:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return committed(out)


def table(out: Path, name: str, keys: list[str]) -> pd.DataFrame:
    """A consolidated table sorted by ``keys``, without the run wall times."""
    frame = pd.read_parquet(out / name).drop(columns="seconds", errors="ignore")
    return frame.sort_values(keys).reset_index(drop=True)


@pytest.mark.slow
def test_sigkill_at_two_moments_then_resume_matches_uninterrupted(tmp_path):
    spec_path = tmp_path / "crash.toml"
    spec_path.write_text(SPEC)
    out = tmp_path / "killed"

    first = start(spec_path, out)
    done_1 = kill_when(first, out, at_least=3, group=True)  # whole machine "crashes"
    assert done_1 < N_RUNS, "the sweep finished before it could be killed"
    assert not (out / "runs.parquet").exists()

    second = start(spec_path, out, "--resume")
    done_2 = kill_when(second, out, at_least=done_1 + 8, group=False)  # parent only: orphans
    assert done_2 < N_RUNS

    third = start(spec_path, out, "--resume")
    stdout, stderr = third.communicate(timeout=300)
    assert third.returncode == 0, stderr.decode()
    assert f"{N_RUNS}/{N_RUNS} runs ok" in stdout.decode()
    executed = int(stdout.decode().split("(")[1].split(" executed")[0])
    assert executed <= N_RUNS - done_2  # finished runs were not redone

    reference = tmp_path / "reference"
    run_sweep(load_spec(spec_path), reference, workers=0, progress=False)
    runs = table(out, "runs.parquet", ["run_id"])
    assert runs["run_id"].tolist() == list(range(N_RUNS))  # none lost, none duplicated
    pd.testing.assert_frame_equal(runs, table(reference, "runs.parquet", ["run_id"]))
    pd.testing.assert_frame_equal(
        table(out, "daily.parquet", ["run_id", "day"]),
        table(reference, "daily.parquet", ["run_id", "day"]),
    )
    assert not list(out.rglob("*.tmp"))


def test_resume_with_changed_spec_is_refused_by_the_cli(tmp_path, capsys):
    from socialabm.sweeps.__main__ import main

    spec_path = tmp_path / "s.toml"
    spec_path.write_text(SPEC.replace("replicates = 6", "replicates = 1").replace("25", "5"))
    out = tmp_path / "out"
    assert (
        main(["sweep", str(spec_path), "--out", str(out), "--workers", "0", "--no-progress"]) == 0
    )
    spec_path.write_text(spec_path.read_text().replace("seed = 99", "seed = 100"))
    capsys.readouterr()
    assert main(["sweep", str(spec_path), "--out", str(out), "--resume", "--workers", "0"]) == 2
    err = capsys.readouterr().err
    assert "cannot resume" in err and "changed: seed" in err and len(err.splitlines()) == 1
