"""socialabm: agent-based models of consumer social-commerce behaviour, built on Mesa.

>>> from socialabm import SocialCommerceModel
>>> model = SocialCommerceModel(n_consumers=500, rng=42)
>>> for _ in range(30):
...     model.step()
>>> model.summary()["sales"] > 0
True
"""

from socialabm.agents import CONSUMER_STATES, Alliance, Consumer, Platform, Retailer, Supplier
from socialabm.model import SocialCommerceModel
from socialabm.parameters import PARAMETERS, ParameterError, validate
from socialabm.runner import RunResult, run_model

__version__ = "0.1.0"

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
