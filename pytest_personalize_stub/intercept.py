"""The botocore transport: the ``BaseClient._make_api_call`` patch that hands the faked
services' calls to the active fake's pipeline.

Patching ``_make_api_call`` skips what botocore does there, so this transport does again what
a caller can observe before a request is sent: the ``provide-client-params`` and
``before-parameter-build`` events, botocore's ``ParamValidator`` (only for clients made with
parameter validation on), and the ``before-call`` event (a handler that answers it, such as
botocore's ``Stubber``, answers the call); errors are raised through the client's own
``client.exceptions``. What botocore does after building the request is not done, because no
request is built: no ``request-created``, ``before-send`` or ``after-call`` events, no
signing, and no retry handler, so a retry ``Config`` never retries an injected throttling
error here (the ``wire=True`` mode runs all of it). Every other service goes to the original
method untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.client import BaseClient
from botocore.hooks import first_non_none_response

from .activation import ORIGINAL_MAKE_API_CALL, Activation, check_thread, current
from .controller import PersonalizeStub
from .errors import client_error
from .services import SERVICE_NAMES
from .validation import validates_client_side

FAKED = frozenset(SERVICE_NAMES)


def _make_api_call(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
    service_model = client._service_model  # type: ignore[attr-defined]
    activation = current()
    if activation is None or service_model.service_name not in FAKED:
        return ORIGINAL_MAKE_API_CALL(client, operation_name, api_params)
    check_thread(activation)
    return serve(activation.stub, client, operation_name, api_params)


class _Events:
    """What botocore derives from the model for every call of one operation, derived once."""

    __slots__ = (
        "before_build",
        "before_call",
        "context",
        "model",
        "provide_params",
        "service_name",
    )

    def __init__(self, client: BaseClient, operation_name: str) -> None:
        service_model = client._service_model  # type: ignore[attr-defined]
        self.model = service_model.operation_model(operation_name)
        self.service_name = service_model.service_name
        event = f"{service_model.service_id.hyphenize()}.{operation_name}"
        self.provide_params = f"provide-client-params.{event}"
        self.before_build = f"before-parameter-build.{event}"
        self.before_call = f"before-call.{event}"
        self.context = {
            "has_streaming_input": self.model.has_streaming_input,
            "auth_type": self.model.resolved_auth_type,
            "unsigned_payload": self.model.unsigned_payload,
        }


_events: dict[tuple[int, str], _Events] = {}


def serve(
    stub: PersonalizeStub, client: BaseClient, operation_name: str, api_params: dict[str, Any]
) -> Any:
    """Answer one call of a faked service as botocore and the service together would."""
    key = (id(client._service_model), operation_name)  # type: ignore[attr-defined]
    events = _events.get(key)
    if events is None or events.model.service_model is not client._service_model:  # type: ignore[attr-defined]
        events = _events[key] = _Events(client, operation_name)
    pipeline = stub.pipeline
    call = pipeline.record(events.service_name, operation_name, api_params)
    operation = events.model
    meta = client.meta
    context = {"client_region": meta.region_name, "client_config": meta.config, **events.context}

    def answered() -> Any:
        emitter = meta.events
        params = first_non_none_response(
            emitter.emit(
                events.provide_params, params=api_params, model=operation, context=context
            ),
            default=api_params,
        )
        emitter.emit(events.before_build, params=params, model=operation, context=context)
        if validates_client_side(client):
            pipeline.check_client_side(events.service_name, operation_name, params)
        request_dict = {
            "url_path": "/",
            "query_string": {},
            "method": "POST",
            "headers": {},
            "body": params,
            "url": "",
            "context": context,
        }
        _, event_response = emitter.emit_until_response(  # type: ignore[attr-defined]
            events.before_call,
            model=operation,
            params=request_dict,
            request_signer=client._request_signer,  # type: ignore[attr-defined]
            context=context,
        )
        if event_response is None:
            return pipeline.answer(events.service_name, operation_name, params)
        http, response = event_response
        if http.status_code >= 300:
            code = response.get("Error", {}).get("Code")
            raise client.exceptions.from_code(code)(response, operation_name)  # type: ignore[operator]
        return response

    return pipeline.complete(
        call, answered, lambda error: client_error(client, operation_name, error)
    )


@contextmanager
def activated(stub: PersonalizeStub, owner: str = "activated()") -> Iterator[PersonalizeStub]:
    """Route the faked services to ``stub`` until the block ends, however it ends."""
    activation = Activation(stub, owner, _make_api_call)
    activation.start()
    try:
        yield stub
    finally:
        activation.stop()
