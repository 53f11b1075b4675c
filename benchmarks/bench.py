"""Benchmark of pytest-personalize-stub, side by side with moto in one run.

Run: ``python benchmarks/bench.py`` (add ``--quick`` for a shorter run). It prints the
fake's median per-call time for a describe and a create, the per-test fixture overhead,
the same describe through moto's ``mock_aws``, and the ratios.
"""

from __future__ import annotations

import argparse
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


def median_us(call: Callable[[], Any], samples: int) -> float:
    """Median wall time of one call, in microseconds (after a warm-up)."""
    for _ in range(min(200, samples)):
        call()
    times = []
    clock = time.perf_counter_ns
    for _ in range(samples):
        start = clock()
        call()
        times.append(clock() - start)
    return statistics.median(times) / 1000


def fake_calls(samples: int) -> dict[str, float]:
    """Per-call medians of the fake (describe campaign, describe schema, create)."""
    from pytest_personalize_stub.clients import fixture_client
    from pytest_personalize_stub.controller import PersonalizeStub
    from pytest_personalize_stub.intercept import activated

    stub = PersonalizeStub()
    with activated(stub):
        client = fixture_client("personalize", "us-east-1")
        campaign = deployed_campaign(stub, client)["campaignArn"]
        schema = client.create_schema(name="bench-schema", schema=SCHEMA)["schemaArn"]
        names = (f"group-{n}" for n in range(10**9))
        results = {
            "describe": median_us(lambda: client.describe_campaign(campaignArn=campaign), samples),
            "describe schema": median_us(lambda: client.describe_schema(schemaArn=schema), samples),
            "create": median_us(lambda: client.create_dataset_group(name=next(names)), samples),
        }
        stub.calls.clear()
    return results


def moto_describe(samples: int) -> float:
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
        return median_us(lambda: client.describe_schema(schemaArn=schema), samples)


SUITE = """
import pytest

{decorator}
@pytest.mark.parametrize("n", range({tests}))
def test_case(n{fixture}):
    pass
"""


def _suite_seconds(tests: int, fixture: str) -> float:
    """Best-of-3 wall time of a fresh pytest process running ``tests`` generated tests."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "test_generated.py")
        path.write_text(SUITE.format(decorator="", tests=tests, fixture=fixture))
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
                check=True,
                capture_output=True,
                cwd=folder,
            )
            best = min(best, time.perf_counter() - start)
        return best


def fixture_overhead(tests: int) -> tuple[float, float]:
    """Per-test cost of ``personalize_stub`` + ``personalize_client`` after the first, and
    the one-time cost the first test pays (imports, botocore's models, the first client).

    Suites of ``tests`` and ``2 * tests`` empty tests run with and without the fixtures in
    fresh pytest processes; the growth from one size to the other is the per-test cost.
    """
    fixtures = ", personalize_stub, personalize_client"
    small, large = tests, 2 * tests
    empty = {n: _suite_seconds(n, "") for n in (small, large)}
    used = {n: _suite_seconds(n, fixtures) for n in (small, large)}
    per_test = ((used[large] - used[small]) - (empty[large] - empty[small])) / tests
    first = (used[small] - empty[small]) - per_test * small
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
        ("fixture overhead per test after the first", overhead, TARGETS_US["fixture overhead"]),
        ("moto mock_aws DescribeSchema", moto, None),
    ]
    print(
        f"pytest-personalize-stub benchmark (python {sys.version.split()[0]}, {os.cpu_count()} cpus)"
    )
    print(f"{'measure':44} {'median us':>10} {'target us':>10}  verdict")
    for name, value, target in rows:
        verdict = "" if target is None else ("ok" if value <= target else "MISSED")
        target_text = "" if target is None else f"{target:.0f}"
        print(f"{name:44} {value:10.1f} {target_text:>10}  {verdict}")
    print(f"ratio moto/fake (DescribeSchema): {moto / fake['describe schema']:.1f}x")
    print(f"one-time cost of the first test (imports, models, first client): {first_ms:.0f} ms")


if __name__ == "__main__":
    main()
