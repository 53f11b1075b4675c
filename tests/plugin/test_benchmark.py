"""The benchmark's own pieces measure what they claim (fast settings; figures not judged
here, except the memory target, which tracemalloc measures exactly)."""

from __future__ import annotations

import pytest

# benchmarks/ is on the path through pyproject's pythonpath option.
import scale
import suites
import timing


@pytest.fixture(autouse=True)
def no_warm_up(monkeypatch):
    monkeypatch.setattr(timing, "WARM_UP_S", 0.0)


def test_timing_reports_the_median_and_the_quietest_block():
    samples = [5_000] * timing.BLOCK + [1_000] * timing.BLOCK + [9_000] * (timing.BLOCK + 1)
    measured = timing.Timing(samples)
    assert measured.median == 5.0
    assert measured.best_block == 1.0


def test_scale_counts_every_status_change_the_clock_makes():
    """Ten new dataset groups each go CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE."""
    measured, moves = scale.scale(10, 20)
    assert moves.changes == 20
    assert moves.seconds > 0 and moves.per_change_us > 0
    assert measured.describe > 0 and measured.list_page > 0 and measured.quiet_advance > 0


def test_a_resource_takes_at_most_2_kib():
    """The issue's memory target, in flight and once ACTIVE."""
    in_flight, settled = scale.bytes_per_resource(2000)
    assert settled < in_flight <= 2048


def test_the_generated_campaign_suite_deploys_in_every_test():
    body = suites.CAMPAIGN.format(decorator=suites.FROZEN, tests="{tests}")
    run = suites.run_suite(body, tests=2, repeats=1)
    assert run.wall > run.until_first > 0
