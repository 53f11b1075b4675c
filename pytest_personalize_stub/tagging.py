"""Tags as both services document them: at most 50 per resource, no reserved ``aws:`` keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .declarations import Dialect, ResourceType
from .errors import ServiceError

MAX_TAGS = 50
"""User tags a resource may carry (both services document 50)."""


def checked_tags(
    rtype: ResourceType, current: Mapping[str, str], added: Mapping[str, str]
) -> dict[str, str]:
    """``current`` with ``added`` applied, refused past 50 tags or for reserved ``aws:`` keys."""
    dialect = rtype.dialect
    for key in added:
        if key.lower().startswith("aws:"):
            raise ServiceError(
                dialect.validation_error, f"Tag keys starting with 'aws:' are reserved: {key}"
            )
    tags = {**current, **added}
    if len(tags) > MAX_TAGS:
        raise ServiceError(
            dialect.too_many_tags,
            f"A resource can have at most {MAX_TAGS} tags; this request would leave {len(tags)}.",
        )
    return tags


def tags_as_dict(dialect: Dialect, tags: Any) -> dict[str, str]:
    """Tags of a (checked) request, as the dialect sends them, as a map."""
    if dialect.tag_pair is None:
        return dict(tags)
    key, value = dialect.tag_pair
    return {tag[key]: tag.get(value, "") for tag in tags}


def tags_as_sent(dialect: Dialect, tags: Mapping[str, str]) -> Any:
    """A map of tags in the form the dialect answers with."""
    if dialect.tag_pair is None:
        return dict(tags)
    key_member, value_member = dialect.tag_pair
    return [{key_member: key, value_member: value} for key, value in tags.items()]
