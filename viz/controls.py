"""Which parameters the app shows for a scenario, and how (generated from the declaration).

Every control is derived from :data:`socialabm.parameters.PARAMETERS`: integers and floats become
sliders over the declared range (huge upper bounds are capped to something a classroom slider can
use), booleans become on/off buttons and parameters with choices become selects. Nothing here is
declared twice: a new parameter in the model's table shows up in the app without edits here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from socialabm.viz.labels import parameter_label

from socialabm.parameters import PARAMETERS, Parameter

#: Parameters shown for every scenario, after the scenario's own overrides.
GENERAL_KEYS: tuple[str, ...] = (
    "n_consumers",
    "weak_ties",
    "beta_weak",
    "jump_friction",
    "share_base",
    "self_restraint_mean",
)

#: Upper bounds for the app's sliders where the declared bound is far too large for a slider.
APP_HIGH: dict[str, float] = {
    "n_consumers": 5000,
    "capacity": 5000,
    "survey_size": 1000,
    "experience_units": 500,
    "release_cap": 200,
    "campaign_days": 365,
    "n_campaigns": 10,
}

#: Lower bounds for the app (keeps tiny, uninformative populations off the slider).
APP_LOW: dict[str, float] = {"n_consumers": 100}


@dataclass(frozen=True)
class Control:
    """How one parameter is shown.

    Attributes:
        name: Parameter name.
        kind: ``"int"``, ``"float"``, ``"bool"`` or ``"select"``.
        label: Text beside the control: the parameter's readable name and unit
            (:func:`socialabm.viz.labels.parameter_label`).
        low: Slider minimum (numbers).
        high: Slider maximum (numbers).
        step: Slider step (numbers).
        choices: Options of a select.
        help: The parameter's name and one-line meaning (the control's tooltip).
    """

    name: str
    kind: str
    label: str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[str, ...] | None = None
    help: str = ""


def _nice_step(span: float) -> float:
    """A round slider step of about a hundredth of ``span``."""
    if span <= 0:
        return 0.01
    raw = span / 100
    exp = math.floor(math.log10(raw))
    base = raw / 10**exp
    nice = 1 if base < 2 else 2 if base < 5 else 5
    return float(nice * 10**exp)


def control_for(p: Parameter, value: Any = None, cap: float | None = None) -> Control:
    """The control for parameter ``p``; ``value`` (the current value) widens a capped range;
    ``cap`` is a server's limit for it (e.g. ``--max-consumers``), which replaces the app's own
    cap."""
    label = parameter_label(p.name, p.unit)
    meaning = f"{p.name}: {p.meaning}"
    if p.type is bool:
        return Control(p.name, "bool", label, help=meaning)
    if p.choices is not None or p.type is str:
        choices = p.choices if p.choices is not None else (str(p.default),)
        return Control(p.name, "select", label, choices=tuple(choices), help=meaning)
    default = float(p.default)
    low = APP_LOW.get(p.name, p.low if p.low is not None else min(0.0, default))
    high = p.high if p.high is not None else max(10.0 * abs(default), 1.0)
    reach = 10.0 * max(abs(default), 1.0)
    if cap is not None:
        high = min(high, cap)
    elif p.name in APP_HIGH:
        high = min(high, APP_HIGH[p.name])
    elif high - low > 2 * reach:
        low, high = max(low, default - reach), min(high, default + reach)
    if value is not None:
        v = float(value)
        low, high = min(low, v), max(high, v)
    if p.type is int:
        return Control(p.name, "int", label, int(low), int(math.ceil(high)), 1, help=meaning)
    step = _nice_step(high - low)
    return Control(p.name, "float", label, float(low), float(high), step, help=meaning)


def key_parameters(overrides: dict[str, Any]) -> list[str]:
    """Names to show for a scenario: its overridden parameters, then the general ones.

    Ordered as in the declaration within each part; unknown names are dropped.
    """
    own = [name for name in PARAMETERS if name in overrides]
    general = [name for name in GENERAL_KEYS if name in PARAMETERS and name not in overrides]
    return own + general


def controls_for(
    overrides: dict[str, Any],
    values: dict[str, Any] | None = None,
    caps: dict[str, float] | None = None,
) -> list[Control]:
    """Controls for a scenario's key parameters (see :func:`key_parameters`); ``caps`` are a
    server's limits by parameter name."""
    values, caps = values or {}, caps or {}
    return [
        control_for(PARAMETERS[name], values.get(name, overrides.get(name)), caps.get(name))
        for name in key_parameters(overrides)
    ]


def parameter_groups() -> list[str]:
    """The declaration's parameter groups, in declaration order (``network``, ``population``...)."""
    return list(dict.fromkeys(p.group for p in PARAMETERS.values()))


def group_controls(
    group: str,
    shown: list[str],
    values: dict[str, Any] | None = None,
    caps: dict[str, float] | None = None,
) -> list[Control]:
    """Controls for every parameter of ``group`` not already ``shown``: with the key
    parameters, every declared parameter is a control of the app."""
    values, caps = values or {}, caps or {}
    return [
        control_for(p, values.get(p.name), caps.get(p.name))
        for p in PARAMETERS.values()
        if p.group == group and p.name not in shown
    ]


def parse_seed(value: Any) -> int | None:
    """A seed from a form value: an int or a string of digits, or empty for ``None``.

    Parsed exactly, as an integer of any size (never through a float, which would turn
    9007199254740993 into ...992).

    Raises:
        ValueError: a value that is not a whole non-negative number written in digits.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        raise ValueError(f"seed {value!r} is not a whole non-negative number (digits only)")
    return int(text)
