"""What every Clean Rooms ML resource shares: wording, lifecycles, identifiers, scopes."""

from __future__ import annotations

import functools
import string
import uuid
from collections.abc import Callable

from ...account import Account, Request
from ...declarations import Body, Dialect, ResourceType, not_found
from ...lifecycle import Lifecycle, Process
from ...operations import Served
from ...store import Resource

DIALECT = Dialect(
    arn_service="cleanrooms-ml",
    validation_error="ValidationException",
    not_found="ResourceNotFoundException",
    already_exists="ConflictException",
    in_use="ConflictException",
    invalid_token="ValidationException",
    limit_exceeded="ServiceQuotaExceededException",
    created="createTime",
    updated="updateTime",
    failure=lambda reason: {"statusDetails": {"statusCode": "FAILED", "message": reason}},
    not_found_message="Resource {arn} not found.",
    already_exists_message="Resource {arn} already exists.",
    tag_pair=None,
    too_many_tags="ValidationException",
    too_many_tag_keys="ValidationException",
    quota_members=lambda name, limit: {"quotaName": name, "quotaValue": float(limit)},
)

CREATE = Process(("CREATE_PENDING", "CREATE_IN_PROGRESS"), "ACTIVE", "CREATE_FAILED")
"""CREATE_PENDING > CREATE_IN_PROGRESS > ACTIVE -or- CREATE_FAILED."""

DELETE = Process(("DELETE_PENDING", "DELETE_IN_PROGRESS"), None, "DELETE_FAILED")
"""DELETE_PENDING > DELETE_IN_PROGRESS > gone -or- DELETE_FAILED."""

DELETE_DATA = Process(("DELETE_PENDING", "DELETE_IN_PROGRESS"), "INACTIVE", "DELETE_FAILED")
"""DELETE_PENDING > DELETE_IN_PROGRESS > INACTIVE -or- DELETE_FAILED: the record stays."""

CANCEL = Process(("CANCEL_PENDING", "CANCEL_IN_PROGRESS"), "INACTIVE", "CANCEL_FAILED")
"""CANCEL_PENDING > CANCEL_IN_PROGRESS > INACTIVE -or- CANCEL_FAILED."""

IN_FLIGHT = frozenset(CREATE.steps)
"""Statuses of a resource or job that is still being created ("pending or in progress")."""

ALIVE = IN_FLIGHT | {"ACTIVE"}
"""Statuses of a resource that is being created or is active."""

ID_ALPHABET = string.ascii_letters + string.digits
ID_LENGTH = 22

COLLABORATION_NAMESPACE = uuid.UUID("6c1e0e0a-8b1d-4c55-9c3e-2f0d3a7c9b41")
"""Namespace of the collaboration ids derived from membership ids."""

IN_MEMBERSHIP = ("membershipIdentifier", "collaborationIdentifier")
"""The members a membership-scoped resource is listed and counted by."""

MEMBERSHIPS = "membership"
"""Store kind of the memberships a test placed in a collaboration of its choice."""


def resource_type(
    kind: str,
    path: str,
    key: str,
    seconds: float,
    *,
    label: str = "",
    unique_name: bool = False,
    create: Process | None = CREATE,
    delete: Process | None = DELETE,
    resting: tuple[str, ...] = (),
    taggable: bool = True,
    extra: Callable[[], object] | None = None,
    indexed: tuple[str, ...] = (),
) -> ResourceType:
    """A Clean Rooms ML resource type that walks the create and delete processes (by default
    the family's; None for a resource that is there, or gone, at once)."""
    life = Lifecycle(create=create, delete=delete, seconds=seconds, resting=resting)
    return ResourceType(
        kind,
        DIALECT,
        path,
        key,
        life,
        unique_name=unique_name,
        label=label,
        taggable=taggable,
        extra=extra,
        indexed=indexed,
    )


def synchronous_type(
    kind: str,
    path: str,
    key: str,
    *,
    label: str = "",
    unique_name: bool = False,
    extra: Callable[[], object] | None = None,
    indexed: tuple[str, ...] = (),
) -> ResourceType:
    """A Clean Rooms ML resource type that is ACTIVE at once and gone at once when deleted."""
    return resource_type(
        kind,
        path,
        key,
        0,
        create=None,
        delete=None,
        label=label,
        unique_name=unique_name,
        extra=extra,
        indexed=indexed,
    )


def new_id(request: Request) -> str:
    """A fresh 22-character resource id."""
    return request.account.new_id(ID_ALPHABET, ID_LENGTH)


def collaboration_of(state: Account, membership: str) -> str:
    """The collaboration a membership belongs to: the one it joined, else one derived from it.

    Memberships live in the separate Clean Rooms service; every well-formed membership id is
    accepted and, unless a test placed it with :func:`join_collaboration`, maps to its own
    deterministic collaboration id.
    """
    joined = state.store.get(MEMBERSHIPS, membership)
    if joined is not None:
        collaboration: str = joined.attrs["collaborationIdentifier"]
        return collaboration
    return _derived_collaboration(membership)


@functools.lru_cache(maxsize=1024)
def _derived_collaboration(membership: str) -> str:
    """The deterministic collaboration id of a membership no test placed."""
    return str(uuid.uuid5(COLLABORATION_NAMESPACE, membership))


def join_collaboration(state: Account, membership: str, collaboration: str) -> None:
    """Place a membership in a collaboration (so several memberships can share one)."""
    joined = state.store.get(MEMBERSHIPS, membership)
    if joined is None:
        state.store.add(MEMBERSHIPS, membership, {"collaborationIdentifier": collaboration})
    else:
        joined.attrs["collaborationIdentifier"] = collaboration


def membership_attrs(request: Request, membership: str) -> Body:
    """What every membership-scoped resource records about where it lives and who made it."""
    return {
        "membershipIdentifier": membership,
        "collaborationIdentifier": collaboration_of(request.account, membership),
        "creatorAccountId": request.account.account_id,
    }


def usable(request: Request, rtype: ResourceType, arn: str, membership: str) -> Resource:
    """A resource a membership can use: it exists in the membership's collaboration."""
    resource = request.find(rtype, arn)
    visible(request, rtype, resource, membership)
    return resource


def visible(request: Request, rtype: ResourceType, resource: Resource, membership: str) -> None:
    """Refuse a resource of another collaboration as not found: the membership cannot see it."""
    if resource.attrs.get("collaborationIdentifier") != collaboration_of(
        request.account, membership
    ):
        raise not_found(rtype, resource.attrs.get(rtype.key, resource.arn))


def scoped(rtype: ResourceType, scope: str, operation: Served) -> Served:
    """``operation`` on a resource that must belong to the membership or collaboration the
    request names in ``scope``; one that belongs elsewhere is not found there."""

    def handler(request: Request) -> Body:
        arn = request.params[rtype.key]
        if request.find(rtype, arn).attrs.get(scope) != request.params[scope]:
            raise not_found(rtype, arn)
        return operation.handler(request)

    return Served(handler, operation.rules, operation.walks)
