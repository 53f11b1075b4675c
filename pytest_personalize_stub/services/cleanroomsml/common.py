"""What every Clean Rooms ML resource shares: wording, lifecycles, identifiers."""

from __future__ import annotations

import string

from ...engine import Dialect, ResourceType
from ...lifecycle import Lifecycle, Process

DIALECT = Dialect(
    service="cleanroomsml",
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
    tags_as_list=False,
    too_many_tags="ValidationException",
    too_many_tag_keys="ValidationException",
)

CREATE = Process(("CREATE_PENDING", "CREATE_IN_PROGRESS"), "ACTIVE", "CREATE_FAILED")
"""CREATE_PENDING > CREATE_IN_PROGRESS > ACTIVE -or- CREATE_FAILED."""

DELETE = Process(("DELETE_PENDING", "DELETE_IN_PROGRESS"), None, "DELETE_FAILED")
"""DELETE_PENDING > DELETE_IN_PROGRESS > gone -or- DELETE_FAILED."""

ID_ALPHABET = string.ascii_letters + string.digits
ID_LENGTH = 22


def resource_type(
    kind: str, path: str, key: str, seconds: float, *, label: str = "", unique_name: bool = False
) -> ResourceType:
    """A Clean Rooms ML resource type that walks the create and delete processes."""
    life = Lifecycle(create=CREATE, delete=DELETE, seconds=seconds)
    return ResourceType(kind, DIALECT, path, key, life, unique_name=unique_name, label=label)


def synchronous_type(
    kind: str, path: str, key: str, *, label: str = "", unique_name: bool = False
) -> ResourceType:
    """A Clean Rooms ML resource type that is ACTIVE at once and gone at once when deleted."""
    life = Lifecycle(create=None, delete=None, seconds=0)
    return ResourceType(kind, DIALECT, path, key, life, unique_name=unique_name, label=label)
