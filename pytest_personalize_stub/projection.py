"""Responses in the documented shape: a projection of stored attributes onto the output shape.

Only members of the output shape survive, containers are copied (so callers never hold the
fake's state), and timestamps become aware datetimes in the zone botocore's parser would
give for the service's protocol.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from dateutil.tz import tzlocal, tzutc

from .compiled import CompiledShapes, generated
from .store import Attributes

Projector = Callable[[Any], Any]

_projectors: CompiledShapes[Projector] = CompiledShapes()
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
    return _projectors.get((service, shape.name), lambda: _compile(service, zone, shape))


_stamps: dict[int, dict[float, datetime.datetime]] = {}
"""Aware datetimes already made, per zone: dateutil's tzlocal is slow to apply."""
_STAMPS_KEPT = 50_000


_CONTAINERS = frozenset({"structure", "list", "map"})


def _identity(value: Any) -> Any:
    return value


def _remembered(project: Projector) -> Projector:
    """``project`` for a structure, remembered on stored attributes until one of their
    members is set again. The answer kept is shared: whoever hands it on copies it
    (:func:`output_copier`)."""

    def remembered(value: Any) -> Any:
        if type(value) is not Attributes:
            return project(value)
        kept = value.projections
        if kept is None:
            kept = value.projections = {}
        else:
            hit = kept.get(project)
            if hit is not None:
                return hit
        answer: dict[str, Any] = project(value)
        kept[project] = answer
        return answer

    return remembered


def _wrapping(remembered: Projector, name: str, project_member: Projector) -> Projector:
    """``remembered`` for a structure of one member, ``name`` (a Describe's answer,
    ``{"campaign": ...}``): when that member is stored attributes, the answer is remembered
    on them too, as it is made of them alone."""

    def wrapping(value: Any) -> Any:
        if len(value) != 1 or type(inner := value.get(name)) is not Attributes:
            return remembered(value)
        kept = inner.projections
        if kept is not None and (hit := kept.get(wrapping)) is not None:
            return hit
        answer = {name: project_member(inner)}
        kept = inner.projections  # the member's projection made it, if it was missing
        if kept is None:
            kept = inner.projections = {}
        kept[wrapping] = answer
        return answer

    return wrapping


_kept_under: dict[Projector, Projector] = {}
"""The key each remembered structure projection keeps its answers under."""


def _remembered_entries(project: Projector, key: Projector) -> Projector:
    """The projection of a list of remembered structures: when every entry is stored
    attributes with its answer kept (a list page of unchanged resources), the kept answers,
    read without a call per entry (a comprehension: the interpreter specializes its
    attribute and key reads, which ``attrgetter`` and ``itemgetter`` maps do not get)."""

    def entries(value: Any) -> Any:
        try:
            return [entry.projections[key] for entry in value]
        except (AttributeError, TypeError, KeyError):  # an entry with no answer kept
            return list(map(project, value))

    return entries


def output_copier(service: str, operation: OperationModel) -> Projector:
    """What copies a projected output of the operation for its caller, so no caller holds
    what the fake keeps."""
    shape = operation.output_shape
    return dict.copy if shape is None else copier_for(service, shape)


def copier_for(service: str, shape: Shape) -> Projector:
    """What copies a projected answer of a shape: its containers anew, its values shared."""
    return _copiers.get((service, shape.name), lambda: _compile_copier(service, shape))


_copiers: CompiledShapes[Projector] = CompiledShapes()


Nested = tuple[tuple[str, Projector], ...]


def _nested_copiers(service: str, shape: StructureShape) -> Nested:
    """The members of a structure that are containers, each with its copier."""
    return tuple(
        (name, copier_for(service, member))
        for name, member in shape.members.items()
        if member.type_name in _CONTAINERS
    )


def _copy_nested(out: dict[str, Any], nested: Nested) -> None:
    """Replace the ``nested`` members of a structure's (shallow) copy by copies of theirs
    (as a structure's copier does, for the entries of a list)."""
    for name, copy in nested:
        item = out.get(name)
        if item is not None:
            out[name] = copy(item)


