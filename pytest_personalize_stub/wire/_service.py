"""One service model compiled: its readers, writers and rest-json routes."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

from ..compiled import CompiledShapes
from ._http import Mismatch, Reader, Writer
from ._values import (
    identity,
    json_scalar_reader,
    json_scalar_writer,
    quote_header_item,
    split_header_list,
    text_scalar_reader,
    text_scalar_writer,
    timestamp_format,
)


@dataclass
class Route:
    """One rest-json operation's method and URI template, compiled."""

    operation: str
    regex: re.Pattern[str]
    labels: list[tuple[str, Reader, bool]]  # member name, reader, read as bytes
    static_query: list[tuple[str, str | None]]
    rank: tuple[int, int, int]
    first_segment: str | None


@dataclass
class Input:
    """What reads one operation's request."""

    operation: str
    read_json: Reader | None = None  # the body (json) or the body members (rest-json)
    query: dict[str, tuple[str, Reader, bool, bool]] = field(default_factory=dict)
    query_map: tuple[str, bool] | None = None  # member, values are lists
    headers: list[tuple[str, str, Reader]] = field(default_factory=list)
    prefix_headers: list[tuple[str, str]] = field(default_factory=list)
    payload: tuple[str, str, Reader | None] | None = None  # member, kind, reader


@dataclass
class Output:
    """What writes one operation's (or one error's) response."""

    status: int
    content_type: str
    write_body: Writer | None  # the whole body, None for no body
    headers: list[tuple[str, str, Callable[[Any], str | None]]] = field(default_factory=list)
    prefix_headers: list[tuple[str, str]] = field(default_factory=list)
    status_member: str | None = None
    payload: tuple[str, str, Writer | None] | None = None  # member, kind, writer
    message_key: str = "message"


