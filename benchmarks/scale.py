"""How the fake's costs grow with what its account holds.

Each measure compares the same call in a small and a large setting, one block of each in
turn in interleaved rounds (the first dropped as warm-up), so that the machine's drift falls
on both alike:

- DescribeDatasetGroup and a quiet clock step (one in which nothing changes status) with 10
  and with 10,000 dataset groups in flight;
- ListDatasetGroups, page 1 and page 50 (pages of 100) of 10,000 groups;
- PutEvents into an Interactions dataset as its first events, and with 10,000 recorded;
- creates counted by a per-group quota (raised) into an empty group, and into a group that
  holds 1,000 of them.

``settle()`` of 100,000 dataset groups in flight runs on its own; the bytes a resource takes
are measured with tracemalloc (``bytes_per_resource``).

    python benchmarks/scale.py BLOCK ROUNDS    # one JSON line: {measure: {side: [us, ...]}}
    python benchmarks/scale.py settle COUNT    # one JSON line: settle() of COUNT groups
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cases import ITEM_IDS, RECIPE, Params, Parents, no_limits
from timing import time_block

SMALL, LARGE = 10, 10_000
PAGE, DEEP_PAGE = 100, 50
HELD = 1_000
"""Children the large side's dataset group holds before its creates are measured."""
RECORDED = 10_000
"""Events the large side's Interactions dataset holds before PutEvents is measured."""
SETTLED = 100_000
"""Dataset groups in flight when ``settle()`` is timed."""


@dataclass
class Side:
    """One setting of a measure: the account it runs in, the call and its parameters."""

    parents: Parents
    call: Callable[..., Any]
    params: Callable[[int], list[Params]]

    def block(self, size: int) -> float:
        from pytest_personalize_stub.intercept import activated

        stub = self.parents.stub
        with activated(stub):
            params = self.params(size)
            stub.calls.clear()
            return time_block(self.call, params)


def _groups(count: int) -> Parents:
    """An account with ``count`` dataset groups in flight (its clock still)."""
    from pytest_personalize_stub.intercept import activated

    parents = Parents(no_limits())
    with activated(parents.stub):
        for n in range(count):
            parents.personalize.create_dataset_group(name=f"group-{n}")
            if n % 1000 == 0:
                parents.stub.calls.clear()
        parents.stub.calls.clear()
    return parents


