"""Every claim of the registry and its ablation, run as published: the fresh table must equal the
committed last run (docs/claims.csv), and docs/ODD.md §11 must be that table's rendering.

So a change that breaks a mechanism (its effect vanishes, or survives its ablation) changes a
verdict and fails here, and the documented table cannot drift from the code. Rebuild both with
``uv run socialabm claims --update-docs`` after a deliberate change.
"""

from pathlib import Path

import numpy as np
import pytest

from socialabm.claims import load_registry, run_claims
from socialabm.claims.evaluate import VERDICTS
from socialabm.claims.report import read_table, render_section, section_of

DOCS = Path(__file__).resolve().parents[1] / "docs"
PUBLISHED = DOCS / "claims.csv"
NUMBERS = ["mean_a", "mean_b", "effect", "effect_low", "effect_high", "ablated", "ablated_low",
           "ablated_high", "reduction_low", "reduction_high"]  # fmt: skip


@pytest.fixture(scope="module")
def published():
    return read_table(PUBLISHED)


def test_odd_section_is_the_rendering_of_the_published_table(published):
    registry = load_registry()
    expected = render_section(published, registry.claims, registry.seeds)
    assert section_of((DOCS / "ODD.md").read_text(encoding="utf-8")) == expected


def test_published_verdicts_are_read_as_written(published, tmp_path):
    assert set(published["verdict"]) <= set(VERDICTS)
    assert published[["verdict", "why"]].notna().all().all()
    table = published.head(2).copy()
    table.loc[0, ["verdict", "effect"]] = ["null", float("nan")]
    table.to_csv(tmp_path / "t.csv", index=False)
    back = read_table(tmp_path / "t.csv")
    assert back.loc[0, "verdict"] == "null" and np.isnan(back.loc[0, "effect"])
    assert back.loc[1, "effect"] == table.loc[1, "effect"]


def test_published_table_covers_every_claim_and_output(published):
    registry = load_registry()
    rows = {(c.id, output) for c in registry.claims for output in c.expect}
    assert set(zip(published["claim"], published["output"], strict=True)) == rows


@pytest.mark.slow
def test_fresh_run_reproduces_the_published_table(published):
    fresh = run_claims(workers=None)  # every claim, the registry's seeds, all cores
    assert list(fresh["claim"]) == list(published["claim"])
    assert list(fresh["output"]) == list(published["output"])
    changed = fresh.loc[fresh["verdict"] != published["verdict"], ["claim", "output", "verdict"]]
    assert changed.empty, f"verdicts changed (published: docs/claims.csv):\n{changed}"
    for column in NUMBERS:
        np.testing.assert_allclose(
            fresh[column].to_numpy(float), published[column].to_numpy(float),
            rtol=1e-6, atol=1e-9, equal_nan=True, err_msg=column,
        )  # fmt: skip
