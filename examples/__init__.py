"""Extension examples: agent subclasses that change one decision of the model.

Each module defines one subclass usable as ``SocialCommerceModel(consumer_class=...)`` (or
``retailer_class=``, ``platform_class=``) or, from the repository root, as a ``"module:Class"``
string such as ``"examples.debt_averse_consumer:DebtAverseConsumer"``. See docs/extending.md.
"""
