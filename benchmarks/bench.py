"""Benchmark of pytest-personalize-stub, side by side with moto in one run.

Run: ``python benchmarks/bench.py`` (add ``--quick`` for a shorter run). It prints the
fake's median per-call time for a describe and a create, the per-test fixture overhead,
the same describe through moto's ``mock_aws``, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGETS_US = {"describe": 25.0, "create": 100.0, "fixture overhead": 1000.0}

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from flows import INTERACTIONS_SCHEMA as SCHEMA
from flows import deployed_campaign

BLOCK = 1000
"""Calls per timed block; the fake's recorded calls are cleared (untimed) between blocks."""

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
    call: Callable[[], Any], samples: int, reset: Callable[[], None] | None = None
) -> Timing:
    """Time ``samples`` single calls, in blocks of 1,000, after a warm-up of ``WARM_UP_S``.

    ``reset`` runs untimed before each block: a test rarely makes more calls, and the fake
    keeps every call it served (``personalize_stub.calls``) until its test ends. The quietest
    block shows the cost without the noise of other work on the machine.
    """
    warm_until = time.perf_counter() + WARM_UP_S
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


def fake_calls(samples: int) -> dict[str, Timing]:
    """Per-call medians of the fake (describe campaign, describe schema, create)."""
    from pytest_personalize_stub.clients import fixture_client
    from pytest_personalize_stub.config import StubConfig
    from pytest_personalize_stub.controller import PersonalizeStub
    from pytest_personalize_stub.intercept import activated

    config = StubConfig.model_validate({"quotas": {"dataset_groups": 10**9}})
    stub = PersonalizeStub(config)
    with activated(stub):
        client = fixture_client("personalize", "us-east-1")
        campaign = deployed_campaign(stub, client)["campaignArn"]
        schema = client.create_schema(name="bench-schema", schema=SCHEMA)["schemaArn"]
        names = (f"group-{n}" for n in range(10**9))
        results = {
            "describe": time_calls(
                lambda: client.describe_campaign(campaignArn=campaign), samples, stub.calls.clear
            ),
            "describe schema": time_calls(
                lambda: client.describe_schema(schemaArn=schema), samples, stub.calls.clear
            ),
            "create": time_calls(
                lambda: client.create_dataset_group(name=next(names)), samples, stub.calls.clear
            ),
        }
    return results


def moto_describe(samples: int) -> Timing:
    """Median DescribeSchema through moto's ``mock_aws`` (moto serves Personalize schemas)."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client(
            "personalize",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        schema = client.create_schema(name="bench-schema", schema=SCHEMA)["schemaArn"]
        return time_calls(lambda: client.describe_schema(schemaArn=schema), samples)


SUITE = """
import pytest

@pytest.mark.parametrize("n", range({tests}))
def test_case(n{fixture}):
    pass
"""

TIMING_CONFTEST = """
import json
import time

finished = []


def pytest_runtest_logfinish(nodeid, location):
    finished.append(time.perf_counter())


def pytest_sessionfinish(session):
    with open("timing.json", "w") as out:
        json.dump({"first": finished[0], "last": finished[-1], "count": len(finished)}, out)
"""
"""Records when the first and the last test finished, so process start-up does not count."""


def _per_test_seconds(folder: Path, fixture: str, tests: int) -> tuple[float, float]:
    """Seconds per test after the first, and seconds until the first test finished."""
    Path(folder, "test_generated.py").write_text(SUITE.format(tests=tests, fixture=fixture))
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_generated.py"],
        check=True,
        capture_output=True,
        cwd=folder,
    )
    timing = json.loads(Path(folder, "timing.json").read_text())
    per_test = (timing["last"] - timing["first"]) / (timing["count"] - 1)
    return per_test, timing["first"] - start


def fixture_overhead(tests: int, repeats: int = 3) -> tuple[float, float]:
    """Per-test cost of ``personalize_stub`` + ``personalize_client`` after the first, and
    the extra time until the first test finished (imports, botocore's models, first client).

    The same suite of empty tests runs with and without the fixtures in fresh pytest
    processes (best of ``repeats``); a conftest times the tests themselves.
    """
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "conftest.py").write_text(TIMING_CONFTEST)
        runs: dict[str, list[tuple[float, float]]] = {"empty": [], "used": []}
        for _ in range(repeats):
            runs["empty"].append(_per_test_seconds(Path(folder), "", tests))
            runs["used"].append(
                _per_test_seconds(Path(folder), ", personalize_stub, personalize_client", tests)
            )
    per_test = min(r[0] for r in runs["used"]) - min(r[0] for r in runs["empty"])
    first = min(r[1] for r in runs["used"]) - min(r[1] for r in runs["empty"])
    return per_test * 1e6, first * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples, smaller suite")
    options = parser.parse_args()
    samples = 2000 if options.quick else 20000
    tests = 300 if options.quick else 1000

    fake = fake_calls(samples)
    moto = moto_describe(max(200, samples // 10))
    overhead, first_ms = fixture_overhead(tests)

    rows = [
        ("describe (DescribeCampaign)", fake["describe"], TARGETS_US["describe"]),
        ("describe (DescribeSchema)", fake["describe schema"], TARGETS_US["describe"]),
        ("create (CreateDatasetGroup)", fake["create"], TARGETS_US["create"]),
        ("moto mock_aws DescribeSchema", moto, None),
    ]
    print(
        f"pytest-personalize-stub benchmark (python {sys.version.split()[0]}, {os.cpu_count()} cpus)"
    )
    print(f"{'per call':32} {'median us':>10} {'best block':>11} {'target us':>10}  verdict")
    for name, timing, target in rows:
        verdict = "" if target is None else ("ok" if timing.median <= target else "MISSED")
        target_text = "" if target is None else f"{target:.0f}"
        print(
            f"{name:32} {timing.median:10.1f} {timing.best_block:11.1f} {target_text:>10}  {verdict}"
        )
    ratio = moto.median / fake["describe schema"].median
    print(f"ratio moto/fake (DescribeSchema, medians): {ratio:.1f}x")
    target = TARGETS_US["fixture overhead"]
    verdict = "ok" if overhead <= target else "MISSED"
    print(
        f"fixture overhead per test after the first: {overhead:.0f} us "
        f"(target {target:.0f} us) {verdict}"
    )
    print(f"one-time cost of the first test (imports, models, first client): {first_ms:.0f} ms")


if __name__ == "__main__":
    main()
