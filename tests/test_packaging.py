"""The wheel carries the mapped subpackages (agents/, scenarios/, viz/) under socialabm."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_editable_install_maps_subpackages():
    import socialabm.agents
    import socialabm.scenarios

    assert Path(socialabm.agents.__file__).parent == ROOT / "agents"
    assert "social_commerce" in socialabm.scenarios.builtin_names()


@pytest.mark.slow
def test_built_wheel_imports_subpackages(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("socialabm-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for required in (
        "socialabm/model.py",
        "socialabm/market/shopping.py",
        "socialabm/agents/consumer.py",
        "socialabm/scenarios/social_commerce.toml",
        "socialabm/scenarios/worksheets/social_commerce.md",
        "socialabm/claims/registry.py",
        "socialabm/viz/__init__.py",
    ):
        assert required in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)  # a pure-Python wheel installs by unpacking
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import socialabm, socialabm.agents, socialabm.scenarios, socialabm.viz;"
            "print(socialabm.__file__); print(socialabm.scenarios.builtin_names());"
            "print(socialabm.scenarios.worksheet('presale').splitlines()[0])",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    assert str(target) in probe.stdout and "social_commerce" in probe.stdout
    assert "# Worksheet: presale" in probe.stdout
