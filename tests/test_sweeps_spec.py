"""Sweep specifications: TOML and Python API, validation messages, designs and seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialabm.sweeps import SweepSpec, SweepSpecError, load_spec
from socialabm.sweeps.design import build_design, run_keys, run_seed

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sweeps"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return path


def test_examples_load_and_have_expected_sizes():
    grid = load_spec(EXAMPLES / "small_grid.toml")
    assert grid.design == "grid" and len(build_design(grid).points) == 6
    assert grid.base_parameters is not None and grid.scenario == "social_commerce"
    sobol = load_spec(EXAMPLES / "sobol.toml")
    design = build_design(sobol)
    assert len(design.points) == sobol.samples * (len(sobol.vary) + 2)
    assert design.matrix.shape == (len(design.points), len(sobol.vary))


def test_python_api_equals_toml(tmp_path):
    path = write(
        tmp_path,
        """
name = "x"
replicates = 2
steps = 5
[fixed]
n_consumers = 100
[vary]
jump_friction = [0.1, 0.2]
""",
    )
    from_file = load_spec(path)
    from_api = SweepSpec(
        name="x",
        vary={"jump_friction": [0.1, 0.2]},
        replicates=2,
        steps=5,
        fixed={"n_consumers": 100},
    )
    assert from_file.spec_hash() == from_api.spec_hash()
    assert SweepSpec.from_dict(from_api.to_dict()).spec_hash() == from_api.spec_hash()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[vary]\njump_fricton = [0.1]", "did you mean 'jump_friction'"),
        ("[vary]\njump_friction = [0.1, 1.5]", "out of range"),
        ("[vary]\npresale_mode = ['none', 'later']", "not allowed"),
        ("[vary]\njump_friction = { low = 0.1, high = 0.5 }", "a grid needs values"),
        ("[vary]\npresale_mode = { low = 0, high = 1 }", "a range needs a numeric parameter"),
        ("[vary]\njump_friction = []", "empty list"),
        ("[vary]\njump_friction = [0.1, 0.1]", "duplicate"),
        ("replicats = 3\n[vary]\njump_friction = [0.1]", "did you mean 'replicates'"),
        ("replicates = 0\n[vary]\njump_friction = [0.1]", "'replicates' = 0"),
        ("design = 'sobl'\n[vary]\njump_friction = [0.1]", "did you mean 'sobol'"),
        (
            "design = 'sobol'\nsamples = 10\n[vary]\njump_friction = { low = 0.1, high = 0.5 }",
            "power of 2",
        ),
        ("design = 'lhs'\n[vary]\njump_friction = { low = 0.1, high = 0.5 }", "needs 'samples'"),
        ("[fixed]\njump_friction = 0.2\n[vary]\njump_friction = [0.1]", "both [fixed] and [vary]"),
        ("[fixed]\nn_consumers = 5\n[vary]\njump_friction = [0.1]", "out of range"),
        ("scenario = 'socal_commerce'\n[vary]\njump_friction = [0.1]", "did you mean"),
        ("[outputs]\ndayly = true\n[vary]\njump_friction = [0.1]", "did you mean 'daily'"),
        ("name = 'no vary'", "missing [vary]"),
        ("[vary\n", "not valid TOML"),
    ],
)
def test_invalid_specs_fail_with_one_clear_line(tmp_path, text, message):
    with pytest.raises(SweepSpecError) as info:
        load_spec(write(tmp_path, text))
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert str(tmp_path / "spec.toml") in str(info.value)


def test_inconsistent_design_point_is_named(tmp_path):
    spec = load_spec(
        write(
            tmp_path,
            """
[fixed]
campaign_days = 20
[vary]
presale_mode = ["none", "presale"]
""",
        )
    )
    with pytest.raises(SweepSpecError, match=r"design point 1 \(presale_mode='presale'\)"):
        build_design(spec)


def test_missing_file():
    with pytest.raises(SweepSpecError, match="does not exist"):
        load_spec("no/such/sweep.toml")


def test_grid_num_and_integer_ranges():
    spec = SweepSpec(
        vary={
            "beta_weak": {"low": 0.0, "high": 0.1, "num": 3},
            "post_days": {"low": 1, "high": 3, "num": 3},
        }
    )
    assert spec.vary["beta_weak"].levels == (0.0, 0.05, 0.1)
    assert spec.vary["post_days"].levels == (1, 2, 3)
    assert len(build_design(spec).points) == 9


@pytest.mark.parametrize("design", ["lhs", "sobol", "morris"])
def test_sampled_designs_respect_ranges_types_and_levels(design):
    spec = SweepSpec(
        design=design,
        samples=8,
        seed=3,
        vary={
            "jump_friction": {"low": 0.1, "high": 0.5},
            "post_days": {"low": 2, "high": 4},
            "presale_mode": ["none", "presale"],
        },
    )
    points = build_design(spec).points
    assert {type(p["post_days"]) for p in points} == {int}
    assert {p["post_days"] for p in points} <= {2, 3, 4}
    assert {p["presale_mode"] for p in points} <= {"none", "presale"}
    assert all(0.1 <= p["jump_friction"] <= 0.5 for p in points)
    # the design itself is a pure function of the spec
    assert build_design(spec).points == points


def test_spec_hash_changes_with_anything_that_changes_runs():
    base = {"vary": {"jump_friction": [0.1, 0.2]}, "replicates": 2, "steps": 5}
    h = SweepSpec(**base).spec_hash()
    assert SweepSpec(**base).spec_hash() == h
    for change in (
        {"replicates": 3},
        {"steps": 6},
        {"seed": 1},
        {"fixed": {"deposit": 0.2}},
        {"vary": {"jump_friction": [0.1, 0.3]}},
        {"scenario": "presale"},
    ):
        assert SweepSpec(**{**base, **change}).spec_hash() != h


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**63), st.integers(0, 500), st.integers(0, 50))
def test_run_seed_is_a_pure_function_in_range(root, point, rep):
    seed = run_seed(root, point, rep)
    assert 0 <= seed < 2**63
    assert seed == run_seed(root, point, rep)
    hi, lo = (
        np.random.SeedSequence(root).spawn(point + 1)[point].spawn(rep + 1)[rep].generate_state(2)
    )
    assert seed == (int(hi) << 32 | int(lo)) & (2**63 - 1)


def test_run_seeds_distinct_and_independent_of_design_size():
    small = SweepSpec(vary={"jump_friction": [0.1, 0.2]}, replicates=5, seed=11)
    large = SweepSpec(vary={"jump_friction": [0.1, 0.2, 0.3]}, replicates=5, seed=11)
    a, b = run_keys(small, 2), run_keys(large, 3)
    assert [k.seed for k in a] == [k.seed for k in b[:10]]
    assert len({k.seed for k in b}) == len(b)
    assert [k.run_id for k in b] == list(range(15))
