"""Costs that stay flat however much the account holds: a deep list page, PutEvents into a
dataset that already holds thousands of events, creates counted by a per-group quota, a
filtered list; settle() over many resources in flight; the bytes a resource keeps.

Timings compare two calls on this machine in interleaved rounds and keep the quietest
round's ratio of medians, so the noise of a busy 2-core runner falls on both sides and a
flat cost passes with room to spare, while a cost that grows with the account (a scan)
fails by orders of magnitude. The benchmark (``benchmarks/scale.py``) gives the figures at
the issue's sizes.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

import pytest
from support.flows import USER_PERSONALIZATION, active_dataset, active_dataset_group

from pytest_personalize_stub.pipeline import Pipeline
from pytest_personalize_stub.services.personalize.resources import (
    DATASET,
    DATASET_GROUP,
    SOLUTION,
    DatasetExtra,
)

ROUNDS = 7
CALLS = 60


def _median_ns(call: Callable[[], Any], calls: int) -> float:
    clock = time.perf_counter_ns
    samples = []
    for _ in range(calls):
        start = clock()
        call()
        samples.append(clock() - start)
    return statistics.median(samples)


def ratio(slow: Callable[[], Any], fast: Callable[[], Any], reset: Callable[[], Any]) -> float:
    """The smallest ratio of ``slow``'s median to ``fast``'s over interleaved rounds."""
    for _ in range(10):
        slow(), fast()
    ratios = []
    for _ in range(ROUNDS):
        reset()
        fast_ns = _median_ns(fast, CALLS)
        slow_ns = _median_ns(slow, CALLS)
        ratios.append(slow_ns / fast_ns)
    return min(ratios)


def grown_to_quiet(
    stub: Any,
    setup: Callable[[], Any],
    call: Callable[[Any], Any],
    grow: Callable[[Any], Any],
) -> float:
    """The smallest ratio, over interleaved rounds, of ``call(made)``'s median in an account
    that ``grow(made)`` filled to its median in one just like it but not grown; ``made`` is
    what ``setup()`` made in each (the same, as names and ARNs are).

    The two accounts take turns as the fake's, so a burst of load from elsewhere (the other
    xdist worker) falls on both. Measured once before ``grow()`` and once after, the filtered
    list below once failed a CI run at 2.02x on load alone.
    """
    quiet = stub.pipeline
    made = setup()
    grown = Pipeline(stub.config, stub.clock)
    stub.pipeline = grown
    setup()
    grow(made)

    def served_by(pipeline: Pipeline) -> Callable[[], Any]:
        def once() -> Any:
            stub.pipeline = pipeline
            return call(made)

        return once

    def clear() -> None:
        quiet.calls.clear()
        grown.calls.clear()

    try:
        return ratio(served_by(grown), served_by(quiet), clear)
    finally:
        stub.pipeline = quiet


def groups(stub: Any, number: int) -> list[str]:
    """``number`` ACTIVE dataset groups, made directly in the account (the quickest way)."""
    state = stub.state
    now = stub.clock.time()
    arns = []
    for index in range(number):
        arn = state.arn(DATASET_GROUP, name=f"group-{index}")
        state.create(
            DATASET_GROUP, arn, {"name": f"group-{index}", "datasetGroupArn": arn}, now=now
        )
        arns.append(arn)
    stub.settle()
    return arns


def test_page_50_of_10000_resources_costs_at_most_3x_page_1(personalize_stub, personalize_client):
    groups(personalize_stub, 10_000)
    token = None
    for _ in range(49):
        token = personalize_client.list_dataset_groups(
            maxResults=100, **({"nextToken": token} if token else {})
        )["nextToken"]
    deep = personalize_client.list_dataset_groups(maxResults=100, nextToken=token)
    assert len(deep["datasetGroups"]) == 100
    assert deep["datasetGroups"][0]["name"] == "group-5099"

    measured = ratio(
        lambda: personalize_client.list_dataset_groups(maxResults=100, nextToken=token),
        lambda: personalize_client.list_dataset_groups(maxResults=100),
        personalize_stub.calls.clear,
    )
    assert measured <= 3, f"page 50 costs {measured:.1f}x page 1"


@pytest.fixture
def tracked(personalize_stub, personalize_client):
    """Two ACTIVE Interactions datasets, each with its event tracker: their tracking ids and
    datasets by name (``fresh`` and ``recorded``)."""
    tracking, datasets = {}, {}
    for name in ("fresh", "recorded"):
        group = active_dataset_group(personalize_stub, personalize_client, name)
        datasets[name] = active_dataset(
            personalize_stub, personalize_client, group, f"{name}-interactions"
        )
        tracker = personalize_client.create_event_tracker(name=name, datasetGroupArn=group)
        tracking[name] = tracker["trackingId"]
    personalize_stub.settle()
    return tracking, datasets


def test_put_events_with_10000_recorded_costs_at_most_2x_the_first(
    personalize_stub, personalize_events_client, tracked
):
    """Measured beside PutEvents into a dataset that holds next to nothing, in interleaved
    rounds (a burst of load on the machine then slows both)."""
    tracking, datasets = tracked
    sent = count()

    def put(into: str, events: int = 1) -> None:
        personalize_events_client.put_events(
            trackingId=tracking[into],
            userId="u-1",
            sessionId="s-1",
            eventList=[
                {"eventType": "click", "itemId": f"item-{n}", "sentAt": 1714564800 + n}
                for n in (next(sent) for _ in range(events))
            ],
        )

    for _ in range(1000):
        put("recorded", 10)
    personalize_stub.calls.clear()

    measured = ratio(lambda: put("recorded"), lambda: put("fresh"), personalize_stub.calls.clear)
    assert measured <= 2, f"PutEvents costs {measured:.1f}x with 10,000 events recorded"
    dataset = personalize_stub.state.store.get(DATASET.kind, datasets["recorded"])
    recorded = len(dataset.extra(DatasetExtra).events)
    assert recorded > 10_000
    sent = count()
    put("recorded", 3)
    assert len(dataset.extra(DatasetExtra).events) == recorded, "an equal event is kept once"


@pytest.mark.personalize_stub(
    quotas={"active_solutions_per_dataset_group": 10**6, "filters_per_dataset_group": 10**6}
)
@pytest.mark.parametrize("operation", ["create_solution", "create_filter"])
def test_a_create_counted_by_a_per_group_quota_costs_the_same_with_thousands_counted(
    personalize_stub, personalize_client, operation
):
    names = (f"made-{n}" for n in count())

    def create(group: str) -> None:
        if operation == "create_solution":
            personalize_client.create_solution(
                name=next(names),
                datasetGroupArn=group,
                recipeArn=USER_PERSONALIZATION,
                performAutoTraining=False,
            )
        else:
            personalize_client.create_filter(
                name=next(names),
                datasetGroupArn=group,
                filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
            )

    def fill_the_group(group: str) -> None:
        for _ in range(3000):
            create(group)

    measured = grown_to_quiet(
        personalize_stub,
        lambda: groups(personalize_stub, 1)[0],
        create,
        fill_the_group,
    )
    assert measured <= 2, f"{operation} costs {measured:.1f}x with 3,000 in the group"


def test_a_deleted_filters_fields_count_until_it_is_gone(personalize_stub, personalize_client):
    """CreateFilter counts the distinct fields of a group's filters without reading them;
    a filter being deleted still counts, a deleted one no longer does."""
    [group] = groups(personalize_stub, 1)

    def create(name: str, prefix: str) -> str:
        fields = " AND ".join(f'Items.{prefix}{n} IN ("x")' for n in range(10))
        return personalize_client.create_filter(
            name=name, datasetGroupArn=group, filterExpression=f"INCLUDE ItemID WHERE {fields}"
        )["filterArn"]

    first = create("first", "F")
    create("second", "G")
    personalize_stub.settle()
    personalize_client.delete_filter(filterArn=first)
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        create("third", "H")
    personalize_stub.settle()
    create("third", "H")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        create("fourth", "F")


def test_a_filtered_list_reads_only_its_parents_resources(personalize_stub, personalize_client):
    """ListSolutions of a group with one solution, before and after 5,000 solutions join
    other groups."""

    def make_mine() -> list[str]:
        made = groups(personalize_stub, 51)
        personalize_client.create_solution(
            name="mine", datasetGroupArn=made[0], recipeArn=USER_PERSONALIZATION
        )
        return made

    def list_mine(made: list[str]) -> None:
        listed = personalize_client.list_solutions(datasetGroupArn=made[0])["solutions"]
        assert len(listed) == 1

    def fill_other_groups(made: list[str]) -> None:
        state = personalize_stub.state
        others = made[1:]
        now = personalize_stub.clock.time()
        for index in range(5000):
            group = others[index % len(others)]
            name = f"other-{index}"
            state.create(
                SOLUTION,
                state.arn(SOLUTION, name=name),
                {"name": name, "datasetGroupArn": group},
                now=now,
            )

    measured = grown_to_quiet(personalize_stub, make_mine, list_mine, fill_other_groups)
    assert measured <= 2, f"ListSolutions of one group costs {measured:.1f}x among 5,000"


def test_settle_of_20000_in_flight_takes_a_fifth_of_the_5_s_budget(personalize_stub):
    """The issue's figure is 100,000 in under 5 s (benchmarks/scale.py settle measures it);
    here a fifth of them, made through the account, in a fifth of the time."""
    groups_in_flight = 20_000
    state = personalize_stub.state
    now = personalize_stub.clock.time()
    for index in range(groups_in_flight):
        arn = state.arn(DATASET_GROUP, name=f"g{index}")
        state.create(DATASET_GROUP, arn, {"name": f"g{index}"}, now=now + index / 1000)
    start = time.perf_counter()
    personalize_stub.settle()
    seconds = time.perf_counter() - start
    assert {group.status for group in state.store.all(DATASET_GROUP.kind)} == {"ACTIVE"}
    assert seconds < 1.0, f"settle() of {groups_in_flight} took {seconds:.2f} s"


def test_settle_waits_for_a_change_that_makes_30000_more(personalize_stub):
    """Many changes of one generation are a large schedule that ends, not a runaway."""
    timeline = personalize_stub.state.timeline
    start = personalize_stub.clock.time()
    seen = []

    def fan_out(at: float) -> None:
        for index in range(30_000):
            timeline.at(at + 1 + index / 100, seen.append)

    timeline.at(start + 1, fan_out)
    personalize_stub.settle()
    assert len(seen) == 30_000
    assert timeline.waiting == 0


def test_settle_waits_for_a_chain_of_50_changes_but_not_for_one_that_feeds_itself(
    personalize_stub,
):
    timeline = personalize_stub.state.timeline
    start = personalize_stub.clock.time()
    made = []

    def chain(at: float) -> None:
        made.append(at)
        if len(made) < 50:
            timeline.at(at + 1, chain)

    timeline.at(start + 1, chain)
    personalize_stub.settle()
    assert len(made) == 50

    def echo(at: float) -> None:
        timeline.at(at + 1, echo)

    timeline.at(personalize_stub.clock.time() + 1, echo)
    with pytest.raises(RuntimeError, match="101 generations deep"):
        personalize_stub.settle()


def test_a_background_schedule_starts_each_chain_afresh(personalize_stub):
    """Three years of weekly background runs, each starting a change settle() waits for (as
    automatic training does), never look like a schedule that feeds itself."""
    timeline = personalize_stub.state.timeline
    week = 7 * 86400.0
    trained = []

    def weekly(at: float) -> None:
        timeline.at(at + 3600, trained.append)
        timeline.at(at + week, weekly, settles=False)

    timeline.at(personalize_stub.clock.time() + week, weekly, settles=False)
    personalize_stub.clock.advance(days=3 * 365)
    personalize_stub.settle()
    assert len(trained) >= 150


def traced_bytes(
    make: Callable[[int], Any], settle: Callable[[], Any], number: int
) -> Iterator[float]:
    """Traced bytes per resource that ``make(index)`` leaves in the account: in flight, then
    once ``settle()`` made them ACTIVE."""
    make(-1)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for index in range(number):
            make(index)
        gc.collect()
        yield (tracemalloc.get_traced_memory()[0] - before) / number
        settle()
        gc.collect()
        yield (tracemalloc.get_traced_memory()[0] - before) / number
    finally:
        tracemalloc.stop()


def test_the_account_keeps_at_most_1_5_kib_a_dataset_group_in_flight_and_at_rest(
    personalize_stub,
):
    """What the engine keeps: the resource, its walk and its timeline entries."""
    state = personalize_stub.state
    names = [f"group-{index}" for index in range(-1, 3000)]

    def make(index: int) -> None:
        name = names[index + 1]
        arn = state.arn(DATASET_GROUP, name=name)
        state.create(DATASET_GROUP, arn, {"name": name, "datasetGroupArn": arn}, now=0.0)

    in_flight, at_rest = traced_bytes(make, personalize_stub.settle, 3000)
    assert in_flight <= 1536
    assert at_rest <= 1536
    assert at_rest < in_flight / 1.5, "a finished walk is forgotten"


@pytest.mark.personalize_stub(quotas={"dataset_groups": 10**6})
def test_a_dataset_group_made_through_a_client_keeps_at_most_1_5_kib_at_rest(
    personalize_stub, personalize_client
):
    """Everything the fake keeps of 3,000 CreateDatasetGroup calls, their records dropped
    (the benchmark measures 10,000, where dict growth weighs less)."""

    def make(index: int) -> None:
        personalize_client.create_dataset_group(name=f"group-{index}")
        personalize_stub.calls.clear()

    in_flight, at_rest = traced_bytes(make, personalize_stub.settle, 3000)
    assert at_rest < in_flight
    assert at_rest <= 1536
