"""The fake's clock: `time.time()` plus an offset, so time-travel tools move it too."""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta, timezone
from typing import Any

LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc).timestamp()
"""The fake's time stays before this instant, so every moment it hands out is a datetime and
every status change it schedules (at most :data:`LONGEST` ahead) is one too."""

LONGEST = 100 * 365 * 86400.0
"""The longest span a configured duration may have: a century, in seconds."""


class Clock:
    """What time the fake believes it is.

    The reading is ``time.time()`` plus an offset that only grows. Because ``time.time`` is
    looked up at every reading, freezegun's and time-machine's travel move this clock exactly
    as ``advance()`` does. The fake's time never goes back: while the time source reads
    earlier than a moment the fake has already shown (a travel backwards), the clock holds
    at that moment until the source passes it again, so the travel leaves no lasting offset.
    """

    def __init__(self, *, still: bool = False) -> None:
        self._offset = 0.0
        self._latest = -math.inf
        self._base = time.time() if still else None
        self.still = still
        """Whether the clock stands still but for ``advance()`` and ``settle()`` (it then
        ignores ``time.time()``, whose reading it took when it was made)."""

    def time(self) -> float:
        """Seconds since the epoch, as the fake sees them."""
        base = self._base
        reading = (time.time() if base is None else base) + self._offset
        if reading < self._latest:
            return self._latest
        self._latest = reading
        return reading

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
        """Move the fake's time forward (statuses move with it) and return the new now.

        A negative, infinite or NaN amount, or one that would take the clock past the year
        9000, raises ``ValueError`` and leaves the clock where it was.
        """
        if isinstance(delta, timedelta):
            step = delta.total_seconds()
        elif delta is None:
            step = 0.0
        elif _is_number(delta):
            step = _finite("advance()", "the delta", delta)
        else:
            raise TypeError(f"advance() takes a timedelta or a number of seconds, not {delta!r}")
        for name, value, unit in (
            ("seconds", seconds, 1),
            ("minutes", minutes, 60),
            ("hours", hours, 3600),
            ("days", days, 86400),
        ):
            step += _finite("advance()", name, value) * unit
        if step < 0:
            raise ValueError(f"the fake's clock only moves forward; advance() got {step} seconds")
        self._move(step, "advance() by {} seconds", step)
        return self.now()

    def advance_to(self, epoch: float) -> None:
        """Move forward to an absolute instant (no-op when it is already past)."""
        gap = epoch - self.time()
        if gap > 0:
            self._move(gap, "moving to {}", epoch)

    def _move(self, step: float, what: str, amount: float) -> None:
        """Move forward by ``step`` seconds; ``what.format(amount)`` names the move in the
        error that refuses it (worded only then: writing out a float is costly)."""
        target = self.time() + step
        if not target < LATEST:
            raise ValueError(
                f"{what.format(amount)} would take the fake's clock past {_moment(LATEST)}; "
                "the clock is unchanged"
            )
        self._offset += step
        self._latest = target


def sleep_seconds(seconds: Any) -> float:
    """The length of a virtual ``time.sleep``/``asyncio.sleep``, checked as ``time.sleep`` would
    check it, except that NaN and infinity are refused with ``ValueError`` too."""
    if not _is_number(seconds):
        raise TypeError(f"sleep length must be a number of seconds, not {seconds!r}")
    length = _finite("sleep()", "the length", seconds)
    if length < 0:
        raise ValueError("sleep length must be non-negative")
    return length


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finite(call: str, name: str, value: Any) -> float:
    if not _is_number(value):
        raise TypeError(f"{call}: {name} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{call}: {name} must be a finite number, not {value!r}")
    return number


def _moment(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()
