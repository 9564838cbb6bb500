"""Calibration: fit model parameters to observed patterns by ABC-SMC (pyabc).

Python API::

    from socialabm.calibration import load_calibration, calibrate

    spec = load_calibration("scenarios/calibration/calibrated.toml")
    outcome = calibrate(spec, "runs/calibrated", workers=2)
    print(outcome.files["report"])

Command line: ``socialabm calibrate SPEC.toml --out DIR`` (see docs/calibration.md). The
modules, one job each:

* :mod:`~socialabm.calibration.spec` -- the file and its checks;
* :mod:`~socialabm.calibration.patterns` -- observed patterns with their citations;
* :mod:`~socialabm.calibration.statistics` -- pattern statistics of a run;
* :mod:`~socialabm.calibration.distance` and :mod:`~socialabm.calibration.simulator`;
* :mod:`~socialabm.calibration.sampler` -- deterministic candidates on the sweeps' backends;
* :mod:`~socialabm.calibration.adapter` -- pyabc;
* :mod:`~socialabm.calibration.execute` -- the directory and resume;
* :mod:`~socialabm.calibration.results`, :mod:`~socialabm.calibration.predictive`,
  :mod:`~socialabm.calibration.plots` and :mod:`~socialabm.calibration.report`;
* :mod:`~socialabm.calibration.coverage` -- recovery and simulation-based calibration;
* :mod:`~socialabm.calibration.publish` -- the calibrated scenario and the ODD section.

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
