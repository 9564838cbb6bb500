"""The claims registry: what the model claims, as data, checked before anything runs.

A claim says "switching mechanism X from arm A to arm B moves outputs Y in these directions". It
names the parameters X consists of (``mechanism``), the two arms (a scenario plus overrides each),
the expected direction of each output, an **ablation** (parameter values that switch the causal
pathway from X to Y off, applied to both arms) and a **knock-out** (the function(s) of the code
the pathway runs through, each with a neutral replacement, applied to both arms). The verdicts
are in :mod:`socialabm.claims.evaluate`.

The registry file (``scenarios/claims.toml`` for the built-in claims) holds a ``[defaults]``
table and one ``[[claims]]`` table per claim::

    [defaults]
    seeds = 20              # paired seeds per arm (common random numbers)
    n_consumers = 300       # applied to both arms unless a claim or arm sets it
    smallest_effect = 0.1   # smallest effect that matters, as a share of arm A's mean

    [[claims]]
    id = "dignity_sharing"
    claim = "Need for dignity drives sharing, and sharing spreads awareness."
    section = "2.3"
    scenario = "social_commerce"
    mechanism = ["kappa_dignity"]
    a = { kappa_dignity = 0.0 }
    b = {}
    ablation = { dignity_mean = 0.0 }
    ablation_note = "nobody needs dignity"
    knockout = { "socialabm.rules.consumer:share_probability" = "zero(dignity)" }
    knockout_note = "the dignity term of the sharing probability is 0"
    expect = { shares = "up", aware_share = "up" }

A claim may set its own ``seeds``, ``n_consumers``, ``steps`` (days per run) and
``smallest_effect``; an arm table may name its own ``scenario``. A claim whose effect holds by
construction (its ablation zeroes a term of the very formula that makes the output, so no
behaviour lies between mechanism and output) says so in ``identity``, one sentence on why:
reports mark it as an **accounting identity, not evidence**, whatever its verdict.

**Interactions.** A claim that the mechanism's effect grows (or shrinks) with a moderating
parameter names it with two levels, ``interaction = { demand_uncertainty = [0.0, 0.4] }``: every
arm then runs at both levels (the high level under the arm's own name, the low one as
``<arm>_low``), and the claim's effect is the difference in differences
``(B_high - A_high) - (B_low - A_low)`` per seed (so ``up`` says the effect of switching A to B
is larger at the high level). The ablation and the knock-out apply at both levels; the
moderator may not be a mechanism or ablation parameter.

**Knock-outs.** ``knockout`` maps each function the mechanism runs through, as
``"module:function"`` or ``"module:Class.method"`` named where the code looks it up, to a neutral
replacement: ``"noop"`` (the code does not run), ``"zero"`` (its result becomes 0, False, zeros or
empty: a probability 0, nobody chosen), ``"zero(arg, ...)"`` (it runs with those arguments set to
0: a term drops out of a formula), ``"identity"`` or ``"identity(arg)"`` (it returns that argument
unchanged: an update that updates nothing) or ``"module:function"`` (a replacement of your own);
see :mod:`socialabm.experiments.knockout`. ``socialabm claims --knockout`` runs arms A and B with
the code replaced; a knock-out whose target arm B never calls is refused, and a row that holds
while its effect survives its own knock-out is flagged.

The loader validates every arm's parameters and rejects a claim whose arms differ in anything but
its declared ``mechanism``, whose ablation touches the mechanism or changes nothing, whose
outputs the model does not produce, or whose knock-out names a function that cannot be found or a
neutral that does not fit it.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from socialabm.parameters import ParameterError, validate
from socialabm.scenarios import ScenarioError, load_scenario

__all__ = ["DIRECTIONS", "Claim", "ClaimError", "Registry", "load_registry"]

DIRECTIONS = ("up", "down", "none")
"""Expected direction of an output from arm A to arm B (``none``: no effect)."""

_CLAIM_KEYS = {
    "id", "claim", "section", "scenario", "mechanism", "a", "b", "ablation", "ablation_note",
    "knockout", "knockout_note", "expect", "n_consumers", "steps", "seeds", "smallest_effect",
    "identity",
    "interaction",
}  # fmt: skip
_DEFAULT_KEYS = {"seeds", "n_consumers", "smallest_effect"}

SMALLEST_EFFECT = 0.1
"""Default smallest effect that matters, as a share of arm A's mean (power, in the verdicts)."""


class ClaimError(ValueError):
    """A claim or registry file is malformed; the message names the claim and the problem."""


