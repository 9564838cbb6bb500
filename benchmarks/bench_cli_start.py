"""Start-up time of the ``socialabm`` command (issue 12: the light commands in <= 1 s).

Runs each command in a fresh process ``--repeats`` times (default 7) and prints the median and
the fastest wall time, next to a bare ``python -c pass`` (the interpreter's own start). The
light commands import neither Mesa nor scipy, pandas or networkx (tests/test_cli_start.py checks
that); a real run is shown for contrast.

Usage::

    uv run python benchmarks/bench_cli_start.py
    uv run python benchmarks/bench_cli_start.py --repeats 15 --json start.json

To see where the time of one command goes: ``uv run python -X importtime -m socialabm.cli
params 2>&1 >/dev/null | sort -t'|' -k2 -n | tail``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("socialabm")

COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass (interpreter)", [sys.executable, "-c", "pass"]),
    ("socialabm --help", [str(SCRIPT), "--help"]),
    ("socialabm params", [str(SCRIPT), "params"]),
    ("socialabm scenarios", [str(SCRIPT), "scenarios"]),
    ("socialabm run --help", [str(SCRIPT), "run", "--help"]),
    ("socialabm sweep --help", [str(SCRIPT), "sweep", "--help"]),
    ("socialabm analyze --help", [str(SCRIPT), "analyze", "--help"]),
    ("socialabm run social_comerce (error)", [str(SCRIPT), "run", "social_comerce"]),
    (
        "socialabm run traditional --set jump_fricton=1 (error)",
        [str(SCRIPT), "run", "traditional", "--set", "jump_fricton=1"],
    ),
    ("socialabm analyze no/such/dir (error)", [str(SCRIPT), "analyze", "no/such/dir"]),
    (
        "socialabm run traditional --steps 1 (contrast)",
        [str(SCRIPT), "run", "traditional", "--steps", "1", "--set", "n_consumers=50"],
    ),
]


def timed(cmd: list[str]) -> float:
    """Wall seconds of one run of ``cmd`` (output discarded)."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per command (median)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not SCRIPT.exists():
        sys.exit(f"no console script at {SCRIPT}; run `uv sync` first")
    print(f"load average {os.getloadavg()[0]:.2f}; {args.repeats} runs each; median (fastest)")
    figures = {}
    for label, cmd in COMMANDS:
        timed(cmd)  # warm the file cache
        times = [timed(cmd) for _ in range(args.repeats)]
        figures[label] = {"median_s": statistics.median(times), "min_s": min(times)}
        print(f"  {label:<56} {statistics.median(times):6.2f} s ({min(times):.2f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
