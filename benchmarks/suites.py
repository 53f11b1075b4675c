"""Whole pytest runs of generated suites, in fresh processes: what a test suite pays."""

from __future__ import annotations

import compileall
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TIMING_CONFTEST = """
import gc
import json
import time

finished = []
full = {"count": 0, "seconds": 0.0, "started": 0.0}


def timed_full_collections(phase, info):
    if info["generation"] != 2 or not finished:
        return
    if phase == "start":
        full["started"] = time.perf_counter()
    else:
        full["count"] += 1
        full["seconds"] += time.perf_counter() - full["started"]


gc.callbacks.append(timed_full_collections)


def pytest_runtest_logfinish(nodeid, location):
    finished.append(time.perf_counter())


def pytest_sessionfinish(session):
    with open("timing.json", "w") as out:
        json.dump(
            {
                "first": finished[0],
                "last": finished[-1],
                "count": len(finished),
                "full_collections": full["count"],
                "full_collection_s": full["seconds"],
            },
            out,
        )
"""
"""Records when the first and the last test finished, so process start-up does not count,
and the full garbage collections in between (see :class:`Run`)."""

HEADER = """
import pytest
from freezegun import freeze_time
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
    campaign = personalize_stub.build.campaign()["campaignArn"]
    assert personalize_client.describe_campaign(campaignArn=campaign)["campaign"]["status"] == (
        "ACTIVE"
    )
"""
"""Dataset group -> schema -> dataset -> import job -> solution -> version -> ACTIVE campaign,
made and settled by ``personalize_stub.build.campaign()``, then described."""

FLOOR = """
import boto3

boto3.client("personalize", region_name="us-east-1", aws_access_key_id="floor",
             aws_secret_access_key="floor")


@pytest.fixture
def stub():
    yield None


@pytest.fixture
def client(stub):
    return None


{decorator}
@pytest.mark.parametrize("n", range({tests}))
def test_case(n, stub, client):
    pass
"""
"""What the fixtures cost at the least, without the fake: two plain fixtures shaped as
``personalize_stub`` and ``personalize_client`` (a generator, and one that needs it), in a
process that has loaded boto3 and made a client (pytest then does more at every test: its
log capture looks through every logger, botocore's too, in each phase of each test)."""

FROZEN = '@freeze_time("2026-01-01")'

OTHERS_OFF = ("-p", "no:hypothesispytest")
"""Third-party plugins of the test extra that the suites leave out: hypothesis's imports
hypothesis at the terminal summary of every run (over a second here, where pytest rewrites
and compiles its modules in each process), alike in every suite, so it only adds noise."""

_spec = importlib.util.find_spec("pytest_personalize_stub")
assert _spec is not None and _spec.submodule_search_locations is not None
PACKAGE = Path(_spec.submodule_search_locations[0])
"""The plugin's package directory, as the suites' pytest processes import it."""


def compile_plugin() -> None:
    """Byte-compile the plugin's modules where they lie, as ``pip install`` leaves them. A
    checkout run with ``PYTHONDONTWRITEBYTECODE`` set (as on this project's machines) has no
    bytecode, and each process would compile the modules from source again."""
    compileall.compile_dir(str(PACKAGE), quiet=1)


