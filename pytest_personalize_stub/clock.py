"""The fake's clock: `time.time()` plus an offset, so time-travel tools move it too."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone


class Clock:
    """What time the fake believes it is.

    The reading is ``time.time()`` plus an offset that only grows. Because ``time.time`` is
    looked up at every reading, freezegun's and time-machine's travel move this clock exactly
    as ``advance()`` does.
    """

    def __init__(self) -> None:
        self._offset = 0.0

    def time(self) -> float:
        """Seconds since the epoch, as the fake sees them."""
        return time.time() + self._offset

    def now(self) -> datetime:
        """The fake's present moment, an aware UTC datetime."""
        return datetime.fromtimestamp(self.time(), timezone.utc)

    def advance(
        self,
        delta: timedelta | float | None = None,
        *,
        seconds: float = 0,
        minutes: float = 0,
        hours: float = 0,
        days: float = 0,
    ) -> datetime:
        """Move the fake's time forward (statuses move with it) and return the new now."""
        if isinstance(delta, timedelta):
            step = delta.total_seconds()
        elif delta is None:
            step = 0.0
        elif isinstance(delta, (int, float)) and not isinstance(delta, bool):
            step = float(delta)
        else:
            raise TypeError(f"advance() takes a timedelta or a number of seconds, not {delta!r}")
        step += seconds + 60 * minutes + 3600 * hours + 86400 * days
        if step < 0:
            raise ValueError(f"the fake's clock only moves forward; advance() got {step} seconds")
        self._offset += step
        return self.now()

    def advance_to(self, epoch: float) -> None:
        """Move forward to an absolute instant (no-op when it is already past)."""
        gap = epoch - self.time()
        if gap > 0:
            self._offset += gap
