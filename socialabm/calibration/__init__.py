"""Calibration: fit model parameters to observed patterns by ABC-SMC (pyabc).

Python API::

    from socialabm.calibration import load_calibration, calibrate

    spec = load_calibration("scenarios/calibration/calibrated.toml")
    outcome = calibrate(spec, "runs/calibrated", workers=2)
    print(outcome.files["report"])

Command line: ``socialabm calibrate SPEC.toml --out DIR`` (see docs/calibration.md). The modules:
:mod:`~socialabm.calibration.spec` (the file and its checks), :mod:`~.patterns` (observed
patterns with their citations), :mod:`~.statistics` (pattern statistics of a run),
:mod:`~.distance`, :mod:`~.simulator`, :mod:`~.sampler` (deterministic candidates on the sweeps'
backends), :mod:`~.adapter` (pyabc), :mod:`~.execute` (directory, resume), :mod:`~.results`,
:mod:`~.predictive`, :mod:`~.plots`, :mod:`~.report`, :mod:`~.coverage` (recovery and
simulation-based calibration) and :mod:`~.publish` (the calibrated scenario and ODD section).
pyabc comes with the ``calibration`` extra; importing this package does not need it.
"""

from __future__ import annotations

from socialabm.lazy import lazy_attributes

_LAZY = {
    "CalibrationError": "socialabm.calibration.execute",
    "CalibrationOutcome": "socialabm.calibration.execute",
    "CalibrationSpec": "socialabm.calibration.spec",
    "CalibrationSpecError": "socialabm.calibration.spec",
    "Pattern": "socialabm.calibration.patterns",
    "PatternError": "socialabm.calibration.patterns",
    "calibrate": "socialabm.calibration.execute",
    "load_calibration": "socialabm.calibration.spec",
    "load_pattern": "socialabm.calibration.patterns",
}

__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_attributes("socialabm.calibration", _LAZY, globals())
