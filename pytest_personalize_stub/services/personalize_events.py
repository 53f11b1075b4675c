"""personalize-events: interactions, items, users and actions recorded into datasets.

Accepted records are kept with their dataset (:mod:`.personalize.contents`), so tests can
assert on them and the runtime can recommend what it finds there: PutItems, PutUsers and
PutActions records by id, PutEvents' interactions in the Interactions dataset of the tracker's
group, PutActionInteractions' in the Action_Interactions dataset whose ``trackingId`` was
given.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..account import Request
from ..declarations import Body, invalid, not_found
from ..errors import ServiceError
from ..operations import Served, Service, given
from ..store import Resource
from . import PERSONALIZE_EVENTS
from .personalize.common import DIALECT, plain_name, require_active
from .personalize.contents import (
    RECORD_IDS,
    add_events,
    dataset_fields,
    group_dataset,
    put_records,
    received_interactions,
)
from .personalize.resources import DATASET, EVENT_TRACKER

EVENT_RESERVED = frozenset(
    {"userid", "sessionid", "eventtype", "timestamp", "recommendationid", "impression"}
)
"""Keys an event's properties may not use, in any case (model)."""

ACTION_EVENT_TYPES = ("Viewed", "Taken", "Not Taken")
"""The event types of an action interaction (model)."""


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
    fields = dataset_fields(request.account, dataset)
    if fields is None:
        return None
    return frozenset(plain_name(field["name"]) for field in fields)


def put_events(request: Request) -> Body:
    params = request.params
    tracking_id = params["trackingId"]
    tracker = request.account.having(EVENT_TRACKER, trackingId=tracking_id).first()
    if tracker is None or tracker.status != "ACTIVE":
        raise ServiceError(
            DIALECT.validation_error,
            f"The trackingId {tracking_id} does not belong to an ACTIVE event tracker.",
        )
    group = tracker.attrs["datasetGroupArn"]
    dataset = group_dataset(request.account, group, "INTERACTIONS")
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
    add_events(dataset, accepted, once=True)
    received_interactions(request.account, group, request.now)
    return {}


def _putter(dataset_type: str, member: str, key: str) -> Served:
    """PutItems, PutUsers or PutActions: records of one dataset type, replaced by id."""

    def handler(request: Request) -> Body:
        params = request.params
        arn = params["datasetArn"]
        dataset = request.account.store.get(DATASET.kind, arn)
        if dataset is None:
            raise not_found(DATASET, arn)
        if dataset.attrs.get("datasetType") != dataset_type:
            raise invalid(
                DATASET,
                f"The dataset {arn} is a {dataset.attrs.get('datasetType')} dataset; "
                f"{request.operation} needs a {dataset_type} dataset.",
            )
        require_active(DATASET, dataset)
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
        put_records(dataset, accepted)
        return {}

    return Served(handler)


def put_action_interactions(request: Request) -> Body:
    params = request.params
    tracking_id = params["trackingId"]
    dataset = request.account.having(
        DATASET, trackingId=tracking_id, datasetType="ACTION_INTERACTIONS"
    ).first()
    if dataset is None:
        raise ServiceError(
            DIALECT.not_found,
            f"No Action_Interactions dataset has the trackingId {tracking_id}.",
        )
    require_active(DATASET, dataset)
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
    add_events(dataset, accepted)
    received_interactions(request.account, dataset.attrs["datasetGroupArn"], request.now)
    return {}


SERVICE = Service(
    PERSONALIZE_EVENTS,
    DIALECT,
    (),
    {
        "PutEvents": Served(put_events),
        **{
            f"Put{kind.title()}": _putter(kind, kind.lower(), key)
            for kind, key in RECORD_IDS.items()
        },
        "PutActionInteractions": Served(put_action_interactions),
    },
)
