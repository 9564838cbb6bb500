"""Alliances of social e-commerce platforms (docs/ODD.md 7.19)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socialabm.agents.platform import Platform


@dataclass(eq=False)
class Alliance:
    """An alliance of platforms.

    Attributes:
        members: Member platforms (at least two while the alliance lives).
        formed_day: Day it formed.
        sales: Units sold through cross-member (alliance) shopping so far.
        dissolved_day: Day it dissolved, or ``None`` while alive.
        id: Sequence number among all alliances of the run, from 1 (0 when built by hand).
    """

    members: list[Platform]
    formed_day: int
    sales: int = 0
    dissolved_day: int | None = None
    id: int = field(default=0)

    def age(self, day: int) -> int:
        """Days since it formed, counted up to ``day`` or to its dissolution (days, >= 0)."""
        end = day if self.dissolved_day is None else self.dissolved_day
        return end - self.formed_day

    @property
    def pooled_volume(self) -> int:
        """Units ordered by members' merchants in the current campaign (derived, never stored)."""
        if not self.members:
            return 0
        hosts = {pl.index for pl in self.members}
        retailers = self.members[0].model.retailers
        return sum(r.order_quantity for r in retailers if r.platform.index in hosts)

    @property
    def size(self) -> int:
        """Number of member platforms."""
        return len(self.members)

    def coordination_cost(self, unit_cost: float) -> float:
        """Daily coordination cost of the whole alliance: ``unit_cost * size**2`` (CU/day)."""
        return unit_cost * self.size**2
