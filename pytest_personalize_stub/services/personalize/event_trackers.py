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
    account = request.account
    in_group = account.having(EVENT_TRACKER, datasetGroupArn=group.arn).first()
    named = account.store.by_name(EVENT_TRACKER.kind, params["name"])
    if in_group is not None and (named is None or in_group.seq <= named.seq):
        raise ServiceError(
            DIALECT.already_exists,
            f"The dataset group {group.arn} already has an event tracker: {in_group.arn}.",
        )
    if named is not None:
        raise ServiceError(
            DIALECT.already_exists,
            f"An event tracker named {params['name']} already exists: {named.arn}.",
        )
    attrs = given(params, "name", "datasetGroupArn")
    attrs["accountId"] = request.account.account_id
    attrs["trackingId"] = request.account.new_uuid()
    tracker = request.create(
        EVENT_TRACKER,
        attrs,
        name=params["name"],
        tags=params.get("tags"),
        id=request.account.new_id(HEX, 8),
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