@dataclass(frozen=True)
class Claim:
    """One claim of the model with its paired arms and ablation.

    Attributes:
        id: Short identifier (``dignity_sharing``).
        claim: One sentence naming the seed problem or countermeasure it demonstrates.
        section: Section of the seed paper (``"2.3"``).
        mechanism: The parameters in which arm B differs from arm A, sorted.
        params_a, params_b: Full validated parameters of the two arms.
        ablation: Parameter values switching the causal pathway off, applied to both arms.
        ablation_note: What the ablation does, in a few words.
        expect: Expected direction (:data:`DIRECTIONS`) of each summary output.
        steps: Days per run (``None``: the whole horizon).
        arm_labels: How each arm was specified (scenario + overrides), for reports.
        seeds: Number of paired seeds per arm (the registry default unless the claim sets one).
        smallest_effect: Smallest effect that matters, as a share of arm A's mean (> 0).
        knockout: Function path -> neutral replacement (empty: none declared).
        knockout_note: What the knock-out does, in a few words.
        identity: Why the claim holds by construction (an accounting identity, not evidence);
            empty for a claim whose effect passes through behaviour.
        interaction: ``(parameter, low, high)`` of a moderator (``None``: a plain claim): the
            effect is the difference in differences between the high and the low level.
    """

    id: str
    claim: str
    section: str
    mechanism: tuple[str, ...]
    params_a: dict[str, Any]
    params_b: dict[str, Any]
    ablation: dict[str, Any]
    ablation_note: str
    expect: dict[str, str]
    steps: int | None = None
    arm_labels: tuple[str, str] = ("A", "B")
    seeds: int = 20
    smallest_effect: float = SMALLEST_EFFECT
    knockout: dict[str, str] = field(default_factory=dict)
    knockout_note: str = ""
    identity: str = ""
    interaction: tuple[str, Any, Any] | None = None

    def arms(self, knockout: bool = False) -> dict[str, tuple[dict[str, Any], dict[str, str]]]:
        """The runs of a claim, each as ``(parameters, knock-out)``: ``a``, ``b``, their ablated
        versions and, with ``knockout`` (and a declared knock-out), ``a_knockout`` and
        ``b_knockout``: the arms with the code replaced. An interaction claim runs each at the
        moderator's high level (these names) and low level (``<name>_low``)."""
        arms = self._plain_arms(knockout)
        if self.interaction is None:
            return arms
        name, low, high = self.interaction
        out = {}
        for level, suffix in ((high, ""), (low, "_low")):
            for arm, (params, ko) in arms.items():
                out[arm + suffix] = ({**params, name: level}, ko)
        return out

    def _plain_arms(self, knockout: bool) -> dict[str, tuple[dict[str, Any], dict[str, str]]]:
        arms = {
            "a": (self.params_a, {}),
            "b": (self.params_b, {}),
            "a_ablated": ({**self.params_a, **self.ablation}, {}),
            "b_ablated": ({**self.params_b, **self.ablation}, {}),
        }
        if knockout and self.knockout:
            arms["a_knockout"] = (self.params_a, self.knockout)
            arms["b_knockout"] = (self.params_b, self.knockout)
        return arms


@dataclass(frozen=True)
class Registry:
    """A loaded claims registry.

    Attributes:
        claims: The claims, in file order.
        seeds: Default number of paired seeds (a claim may set its own).
        source: Where it was read from.
    """

    claims: tuple[Claim, ...]
    seeds: int = 20
    source: str = ""
    ids: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(c.id for c in self.claims))

    def select(self, ids: list[str] | None) -> list[Claim]:
        """The claims named by ``ids`` (all when empty or ``None``), in registry order.

        Raises:
            ClaimError: an unknown id (with close matches).
        """
        if not ids:
            return list(self.claims)
        for wanted in ids:
            if wanted not in self.ids:
                close = difflib.get_close_matches(wanted, self.ids, n=3, cutoff=0.5)
                hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
                raise ClaimError(f"unknown claim {wanted!r}{hint} (claims: {', '.join(self.ids)})")
        return [c for c in self.claims if c.id in ids]


def builtin_registry_path() -> Path:
    """Path of the built-in claims file (``socialabm/scenarios/claims.toml``)."""
    return Path(str(resources.files("socialabm.scenarios") / "claims.toml"))


