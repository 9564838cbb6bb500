"""Consumers answer stock-outs in the shares of Gruen, Corsten & Bharadwaj (2002)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from socialabm.rules.consumer import STOCKOUT_RESPONSES
from socialabm.validation.expectations import (
    max_standardized_deviation,
    multinomial_counts,
    multinomial_mean_sd,
)
from socialabm.validation.result import SOURCES, CheckResult, check_result
from socialabm.validation.runs import scenario_models

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


def _stockout_encounters(model: Any) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """Run ``model`` to its horizon, recording every stock-out decision it makes (a wrapper
    around its decision dispatcher that changes nothing).

    Returns:
        ``(first, second, realised, decided)``: counts by response of the decisions at each
        consumer's first stock-out of a day; the number of second stock-outs of a day (a switcher
        finding the brand it switched to sold out too); counts by realised outcome of the first
        stock-outs; and counts of every decision (a second stock-out's switch answered as delay,
        as the market does). A switcher counts as switching only if it received another brand's unit
        that day; one who found no acceptable offer with a unit left (or abandoned the jump, or
        could not pay) as delaying; one who met a second stock-out by its answer there.
    """
    switch, delay = STOCKOUT_RESPONSES.index("switch"), STOCKOUT_RESPONSES.index("delay")
    decide, calls = model.decisions.stockout_response, []

    def recording(idx: np.ndarray, draw: np.ndarray) -> np.ndarray:
        codes = decide(idx, draw)
        calls.append((np.asarray(idx), np.asarray(codes)))
        return codes

    model.decisions.stockout_response = recording
    first, realised, second = np.zeros(4, np.int64), np.zeros(4, np.int64), 0
    decided = np.zeros(4, np.int64)
    while model.running:
        day = model.day
        calls.clear()
        model.step()
        if not calls:
            continue
        idx = np.concatenate([c[0] for c in calls])
        codes = np.concatenate([c[1] for c in calls])
        who, at = np.unique(idx, return_index=True)  # a day's first stock-outs come first
        answer = codes[at].astype(np.int64)
        first += np.bincount(answer, minlength=4)
        outcome = answer.copy()
        outcome[(answer == switch) & (model.consumers.arrays["received_day"][who] != day)] = delay
        again = np.ones(idx.size, dtype=bool)
        again[at] = False
        second += int(again.sum())
        answered = np.where(codes[again] == switch, delay, codes[again]).astype(np.int64)
        outcome[np.searchsorted(who, idx[again])] = answered
        realised += np.bincount(outcome, minlength=4)
        decided += np.bincount(answer, minlength=4) + np.bincount(answered, minlength=4)
    return first, second, realised, decided


def _shares_text(shares: np.ndarray) -> str:
    return " ".join(f"{k} {x:.3f}" for k, x in zip(STOCKOUT_RESPONSES, shares, strict=True))


def check_stockout_shares(
    fast: bool = False,
    model_params: Mapping[str, Any] | None = None,
    seed: int = 0,
    replicates: int = 20000,
) -> CheckResult:
    """Consumers answer stock-outs in the shares Gruen, Corsten & Bharadwaj (2002) report.

    The ``starvation_marketing`` scenario (many stock-outs), 1,000 consumers. Measured: the
    consumers' response decisions, one per stock-out met (recorded around the decision dispatcher),
    against the source's worldwide shares with same-brand substitution shared out
    (:func:`stockout_source_shares`), as the largest standardized deviation ``max_k |n_k - E_k| /
    sd_k``. A consumer meets at most two stock-outs a day, the second only after switching, and
    answers it without switching; so ``E`` and ``sd`` are those of two multinomials
    (:func:`~socialabm.validation.expectations.multinomial_mean_sd`): the ``N1`` first stock-outs of
    a day with the source's shares, the ``N2`` second ones with the switch share moved to delay
    (``N1``, ``N2`` recorded from the model's decisions). The tolerance is the 99.5 % quantile of
    the same statistic over ``replicates`` simulated samples
    (:func:`~socialabm.validation.expectations.multinomial_counts`).

    The detail line also gives the realised outcomes, which the run summary counts
    (``stockout_switch`` ... ``stockout_give_up``): a switcher who finds no acceptable offer with
    a unit left delays. The source's shares are what shoppers did; the model reproduces them for
    buying elsewhere and giving up, but very few of its switchers find another brand to buy
    (docs/validation.md).

    Args:
        fast: Seeds 1-2 instead of 1-5.
        model_params: Parameters (or a ``consumer_class``) applied to the model only.
        seed: Seed of the sampling simulation.
        replicates: Simulated samples behind the tolerance.
    """
    source = stockout_source_shares()
    switch, delay = STOCKOUT_RESPONSES.index("switch"), STOCKOUT_RESPONSES.index("delay")
    answered_again = source.copy()
    answered_again[delay] += answered_again[switch]
    answered_again[switch] = 0.0
    seeds = (1, 2) if fast else (1, 2, 3, 4, 5)
    counts, first, realised, second = np.zeros(4), np.zeros(4), np.zeros(4), 0
    for model in scenario_models("starvation_marketing", 1000, seeds, model_params):
        f, s, r, d = _stockout_encounters(model)
        counts += d
        first, second, realised = first + f, second + s, realised + r
    trials, probs = [first.sum(), second], [source, answered_again]
    mean, sd = multinomial_mean_sd(trials, probs)
    sims = multinomial_counts(trials, probs, replicates, np.random.default_rng(seed))
    if first.sum() > 0:
        distance = max_standardized_deviation(counts, mean, sd)
        tolerance = float(np.quantile(max_standardized_deviation(sims, mean, sd), 0.995))
    else:
        distance, tolerance = math.inf, 0.0
    total = max(counts.sum(), 1.0)
    return check_result(
        "stockout_response_shares",
        distance,
        0.0,
        tolerance,
        "<=",
        SOURCES["gruen"],
        "max_k |count_k - E_k| / sd_k, stock-out decisions as counted vs the source's shares "
        "(realised switching: see below)",
        f"starvation_marketing, 1000 consumers, seeds {list(seeds)}: {int(counts.sum())} "
        f"stock-outs ({second} second ones the same day), shares {_shares_text(counts / total)}"
        f"; source {_shares_text(source)}; realised outcome of first stock-outs "
        f"{_shares_text(realised / max(realised.sum(), 1))} (switchers who find no acceptable "
        f"offer with a unit left delay); tolerance = 99.5% quantile of {replicates} samples",
    )
