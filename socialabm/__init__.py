"""socialabm: agent-based models of consumer social-commerce behaviour, built on Mesa.

>>> from socialabm import SocialCommerceModel
>>> model = SocialCommerceModel(n_consumers=500, rng=42)
>>> for _ in range(30):
...     model.step()
>>> model.summary()["sales"] > 0
True

The model, the agents and the runner are imported on first use (``socialabm.Consumer``,
``from socialabm import run_model``), so ``import socialabm`` and the light commands of the
``socialabm`` CLI (``params``, ``scenarios``, ``--help``) do not load Mesa, scipy or pandas.
"""

from __future__ import annotations

from socialabm.lazy import lazy_attributes
from socialabm.parameters import PARAMETERS, ParameterError, validate

__version__ = "0.1.0"

_LAZY = {
    "CONSUMER_STATES": "socialabm.agents",
    "Alliance": "socialabm.agents",
    "Consumer": "socialabm.agents",
    "Platform": "socialabm.agents",
    "Retailer": "socialabm.agents",
    "Supplier": "socialabm.agents",
    "SocialCommerceModel": "socialabm.model",
    "RunResult": "socialabm.experiments.runner",
    "run_model": "socialabm.experiments.runner",
}
"""Public names imported from their module on first access (PEP 562)."""

__all__ = [
    "CONSUMER_STATES",
    "PARAMETERS",
    "Alliance",
    "Consumer",
    "ParameterError",
    "Platform",
    "Retailer",
    "RunResult",
    "SocialCommerceModel",
    "Supplier",
    "run_model",
    "validate",
]


__getattr__, __dir__ = lazy_attributes("socialabm", _LAZY, globals())
