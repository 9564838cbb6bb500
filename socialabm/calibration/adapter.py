"""The spec turned into a pyabc ABC-SMC analysis, and the analysis run or resumed.

* Priors: one ``pyabc.RV`` per fitted parameter (:class:`~socialabm.calibration.spec.Prior`);
  a log-uniform parameter is fitted on the log scale, as ``log(name)``
  (:func:`~socialabm.calibration.simulator.natural_scale`).
* Model: :class:`~socialabm.calibration.simulator.Simulator`; distance:
  :class:`~socialabm.calibration.distance.PatternDistance` (not adaptive, so it carries no state
  a resumed run could lose).
* Tolerances: ``pyabc.QuantileEpsilon`` at the spec's quantile (the first from a prior sample);
  proposals: ``pyabc.MultivariateNormalTransition`` (its default scaling); population size fixed.
* Sampler: :class:`~socialabm.calibration.sampler.DeterministicSampler`.

pyabc keeps every finished generation in an SQLite database (``history.db``), one transaction
per generation; :func:`run_abc` continues an analysis found there from its last finished
generation.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

from socialabm.calibration.distance import PatternDistance
from socialabm.calibration.simulator import Simulator, log_name
from socialabm.calibration.spec import CalibrationSpec
from socialabm.references import reporter_names

__all__ = ["build_abc", "run_abc"]


def _quiet_pyabc() -> None:
    """pyabc logs every generation at INFO; the command prints its own progress."""
    for name in ("ABC", "ABC.History", "ABC.Sampler", "ABC.Epsilon", "ABC.Distance"):
        logging.getLogger(name).setLevel(logging.WARNING)


def build_abc(spec: CalibrationSpec, sampler: Any) -> Any:
    """The pyabc ``ABCSMC`` object of ``spec`` drawing its particles with ``sampler``."""
    import pyabc

    _quiet_pyabc()
    priors = {}
    for prior in spec.priors.values():
        if prior.kind == "loguniform":
            low, high = math.log(prior.low), math.log(prior.high)
            priors[log_name(prior.name)] = pyabc.RV("uniform", low, high - low)
        else:
            priors[prior.name] = pyabc.RV("uniform", prior.low, prior.high - prior.low)
    simulator = Simulator(
        spec.base_parameters, spec.outputs, spec.steps, reporter_names(spec.reporters)
    )
    return pyabc.ABCSMC(
        models=simulator,
        parameter_priors=pyabc.Distribution(**priors),
        distance_function=PatternDistance(spec.targets, spec.distance_p),
        population_size=spec.budget.population,
        transitions=pyabc.MultivariateNormalTransition(),
        eps=pyabc.QuantileEpsilon(alpha=spec.budget.quantile),
        sampler=sampler,
    )


def observed(spec: CalibrationSpec) -> dict[str, float]:
    """What pyabc stores as the observed data: each target's value (an interval's midpoint)."""
    return {t.output: t.centre for t in (*spec.targets, *spec.held_out_targets)}


def run_abc(spec: CalibrationSpec, database: Path, sampler: Any) -> Any:
    """Run the calibration in ``database`` (SQLite), continuing it if it holds finished
    generations; return the pyabc ``History``.

    The stopping rules are the spec's budget, counted over the whole analysis: a resumed run
    does the generations and simulations left.
    """
    abc = build_abc(spec, sampler)
    url = f"sqlite:///{database}"
    done = 0
    if database.exists():
        history = abc.load(url, 1)
        done = 0 if history.max_t is None else history.max_t + 1
    if done == 0 and not database.exists():
        abc.new(url, observed(spec))
    left = spec.budget.generations - done
    if left > 0:
        abc.run(
            minimum_epsilon=spec.budget.min_epsilon,
            max_nr_populations=left,
            min_acceptance_rate=spec.budget.min_acceptance,
            max_total_nr_simulations=spec.budget.max_simulations,
        )
    return abc.history
