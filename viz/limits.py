"""What one classroom server allows: population, horizon and concurrent sessions.

A server on a class network (``socialabm viz --host 0.0.0.0``) must not let one link take it
down (``?n_consumers=1000000`` took 17 s and 630 MB for one tab). ``socialabm viz`` sets the
limits from ``--max-consumers``, ``--max-days`` and ``--max-sessions`` and hands them to the app
through the environment, like its other start-up options.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

MAX_CONSUMERS = 5000
MAX_DAYS = 1000
MAX_SESSIONS = 40

ENV = {
    "max_consumers": "SOCIALABM_VIZ_MAX_CONSUMERS",
    "max_days": "SOCIALABM_VIZ_MAX_DAYS",
    "max_sessions": "SOCIALABM_VIZ_MAX_SESSIONS",
}
"""Environment variable of each limit."""


@dataclass(frozen=True)
class Limits:
    """A server's limits.

    Attributes:
        max_consumers: Largest population a session may build (consumers).
        max_days: Longest run (its horizon, days).
        max_sessions: Browser sessions open at once; the next one gets a "server full" page.
    """

    max_consumers: int = MAX_CONSUMERS
    max_days: int = MAX_DAYS
    max_sessions: int = MAX_SESSIONS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The limits in ``env`` (default: this process's environment); defaults where unset."""
        env = os.environ if env is None else env
        given = {field: int(env[name]) for field, name in ENV.items() if env.get(name)}
        return cls(**given)

    def to_env(self) -> dict[str, str]:
        """The environment variables that :meth:`from_env` reads back."""
        return {name: str(getattr(self, field)) for field, name in ENV.items()}

    def populations(self) -> str:
        """The populations allowed here, in words (the model's lowest to this server's cap)."""
        return (
            f"a whole number of consumers from {_lowest_population():,} to "
            f"{self.max_consumers:,} (this server's limit, socialabm viz --max-consumers)"
        )

    def population_error(self, n_consumers: int) -> str | None:
        """Why ``n_consumers`` is not allowed here, or ``None`` (the range said is this
        server's, not the model's)."""
        if n_consumers > self.max_consumers:
            return (
                f"n_consumers = {n_consumers:,} is above this server's limit of "
                f"{self.max_consumers:,} consumers (socialabm viz --max-consumers)"
            )
        if n_consumers < _lowest_population():
            return f"n_consumers = {n_consumers:,} is not allowed; allowed: {self.populations()}"
        return None

    def horizon_error(self, horizon: int) -> str | None:
        """Why a run of ``horizon`` days is not allowed here, or ``None``."""
        if horizon > self.max_days:
            return (
                f"a run of {horizon:,} days (campaign_days x n_campaigns) is above this "
                f"server's limit of {self.max_days:,} days (socialabm viz --max-days)"
            )
        return None


def _lowest_population() -> int:
    """The smallest population the model's declaration allows."""
    from socialabm.parameters import PARAMETERS

    return int(PARAMETERS["n_consumers"].low or 1)


class SessionGate:
    """Counts open sessions against a limit.

    A session enters with a ``connected()`` test and leaves when its kernel closes; sessions
    whose browser is gone no longer count (a closed tab's kernel may linger for a while).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, Callable[[], bool]] = {}

    def enter(self, key: str, connected: Callable[[], bool], limit: int) -> bool:
        """Admit session ``key`` unless ``limit`` other connected sessions are open."""
        with self._lock:
            if key in self._open:
                return True
            others = sum(1 for k, alive in self._open.items() if k != key and alive())
            if others >= limit:
                return False
            self._open[key] = connected
            return True

    def leave(self, key: str) -> None:
        """Free session ``key``'s place."""
        with self._lock:
            self._open.pop(key, None)

    def count(self) -> int:
        """Connected sessions now."""
        with self._lock:
            return sum(1 for alive in self._open.values() if alive())