def load_registry(
    path: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    outputs: set[str] | None = None,
    only: Collection[str] | None = None,
) -> Registry:
    """Load and check a claims registry.

    Args:
        path: A registry TOML file; default: the built-in claims.
        overrides: Parameters set in every arm of every claim (``--set`` on the command line).
            They are applied after the arms' own values, so they may not name a claim's
            mechanism or ablation parameters.
        outputs: Summary output names the model produces; default: those of a tiny model run
            (:func:`socialabm.experiments.runner.summary_names`).
        only: Ids of the claims the overrides apply to (default: every claim); the others load
            without them, so an override may name the mechanism of a claim that is not run.

    Raises:
        ClaimError: a malformed file or claim; the message names the claim and the problem.
    """
    path = Path(path) if path is not None else builtin_registry_path()
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ClaimError(f"claims file {source} does not exist") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ClaimError(f"claims file {source} cannot be read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ClaimError(f"claims file {source}: not valid TOML ({err})") from None
    unknown = set(data) - {"defaults", "claims"}
    if unknown:
        raise ClaimError(f"claims file {source}: unknown table(s) {sorted(unknown)}")
    defaults = data.get("defaults", {})
    bad = set(defaults) - _DEFAULT_KEYS
    if bad:
        raise ClaimError(
            f"claims file {source}: unknown key(s) {sorted(bad)} in [defaults]; "
            f"allowed: {sorted(_DEFAULT_KEYS)}"
        )
    if outputs is None:
        from socialabm.experiments.runner import summary_names

        outputs = set(summary_names())
    seen: set[str] = set()
    claims = []
    for entry in data.get("claims", []):
        applied = overrides if only is None or entry.get("id") in only else None
        claim = _build_claim(entry, defaults, dict(applied or {}), outputs, source)
        if claim.id in seen:
            raise ClaimError(f"claims file {source}: claim id {claim.id!r} appears twice")
        seen.add(claim.id)
        claims.append(claim)
    return Registry(tuple(claims), seeds=_seeds(defaults, f"claims file {source}, [defaults]"),
                    source=source)  # fmt: skip


def _seeds(table: dict[str, Any], where: str, default: int = 20) -> int:
    seeds = table.get("seeds", default)
    if not isinstance(seeds, int) or isinstance(seeds, bool) or seeds < 2:
        raise ClaimError(f"{where}: seeds = {seeds!r}; allowed: a whole number >= 2")
    return seeds


def _smallest_effect(table: dict[str, Any], where: str, default: float) -> float:
    value = table.get("smallest_effect", default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ClaimError(f"{where}: smallest_effect = {value!r}; allowed: a number > 0")
    return float(value)


def _knockout(entry: dict[str, Any], where: str) -> dict[str, str]:
    knockout = entry.get("knockout", {})
    if not isinstance(knockout, dict) or not all(isinstance(v, str) for v in knockout.values()):
        raise ClaimError(
            f'{where}: \'knockout\' must be a table of "module:function" = "neutral" entries'
        )
    if knockout:
        from socialabm.experiments.knockout import build

        try:
            build(knockout)
        except ValueError as err:
            raise ClaimError(f"{where}: {err}") from None
    return dict(knockout)


def _build_claim(
    entry: dict[str, Any],
    defaults: dict[str, Any],
    overrides: dict[str, Any],
    outputs: set[str],
    source: str,
) -> Claim:
    cid = entry.get("id")
    where = f"claims file {source}, claim {cid!r}"
    if not isinstance(cid, str) or not cid:
        raise ClaimError(f"claims file {source}: a claim has no id")
    unknown = set(entry) - _CLAIM_KEYS
    if unknown:
        raise ClaimError(
            f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_CLAIM_KEYS)}"
        )
    for key in ("claim", "mechanism", "a", "b", "ablation", "expect"):
        if key not in entry:
            raise ClaimError(f"{where}: missing key {key!r}")
    mechanism = entry["mechanism"]
    if not (
        isinstance(mechanism, list) and mechanism and all(isinstance(m, str) for m in mechanism)
    ):
        raise ClaimError(f"{where}: 'mechanism' must be a non-empty list of parameter names")
    size = {"n_consumers": entry.get("n_consumers", defaults.get("n_consumers"))}
    size = {k: v for k, v in size.items() if v is not None}
    labels, params = [], []
    for arm in ("a", "b"):
        spec = dict(entry[arm])
        scenario_name = spec.pop("scenario", entry.get("scenario"))
        try:
            base = load_scenario(scenario_name).parameters if scenario_name else {}
            params.append(validate({**size, **base, **spec, **overrides}))
        except (ParameterError, ScenarioError) as err:
            raise ClaimError(f"{where}, arm {arm.upper()}: {err}") from None
        shown = ", ".join(f"{k}={v}" for k, v in spec.items())
        labels.append(f"{scenario_name or 'defaults'}" + (f" + {shown}" if shown else ""))
    params_a, params_b = params
    differ = sorted(k for k in set(params_a) | set(params_b) if params_a.get(k) != params_b.get(k))
    if differ != sorted(mechanism):
        raise ClaimError(
            f"{where}: arms A and B differ in {differ} but the claim declares mechanism "
            f"{sorted(mechanism)}; the arms must differ in exactly the declared mechanism"
        )
    ablation = dict(entry["ablation"])
    _check_ablation(where, ablation, mechanism, overrides, params_a, params_b)
    expect = dict(entry["expect"])
    if not expect:
        raise ClaimError(f"{where}: 'expect' names no output")
    for output, direction in expect.items():
        if output not in outputs:
            close = difflib.get_close_matches(output, sorted(outputs), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise ClaimError(f"{where}: unknown output {output!r}{hint}")
        if direction not in DIRECTIONS:
            raise ClaimError(
                f"{where}: output {output!r} expects {direction!r}; allowed: one of {DIRECTIONS}"
            )
    steps = entry.get("steps")
    if steps is not None and (not isinstance(steps, int) or steps < 1):
        raise ClaimError(f"{where}: steps = {steps!r}; allowed: a positive number of days")
    in_defaults = f"claims file {source}, [defaults]"
    default_effect = _smallest_effect(defaults, in_defaults, SMALLEST_EFFECT)
    return Claim(
        id=cid,
        claim=str(entry["claim"]).strip(),
        section=str(entry.get("section", "")),
        mechanism=tuple(sorted(mechanism)),
        params_a=params_a,
        params_b=params_b,
        ablation=ablation,
        ablation_note=str(entry.get("ablation_note", "")),
        expect=expect,
        steps=steps,
        arm_labels=(labels[0], labels[1]),
        seeds=_seeds(entry, where, _seeds(defaults, in_defaults)),
        smallest_effect=_smallest_effect(entry, where, default_effect),
        knockout=_knockout(entry, where),
        knockout_note=str(entry.get("knockout_note", "")),
        identity=str(entry.get("identity", "")).strip(),
        interaction=_interaction(entry, where, mechanism, ablation, params_a, params_b),
    )


def _interaction(
    entry: dict[str, Any],
    where: str,
    mechanism: list[str],
    ablation: dict[str, Any],
    params_a: dict[str, Any],
    params_b: dict[str, Any],
) -> tuple[str, Any, Any] | None:
    """The claim's moderator ``(parameter, low, high)``, checked, or ``None``."""
    table = entry.get("interaction")
    if table is None:
        return None
    if not isinstance(table, dict) or len(table) != 1:
        raise ClaimError(
            f"{where}: 'interaction' must name one parameter with two levels, "
            "as { name = [low, high] }"
        )
    ((name, levels),) = table.items()
    if not isinstance(levels, list) or len(levels) != 2:
        raise ClaimError(f"{where}: interaction {name!r} = {levels!r}; allowed: [low, high]")
    if name in mechanism or name in ablation:
        raise ClaimError(
            f"{where}: the interaction's parameter {name!r} is the claim's mechanism or in its "
            "ablation; it must be a third parameter"
        )
    checked = []
    for level in levels:
        try:
            checked.append(validate({**params_a, name: level})[name])
            validate({**params_b, name: level})
        except ParameterError as err:
            raise ClaimError(f"{where}, interaction: {err}") from None
    if checked[0] == checked[1]:
        raise ClaimError(f"{where}: interaction {name!r} has the same value at both levels")
    return name, checked[0], checked[1]


def _check_ablation(
    where: str,
    ablation: dict[str, Any],
    mechanism: list[str],
    overrides: dict[str, Any],
    params_a: dict[str, Any],
    params_b: dict[str, Any],
) -> None:
    if not ablation:
        raise ClaimError(f"{where}: the ablation is empty; name the values that cut the pathway")
    touched = sorted(set(ablation) & set(mechanism))
    if touched:
        raise ClaimError(
            f"{where}: the ablation sets the mechanism's own parameter(s) {touched}; it must cut "
            "the pathway elsewhere so that the arms still differ in the mechanism"
        )
    clash = sorted(set(overrides) & (set(ablation) | set(mechanism)))
    if clash:
        raise ClaimError(
            f"{where}: the override(s) {clash} would change the claim's mechanism or ablation"
        )
    for arm, params in (("A", params_a), ("B", params_b)):
        try:
            ablated = validate({**params, **ablation})
        except ParameterError as err:
            raise ClaimError(f"{where}, ablated arm {arm}: {err}") from None
        if ablated == params:
            raise ClaimError(
                f"{where}: the ablation changes nothing in arm {arm} (its values are the arm's "
                "own); it must switch the pathway off"
            )
        ablation.update({k: ablated[k] for k in ablation})
