"""Event trackers (PutEvents' tracking ids): at most one per dataset group."""

from __future__ import annotations

from ...account import Request
from ...declarations import Body, Quota
from ...errors import ServiceError
from ...operations import Served, creating, deletion, describe, given, listing
from .common import DIALECT, HEX, active
from .resources import DATASET_GROUP, EVENT_TRACKER


def create_event_tracker(request: Request) -> Body:
    params = request.params
    group = active(request, DATASET_GROUP, params["datasetGroupArn"])
    for tracker in request.account.store.all(EVENT_TRACKER.kind):
        if tracker.attrs["datasetGroupArn"] == group.arn:
            raise ServiceError(
                DIALECT.already_exists,
                f"The dataset group {group.arn} already has an event tracker: {tracker.arn}.",
            )
        if tracker.attrs["name"] == params["name"]:
            raise ServiceError(
                DIALECT.already_exists,
                f"An event tracker named {params['name']} already exists: {tracker.arn}.",
            )
    attrs = given(params, "name", "datasetGroupArn")
    attrs["accountId"] = request.account.account_id
    attrs["trackingId"] = request.account.new_uuid()
    tracker = request.create(
        EVENT_TRACKER, attrs, tags=params.get("tags"), id=request.account.new_id(HEX, 8)
    )
    return {"eventTrackerArn": tracker.arn, "trackingId": attrs["trackingId"]}


QUOTAS: tuple[Quota, ...] = ()
"""The documented quotas of this family (one tracker per group answers AlreadyExists)."""


def operations() -> dict[str, Served]:
    """The event tracker operations."""
    return {
        "CreateEventTracker": creating(EVENT_TRACKER, create_event_tracker),
        "DescribeEventTracker": describe(EVENT_TRACKER, "eventTracker"),
        "ListEventTrackers": listing(EVENT_TRACKER, "eventTrackers", ("datasetGroupArn",)),
        "DeleteEventTracker": deletion(EVENT_TRACKER),
    }
