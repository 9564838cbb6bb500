"""Size of an installation of socialabm: the core alone, each extra, everything (issue 20).

Installs socialabm into a fresh environment per row (``tools/fresh_env.py``: its wheel and the
locked versions of its dependencies, offline from uv's cache) and prints its size on disk (every
file counted, as a copy would take it), its number of distributions and the seconds the
installation took (building the wheel included). The checkout's development environment
(``.venv``: every extra and the dev tools) is shown for contrast.

Usage::

    uv run python benchmarks/bench_install.py
    uv run python benchmarks/bench_install.py --json install.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.fresh_env import ROOT, distributions, make_env, size_mb  # noqa: E402

ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ()),
    ("core + app", ("app",)),
    ("core + distributed", ("distributed",)),
    ("core + analysis", ("analysis",)),
    ("core + app, distributed, analysis", ("app", "distributed", "analysis")),
]


def _row(label: str, path: Path, seconds: float | None) -> dict:
    return {"environment": label, "mb": size_mb(path),
            "distributions": len(distributions(path)), "seconds": seconds}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures = []
    with tempfile.TemporaryDirectory(prefix="socialabm-install-") as tmp:
        for i, (label, extras) in enumerate(ROWS):
            path = Path(tmp) / f"env{i}"
            start = time.perf_counter()
            make_env(path, extras)
            seconds = time.perf_counter() - start
            figures.append(_row(label, path, seconds))
    if (ROOT / ".venv").is_dir():
        figures.append(_row("checkout .venv (extras + dev tools)", ROOT / ".venv", None))
    print(f"{'environment':<38} {'size':>8} {'distributions':>14} {'install':>8}")
    for f in figures:
        took = "" if f["seconds"] is None else f"{f['seconds']:.1f}s"
        print(f"{f['environment']:<38} {f['mb']:>5.0f} MB {f['distributions']:>14} {took:>8}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
