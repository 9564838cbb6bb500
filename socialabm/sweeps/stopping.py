"""Stop a long computation cleanly when it is asked to: Ctrl-C, ``SIGTERM``, a hang-up, or the
death of the ``uv run`` process that launched it.

Python turns Ctrl-C (``SIGINT``) into ``KeyboardInterrupt`` in the main thread, so the
``except``/``finally`` blocks of the code it interrupts run: the sweep loop closes its workers
(:meth:`socialabm.sweeps.backends.Backend.close`), finished runs stay on disk and the folder
lock is released. Within :func:`stop_on_signals` every way to be stopped takes that path:
``SIGINT``, ``SIGTERM`` and ``SIGHUP`` (each unless ignored, as under ``nohup`` or in a
background job) raise :class:`Stopped`, a ``KeyboardInterrupt``, instead of ending the process
on the spot (which leaves the pool's semaphores behind: Python's ``resource_tracker`` then warns
about leaked semaphores, and nobody says how to resume).

Some steps must not be cut in two: starting worker processes (a worker half started when its
pool is torn down fails with a traceback of its own). Within :meth:`StopSignals.shielded` a
stop waits until the step is done, then is raised.

``uv run CMD`` runs CMD as its child and forwards signals to it, but when ``uv`` itself is
killed (``kill -9``) the child lives on, orphaned, and keeps writing. So when this process was
started by ``uv``, a watcher thread checks every :data:`WATCH_SECONDS` whether its parent is
still the one it started with; if not, it stops the process as ``SIGTERM`` would. (A process
started from a shell is not watched: under ``nohup`` it is meant to outlive its shell.)

The sweeps use it (:func:`socialabm.sweeps.execute.run_sweep`); any runner on the sweep backends
(claims, calibration) can wrap its loop the same way::

    with stop_on_signals() as stop:
        with stop.shielded():
            backend = make_backend(...)
        ...  # submit, wait, collect; close the backend in an ``except BaseException`` block
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "LAUNCHERS",
    "WATCH_SECONDS",
    "StopSignals",
    "Stopped",
    "launcher",
    "stop_on_signals",
]

LAUNCHERS = ("uv", "uvx")
"""Programs that run a command as their child and only wait for it: when one of them dies,
its child is stopped."""
WATCH_SECONDS = 0.25
"""How often the watcher checks that the launcher still runs (s)."""
_REASONS = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM", signal.SIGHUP: "hang-up"}


class Stopped(KeyboardInterrupt):
    """The process was asked to stop (a signal, or its launcher died).

    Attributes:
        signum: The signal that stopped it (``SIGTERM`` when its launcher died).
        reason: What happened, for the user (``"SIGTERM"``, ``"uv (pid 123) ... ended"``).
    """

    def __init__(self, signum: int, reason: str) -> None:
        super().__init__(reason)
        self.signum = signum
        self.reason = reason

    @property
    def exit_code(self) -> int:
        """The shell's code for a process ended by the signal: ``128 + signum``."""
        return 128 + self.signum


def _exe_name(pid: int) -> str:
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return ""


def launcher() -> tuple[int, str] | None:
    """``(pid, name)`` of this process's parent if it is one of :data:`LAUNCHERS`, else ``None``."""
    parent = os.getppid()
    name = _exe_name(parent)
    return (parent, name) if name in LAUNCHERS else None


class StopSignals:
    """The signal handling of an active :func:`stop_on_signals` block."""

    def __init__(self) -> None:
        self.reasons: dict[int, str] = {}  # a reason other than the signal's own
        self._shields = 0
        self._pending: Stopped | None = None
        self._stopping = False

    def handle(self, signum: int, frame: object) -> None:
        """The signal handler: raise :class:`Stopped` (once), or keep it for the shield's end."""
        if self._stopping or self._pending is not None:  # already stopping: let clean-up finish
            return
        stop = Stopped(signum, self.reasons.pop(signum, _REASONS.get(signum, str(signum))))
        if self._shields:
            self._pending = stop
            return
        self._stopping = True
        raise stop

    @contextmanager
    def shielded(self) -> Iterator[None]:
        """A step a stop must not cut: a stop during it is raised when it is done."""
        self._shields += 1
        try:
            yield
        finally:
            self._shields -= 1
            if not self._shields and self._pending is not None:
                stop, self._pending = self._pending, None
                self._stopping = True
                raise stop


def _watch_launcher(pid: int, name: str, stops: StopSignals, done: threading.Event) -> None:
    """Send this process ``SIGTERM`` once its parent is no longer the launcher ``pid``."""
    while not done.wait(WATCH_SECONDS):
        if os.getppid() != pid:
            stops.reasons[signal.SIGTERM] = f"{name} (pid {pid}), which started it, ended"
            os.kill(os.getpid(), signal.SIGTERM)
            return


@contextmanager
def stop_on_signals() -> Iterator[StopSignals]:
    """Within the block, Ctrl-C, ``SIGTERM``, ``SIGHUP`` (each unless ignored) and the death of
    a ``uv`` launcher raise :class:`Stopped` in the main thread (see the module doc).

    The previous handlers are restored on leaving. Outside the main thread (where Python allows
    no signal handler) the block runs with Python's own handling.
    """
    stops = StopSignals()
    if threading.current_thread() is not threading.main_thread():
        yield stops
        return
    wanted = [
        s
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        if signal.getsignal(s) is not signal.SIG_IGN
    ]
    previous = {s: signal.signal(s, stops.handle) for s in wanted}
    done = threading.Event()
    parent = launcher()
    if parent is not None and signal.SIGTERM in previous:
        threading.Thread(
            target=_watch_launcher, args=(*parent, stops, done), daemon=True, name="uv-watch"
        ).start()
    try:
        yield stops
    finally:
        done.set()
        for s, h in previous.items():
            signal.signal(s, h)
