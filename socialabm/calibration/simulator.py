"""One simulation of a calibration: parameters in, the targets' outputs out.

:class:`Simulator` is the model pyabc calls. It runs :func:`socialabm.experiments.runner.run_model`
with the base parameters and the proposed values, asking for the pattern statistics and reporters
the targets name, and returns those outputs. The run's seed is drawn from numpy's global generator,
which the sampler seeds per candidate from the calibration's seed
(:mod:`socialabm.calibration.sampler`), so every simulation is reproducible.

A proposal the model rejects as a combination (``stockout_switch + stockout_elsewhere +
stockout_delay > 1``...) gives ``nan`` outputs, which the distance makes infinitely far: in
effect the prior is truncated to the combinations the model allows.

A parameter with a log-uniform prior travels through pyabc as its natural logarithm, named
``log(name)`` (:func:`log_name`; read back by :func:`unlogged_name` and :func:`natural_scale`):
uniform on the log scale, so that pyabc's normal proposal kernel moves it by factors rather than
by steps fitted to its largest values (on the linear scale, a kernel fitted to particles spread
over 0.0001-0.05 almost never proposes values near 0.0001, and the few it does carry large
importance weights).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from socialabm.parameters import ParameterError

__all__ = ["Simulator", "log_name", "natural_scale", "run_outputs", "unlogged_name"]

SEED_BOUND = 2**31 - 1
"""Run seeds are drawn uniformly from [0, SEED_BOUND)."""


LOG_PREFIX, LOG_SUFFIX = "log(", ")"
"""How pyabc's name of a log-uniform parameter wraps the parameter's name."""


def log_name(name: str) -> str:
    """The name pyabc knows a log-uniform parameter by: ``log(name)``."""
    return f"{LOG_PREFIX}{name}{LOG_SUFFIX}"


def unlogged_name(key: str) -> str | None:
    """The parameter a :func:`log_name` stands for (``log(name)`` -> ``name``); ``None`` for a
    key that is not such a name."""
    if key.startswith(LOG_PREFIX) and key.endswith(LOG_SUFFIX):
        return key[len(LOG_PREFIX) : -len(LOG_SUFFIX)]
    return None


def natural_scale(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as pyabc holds them (numbers or arrays) turned into the parameters' own scale and
    names (``log(name)`` -> ``name`` = exp of the value; others unchanged), in the same
    order."""
    out = {}
    for key, value in values.items():
        name = unlogged_name(key)
        if name is None:
            out[key] = value
        else:
            out[name] = np.exp(value)
    return out


def run_outputs(
    params: Mapping[str, Any],
    seed: int,
    outputs: Sequence[str],
    steps: int | None = None,
    reporters: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """Run the model once and return ``outputs`` (summary outputs, pattern statistics and
    reporters by name); ``nan`` for every output if the model rejects the parameters."""
    from socialabm.calibration.statistics import READ_DAILY, STATISTICS
    from socialabm.experiments.runner import run_model

    wanted = {name: STATISTICS[name] for name in outputs if name in STATISTICS}
    own = {k: v for k, v in (reporters or {}).items() if k in outputs}  # may read the series
    read_daily = bool(own) or not READ_DAILY.isdisjoint(wanted)
    try:
        result = run_model(
            params, seed=seed, steps=steps, collect_daily=False, reporters={**wanted, **own},
            reporters_read_daily=read_daily,
        )  # fmt: skip
    except ParameterError:
        return dict.fromkeys(outputs, float("nan"))
    return {name: float(result.summary[name]) for name in outputs}


class Simulator:
    """The pyabc model of a calibration (picklable: it travels to the workers).

    Args:
        base: Parameters of every run (the scenario and ``[fixed]``).
        outputs: Outputs to return (fitted and held-out targets).
        steps: Days per run (``None``: whole horizon).
        reporters: Extra outputs, name -> ``"module:function"``.
    """

    def __init__(
        self,
        base: Mapping[str, Any],
        outputs: Sequence[str],
        steps: int | None = None,
        reporters: Mapping[str, str] | None = None,
    ) -> None:
        self.base = dict(base)
        self.outputs = tuple(outputs)
        self.steps = steps
        self.reporters = dict(reporters or {})

    def __call__(self, proposal: Mapping[str, float]) -> dict[str, float]:
        """Simulate the proposal (fitted parameter -> value) with a seed from numpy's global
        generator; return the outputs by name."""
        seed = int(np.random.randint(SEED_BOUND))  # noqa: NPY002 - seeded by the sampler
        fitted = {k: float(v) for k, v in natural_scale(proposal).items()}
        params = {**self.base, **fitted}
        return run_outputs(params, seed, self.outputs, self.steps, self.reporters)
