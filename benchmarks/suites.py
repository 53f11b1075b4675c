"""Whole pytest runs of generated suites, in fresh processes: what a test suite pays."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent / "tests"


def with_tests() -> dict[str, str]:
    """This process's environment with the project's ``tests`` folder first on PYTHONPATH, so
    the processes started with it import the suite's flows as ``support.*``."""
    paths = [str(TESTS_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


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

HEADER = """
import pytest
from freezegun import freeze_time
from support.flows import deployed_campaign
"""

EMPTY = """
{decorator}
@pytest.mark.parametrize("n", range({tests}))
def test_case(n):
    pass
"""

FIXTURES = """
{decorator}
@pytest.mark.parametrize("n", range({tests}))
def test_case(n, personalize_stub, personalize_client):
    pass
"""

CAMPAIGN = """
{decorator}
@pytest.mark.parametrize("n", range({tests}))
def test_case(n, personalize_stub, personalize_client):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    assert personalize_client.describe_campaign(campaignArn=campaign)["campaign"]["status"] == (
        "ACTIVE"
    )
"""
"""Dataset group -> dataset -> solution -> version -> ACTIVE campaign, through ``settle()``
(the tests' own flow; the suite runs with ``tests`` on PYTHONPATH, see ``with_tests``)."""

FROZEN = '@freeze_time("2026-01-01")'


@dataclass
class Run:
    """One pytest run: wall seconds, and seconds per test after the first."""

    wall: float
    per_test: float
    until_first: float


def run_suite(body: str, tests: int, repeats: int) -> Run:
    """The quickest of ``repeats`` runs of a generated suite of ``tests`` tests."""
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "conftest.py").write_text(TIMING_CONFTEST)
        Path(folder, "test_generated.py").write_text(HEADER + body.format(tests=tests))
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "test_generated.py",
                ],
                check=True,
                capture_output=True,
                cwd=folder,
                env=with_tests(),
            )
            wall = time.perf_counter() - start
            timing = json.loads(Path(folder, "timing.json").read_text())
            per_test = (timing["last"] - timing["first"]) / (timing["count"] - 1)
            runs.append(Run(wall, per_test, timing["first"] - start))
    return Run(
        min(r.wall for r in runs), min(r.per_test for r in runs), min(r.until_first for r in runs)
    )


def suites(tests: int, repeats: int) -> dict[str, Run]:
    """Empty tests, tests with the fixtures, tests deploying a campaign; each also with
    freezegun's ``freeze_time`` on every test, the way users freeze time."""
    bodies = {"empty": EMPTY, "fixtures": FIXTURES, "campaign": CAMPAIGN}
    runs = {}
    for frozen in (False, True):
        for name, body in bodies.items():
            decorator = FROZEN if frozen else ""
            text = body.format(decorator=decorator, tests="{tests}")
            runs[f"{name} frozen" if frozen else name] = run_suite(text, tests, repeats)
    return runs


COLLECTED = """
import pytest


@pytest.mark.parametrize("n", range(100))
def test_case(n):
    pass
"""


def collection_overhead(repeats: int) -> tuple[float, float]:
    """What the installed plugin adds to ``pytest --co`` of a project that does not use it:
    milliseconds of wall time (quickest runs with and without ``-p no:personalize_stub``,
    interleaved), and milliseconds spent importing the plugin's modules (``-X importtime``)."""
    times: dict[bool, list[float]] = {True: [], False: []}
    command = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider"]
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_plain.py").write_text(COLLECTED)
        for _ in range(repeats):
            for loaded in (True, False):
                extra = [] if loaded else ["-p", "no:personalize_stub"]
                start = time.perf_counter()
                subprocess.run([*command, *extra], check=True, capture_output=True, cwd=folder)
                times[loaded].append(time.perf_counter() - start)
        traced = subprocess.run(
            [sys.executable, "-X", "importtime", *command[1:]],
            check=True,
            capture_output=True,
            text=True,
            cwd=folder,
        ).stderr
    own_us = sum(
        int(line.split("|")[0].split(":")[1])
        for line in traced.splitlines()
        if line.startswith("import time:") and "pytest_personalize_stub" in line
    )
    return (min(times[True]) - min(times[False])) * 1000, own_us / 1000