def _describe(parents: Parents) -> Side:
    listed = parents.stub.state.store.all("dataset_group")
    middle = sorted(group.arn for group in listed)[len(listed) // 2]
    return Side(
        parents,
        parents.personalize.describe_dataset_group,
        lambda n: [{"datasetGroupArn": middle}] * n,
    )


def _quiet_step(parents: Parents) -> Side:
    describe = _describe(parents)
    [params] = describe.params(1)

    def step() -> None:
        parents.stub.clock.advance(seconds=0.000001)
        describe.call(**params)

    return Side(parents, step, lambda n: [{}] * n)


def _page(parents: Parents, number: int) -> Side:
    """ListDatasetGroups' page ``number`` (pages of ``PAGE``), its token fetched once."""
    from pytest_personalize_stub.intercept import activated

    params: Params = {"maxResults": PAGE}
    with activated(parents.stub):
        for _ in range(number - 1):
            params["nextToken"] = parents.personalize.list_dataset_groups(**params)["nextToken"]
    return Side(parents, parents.personalize.list_dataset_groups, lambda n: [dict(params)] * n)


def _events(parents: Parents, tracking_id: str, start: int, n: int) -> list[Params]:
    return [
        {
            "trackingId": tracking_id,
            "userId": "u-1",
            "sessionId": "s-1",
            "eventList": [
                {"eventType": "click", "itemId": ITEM_IDS[i % 50], "sentAt": 1714564800 + i}
            ],
        }
        for i in range(start, start + n)
    ]


def _put_events(parents: Parents, recorded: int) -> Side:
    """PutEvents of new interactions: into a new group's dataset each block (its first
    events), or into one that holds ``recorded`` events (and the blocks before)."""
    from pytest_personalize_stub.intercept import activated

    put = parents.events.put_events
    if not recorded:
        return Side(
            parents,
            put,
            lambda n: _events(parents, parents.fresh_tracker(parents.fresh_shops(1)[0]), 0, n),
        )
    with activated(parents.stub):
        tracking_id = parents.fresh_tracker(parents.fresh_shops(1)[0])
        for start in range(0, recorded, 10):
            batch = _events(parents, tracking_id, start, 10)
            put(**{**batch[0], "eventList": [b["eventList"][0] for b in batch]})
            if start % 1000 == 0:
                parents.stub.calls.clear()
    sent = [recorded]

    def params(n: int) -> list[Params]:
        start, sent[0] = sent[0], sent[0] + n
        return _events(parents, tracking_id, start, n)

    return Side(parents, put, params)


@dataclass(frozen=True)
class GroupCreate:
    """A create counted by a per-group quota."""

    operation: str
    method: str
    params: Callable[[Parents, str], Params]
    group: dict[str, str]


GROUP_CREATES = (
    GroupCreate(
        "CreateSolution",
        "create_solution",
        lambda p, g: {
            "name": p.name("solution"),
            "datasetGroupArn": g,
            "recipeArn": RECIPE + "aws-user-personalization",
        },
        {},
    ),
    GroupCreate(
        "CreateFilter",
        "create_filter",
        lambda p, g: {
            "name": p.name("filter"),
            "datasetGroupArn": g,
            "filterExpression": 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
        },
        {},
    ),
    GroupCreate(
        "CreateRecommender",
        "create_recommender",
        lambda p, g: {
            "name": p.name("recommender"),
            "datasetGroupArn": g,
            "recipeArn": RECIPE + "aws-ecomm-recommended-for-you",
        },
        {"domain": "ECOMMERCE"},
    ),
)


def _group_create(parents: Parents, create: GroupCreate, held: int) -> Side:
    """``create`` into a new empty group each call, or into one that holds ``held``."""
    from pytest_personalize_stub.intercept import activated

    call = getattr(parents.personalize, create.method)
    if not held:
        return Side(
            parents,
            call,
            lambda n: [create.params(parents, g) for g in parents.fresh_shops(n, **create.group)],
        )
    with activated(parents.stub):
        full = parents.fresh_shops(1, **create.group)[0]
        for _ in range(held):
            call(**create.params(parents, full))
        parents.stub.settle()
        parents.stub.calls.clear()
    return Side(parents, call, lambda n: [create.params(parents, full) for _ in range(n)])


def measures() -> dict[str, tuple[Side, Side]]:
    """Every measure's small and large side."""
    small, large = _groups(SMALL), _groups(LARGE)
    quotas = Parents(no_limits())
    pairs = {
        "DescribeDatasetGroup": (_describe(small), _describe(large)),
        "quiet clock step + DescribeDatasetGroup": (_quiet_step(small), _quiet_step(large)),
        "ListDatasetGroups": (_page(large, 1), _page(large, DEEP_PAGE)),
        "PutEvents": (_put_events(quotas, 0), _put_events(quotas, RECORDED)),
    }
    for create in GROUP_CREATES:
        pairs[create.operation] = (
            _group_create(quotas, create, 0),
            _group_create(quotas, create, HELD),
        )
    return pairs


def measure(block: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Block medians (us) of each measure's small and large side, one of each a round."""
    pairs = measures()
    results: dict[str, dict[str, list[float]]] = {
        name: {"small": [], "large": []} for name in pairs
    }
    for round_index in range(rounds + 1):
        for name, (small, large) in pairs.items():
            sides = [("small", small), ("large", large)]
            for side, measured in sides if round_index % 2 else reversed(sides):
                median = measured.block(block)
                if round_index:
                    results[name][side].append(median)
    return results


def settle(count: int = SETTLED) -> dict[str, float]:
    """Seconds ``settle()`` takes over ``count`` dataset groups in flight, and the status
    changes it applies."""
    from pytest_personalize_stub.intercept import activated

    parents = _groups(count)
    stub = parents.stub
    with activated(stub):
        changes = stub.state.timeline.waiting
        start = time.perf_counter()
        stub.settle()
        seconds = time.perf_counter() - start
        active = sum(group.status == "ACTIVE" for group in stub.state.store.all("dataset_group"))
    assert active == count, f"{active} of {count} groups ACTIVE after settle()"
    return {"count": count, "seconds": seconds, "changes": changes}


def bytes_per_resource(count: int = LARGE) -> tuple[float, float]:
    """Traced bytes per dataset group held by the fake: in flight, and once ACTIVE (at rest),
    with no recorded calls."""
    from pytest_personalize_stub.intercept import activated

    stub = no_limits()
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
    if sys.argv[1] == "settle":
        print(json.dumps(settle(int(sys.argv[2]))))
    else:
        print(json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))))


if __name__ == "__main__":
    main()
