"""Event trackers: tracking ids, status walk, listing, deletion, and only one per dataset group,
as the developer guide describes them ("Creating an item interaction event tracker",
https://docs.aws.amazon.com/personalize/latest/dg/event-get-tracker.html)."""

from __future__ import annotations

import re

import pytest
from support.flows import active_dataset, active_dataset_group

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def tracker_status(client, arn):
    return client.describe_event_tracker(eventTrackerArn=arn)["eventTracker"]["status"]


@pytest.mark.personalize_stub(durations={"event_tracker": 100})
def test_event_tracker_has_a_generated_arn_and_tracking_id_and_walks_to_active(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    created = personalize_client.create_event_tracker(name="clicks", datasetGroupArn=group)
    arn = created["eventTrackerArn"]
    assert re.fullmatch(re.escape(PREFIX) + r"event-tracker/[0-9a-f]{8}", arn)
    assert UUID.fullmatch(created["trackingId"])
    assert tracker_status(personalize_client, arn) == "CREATE PENDING"
    personalize_stub.clock.advance(seconds=50)
    assert tracker_status(personalize_client, arn) == "CREATE IN_PROGRESS"
    personalize_stub.clock.advance(seconds=60)
    described = personalize_client.describe_event_tracker(eventTrackerArn=arn)["eventTracker"]
    assert described["status"] == "ACTIVE"
    assert described["accountId"] == "123456789012"
    assert described["trackingId"] == created["trackingId"]
    assert described["datasetGroupArn"] == group
    assert described["name"] == "clicks"


def test_only_one_event_tracker_per_dataset_group(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    personalize_client.create_event_tracker(name="clicks", datasetGroupArn=group)
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        personalize_client.create_event_tracker(name="views", datasetGroupArn=group)
    other = active_dataset_group(personalize_stub, personalize_client, "other")
    personalize_client.create_event_tracker(name="views", datasetGroupArn=other)


def test_event_tracker_name_is_unique_in_the_account(personalize_stub, personalize_client):
    first = active_dataset_group(personalize_stub, personalize_client, "first")
    second = active_dataset_group(personalize_stub, personalize_client, "second")
    personalize_client.create_event_tracker(name="clicks", datasetGroupArn=first)
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        personalize_client.create_event_tracker(name="clicks", datasetGroupArn=second)


def test_an_event_trackers_name_is_free_again_once_it_is_deleted(
    personalize_stub, personalize_client
):
    """AWS documents the delete states (CreateEventTracker: DELETE PENDING > DELETE
    IN_PROGRESS, https://docs.aws.amazon.com/personalize/latest/dg/API_CreateEventTracker.html)
    but not when a deleted tracker's name is free again. The fake holds a name while its
    tracker is stored, as it holds every name; this guards the store's index of unique names,
    which must let the name go with the tracker."""
    first = active_dataset_group(personalize_stub, personalize_client, "first")
    second = active_dataset_group(personalize_stub, personalize_client, "second")
    arn = personalize_client.create_event_tracker(name="clicks", datasetGroupArn=first)[
        "eventTrackerArn"
    ]
    personalize_stub.settle()
    personalize_client.delete_event_tracker(eventTrackerArn=arn)
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        personalize_client.create_event_tracker(name="clicks", datasetGroupArn=second)
    personalize_stub.settle()
    again = personalize_client.create_event_tracker(name="clicks", datasetGroupArn=second)
    assert again["eventTrackerArn"] != arn


def test_event_tracker_needs_an_existing_active_dataset_group(personalize_stub, personalize_client):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.create_event_tracker(
            name="clicks", datasetGroupArn=PREFIX + "dataset-group/missing"
        )
    pending = personalize_client.create_dataset_group(name="pending")["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.create_event_tracker(name="clicks", datasetGroupArn=pending)


def test_list_event_trackers_filters_by_dataset_group_without_tracking_ids(
    personalize_stub, personalize_client
):
    first = active_dataset_group(personalize_stub, personalize_client, "first")
    second = active_dataset_group(personalize_stub, personalize_client, "second")
    one = personalize_client.create_event_tracker(name="one", datasetGroupArn=first)
    two = personalize_client.create_event_tracker(name="two", datasetGroupArn=second)
    everything = personalize_client.list_event_trackers()["eventTrackers"]
    assert [t["eventTrackerArn"] for t in everything] == [
        two["eventTrackerArn"],
        one["eventTrackerArn"],
    ]
    assert all("trackingId" not in t for t in everything)
    narrowed = personalize_client.list_event_trackers(datasetGroupArn=first)["eventTrackers"]
    assert [t["name"] for t in narrowed] == ["one"]


def test_delete_event_tracker_walks_delete_statuses_then_frees_the_group(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    arn = personalize_client.create_event_tracker(name="clicks", datasetGroupArn=group)[
        "eventTrackerArn"
    ]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_event_tracker(eventTrackerArn=arn)
    personalize_stub.settle()
    personalize_client.delete_event_tracker(eventTrackerArn=arn)
    assert tracker_status(personalize_client, arn) == "DELETE PENDING"
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_event_tracker(eventTrackerArn=arn)
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_event_tracker(eventTrackerArn=arn)
    assert personalize_client.describe_dataset(datasetArn=dataset)["dataset"]["status"] == "ACTIVE"
    personalize_client.create_event_tracker(name="again", datasetGroupArn=group)


@pytest.mark.personalize_fail("CreateEventTracker", status="CREATE FAILED", reason="No access")
def test_event_tracker_creation_can_fail(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = personalize_client.create_event_tracker(name="clicks", datasetGroupArn=group)[
        "eventTrackerArn"
    ]
    personalize_stub.settle()
    assert tracker_status(personalize_client, arn) == "CREATE FAILED"
