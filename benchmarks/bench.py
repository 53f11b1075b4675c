"""Benchmark of pytest-personalize-stub, side by side with moto and botocore's Stubber.

Run: ``python benchmarks/bench.py`` (``--quick`` for a shorter, rougher run). It prints, as
Markdown tables: the per-call medians of the fake, moto's ``mock_aws`` and ``Stubber`` on the
same calls with their ratios; how costs grow from 10 to 10,000 resources; what whole pytest
runs pay (fixture overhead, 1,000 tests deploying a campaign, freezegun's ``freeze_time``);
and what the installed plugin adds to collecting a project that does not use it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent / "tests"
# A standalone script: pytest puts tests/ on the path for the suite (pyproject's pythonpath
# option), but nothing does for this entry point. The calls measured build their state with
# the suite's flows (``support.flows``), so it puts tests/ on its own path once, here, and
# hands it to the calls.py processes it starts through PYTHONPATH (see ``with_tests``).
sys.path.insert(0, str(TESTS))

from calls import PAGE
from scale import LARGE, SMALL, bytes_per_resource
from suites import collection_overhead, suites, with_tests

TARGETS = {
    "describe_us": 25.0,
    "create_us": 100.0,
    "list_us": 300.0,
    "fixture_overhead_us": 1000.0,
    "campaign_suite_extra_s": 3.0,
    "bytes_per_resource": 2048.0,
    "collection_ms": 30.0,
}
"""The figures the project promises (issue "Speed and scale")."""


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def per_call_medians(samples: int, processes: int) -> dict[str, dict[str, list[float]]]:
    """Per-call medians from ``processes`` fresh processes: ``{impl: {call: [median, ...]}}``."""
    gathered: dict[str, dict[str, list[float]]] = {}
    for _ in range(processes):
        output = subprocess.run(
            [sys.executable, str(HERE / "calls.py"), str(samples)],
            check=True,
            capture_output=True,
            text=True,
            env=with_tests(),
        ).stdout
        for impl, rows in json.loads(output.splitlines()[-1]).items():
            for call, median in rows.items():
                gathered.setdefault(impl, {}).setdefault(call, []).append(median)
    return gathered


def print_calls(samples: int, processes: int) -> None:
    gathered = per_call_medians(samples, processes)

    def typical(impl: str, call: str) -> float:
        return statistics.median(gathered[impl][call])

    def spread(impl: str, call: str) -> str:
        values = gathered[impl][call]
        return f"{min(values):.1f}-{max(values):.1f}"

    print(
        f"## Per call (us): median over {processes} fresh processes of each process's median, "
        "after a 1 s warm-up\n"
    )
    print(
        "| call | fake | fake, range | moto | Stubber | moto/fake | Stubber/fake | target "
        "| verdict |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    rows = [
        ("describe: DescribeSchema", "describe", TARGETS["describe_us"], True),
        ("create: CreateSchema", "create", TARGETS["create_us"], True),
        (f"list page of {PAGE}: ListSchemas", "list", TARGETS["list_us"], True),
        ("describe: DescribeCampaign", "describe campaign", TARGETS["describe_us"], False),
        ("create: CreateDatasetGroup", "create group", TARGETS["create_us"], False),
    ]
    for label, call, target, compared in rows:
        mine = typical("fake", call)
        others = ["", "", "", ""]
        if compared:
            theirs, stub = typical("moto", call), typical("stubber", call)
            others = [
                f"{theirs:.1f}",
                f"{stub:.1f}",
                f"{theirs / mine:.1f}x",
                f"{stub / mine:.1f}x",
            ]
        print(
            f"| {label} | {mine:.1f} | {spread('fake', call)} | {' | '.join(others)} "
            f"| {target:.0f} | {verdict(mine, target)} |"
        )
    print()


def scale_medians(count: int, samples: int, processes: int) -> dict[str, float]:
    """Scale figures for ``count`` resources: the quietest of ``processes`` fresh processes
    (each a median), since comparing two sizes needs the machine's noise out of the way."""
    gathered: dict[str, list[float]] = {}
    for _ in range(processes):
        output = subprocess.run(
            [sys.executable, str(HERE / "scale.py"), str(count), str(samples)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for key, value in json.loads(output.splitlines()[-1]).items():
            gathered.setdefault(key, []).append(value)
    return {key: min(values) for key, values in gathered.items()}


def print_scale(samples: int, processes: int) -> None:
    small = scale_medians(SMALL, samples, processes)
    large = scale_medians(LARGE, samples, processes)
    in_flight, settled = bytes_per_resource()
    print(
        f"## Scale: {SMALL} and {LARGE:,} dataset groups in one account "
        f"(us, quietest of {processes} fresh processes)\n"
    )
    print(f"| measure | {SMALL} | {LARGE:,} | ratio |")
    print("|---|---:|---:|---:|")
    for label, key in (
        ("DescribeDatasetGroup", "describe"),
        ("ListDatasetGroups, page of 10", "list_page"),
        ("clock step with no status change + a describe", "quiet_advance"),
        ("clock passing all of them: per status change", "per_change_us"),
    ):
        print(f"| {label} | {small[key]:.1f} | {large[key]:.1f} | {large[key] / small[key]:.2f} |")
    target = TARGETS["bytes_per_resource"]
    print(
        f"\nMemory (tracemalloc, {LARGE:,} groups): {in_flight:.0f} bytes per resource in "
        f"flight, {settled:.0f} once ACTIVE (target {target:.0f}: {verdict(in_flight, target)}); "
        f"settling {LARGE:,} groups made {large['changes']:,.0f} status changes in "
        f"{large['seconds'] * 1000:.0f} ms.\n"
    )


def print_suites(tests: int, repeats: int) -> None:
    runs = suites(tests, repeats)

    def per_test_us(name: str, baseline: str) -> float:
        return (runs[name].per_test - runs[baseline].per_test) * 1e6

    print(f"## Whole pytest runs ({tests:,} tests each, fresh processes, quickest of {repeats})\n")
    print("| run | wall s | per test after the first, us |")
    print("|---|---:|---:|")
    for name, run in runs.items():
        print(f"| {name} | {run.wall:.2f} | {run.per_test * 1e6:.0f} |")
    print()
    overhead = per_test_us("fixtures", "empty")
    target = TARGETS["fixture_overhead_us"]
    print(
        f"- fixture overhead per test after the first: {overhead:.0f} us "
        f"(target {target:.0f}: {verdict(overhead, target)})"
    )
    if tests == 1000:
        extra = runs["campaign"].wall - runs["empty"].wall
        how = "measured"
    else:
        first = runs["campaign"].until_first - runs["empty"].until_first
        extra = first + per_test_us("campaign", "empty") * 999 / 1e6
        how = f"extrapolated from {tests:,} tests"
    target = TARGETS["campaign_suite_extra_s"]
    print(
        f"- 1,000 tests each deploying a campaign take {extra:.2f} s more than 1,000 empty "
        f"tests ({how}; target {target:.0f} s: {verdict(extra, target)})"
    )
    print(
        f"- freezegun's freeze_time costs {per_test_us('empty frozen', 'empty'):.0f} us per "
        f"empty test and {per_test_us('fixtures frozen', 'fixtures'):.0f} us per test once "
        "boto3 is loaded (it scans every loaded module at each start); the campaign deploy "
        f"costs {per_test_us('campaign', 'fixtures'):.0f} us per test without it and "
        f"{per_test_us('campaign frozen', 'fixtures frozen'):.0f} us under it"
    )
    first = (runs["fixtures"].until_first - runs["empty"].until_first) * 1000
    print(f"- one-time cost of the first test using the fixtures: {first:.0f} ms")


def print_collection(repeats: int) -> None:
    added, imports = collection_overhead(repeats)
    target = TARGETS["collection_ms"]
    print(
        f"- the installed plugin's modules take {imports:.1f} ms to import when `pytest --co` "
        f"collects a project that does not use it (target {target:.0f}: "
        f"{verdict(imports, target)}); the quickest whole runs with and without it differ by "
        f"{added:.1f} ms, within this machine's run-to-run noise\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples, smaller suites")
    options = parser.parse_args()
    samples = 2000 if options.quick else 10000
    tests = 300 if options.quick else 1000
    repeats = 1 if options.quick else 2
    print(
        f"# pytest-personalize-stub benchmark (python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cpus)\n"
    )
    print_calls(samples, 2 if options.quick else 5)
    print_scale(max(1000, samples // 10), 1 if options.quick else 3)
    print_suites(tests, repeats)
    print_collection(3 if options.quick else 9)


if __name__ == "__main__":
    main()
