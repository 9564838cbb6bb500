"""The one writer (Runner) and Play's pacing, without a browser.

Play is driven by a simulated clock here: drawing a picture "takes" simulated time, so the
pacing rules are checked exactly and fast, not as wall-clock targets (those are measured by
benchmarks/bench_viz_play.py).
"""

from __future__ import annotations

import threading

import pytest
from socialabm.viz.runner import Handover, PlayPacing, Published, Runner, play

from socialabm import SocialCommerceModel


def small(horizon_campaigns: int = 3, **params) -> SocialCommerceModel:
    return SocialCommerceModel(n_consumers=100, n_campaigns=horizon_campaigns, rng=5, **params)


class SimTime:
    """A clock and a cancel event whose waits advance the clock instead of sleeping."""

    def __init__(self) -> None:
        self.now = 0.0
        self.stop_at = float("inf")

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.now += seconds
        return self.is_set()

    def is_set(self) -> bool:
        return self.now >= self.stop_at


class Screen:
    """A page that takes ``draw_time`` simulated seconds to draw a picture and confirms it
    (unless ``confirms`` is False)."""

    def __init__(self, time: SimTime, draw_time: float, confirms: bool = True) -> None:
        self.time, self.draw_time, self.confirms = time, draw_time, confirms
        self.shown: list[tuple[float, Published]] = []
        self.confirmed = 0

    def show(self, published: Published) -> None:
        self.shown.append((self.time.now, published))
        self.time.now += self.draw_time
        if self.confirms:
            self.confirmed = published.seq

    def drawn(self, seq: int) -> bool:
        return self.confirmed >= seq


def run_play(runner, speed, seconds, draw_time, confirms=True, step_time=0.0):
    time = SimTime()
    time.stop_at = seconds
    if step_time:
        real_advance = runner.advance

        def slow_advance(days=1, generation=None):
            time.now += step_time * days
            return real_advance(days, generation)

        runner.advance = slow_advance
    screen = Screen(time, draw_time, confirms)
    play(
        runner,
        speed=lambda: speed,
        show=screen.show,
        drawn=screen.drawn,
        keep_going=lambda: True,
        cancel=time,
        clock=time,
    )
    return screen, time


def test_play_keeps_its_speed_and_skips_pictures_when_drawing_is_slow():
    runner = Runner()
    runner.load(small(horizon_campaigns=6))  # 360 days
    screen, _ = run_play(runner, speed=20, seconds=10.0, draw_time=0.3)
    assert 190 <= runner.day <= 201  # 20 days/s for 10 s, although a picture takes 0.3 s
    days = [p.main.day for _, p in screen.shown]
    assert len(days) <= 10 / 0.3 + 1  # never more pictures than the screen can draw
    assert min(b - a for a, b in zip(days, days[1:], strict=False)) >= 5  # the rest skipped


def test_pictures_wait_for_the_previous_one_to_be_drawn_or_time_out():
    runner = Runner()
    runner.load(small(horizon_campaigns=6))
    screen, _ = run_play(runner, speed=10, seconds=10.0, draw_time=0.01, confirms=False)
    times = [t for t, _ in screen.shown]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps and min(gaps) >= 3.0  # unconfirmed: the next picture only after the timeout
    assert runner.day >= 95  # and the run did not stall


def test_pictures_come_at_most_every_frame_gap_when_drawing_is_fast():
    runner = Runner()
    runner.load(small(horizon_campaigns=6))
    screen, _ = run_play(runner, speed=20, seconds=5.0, draw_time=0.0)
    times = [t for t, _ in screen.shown]
    gap = PlayPacing().frame_gap
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= gap - 1e-9
    assert len(times) >= 5.0 / (gap + 0.01)  # about 1/gap a second


def test_when_stepping_cannot_keep_up_the_run_goes_as_fast_as_it_can_with_pictures_between():
    runner = Runner()
    runner.load(small(horizon_campaigns=6))
    screen, time = run_play(runner, speed=20, seconds=10.0, draw_time=0.05, step_time=0.1)
    assert 80 <= runner.day <= 100  # about 10 days/s is all the stepping allows
    days = [p.main.day for _, p in screen.shown]
    assert max(b - a for a, b in zip(days, days[1:], strict=False)) <= 6  # no long silence
    assert len(days) >= 20


