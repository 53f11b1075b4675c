"""The ``BaseClient._make_api_call`` patch: routes the stubbed services to the fake.

Patching ``_make_api_call`` skips what botocore does there, so the fake does it again: the
``provide-client-params`` / ``before-parameter-build`` events, botocore's ``ParamValidator``
(only for clients made with parameter validation on), the ``before-call`` event (a handler
that answers it, such as botocore's ``Stubber``, answers the call), and errors raised through
``client.exceptions``. Every other service goes to the original method untouched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.client import BaseClient

from .controller import Call, PersonalizeStub
from .errors import ServiceError, client_error
from .validation import validate_client_side, validates_client_side

STUBBED_SERVICES = frozenset(
    {"personalize", "cleanroomsml", "personalize-runtime", "personalize-events"}
)

_original_make_api_call = BaseClient._make_api_call
_active: PersonalizeStub | None = None
_service_ids: dict[str, str] = {}


def _make_api_call(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
    service_model = client._service_model
    stub = _active
    if stub is None or service_model.service_name not in STUBBED_SERVICES:
        return _original_make_api_call(client, operation_name, api_params)
    return serve(stub, client, operation_name, api_params)


def serve(
    stub: PersonalizeStub, client: BaseClient, operation_name: str, api_params: dict[str, Any]
) -> Any:
    """Answer one call of a stubbed service as botocore and the service together would."""
    service_model = client._service_model
    service_name = service_model.service_name
    operation = service_model.operation_model(operation_name)
    call = Call(service_name, operation_name, api_params)
    stub.calls.append(call)
    context = {
        "client_region": client.meta.region_name,
        "client_config": client.meta.config,
        "has_streaming_input": operation.has_streaming_input,
        "auth_type": operation.resolved_auth_type,
        "unsigned_payload": operation.unsigned_payload,
    }
    try:
        params = client._emit_api_params(
            api_params=api_params, operation_model=operation, context=context
        )
        if validates_client_side(client):
            validate_client_side(params, operation)
        service_id = _service_ids.get(service_name)
        if service_id is None:
            service_id = _service_ids[service_name] = service_model.service_id.hyphenize()
        request_dict = {
            "url_path": "/",
            "query_string": {},
            "method": "POST",
            "headers": {},
            "body": params,
            "url": "",
            "context": context,
        }
        _, event_response = client.meta.events.emit_until_response(
            f"before-call.{service_id}.{operation_name}",
            model=operation,
            params=request_dict,
            request_signer=client._request_signer,
            context=context,
        )
        if event_response is not None:
            http, response = event_response
            if http.status_code >= 300:
                code = response.get("Error", {}).get("Code")
                raise client.exceptions.from_code(code)(response, operation_name)
        else:
            response = stub.answer(service_name, operation, params)
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
def activated(stub: PersonalizeStub) -> Iterator[PersonalizeStub]:
    """Route the stubbed services to ``stub`` until the block ends, however it ends."""
    global _active
    if _active is not None:
        raise RuntimeError("a personalize_stub is already active; only one can be at a time")
    saved_sleep = time.sleep
    saved_env = {name: os.environ.get(name) for name in _ENVIRONMENT}
    _active = stub
    BaseClient._make_api_call = _make_api_call  # type: ignore[method-assign]
    try:
        _prepare_environment(stub)
        if stub.config.virtual_sleep:
            time.sleep = _virtual_sleep(stub)
        yield stub
    finally:
        BaseClient._make_api_call = _original_make_api_call  # type: ignore[method-assign]
        _active = None
        time.sleep = saved_sleep
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_ENVIRONMENT = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")


def _prepare_environment(stub: PersonalizeStub) -> None:
    """Dummy credentials and the fake's region for clients the code under test makes.

    Without credentials botocore would search for them, up to the instance metadata service
    on the network; without a region ``boto3.client("personalize")`` would fail.
    """
    if not os.environ.get("AWS_ACCESS_KEY_ID"):
        os.environ["AWS_ACCESS_KEY_ID"] = "testing"
        os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    if not os.environ.get("AWS_DEFAULT_REGION") and not os.environ.get("AWS_REGION"):
        os.environ["AWS_DEFAULT_REGION"] = stub.config.region


def _virtual_sleep(stub: PersonalizeStub) -> Any:
    def sleep(seconds: float) -> None:
        """Advance the fake clock by ``seconds`` instead of sleeping."""
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        stub.clock.advance(seconds=seconds)

    return sleep
