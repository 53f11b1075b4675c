"""Responses in the documented shape: a projection of stored attributes onto the output shape.

Only members of the output shape survive, containers are copied (so callers never hold the
fake's state), and timestamps become aware datetimes in the zone botocore's parser would
give for the service's protocol.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from dateutil.tz import tzlocal, tzutc

Projector = Callable[[Any], Any]

_projectors: dict[tuple[str, str], Projector] = {}
_ZONES = {"json": tzlocal()}
_UTC = tzutc()


def output_projector(service: str, operation: OperationModel) -> Projector:
    """What turns a handler's body into the operation's documented output."""
    shape = operation.output_shape
    if shape is None:
        return lambda body: {}
    zone = _ZONES.get(operation.metadata["protocol"], _UTC)
    return projector_for(service, zone, shape)


def projector_for(service: str, zone: datetime.tzinfo, shape: Shape) -> Projector:
    """The compiled projection of a shape, cached per service and shape name."""
    key = (service, shape.name)
    projector = _projectors.get(key)
    if projector is None:
        _projectors[key] = lambda value: _projectors[key](value)
        projector = _compile(service, zone, shape)
        _projectors[key] = projector
    return projector


_stamps: dict[tuple[float, int], datetime.datetime] = {}
_STAMPS_KEPT = 50_000


def _stamp(epoch: float, zone: datetime.tzinfo) -> datetime.datetime:
    """The aware datetime of an instant; remembered, as dateutil's tzlocal is slow to apply."""
    key = (epoch, id(zone))
    stamp = _stamps.get(key)
    if stamp is None:
        if len(_stamps) >= _STAMPS_KEPT:
            _stamps.clear()
        stamp = _stamps[key] = datetime.datetime.fromtimestamp(epoch, zone)
    return stamp


def _identity(value: Any) -> Any:
    return value


def _compile(service: str, zone: datetime.tzinfo, shape: Shape) -> Projector:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        members = [
            (name, projector_for(service, zone, member)) for name, member in shape.members.items()
        ]

        def structure(value: Any) -> Any:
            out = {}
            for name, project in members:
                item = value.get(name)
                if item is not None:
                    out[name] = project(item)
            return out

        return structure
    if kind == "list":
        assert isinstance(shape, ListShape)
        item_projector = projector_for(service, zone, shape.member)
        if item_projector is _identity:
            return list
        return lambda value: [item_projector(item) for item in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        value_projector = projector_for(service, zone, shape.value)
        if value_projector is _identity:
            return dict
        return lambda value: {key: value_projector(item) for key, item in value.items()}
    if kind == "timestamp":

        def timestamp(value: Any) -> datetime.datetime:
            if isinstance(value, datetime.datetime):
                return value.astimezone(zone)
            return _stamp(value, zone)

        return timestamp
    return _identity
