"""personalize-events: interactions, items, users and actions recorded into datasets.

Accepted records are kept beside their dataset, so tests can assert on them and the runtime
can recommend what it finds there: ``extra["records"]`` maps each item, user or action id to
its properties (the parsed JSON, ``{}`` without properties; a later record with the same id
replaces it), and ``extra["events"]`` lists the interactions in arrival order (PutEvents into
the Interactions dataset of the tracker's group, PutActionInteractions into the
Action_Interactions dataset whose ``trackingId`` was given).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


from ..engine import Body, Dialect, Operation, Request, Service, given, invalid, not_found
from ..errors import ServiceError
from ..store import Resource
from .personalize.common import DIALECT as CONTROL_PLANE
from .personalize.common import (
    dataset_fields,
    plain_name,
    raise_in_use,
    received_interactions,
)
from .personalize.resources import DATASET, EVENT_TRACKER

DIALECT = Dialect(
    service="personalize-events",
    arn_service="personalize",
    validation_error="InvalidInputException",
    not_found="ResourceNotFoundException",
    already_exists=CONTROL_PLANE.already_exists,
    in_use="ResourceInUseException",
    invalid_token=CONTROL_PLANE.invalid_token,
    limit_exceeded=CONTROL_PLANE.limit_exceeded,
    created=CONTROL_PLANE.created,
    updated=CONTROL_PLANE.updated,
    failure=CONTROL_PLANE.failure,
)

EVENT_RESERVED = frozenset(
    {"userid", "sessionid", "eventtype", "timestamp", "recommendationid", "impression"}
)
"""Keys an event's properties may not use, in any case (model)."""

RECORD_IDS = {"ITEMS": "itemId", "USERS": "userId", "ACTIONS": "actionId"}
"""The catalogue dataset types PutItems, PutUsers and PutActions fill, and their id member."""

ACTION_EVENT_TYPES = ("Viewed", "Taken", "Not Taken")
"""The event types of an action interaction (model)."""


def records(dataset: Resource) -> dict[str, Body]:
    """The items, users or actions put into a dataset: id -> properties."""
    kept: dict[str, Body] = dataset.extra.setdefault("records", {})
    return kept


def events(dataset: Resource) -> list[Body]:
    """The interactions put into an Interactions or Action_Interactions dataset, oldest first."""
    kept: list[Body] = dataset.extra.setdefault("events", [])
    return kept


def group_dataset(request: Request, group_arn: str, dataset_type: str) -> Resource | None:
    """The dataset of ``dataset_type`` (e.g. ``ITEMS``) in a dataset group, if it has one."""
    for dataset in request.state.store.all(DATASET.kind):
        if (
            dataset.attrs.get("datasetGroupArn") == group_arn
            and dataset.attrs.get("datasetType") == dataset_type
        ):
            return dataset
    return None


def _properties(text: str | None, where: str, reserved: Iterable[str] = ()) -> Body:
    if text is None:
        return {}
    try:
        parsed = json.loads(text)
    except ValueError:
        raise ServiceError(
            DIALECT.validation_error, f"{where}: properties must be a JSON object string."
        ) from None
    if not isinstance(parsed, dict):
        raise ServiceError(
            DIALECT.validation_error, f"{where}: properties must be a JSON object string."
        )
    refused = sorted(key for key in parsed if key.lower() in frozenset(reserved))
    if refused:
        raise ServiceError(
            DIALECT.validation_error,
            f"{where}: properties may not use the reserved keys {', '.join(refused)}.",
        )
    return parsed


def _schema_keys(request: Request, dataset: Resource) -> frozenset[str] | None:
    """The property keys a record may carry: the schema's fields, compared without case or _."""
    fields = dataset_fields(request.state, dataset)
    if fields is None:
        return None
    return frozenset(plain_name(field["name"]) for field in fields)


