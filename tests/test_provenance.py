"""What produced a result: the model's code hash covers every source file of the package, so a
sweep resumed after an edit anywhere in it (a subpackage too) is refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from socialabm import provenance

ROOT = Path(__file__).resolve().parents[1]

SPEC = """
name = "tiny"
scenario = "social_commerce"
design = "grid"
replicates = 1
steps = 3
seed = 7

[fixed]
n_consumers = 60

[vary]
jump_friction = [0.1, 0.6]
"""


def test_the_roots_are_the_package_and_its_mapped_subpackages():
    with (ROOT / "pyproject.toml").open("rb") as f:
        mapped = tomllib.load(f)["tool"]["setuptools"]["package-dir"]
    assert set(provenance.PACKAGE_ROOTS) == set(mapped)


def test_every_source_file_of_the_package_is_hashed():
    names = set(provenance.source_files())
    for name in (
        "socialabm/model.py",
        "socialabm/market/shopping.py",
        "socialabm/rules/consumer.py",
        "socialabm/sweeps/store.py",
        "socialabm/agents/consumer.py",
        "socialabm/scenarios/presale.toml",
        "socialabm/scenarios/claims.toml",
        "socialabm/viz/app.py",
    ):
        assert name in names, name
    assert not any("__pycache__" in name for name in names)


def _copy_package(target: Path) -> Path:
    """The package laid out as a wheel installs it, under ``target``; returns its folder."""
    skip = shutil.ignore_patterns("__pycache__")
    package = target / "socialabm"
    shutil.copytree(ROOT / "socialabm", package, ignore=skip)
    for folder in ("agents", "scenarios", "viz"):
        shutil.copytree(ROOT / folder, package / folder, ignore=skip)
    return package


def _socialabm(copy: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    """``socialabm ARGV`` in ``cwd``, importing the package from ``copy``."""
    env = {**os.environ, "PYTHONPATH": str(copy.parent)}
    return subprocess.run(
        [sys.executable, "-m", "socialabm.cli", *argv],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_resume_is_refused_after_an_edit_in_a_subpackage(tmp_path):
    package = _copy_package(tmp_path / "copy")
    env = {**os.environ, "PYTHONPATH": str(package.parent)}
    probe = "import socialabm.market.shopping as m; print(m.__file__)"
    imported = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert Path(imported.stdout.strip()) == package / "market" / "shopping.py"  # the copy runs
    (tmp_path / "tiny.toml").write_text(SPEC)
    sweep = ("sweep", "tiny.toml", "--out", "out", "--workers", "0")
    assert _socialabm(package, tmp_path, *sweep).returncode == 0
    again = _socialabm(package, tmp_path, *sweep, "--resume")  # unchanged code: resumes
    assert again.returncode == 0 and "nothing left to run" in again.stdout + again.stderr

    shopping = package / "market" / "shopping.py"
    shopping.write_text(shopping.read_text() + "\n# an edit\n")
    refused = _socialabm(package, tmp_path, *sweep, "--resume")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "the socialabm code changed since the sweep started" in refused.stderr
    accepted = _socialabm(package, tmp_path, *sweep, "--resume", "--accept-changed-code")
    assert accepted.returncode == 0, accepted.stderr
    assert "accepted (--accept-changed-code)" in accepted.stdout + accepted.stderr
