"""One writer per sweep directory, and clean stops: real sweep processes refused, killed,
stopped by SIGTERM or Ctrl-C, or orphaned by their ``uv run`` launcher."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from socialabm.sweeps import load_spec, run_sweep
from socialabm.sweeps.__main__ import main as sweeps_main
from socialabm.sweeps.lock import LOCK_NAME, FolderLock, FolderLockedError, Holder
from socialabm.sweeps.stopping import Stopped, stop_on_signals

ROOT = Path(__file__).resolve().parents[1]
SPEC = """
name = "stopping"
replicates = 10
steps = 20
seed = 5
[fixed]
n_consumers = 120
[vary]
jump_friction = [0.1, 0.3, 0.5, 0.7]
"""
N_RUNS = 40


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "stopping.toml"
    path.write_text(SPEC)
    return path


def committed(out: Path) -> int:
    return len(list((out / "parts").rglob("*.ok.json"))) if (out / "parts").exists() else 0


def start(spec: Path, out: Path, *extra: str, launcher: list[str] | None = None):
    """A sweep process (its own session, so its whole group can be signalled)."""
    cmd = [*(launcher or [sys.executable]), "-m", "socialabm.sweeps", "sweep", str(spec)]
    cmd += ["--out", str(out), "--no-progress", *extra]
    return subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def wait_running(proc: subprocess.Popen, out: Path, runs: int = 1) -> Holder:
    """Wait until the sweep holds its lock and has committed ``runs`` runs; its holder."""
    deadline = time.monotonic() + 120
    while committed(out) < runs:
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "the sweep made no progress"
        time.sleep(0.02)
    return Holder(**json.loads((out / LOCK_NAME).read_text()))


def gone(pid: int, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def assert_clean_stop(stderr: str, out: Path, spec: Path, reason: str) -> None:
    """The stop said what it kept and how to resume, with no traceback or leaked semaphore."""
    assert "Traceback" not in stderr and "leaked" not in stderr, stderr
    kept = committed(out)
    assert 0 < kept < N_RUNS
    assert f"stopped ({reason}): {kept} of {N_RUNS} runs finished and kept in {out}" in stderr
    resume = stderr.strip().splitlines()[-1].strip()
    assert resume.endswith(f"sweep {spec} --out {out} --no-progress --workers 2 --resume")
    assert not (out / LOCK_NAME).exists()
    time.sleep(0.5)
    assert committed(out) == kept  # no worker writes on after the stop


def test_a_second_writer_is_refused_with_the_name_of_the_first(spec, tmp_path, capsys):
    out = tmp_path / "out"
    first = start(spec, out, "--workers", "0")
    try:
        holder = wait_running(first, out)
        assert holder.pid == first.pid and holder.host == socket.gethostname()
        code = sweeps_main(["sweep", str(spec), "--out", str(out), "--resume", "--workers", "0"])
        err = capsys.readouterr().err
        assert code == 2 and len(err.splitlines()) == 1
        assert f"{out} is being written by another process (pid {first.pid} on " in err
        assert f"started {holder.started}" in err
        assert f"--out {out} --no-progress --workers 0" in err
        assert f"kill {first.pid}" in err
        with pytest.raises(FolderLockedError, match=f"pid {first.pid}"):  # the Python API too
            run_sweep(load_spec(spec), out, workers=0, resume=True, progress=False)
    finally:
        first.kill()
        first.communicate()


def test_the_lock_of_a_killed_sweep_is_cleared_on_resume(spec, tmp_path, capsys):
    out = tmp_path / "out"
    first = start(spec, out, "--workers", "0")
    holder = wait_running(first, out)
    first.kill()  # SIGKILL: no clean-up of any kind
    first.communicate()
    assert Holder(**json.loads((out / LOCK_NAME).read_text())) == holder  # left behind
    outcome = run_sweep(load_spec(spec), out, workers=0, resume=True, progress=False)
    assert outcome.n_ok == N_RUNS and outcome.n_resumed >= 1
    err = capsys.readouterr().err
    assert (
        f"cleared the lock of {out} left by a process that no longer runs (pid {first.pid} " in err
    )
    assert not (out / LOCK_NAME).exists()


def test_sigterm_stops_the_pool_cleanly_and_prints_the_resume_command(spec, tmp_path):
    out = tmp_path / "out"
    proc = start(spec, out, "--workers", "2")
    wait_running(proc, out, runs=2)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert_clean_stop(stderr, out, spec, "SIGTERM")
    assert stderr.splitlines()[-1].strip().startswith("python -m socialabm.sweeps sweep")


FROM_A_TERMINAL = [
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
    " os.execv(sys.executable, [sys.executable, *sys.argv[1:]])",
]
"""A launcher that starts the sweep as a terminal's foreground job does: Ctrl-C not ignored.
Started from a background job (``pytest ... &`` in a script), the test process ignores SIGINT
and its children inherit that; a sweep then rightly ignores Ctrl-C, as under ``nohup``."""


def test_ctrl_c_to_every_process_of_the_sweep_stops_it_cleanly(spec, tmp_path):
    out = tmp_path / "out"
    proc = start(spec, out, "--workers", "2", launcher=FROM_A_TERMINAL)
    wait_running(proc, out, runs=2)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the pool's workers get it too
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert_clean_stop(stderr, out, spec, "Ctrl-C")


@pytest.mark.skipif(shutil.which("uv") is None, reason="needs uv")
def test_a_sweep_whose_uv_launcher_is_killed_stops_instead_of_writing_on(spec, tmp_path):
    out = tmp_path / "out"
    uv = [shutil.which("uv"), "run", "--no-sync", "python"]
    proc = start(spec, out, "--workers", "2", launcher=uv)
    holder = wait_running(proc, out, runs=2)
    assert holder.pid != proc.pid  # the lock names the Python process, not uv
    proc.kill()  # SIGKILL to uv only: its Python child is orphaned
    assert gone(holder.pid), "the orphaned sweep kept running"
    _, stderr = proc.communicate(timeout=30)  # the orphan wrote to the same pipe
    assert f"uv (pid {proc.pid}), which started it, ended" in stderr
    assert_clean_stop(stderr, out, spec, f"uv (pid {proc.pid}), which started it, ended")
    assert stderr.splitlines()[-1].strip().startswith("uv run python -m socialabm.sweeps sweep")


# -- the lock and the signal handling on their own (in-process, fast) -------------------------
def test_the_lock_refuses_a_second_holder_until_released(tmp_path):
    first = FolderLock(tmp_path / "d", command="first sweep").acquire()
    with pytest.raises(FolderLockedError, match=rf"pid {os.getpid()} on .*: first sweep"):
        FolderLock(tmp_path / "d").acquire()
    with pytest.raises(FolderLockedError):
        FolderLock(tmp_path / "d").check()
    first.release()
    assert not (tmp_path / "d" / LOCK_NAME).exists()
    FolderLock(tmp_path / "d").check()
    with FolderLock(tmp_path / "d") as second:
        assert second.held and second.warnings == []


def test_a_lock_file_nobody_holds_is_reported_and_taken_over(tmp_path):
    dead = Holder(pid=999_999_999, host=socket.gethostname(), started="then", command="old")
    (tmp_path / LOCK_NAME).write_text(json.dumps(dead.__dict__))
    with FolderLock(tmp_path) as lock:
        assert lock.warnings == [
            f"cleared the lock of {tmp_path} left by a process that no longer runs "
            f"({dead.describe()})"
        ]
        assert Holder(**json.loads((tmp_path / LOCK_NAME).read_text())).pid == os.getpid()


def test_without_flock_the_holders_pid_and_start_time_decide(tmp_path, monkeypatch):
    def no_flock(fd, op):
        raise OSError(errno.ENOLCK, "no locks")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    alive = Holder.this_process("running sweep")
    (tmp_path / LOCK_NAME).write_text(json.dumps(alive.__dict__))
    with pytest.raises(FolderLockedError, match="running sweep.*cannot lock files.*delete"):
        FolderLock(tmp_path).acquire()
    reused = Holder(**{**alive.__dict__, "ticks": alive.ticks + 1})  # same pid, other process
    (tmp_path / LOCK_NAME).write_text(json.dumps(reused.__dict__))
    with FolderLock(tmp_path) as lock:
        assert "no longer runs" in lock.warnings[0]


def test_a_folder_the_lock_created_goes_away_if_nothing_was_written(tmp_path):
    with FolderLock(tmp_path / "new"):
        pass
    assert not (tmp_path / "new").exists()
    with FolderLock(tmp_path / "kept"):
        (tmp_path / "kept" / "manifest.json").write_text("{}")
    assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == ["manifest.json"]


def test_sigterm_raises_stopped_and_a_shield_holds_it_back():
    before = signal.getsignal(signal.SIGTERM)
    order = []
    with pytest.raises(Stopped) as caught, stop_on_signals() as stop:
        with stop.shielded():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            order.append("shielded step finished")
        order.append("not reached")
    assert order == ["shielded step finished"]
    assert caught.value.reason == "SIGTERM" and caught.value.exit_code == 143
    assert signal.getsignal(signal.SIGTERM) is before


def test_an_ignored_signal_stays_ignored():
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        with stop_on_signals():
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(0.05)
    finally:
        signal.signal(signal.SIGHUP, previous)
