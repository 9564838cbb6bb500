"""The distance between simulated and observed patterns.

Each target turns a simulated value into a standardised discrepancy
(:meth:`~socialabm.calibration.patterns.Target.discrepancy`: ``|x - value| / sd`` for a point,
the distance outside an interval over its scale), and the distance is their p-norm. Every target
counts once, so a pattern with four targets weighs four times one with a single target: give a
target a larger ``sd`` (or ``scale``) to weigh it less. A run that gives a target no meaning
(``nan``) is infinitely far: ABC never accepts it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from socialabm.calibration.patterns import Target

__all__ = ["PatternDistance"]


class PatternDistance:
    """p-norm of the targets' standardised discrepancies (a pyabc distance function).

    Args:
        targets: The fitted targets.
        p: The norm's p (>= 1; 2: Euclidean).
    """

    def __init__(self, targets: Sequence[Target], p: float = 2.0) -> None:
        self.targets = tuple(targets)
        self.p = float(p)

    def discrepancies(self, simulated: Mapping[str, float]) -> list[float]:
        """Each target's standardised discrepancy, in target order."""
        return [t.discrepancy(simulated[t.output]) for t in self.targets]

    def __call__(self, simulated: Mapping[str, float], observed: object = None) -> float:
        """The distance of ``simulated`` (output -> value) from the observed patterns.

        ``observed`` is what pyabc passes (the targets' centres); the targets themselves hold
        the observations, intervals included.
        """
        parts = self.discrepancies(simulated)
        if any(math.isinf(d) for d in parts):
            return math.inf
        return sum(d**self.p for d in parts) ** (1.0 / self.p)
