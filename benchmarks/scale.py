"""How the fake's costs grow with the number of resources it holds."""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc
from dataclasses import dataclass
from typing import Any

from timing import time_calls

SMALL, LARGE = 10, 10_000


@dataclass
class Scale:
    """Per-call medians (us) with ``count`` dataset groups in one account."""

    count: int
    describe: float
    list_page: float
    quiet_advance: float
    """One call after moving the clock by a second in which nothing changes status."""


@dataclass
class Transitions:
    """Moving the clock over ``count`` resources in flight, all of which change status."""

    count: int
    changes: int
    seconds: float

    @property
    def per_change_us(self) -> float:
        return self.seconds / self.changes * 1e6


def _account() -> Any:
    """A fake account without a dataset group quota."""
    from pytest_personalize_stub.config import StubConfig
    from pytest_personalize_stub.controller import PersonalizeStub

    return PersonalizeStub(StubConfig.model_validate({"quotas": {"dataset_groups": 10**9}}))


def scale(count: int, samples: int) -> tuple[Scale, Transitions]:
    """Describe, a list page of 10 and a quiet clock step with ``count`` groups in flight;
    then the cost per status change when the clock passes all of them."""
    from pytest_personalize_stub.intercept import activated

    stub = _account()
    with activated(stub):
        client = stub.client("personalize")
        arns = [
            client.create_dataset_group(name=f"group-{n}")["datasetGroupArn"] for n in range(count)
        ]
        stub.calls.clear()
        middle = arns[count // 2]
        reset = stub.calls.clear
        describe = time_calls(
            lambda: client.describe_dataset_group(datasetGroupArn=middle), samples, reset
        )
        list_page = time_calls(lambda: client.list_dataset_groups(maxResults=10), samples, reset)

        def quiet_step() -> None:
            stub.clock.advance(seconds=0.000001)
            client.describe_dataset_group(datasetGroupArn=middle)

        quiet = time_calls(quiet_step, samples, reset, warm_up_s=0.2)
        changes = sum(_steps_left(group.status) for group in stub.state.store.all("dataset_group"))
        start = time.perf_counter()
        stub.settle()
        seconds = time.perf_counter() - start
    return Scale(count, describe.median, list_page.median, quiet.median), Transitions(
        count, changes, seconds
    )


def _steps_left(status: str | None) -> int:
    """Status changes still ahead of a dataset group in its create process (then done)."""
    from pytest_personalize_stub.services.personalize.resources import DATASET_GROUP

    process = DATASET_GROUP.lifecycle.create
    assert process is not None
    if status == process.done:
        return 0
    return len(process.steps) - process.steps.index(status)


def bytes_per_resource(count: int = LARGE) -> tuple[float, float]:
    """Traced bytes per dataset group held by the fake: in flight, and once ACTIVE."""
    from pytest_personalize_stub.intercept import activated

    stub = _account()
    with activated(stub):
        client = stub.client("personalize")
        client.create_dataset_group(name="warm-up")
        stub.calls.clear()
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for index in range(count):
            client.create_dataset_group(name=f"group-{index}")
            if index % 1000 == 0:
                stub.calls.clear()
        stub.calls.clear()
        gc.collect()
        in_flight = (tracemalloc.get_traced_memory()[0] - before) / count
        stub.settle()
        gc.collect()
        settled = (tracemalloc.get_traced_memory()[0] - before) / count
        tracemalloc.stop()
    return in_flight, settled


def main() -> None:
    """Print one process's figures for ``count`` resources as JSON."""
    count, samples = int(sys.argv[1]), int(sys.argv[2])
    measured, moves = scale(count, samples)
    print(
        json.dumps(
            {
                "describe": measured.describe,
                "list_page": measured.list_page,
                "quiet_advance": measured.quiet_advance,
                "per_change_us": moves.per_change_us,
                "changes": moves.changes,
                "seconds": moves.seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
