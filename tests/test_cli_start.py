"""The light commands start without the heavy libraries (a behaviour test, not a timing test:
the start times are printed by benchmarks/bench_cli_start.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from socialabm.validation import cli as validation_cli
from socialabm.validation import suite

HEAVY = ("mesa", "scipy", "pandas", "networkx", "matplotlib", "pyarrow")

PROBE = """
import json, sys
from socialabm.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "loaded": [m for m in %r if m in sys.modules]}))
"""


def loaded_by(*argv: str) -> tuple[int, list[str]]:
    """Exit code of ``socialabm ARGV`` in a fresh interpreter and the heavy modules it loaded."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return answer["code"], answer["loaded"]


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--help"], 0),
        (["params"], 0),
        (["outputs"], 0),
        (["outputs", "debt"], 2),
        (["scenarios"], 0),
        (["sweep", "--help"], 0),
        (["analyze", "--help"], 0),
        (["validate", "--help"], 0),
        (["viz", "--help"], 0),
        (["run", "social_comerce"], 2),
        (["run", "traditional", "--set", "jump_fricton=0.1"], 2),
        (["compare", "traditional", "presale", "--set", "deposit=2"], 2),
        (["analyze", "no/such/dir"], 2),
    ],
)
def test_light_commands_do_not_import_heavy_libraries(argv, code):
    assert loaded_by(*argv) == (code, [])


def test_a_real_run_does_load_them():
    """The probe can see a heavy import (so an empty list above means something)."""
    code, loaded = loaded_by("run", "traditional", "--steps", "2", "--set", "n_consumers=50")
    assert code == 0 and {"mesa", "pandas"} <= set(loaded)


def test_validate_parser_names_every_check():
    assert tuple(name for name, _ in suite.CHECKS) == validation_cli.CHECK_NAMES
