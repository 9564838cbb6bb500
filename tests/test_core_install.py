"""The core installs alone into a fresh environment and runs a scenario; what needs an extra
says which (a real installation by uv, offline from its cache: tools/fresh_env.py)."""

from __future__ import annotations

import os
import subprocess

import pytest

from tools.fresh_env import distributions, make_env, uv

pytestmark = [
    pytest.mark.install,
    pytest.mark.skipif(uv() is None, reason="needs uv (the README's set-up installs it)"),
]

OPTIONAL = ("solara", "ipyvuetify", "dask", "distributed", "SALib", "ema_workbench", "matplotlib")


def run(bin_dir, cwd, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return subprocess.run(
        [str(bin_dir / argv[0]), *argv[1:]], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_the_core_installs_alone_runs_a_scenario_and_names_the_extras_it_lacks(tmp_path):
    bin_dir = make_env(tmp_path / "env")  # one test, one build: its own tmp folder, xdist-safe
    installed = distributions(bin_dir.parent)
    assert "socialabm" in installed and "mesa" in installed and len(installed) <= 12
    probe = "import importlib.util as u, socialabm; print(socialabm.__file__); "
    probe += f"print([m for m in {OPTIONAL!r} if u.find_spec(m)])"
    found = run(bin_dir, tmp_path, "python", "-c", probe)
    assert found.returncode == 0, found.stderr
    where, extras = found.stdout.splitlines()
    assert str(bin_dir.parent) in where and extras == "[]"  # the installed copy, no extra
    done = run(bin_dir, tmp_path, "socialabm", "run", "social_commerce", "--steps", "10",
               "--set", "n_consumers=200", "--out", "out")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "(scenario social_commerce, seed 42, 10 days)" in done.stdout
    assert "  sales and trading paths" in done.stdout
    assert "no plot: it needs matplotlib, from socialabm's 'analysis' extra" in done.stdout
    assert (tmp_path / "out" / "daily.parquet").is_file()
    app = run(bin_dir, tmp_path, "socialabm", "viz")
    assert app.returncode == 2 and app.stderr.count("\n") == 1
    assert "socialabm viz needs solara" in app.stderr
    assert 'pip install "socialabm[app]"' in app.stderr
