"""The one writer of a session's models, and Play.

:class:`Runner` owns a session's model (and, in comparison mode, a second model run with the same
seed in lockstep). Every change to a model and every read of one happens in its methods under
its lock, which also takes the :class:`Published` pairs of snapshots the page is shown (after each
button, and for each picture Play hands over). The page reads only published snapshots, so
nothing it draws can see a model in the middle of a step.

:func:`play` keeps the run at the requested days per second by the clock: it steps as many days
as are due, publishes, and hands the newest picture to the screen only when the previous one has
been drawn; :class:`Handover` lets the rendering happen in a thread of its own, so stepping never
waits for it. When drawing is slow, pictures are skipped (the days still advance); when even
stepping cannot keep up, the lag is capped rather than piling up.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from socialabm.viz import snapshot


@dataclass(frozen=True, eq=False)
class Published:
    """What the page shows: numbered snapshots of the main run and of the comparison run."""

    seq: int
    main: snapshot.Snapshot
    other: snapshot.Snapshot | None = None

    @property
    def finished(self) -> bool:
        """Both runs have reached their horizons."""
        return self.main.finished and (self.other is None or self.other.finished)


class Runner:
    """A session's model(s), stepped in lockstep under one lock, published as snapshots."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._model: Any = None
        self._other: Any = None
        self._generation = 0
        self._inspected: int | None = None
        self._seq = 0
        self.published: Published | None = None

    def _publish(self) -> Published:
        main = snapshot.take(self._model, self._generation, self._inspected)
        other = None
        if self._other is not None:
            other = snapshot.take(self._other, self._generation)
        self._seq += 1
        self.published = Published(self._seq, main, other)
        return self.published

    def load(self, model: Any, other: Any = None) -> Published:
        """Start over with ``model`` (and a comparison ``other``, stepped to the same day)."""
        with self.lock:
            self._model = model
            self._other = None
            self._generation += 1
            self._inspected = None
            return self.compare(other)

    def compare(self, other: Any) -> Published:
        """Run ``other`` beside the main model from now on (``None`` ends the comparison).

        ``other`` is stepped to the main model's day first, so the two stay in lockstep.
        """
        with self.lock:
            self._other = other
            if other is not None:
                while other.day < min(self._model.day, other.horizon):
                    other.step()
            return self._publish()

    def advance(self, days: int = 1, generation: int | None = None) -> bool:
        """Advance both runs ``days`` days (each stops at its horizon) without publishing;
        False if both had finished already, or if the models are no longer those of
        ``generation``."""
        with self.lock:
            if generation is not None and generation != self._generation:
                return False
            if self._model is None:
                return False
            stepped = False
            for _ in range(days):
                for model in (self._model, self._other):
                    if model is not None and model.day < model.horizon:
                        model.step()
                        stepped = True
            return stepped

    def publish(self, generation: int | None = None) -> Published | None:
        """Publish snapshots of the runs now (``None`` if the models are no longer those of
        ``generation``)."""
        with self.lock:
            if self._model is None or (generation is not None and generation != self._generation):
                return None
            return self._publish()

    def step(self, days: int = 1, generation: int | None = None) -> Published | None:
        """:meth:`advance`, then :meth:`publish`; ``None`` if nothing was stepped."""
        with self.lock:
            return self._publish() if self.advance(days, generation) else None

    def inspect(self, index: int | None) -> Published:
        """Show consumer ``index`` (``None``: nobody) in the snapshots from now on.

        Raises:
            IndexError: no such consumer (nothing changes).
        """
        with self.lock:
            if index is not None:
                snapshot.consumer_view(self._model, index, self._model.consumer_states())
            self._inspected = index
            return self._publish()

    def close(self) -> None:
        """Drop the models (the session has closed): Play, a step or a click still under way
        ends at once, as after a Reset (the generation moves on), and nothing is published."""
        with self.lock:
            self._model = None
            self._other = None
            self._generation += 1
            self.published = None

    @property
    def horizon(self) -> int:
        """The longer run's horizon (days); 0 without a model."""
        with self.lock:
            return max(
                (int(m.horizon) for m in (self._model, self._other) if m is not None), default=0
            )

    @property
    def generation(self) -> int:
        """Number of the current model(s): grows on every :meth:`load`."""
        return self._generation

    @property
    def day(self) -> int:
        """Days the lockstep has advanced (the longer run's day when one has finished)."""
        with self.lock:
            return max((int(m.day) for m in (self._model, self._other) if m is not None), default=0)

    @property
    def model(self) -> Any:
        """The main model; read it only while holding :attr:`lock` (the page never does: it
        reads :attr:`published`)."""
        return self._model


