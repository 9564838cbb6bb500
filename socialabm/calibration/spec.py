"""Calibration specification: what to fit, to which observed patterns, with what budget.

A calibration file looks like this (``[parameters]`` and ``[targets] fit`` are required)::

    name = "calibrated"
    description = "Fit the stock-out and diffusion parameters to published patterns."
    scenario = "social_commerce"   # base scenario: built-in name or path to a .toml file
    seed = 20240619                # root seed: every simulation's seed derives from it
    steps = 120                    # days per run (default: the model's whole horizon)

    [fixed]                        # overrides applied to every run
    n_consumers = 500

    [parameters]                   # the parameters to fit and their priors
    stockout_elsewhere = {}        # default: uniform on the declared range
    stockout_switch = { low = 0.0, high = 0.6 }                   # uniform on [low, high]
    ad_reach = { prior = "loguniform", low = 1e-4, high = 0.05 }  # uniform in log

    [targets]                      # observed patterns (built-in names or paths to pattern files)
    fit = ["stockout_responses", "bass_consumer_electronics"]
    held_out = ["honest_ratings"]  # compared with the calibrated model, never fitted

    [distance]
    p = 2                          # p-norm over the targets' standardised discrepancies

    [budget]
    population = 200               # particles per generation
    generations = 8                # at most this many (fewer: wider intervals; see the
                                   # coverage of each generation, docs/calibration.md)
    max_simulations = 6000         # no new generation once this many simulations were used
    min_epsilon = 0.0              # stop once the tolerance is this small (final tolerance)
    min_acceptance = 0.02          # stop once fewer than this share of proposals is accepted
    quantile = 0.5                 # each tolerance is this weighted quantile of the last
                                   # generation's distances

    [outputs]
    predictive = 60                # posterior predictive runs (simulated patterns, their spread)
    reporters = ["mymodule:my_statistic"]   # extra outputs a user's pattern file names

Every name and value is checked when the file is read, before any simulation (a combination of
proposed values the model rejects, e.g. stock-out shares summing above 1, is not an error: such a
proposal is never accepted, which truncates the prior to the allowed combinations; the priors'
low ends together with the base parameters must be allowed):
:class:`CalibrationSpecError` (a ``ValueError``) names the key, the value and what is allowed:
a parameter that does not exist or is not a number, a prior outside the declared range, a target
output the runs do not produce, an empty or invalid pattern file.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialabm.calibration.patterns import Pattern, PatternError, Target, load_pattern
from socialabm.parameters import CLASS_PARAMETERS, PARAMETERS, ParameterError, validate
from socialabm.references import import_callable, reporter_names
from socialabm.suggest import did_you_mean, unknown_key

__all__ = [
    "PRIORS",
    "Budget",
    "CalibrationSpec",
    "CalibrationSpecError",
    "Prior",
    "load_calibration",
]

PRIORS = ("uniform", "loguniform")
"""Prior families: uniform on [low, high], or uniform in log on [low, high] (low > 0)."""

_TOP = {"name", "description", "scenario", "seed", "steps", "fixed", "parameters", "targets",
        "distance", "budget", "outputs"}  # fmt: skip
_SECTIONS = {
    "targets": {"fit", "held_out"},
    "distance": {"p"},
    "budget": {
        "population",
        "generations",
        "max_simulations",
        "min_epsilon",
        "min_acceptance",
        "quantile",
    },  # fmt: skip
    "outputs": {"predictive", "reporters"},
}
_PRIOR_KEYS = {"prior", "low", "high"}


class CalibrationSpecError(ValueError):
    """A calibration specification is invalid; the message names the key, value and fix."""


def _err(where: str, message: str) -> CalibrationSpecError:
    return CalibrationSpecError(f"{where}: {message}")


def _check_keys(where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    message = unknown_key(data, allowed)
    if message:
        raise _err(where, message)


def _integer(where: str, key: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _err(where, f"{key!r} = {value!r} must be an integer >= {low}")
    return value


def _real(where: str, key: str, value: Any, low: float, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise _err(where, f"{key!r} = {value!r} must be a number in [{low:g}, {high:g}]")
    return float(value)


@dataclass(frozen=True)
class Prior:
    """The prior of one fitted parameter.

    Attributes:
        name: Parameter name (a numeric parameter of :data:`~socialabm.parameters.PARAMETERS`).
        kind: One of :data:`PRIORS`.
        low: Lower end, in the parameter's unit, inside its declared range.
        high: Upper end, in the parameter's unit, inside its declared range.
    """

    name: str
    kind: str
    low: float
    high: float

    def frozen(self) -> Any:
        """The prior as a frozen ``scipy.stats`` distribution."""
        from scipy import stats

        if self.kind == "loguniform":
            return stats.loguniform(self.low, self.high)
        return stats.uniform(self.low, self.high - self.low)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"prior": self.kind, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Budget:
    """How much a calibration may spend, and when it stops.

    Attributes:
        population: Particles per generation (>= 10).
        generations: Most generations (>= 1).
        max_simulations: No new generation starts once this many simulations were used in all
            (checked between generations, as pyabc does: the last one may go beyond it).
        min_epsilon: Stop once the tolerance reaches this (>= 0): the final tolerance.
        min_acceptance: Stop once the share of accepted proposals falls below this.
        quantile: Each generation's tolerance is this weighted quantile of the previous
            generation's distances (0 < quantile < 1).
    """

    population: int = 200
    generations: int = 8
    max_simulations: int = 6000
    min_epsilon: float = 0.0
    min_acceptance: float = 0.02
    quantile: float = 0.5


def _prior(name: str, raw: Any, where: str) -> Prior:
    here = f"{where} [parameters] {name}"
    if name in CLASS_PARAMETERS:
        raise _err(here, "an agent class cannot be calibrated; fit numeric parameters")
    if name not in PARAMETERS:
        raise _err(here, f"no parameter {name!r}{did_you_mean(name, list(PARAMETERS))}")
    p = PARAMETERS[name]
    if p.type is not float:
        raise _err(here, f"{name!r} is {p.allowed()}; only continuous parameters can be fitted")
    if not isinstance(raw, Mapping):
        raise _err(here, f"{raw!r} must be a table {{ prior = ..., low = ..., high = ... }}")
    _check_keys(here, raw, _PRIOR_KEYS)
    kind = raw.get("prior", "uniform")
    if kind not in PRIORS:
        raise _err(here, f"prior {kind!r} is not known (allowed: {', '.join(PRIORS)})")
    bounds = {}
    for key, declared in (("low", p.low), ("high", p.high)):
        value = raw.get(key, declared)
        if value is None:
            raise _err(here, f"{name!r} has no declared {key} bound; give {key} = ...")
        try:
            bounds[key] = p.coerce(value)
        except ParameterError as err:
            raise _err(
                here, f"prior {key} {value!r} is outside the declared range: {err}"
            ) from None
    low, high = bounds["low"], bounds["high"]
    if not low < high:
        raise _err(here, f"low = {low:g} must be below high = {high:g}")
    if kind == "loguniform" and low <= 0:
        raise _err(here, f"a loguniform prior needs low > 0 (got {low:g})")
    return Prior(name, kind, low, high)


@dataclass(frozen=True)
class CalibrationSpec:
    """A validated calibration: base scenario, priors, observed patterns, distance and budget.

    Build it with :func:`load_calibration` (or :meth:`from_dict`); invalid input raises
    :class:`CalibrationSpecError`.

    Attributes:
        priors: Fitted parameters and their priors, in file order.
        fit: Patterns the calibration fits.
        held_out: Patterns kept out of the fit and compared with the calibrated model.
        base_parameters: The scenario's parameters with ``fixed`` on top (validated).
        name: Short name.
        description: Free text.
        scenario: Base scenario (built-in name or path); ``None`` for the model defaults.
        seed: Root seed (>= 0).
        steps: Days per run; ``None`` for the whole horizon.
        fixed: Overrides applied to every run.
        distance_p: The p of the p-norm over standardised discrepancies (>= 1).
        budget: What the calibration may spend.
        predictive: Posterior predictive runs (>= 0).
        reporters: Extra outputs as ``"module:function"`` paths (their output is named after the
            function).
        source: Where the spec was read from.
    """

    priors: Mapping[str, Prior]
    fit: tuple[Pattern, ...]
    held_out: tuple[Pattern, ...] = ()
    base_parameters: Mapping[str, Any] = field(default_factory=dict)
    name: str = "calibration"
    description: str = ""
    scenario: str | None = None
    seed: int = 0
    steps: int | None = None
    fixed: Mapping[str, Any] = field(default_factory=dict)
    distance_p: float = 2.0
    budget: Budget = field(default_factory=Budget)
    predictive: int = 60
    reporters: tuple[str, ...] = ()
    source: str = "python"
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def targets(self) -> tuple[Target, ...]:
        """The fitted targets, pattern by pattern."""
        return tuple(t for p in self.fit for t in p.targets)

    @property
    def held_out_targets(self) -> tuple[Target, ...]:
        """The held-out targets."""
        return tuple(t for p in self.held_out for t in p.targets)

    @property
    def outputs(self) -> list[str]:
        """Every output a run must produce: fitted and held-out targets."""
        return [t.output for t in (*self.targets, *self.held_out_targets)]

    def spec_hash(self) -> str:
        """SHA-256 of everything that changes a result (not name or description)."""
        data = {k: v for k, v in self.raw.items() if k not in ("name", "description")}
        data["base_parameters"] = dict(self.base_parameters)
        data["patterns"] = [[t.__dict__ for t in p.targets] for p in (*self.fit, *self.held_out)]
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "python") -> CalibrationSpec:
        """Build and check a spec from the keys of a calibration file.

        Raises:
            CalibrationSpecError: the first problem found, naming the key and value.
        """
        where = source
        if not isinstance(data, Mapping):
            raise _err(where, "a calibration spec must be a table")
        _check_keys(where, data, _TOP)
        for section, keys in _SECTIONS.items():
            if not isinstance(data.get(section, {}), Mapping):
                raise _err(where, f"[{section}] must be a table")
            _check_keys(f"{where} [{section}]", data.get(section, {}), keys)
        seed = _integer(where, "seed", data.get("seed", 0), 0)
        steps = data.get("steps")
        steps = None if steps is None else _integer(where, "steps", steps, 1)
        scenario = data.get("scenario")
        base = _base_parameters(scenario, data.get("fixed", {}), where)
        raw_priors = data.get("parameters")
        if not isinstance(raw_priors, Mapping) or not raw_priors:
            raise _err(where, "[parameters] must name at least one parameter to fit")
        priors = {name: _prior(name, raw, where) for name, raw in raw_priors.items()}
        both = sorted(set(priors) & set(data.get("fixed", {})))
        if both:
            raise _err(where, f"{both} appear in both [fixed] and [parameters]; keep one")
        lowest = {name: prior.low for name, prior in priors.items()}  # some proposal must run
        _validated({**base, **lowest}, f"{where} [parameters] (every prior at its low end)")
        targets = data.get("targets", {})
        fit = _patterns(targets.get("fit"), f"{where} [targets] fit", required=True)
        held_out = _patterns(targets.get("held_out", []), f"{where} [targets] held_out")
        budget_raw = data.get("budget", {})
        b = f"{where} [budget]"
        budget = Budget(
            population=_integer(b, "population", budget_raw.get("population", 200), 10),
            generations=_integer(b, "generations", budget_raw.get("generations", 8), 1),
            max_simulations=_integer(b, "max_simulations",
                                     budget_raw.get("max_simulations", 6000), 1),
            min_epsilon=_real(b, "min_epsilon", budget_raw.get("min_epsilon", 0.0), 0.0),
            min_acceptance=_real(b, "min_acceptance", budget_raw.get("min_acceptance", 0.02),
                                 0.0, 1.0),
            quantile=_real(b, "quantile", budget_raw.get("quantile", 0.5), 0.01, 0.99),
        )  # fmt: skip
        outputs = data.get("outputs", {})
        try:
            reporters = tuple(reporter_names(outputs.get("reporters", [])).values())
            for ref in reporters:
                import_callable(ref, "reporter")
        except ValueError as err:
            raise _err(f"{where} [outputs] reporters", str(err)) from None
        spec = cls(
            priors=priors, fit=fit, held_out=held_out, base_parameters=base,
            name=str(data.get("name", "calibration")),
            description=str(data.get("description", "")).strip(), scenario=scenario,
            seed=seed, steps=steps, fixed=dict(data.get("fixed", {})),
            distance_p=_real(where, "[distance] p", data.get("distance", {}).get("p", 2.0), 1.0),
            budget=budget,
            predictive=_integer(where, "[outputs] predictive", outputs.get("predictive", 60), 0),
            reporters=reporters, source=source, raw=dict(data),
        )  # fmt: skip
        _check_outputs(spec)
        return spec


def _validated(params: Mapping[str, Any], where: str) -> dict[str, Any]:
    try:
        return validate(params)
    except ParameterError as err:
        raise _err(where, str(err)) from None


def _base_parameters(scenario: Any, fixed: Any, where: str) -> dict[str, Any]:
    if not isinstance(fixed, Mapping):
        raise _err(where, "[fixed] must be a table of parameter = value")
    params: dict[str, Any] = {}
    if scenario is not None:
        from socialabm.scenarios import ScenarioError, load_scenario

        if not isinstance(scenario, str):
            raise _err(where, f"scenario = {scenario!r} must be a name or a path")
        try:
            params = load_scenario(scenario).model_params()
        except ScenarioError as err:
            raise _err(where, str(err)) from None
    params.update(fixed)
    values = _validated(params, f"{where} [fixed]")
    return {k: values[k] for k in params}


def _patterns(names: Any, where: str, required: bool = False) -> tuple[Pattern, ...]:
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _err(where, f"{names!r} must be a list of pattern names or paths")
    if required and not names:
        raise _err(where, "name at least one observed pattern to fit")
    try:
        return tuple(load_pattern(n) for n in names)
    except PatternError as err:
        raise _err(where, str(err)) from None


def _check_outputs(spec: CalibrationSpec) -> None:
    """Every target names an output the runs produce (checked on a tiny unstepped model)."""
    from socialabm.calibration.statistics import STATISTICS
    from socialabm.experiments.runner import summary_names

    known = {*summary_names(), *STATISTICS, *reporter_names(spec.reporters)}
    seen: dict[str, str] = {}
    for pattern in (*spec.fit, *spec.held_out):
        for target in pattern.targets:
            if target.output not in known:
                raise _err(
                    f"{spec.source} pattern {pattern.name!r} ({pattern.source})",
                    f"target output {target.output!r} is not produced by the runs"
                    f"{did_you_mean(target.output, sorted(known))} (outputs: the model's summary, "
                    "the pattern statistics of socialabm.calibration.statistics, and "
                    "[outputs] reporters)",
                )
            if target.output in seen:
                raise _err(
                    spec.source,
                    f"output {target.output!r} is a target of both {seen[target.output]!r} and "
                    f"{pattern.name!r}; keep it in one pattern",
                )
            seen[target.output] = pattern.name


def load_calibration(path: str | Path) -> CalibrationSpec:
    """Read and check a calibration file.

    Raises:
        CalibrationSpecError: unreadable file, invalid TOML or any invalid key or value.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CalibrationSpecError(f"calibration file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CalibrationSpecError(f"calibration file {path} cannot be read: {err}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CalibrationSpecError(f"calibration file {path}: not valid TOML ({err})") from None
    return CalibrationSpec.from_dict(data, source=str(path))
