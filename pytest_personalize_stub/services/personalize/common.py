"""What every Personalize resource shares: wording, lifecycles, lookups."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ...engine import Body, Dialect, Request, ResourceType, State, in_use
from ...lifecycle import Lifecycle, Process
from ...store import Resource

DIALECT = Dialect(
    service="personalize",
    arn_service="personalize",
    validation_error="InvalidInputException",
    not_found="ResourceNotFoundException",
    already_exists="ResourceAlreadyExistsException",
    in_use="ResourceInUseException",
    invalid_token="InvalidNextTokenException",
    limit_exceeded="LimitExceededException",
    created="creationDateTime",
    updated="lastUpdatedDateTime",
    failure=lambda reason: {"failureReason": reason},
)

CREATE = Process(("CREATE PENDING", "CREATE IN_PROGRESS"), "ACTIVE", "CREATE FAILED")
"""CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED (also used by updates)."""

DELETE = Process(("DELETE PENDING", "DELETE IN_PROGRESS"), None)
"""DELETE PENDING > DELETE IN_PROGRESS > gone."""

IN_FLIGHT = frozenset(CREATE.steps)
"""Statuses of a resource that is still being created."""

ALIVE = IN_FLIGHT | {"ACTIVE"}
"""Statuses of a resource that is being created or is active."""

HEX = "0123456789abcdef"

INTERACTIONS_AT = "interactions_at"
"""Where a dataset group remembers when it last received interaction data."""


def received_interactions(state: State, group_arn: str, at: float) -> None:
    """Note that a dataset group received interaction data (bulk or streamed) at ``at``."""
    group = state.store.get("dataset_group", group_arn)
    if group is not None:
        group.extra[INTERACTIONS_AT] = at


def resource_type(
    kind: str,
    arn: str,
    key: str,
    seconds: float,
    *,
    label: str = "",
    create: Process | None = CREATE,
    delete: Process | None = DELETE,
    taggable: bool = True,
    resting: tuple[str, ...] = (),
) -> ResourceType:
    """A Personalize resource type; by default with the usual create and delete processes."""
    life = Lifecycle(create=create, delete=delete, seconds=seconds, resting=resting)
    return ResourceType(kind, DIALECT, arn, key, life, label=label, taggable=taggable)


def active(request: Request, rtype: ResourceType, arn: str) -> Resource:
    """The named resource, which must exist (not found) and be ACTIVE (in use)."""
    resource = request.find(rtype, arn)
    if resource.status != "ACTIVE":
        raise_in_use(rtype, resource, "ACTIVE")
    return resource


def update_in_flight(rtype: ResourceType, resource: Resource, field: str) -> str | None:
    """Why a resource cannot change now: its latest update (kept in ``field``) is in flight."""
    update = resource.attrs.get(field)
    if update is not None and update["status"] in IN_FLIGHT:
        return f"The {rtype.title} {resource.arn} has an update {update['status']}."
    return None


def raise_in_use(rtype: ResourceType, resource: Resource, wanted: str) -> None:
    """Refuse because a resource is not (yet) in the status the call needs."""
    raise in_use(
        rtype,
        f"The {rtype.title} {resource.arn} is {resource.status}; it must be {wanted}.",
    )


def name_of(arn: str) -> str:
    """The last path segment of an ARN."""
    return arn.rsplit("/", 1)[-1]


def newest(
    state: State, rtype: ResourceType, statuses: Iterable[str] | None = None, **equal: str
) -> Resource | None:
    """The newest resource of ``rtype`` (in one of ``statuses``) whose attributes equal ``equal``."""
    wanted = frozenset(statuses) if statuses is not None else None
    for resource in state.store.newest_first(rtype.kind):
        if (wanted is None or resource.status in wanted) and all(
            resource.attrs.get(key) == value for key, value in equal.items()
        ):
            return resource
    return None


def any_of(
    request: Request, rtype: ResourceType, statuses: Iterable[str], **equal: str
) -> Resource | None:
    """The first resource of ``rtype`` in one of ``statuses`` whose attributes equal ``equal``."""
    wanted = frozenset(statuses)
    for resource in request.state.store.all(rtype.kind):
        if resource.status in wanted and all(
            resource.attrs.get(k) == v or resource.extra.get(k) == v for k, v in equal.items()
        ):
            return resource
    return None


def with_defaults(params_copy: Body, **defaults: object) -> Body:
    """A copy of given members with the service's documented defaults filled in."""
    for name, value in defaults.items():
        params_copy.setdefault(name, value)
    return params_copy


def plain_name(name: str) -> str:
    """A field or property name as Personalize compares them: without case or underscores."""
    return name.replace("_", "").lower()


def schema_fields(schema: Resource) -> list[Body]:
    """The fields of a stored schema (its Avro text was checked when it was created)."""
    fields: list[Body] = json.loads(schema.attrs["schema"])["fields"]
    return fields


def dataset_fields(state: State, dataset: Resource) -> list[Body] | None:
    """The fields of the schema a dataset uses now; None if that schema is gone."""
    from .resources import SCHEMA  # resources builds on this module

    schema = state.store.get(SCHEMA.kind, dataset.attrs.get("schemaArn", ""))
    return schema_fields(schema) if schema is not None else None
