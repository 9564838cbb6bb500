"""Small array helpers for the consumer x retailer matrices of the hot path.

The matrices are ``n x n_retailers`` with few columns (4 by default). numpy reduces along such a
short last axis slowly (``matrix.any(axis=1)`` is ~10x slower than or-ing the columns), and many
daily rules touch only a small share of the cells, so the market works on flat cell indices
``consumer * n_retailers + retailer`` of C-contiguous matrices.
"""

from __future__ import annotations

import numpy as np

ROW_WORDS = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}
"""Unsigned integer type as wide as a bool row of 1, 2, 4 or 8 entries."""


def rows_any(matrix: np.ndarray) -> np.ndarray:
    """Per row: is any entry of the 2-D bool ``matrix`` true (``matrix.any(axis=1)``, faster).

    A C-contiguous matrix of 1, 2, 4 or 8 columns is read as one unsigned integer per row (a
    row has a true entry if and only if its bytes are not all zero): one pass instead of one
    per column.
    """
    word = ROW_WORDS.get(matrix.shape[1])
    if word is not None and matrix.flags.c_contiguous and matrix.dtype == np.bool_:
        return matrix.view(word).reshape(-1) != 0
    out = matrix[:, 0].copy()
    for column in range(1, matrix.shape[1]):
        out |= matrix[:, column]
    return out


def rows_count(matrix: np.ndarray) -> np.ndarray:
    """Per row: how many entries of the 2-D bool ``matrix`` are true (``matrix.sum(axis=1)``,
    faster), as int16.

    A C-contiguous matrix of 2, 4 or 8 columns is read as one unsigned integer per row whose
    bytes are 0 or 1: multiplying it by ``0x0101...01`` adds every byte into the top one.
    """
    word = ROW_WORDS.get(matrix.shape[1])
    if word not in (None, np.uint8) and matrix.flags.c_contiguous and matrix.dtype == np.bool_:
        width = matrix.shape[1]
        ones = word(int.from_bytes(b"\x01" * width, "little"))
        rows = matrix.view(word).reshape(-1)
        return ((rows * ones) >> word(8 * width - 8)).astype(np.int16)
    out = matrix[:, 0].astype(np.int16)
    for column in range(1, matrix.shape[1]):
        out += matrix[:, column]
    return out


def clipped(values: np.ndarray, low: float, high: float | np.ndarray) -> np.ndarray:
    """``np.clip(values, low, high)``: the same values (signed zeros and NaN included) and type,
    without the function's Python-level wrapper, which costs more than the clip itself on the
    few consumers of a small model. ``values`` may be an array or a number."""
    return np.asarray(values).clip(low, high)


def mean(values: np.ndarray) -> float:
    """``float(values.mean())`` of a non-empty float array, to the bit: the sum over the
    count, as ``mean`` computes it, without its Python-level wrapper (on the daily outputs of
    10k consumers it costs as much again as the sum)."""
    return float(values.sum() / values.size)


def minus_columns(matrix: np.ndarray, values: np.ndarray, block_rows: int = 4096) -> np.ndarray:
    """``matrix - values[None, :]`` for a 2-D ``matrix`` with one value per column, element for
    element the same, faster: numpy broadcasts a short row over a matrix of few columns one row
    at a time, so the subtraction runs over blocks of ``block_rows`` rows (as long rows)
    against ``values`` repeated ``block_rows`` times, the last part block too."""
    n, k = matrix.shape
    out = np.empty(matrix.shape, dtype=np.result_type(matrix, values))
    head = n - n % block_rows  # the rows in whole blocks
    tiled = tiled_rows(values, block_rows).reshape(-1)
    np.subtract(
        matrix[:head].reshape(-1, block_rows * k),
        tiled,
        out=out[:head].reshape(-1, block_rows * k),
    )
    np.subtract(matrix[head:].reshape(-1), tiled[: (n - head) * k], out=out[head:].reshape(-1))
    return out


def take_rows(matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``matrix[rows]`` for integer ``rows`` (a C-contiguous copy of those rows, in that order),
    faster: numpy's fancy indexing copies a matrix of few columns row by row (11 us for 1,237
    rows of 4 bools or floats), ``take`` along the first axis in one pass (2-2.5 us). The
    method, not ``np.take``: the function's Python-level wrapper costs as much again on the few
    rows of a small model."""
    return matrix.take(rows, axis=0)


def tiled_rows(row: np.ndarray, n_rows: int) -> np.ndarray:
    """``n_rows x len(row)`` matrix whose every row is ``row`` (C-contiguous): an operand of a
    matrix's own shape, as numpy broadcasts a short row over a matrix of few columns one row at
    a time."""
    # (np.tile is slower at every size; the method skips np.repeat's Python-level wrapper)
    return row[None, :].repeat(n_rows, axis=0)


def flat_view(matrix: np.ndarray) -> np.ndarray:
    """The C-contiguous 2-D ``matrix`` as a 1-D view: writes to it write the matrix."""
    if not matrix.flags.c_contiguous:
        raise ValueError("consumer matrices must be C-contiguous to be updated in place")
    return matrix.reshape(-1)


def cell_rows_columns(cells: np.ndarray, n_columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each flat cell index ``row * n_columns + column`` (non-negative):
    ``np.divmod(cells, n_columns)``, by a shift and a mask when ``n_columns`` is a power of two
    (integer division is slow)."""
    if n_columns & (n_columns - 1) == 0:
        shift = n_columns.bit_length() - 1
        return cells >> shift, cells & (n_columns - 1)
    return np.divmod(cells, n_columns)


def run_starts(values: np.ndarray) -> np.ndarray:
    """Positions where a run of equal entries of the non-empty 1-D ``values`` starts (the first
    is 0)."""
    starts = np.empty(values.size, dtype=bool)
    starts[0] = True
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    return starts.nonzero()[0]


def run_lengths(starts: np.ndarray, total: int) -> np.ndarray:
    """Length of each run starting at ``starts`` (the :func:`run_starts` of ``total`` entries):
    ``np.diff(np.append(starts, total))``, without those functions' Python-level wrappers."""
    lengths = np.empty_like(starts)
    np.subtract(starts[1:], starts[:-1], out=lengths[:-1])
    lengths[-1] = total - starts[-1]
    return lengths


class CellScratch:
    """A work buffer of one integer per consumer-product cell, reused from day to day so that a
    phase does not allocate (and the system zero and map) ``n x n_retailers`` integers each
    day. Its contents mean nothing between uses: it is not model state.

    Args:
        n_cells: Number of cells, ``n * n_retailers``.
    """

    def __init__(self, n_cells: int) -> None:
        self.n_cells = n_cells
        self._cells: np.ndarray | None = None

    def cells(self) -> np.ndarray:
        """The ``n_cells`` buffer (int64, uninitialised: write before reading)."""
        if self._cells is None:
            self._cells = np.empty(self.n_cells, dtype=np.int64)
        return self._cells
