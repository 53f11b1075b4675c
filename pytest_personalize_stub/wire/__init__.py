"""The wire protocols of the four services: HTTP requests in, HTTP responses out.

Everything is read from botocore's service models: ``json`` 1.1 for ``personalize``
(``X-Amz-Target``, ``application/x-amz-json-1.1``) and ``rest-json`` for
``personalize-runtime``, ``personalize-events`` and ``cleanroomsml`` (URI labels, greedy
labels, query string, headers, prefixed headers, status code, payload members). Per shape
and per operation, the readers and writers are compiled once and cached; routing tables are
built once per service. Nothing here knows an operation by name.

Requests for all four services arrive on one URL. ``parse_request`` tells them apart by
``X-Amz-Target`` (json), then by the service in the SigV4 credential scope and the method
and path of the rest-json operations (an unsigned request tries every rest-json service).
Bad input raises ``WireError`` only, worded as AWS words it (see ``WireError``).
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote, unquote_plus, unquote_to_bytes

import botocore.session
from botocore.model import ServiceModel

from ..services import SERVICE_NAMES
from ._http import HttpRequest, HttpResponse, Mismatch, WireError
from ._service import Input, Output, Route, Service
from ._values import (
    Headers,
    blob_writer,
    dump_json,
    header_text,
    header_value,
    iso8601,
    load_json,
    lowered_headers,
)

__all__ = [
    "SERVICES",
    "HttpRequest",
    "HttpResponse",
    "WireError",
    "WireProtocol",
    "parse_request",
    "serialize_error",
    "serialize_response",
    "serialize_wire_error",
]

SERVICES = SERVICE_NAMES
"""The botocore service names served, in the order unsigned rest-json requests try them."""


def _path_segment(path: str) -> str:
    end = path.find("/", 1)
    return path[1:] if end < 0 else path[1:end]


def _query_pairs(query: str) -> dict[str, list[str]]:
    pairs: dict[str, list[str]] = {}
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.setdefault(unquote_plus(key), []).append(value)
    return pairs


_CREDENTIAL = re.compile(r"Credential=([^,\s]*)")


def _credential_scope_service(headers: Headers, query: str) -> str | None:
    """The service named in the SigV4 (or SigV4a) credential scope, if the request is signed."""
    authorization = header_value(headers, "Authorization", "authorization")
    if authorization is not None:
        found = _CREDENTIAL.search(authorization)
        if found is None:
            return None
        scope = found.group(1).split("/")
    elif "X-Amz-Credential=" in query:
        scope = unquote(query.split("X-Amz-Credential=", 1)[1].split("&", 1)[0]).split("/")
    else:
        return None
    return scope[-2] if len(scope) >= 3 else None


def _loads(body: bytes, service: str) -> Any:
    try:
        return load_json(body)
    except (ValueError, RecursionError):
        raise WireError(
            "SerializationException", "The request body is not valid JSON.", 400, service
        ) from None


class WireProtocol:
    """The wire protocol of a set of service models, served on one URL.

    The module's functions use one for the four services; tests may make their own from
    other models (json or rest-json).
    """

    def __init__(self, models: Iterable[ServiceModel]) -> None:
        self._services = {model.service_name: Service(model) for model in models}
        self._targets: dict[str, tuple[Service, str]] = {}
        self._json_prefixes: dict[str, Service] = {}
        self._rest: list[Service] = []
        self._by_signing_name: dict[str, list[Service]] = {}
        for service in self._services.values():
            if service.json:
                prefix = str(service.target_prefix)
                self._json_prefixes[prefix] = service
                for name in service.operations:
                    self._targets[f"{prefix}.{name}"] = (service, name)
            else:
                self._rest.append(service)
                for signing_name in service.signing_names:
                    self._by_signing_name.setdefault(signing_name, []).append(service)

    def service(self, name: str) -> Service:
        """The compiled service of this name."""
        return self._services[name]

    def parse_request(self, request: HttpRequest) -> tuple[str, str, dict[str, Any]]:
        """See the module's ``parse_request``."""
        headers = request.headers
        target = header_value(headers, "X-Amz-Target", "x-amz-target")
        if target is not None:
            found = self._targets.get(target)
            if found is None:
                service = self._json_prefixes.get(target.partition(".")[0])
                raise WireError(
                    "UnknownOperationException",
                    f"Unknown operation {target!r}.",
                    400,
                    service.name if service else None,
                )
            json_service, name = found
            return json_service.name, name, self._parse_json(json_service, name, request)
        signing_name = _credential_scope_service(headers, request.query)
        candidates = self._by_signing_name.get(signing_name or "", self._rest)
        method = request.method.upper()
        path = request.path or "/"
        segment = _path_segment(path)
        query: dict[str, list[str]] | None = None
        for service in candidates:
            table = service.routes.get(method)
            if table is None:
                continue
            by_segment, anywhere = table
            for route in by_segment.get(segment, anywhere):
                match = route.regex.fullmatch(path)
                if match is None:
                    continue
                if route.static_query:
                    if query is None:
                        query = _query_pairs(request.query)
                    if not all(
                        key in query and (value is None or value in query[key])
                        for key, value in route.static_query
                    ):
                        continue
                params = self._parse_rest(service, route, match, request, query)
                return service.name, route.operation, params
        raise self._unknown_operation(request, method, path, signing_name, candidates)

    def _unknown_operation(
        self,
        request: HttpRequest,
        method: str,
        path: str,
        signing_name: str | None,
        candidates: list[Service],
    ) -> WireError:
        """json-looking requests (a json content type, or POST / for a json service) lack
        an X-Amz-Target: 400; anything else matched no rest-json route: 404."""
        content_type = header_value(request.headers, "Content-Type", "content-type") or ""
        json_services = [
            s
            for s in self._services.values()
            if s.json and (signing_name is None or signing_name in s.signing_names)
        ]
        if json_services and ("amz-json" in content_type or (method == "POST" and path == "/")):
            return WireError(
                "UnknownOperationException",
                "The request names no operation: it has no X-Amz-Target header.",
                400,
                json_services[0].name if len(json_services) == 1 else None,
            )
        return WireError(
            "UnknownOperationException",
            f"No operation matches {method} {path}.",
            404,
            candidates[0].name if signing_name is not None and candidates else None,
        )

    def _parse_json(self, service: Service, name: str, request: HttpRequest) -> dict[str, Any]:
        read = service.input(name).read_json
        if read is None:
            return {}
        data = _loads(request.body, service.name) if request.body else {}
        try:
            params: dict[str, Any] = read(data)
        except Mismatch as mismatch:
            raise mismatch.error(service.name) from None
        return params

    def _parse_rest(
        self,
        service: Service,
        route: Route,
        match: re.Match[str],
        request: HttpRequest,
        query: dict[str, list[str]] | None,
    ) -> dict[str, Any]:
        compiled = service.input(route.operation)
        params: dict[str, Any] = {}
        try:
            for (name, read, raw), text in zip(route.labels, match.groups()):
                try:
                    params[name] = unquote_to_bytes(text) if raw else read(unquote(text))
                except Mismatch as mismatch:
                    mismatch.path.append(name)
                    raise
            if compiled.query or compiled.query_map:
                if query is None:
                    query = _query_pairs(request.query)
                if query:
                    self._read_query(compiled, query, route, params)
            if compiled.headers or compiled.prefix_headers:
                self._read_headers(compiled, request.headers, params)
            body = request.body
            if compiled.payload is not None:
                name, kind, read_payload = compiled.payload
                if body:
                    if kind == "blob":
                        params[name] = bytes(body)
                    elif kind == "string":
                        try:
                            params[name] = bytes(body).decode("utf-8")
                        except UnicodeDecodeError:
                            raise Mismatch("UTF-8 text", "bytes") from None
                    elif read_payload is not None:
                        params[name] = read_payload(_loads(body, service.name))
            elif compiled.read_json is not None:
                params.update(compiled.read_json(_loads(body, service.name) if body else {}))
        except Mismatch as mismatch:
            raise mismatch.error(service.name) from None
        return params

    @staticmethod
    def _read_query(
        compiled: Input, query: dict[str, list[str]], route: Route, params: dict[str, Any]
    ) -> None:
        claimed = {key for key, _ in route.static_query}
        for key, (name, read, many, raw) in compiled.query.items():
            texts = query.get(key)
            if texts is None:
                continue
            claimed.add(key)
            try:
                if raw:
                    values = [unquote_to_bytes(text.replace("+", " ")) for text in texts]
                else:
                    values = [read(unquote_plus(text)) for text in texts]
            except Mismatch as mismatch:
                mismatch.path.append(name)
                raise
            params[name] = values if many else values[0]
        if compiled.query_map is not None:
            name, lists = compiled.query_map
            rest = {
                key: [unquote_plus(text) for text in texts]
                for key, texts in query.items()
                if key not in claimed
            }
            if rest:
                params[name] = rest if lists else {key: texts[0] for key, texts in rest.items()}

    @staticmethod
    def _read_headers(compiled: Input, headers: Headers, params: dict[str, Any]) -> None:
        lowered = lowered_headers(headers)
        for lower, name, read in compiled.headers:
            text = lowered.get(lower)
            if text is None:
                continue
            try:
                params[name] = read(text.strip())
            except Mismatch as mismatch:
                mismatch.path.append(name)
                raise
        for prefix, name in compiled.prefix_headers:
            found = {
                key[len(prefix) :]: header_text(value).strip()
                for key, value in headers.items()
                if key.lower().startswith(prefix)
            }
            if found:
                params[name] = found

    def serialize_response(
        self, service: str, operation: str, response: Mapping[str, Any], request_id: str
    ) -> HttpResponse:
        """See the module's ``serialize_response``."""
        compiled = self._services[service].output(operation)
        return _respond(compiled, response, request_id, compiled.status)

    def serialize_error(
        self,
        service: str,
        code: str,
        message: str,
        members: Mapping[str, Any],
        request_id: str,
        status: int | None = None,
    ) -> HttpResponse:
        """See the module's ``serialize_error``."""
        found = self._services[service]
        compiled = found.error(code)
        extra = {compiled.message_key: message}
        if found.json:
            extra["__type"] = code
        answer = _respond(compiled, members, request_id, compiled.status or status or 400, extra)
        if not found.json:
            answer.headers["X-Amzn-ErrorType"] = code
        return answer

    def serialize_wire_error(self, error: WireError, request_id: str) -> HttpResponse:
        """See the module's ``serialize_wire_error``."""
        if error.service is not None and error.service in self._services:
            return self.serialize_error(
                error.service, error.code, error.message, {}, request_id, error.status
            )
        body = json.dumps({"__type": error.code, "message": error.message}).encode("utf-8")
        headers = {
            "x-amzn-RequestId": request_id,
            "X-Amzn-ErrorType": error.code,
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
        }
        return HttpResponse(error.status, headers, body)


