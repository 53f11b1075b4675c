"""What every Personalize resource shares: wording, lifecycles, lookups (also the wording of
personalize-runtime and personalize-events)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ...account import Account, Request
from ...declarations import Body, Derived, Dialect, ResourceType, require_status
from ...lifecycle import Lifecycle, Process
from ...store import Resource

DIALECT = Dialect(
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


def resource_type(
    kind: str,
    arn: str,
    key: str,
    seconds: float,
    *,
    label: str = "",
    unique_name: bool = False,
    create: Process | None = CREATE,
    delete: Process | None = DELETE,
    taggable: bool = True,
    resting: tuple[str, ...] = (),
    extra: Callable[[], object] | None = None,
    derived: tuple[tuple[str, Derived], ...] = (),
    indexed: tuple[str, ...] = (),
) -> ResourceType:
    """A Personalize resource type; by default with the usual create and delete processes.
    ``unique_name``: its name is unique in the account though its ARN does not hold it."""
    life = Lifecycle(create=create, delete=delete, seconds=seconds, resting=resting)
    return ResourceType(
        kind,
        DIALECT,
        arn,
        key,
        life,
        unique_name=unique_name,
        label=label,
        taggable=taggable,
        extra=extra,
        derived=derived,
        indexed=indexed,
    )


def require_active(rtype: ResourceType, resource: Resource, *, code: str | None = None) -> Resource:
    """The resource, refused unless it is ACTIVE (in use, unless the call documents ``code``)."""
    require_status(rtype, resource, ("ACTIVE",), code=code)
    return resource


def active(request: Request, rtype: ResourceType, arn: str) -> Resource:
    """The named resource, which must exist (not found) and be ACTIVE (in use)."""
    return require_active(rtype, request.find(rtype, arn))


def update_in_flight(rtype: ResourceType, resource: Resource, field: str) -> str | None:
    """Why a resource cannot change now: its latest update (kept in ``field``) is in flight."""
    update = resource.attrs.get(field)
    if update is not None and update["status"] in IN_FLIGHT:
        return f"The {rtype.title} {resource.arn} has an update {update['status']}."
    return None


def newest(
    account: Account, rtype: ResourceType, statuses: Iterable[str] | None = None, **equal: str
) -> Resource | None:
    """The newest resource of ``rtype`` (in one of ``statuses``) whose members equal ``equal``."""
    wanted = frozenset(statuses) if statuses is not None else None
    return account.having(rtype, **equal).newest(wanted)


def any_of(
    request: Request, rtype: ResourceType, statuses: Iterable[str], **equal: str
) -> Resource | None:
    """The first resource of ``rtype`` in one of ``statuses`` whose members equal ``equal``."""
    return request.account.having(rtype, **equal).first(frozenset(statuses))


def with_defaults(params_copy: Body, **defaults: object) -> Body:
    """A copy of given members with the service's documented defaults filled in."""
    for name, value in defaults.items():
        params_copy.setdefault(name, value)
    return params_copy


def plain_name(name: str) -> str:
    """A field or property name as Personalize compares them: without case or underscores."""
    return name.replace("_", "").lower()


Fields = tuple[Mapping[str, Any], ...]
"""A schema's Avro fields, read-only."""


def schema_fields(schema: Resource) -> Fields:
    """The fields of a stored schema (its Avro text was checked when it was created)."""
    return _fields_of(schema.attrs["schema"])


@functools.lru_cache(maxsize=256)
def _fields_of(text: str) -> Fields:
    """The fields of a schema text, read once per text (callers only read them)."""
    return tuple(json.loads(text)["fields"])
