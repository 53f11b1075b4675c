"""How the benchmark times single calls: warm-up, blocks, medians."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

BLOCK = 1000
"""Calls per timed block; ``reset`` runs (untimed) between blocks."""

WARM_UP_S = 1.0
"""Seconds of untimed calls before each measure: the machine's clock speed and Python's
caches settle, so the figures are the steady state a test suite sees after its first calls."""


class Timing:
    """Per-call times of one measure: the median of all samples and of the quietest block."""

    def __init__(self, samples_ns: list[int]) -> None:
        self.median = statistics.median(samples_ns) / 1000
        blocks = [samples_ns[i : i + BLOCK] for i in range(0, len(samples_ns), BLOCK)]
        self.best_block = min(statistics.median(block) for block in blocks) / 1000


def time_calls(
    call: Callable[[], Any],
    samples: int,
    reset: Callable[[], None] | None = None,
    warm_up_s: float | None = None,
) -> Timing:
    """Time ``samples`` single calls, in blocks of 1,000, after a warm-up of ``warm_up_s``
    (``WARM_UP_S`` unless given).

    ``reset`` runs untimed before each block: a test rarely makes more calls, and the fake
    keeps every call it served (``personalize_stub.calls``) until its test ends. The quietest
    block shows the cost without the noise of other work on the machine.
    """
    warm_until = time.perf_counter() + (WARM_UP_S if warm_up_s is None else warm_up_s)
    while time.perf_counter() < warm_until:
        call()
    if reset is not None:
        reset()
    times = []
    clock = time.perf_counter_ns
    for index in range(samples):
        if reset is not None and index % BLOCK == 0:
            reset()
        start = clock()
        call()
        times.append(clock() - start)
    return Timing(times)


def time_block(call: Callable[..., Any], params: Sequence[Mapping[str, Any]]) -> float:
    """Median microseconds of ``call(**p)`` for each ``p`` of ``params``, one call at a time
    (the parameters are made beforehand, untimed)."""
    times = []
    clock = time.perf_counter_ns
    for given in params:
        start = clock()
        call(**given)
        times.append(clock() - start)
    return statistics.median(times) / 1000
