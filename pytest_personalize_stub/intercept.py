"""The ``BaseClient._make_api_call`` patch: routes the stubbed services to the fake.

Patching ``_make_api_call`` skips what botocore does there, so the fake does it again: the
``provide-client-params`` / ``before-parameter-build`` events, botocore's ``ParamValidator``
(only for clients made with parameter validation on), the ``before-call`` event (a handler
that answers it, such as botocore's ``Stubber``, answers the call), and errors raised through
``client.exceptions``. Every other service goes to the original method untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.client import BaseClient
from botocore.hooks import first_non_none_response

from .activation import ORIGINAL_MAKE_API_CALL, Activation, check_thread, current
from .controller import Call, PersonalizeStub
from .errors import ServiceError, client_error
from .validation import validate_client_side, validates_client_side

STUBBED_SERVICES = frozenset(
    {"personalize", "cleanroomsml", "personalize-runtime", "personalize-events"}
)

def _make_api_call(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
    service_model = client._service_model  # type: ignore[attr-defined]
    activation = current()
    if activation is None or service_model.service_name not in STUBBED_SERVICES:
        return ORIGINAL_MAKE_API_CALL(client, operation_name, api_params)
    check_thread(activation)
    return serve(activation.stub, client, operation_name, api_params)


class _Operation:
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


_operations: dict[tuple[int, str], _Operation] = {}


def serve(
    stub: PersonalizeStub, client: BaseClient, operation_name: str, api_params: dict[str, Any]
) -> Any:
    """Answer one call of a stubbed service as botocore and the service together would."""
    key = (id(client._service_model), operation_name)  # type: ignore[attr-defined]
    served = _operations.get(key)
    if served is None or served.model.service_model is not client._service_model:  # type: ignore[attr-defined]
        served = _operations[key] = _Operation(client, operation_name)
    operation = served.model
    call = Call(served.service_name, operation_name, api_params)
    stub.calls.append(call)
    meta = client.meta
    context = {
        "client_region": meta.region_name,
        "client_config": meta.config,
        **served.context,
    }
    try:
        events = meta.events
        params = first_non_none_response(
            events.emit(served.provide_params, params=api_params, model=operation, context=context),
            default=api_params,
        )
        events.emit(served.before_build, params=params, model=operation, context=context)
        if validates_client_side(client):
            validate_client_side(served.service_name, params, operation)
        request_dict = {
            "url_path": "/",
            "query_string": {},
            "method": "POST",
            "headers": {},
            "body": params,
            "url": "",
            "context": context,
        }
        _, event_response = events.emit_until_response(  # type: ignore[attr-defined]
            served.before_call,
            model=operation,
            params=request_dict,
            request_signer=client._request_signer,  # type: ignore[attr-defined]
            context=context,
        )
        if event_response is not None:
            http, response = event_response
            if http.status_code >= 300:
                code = response.get("Error", {}).get("Code")
                raise client.exceptions.from_code(code)(response, operation_name)  # type: ignore[operator]
        else:
            response = stub.answer(served.service_name, operation, params)
    except ServiceError as error:
        exception = client_error(client, operation_name, error)
        call.error = exception
        raise exception from None
    except BaseException as error:
        call.error = error
        raise
    call.response = response
    return response


@contextmanager
def activated(stub: PersonalizeStub, owner: str = "activated()") -> Iterator[PersonalizeStub]:
    """Route the stubbed services to ``stub`` until the block ends, however it ends."""
    activation = Activation(stub, owner, _make_api_call)
    activation.start()
    try:
        yield stub
    finally:
        activation.stop()
