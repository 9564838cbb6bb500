"""ODD §3's list of phases, generated from the declared schedule
(:data:`socialabm.schedule.SCHEDULE`) and kept in ``docs/ODD.md`` between two marker lines.

``uv run python -m tools.docsite.schedule`` rewrites the block; ``tests/test_schedule.py`` fails
when it differs from the declaration.
"""

from __future__ import annotations

import sys
import textwrap

from tools.docsite import DOCS

ODD = DOCS / "ODD.md"
BEGIN = "<!-- schedule: generated from socialabm.schedule.SCHEDULE by tools/docsite/schedule.py -->"
END = "<!-- end of the generated schedule -->"


def state_text(names: frozenset[str]) -> str:
    """Names of state grouped by owner: ``consumers`` cash, debt; ``ledger``."""
    groups: dict[str, list[str]] = {}
    for name in sorted(names):
        owner, _, attribute = name.partition(".")
        groups.setdefault(owner, [])
        if attribute:
            groups[owner].append(attribute)
    parts = [f"`{owner}` " + ", ".join(attrs) if attrs else f"`{owner}`"
             for owner, attrs in groups.items()]  # fmt: skip
    return "; ".join(parts) if parts else "nothing"


def schedule_markdown() -> str:
    """The phases as a numbered Markdown list: what each does, reads and writes."""
    from socialabm.schedule import SCHEDULE

    def wrap(text: str, first: str, rest: str) -> list[str]:
        return textwrap.wrap(text, 100, initial_indent=first, subsequent_indent=rest,
                             break_long_words=False, break_on_hyphens=False)  # fmt: skip

    lines = []
    for number, phase in enumerate(SCHEDULE, start=1):
        lines += wrap(f"{number}. **`{phase.name}`** — {phase.does}.", "", "    ")
        lines += wrap(f"reads: {state_text(phase.reads)};", "    - ", "      ")
        lines += wrap(f"writes: {state_text(phase.writes)}.", "    - ", "      ")
    return "\n".join(lines)


def schedule_block() -> str:
    """The generated block, with its marker lines."""
    return f"{BEGIN}\n\n{schedule_markdown()}\n\n{END}"


def update_odd() -> bool:
    """Rewrite the block in ``docs/ODD.md``; whether it changed."""
    text = ODD.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + schedule_block() + text[end:]
    ODD.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    print("docs/ODD.md §3 " + ("updated" if update_odd() else "already current"))
    sys.exit(0)