@contextmanager
def without_bytecode() -> Iterator[dict[str, str]]:
    """The environment of a run whose plugin has no bytecode: a copy of its sources alone
    first on the path, and bytecode writing off (a fresh editable checkout on such a
    machine)."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(
            PACKAGE, Path(folder, PACKAGE.name), ignore=shutil.ignore_patterns("__pycache__")
        )
        path = os.pathsep.join(filter(None, [folder, os.environ.get("PYTHONPATH")]))
        yield {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass
class Run:
    """One pytest run: wall seconds, seconds per test after the first, seconds until the
    first test finished, and the full garbage collections after it (their count and seconds
    per test after the first).

    A full collection walks every object the process holds; where boto3 is loaded it takes
    some 40 ms, 40 us of a 1,000-test run's figure per test. Python runs one when the
    objects that outlived the younger collections since the last full one reach a quarter of
    those that outlived it: so whether one falls after the first test depends largely on what
    was allocated before it (a suite that imports one module more at its first test can have
    it there, inside the first test, instead).
    """

    wall: float
    per_test: float
    until_first: float
    full_collections: int = 0
    collecting_per_test: float = 0.0


def run_suite(
    body: str,
    tests: int,
    repeats: int,
    options: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
) -> Run:
    """The quickest of ``repeats`` runs of a generated suite of ``tests`` tests (pytest given
    ``options`` too, and the environment ``env`` when given)."""
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
                    *OTHERS_OFF,
                    *options,
                    "test_generated.py",
                ],
                check=True,
                capture_output=True,
                cwd=folder,
                env=env,
            )
            wall = time.perf_counter() - start
            timing = json.loads(Path(folder, "timing.json").read_text())
            after_first = timing["count"] - 1
            runs.append(
                Run(
                    wall,
                    (timing["last"] - timing["first"]) / after_first,
                    timing["first"] - start,
                    timing["full_collections"],
                    timing["full_collection_s"] / after_first,
                )
            )
    return quickest(runs)


def quickest(runs: list[Run]) -> Run:
    """The quickest figures of several runs of one suite, each figure on its own (the full
    collections of the run with the quickest figure per test)."""
    fastest = min(runs, key=lambda run: run.per_test)
    return Run(
        min(r.wall for r in runs),
        fastest.per_test,
        min(r.until_first for r in runs),
        fastest.full_collections,
        fastest.collecting_per_test,
    )


def suites(tests: int, repeats: int, frozen_repeats: int) -> dict[str, Run]:
    """Empty tests, tests with the fixtures, tests deploying a campaign; the fixtures' floor
    (:data:`FLOOR`); and the fixtures suite with the plugin's modules lacking bytecode
    (:func:`without_bytecode`), "fixtures, no bytecode". Each is run ``repeats`` times in
    interleaved rounds (every suite once a round) and its quickest figures kept, so that a
    slow spell of the machine does not fall on one suite's runs. The first ``frozen_repeats``
    rounds also run the first three with freezegun's ``freeze_time`` on every test, the way
    users freeze time (these judge no target and take several times as long)."""
    bodies = {"empty": EMPTY, "fixtures": FIXTURES, "campaign": CAMPAIGN}
    texts = {name: body.format(decorator="", tests="{tests}") for name, body in bodies.items()}
    frozen = {
        f"{name} frozen": body.format(decorator=FROZEN, tests="{tests}")
        for name, body in bodies.items()
    }
    texts["floor"] = FLOOR.format(decorator="", tests="{tests}")
    rounds: dict[str, list[Run]] = {name: [] for name in [*texts, SOURCE_ONLY, *frozen]}
    with without_bytecode() as source_only:
        for number in range(repeats):
            for name, text in texts.items():
                rounds[name].append(run_suite(text, tests, 1))
            rounds[SOURCE_ONLY].append(run_suite(texts["fixtures"], tests, 1, env=source_only))
            if number < frozen_repeats:
                for name, text in frozen.items():
                    rounds[name].append(run_suite(text, tests, 1))
    return {name: quickest(runs) for name, runs in rounds.items()}


SOURCE_ONLY = "fixtures, no bytecode"
"""The fixtures suite run with the plugin's modules compiled from source in each process."""


UNCHECKED = ("-o", "personalize_stub_assert_all_failures_fired=false")
"""The check off by the ini option (a marker would make each test build its own config)."""
NO_REPORTS = ("-p", "no:personalize_stub_reports")
"""Blocks the report hook (``personalize-stub calls``), which registers under this name."""


def strictness(tests: int, repeats: int) -> dict[str, list[Run]]:
    """The fixtures suite as it is, with the unused-rule check at teardown turned off, and
    with the report hook blocked too; ``repeats`` interleaved runs of each."""
    variants: dict[str, tuple[str, ...]] = {
        "fixtures": (),
        "check off": UNCHECKED,
        "check off, no report hook": (*UNCHECKED, *NO_REPORTS),
    }
    text = FIXTURES.format(decorator="", tests="{tests}")
    runs: dict[str, list[Run]] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, options in variants.items():
            runs[name].append(run_suite(text, tests, 1, options))
    return runs


COLLECTED = """
import pytest


@pytest.mark.parametrize("n", range(100))
def test_case(n):
    pass
"""


@dataclass
class Collection:
    """``pytest --co`` of a project that does not use the plugin, with it installed and with
    it left out (``-p no:personalize_stub``), in interleaved runs."""

    with_plugin: list[float]
    without: list[float]
    """Wall seconds of each run."""
    imports_ms: float
    """Milliseconds spent importing the plugin's modules (``-X importtime``)."""

    @property
    def added_ms(self) -> float:
        """What the plugin adds: the difference of the median runs."""
        return (statistics.median(self.with_plugin) - statistics.median(self.without)) * 1000

    @property
    def noise_ms(self) -> float:
        """This machine's run-to-run noise: the spread (interquartile range) of the runs
        without the plugin."""
        low, _, high = statistics.quantiles(self.without, n=4)
        return (high - low) * 1000


def collection_overhead(repeats: int) -> Collection:
    """What the installed plugin adds to ``pytest --co`` of a project that does not use it."""
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
    return Collection(times[True], times[False], own_us / 1000)
