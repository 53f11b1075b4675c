"""Eight threads share one fake: nothing lost, duplicated or half-written.

Code under test may poll or deploy from worker threads; the fake serves each call whole
under one lock (see ``docs/how-it-works.md``), so concurrent calls behave as some order of
the same calls made one after another.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from support.schemas import INTERACTIONS_SCHEMA

THREADS = 8
CALLS_PER_THREAD = 1000
ROUNDS = CALLS_PER_THREAD // 5
"""Each round makes five calls: create, describe, list, tag, and create or delete."""


def listed(client: Any, operation: str, key: str, arn_key: str) -> list[str]:
    """Every ARN a paginated List answers, in order, duplicates kept."""
    pages = client.get_paginator(operation).paginate(PaginationConfig={"PageSize": 37})
    return [item[arn_key] for page in pages for item in page[key]]


@pytest.mark.personalize_stub(quotas={"dataset_groups": THREADS * ROUNDS, "schemas": 10**6})
def test_eight_threads_of_mixed_calls_lose_and_duplicate_nothing(
    personalize_stub, personalize_client
):
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []
    groups: list[list[str]] = [[] for _ in range(THREADS)]
    kept_schemas: list[list[str]] = [[] for _ in range(THREADS)]
    deleted_schemas: list[list[str]] = [[] for _ in range(THREADS)]
    calls_before = len(personalize_stub.calls)

    def work(index: int) -> None:
        own = personalize_stub.client("personalize")
        client = own if index % 2 else personalize_client
        try:
            start.wait()
            for round_ in range(ROUNDS):
                name = f"t{index}-r{round_}"
                group = client.create_dataset_group(name=name)["datasetGroupArn"]
                groups[index].append(group)
                described = client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]
                assert described["name"] == name and described["datasetGroupArn"] == group
                client.list_dataset_groups(maxResults=5)
                client.tag_resource(
                    resourceArn=group, tags=[{"tagKey": "thread", "tagValue": str(index)}]
                )
                if round_ % 2 == 0:
                    schema = client.create_schema(name=name, schema=INTERACTIONS_SCHEMA)
                    kept_schemas[index].append(schema["schemaArn"])
                else:
                    doomed = kept_schemas[index].pop()
                    client.delete_schema(schemaArn=doomed)
                    deleted_schemas[index].append(doomed)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(THREADS)]
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch_interval)

    assert failures == []
    assert len(personalize_stub.calls) - calls_before == THREADS * CALLS_PER_THREAD
    created = [arn for arns in groups for arn in arns]
    assert len(created) == len(set(created)) == THREADS * ROUNDS
    every_group = listed(
        personalize_client, "list_dataset_groups", "datasetGroups", "datasetGroupArn"
    )
    assert sorted(every_group) == sorted(created)
    for index, arns in enumerate(groups):
        for arn in arns[:: ROUNDS // 4]:
            tags = personalize_client.list_tags_for_resource(resourceArn=arn)["tags"]
            assert tags == [{"tagKey": "thread", "tagValue": str(index)}]
    kept = [arn for arns in kept_schemas for arn in arns]
    gone = [arn for arns in deleted_schemas for arn in arns]
    assert sorted(listed(personalize_client, "list_schemas", "schemas", "schemaArn")) == sorted(
        kept
    )
    for arn in gone[::THREADS]:
        with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
            personalize_client.describe_schema(schemaArn=arn)

    personalize_stub.settle()
    statuses = {
        group["status"]
        for page in personalize_client.get_paginator("list_dataset_groups").paginate()
        for group in page["datasetGroups"]
    }
    assert statuses == {"ACTIVE"}


def test_clock_moves_from_another_thread_while_calls_are_served(
    personalize_stub, personalize_client
):
    """A thread advancing the clock never leaves a resource between statuses."""
    group = personalize_client.create_dataset_group(name="moving")["datasetGroupArn"]
    done = threading.Event()
    seen: list[str] = []

    def advance() -> None:
        for _ in range(200):
            personalize_stub.clock.advance(seconds=1)
        done.set()

    mover = threading.Thread(target=advance)
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        mover.start()
        while not done.is_set():
            seen.append(
                personalize_client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"][
                    "status"
                ]
            )
        mover.join()
    finally:
        sys.setswitchinterval(switch_interval)
    order = ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
    assert set(seen) <= set(order)
    assert [order.index(status) for status in seen] == sorted(order.index(s) for s in seen)
    final = personalize_client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]
    assert final["status"] == "ACTIVE"
