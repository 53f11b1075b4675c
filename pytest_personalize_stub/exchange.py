"""One HTTP request of a faked service answered by a pipeline: the wire layer reads it, the
pipeline answers it, the wire layer writes the answer (the HTTP server and ``wire=True`` both
answer this way).

A request is one attempt: a client that retries sends several, and each is recorded as a
call of its own, with the parameters read off the wire and, for a refused one, a
``ClientError`` built from the answer sent.
"""

from __future__ import annotations

import itertools
from typing import Any

from botocore.exceptions import ClientError

from . import clients
from .errors import ServiceError, http_status, response_metadata
from .pipeline import Pipeline
from .wire import (
    HttpRequest,
    HttpResponse,
    WireError,
    parse_request,
    serialize_error,
    serialize_response,
    serialize_wire_error,
)

_request_ids = itertools.count(1)

NOTE_HEADER = "x-personalize-stub-note"
"""The header an error answer carries the fake's notes in, over HTTP (the in-process
transports attach them to the exception as PEP 678 notes)."""


def new_request_id() -> str:
    """A fresh request id in AWS's form (a UUID)."""
    return f"00000000-0000-4000-a000-{next(_request_ids):012x}"


def answer(pipeline: Pipeline, request: HttpRequest) -> HttpResponse:
    """The HTTP answer of the fake to one request: the operation's output, the service's
    error, or the protocol's refusal of a request it cannot read."""
    try:
        service, operation, params = parse_request(request)
    except WireError as error:
        return serialize_wire_error(error, new_request_id())
    call = pipeline.record(service, operation, params)
    try:
        with pipeline.recording(call, lambda error: _client_error(service, operation, error)):
            call.response = pipeline.answer(service, operation, params)
    except ClientError as error:
        metadata = error.response["ResponseMetadata"]
        code = error.response["Error"]["Code"]
        members = {k: v for k, v in error.response.items() if k not in _ENVELOPE}
        response = serialize_error(
            service,
            code,
            error.response["Error"]["Message"],
            members,
            metadata["RequestId"],
            metadata["HTTPStatusCode"],
        )
        notes = getattr(error, "__notes__", ())
        if notes:
            response.headers[NOTE_HEADER] = " | ".join(notes)
        return response
    except NotImplementedError as error:
        return serialize_wire_error(
            WireError("NotImplementedException", str(error), 501, service), new_request_id()
        )
    return serialize_response(
        service, operation, call.response, call.response["ResponseMetadata"]["RequestId"]
    )


_ENVELOPE = frozenset({"Error", "ResponseMetadata", "message"})
"""The keys of a parsed error answer that are not members of the error."""


def _client_error(service: str, operation: str, error: ServiceError) -> ClientError:
    """The error as a botocore client parses it from the answer the fake sends."""
    status = http_status(clients.service_model(service), error.code)
    parsed: dict[str, Any] = {
        "Error": {"Code": error.code, "Message": error.message},
        "ResponseMetadata": response_metadata(status=status),
        **error.members,
    }
    return ClientError(parsed, operation)  # type: ignore[arg-type]