def put_events(request: Request) -> Body:
    params = request.params
    tracking_id = params["trackingId"]
    tracker = next(
        (
            t
            for t in request.state.store.all(EVENT_TRACKER.kind)
            if t.attrs.get("trackingId") == tracking_id
        ),
        None,
    )
    if tracker is None or tracker.status != "ACTIVE":
        raise ServiceError(
            DIALECT.validation_error,
            f"The trackingId {tracking_id} does not belong to an ACTIVE event tracker.",
        )
    group = tracker.attrs["datasetGroupArn"]
    dataset = group_dataset(request, group, "INTERACTIONS")
    if dataset is None or dataset.status != "ACTIVE":
        raise ServiceError(
            DIALECT.validation_error,
            f"The dataset group {group} has no ACTIVE Interactions dataset to record events in.",
        )
    accepted = []
    for index, event in enumerate(params["eventList"]):
        where = f"eventList[{index}]"
        record = given(
            event,
            "eventId",
            "eventType",
            "eventValue",
            "itemId",
            "recommendationId",
            "impression",
            "metricAttribution",
        )
        record.update(given(params, "userId", "sessionId"))
        record["sentAt"] = event["sentAt"]
        record["properties"] = _properties(event.get("properties"), where, EVENT_RESERVED)
        accepted.append(record)
    stored = events(dataset)
    stored.extend(record for record in accepted if record not in stored)
    received_interactions(request.state, group, request.now)
    return {}


def _putter(dataset_type: str, member: str, key: str) -> Operation:
    """PutItems, PutUsers or PutActions: records of one dataset type, replaced by id."""

    def handler(request: Request) -> Body:
        params = request.params
        arn = params["datasetArn"]
        dataset = request.state.store.get(DATASET.kind, arn)
        if dataset is None:
            raise not_found(DATASET, arn)
        if dataset.attrs.get("datasetType") != dataset_type:
            raise invalid(
                DATASET,
                f"The dataset {arn} is a {dataset.attrs.get('datasetType')} dataset; "
                f"{request.operation} needs a {dataset_type} dataset.",
            )
        if dataset.status != "ACTIVE":
            raise_in_use(DATASET, dataset, "ACTIVE")
        allowed = _schema_keys(request, dataset)
        accepted: dict[str, Body] = {}
        for index, record in enumerate(params[member]):
            where = f"{member}[{index}]"
            properties = _properties(record.get("properties"), where)
            unknown = sorted(
                name
                for name in properties
                if allowed is not None and plain_name(name) not in allowed
            )
            if unknown:
                raise invalid(
                    DATASET,
                    f"{where}: {', '.join(unknown)} is not a field of the dataset's schema.",
                )
            accepted[record[key]] = properties
        records(dataset).update(accepted)
        return {}

    return Operation(handler)


def put_action_interactions(request: Request) -> Body:
    params = request.params
    tracking_id = params["trackingId"]
    dataset = next(
        (
            d
            for d in request.state.store.all(DATASET.kind)
            if d.attrs.get("datasetType") == "ACTION_INTERACTIONS"
            and d.attrs.get("trackingId") == tracking_id
        ),
        None,
    )
    if dataset is None:
        raise ServiceError(
            DIALECT.not_found,
            f"No Action_Interactions dataset has the trackingId {tracking_id}.",
        )
    if dataset.status != "ACTIVE":
        raise_in_use(DATASET, dataset, "ACTIVE")
    accepted = []
    for index, interaction in enumerate(params["actionInteractions"]):
        where = f"actionInteractions[{index}]"
        if interaction["eventType"] not in ACTION_EVENT_TYPES:
            raise invalid(
                DATASET,
                f"{where}: eventType must be one of {', '.join(ACTION_EVENT_TYPES)}.",
            )
        record = given(
            interaction,
            "actionId",
            "userId",
            "sessionId",
            "eventType",
            "eventId",
            "recommendationId",
            "impression",
        )
        record["timestamp"] = interaction["timestamp"]
        record["properties"] = _properties(interaction.get("properties"), where, EVENT_RESERVED)
        accepted.append(record)
    events(dataset).extend(accepted)
    received_interactions(request.state, dataset.attrs["datasetGroupArn"], request.now)
    return {}


def known_ids(
    request: Request, group_arn: str, catalog: str, interactions: str, key: str
) -> list[str]:
    """Ids a dataset group knows: put into its ``catalog`` dataset or seen in its interactions."""
    found: dict[str, None] = {}
    dataset = group_dataset(request, group_arn, catalog)
    if dataset is not None:
        found.update(dict.fromkeys(records(dataset)))
    dataset = group_dataset(request, group_arn, interactions)
    if dataset is not None:
        found.update(dict.fromkeys(e[key] for e in events(dataset) if e.get(key) is not None))
    return list(found)


SERVICE = Service(
    "personalize-events",
    DIALECT,
    (),
    {
        "PutEvents": Operation(put_events),
        **{
            f"Put{kind.title()}": _putter(kind, kind.lower(), key)
            for kind, key in RECORD_IDS.items()
        },
        "PutActionInteractions": Operation(put_action_interactions),
    },
)
