"""Validation suite: the model's parts checked against published results and closed forms.

Each check is a function returning a :class:`~socialabm.validation.result.CheckResult` (name,
measured figure, expected figure, tolerance, pass/fail and the source it is checked against),
in one module per family of checks. :func:`~socialabm.validation.suite.run_all` runs every
check; ``socialabm validate`` (:mod:`~socialabm.validation.cli`) prints them as a table and exits
with status 1 when any fails. The independent expectations they are checked against are in
:mod:`~socialabm.validation.expectations`.

The checks (docs/validation.md explains each, its source and why its tolerance is what it is),
by module:

* :mod:`~socialabm.validation.awareness` -- the awareness phase under controlled posters:
  ``awareness_glm_one_step`` (the exact one-day expectation of the Goldenberg, Libai & Muller
  2001 formula on the default weak-tie network, as a z-score), ``bass_adoption_curve`` and
  ``bass_takeoff_time`` (on complete graphs, the adoption curve and the time adoption peaks
  against the discrete Bass 1969 recursion) and ``glm_takeoff_weak_vs_strong`` (time to 16 %
  aware in GLM's 2^5 factorial: weak ties speed take-off at least half as much as strong ties);
* :mod:`~socialabm.validation.network` -- ``weak_tie_bridges``: the fractions of ties removed,
  weakest-first and strongest-first, at which the default network's giant component collapses,
  against percolation theory (Onnela et al. 2007; Molloy & Reed 1995);
* :mod:`~socialabm.validation.supply_chain` -- ``newsvendor_optimal_order`` (production orders
  maximise expected profit over the retailer's own forecast, to a whole unit) and
  ``nash_bargaining_split`` (agreed wholesale prices maximise the generalized Nash product at
  the retailer's bargaining power), in running models;
* :mod:`~socialabm.validation.reviews` -- ``j_shaped_reviews``: the social_commerce scenario's
  reviews are J-shaped (Hu, Zhang & Pavlou 2009);
* :mod:`~socialabm.validation.stockouts` -- ``stockout_response_shares``: consumers of the
  starvation_marketing scenario answer stock-outs in the shares of Gruen, Corsten & Bharadwaj
  (2002), within multinomial sampling;
* :mod:`~socialabm.validation.cascades` -- ``cascade_sizes``: most adoption cascades are a
  single adoption and at most a fifth of adoptions come through chains of referrals (Goel,
  Watts & Goldstein 2012 find chains far rarer).

:mod:`~socialabm.validation.runs` holds the model runs the scenario-level checks share.
"""

from __future__ import annotations

from socialabm.lazy import lazy_attributes

_LAZY = {
    "CHECKS": "socialabm.validation.suite",
    "CheckResult": "socialabm.validation.result",
    "format_table": "socialabm.validation.suite",
    "run_all": "socialabm.validation.suite",
}
"""Public names imported from their module on first access, so that the ``validate`` command's
parser (:mod:`socialabm.validation.cli`) loads neither networkx nor scipy."""

__all__ = ["CHECKS", "CheckResult", "format_table", "run_all"]

__getattr__, __dir__ = lazy_attributes("socialabm.validation", _LAZY, globals())
