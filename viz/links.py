"""Links that prepare the page: ``/?scenario=platform_alliance&n_consumers=2000&seed=7``.

:func:`read_link` turns a link's query string into what the page opens with, and a notice for
everything it could not use (an unknown name, with the closest known ones; a bad value, with what
is allowed; a value over the server's limit), so a typo in a handed-out link is seen, not
silently ignored. A link never names a file or a module: scenarios are picked from the page's
list, and agent classes only from the command line.
"""

from __future__ import annotations

import difflib
import math
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from socialabm.viz.controls import parse_seed
from socialabm.viz.limits import Limits

from socialabm.parameters import CLASS_PARAMETERS, PARAMETERS, ParameterError, unknown_name_error

SPEEDS: tuple[float, ...] = (0.25, 0.5, 1, 2, 5, 10, 20)
"""Play's speeds (days per second): the steps of the speed slider, slowest first; a link may ask
for any speed between the slowest and the fastest."""

DEFAULT_SPEED = 5


def speed_text(speed: float) -> str:
    """``"0.25 days/s"``, ``"1 day/s"``, ``"20 days/s"``."""
    return f"{speed:g} day/s" if speed == 1 else f"{speed:g} days/s"


def nearest_speed(speed: float) -> int:
    """Index in :data:`SPEEDS` of the step nearest ``speed``."""
    return min(range(len(SPEEDS)), key=lambda k: abs(SPEEDS[k] - speed))


#: Link keys that are not model parameters.
PAGE_KEYS = ("scenario", "seed", "speed", "presenter", "compare")

_TRUE, _FALSE = ("1", "true", "yes", "on", ""), ("0", "false", "no", "off")


@dataclass
class Link:
    """What a link asks for.

    Attributes:
        scenario: A scenario of the page's list, or ``None`` (the page's default).
        seed: The seed (``None``: random).
        overrides: Parameter values to apply on top of the scenario's.
        speed: Play speed (days per second, from ``SPEEDS[0]`` to ``SPEEDS[-1]``).
        presenter: Open in presenter mode (no parameter column).
        compare: Open the comparison with the scenario's ``compare_with``.
        notices: One line per part of the link that was not used as given.
    """

    scenario: str | None = None
    seed: int | None = 42
    overrides: dict[str, Any] = field(default_factory=dict)
    speed: float = DEFAULT_SPEED
    presenter: bool = False
    compare: bool = False
    notices: list[str] = field(default_factory=list)


def _close(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _flag(key: str, text: str, link: Link) -> bool:
    if text.strip().lower() in _TRUE:
        return True
    if text.strip().lower() not in _FALSE:
        link.notices.append(f"Link: {key}={text!r} is not on/off; ignored.")
    return False


def read_link(
    search: str | None, scenarios: Sequence[str], limits: Limits, default_seed: int = 42
) -> Link:
    """What the query string ``search`` asks for, within ``scenarios`` and ``limits``."""
    link = Link(seed=default_seed)
    query = {
        k: v[-1] for k, v in urllib.parse.parse_qs(search or "", keep_blank_values=True).items()
    }
    if "scenario" in query:
        name = query.pop("scenario")
        if name in scenarios:
            link.scenario = name
        else:
            link.notices.append(
                f"Link: unknown scenario {name!r}{_close(name, scenarios)} "
                "The page opened its default scenario."
            )
    if "seed" in query:
        text = query.pop("seed")
        try:
            link.seed = parse_seed(text)
        except ValueError as err:
            link.notices.append(f"Link: {err}; using seed {default_seed}.")
    if "speed" in query:
        text = query.pop("speed")
        low, high = SPEEDS[0], SPEEDS[-1]
        speed = _number(text)
        if speed is not None and low <= speed <= high:
            link.speed = speed
        else:
            link.notices.append(
                f"Link: speed={text!r} is not a number of days per second from {low:g} to "
                f"{high:g}; using {DEFAULT_SPEED}."
            )
    if "presenter" in query:
        link.presenter = _flag("presenter", query.pop("presenter"), link)
    if "compare" in query:
        link.compare = _flag("compare", query.pop("compare"), link)
    for name, text in query.items():
        if name in CLASS_PARAMETERS:
            link.notices.append(
                f"Link: {name} cannot be set by a link (agent classes are chosen with "
                "socialabm viz --set); ignored."
            )
        elif name not in PARAMETERS:
            hint = str(unknown_name_error(name, {**PARAMETERS, **dict.fromkeys(PAGE_KEYS)}))
            link.notices.append(f"Link: {hint}; ignored.")
        else:
            try:
                link.overrides[name] = PARAMETERS[name].coerce(text)
            except ParameterError as err:
                why = str(err)
                if name == "n_consumers":  # what this server allows, not the model's range
                    why = f"n_consumers={text!r} is not allowed; allowed: {limits.populations()}"
                link.notices.append(f"Link: {why}; ignored.")
    n = link.overrides.get("n_consumers")
    if n is not None and n > limits.max_consumers:  # over the cap: the cap is used
        link.overrides["n_consumers"] = limits.max_consumers
        link.notices.append(f"Link: {limits.population_error(n)}; using {limits.max_consumers:,}.")
    return link
