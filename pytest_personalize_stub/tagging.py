"""TagResource, UntagResource and ListTagsForResource, for every taggable resource type."""

from __future__ import annotations

from .engine import (
    MAX_TAGS,
    Body,
    Dialect,
    Operation,
    Request,
    checked_tags,
    tags_as_dict,
    type_of,
)
from .errors import ServiceError
from .store import Resource


def tagging_operations(dialect: Dialect, deleting: frozenset[str]) -> dict[str, Operation]:
    """The three tag operations of a service; ``deleting`` statuses refuse changes."""

    def taggable(request: Request, *, changing: bool) -> Resource:
        arn = request.params["resourceArn"]
        resource = request.state.store.find(arn)
        if resource is None or type_of(resource).dialect is not dialect:
            raise ServiceError(dialect.not_found, dialect.not_found_message.format(arn=arn))
        rtype = type_of(resource)
        if not rtype.taggable:
            raise ServiceError(
                dialect.validation_error, f"Resources of type {rtype.title} cannot be tagged."
            )
        if changing and resource.status in deleting:
            raise ServiceError(dialect.in_use, f"{arn} is being deleted ({resource.status}).")
        return resource

    def tag(request: Request) -> Body:
        resource = taggable(request, changing=True)
        added = tags_as_dict(request.params["tags"])
        resource.tags = checked_tags(type_of(resource), resource.tags, added)
        return {}

    def untag(request: Request) -> Body:
        resource = taggable(request, changing=True)
        keys = request.params["tagKeys"]
        if len(keys) > MAX_TAGS:
            raise ServiceError(
                dialect.too_many_tag_keys, f"At most {MAX_TAGS} tag keys can be removed at once."
            )
        for key in keys:
            resource.tags.pop(key, None)
        return {}

    def listing(request: Request) -> Body:
        tags = taggable(request, changing=False).tags
        if dialect.tags_as_list:
            return {"tags": [{"tagKey": key, "tagValue": value} for key, value in tags.items()]}
        return {"tags": dict(tags)}

    return {
        "TagResource": Operation(tag),
        "UntagResource": Operation(untag),
        "ListTagsForResource": Operation(listing),
    }
