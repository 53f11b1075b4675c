"""The one builder of the Avro schemas Personalize's CreateSchema takes, and the schemas the
tests share.

A schema is an Avro record in Personalize's namespace, version 1.0 (developer guide,
"Creating schema JSON files for Amazon Personalize schemas",
https://docs.aws.amazon.com/personalize/latest/dg/how-it-works-dataset-schema.html)::

    avro_schema("Items", field("ITEM_ID"), nullable("GENRES", categorical=True))

is its text; ``avro_record`` is the same record as data, for tests that compare or take
apart what they sent. Tests that send a deliberately broken schema write it by hand.
"""

from __future__ import annotations

import json
from typing import Any

NAMESPACE = "com.amazonaws.personalize.schema"


def field(name: str, avro_type: Any = "string", **attributes: Any) -> dict[str, Any]:
    """One field: its name, its Avro type (a type name or a union list) and any attributes
    (``categorical=True``, ``default=...``)."""
    return {"name": name, "type": avro_type, **attributes}


def nullable(name: str, avro_type: Any = "string", **attributes: Any) -> dict[str, Any]:
    """A field that may be null: the union of ``"null"`` and ``avro_type``."""
    return field(name, ["null", avro_type], **attributes)


def avro_record(name: str, *fields: dict[str, Any], **members: Any) -> dict[str, Any]:
    """The record ``name`` of these fields, in Personalize's namespace and version 1.0;
    ``members`` adds or replaces top-level members."""
    record = {"type": "record", "name": name, "namespace": NAMESPACE, "fields": list(fields)}
    return {**record, "version": "1.0", **members}


def avro_schema(name: str, *fields: dict[str, Any], **members: Any) -> str:
    """The schema text of :func:`avro_record` ``(name, *fields, **members)``."""
    return json.dumps(avro_record(name, *fields, **members))


INTERACTIONS_SCHEMA = avro_schema(
    "Interactions", field("USER_ID"), field("ITEM_ID"), field("TIMESTAMP", "long")
)
"""The smallest Item interactions schema: user, item and timestamp."""

ACTION_INTERACTIONS_SCHEMA = avro_schema(
    "ActionInteractions",
    field("USER_ID"),
    field("ACTION_ID"),
    field("TIMESTAMP", "long"),
    field("EVENT_TYPE"),
)
"""The smallest Action interactions schema: user, action, timestamp and event type."""

ITEMS_SCHEMA = avro_schema("Items", field("ITEM_ID"), field("GENRE", categorical=True))
"""A small Items schema: the item and one categorical genre."""