def test_a_stall_longer_than_max_lag_is_not_made_up_afterwards():
    runner = Runner()
    runner.load(small(horizon_campaigns=6))
    time = SimTime()
    time.stop_at = 10.0
    stalled = {"done": False}
    real_advance = runner.advance

    def advance(days=1, generation=None):
        if not stalled["done"] and runner.day >= 20:  # the server freezes for 5 s at day 20
            stalled["done"] = True
            time.now += 5.0
        return real_advance(days, generation)

    runner.advance = advance
    screen = Screen(time, draw_time=0.0)
    play(runner, lambda: 20, screen.show, screen.drawn, lambda: True, time, clock=time)
    # 20 days/s for 10 s is 200 days; the 5-s stall costs 5 s less the 2 s backlog kept
    assert 200 - 3 * 20 - 5 <= runner.day <= 200 - 3 * 20 + 5


def test_play_stops_at_the_horizon_and_shows_the_last_day():
    runner = Runner()
    runner.load(small(horizon_campaigns=1))  # 60 days
    screen, time = run_play(runner, speed=20, seconds=30.0, draw_time=0.05)
    assert runner.day == 60 and screen.shown[-1][1].main.day == 60
    assert screen.shown[-1][1].finished and time.now < 10  # returned long before the deadline


def test_a_reloaded_runner_is_not_stepped_by_the_old_play():
    runner = Runner()
    runner.load(small())
    generation = runner.generation
    runner.load(small())
    assert runner.step(3, generation) is None and runner.day == 0
    assert runner.step(3, runner.generation).main.day == 3


def test_the_comparison_catches_up_and_runs_in_lockstep_to_each_horizon():
    runner = Runner()
    runner.load(small(horizon_campaigns=1))  # 60 days
    runner.step(10)
    published = runner.compare(small(horizon_campaigns=2))  # 120 days, joins at day 10
    assert published.main.day == published.other.day == 10
    published = runner.step(60)
    assert (published.main.day, published.other.day) == (60, 70)  # the main run ended at 60
    assert not published.finished and runner.day == 70
    published = runner.step(100)
    assert published.other.day == 120 and published.finished
    assert runner.step() is None


def test_inspecting_a_missing_consumer_changes_nothing():
    runner = Runner()
    runner.load(small())
    before = runner.published
    with pytest.raises(IndexError):
        runner.inspect(100)
    assert runner.published is before
    assert runner.inspect(99).main.consumer.index == 99
    assert runner.step().main.consumer.index == 99  # stays inspected as the run goes on


def test_renders_reading_snapshots_while_play_steps_never_see_a_half_day():
    """The crash of issue 11 (a daily frame one row longer than the day, or than another column):
    a reader in another thread only ever sees complete days."""
    runner = Runner()
    runner.load(small(horizon_campaigns=6))
    cancel = threading.Event()
    player = threading.Thread(
        target=play,
        kwargs={
            "runner": runner,
            "speed": lambda: 1000,
            "show": lambda p: None,
            "drawn": lambda seq: True,
            "keep_going": lambda: True,
            "cancel": cancel,
        },
    )
    player.start()
    seen = 0
    try:
        while player.is_alive() and runner.published.main.day < 300:
            snap = runner.published.main
            assert len(snap.frame) == snap.day == int(snap.frame["day"].iloc[-1] if snap.day else 0)
            assert snap.states.size == snap.n_consumers
            seen += 1
    finally:
        cancel.set()
        player.join()
    assert seen > 100 and runner.day >= 300


def test_the_handover_delivers_the_newest_picture_and_the_last_one_on_exit():
    delivered: list[int] = []
    first_started, release = threading.Event(), threading.Event()

    def deliver(published):
        delivered.append(published)
        if published == 1:
            first_started.set()
            release.wait(5)  # a slow render

    with Handover(deliver) as handover:
        handover.offer(1)
        first_started.wait(5)
        for k in (2, 3, 4):  # offered while the first is still rendering
            handover.offer(k)
        release.set()
        handover.offer(5)
    assert delivered[0] == 1 and delivered[-1] == 5 and len(delivered) <= 3
    assert delivered == sorted(delivered)
