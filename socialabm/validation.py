"""Validation suite: the model's parts checked against published results and closed forms.

Each check is a function returning a :class:`CheckResult` (name, measured figure, expected figure,
tolerance, pass/fail and the source it is checked against). :func:`run_all` runs every check;
``socialabm validate`` prints them as a table and exits with status 1 when any fails.

The checks (docs/validation.md explains each, its source and why its tolerance is what it is):

* ``awareness_glm_one_step`` -- the awareness phase (``Market.spread_word_of_mouth``) on the
  default weak-tie network against the exact one-day expectation of the Goldenberg, Libai &
  Muller (2001) formula, as a z-score over many days and consumers.
* ``bass_recovery`` -- on a complete graph, Bass's (1969) own regression estimator applied to
  the awareness phase's daily counts recovers ``p = ad_reach`` and ``q = beta_strong * N``.
* ``glm_takeoff_weak_vs_strong`` -- time to 16 % aware in a 2^5 factorial over the parameter
  ranges of Goldenberg, Libai & Muller (2001): weak ties' effect is comparable to strong ties'.
* ``weak_tie_bridges`` -- removing ties weakest-first breaks the giant component of the default
  network far sooner than strongest-first (Onnela et al. 2007).
* ``newsvendor_closed_form`` -- ``pricing.newsvendor_quantity`` against ``norm.ppf`` of the
  critical fractile, itself checked by maximising expected profit numerically.
* ``nash_bargaining_split`` -- ``bargaining.nash_wholesale_price`` against the numerical
  maximiser of the generalized Nash product.
* ``j_shaped_reviews`` -- the social_commerce scenario's reviews are J-shaped (Hu, Pavlou &
  Zhang 2009): 5 stars most frequent, 1 star above 2 and 3 stars.

In the awareness checks the posters are *controlled*: every aware consumer posts about retailer 0
every day and everyone reads the feed (or reads it at random, in the one-step check). In the full
model a consumer posts only after receiving a product and for ``post_days`` days, so posting is
not Bass's imitation term; these checks therefore validate the awareness *phase* (the rule that
turns posts read and ad exposure into awareness) against the diffusion models it implements, not
the whole purchase funnel.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy import optimize
from scipy.sparse.csgraph import connected_components
from scipy.stats import norm

from socialabm.bargaining import nash_wholesale_price
from socialabm.network import SocialNetwork, generate_weak_tie_network
from socialabm.pricing import newsvendor_quantity
from socialabm.validation_cli import register

__all__ = [
    "CHECKS",
    "CheckResult",
    "check_awareness_glm_one_step",
    "check_bass_recovery",
    "check_glm_takeoff",
    "check_j_shaped_reviews",
    "check_nash_bargaining",
    "check_newsvendor",
    "check_weak_tie_bridges",
    "format_table",
    "register",
    "run_all",
]

RULES = ("abs", "rel", ">=", ">")
"""How ``passed`` is decided: ``|m - e| <= tol``, ``|m - e| <= tol * |e|``, ``m >= e - tol``,
``m > e - tol``."""

SOURCES = {
    "bass": "Bass, F. M. (1969). A new product growth for model consumer durables. "
    "Management Science, 15(5), 215-227.",
    "glm": "Goldenberg, J., Libai, B., & Muller, E. (2001). Talk of the network: A complex "
    "systems look at the underlying process of word-of-mouth. Marketing Letters, 12(3), 211-223.",
    "onnela": "Onnela, J.-P., Saramaki, J., Hyvonen, J., Szabo, G., Lazer, D., Kaski, K., "
    "Kertesz, J., & Barabasi, A.-L. (2007). Structure and tie strengths in mobile communication "
    "networks. PNAS, 104(18), 7332-7336.",
    "newsvendor": "Arrow, K. J., Harris, T., & Marschak, J. (1951). Optimal inventory policy. "
    "Econometrica, 19(3), 250-272; Khouja, M. (1999). The single-period (news-vendor) problem: "
    "literature review and suggestions for future research. Omega, 27(5), 537-553.",
    "nash": "Nash, J. F. (1950). The bargaining problem. Econometrica, 18(2), 155-162; "
    "Kalai, E. (1977). Nonsymmetric Nash solutions and replications of 2-person bargaining. "
    "International Journal of Game Theory, 6(3), 129-133.",
    "jshape": "Hu, N., Zhang, J., & Pavlou, P. A. (2009). Overcoming the J-shaped distribution "
    "of product reviews. Communications of the ACM, 52(10), 144-147.",
}


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one validation check.

    Attributes:
        name: Short identifier (``bass_recovery``).
        measured: The figure the model (or function) produced.
        expected: The figure the source predicts (a bound for rules ``>=`` and ``>``).
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
    raise ValueError(f"rule {rule!r}: allowed: one of {RULES}")


def _result(name, measured, expected, tolerance, rule, source, what, detail="", extra_ok=True):
    measured = float(measured)
    ok = within(measured, expected, tolerance, rule) and bool(extra_ok)
    return CheckResult(
        name, measured, float(expected), float(tolerance), ok, source, rule, what, detail
    )


# -- awareness phase under controlled posters ------------------------------------------------
def _awareness_model(network: Any = None, **params: Any):
    """A model whose consumers start unaware (no well-informed consumers, no fans)."""
    from socialabm.model import SocialCommerceModel

    base = {"share_well_informed": 0.0, "fan_share": 0.0, "rng": params.pop("rng", 0)}
    if network is not None:
        base["network"] = network
    model = SocialCommerceModel(**{**base, **params})
    model.consumers.arrays["aware"][:] = False
    return model


def _post_aware(model) -> np.ndarray:
    """Every consumer aware of retailer 0 posts about it (and keeps posting); returns them."""
    a = model.consumers.arrays
    aware = a["aware"][:, 0].copy()
    a["post_of"][aware] = 0
    a["post_until"][aware] = 10**9
    return aware


def _reset_awareness(model, initial: np.ndarray) -> None:
    a = model.consumers.arrays
    a["aware"][:] = False
    a["post_of"][:] = -1
    a["post_until"][:] = -1
    a["aware"][initial, 0] = True


def check_awareness_glm_one_step(
    fast: bool = False, model_params: Mapping[str, Any] | None = None, seed: int = 11
) -> CheckResult:
    """Awareness phase vs the exact one-day expectation of the GLM (2001) formula.

    On the default weak-tie network every aware consumer posts about retailer 0; each day every
    consumer reads the feed with probability 0.6 and visits the trading platform (ad exposure)
    with probability 0.3. Given today's posters, the expected number of newly aware consumers is
    ``sum over unaware i of 1 - (1 - alpha v_i)(1 - beta_w)^(f_i k_w,i)(1 - beta_s)^(f_i k_s,i)``
    (``k`` = posting neighbours by tie type, ``f`` feed read, ``v`` visit), and the count is a
    sum of independent Bernoulli draws. The residuals over all days and runs, divided by their
    exact standard deviation, give a z-score that is standard normal when the phase implements
    the formula; the check passes when ``|z| <= 4``.

    Args:
        fast: Smaller network and fewer runs.
        model_params: Parameters applied to the model only, not to the expectation (to show the
            check fails when the phase does not do what the formula says).
        seed: Seed of the model and of the feed/visit draws.
    """
    alpha, beta_w, beta_s = 0.005, 0.06, 0.12
    n, runs, days = (1000, 3, 20) if fast else (3000, 5, 25)
    params = {"ad_reach": alpha, "beta_weak": beta_w, "beta_strong": beta_s, "n_consumers": n}
    model = _awareness_model(**{**params, **dict(model_params or {}), "rng": seed})
    net, market, a = model.network, model.market, model.consumers.arrays
    weak = (net.weak > 0).astype(np.float64).tocsr()
    strong = (net.strong > 0).astype(np.float64).tocsr()
    rng = np.random.default_rng(seed)
    resid, var, steps = 0.0, 0.0, 0
    for _ in range(runs):
        _reset_awareness(model, rng.choice(n, size=n // 50, replace=False))
        for _ in range(days):
            posters = _post_aware(model).astype(np.float64)
            if posters.all():
                break
            market.reads_feed = rng.random(n) < 0.6
            market.visits_trading = rng.random(n) < 0.3
            k_w = weak @ posters * market.reads_feed
            k_s = strong @ posters * market.reads_feed
            ad = alpha * market.visits_trading
            h = 1.0 - (1.0 - ad) * (1.0 - beta_w) ** k_w * (1.0 - beta_s) ** k_s
            unaware = posters == 0
            before = int(a["aware"][:, 0].sum())
            market.spread_word_of_mouth()
            gained = int(a["aware"][:, 0].sum()) - before
            resid += gained - float(h[unaware].sum())
            var += float((h * (1.0 - h))[unaware].sum())
            steps += 1
    z = resid / math.sqrt(var) if var > 0 else math.inf
    return _result(
        "awareness_glm_one_step",
        z,
        0.0,
        4.0,
        "abs",
        SOURCES["glm"],
        "z-score of newly aware vs exact GLM expectation, default network",
        f"{steps} daily steps, {n} consumers, alpha={alpha}, beta_w={beta_w}, beta_s={beta_s}",
    )


def bass_ols(cumulative: np.ndarray, new: np.ndarray) -> tuple[float, float, float]:
    """Bass's (1969) estimator: regress new adopters on ``Y, Y^2`` and recover ``(p, q, m)``.

    ``S_t = a + b Y_{t-1} + c Y_{t-1}^2`` with ``a = p m``, ``b = q - p``, ``c = -q / m``.
    """
    y = np.asarray(cumulative, dtype=float)
    x = np.column_stack([np.ones_like(y), y, y**2])
    a, b, c = np.linalg.lstsq(x, np.asarray(new, dtype=float), rcond=None)[0]
    disc = b * b - 4.0 * a * c
    if c >= 0 or disc < 0:
        return math.nan, math.nan, math.nan
    m = (-b - math.sqrt(disc)) / (2.0 * c)
    return a / m, -c * m, m


def check_bass_recovery(
    fast: bool = False, model_params: Mapping[str, Any] | None = None, seed: int = 3
) -> CheckResult:
    """Bass (1969) parameters recovered from the awareness phase on a complete graph.

    On ``networkx.complete_graph(N)`` (every tie strength 1.0, so every tie is strong) with every
    aware consumer posting and everyone reading the feed and visiting the platform, an unaware
    consumer becomes aware with probability ``1 - (1 - alpha)(1 - beta)^A`` when ``A`` are aware:
    Bass's hazard ``p + q A / N`` to first order, with ``p = alpha`` and ``q = beta N``. The
    daily counts of several runs are fed to Bass's own OLS estimator; the check passes when the
    estimated ``q`` is within 15 % of ``beta N``, ``p`` within 35 % of ``alpha`` and the market
    size ``m`` within 2 % of ``N``. (The exact hazard is ``1 - (1 - p) e^(-qA/N)``, concave in
    ``A``; at ``q = 0.1`` this biases the estimate of ``q`` down by about 4 %.)
    """
    n, runs = 500, (6 if fast else 12)
    p, q = 0.01, 0.1
    params = {"ad_reach": p, "beta_strong": q / n, "beta_weak": 0.0}
    model = _awareness_model(
        network=nx.complete_graph(n), **{**params, **dict(model_params or {}), "rng": seed}
    )
    market, a = model.market, model.consumers.arrays
    market.reads_feed = np.ones(n, dtype=bool)
    market.visits_trading = np.ones(n, dtype=bool)
    ys, news = [], []
    for _ in range(runs):
        _reset_awareness(model, np.zeros(0, dtype=np.int64))
        for _ in range(400):
            aware = _post_aware(model)
            y = int(aware.sum())
            if y >= 0.98 * n:
                break
            market.spread_word_of_mouth()
            ys.append(y)
            news.append(int(a["aware"][:, 0].sum()) - y)
    p_hat, q_hat, m_hat = bass_ols(np.array(ys), np.array(news))
    others = within(p_hat, p, 0.35, "rel") and within(m_hat, n, 0.02, "rel")
    return _result(
        "bass_recovery",
        q_hat,
        q,
        0.15,
        "rel",
        SOURCES["bass"],
        "Bass q estimated by Bass's OLS from daily awareness counts (complete graph)",
        f"p_hat={p_hat:.4g} (alpha={p}, +/-35%), m_hat={m_hat:.5g} (N={n}, +/-2%); "
        f"{len(ys)} daily observations from {runs} runs",
        extra_ok=others,
    )


GLM_LEVELS = {
    "strong_ties": (5, 29),
    "weak_ties": (5, 29),
    "alpha": (0.0005, 0.01),
    "beta_w": (0.005, 0.015),
    "beta_s": (0.01, 0.07),
}
"""Low and high levels of the five parameters, the ranges of Goldenberg et al. (2001)."""


def takeoff_time(model, target: float = 0.16, max_days: int = 500) -> int:
    """Days until ``target`` of consumers are aware of retailer 0 (everyone aware posts)."""
    n = model.network.n
    market = model.market
    market.reads_feed = np.ones(n, dtype=bool)
    market.visits_trading = np.ones(n, dtype=bool)
    for day in range(max_days):
        if _post_aware(model).mean() >= target:
            return day
        market.spread_word_of_mouth()
    return max_days


def check_glm_takeoff(
    fast: bool = False, levels: Mapping[str, tuple[float, float]] | None = None, seed: int = 7
) -> CheckResult:
    """Weak vs strong ties' effect on take-off (time to 16 % aware), GLM (2001) setting.

    Strong ties within small personal networks (cliques of ``strong_ties + 1``), weak ties across
    them at random; a 2^5 factorial design over the ranges of Goldenberg, Libai & Muller (2001)
    (:data:`GLM_LEVELS`). The main effect of a factor is the mean take-off time at its high level
    minus at its low level. The weak-tie effect is the sum of the effects of the number and the
    per-tie probability of weak ties, likewise for strong ties. GLM found weak ties' influence
    "at least as strong" as strong ties'; the check passes when all four effects speed take-off
    (are negative) and the weak/strong ratio is at least 0.5 (comparable: within a factor 2).
    """
    levels = dict(GLM_LEVELS if levels is None else levels)
    n, reps = (2000, 1) if fast else (3000, 2)
    names = list(levels)
    rows, times = [], []
    for k, combo in enumerate(itertools.product((0, 1), repeat=len(names))):
        v = {name: levels[name][c] for name, c in zip(names, combo, strict=True)}
        for r in range(reps):
            model = _awareness_model(
                n_consumers=n,
                community_size=int(v["strong_ties"]) + 1,
                weak_ties=float(v["weak_ties"]),
                ad_reach=v["alpha"],
                beta_weak=v["beta_w"],
                beta_strong=v["beta_s"],
                rng=seed * 1000 + k * reps + r,
            )
            rows.append(combo)
            times.append(takeoff_time(model))
    x, t = np.array(rows), np.array(times, dtype=float)
    effect = {name: t[x[:, i] == 1].mean() - t[x[:, i] == 0].mean() for i, name in enumerate(names)}
    weak = effect["weak_ties"] + effect["beta_w"]
    strong = effect["strong_ties"] + effect["beta_s"]
    ratio = weak / strong if strong < 0 else math.nan
    ties = ("weak_ties", "beta_w", "strong_ties", "beta_s")
    direction = all(effect[k] < 0 for k in ties)
    return _result(
        "glm_takeoff_weak_vs_strong",
        ratio,
        1.0,
        0.5,
        ">=",
        SOURCES["glm"],
        "weak-tie / strong-tie main effect on days to 16% aware (2^5 factorial)",
        "main effects (days): "
        + ", ".join(f"{k}={effect[k]:+.2f}" for k in names)
        + f"; mean take-off {t.mean():.1f} days, {len(t)} runs of {n}",
        extra_ok=direction,
    )


def giant_breakdown_fraction(
    network: SocialNetwork, weakest_first: bool, threshold: float = 0.5, seed: int = 0
) -> float:
    """Fraction of ties removed (in strength order) when the giant component first falls below
    ``threshold`` of all consumers (binary search; the giant only shrinks as ties go)."""
    both = sp.triu(network.strong + network.weak, k=1).tocoo()
    rng = np.random.default_rng(seed)
    order = np.lexsort((rng.random(both.nnz), both.data))  # by strength, ties broken at random
    if not weakest_first:
        order = order[::-1]
    n, m = network.n, both.nnz

    def giant_after(removed: int) -> float:
        keep = order[removed:]
        graph = sp.csr_matrix((np.ones(keep.size), (both.row[keep], both.col[keep])), (n, n))
        _, labels = connected_components(graph, directed=False)
        return np.bincount(labels).max() / n

    if giant_after(0) < threshold:
        return 0.0
    lo, hi = 0, m  # giant >= threshold after removing lo ties; < threshold after hi (empty)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if giant_after(mid) >= threshold:
            lo = mid
        else:
            hi = mid
    return hi / m


def check_weak_tie_bridges(
    fast: bool = False, network: SocialNetwork | None = None, seed: int = 5
) -> CheckResult:
    """Weak ties are the bridges of the default network (Onnela et al. 2007, Fig. 3).

    Removing ties weakest-first should break the giant component far sooner than removing them
    strongest-first. Measured: fraction of ties removed (strongest-first) minus fraction removed
    (weakest-first) when the giant component falls below 50 % of consumers; passes at >= 0.2.
    """
    if network is None:
        from socialabm.parameters import defaults

        d = defaults()
        n = 2000 if fast else 10000
        network = generate_weak_tie_network(
            n, d["community_size"], d["weak_ties"], np.random.default_rng(seed)
        )
    f_weak = giant_breakdown_fraction(network, weakest_first=True, seed=seed)
    f_strong = giant_breakdown_fraction(network, weakest_first=False, seed=seed)
    return _result(
        "weak_tie_bridges",
        f_strong - f_weak,
        0.2,
        0.0,
        ">=",
        SOURCES["onnela"],
        "ties removed before giant < 50%: strongest-first minus weakest-first",
        f"weakest-first {f_weak:.3f}, strongest-first {f_strong:.3f} of {network.n} consumers' "
        f"ties (weak-tie share {network.weak_tie_share:.2f})",
    )


NEWSVENDOR_CASES = (
    # known orders, mean, sd, price, wholesale, salvage
    (0, 200.0, 50.0, 100.0, 40.0, 10.0),
    (30, 200.0, 50.0, 100.0, 40.0, 10.0),
    (0, 80.0, 30.0, 60.0, 50.0, 15.0),
    (12, 500.0, 120.0, 70.0, 33.0, 15.0),
    (0, 1000.0, 10.0, 45.0, 44.0, 0.0),
    (5, 37.5, 12.25, 88.0, 30.0, 20.0),
)
"""Known inputs of :func:`check_newsvendor`, all with critical fractile strictly in (0, 1)."""


def expected_newsvendor_profit(q: float, mean, sd, price, wholesale, salvage) -> float:
    """Expected profit of ordering ``q`` against normal demand (normal loss function)."""
    z = (q - mean) / sd
    shortfall = sd * (norm.pdf(z) - z * norm.sf(z))  # E[(D - q)+]
    sold = mean - shortfall  # E[min(D, q)]
    return price * sold + salvage * (q - sold) - wholesale * q


def check_newsvendor(
    fast: bool = False, quantity_fn: Callable[..., int] = newsvendor_quantity
) -> CheckResult:
    """``newsvendor_quantity`` vs the closed form ``Q = known + ceil(mu + sd * Phi^-1(cf))``.

    ``cf = (p - w) / (p - s)``. The closed form itself is checked against the numerical maximiser
    of expected profit (scipy.optimize). Passes when every case matches to the unit and the
    numerical optimum lies within 1e-4 sd of the closed form.
    """
    worst, worst_opt = 0.0, 0.0
    for known, mean, sd, price, wholesale, salvage in NEWSVENDOR_CASES:
        cf = (price - wholesale) / (price - salvage)
        q_star = mean + float(norm.ppf(cf)) * sd
        q_int = known + math.ceil(q_star - 1e-9)
        got = quantity_fn(known, mean, sd, price, wholesale, salvage)
        worst = max(worst, abs(got - q_int))
        best = optimize.minimize_scalar(
            lambda q, args=(mean, sd, price, wholesale, salvage): (
                -expected_newsvendor_profit(q, *args)
            ),
            bounds=(mean - 6 * sd, mean + 6 * sd),
            method="bounded",
            options={"xatol": 1e-9 * sd},
        )
        worst_opt = max(worst_opt, abs(best.x - q_star) / sd)
    return _result(
        "newsvendor_closed_form",
        worst,
        0.0,
        0.0,
        "abs",
        SOURCES["newsvendor"],
        "max |newsvendor_quantity - closed form| (units) over known cases",
        f"{len(NEWSVENDOR_CASES)} cases; closed form vs numerical optimum: max "
        f"{worst_opt:.2g} sd (<= 1e-4)",
        extra_ok=worst_opt <= 1e-4,
    )


def check_nash_bargaining(
    fast: bool = False, price_fn: Callable[..., float] = nash_wholesale_price
) -> CheckResult:
    """``nash_wholesale_price`` vs the maximiser of the generalized Nash product.

    The supplier gets ``w - c``, the retailer the rest of the bargained pie ``lambda (p - c)``;
    with retailer power ``beta`` the generalized Nash product is
    ``(w - c)^(1 - beta) (c + lambda (p - c) - w)^beta``, maximised at
    ``w = c + (1 - beta) lambda (p - c)``. ``lambda = 1`` is the textbook split of the whole
    margin; ``lambda < 1`` (the model's share of the margin on the table) is checked the same way.
    Measured: the largest gap between the function and the numerical maximiser (CU).
    """
    worst, worst_formula = 0.0, 0.0
    grid = itertools.product((10.0, 30.0), (45.0, 100.0), (0.1, 0.35, 0.5, 0.8), (1.0, 0.8, 0.5))
    for c, p, beta, lam in grid:
        top = c + lam * (p - c)

        def neg_log_product(w, c=c, top=top, beta=beta):
            return -((1.0 - beta) * math.log(w - c) + beta * math.log(top - w))

        span = top - c
        best = optimize.minimize_scalar(
            neg_log_product,
            bounds=(c + 1e-12 * span, top - 1e-12 * span),
            method="bounded",
            options={"xatol": 1e-10},
        )
        got = price_fn(c, p, beta, lam)
        worst = max(worst, abs(got - best.x))
        worst_formula = max(worst_formula, abs(got - (c + (1.0 - beta) * lam * (p - c))))
    return _result(
        "nash_bargaining_split",
        worst,
        0.0,
        1e-5,
        "abs",
        SOURCES["nash"],
        "max |nash_wholesale_price - argmax Nash product| (CU), lambda in {1, 0.8, 0.5}",
        f"max |w - (c + (1-beta) lambda (p-c))| = {worst_formula:.2g} CU (<= 1e-12)",
        extra_ok=worst_formula <= 1e-12,
    )


def j_shape_margin(counts: np.ndarray) -> tuple[float, np.ndarray]:
    """``min(s5 - max(s1..s4), s1 - max(s2, s3))`` of star shares, and the shares."""
    counts = np.asarray(counts, dtype=float)
    shares = counts / counts.sum() if counts.sum() > 0 else np.zeros(5)
    margin = min(shares[4] - shares[:4].max(), shares[0] - max(shares[1], shares[2]))
    return float(margin), shares


def check_j_shaped_reviews(fast: bool = False, counts: np.ndarray | None = None) -> CheckResult:
    """Reviews of the social_commerce scenario are J-shaped (Hu, Zhang & Pavlou 2009).

    Posted star counts (all retailers, whole horizon) of the built-in ``social_commerce``
    scenario; passes when the 5-star share is the largest and the 1-star share exceeds the 2-
    and 3-star shares, i.e. ``min(s5 - max(s1..s4), s1 - max(s2, s3)) > 0``.

    Args:
        fast: 1,000 consumers and one seed instead of 2,000 consumers and three seeds.
        counts: Star counts 1..5 to judge instead of running the scenario.
    """
    detail = "given counts"
    if counts is None:
        from socialabm.model import SocialCommerceModel
        from socialabm.scenarios import load_scenario

        params = load_scenario("social_commerce").model_params()
        n, seeds = (1000, (1,)) if fast else (2000, (1, 2, 3))
        total = np.zeros(5, dtype=np.int64)
        for s in seeds:
            model = SocialCommerceModel(**{**params, "n_consumers": n}, rng=s)
            while model.running:
                model.step()
            total += model.star_counts()
        counts = total
        detail = f"social_commerce, {n} consumers, seeds {list(seeds)}"
    margin, shares = j_shape_margin(counts)
    return _result(
        "j_shaped_reviews",
        margin,
        0.0,
        0.0,
        ">",
        SOURCES["jshape"],
        "min(s5 - max(s1..s4), s1 - max(s2, s3)) of star shares",
        f"{detail}; shares 1..5 stars: " + " ".join(f"{x:.3f}" for x in shares),
    )


CHECKS: list[tuple[str, Callable[..., CheckResult]]] = [
    ("awareness_glm_one_step", check_awareness_glm_one_step),
    ("bass_recovery", check_bass_recovery),
    ("glm_takeoff_weak_vs_strong", check_glm_takeoff),
    ("weak_tie_bridges", check_weak_tie_bridges),
    ("newsvendor_closed_form", check_newsvendor),
    ("nash_bargaining_split", check_nash_bargaining),
    ("j_shaped_reviews", check_j_shaped_reviews),
]
"""Every check by name, in the order they run."""


def run_all(fast: bool = False, only: list[str] | None = None) -> list[CheckResult]:
    """Run every check (or those named in ``only``) and return their results in order.

    Args:
        fast: Smaller networks and fewer runs (about 10 s in all; docs/validation.md has the sizes).
        only: Names of :data:`CHECKS` to run; ``None`` runs them all.

    Raises:
        ValueError: an unknown check name.
    """
    known = [name for name, _ in CHECKS]
    for name in only or []:
        if name not in known:
            raise ValueError(f"unknown check {name!r}; allowed: {', '.join(known)}")
    return [fn(fast=fast) for name, fn in CHECKS if not only or name in only]


def format_table(results: list[CheckResult], details: bool = True) -> str:
    """The results as a fixed-width pass/fail table (with detail lines when asked)."""
    width = max(len(r.name) for r in results) if results else 10
    head = f"{'check':<{width}}  {'measured':>11}  {'expected (tolerance)':<22}  result"
    lines = [head, "-" * len(head)]
    for r in results:
        verdict = "PASS" if r.passed else "FAIL"
        lines.append(f"{r.name:<{width}}  {r.measured:>11.4g}  {r.expected_text:<22}  {verdict}")
        if details:
            lines.append(f"{'':<{width}}    {r.what}")
            if r.detail:
                lines.append(f"{'':<{width}}    {r.detail}")
            lines.append(f"{'':<{width}}    source: {r.source.split(';')[0]}")
    failed = sum(not r.passed for r in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the suite, print the table, return 1 when any check fails."""
    start = time.perf_counter()
    results = run_all(fast=args.fast, only=args.only or None)
    print(format_table(results, details=not args.brief))
    print(f"({time.perf_counter() - start:.1f} s{', fast mode' if args.fast else ''})")
    return 0 if all(r.passed for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m socialabm.validation [--fast] [--only CHECK]``."""
    parser = argparse.ArgumentParser(prog="socialabm")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["validate", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
