"""Pure rules: formulas as array functions with no hidden state, testable alone.

* :mod:`~socialabm.rules.consumer` -- the consumer formulas (awareness, beliefs, willingness to
  pay, sharing, reviews, self-restraint, stock-out responses);
* :mod:`~socialabm.rules.pricing` -- retailers' prices, forecasts and newsvendor orders;
* :mod:`~socialabm.rules.bargaining` -- bargaining power and the Nash wholesale price.
"""