class Service:
    """One service model, with its readers, writers and routes compiled on first use."""

    def __init__(self, model: ServiceModel) -> None:
        self.model = model
        self.name: str = model.service_name
        metadata = model.metadata
        self.protocol: str = metadata["protocol"]
        self.json = self.protocol == "json"
        if self.protocol not in ("json", "rest-json"):
            raise ValueError(f"{self.name}: protocol {self.protocol!r} is not served")
        self.content_type = (
            f"application/x-amz-json-{metadata.get('jsonVersion', '1.1')}"
            if self.json
            else "application/json"
        )
        self.signing_names = {
            str(metadata.get("signingName") or metadata["endpointPrefix"]),
            str(metadata["endpointPrefix"]),
        }
        self.target_prefix: str | None = metadata.get("targetPrefix") if self.json else None
        self.body_time = "unixtimestamp"
        self.operations = {name: model.operation_model(name) for name in model.operation_names}
        self._readers: CompiledShapes[Reader] = CompiledShapes()
        self._writers: CompiledShapes[Writer] = CompiledShapes()
        self._lock = threading.Lock()
        self._inputs: dict[str, Input] = {}
        self._outputs: dict[str, Output] = {}
        self._error_outputs: dict[str, Output] = {}
        self._errors = {
            str(shape.metadata.get("error", {}).get("code") or shape.name): shape
            for shape in model.error_shapes
        }
        self.routes = self._compile_routes() if not self.json else {}

    # Requests -----------------------------------------------------------------------

    def input(self, operation: str) -> Input:
        """The compiled reader of an operation's request."""
        found = self._inputs.get(operation)
        if found is None:
            with self._lock:
                found = self._inputs.get(operation)
                if found is None:
                    found = self._inputs[operation] = self._compile_input(
                        self.operations[operation]
                    )
        return found

    def output(self, operation: str) -> Output:
        """The compiled writer of an operation's response."""
        found = self._outputs.get(operation)
        if found is None:
            with self._lock:
                found = self._outputs.get(operation)
                if found is None:
                    found = self._outputs[operation] = self._compile_output(
                        self.operations[operation]
                    )
        return found

    def error(self, code: str) -> Output:
        """The compiled writer of an error answer with this code."""
        found = self._error_outputs.get(code)
        if found is None:
            with self._lock:
                found = self._error_outputs.get(code)
                if found is None:
                    found = self._error_outputs[code] = self._compile_error(code)
        return found

    def _compile_input(self, operation: OperationModel) -> Input:
        compiled = Input(operation.name)
        shape = operation.input_shape
        if shape is None:
            return compiled
        assert isinstance(shape, StructureShape)
        if self.json:
            compiled.read_json = self.reader(shape)
            return compiled
        body_members: dict[str, Shape] = {}
        payload = shape.serialization.get("payload")
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if name == payload:
                kind = member.type_name
                reader = None if kind in ("blob", "string") else self.reader(member)
                compiled.payload = (name, kind, reader)
            elif location == "uri":
                pass  # read with the route's labels
            elif location == "querystring":
                if isinstance(member, MapShape):
                    compiled.query_map = (name, isinstance(member.value, ListShape))
                elif isinstance(member, ListShape):
                    item = member.member
                    reader = text_scalar_reader(item, "querystring")
                    compiled.query[wire_name] = (name, reader, True, item.type_name == "blob")
                else:
                    reader = text_scalar_reader(member, "querystring")
                    compiled.query[wire_name] = (name, reader, False, member.type_name == "blob")
            elif location == "header":
                compiled.headers.append((wire_name.lower(), name, self._header_reader(member)))
            elif location == "headers":
                compiled.prefix_headers.append((wire_name.lower(), name))
            elif location == "statusCode":
                pass
            else:
                body_members[name] = member
        if body_members and payload is None:
            compiled.read_json = self._structure_reader(shape, body_members)
        return compiled

    def _header_reader(self, member: Shape) -> Reader:
        if isinstance(member, ListShape):
            item = member.member
            read_item = text_scalar_reader(item, "header")
            dates = item.type_name == "timestamp" and timestamp_format(item, "rfc822") == "rfc822"

            def header_list(text: str) -> Any:
                return [read_item(part) for part in split_header_list(text, dates)]

            return header_list
        return text_scalar_reader(member, "header")

    def _compile_routes(self) -> dict[str, tuple[dict[str, list[Route]], list[Route]]]:
        """Per method: the routes by literal first path segment, and the routes whose first
        segment is a label; each list in the order tried, the most specific route first."""
        routes: dict[str, list[Route]] = {}
        for operation in self.operations.values():
            route = self._compile_route(operation)
            routes.setdefault(str(operation.http.get("method", "POST")).upper(), []).append(route)
        table: dict[str, tuple[dict[str, list[Route]], list[Route]]] = {}
        for method, found in routes.items():
            found.sort(key=lambda route: route.rank)
            anywhere = [route for route in found if route.first_segment is None]
            by_segment = {
                segment: [r for r in found if r.first_segment in (segment, None)]
                for segment in {r.first_segment for r in found if r.first_segment is not None}
            }
            table[method] = (by_segment, anywhere)
        return table

    def _compile_route(self, operation: OperationModel) -> Route:
        uri = str(operation.http.get("requestUri", "/"))
        path, _, static = uri.partition("?")
        shape = operation.input_shape
        members = shape.members if isinstance(shape, StructureShape) else {}
        by_label = {
            member.serialization.get("name", name): (name, member)
            for name, member in members.items()
            if member.serialization.get("location") == "uri"
        }
        pattern, labels, literal, greedy = "", [], 0, 0
        for piece in re.split(r"(\{[^}]*\})", path):
            if piece.startswith("{") and piece.endswith("}"):
                label = piece[1:-1]
                is_greedy = label.endswith("+")
                name, member = by_label[label.rstrip("+")]
                pattern += "(.+)" if is_greedy else "([^/]+)"
                greedy += is_greedy
                labels.append((name, text_scalar_reader(member, "uri"), member.type_name == "blob"))
            else:
                pattern += re.escape(piece)
                literal += len(piece)
        static_query: list[tuple[str, str | None]] = []
        for pair in filter(None, static.split("&")):
            key, equals, value = pair.partition("=")
            static_query.append((key, value if equals else None))
        first = path.lstrip("/").split("/", 1)[0]
        return Route(
            operation.name,
            re.compile(pattern),
            labels,
            static_query,
            (greedy, -literal, -len(static_query)),
            None if "{" in first else first,
        )

    # Shapes -------------------------------------------------------------------------

    def reader(self, shape: Shape) -> Reader:
        """The reader of a JSON document of this shape (cached for containers)."""
        kind = shape.type_name
        if kind == "structure":
            assert isinstance(shape, StructureShape)
            if shape.is_document_type:
                return identity
            return self._readers.get(
                ("structure", shape.name), lambda: self._structure_reader(shape, shape.members)
            )
        if kind == "list":
            assert isinstance(shape, ListShape)
            return self._readers.get(("list", shape.name), lambda: self._list_reader(shape))
        if kind == "map":
            assert isinstance(shape, MapShape)
            return self._readers.get(("map", shape.name), lambda: self._map_reader(shape))
        return json_scalar_reader(shape, self.body_time)

    def _structure_reader(self, shape: StructureShape, members: Mapping[str, Shape]) -> Reader:
        table = {
            member.serialization.get("name", name): (name, self.reader(member))
            for name, member in members.items()
        }
        union = bool(shape.metadata.get("union"))

        def structure(value: Any) -> Any:
            if type(value) is not dict:
                raise Mismatch("an object", value)
            out = {}
            for key, item in value.items():
                entry = table.get(key)
                if entry is None:
                    if union and item is not None:
                        raise Mismatch("one member of the union", value)
                    continue
                if item is None:
                    continue
                name, read = entry
                try:
                    out[name] = read(item)
                except Mismatch as mismatch:
                    mismatch.path.append(name)
                    raise
            if union and len(out) != 1:
                raise Mismatch("exactly one member of the union", value)
            return out

        return structure

    def _list_reader(self, shape: ListShape) -> Reader:
        read = self.reader(shape.member)

        def items(value: Any) -> Any:
            if type(value) is not list:
                raise Mismatch("an array", value)
            out = []
            for index, item in enumerate(value):
                try:
                    out.append(None if item is None else read(item))
                except Mismatch as mismatch:
                    mismatch.path.append(f"[{index}]")
                    raise
            return out

        return items

    def _map_reader(self, shape: MapShape) -> Reader:
        read_key = self.reader(shape.key)
        read = self.reader(shape.value)

        def entries(value: Any) -> Any:
            if type(value) is not dict:
                raise Mismatch("an object", value)
            out = {}
            for key, item in value.items():
                try:
                    out[read_key(key)] = None if item is None else read(item)
                except Mismatch as mismatch:
                    mismatch.path.append(f"[{key!r}]")
                    raise
            return out

        return entries

    def writer(self, shape: Shape) -> Writer | None:
        """The writer of a JSON document of this shape; None when values go as they are."""
        kind = shape.type_name
        if kind == "structure":
            assert isinstance(shape, StructureShape)
            if shape.is_document_type:
                return None
            return self._writers.get(
                ("structure", shape.name), lambda: self._structure_writer(shape.members)
            )
        if kind == "list":
            assert isinstance(shape, ListShape)
            item = self.writer(shape.member)
            if item is None:
                return None
            return self._writers.get(("list", shape.name), lambda: self._list_writer(shape))
        if kind == "map":
            assert isinstance(shape, MapShape)
            value = self.writer(shape.value)
            if value is None and shape.key.type_name == "string":
                return None
            return self._writers.get(("map", shape.name), lambda: self._map_writer(shape))
        return json_scalar_writer(shape, self.body_time)

    def _structure_writer(self, members: Mapping[str, Shape]) -> Writer:
        table = {
            name: (member.serialization.get("name", name), self.writer(member))
            for name, member in members.items()
        }

        def structure(value: Any) -> Any:
            out = {}
            for name, item in value.items():
                entry = table.get(name)
                if entry is None or item is None:
                    continue
                wire_name, write = entry
                out[wire_name] = item if write is None else write(item)
            return out

        return structure

    def _list_writer(self, shape: ListShape) -> Writer:
        write = self.writer(shape.member) or identity
        return lambda value: [None if item is None else write(item) for item in value]

    def _map_writer(self, shape: MapShape) -> Writer:
        write = self.writer(shape.value) or identity
        write_key = text_scalar_writer(shape.key, "iso8601")
        return lambda value: {
            write_key(key): None if item is None else write(item) for key, item in value.items()
        }

    # Responses ----------------------------------------------------------------------

    def _compile_output(self, operation: OperationModel) -> Output:
        status = int(operation.http.get("responseCode", 200))
        shape = operation.output_shape
        if shape is None:
            return Output(status, self.content_type, None)
        assert isinstance(shape, StructureShape)
        return self._compile_structure_output(shape, status)

    def _compile_structure_output(self, shape: StructureShape, status: int) -> Output:
        if self.json:
            return Output(status, self.content_type, self.writer(shape))
        output = Output(status, self.content_type, None)
        payload = shape.serialization.get("payload")
        body: dict[str, Shape] = {}
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if name == payload:
                kind = member.type_name
                writer = None if kind in ("blob", "string") else self.writer(member)
                output.payload = (name, kind, writer)
                if kind == "blob":
                    output.content_type = "application/octet-stream"
                elif kind == "string":
                    output.content_type = "text/plain"
            elif location == "header":
                output.headers.append((name, wire_name, self._header_writer(member)))
            elif location == "headers":
                output.prefix_headers.append((name, wire_name))
            elif location == "statusCode":
                output.status_member = name
            elif location is None:
                body[name] = member
        if payload is None:
            output.write_body = self._structure_writer(body)
        return output

    def _header_writer(self, member: Shape) -> Callable[[Any], str | None]:
        """A header's text; None for an empty list, which sends no header (as botocore)."""
        if isinstance(member, ListShape):
            item = member.member
            write_item = (
                quote_header_item
                if item.type_name == "string"
                else (text_scalar_writer(item, "rfc822"))
            )

            def header_list(value: Any) -> str | None:
                return ",".join(write_item(v) for v in value if v is not None) if value else None

            return header_list
        return text_scalar_writer(member, "rfc822")

    def _compile_error(self, code: str) -> Output:
        shape = self._errors.get(code)
        if shape is None:
            return Output(0, self.content_type, _unmodeled_error_body)
        assert isinstance(shape, StructureShape)
        status = int(shape.metadata.get("error", {}).get("httpStatusCode", 0))
        output = self._compile_structure_output(shape, status)
        for name, member in shape.members.items():
            if name.lower() == "message" and member.serialization.get("location") is None:
                output.message_key = member.serialization.get("name", name)
        return output


def _unmodeled_error_body(value: Any) -> Any:
    return {key: item for key, item in value.items() if item is not None}
