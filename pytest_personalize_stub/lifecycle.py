"""Status machines described as data, and the timeline that plays them in time order."""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

PENDING_SHARE = 0.1
"""Share of a process's duration spent in its first (pending) status."""


@dataclass(frozen=True)
class Process:
    """A walk through statuses: each of ``steps`` in turn, then ``done`` or ``failed``.

    ``done=None`` means the resource is gone at the end (a delete).
    """

    steps: tuple[str, ...]
    done: str | None
    failed: str | None = None

    def step_times(self, start: float, seconds: float) -> list[tuple[float, str]]:
        """When each later step begins: the first takes 10 %, the others share the rest."""
        steps = self.steps
        if len(steps) == 1:
            return []
        first_end = start + seconds * PENDING_SHARE
        if len(steps) == 2:  # the usual PENDING > IN_PROGRESS
            return [(first_end, steps[1])]
        share = seconds * (1 - PENDING_SHARE) / (len(steps) - 1)
        return [(first_end + share * i, status) for i, status in enumerate(steps[1:])]

    @property
    def transitional(self) -> frozenset[str]:
        """The statuses a resource is in while this process runs."""
        return frozenset(self.steps)


@dataclass(frozen=True)
class Lifecycle:
    """How a resource type's status moves: its create, delete and other named processes."""

    create: Process | None
    ready: str = "ACTIVE"
    delete: Process | None = None
    seconds: float = 60.0
    delete_seconds: float = 60.0
    resting: tuple[str, ...] = ()
    """Other statuses a resource may rest in and be deleted from (e.g. INACTIVE)."""

    @property
    def settled(self) -> frozenset[str]:
        """Statuses from which a resource may be deleted: ready, failed or resting."""
        failed = {self.create.failed} if self.create and self.create.failed else set()
        return frozenset({self.ready, *failed, *self.resting})


Action = Callable[[float], None]


class Timeline:
    """Future status changes, applied strictly in time order as the clock passes them.

    A change made with ``settles=False`` (a recurring schedule, such as automatic training)
    still happens when the clock passes it, but ``settle()`` does not wait for it.

    Each change that ``settle()`` waits for has a generation: 0 when a call or a background
    schedule made it, one more than its maker's when another such change made it. A schedule
    that feeds itself shows as generations that keep growing (see :attr:`deepest`), while
    however many changes one change makes at once are all of the next generation.
    """

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Action, int | None]] = []
        self.next_at = math.inf
        """When the earliest change is due (infinity when none is): a caller that reads the
        clock before ``next_at`` has nothing to apply and need not call :meth:`run_until`."""
        self._settling: list[float] = []
        self._order = itertools.count()
        self._making: int | None = None
        """The generation of the change being applied (None outside one, or a background one)."""
        self.deepest = 0
        """The highest generation of a change applied since it was last set (``settle()``
        sets it to 0 when it begins)."""

    def at(self, due: float, action: Action, *, settles: bool = True) -> None:
        """Run ``action(due)`` once the clock reaches ``due``."""
        making = self._making
        generation = (0 if making is None else making + 1) if settles else None
        heap = self._heap
        heapq.heappush(heap, (due, next(self._order), action, generation))
        self.next_at = heap[0][0]
        if settles:
            heapq.heappush(self._settling, due)

    def run_until(self, now: float) -> int:
        """Apply every change due by ``now``, earliest first, including ones they schedule;
        return how many ``settle()`` waits for were applied."""
        heap = self._heap
        if not heap or heap[0][0] > now:  # the usual call: nothing due
            return 0
        applied = 0
        try:
            while heap and heap[0][0] <= now:
                due, _, action, generation = heapq.heappop(heap)
                if generation is not None:
                    heapq.heappop(self._settling)
                    applied += 1
                    self.deepest = max(self.deepest, generation)
                self._making = generation
                action(due)
        finally:
            self._making = None
            self.next_at = heap[0][0] if heap else math.inf
        return applied

    def next_due(self) -> float | None:
        """When the next change that ``settle()`` waits for is due, or None."""
        return self._settling[0] if self._settling else None

    @property
    def waiting(self) -> int:
        """How many changes ``settle()`` still waits for."""
        return len(self._settling)

    def upcoming(self, count: int) -> list[str]:
        """The next ``count`` changes ``settle()`` waits for, described, earliest first."""
        due = heapq.nsmallest(count, (entry for entry in self._heap if entry[3] is not None))
        return [repr(getattr(action, "__self__", action)) for _, _, action, _ in due]
