"""The request, response and error types of the wire layer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Reader = Callable[[Any], Any]
"""Turns a value as it came off the wire into the value a botocore user passes."""
Writer = Callable[[Any], Any]
"""Turns a value as botocore returns it into what goes on the wire (JSON-ready)."""


@dataclass
class HttpRequest:
    """One HTTP request as it came in.

    ``path`` is the raw request path, still percent-encoded and without the query;
    ``query`` is the raw query string ("" for none); header names are case-insensitive and
    values may be bytes (as botocore's prepared requests hold them).
    """

    method: str
    path: str
    query: str
    headers: Mapping[str, str | bytes]
    body: bytes


@dataclass
class HttpResponse:
    """One HTTP response to send."""

    status: int
    headers: dict[str, str]
    body: bytes


class WireError(Exception):
    """A request refused by the protocol layer, before or while reading its operation.

    The codes and statuses are the AWS service framework's:

    - ``SerializationException`` (400): a body that is not JSON or not a JSON object, or a
      member whose wire value has the wrong type or form (as in Smithy's malformed-request
      protocol tests for restJson1, which expect ``400 SerializationException``);
    - ``UnknownOperationException``: an ``X-Amz-Target`` naming no operation, or a json
      request without one (400, as AWS's json services answer an unknown target), and a
      rest-json method and path that match no operation (404). The 404 follows Smithy's
      maintainers: "if no handlers claimed the job, the default behavior would be an
      ``UnknownOperationException`` 404" (smithy-lang/smithy issue #1368). API Gateway's
      ``MissingAuthenticationTokenException`` (403) is what an unsigned request to an
      unknown path of an API Gateway API gets; this layer checks no signature, so it
      answers as for a signed request.

    ``service`` is the service the request was for, when that much is known.
    """

    def __init__(self, code: str, message: str, status: int = 400, service: str | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.service = service


class Mismatch(Exception):
    """A wire value of the wrong type or form; ``path`` is filled in on the way out."""

    def __init__(self, expected: str, found: Any) -> None:
        super().__init__(expected)
        self.expected = expected
        self.found = found
        self.path: list[str] = []

    def error(self, service: str) -> WireError:
        where = ".".join(reversed(self.path)).replace(".[", "[") or "the body"
        return WireError(
            "SerializationException",
            f"Cannot deserialize {where}: expected {self.expected}, got {_describe(self.found)}",
            400,
            service,
        )


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {text!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
