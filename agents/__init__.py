"""Agent classes of socialabm: consumers, retailers, suppliers, platforms and alliances.

Subclass any of them and pass the class to the model (``consumer_class=``, ``retailer_class=``,
``supplier_class=``, ``platform_class=``) to change one decision without touching the core.
"""

from socialabm.agents.alliance import Alliance
from socialabm.agents.consumer import CONSUMER_STATES, Column, Consumer, ConsumerStore
from socialabm.agents.platform import Platform
from socialabm.agents.retailer import CHANNELS, Retailer
from socialabm.agents.supplier import Supplier

__all__ = [
    "CHANNELS",
    "CONSUMER_STATES",
    "Alliance",
    "Column",
    "Consumer",
    "ConsumerStore",
    "Platform",
    "Retailer",
    "Supplier",
]