def _respond(
    compiled: Output,
    response: Mapping[str, Any],
    request_id: str,
    status: int,
    extra: dict[str, str] | None = None,
) -> HttpResponse:
    """The response ``compiled`` writes for ``response``; ``extra`` body members (an
    error's message and type) go into the body too."""
    headers = {"x-amzn-RequestId": request_id}
    body = b""
    if compiled.write_body is not None:
        data = compiled.write_body(response)
        if extra:
            data.update(extra)
        body = dump_json(data, _ENCODE_ERROR) if extra else dump_json(data)
        headers["Content-Type"] = compiled.content_type
    elif compiled.payload is not None:
        name, kind, write = compiled.payload
        value = response.get(name)
        headers["Content-Type"] = compiled.content_type
        if value is not None:
            if kind == "blob":
                body = value.encode("utf-8") if isinstance(value, str) else bytes(value)
            elif kind == "string":
                body = str(value).encode("utf-8")
            else:
                data = value if write is None else write(value)
                body = dump_json(data)
    elif compiled.content_type != "application/json":
        headers["Content-Type"] = compiled.content_type  # json answers always name theirs
    for name, wire_name, write_header in compiled.headers:
        value = response.get(name)
        if value is not None:
            text = write_header(value)
            if text is not None:
                headers[wire_name] = text
    for name, prefix in compiled.prefix_headers:
        for key, value in (response.get(name) or {}).items():
            headers[prefix + key] = str(value)
    if compiled.status_member is not None and response.get(compiled.status_member) is not None:
        status = int(response[compiled.status_member])
    headers["Content-Length"] = str(len(body))
    return HttpResponse(status, headers, body)


