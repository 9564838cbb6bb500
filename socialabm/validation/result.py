"""What a validation check returns, how its verdict is reached, and the sources checks cite."""

from __future__ import annotations

import math
from dataclasses import dataclass

RULES = ("abs", "rel", ">=", ">", "<=", "range")
"""How ``passed`` is decided: ``|m - e| <= tol``, ``|m - e| <= tol * |e|``, ``m >= e - tol``,
``m > e - tol``, ``m <= e + tol``, ``e <= m <= e + tol`` (a source's range from ``e`` to
``e + tol``)."""

SOURCES = {
    "bass": "Bass, F. M. (1969). A new product growth for model consumer durables. "
    "Management Science, 15(5), 215-227.",
    "glm": "Goldenberg, J., Libai, B., & Muller, E. (2001). Talk of the network: A complex "
    "systems look at the underlying process of word-of-mouth. Marketing Letters, 12(3), 211-223.",
    "onnela": "Onnela, J.-P., Saramaki, J., Hyvonen, J., Szabo, G., Lazer, D., Kaski, K., "
    "Kertesz, J., & Barabasi, A.-L. (2007). Structure and tie strengths in mobile communication "
    "networks. PNAS, 104(18), 7332-7336.",
    "percolation": "Molloy, M., & Reed, B. (1995). A critical point for random graphs with a "
    "given degree sequence. Random Structures & Algorithms, 6(2-3), 161-179; Erdos, P., & "
    "Renyi, A. (1960). On the evolution of random graphs. Publ. Math. Inst. Hung. Acad. Sci., "
    "5, 17-61.",
    "newsvendor": "Arrow, K. J., Harris, T., & Marschak, J. (1951). Optimal inventory policy. "
    "Econometrica, 19(3), 250-272; Khouja, M. (1999). The single-period (news-vendor) problem: "
    "literature review and suggestions for future research. Omega, 27(5), 537-553.",
    "nash": "Nash, J. F. (1950). The bargaining problem. Econometrica, 18(2), 155-162; "
    "Kalai, E. (1977). Nonsymmetric Nash solutions and replications of 2-person bargaining. "
    "International Journal of Game Theory, 6(3), 129-133.",
    "gruen": "Gruen, T. W., Corsten, D. S., & Bharadwaj, S. (2002). Retail out-of-stocks: A "
    "worldwide examination of extent, causes and consumer responses. Washington, DC: Grocery "
    "Manufacturers of America.",
    "goel": "Goel, S., Watts, D. J., & Goldstein, D. G. (2012). The structure of online diffusion "
    "networks. Proceedings of the 13th ACM Conference on Electronic Commerce, 623-638.",
    "jshape": "Hu, N., Zhang, J., & Pavlou, P. A. (2009). Overcoming the J-shaped distribution "
    "of product reviews. Communications of the ACM, 52(10), 144-147.",
}
"""Full citation of each source a check is judged against, by short key."""


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one validation check.

    Attributes:
        name: Short identifier (``bass_adoption_curve``).
        measured: The figure the model (or function) produced.
        expected: The figure the source predicts (a bound for rules ``>=``, ``>`` and ``<=``; the
            low end of the range for rule ``range``).
        tolerance: Allowed deviation, read according to ``rule``.
        passed: Whether ``measured`` is within ``tolerance`` of ``expected`` under ``rule``.
        source: Full citation of what the figure is checked against.
        rule: One of :data:`RULES`.
        what: One line saying what ``measured`` is.
        detail: Further figures behind the verdict.
    """

    name: str
    measured: float
    expected: float
    tolerance: float
    passed: bool
    source: str
    rule: str = "abs"
    what: str = ""
    detail: str = ""

    @property
    def expected_text(self) -> str:
        """The pass condition as text (``0.1 +/- 15%``, ``>= 0.5``...)."""
        if self.rule == "abs":
            return f"{self.expected:.4g} +/- {self.tolerance:.3g}"
        if self.rule == "rel":
            return f"{self.expected:.4g} +/- {100 * self.tolerance:.3g}%"
        if self.rule == "<=":
            return f"<= {self.expected + self.tolerance:.4g}"
        if self.rule == "range":
            return f"{self.expected:.4g} to {self.expected + self.tolerance:.4g}"
        return f"{self.rule} {self.expected - self.tolerance:.4g}"


def within(measured: float, expected: float, tolerance: float, rule: str) -> bool:
    """Whether ``measured`` passes against ``expected`` and ``tolerance`` under ``rule``."""
    if not math.isfinite(measured):
        return False
    if rule == "abs":
        return abs(measured - expected) <= tolerance
    if rule == "rel":
        return abs(measured - expected) <= tolerance * abs(expected)
    if rule == ">=":
        return measured >= expected - tolerance
    if rule == ">":
        return measured > expected - tolerance
    if rule == "<=":
        return measured <= expected + tolerance
    if rule == "range":
        return expected <= measured <= expected + tolerance
    raise ValueError(f"rule {rule!r}: allowed: one of {RULES}")


def check_result(
    name: str,
    measured: float,
    expected: float,
    tolerance: float,
    rule: str,
    source: str,
    what: str,
    detail: str = "",
    extra_ok: bool = True,
) -> CheckResult:
    """A :class:`CheckResult` whose verdict is :func:`within` under ``rule`` and ``extra_ok`` (a
    further condition of the check)."""
    measured = float(measured)
    ok = within(measured, expected, tolerance, rule) and bool(extra_ok)
    return CheckResult(
        name, measured, float(expected), float(tolerance), ok, source, rule, what, detail
    )
