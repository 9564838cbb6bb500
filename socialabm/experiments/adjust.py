"""Multiple comparisons: p-values adjusted for the number of outputs (or contrasts) tested.

A table of many outputs, each tested at 5%, shows some "significant" differences by chance
alone (about one in twenty of the outputs where nothing changed). Two standard adjustments:

* **Holm** (Holm 1979, "A simple sequentially rejective multiple test procedure", *Scand. J.
  Statist.* 6, 65-70): the step-down Bonferroni. It bounds the *family-wise error rate*: the
  chance that *any* output called different is not, whatever the dependence between the tests,
  and it rejects everything Bonferroni rejects and more. This is the adjustment the tables of
  ``socialabm compare`` and ``socialabm analyze`` show, because the model's outputs are tied to
  one another in every direction (``sales`` and its four paths, shares of one whole that move
  in opposite directions), and Holm needs no assumption about that.
* **Benjamini-Hochberg** (Benjamini & Hochberg 1995, *J. R. Statist. Soc. B* 57, 289-300):
  bounds the *false discovery rate*, the expected share of false findings among the outputs
  called different; less strict, for screening many outputs, and proven only for independent
  or positively dependent tests. Written to the CSV files beside Holm's.

Adjusted p-values compare with the level directly: an output is significant at 5% after the
adjustment when its adjusted p-value is below 0.05. The family is every finite p-value given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["benjamini_hochberg", "holm", "with_adjusted_p"]


def _finite(p_values: np.ndarray | list[float]) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(p_values, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values: allowed: numbers in [0, 1] (or NaN)")
    return p, np.isfinite(p)


def holm(p_values: np.ndarray | list[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN stays NaN and is not counted in the family).

    The i-th smallest of the m finite p-values becomes ``max_{j <= i} (m - j + 1) p_(j)``,
    capped at 1.
    """
    p, finite = _finite(p_values)
    out = np.full(p.shape, np.nan)
    x = p[finite]
    m = x.size
    if m:
        order = np.argsort(x, kind="stable")
        stepped = np.maximum.accumulate((m - np.arange(m)) * x[order])
        adjusted = np.empty(m)
        adjusted[order] = np.minimum(stepped, 1.0)
        out[finite] = adjusted
    return out


def benjamini_hochberg(p_values: np.ndarray | list[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (``scipy.stats.false_discovery_control``); NaN
    stays NaN and is not counted in the family."""
    from scipy.stats import false_discovery_control

    p, finite = _finite(p_values)
    out = np.full(p.shape, np.nan)
    if finite.any():
        out[finite] = false_discovery_control(p[finite], method="bh")
    return out


def with_adjusted_p(table: pd.DataFrame, column: str = "p_value") -> pd.DataFrame:
    """``table`` with ``p_holm`` and ``p_bh``: its ``column`` adjusted over all its rows."""
    p = table[column].to_numpy(dtype=float)
    return table.assign(p_holm=holm(p), p_bh=benjamini_hochberg(p))