def _compile_copier(service: str, shape: Shape) -> Projector:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if not _nested_copiers(service, shape):
            return dict.copy
        return _structure_copier(service, shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        member = shape.member
        if member.type_name not in _CONTAINERS:
            return list.copy
        if isinstance(member, StructureShape) and (entries := _nested_copiers(service, member)):
            names = frozenset(name for name, _ in entries)

            def structures(value: Any) -> Any:
                copies = [entry.copy() for entry in value]
                if not names.isdisjoint(itertools.chain.from_iterable(copies)):
                    for out in copies:  # else, as usual, the entries hold scalars only
                        _copy_nested(out, entries)
                return copies

            return structures
        item_copier = copier_for(service, member)
        return lambda value: list(map(item_copier, value))
    if kind == "map":
        assert isinstance(shape, MapShape)
        if shape.value.type_name not in _CONTAINERS:
            return dict.copy
        value_copier = copier_for(service, shape.value)
        return lambda value: {key: value_copier(item) for key, item in value.items()}
    return _identity


_INLINED_LEVELS = 4
"""How deep a structure's copier copies nested structures itself, before it calls theirs."""


def _structure_copier(service: str, shape: StructureShape) -> Projector:
    """The copier of a structure with nested containers, as one generated function: the
    nested structures' copies are written out inline (a describe's answer nests two or three
    levels, and a Python call per level costs more than the copies), down to
    :data:`_INLINED_LEVELS` or a shape met again; deeper ones, and lists and maps holding
    containers, are copied by their own copiers."""
    lines = ["def copy(v0):", "    v0 = v0.copy()"]
    calls: dict[str, Projector] = {}

    def write(structure: StructureShape, level: int, seen: frozenset[str]) -> None:
        held, inner, indent = f"v{level}", f"v{level + 1}", "    " * (level + 1)
        for name, member in structure.members.items():
            if member.type_name not in _CONTAINERS:
                continue
            lines.append(f"{indent}{inner} = {held}.get({name!r})")
            lines.append(f"{indent}if {inner} is not None:")
            copier = copier_for(service, member)
            if copier is dict.copy or copier is list.copy:
                lines.append(f"{indent}    {held}[{name!r}] = {inner}.copy()")
            elif (
                isinstance(member, StructureShape)
                and level + 1 < _INLINED_LEVELS
                and member.name not in seen
            ):
                lines.append(f"{indent}    {held}[{name!r}] = {inner} = {inner}.copy()")
                write(member, level + 1, seen | {member.name})
            else:
                called = f"copy_{len(calls)}"
                calls[called] = copier
                lines.append(f"{indent}    {held}[{name!r}] = {called}({inner})")

    write(shape, 0, frozenset({shape.name}))
    lines.append("    return v0")
    return generated("copy", lines, calls, f"copier of {service} {shape.name}")


def _compile(service: str, zone: datetime.tzinfo, shape: Shape) -> Projector:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        members = [(name, projector_for(service, zone, m)) for name, m in shape.members.items()]
        scalars = tuple(name for name, project in members if project is _identity)
        nested = tuple((name, project) for name, project in members if project is not _identity)

        def structure(value: Any) -> Any:
            get = value.get
            out = (
                {name: item for name in scalars if (item := get(name)) is not None}
                if scalars
                else {}
            )
            for name, project in nested:
                item = get(name)
                if item is not None:
                    out[name] = project(item)
            return out

        remembered = _remembered(structure)
        _kept_under[remembered] = structure
        if len(members) == 1 and nested:
            return _wrapping(remembered, *nested[0])
        return remembered
    if kind == "list":
        assert isinstance(shape, ListShape)
        item_projector = projector_for(service, zone, shape.member)
        if item_projector is _identity:
            return list
        key = _kept_under.get(item_projector)
        if key is not None:
            return _remembered_entries(item_projector, key)
        return lambda value: list(map(item_projector, value))
    if kind == "map":
        assert isinstance(shape, MapShape)
        value_projector = projector_for(service, zone, shape.value)
        if value_projector is _identity:
            return dict
        return lambda value: {key: value_projector(item) for key, item in value.items()}
    if kind == "timestamp":
        stamps = _stamps.setdefault(id(zone), {})
        make_stamp = _stamp_maker(zone)

        def timestamp(value: Any) -> datetime.datetime:
            if isinstance(value, datetime.datetime):
                return value.astimezone(zone)
            stamp = stamps.get(value)
            if stamp is None:
                if len(stamps) >= _STAMPS_KEPT:
                    stamps.clear()
                stamp = stamps[value] = make_stamp(value)
            return stamp

        return timestamp
    return _identity


def _stamp_maker(zone: datetime.tzinfo) -> Callable[[float], datetime.datetime]:
    """What turns epoch seconds into the datetime ``datetime.fromtimestamp(value, zone)``
    gives. In a zone whose offset never changes (dateutil's ``utcoffset(None)`` says so; UTC,
    most CI machines) that datetime is the UTC one moved by the offset, in ``zone``, fold 0:
    made in C, not through dateutil's ``fromutc``, which asks ``time.localtime`` about summer
    time twice (about 16 us a timestamp)."""
    offset = zone.utcoffset(None)
    if offset is None:
        return lambda value: datetime.datetime.fromtimestamp(value, zone)

    def fixed_offset(value: float) -> datetime.datetime:
        utc = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
        return (utc + offset).replace(tzinfo=zone)

    return fixed_offset
