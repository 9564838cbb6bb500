"""The checks that tell the report's reader whether sensitivity indices can be trusted."""

from __future__ import annotations

import pandas as pd
import pytest

from socialabm.sweeps import SweepSpec
from socialabm.sweeps.reliability import index_warnings, suggested_samples

SPEC = SweepSpec(
    design="sobol",
    samples=64,
    vary={"jump_friction": {"low": 0.1, "high": 0.6}, "deposit": {"low": 0.1, "high": 0.5}},
)


def table(values: dict[tuple[str, str], tuple[float, float]], method="sobol") -> pd.DataFrame:
    """Indices of one output 'y': (parameter, index) -> (value, conf)."""
    return pd.DataFrame(
        [
            {"output": "y", "parameter": p, "method": method, "index": k, "value": v, "conf": c}
            for (p, k), (v, c) in values.items()
        ]
    )


GOOD = {
    ("jump_friction", "S1"): (0.60, 0.03),
    ("jump_friction", "ST"): (0.70, 0.04),
    ("deposit", "S1"): (0.20, 0.02),
    ("deposit", "ST"): (0.25, 0.03),
}


def test_consistent_narrow_indices_get_no_warning():
    assert index_warnings(table(GOOD), SPEC) == []
    within = {("deposit", "S1"): (0.45, 0.01), ("deposit", "ST"): (0.5, 0.01)}  # sum 1.05
    assert index_warnings(table({**GOOD, **within}), SPEC) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({("deposit", "S1"): (0.40, 0.03)}, "S1 > ST for `deposit`"),
        ({("deposit", "S1"): (-0.10, 0.04)}, "negative beyond its 95% CI: S1 of `deposit`"),
        ({("deposit", "ST"): (1.20, 0.04)}, "above 1 beyond its 95% CI: ST of `deposit`"),
        (
            {("deposit", "S1"): (0.60, 0.01), ("deposit", "ST"): (0.65, 0.01)},
            "the S1 sum to 1.20",
        ),
        ({("deposit", "ST"): (0.25, 0.20)}, "95% CI half-widths up to ±0.2"),
        ({("deposit", "ST"): (0.25, float("nan"))}, "no confidence interval: ST of `deposit`"),
    ],
)
def test_each_failed_check_is_named(changes, message):
    warnings = index_warnings(table({**GOOD, **changes}), SPEC)
    assert len(warnings) == 1 and message in warnings[0]
    assert warnings[0].startswith("**y**: not trustworthy at `samples = 64`")


def test_suggested_sample_size_follows_the_square_root_law():
    # a half-width of 0.2 at N = 64 needs (0.2 / 0.05)^2 = 16 times more: 1024
    warning = index_warnings(table({**GOOD, ("deposit", "ST"): (0.25, 0.20)}), SPEC)[0]
    assert "About `samples = 1024` (4096 design points)" in warning  # N * (D + 2)
    assert suggested_samples(64, 0.2, power_of_two=True) == 1024
    assert suggested_samples(64, 0.06, power_of_two=True) == 128  # at least twice
    assert suggested_samples(100, 0.1, power_of_two=False) == 400
    assert suggested_samples(64, float("nan"), power_of_two=True) == 256


def test_morris_measures_are_not_judged():
    morris = table({("deposit", "mu_star"): (3.0, 2.0)}, method="morris")
    assert index_warnings(morris, SPEC) == []
