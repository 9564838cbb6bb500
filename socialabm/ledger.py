"""Double-entry ledger of money and a unit register (docs/ODD.md 7.20).

Every payment moves money between named accounts (``consumers``, ``lender``, ``outside``,
``retailer:<name>``, ``supplier:<name>``, ``platform:<name>``), so the sum of all balances stays
zero: money is conserved by construction and checked, not assumed. Flows are also totalled by
kind (``sale``, ``deposit``, ``wholesale``, ``commission``...) for the accounting identities.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Ledger:
    """Money balances by account and flow totals by (kind, payer, payee).

    Attributes:
        balances: Account name -> balance in CU (may be negative: credit).
        flows: (kind, payer, payee) -> total CU moved.
    """

    balances: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    flows: dict[tuple[str, str, str], float] = field(default_factory=lambda: defaultdict(float))

    def transfer(self, payer: str, payee: str, amount: float, kind: str) -> None:
        """Move ``amount`` CU (>= 0) from ``payer`` to ``payee``, booked as ``kind``."""
        if amount < 0:
            raise ValueError(f"ledger: negative transfer {amount!r} of kind {kind!r}")
        if amount == 0:
            return
        self.balances[payer] -= amount
        self.balances[payee] += amount
        self.flows[(kind, payer, payee)] += amount

    def total(self, kind: str, payer: str | None = None, payee: str | None = None) -> float:
        """Total moved of ``kind``, optionally only from ``payer``/to ``payee`` (prefixes)."""
        return sum(
            amount
            for (k, src, dst), amount in self.flows.items()
            if k == kind
            and (payer is None or src.startswith(payer))
            and (payee is None or dst.startswith(payee))
        )

    def imbalance(self) -> float:
        """Sum of all balances; zero up to rounding when money is conserved."""
        return sum(self.balances.values())

    def volume(self) -> float:
        """Total money moved so far (scale for relative tolerances)."""
        return sum(self.flows.values())


@dataclass
class UnitRegister:
    """Units of one retailer's product, for the identity produced = sold + experience + stock +
    salvaged (all counts are integers)."""

    produced: int = 0
    sold: int = 0
    experience: int = 0
    salvaged: int = 0
    stock: int = 0

    def produce(self, units: int) -> None:
        """Add ``units`` newly produced units to stock."""
        self.produced += units
        self.stock += units

    def take(self, units: int, kind: str) -> None:
        """Remove ``units`` from stock as ``kind`` (``sold``, ``experience`` or ``salvaged``)."""
        if units > self.stock:
            raise RuntimeError(f"units: taking {units} {kind} with only {self.stock} in stock")
        self.stock -= units
        setattr(self, kind, getattr(self, kind) + units)

    def balanced(self) -> bool:
        """Whether produced == sold + experience + salvaged + stock and stock >= 0."""
        return (
            self.stock >= 0
            and self.produced == self.sold + self.experience + self.salvaged + self.stock
        )
