"""The hot-path row reductions agree with numpy's (socialabm/arrays.py)."""

import numpy as np

from socialabm.arrays import rows_any, rows_count


def test_row_reductions_match_numpy():
    matrix = np.random.default_rng(0).random((500, 4)) < 0.3
    np.testing.assert_array_equal(rows_any(matrix), matrix.any(axis=1))
    np.testing.assert_array_equal(rows_count(matrix), matrix.sum(axis=1))
    assert rows_count(matrix).dtype == np.int16
