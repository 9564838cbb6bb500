"""Fresh environments of socialabm with chosen extras, for the install test and its benchmark.

``uv build`` makes a wheel of this checkout as it is now (with the checkout's own setuptools);
``uv sync`` installs the locked versions of its dependencies into a new environment at a path of
our choice (``UV_PROJECT_ENVIRONMENT``), and ``uv pip install`` the wheel into it. All offline:
every other wheel comes from uv's cache, which the checkout's own ``uv sync`` (or ``uv run``)
has filled. (``uv sync --no-editable`` would install the project too, but from a build uv
caches until ``pyproject.toml`` changes, so possibly not the code of today.)
``tests/test_core_install.py``
installs the core alone and runs a scenario; ``benchmarks/bench_install.py`` prints the size of
each environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

__all__ = ["ROOT", "distributions", "make_env", "size_mb", "uv"]

ROOT = Path(__file__).resolve().parents[1]
"""The checkout."""


def uv() -> str | None:
    """The uv executable (``$UV`` under ``uv run``, else on ``PATH``), or ``None``."""
    return os.environ.get("UV") or shutil.which("uv")


def make_env(path: Path, extras: Sequence[str] = (), offline: bool = True) -> Path:
    """Install socialabm with ``extras`` (none: the core) into a new environment at ``path``;
    return its ``bin`` folder.

    Raises:
        RuntimeError: uv is missing or the installation failed (its output in the message).
    """
    exe = uv()
    if exe is None:
        raise RuntimeError("uv not found: install it (python3 -m pip install uv)")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["UV_PROJECT_ENVIRONMENT"] = str(path)
    net = ["--offline"] if offline else []
    wheels = path.parent / f"{path.name}-wheel"
    sync = [exe, "sync", "--frozen", "--no-dev", "--no-install-project", "--quiet", *net]
    for extra in extras:
        sync += ["--extra", extra]
    # with the checkout's own setuptools (the dev group has it): nothing to resolve, so offline;
    # the wheel from the sdist, so not in the checkout's build/, which another build may use
    build = [exe, "build", "--no-build-isolation", "--quiet", *net, "--out-dir", str(wheels)]
    _run([*build, "--sdist"], env)
    _run([*build, "--wheel", str(next(wheels.glob("socialabm-*.tar.gz")))], env)
    _run(sync, env)
    wheel = next(wheels.glob("socialabm-*.whl"))
    _run([exe, "pip", "install", "--quiet", "--no-deps", *net, "--python", str(path), str(wheel)],
         env)  # fmt: skip
    return path / "bin"


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}{done.stderr}")


def size_mb(path: Path) -> float:
    """Size of the files under ``path`` in MB (each file counted, even if hard-linked from uv's
    cache: what a copy of the environment would take)."""
    total = sum(
        (Path(root) / name).lstat().st_size for root, _, names in os.walk(path) for name in names
    )
    return total / 1e6


def distributions(path: Path) -> list[str]:
    """The distributions installed in the environment at ``path``."""
    return sorted(p.name.split("-")[0] for p in path.glob("lib/python*/site-packages/*.dist-info"))
