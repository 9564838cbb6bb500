"""The hot-path row reductions agree with numpy's (socialabm/arrays.py)."""

import numpy as np

from socialabm.arrays import (
    cell_rows_columns,
    clipped,
    mean,
    minus_columns,
    rows_any,
    rows_count,
    run_lengths,
    run_starts,
    take_rows,
    tiled_rows,
)
from socialabm.rules.consumer import fan_loyalty, fan_loyalty_rows


def test_row_reductions_match_numpy():
    matrix = np.random.default_rng(0).random((500, 4)) < 0.3
    np.testing.assert_array_equal(rows_any(matrix), matrix.any(axis=1))
    np.testing.assert_array_equal(rows_count(matrix), matrix.sum(axis=1))
    assert rows_count(matrix).dtype == np.int16


def test_row_reductions_match_numpy_at_every_width_and_layout():
    """The one-integer-per-row paths (1, 2, 4, 8 columns, C-contiguous) and the column loop
    (other widths, other layouts) agree with numpy, full rows included."""
    rng = np.random.default_rng(1)
    for width in (1, 2, 3, 4, 5, 8):
        matrix = rng.random((1001, width)) < 0.5
        matrix[:3] = True
        matrix[3:6] = False
        for layout in (matrix, np.asfortranarray(matrix), matrix[::2]):
            np.testing.assert_array_equal(rows_any(layout), layout.any(axis=1))
            np.testing.assert_array_equal(rows_count(layout), layout.sum(axis=1))
            assert rows_count(layout).dtype == np.int16


def test_minus_columns_is_the_broadcast_subtraction():
    """Element for element equal to ``matrix - values`` (whole blocks, a remainder, fewer
    rows than a block), so outputs computed with it stay byte-identical."""
    rng = np.random.default_rng(2)
    values = rng.random(4)
    for rows in (0, 3, 1024, 2500):
        matrix = rng.random((rows, 4))
        got = minus_columns(matrix, values, block_rows=1024)
        assert got.shape == matrix.shape
        np.testing.assert_array_equal(got, matrix - values)
    matrix = rng.random((9000, 4))  # two default blocks and a remainder
    np.testing.assert_array_equal(minus_columns(matrix, values), matrix - values)


def test_clipped_is_np_clip_to_the_bit():
    """Signed zeros, NaN, an array upper bound, numbers and integers: the same values, bits and
    types as np.clip (np.maximum would turn -0.0 into 0.0)."""
    values = np.array([-0.0, 0.0, np.nan, -1e-300, 0.5, 1.0 + 1e-16, 2.0, -np.inf])
    for got, want in (
        (clipped(values, 0.0, 1.0), np.clip(values, 0.0, 1.0)),
        (clipped(values, 0.0, values[::-1]), np.clip(values, 0.0, values[::-1])),
        (clipped(np.array([0, 7]), 1, 5), np.clip(np.array([0, 7]), 1, 5)),
    ):
        assert got.dtype == want.dtype
        assert got.tobytes() == want.tobytes()
    for number in (1.5, -0.0, np.float64(-0.5), 3):
        got, want = clipped(number, 0.0, 1.0), np.clip(number, 0.0, 1.0)
        assert type(got) is type(want)
        assert np.signbit(got) == np.signbit(want) and got == want


def test_mean_is_the_float_of_numpy_mean_to_the_bit():
    rng = np.random.default_rng(4)
    for values in (
        rng.random(10_001),
        rng.normal(size=(37, 3)),
        np.array([-0.0]),
        np.array([0.1, 0.2, 0.3]),
        np.array([0.1, np.nan]),
    ):
        got, want = mean(values), float(values.mean())
        assert type(got) is float
        assert np.float64(got).tobytes() == np.float64(want).tobytes()


def test_take_rows_is_fancy_row_indexing():
    """The rows asked for, in order (repeats and none too), as a C-contiguous copy of the
    matrix's dtype: what ``matrix[rows]`` gives."""
    rng = np.random.default_rng(3)
    for matrix in (rng.random((50, 4)) < 0.5, rng.random((50, 4)), rng.random((50, 5)) < 0.3):
        for rows in (np.array([7, 3, 3, 49, 0]), np.zeros(0, dtype=np.int64)):
            got = take_rows(matrix, rows)
            assert got.dtype == matrix.dtype and got.flags.c_contiguous
            np.testing.assert_array_equal(got, matrix[rows])
            got[...] = 0  # a copy: the matrix is untouched
        assert matrix.any()


def test_tiled_rows_cell_rows_columns_and_run_starts():
    row = np.array([0.5, -1.0, 2.0])
    np.testing.assert_array_equal(tiled_rows(row, 4), np.broadcast_to(row, (4, 3)))
    assert tiled_rows(row, 4).flags.c_contiguous
    cells = np.arange(0, 1000, 7)
    for width in (1, 2, 3, 4, 5, 8):
        rows, columns = cell_rows_columns(cells, width)
        np.testing.assert_array_equal(rows, cells // width)
        np.testing.assert_array_equal(columns, cells % width)
    values = np.array([3, 3, 5, 7, 7, 7, 9])
    assert run_starts(values).tolist() == [0, 2, 3, 6]
    assert run_lengths(run_starts(values), values.size).tolist() == [2, 1, 3, 1]
    assert run_starts(np.array([4])).tolist() == [0]
    assert run_lengths(np.array([0]), 1).tolist() == [1]


def test_fan_loyalty_rows_is_the_broadcast_fan_loyalty():
    rng = np.random.default_rng(3)
    fan_of = rng.integers(-1, 4, 200).astype(np.int16)
    loyalty = rng.random(200)
    np.testing.assert_array_equal(
        fan_loyalty_rows(fan_of, loyalty, 4),
        fan_loyalty(fan_of[:, None], loyalty[:, None], np.arange(4)),
    )