def _unknown_json(value: Any) -> Any:
    """How an error's unmodelled member that JSON has no type for goes out: as text."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return iso8601(value)
    if isinstance(value, (bytes, bytearray)):
        return blob_writer(value)
    return str(value)


_ENCODE_ERROR = json.JSONEncoder(
    separators=(",", ":"), allow_nan=False, check_circular=False, default=_unknown_json
).encode


_default: WireProtocol | None = None
_default_lock = threading.Lock()


def default_protocol() -> WireProtocol:
    """The protocol of the four services, built from botocore's models on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                session = botocore.session.get_session()
                _default = WireProtocol(session.get_service_model(name) for name in SERVICES)
    return _default


def parse_request(request: HttpRequest) -> tuple[str, str, dict[str, Any]]:
    """(service name, operation name, params): params exactly as a user would pass them to
    the botocore client method (timestamps as aware datetimes, blobs as bytes, no defaults
    filled). Raises ``WireError`` for anything it cannot route or read."""
    return default_protocol().parse_request(request)


def serialize_response(
    service: str, operation: str, response: Mapping[str, Any], request_id: str
) -> HttpResponse:
    """The operation's output as the real service sends it: the model's status (200 unless
    it says otherwise), ``x-amzn-RequestId``, the protocol's content type. Members not in
    the output shape (such as ``ResponseMetadata``) and None values are left out."""
    return default_protocol().serialize_response(service, operation, response, request_id)


def serialize_error(
    service: str,
    code: str,
    message: str,
    members: Mapping[str, Any],
    request_id: str,
    status: int | None = None,
) -> HttpResponse:
    """An error answer botocore parses back to ``Error.Code == code``, ``Error.Message ==
    message`` and the error shape's modelled ``members``. The HTTP status is the shape's
    ``error.httpStatusCode``, else ``status``, else 400. json puts the code in the body's
    ``__type``, rest-json in the ``X-Amzn-ErrorType`` header (as the Smithy specs say)."""
    return default_protocol().serialize_error(service, code, message, members, request_id, status)


def serialize_wire_error(error: WireError, request_id: str) -> HttpResponse:
    """The answer to a request ``parse_request`` refused. When the service is not known the
    answer carries the code both ways (``__type`` and ``X-Amzn-ErrorType``), so clients of
    either protocol read it."""
    return default_protocol().serialize_wire_error(error, request_id)
