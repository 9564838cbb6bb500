"""Consumers answer stock-outs in the shares of Gruen, Corsten & Bharadwaj (2002)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from socialabm.rules.consumer import STOCKOUT_RESPONSES
from socialabm.validation.expectations import (
    max_standardized_deviation,
    multinomial_counts,
    multinomial_mean_sd,
)
from socialabm.validation.result import SOURCES, CheckResult, check_result
from socialabm.validation.runs import run_to_end, scenario_models

STOCKOUT_SOURCE = {"switch": 0.26, "elsewhere": 0.31, "same_brand": 0.19, "delay": 0.15,
                   "give_up": 0.09}  # fmt: skip
"""Worldwide average responses to a stock-out (Gruen, Corsten & Bharadwaj 2002): substitute
another brand, buy the item at another store, substitute the same brand (another size or
variety), delay the purchase, do not purchase."""


def stockout_source_shares() -> np.ndarray:
    """The shares of :data:`STOCKOUT_SOURCE` in the model's response order (switch brand, buy
    elsewhere, delay, give up: ``rules.consumer.STOCKOUT_RESPONSES``), with same-brand
    substitution, which the model lacks (one variety per brand), shared out over the other four
    in proportion: 26/81, 31/81, 15/81, 9/81."""
    shares = np.array([STOCKOUT_SOURCE[k] for k in STOCKOUT_RESPONSES])
    return shares / shares.sum()


_SHARED: ContextVar[dict | None] = ContextVar("stockout_runs", default=None)
"""Counts of the stock-out runs made inside :func:`shared_runs`, by (``fast``, parameters)."""


@contextmanager
def shared_runs() -> Iterator[None]:
    """Inside this context the two stock-out checks share their runs: the second check with the
    same ``fast`` and ``model_params`` reuses the first one's counts instead of rerunning the
    scenario (:func:`~socialabm.validation.suite.run_all` runs the suite in it). Outside it,
    every check runs its own models, so a check after a change of the model sees the change."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _stockout_counts(
    fast: bool, model_params: Mapping[str, Any] | None
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Run the ``starvation_marketing`` scenario (1,000 consumers) and count its stock-outs (or
    reuse the counts of the same runs inside :func:`shared_runs`).

    Returns:
        ``(seeds, decided, realised)``: the seeds run; counts by response of every stock-out
        decision (recorded around the decision dispatcher, which is left unchanged); counts by
        realised outcome (the run's ``stockout_realised_*`` totals: a drawn switch is realised
        only if the switcher bought another brand that day, else it falls back to a delay).
    """
    shared = _SHARED.get()
    key = (fast, repr(sorted(dict(model_params or {}).items())))
    if shared is None or key not in shared:
        counts = _run_stockouts(fast, model_params)
        if shared is None:
            return counts
        shared[key] = counts
    seeds, decided, realised = shared[key]
    return list(seeds), decided.copy(), realised.copy()


def _run_stockouts(
    fast: bool, model_params: Mapping[str, Any] | None
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """The runs behind :func:`_stockout_counts`."""
    seeds = [1, 2] if fast else [1, 2, 3, 4, 5]
    decided, realised = np.zeros(4, np.int64), np.zeros(4, np.int64)
    for model in scenario_models("starvation_marketing", 1000, tuple(seeds), model_params):
        decide = model.decisions.stockout_response

        def recording(idx: np.ndarray, draw: np.ndarray, decide=decide) -> np.ndarray:
            codes = decide(idx, draw)
            decided[:] += np.bincount(np.asarray(codes, np.int64), minlength=4)
            return codes

        model.decisions.stockout_response = recording
        totals = run_to_end(model).market.totals
        realised += [int(totals[f"stockout_realised_{k}"]) for k in STOCKOUT_RESPONSES]
    return seeds, decided, realised


def _shares_text(shares: np.ndarray) -> str:
    return " ".join(f"{k} {x:.3f}" for k, x in zip(STOCKOUT_RESPONSES, shares, strict=True))


def _against_source(
    name: str, counts: np.ndarray, what: str, detail: str, seed: int, replicates: int
) -> CheckResult:
    """``counts`` (by response) against the source's shares: the largest standardized deviation
    ``max_k |n_k - E_k| / sd_k`` of a multinomial with ``counts.sum()`` trials, within the 99.5 %
    quantile of the same statistic over ``replicates`` simulated samples."""
    source = stockout_source_shares()
    trials, probs = [int(counts.sum())], [source]
    if counts.sum() > 0:
        mean, sd = multinomial_mean_sd(trials, probs)
        sims = multinomial_counts(trials, probs, replicates, np.random.default_rng(seed))
        distance = max_standardized_deviation(counts, mean, sd)
        tolerance = float(np.quantile(max_standardized_deviation(sims, mean, sd), 0.995))
    else:
        distance, tolerance = math.inf, 0.0
    shares = counts / max(counts.sum(), 1)
    return check_result(
        name,
        distance,
        0.0,
        tolerance,
        "<=",
        SOURCES["gruen"],
        what,
        f"{detail}: shares {_shares_text(shares)}; source {_shares_text(source)}; tolerance = "
        f"99.5% quantile of {replicates} samples",
    )


def check_stockout_shares(
    fast: bool = False,
    model_params: Mapping[str, Any] | None = None,
    seed: int = 0,
    replicates: int = 20000,
) -> CheckResult:
    """Consumers decide how to answer stock-outs in the shares Gruen, Corsten & Bharadwaj (2002)
    report.

    The ``starvation_marketing`` scenario (many stock-outs), 1,000 consumers. Measured: the
    consumers' response decisions, one per stock-out met (recorded around the decision
    dispatcher), against the source's worldwide shares with same-brand substitution shared out
    (:func:`stockout_source_shares`), as the largest standardized deviation ``max_k |n_k - E_k| /
    sd_k`` of a multinomial (:func:`~socialabm.validation.expectations.multinomial_mean_sd`). The
    tolerance is the 99.5 % quantile of the same statistic over ``replicates`` simulated samples
    (:func:`~socialabm.validation.expectations.multinomial_counts`). What the decisions come to
    is :func:`check_stockout_realised`.

    Args:
        fast: Seeds 1-2 instead of 1-5.
        model_params: Parameters (or a ``consumer_class``) applied to the model only.
        seed: Seed of the sampling simulation.
        replicates: Simulated samples behind the tolerance.
    """
    seeds, decided, realised = _stockout_counts(fast, model_params)
    return _against_source(
        "stockout_response_shares",
        decided,
        "max_k |count_k - E_k| / sd_k, stock-out decisions (as drawn) vs the source's shares",
        f"starvation_marketing, 1000 consumers, seeds {seeds}: {int(decided.sum())} stock-outs; "
        f"realised {_shares_text(realised / max(realised.sum(), 1))}",
        seed,
        replicates,
    )


def check_stockout_realised(
    fast: bool = False,
    model_params: Mapping[str, Any] | None = None,
    seed: int = 0,
    replicates: int = 20000,
) -> CheckResult:
    """What stock-outs come to, against what shoppers did in Gruen, Corsten & Bharadwaj (2002).

    The source's shares are observed behaviour: a shopper counted as substituting another brand
    bought one. The model's realised outcomes (the run's ``stockout_realised_*`` totals): a
    switcher looks for an alternative (docs/ODD.md 7.13) and counts as switching only if it
    bought one that day; a switcher who finds no offer in stock on the platforms it reaches that
    it values above the price falls back to delaying. Same statistic, tolerance and runs as
    :func:`check_stockout_shares`.

    Args:
        fast: Seeds 1-2 instead of 1-5.
        model_params: Parameters (or a ``consumer_class``) applied to the model only.
        seed: Seed of the sampling simulation.
        replicates: Simulated samples behind the tolerance.
    """
    seeds, decided, realised = _stockout_counts(fast, model_params)
    found = realised[0] / max(decided[0], 1)
    return _against_source(
        "stockout_realised_shares",
        realised,
        "max_k |count_k - E_k| / sd_k, realised stock-out outcomes vs the source's shares",
        f"starvation_marketing, 1000 consumers, seeds {seeds}: {int(realised.sum())} stock-outs"
        f", {found:.1%} of switchers bought another brand (the rest delayed)",
        seed,
        replicates,
    )
