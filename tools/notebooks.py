"""Run the tutorial notebooks (``docs/tutorials/*.ipynb``) and keep their stored outputs fresh.

The notebooks are committed with their outputs (small PNG plots and short tables), which the
documentation site shows without running them. ``tests/test_tutorials.py`` runs each one and
fails when a cell raises, an ``assert`` in it fails (the notebooks assert what their text
says), or its text outputs differ from the stored ones; then rerun it here and commit it:

    uv run python -m tools.notebooks                 # every tutorial
    uv run python -m tools.notebooks first_run       # one

Cells whose output depends on timing (how many runs a killed sweep had finished) carry the
tag ``varies``; their outputs are stored but not compared.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "docs" / "tutorials"
CELL_TIMEOUT = 180
"""Seconds a cell may run before the execution fails."""
VARIES = "varies"
"""Tag of a cell whose outputs are not compared (they depend on timing)."""


def path_of(name: str) -> Path:
    """The notebook of the tutorial ``name`` (``first_run``)."""
    return TUTORIALS / f"{name}.ipynb"


def execute(path: Path) -> nbformat.NotebookNode:
    """``path`` run top to bottom in a fresh kernel started in the repository's root folder.

    The kernel is killed once the last cell has run (with its process group: a sweep's
    ``forkserver`` too) rather than asked to shut down: its outputs are in, and a clean exit of
    a kernel that imported pandas, matplotlib and the model takes 0.5-1 s of finalisation.
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()
    return nb


def text_outputs(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """What each code cell printed to stdout and returned as text, but the ``varies`` cells.

    Images, HTML and stderr (warnings, progress) are left out: they hold no result the text does
    not, or depend on the machine.
    """
    out = []
    for number, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or VARIES in cell.metadata.get("tags", []):
            continue
        texts = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stdout":
                texts.append(output.text)
            elif output.output_type == "execute_result":
                texts.append(output.data.get("text/plain", ""))
        out.append((number, "".join(texts)))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the named tutorials (default: all) and store their outputs in place."""
    parser = argparse.ArgumentParser(prog="python -m tools.notebooks", description=__doc__)
    parser.add_argument("names", nargs="*", help="tutorials to run (default: all)")
    args = parser.parse_args(argv)
    names = args.names or sorted(p.stem for p in TUTORIALS.glob("*.ipynb"))
    for name in names:
        path = path_of(name)
        if not path.exists():
            print(f"no tutorial {name!r} ({path} does not exist)", file=sys.stderr)
            return 2
        start = time.perf_counter()
        nb = execute(path)
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)
        print(f"{path.relative_to(ROOT)}: ran in {time.perf_counter() - start:.1f} s, stored")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
