"""The tutorial notebooks run top to bottom, and their stored outputs are the current ones.

Each notebook asserts what its text says (``assert`` cells), so a change of the model that makes
a tutorial wrong fails here. Its stored text outputs, which the documentation site shows, must
equal a fresh run's (cells tagged ``varies`` excepted): after a deliberate change, run
``uv run python -m tools.notebooks NAME`` and commit the notebook.
"""

import difflib
import time

import nbformat
import pytest

from tools import notebooks
from tools.docsite.tutorials import TUTORIAL_PAGES


def test_every_notebook_is_a_tutorial_page():
    assert sorted(p.stem for p in notebooks.TUTORIALS.glob("*.ipynb")) == sorted(TUTORIAL_PAGES)


@pytest.mark.slow
@pytest.mark.parametrize("name", TUTORIAL_PAGES)
def test_tutorial_runs_and_its_stored_outputs_are_current(name):
    path = notebooks.path_of(name)
    start = time.perf_counter()
    fresh = notebooks.execute(path)
    print(f"{name}: {time.perf_counter() - start:.1f} s")
    stored = notebooks.text_outputs(nbformat.read(path, as_version=4))
    now = notebooks.text_outputs(fresh)
    if stored != now:
        diff = difflib.unified_diff(
            [f"cell {n}: {t}" for n, t in stored], [f"cell {n}: {t}" for n, t in now], lineterm=""
        )
        pytest.fail(
            f"{path.name}: stored outputs are stale; rerun `uv run python -m tools.notebooks "
            f"{name}` and commit it\n" + "\n".join(list(diff)[:40])
        )


def test_text_outputs_skip_cells_that_vary():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("print(1)"),
        nbformat.v4.new_code_cell("print(time.time())", metadata={"tags": ["varies"]}),
    ]
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="17.3\n")]
    assert notebooks.text_outputs(nb) == [(0, "1\n")]
