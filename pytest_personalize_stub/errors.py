"""Errors as the services answer them, raised the way botocore raises them."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from botocore.client import BaseClient
from botocore.exceptions import ClientError
from botocore.model import ServiceModel

if TYPE_CHECKING:
    from .store import Resource

# HTTP statuses of the common codes that the models do not list for every operation.
COMMON_ERROR_STATUS = {
    "ThrottlingException": 400,
    "InternalServerError": 500,
    "InternalServerException": 500,
    "ServiceUnavailable": 503,
}

COMMON_ERROR_MESSAGES = {
    "ThrottlingException": "Rate exceeded",
    "InternalServerError": "An internal error occurred.",
    "InternalServerException": "An internal error occurred.",
    "ServiceUnavailable": "Service is unavailable. Try again later.",
}


class UsageError(ValueError):
    """A test used the plugin wrongly (bad marker, configuration or argument)."""


class ServiceError(Exception):
    """An error answer of the fake service: code, message and any modelled extra members."""

    def __init__(self, code: str, message: str, **members: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.members = members
        self.about: Resource | None = None
        """The resource whose status the error is about, if any (for its note)."""
        self.wanted: tuple[str, ...] = ()
        """The statuses the call needed that resource in."""
        self.notes: list[str] = []
        """What the fake adds for the test's author (PEP 678 notes); AWS's message stays."""

    def concerning(self, resource: Resource, wanted: Iterable[str]) -> ServiceError:
        """This error, marked as being about ``resource`` not being in a ``wanted`` status."""
        self.about, self.wanted = resource, tuple(wanted)
        return self


def add_notes(exception: BaseException, notes: Iterable[str]) -> None:
    """PEP 678 notes on an exception (``__notes__`` by hand before Python 3.11)."""
    for note in notes:
        if sys.version_info >= (3, 11):
            exception.add_note(note)
        else:
            exception.__dict__.setdefault("__notes__", []).append(note)


class ValidationProblem:
    """One constraint a request member broke, worded as AWS words it."""

    __slots__ = ("constraint", "path", "value")

    def __init__(self, path: str, value: Any, constraint: str) -> None:
        self.path = path
        self.value = value
        self.constraint = constraint

    def __str__(self) -> str:
        return (
            f"Value {_java_repr(self.value)} at '{self.path}' failed to satisfy constraint: "
            f"{self.constraint}"
        )


def validation_message(problems: list[ValidationProblem]) -> str:
    """The AWS wording of a list of constraint failures."""
    count = len(problems)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(str(p) for p in problems)


def _java_repr(value: Any) -> str:
    if value is None:
        return "null"
    return f"'{_plain(value, SHOWN_DEPTH)}'"


SHOWN_DEPTH = 8
"""How deep a value is written out in a validation message; deeper parts read ``...``."""


def _plain(value: Any, depth: int) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)) and depth == 0:
        return "..."
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_plain(v, depth - 1)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_plain(v, depth - 1) for v in value) + "]"
    return str(value)


def http_status(service_model: ServiceModel, code: str) -> int:
    """The HTTP status the service answers with for an error code (model first, then common)."""
    for shape in service_model.error_shapes:
        if shape.name == code:
            status = shape.metadata.get("error", {}).get("httpStatusCode")
            if status is not None:
                return int(status)
            return 400
    return COMMON_ERROR_STATUS.get(code, 400)


def response_metadata(number: int | None = None, status: int = 200) -> dict[str, Any]:
    """`ResponseMetadata` as botocore builds it from an HTTP answer, with the request id of
    ``number`` (a fresh one of :data:`request_numbers` unless given). The id is UUID-shaped,
    its last group the number in decimal digits (unique up to 10**12 requests, and cheaper
    to write than hex).
    ``number`` comes first so that the answer's hot path passes it without a keyword, which
    costs more."""
    request_id = "00000000-0000-4000-8000-" + str(
        next(request_numbers) if number is None else number
    ).zfill(12)
    return {
        "RequestId": request_id,
        "HTTPStatusCode": status,
        "HTTPHeaders": {"x-amzn-requestid": request_id},
        "RetryAttempts": 0,
    }


def client_error(client: BaseClient, operation_name: str, error: ServiceError) -> ClientError:
    """The exception botocore raises for this error answer, from the client's exception factory."""
    service_model = client.meta.service_model
    status = _status_cache.get((service_model.service_name, error.code))
    if status is None:
        status = http_status(service_model, error.code)
        _status_cache[(service_model.service_name, error.code)] = status
    parsed: dict[str, Any] = {
        "Error": {"Code": error.code, "Message": error.message},
        "ResponseMetadata": response_metadata(status=status),
        "message": error.message,
    }
    parsed.update(error.members)
    exception_class = client.exceptions.from_code(error.code)
    exception: ClientError = exception_class(parsed, operation_name)  # type: ignore[operator]
    return exception


_status_cache: dict[tuple[str, str], int] = {}
request_numbers = itertools.count(1)
"""The numbers of the request ids the fake hands out, one per answer or error."""
