"""The parameter tables, generated from the single declaration ``socialabm.parameters.PARAMETERS``:
the parameters page and ODD §9."""

from __future__ import annotations

from typing import Any

GROUP_TITLES: dict[str, str] = {
    "network": "Network",
    "population": "Population",
    "awareness": "Awareness and beliefs",
    "choice": "Choice, impulse and scenes",
    "credit": "Income, credit and debt",
    "restraint": "Self-restraint",
    "sharing": "Sharing",
    "reviews": "Reviews",
    "campaign": "Campaign, presale, experience presale and starvation",
    "stockouts": "Stock-outs",
    "retailers": "Retailers",
    "suppliers": "Suppliers and bargaining",
    "demand": "Demand uncertainty",
    "group_purchase": "Group purchase",
    "platforms": "Platforms and alliances",
}
"""Headings of the parameter groups (``Parameter.group``) in the parameter tables."""

PARAMETER_MARKER = "<!-- parameter table: inserted at build time from socialabm.parameters -->"
"""The line of docs/ODD.md §9 that the site replaces with the parameter tables."""


def _default(p: Any) -> str:
    if p.type is bool:
        return str(p.default).lower()
    return repr(p.default)


def parameter_tables(heading: str = "###") -> str:
    """Every parameter of ``PARAMETERS``, one table per group under a ``heading`` (``"##"``...),
    in declaration order."""
    from socialabm.parameters import PARAMETERS

    groups: dict[str, list[Any]] = {}
    for p in PARAMETERS.values():
        groups.setdefault(p.group, []).append(p)
    unknown = sorted(set(groups) - set(GROUP_TITLES))
    if unknown:
        raise KeyError(f"parameter group(s) {unknown} have no title in tools/docsite/parameters.py")
    out: list[str] = []
    for group, params in groups.items():
        out += [f"{heading} {GROUP_TITLES[group]} (`{group}`)", ""]
        out += ["| name | default | allowed | unit | meaning |", "|---|---|---|---|---|"]
        for p in params:
            cells = (f"`{p.name}`", _default(p), p.allowed(), p.unit, p.meaning)
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def class_parameter_table() -> str:
    """The agent-class keywords (``consumer_class`` ...) as a Markdown table."""
    from socialabm.parameters import CLASS_PARAMETERS

    out = ["| name | default | meaning |", "|---|---|---|"]
    out += [f"| `{c.name}` | `{c.base}` | {c.meaning} |" for c in CLASS_PARAMETERS.values()]
    return "\n".join(out) + "\n"


def parameters_page() -> str:
    """The parameter page: how parameters are set and validated, then the tables."""
    from socialabm.parameters import PARAMETERS

    return f"""# Parameters

Generated at build time from the single declaration,
[`socialabm.parameters.PARAMETERS`][socialabm.parameters.PARAMETERS]: the command line
(`uv run socialabm params` prints the same table), scenario files, sweep files and the app's
controls all read it. {len(PARAMETERS)} parameters.

Every parameter is a keyword argument of
[`SocialCommerceModel`][socialabm.model.SocialCommerceModel], a `--set NAME=VALUE` of the
command line and a key of a scenario's `[parameters]`. Values are validated at construction: a
bad value raises [`ParameterError`][socialabm.parameters.ParameterError] naming the parameter, the
value and what is allowed. Units: CU is currency units, 1 is dimensionless, time is in days.

Besides these, the model accepts `network` (a `networkx.Graph`), `rng` (the seed),
`model_reporters`, `summary_columns` and the agent classes:

{class_parameter_table()}
{parameter_tables("##")}"""
