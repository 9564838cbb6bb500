"""How the commands print outputs for a person: grouped as the output catalog groups them
(:mod:`socialabm.output_catalog`), each with its unit and meaning."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from socialabm.output_catalog import (
    CHANNEL_NAMES,
    GROUPS,
    SUMMARY_OUTPUTS,
    Output,
    declared,
)

if TYPE_CHECKING:
    import pandas

__all__ = ["catalog_lines", "comparison_lines", "grouped", "summary_lines"]

NAME_WIDTH = 32
UNIT_WIDTH = 14
FAMILY_NOTES = {
    "<channel>": "one output per retailer channel: " + ", ".join(CHANNEL_NAMES),
    "<k>": "one output per social e-commerce platform, k = 1 to n_social_ecommerce",
}
"""What the placeholders of output families stand for."""


def _number(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.4g}"


def grouped(
    names: Iterable[str], table: Mapping[str, Output]
) -> list[tuple[str, list[tuple[str, Output | None]]]]:
    """``names`` in catalog order under their group headings: ``[(heading, [(name,
    declaration), ...]), ...]``; undeclared names (user reporters) last, under "other"."""
    order = {o.name: i for i, o in enumerate(table.values())}
    groups: dict[str, list[tuple[int, int, str, Output | None]]] = {}
    for i, name in enumerate(names):
        out = declared(name, table)
        rank = order[out.name] if out is not None else len(order)
        groups.setdefault(out.group if out else "other", []).append((rank, i, name, out))
    keys = [k for k in GROUPS if k in groups] + (["other"] if "other" in groups else [])
    return [
        (GROUPS.get(k, "other outputs"), [(n, o) for *_, n, o in sorted(groups[k])]) for k in keys
    ]


def summary_lines(summary: Mapping[str, float], every: bool = False) -> list[str]:
    """The run summary, grouped, with units and meanings: the headline outputs (every output
    with ``every``), then a line saying how many were left out."""
    shown = [
        k
        for k in summary
        if every or ((out := declared(k, SUMMARY_OUTPUTS)) is not None and out.headline)
    ]
    lines = []
    for heading, rows in grouped(shown, SUMMARY_OUTPUTS):
        lines.append(f"  {heading}")
        for name, out in rows:
            unit, meaning = (out.unit, out.meaning) if out else ("", "")
            lines.append(
                f"    {name:<{NAME_WIDTH - 2}} {_number(summary[name]):>10}  "
                f"{unit:<{UNIT_WIDTH}} {meaning}".rstrip()
            )
    if len(shown) < len(summary):
        lines.append(
            f"  ({len(shown)} of {len(summary)} outputs; --all shows every one, `socialabm "
            "outputs` explains them, --out writes them to summary.csv)"
        )
    return lines


def catalog_lines(title: str, table: Mapping[str, Output], names: Sequence[str] = ()) -> list[str]:
    """One kind of outputs as ``socialabm outputs`` lists it (only ``names`` if given)."""
    wanted = [o.name for o in table.values() if not names or o.name in names]
    if not wanted:
        return []
    lines = [title, f"  {'name':<{NAME_WIDTH}} {'unit':<{UNIT_WIDTH}} meaning"]
    notes: set[str] = set()
    for heading, rows in grouped(wanted, table):
        lines.append(f"  {heading}")
        for name, _ in rows:
            out = table[name]
            lines.append(f"    {name:<{NAME_WIDTH - 2}} {out.unit:<{UNIT_WIDTH}} {out.meaning}")
            notes |= {p for p in FAMILY_NOTES if p in name}
    lines += [f"  {p}: {FAMILY_NOTES[p]}" for p in sorted(notes)]
    return lines


def comparison_lines(table: pandas.DataFrame, title: str) -> list[str]:
    """A paired comparison (``socialabm.experiments.compare.paired_difference`` with
    ``p_holm``), grouped, with units, raw and Holm-adjusted p-values and what the marks mean."""
    lines = [
        title,
        f"  {'output':<{NAME_WIDTH - 2}} {'unit':<{UNIT_WIDTH - 4}} {'mean A':>9} {'mean B':>9} "
        f"{'B - A':>9} {'95% CI of B - A':>21} {'p':>7} {'p Holm':>7}",
    ]
    for heading, rows in grouped(table.index, SUMMARY_OUTPUTS):
        lines.append(f"  {heading}")
        for name, out in rows:
            row = table.loc[name]
            mark = "**" if row.p_holm < 0.05 else "*" if row.ci_low > 0 or row.ci_high < 0 else ""
            interval = f"[{_number(row.ci_low)}, {_number(row.ci_high)}]"
            lines.append(
                f"    {name:<{NAME_WIDTH - 4}} {out.unit if out else '':<{UNIT_WIDTH - 4}} "
                f"{_number(row.mean_a):>9} {_number(row.mean_b):>9} {_number(row['diff']):>9} "
                f"{interval:>21} {row.p_value:>7.2g} {row.p_holm:>7.2g} {mark}".rstrip()
            )
    m = int(table["p_value"].notna().sum())
    lines += [
        "  *  the 95% interval excludes 0: significant at 5% for that output alone",
        f"  ** also significant after Holm's adjustment for the {m} outputs compared: the chance",
        "     that any of them is marked by chance alone is at most 5%, however the outputs",
        "     depend on one another (p Holm; --out also writes Benjamini-Hochberg's p_bh)",
    ]
    return lines
