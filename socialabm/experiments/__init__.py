"""What runs models and compares them: one run (:mod:`~socialabm.experiments.runner`), paired
experiments of two arms (:mod:`~socialabm.experiments.compare`), their intervals
(:mod:`~socialabm.experiments.stats`) and the plot of a run's key series
(:mod:`~socialabm.experiments.plots`). Many runs at once are :mod:`socialabm.sweeps`; the claims
of the model are :mod:`socialabm.claims`.
"""