class Handover:
    """Hands the newest offered picture to ``deliver`` in a thread of its own, so the stepping
    thread never waits for a render: a picture not yet delivered is replaced by a newer one.

    Use it as a context manager; on exit the last offered picture is delivered and the thread
    ends.
    """

    def __init__(self, deliver: Callable[[Published], None]) -> None:
        self._deliver = deliver
        self._ready = threading.Condition()
        self._next: Published | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="play-handover", daemon=True)

    def offer(self, published: Published) -> None:
        """Deliver ``published`` next (instead of any picture still waiting)."""
        with self._ready:
            self._next = published
            self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while self._next is None and not self._closed:
                    self._ready.wait()
                if self._next is None:
                    return
                published, self._next = self._next, None
            self._deliver(published)

    def __enter__(self) -> Handover:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join()


@dataclass
class PlayPacing:
    """How :func:`play` paces itself.

    Attributes:
        frame_gap: Shortest time from handing one picture to the screen to handing the next
            (s): at most about 6.7 pictures a second, which leaves time between renders for
            clicks and for the other sessions of the server.
        ack_timeout: How long to wait for the screen to confirm a picture before sending the next
            anyway (s): a page that stopped drawing must not stall the run.
        ack_poll: How often a waiting picture looks for the confirmation (s).
        max_lag: Largest backlog of days kept, in seconds of play; beyond it the schedule moves on
            instead of racing to catch up.
    """

    frame_gap: float = 0.15
    ack_timeout: float = 3.0
    ack_poll: float = 0.02
    max_lag: float = 2.0


def play(
    runner: Runner,
    speed: Callable[[], float],
    show: Callable[[Published], None],
    drawn: Callable[[int], bool],
    keep_going: Callable[[], bool],
    cancel: threading.Event,
    pacing: PlayPacing | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Published | None:
    """Step ``runner`` at ``speed()`` days per second until the run ends or ``keep_going()`` or
    ``cancel`` say stop; return the last picture shown.

    ``show(p)`` hands a picture to the screen; ``drawn(seq)`` tells whether picture ``seq`` has
    been drawn. A picture is handed over only once the previous one is drawn (or ``ack_timeout``
    passed), and at most every ``frame_gap`` seconds; the days in between are stepped all the
    same, so the run keeps its speed and the screen shows the newest day it can.
    """
    pacing = pacing or PlayPacing()
    rate = max(float(speed()), 0.1)
    generation = runner.generation
    start, start_day = clock(), runner.day
    unshown = False  # days stepped since the last picture
    last: Published | None = None
    shown_at = -float("inf")

    def due() -> float:
        return start_day + rate * (clock() - start) - runner.day

    def hand_over() -> Published | None:
        published = runner.publish(generation)  # a snapshot only for a picture shown
        if published is not None:
            show(published)
        return published

    while keep_going() and not cancel.is_set():
        if float(speed()) != rate:
            rate, start, start_day = max(float(speed()), 0.1), clock(), runner.day
        if due() > rate * pacing.max_lag + 1:  # too far behind: drop the backlog
            start, start_day = clock(), runner.day + rate * pacing.max_lag
        # catch up, a frame's worth of days at a time, for at most a frame gap: when stepping
        # itself is slow, a picture still goes out between batches
        batch = max(1, math.ceil(rate * pacing.frame_gap))
        stepping_since, ended = clock(), False
        while due() >= 1 and clock() - stepping_since < pacing.frame_gap:
            if not runner.advance(min(int(due()), batch), generation):
                ended = True  # both runs at their horizons, or the models were replaced
                break
            unshown = True
        if ended:
            break
        now = clock()
        ready = last is None or drawn(last.seq) or now - shown_at > pacing.ack_timeout
        if unshown and ready and now - shown_at >= pacing.frame_gap:
            shown_at, unshown = now, False
            last = hand_over()
            if last is None or last.finished:
                break
        next_day = start + (runner.day + 1 - start_day) / rate
        wake = next_day
        if unshown:  # a picture waits: for the frame gap, or (polling) for the confirmation
            wake = min(wake, shown_at + pacing.frame_gap if ready else now + pacing.ack_poll)
        cancel.wait(min(max(wake - clock(), 0.002), 0.25))
    if unshown and not cancel.is_set():
        last = hand_over() or last
    return last
