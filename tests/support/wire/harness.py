"""What the wire tests share: the operations of the four models, botocore's own serializers
and parsers, and requests built exactly as botocore sends them."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import HeadersDict, create_request_object, prepare_request_dict
from botocore.credentials import Credentials
from botocore.model import OperationModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, settings

from pytest_personalize_stub.wire import (
    SERVICES,
    HttpRequest,
    HttpResponse,
    WireProtocol,
    default_protocol,
)
from support.wire.strategies import canonical, top_place

SESSION = botocore.session.get_session()
MODELS = {name: SESSION.get_service_model(name) for name in SERVICES}

OPERATIONS = [(service, name) for service in SERVICES for name in MODELS[service].operation_names]
"""Every operation of the four models, enumerated from the models themselves."""

SERIALIZERS = {
    protocol: create_serializer(protocol, include_validation=False)
    for protocol in ("json", "rest-json")
}
PARSERS = {protocol: create_parser(protocol) for protocol in ("json", "rest-json")}
CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

EXAMPLES = int(os.environ.get("WIRE_EXAMPLES", "12"))
"""Hypothesis examples per operation and direction (derandomized: CI sees the same ones)."""

WIRE_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "explore",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def operation_model(service: str, name: str) -> OperationModel:
    return MODELS[service].operation_model(name)


def botocore_request(
    operation: OperationModel, params: dict[str, Any], signed: bool = True
) -> HttpRequest:
    """The request botocore sends for ``params``: its serializer, ``prepare_request_dict``,
    SigV4 (when ``signed``) and ``AWSRequest.prepare()``; headers as a plain dict."""
    protocol = operation.metadata["protocol"]
    request_dict = SERIALIZERS[protocol].serialize_to_request(params, operation)
    prepare_request_dict(request_dict, endpoint_url="http://wire.test")
    request = create_request_object(request_dict)
    if signed:
        signing_name = operation.metadata.get("signingName", operation.metadata["endpointPrefix"])
        SigV4Auth(CREDENTIALS, signing_name, "us-east-1").add_auth(request)
    prepared = request.prepare()
    url = urlsplit(prepared.url)
    body = prepared.body or b""
    return HttpRequest(
        prepared.method,
        url.path,
        url.query,
        dict(prepared.headers.items()),
        body.encode("utf-8") if isinstance(body, str) else bytes(body),
    )


def botocore_parse(response: HttpResponse, shape: Any, protocol: str) -> dict[str, Any]:
    """What botocore's parser makes of the response (headers as botocore holds them)."""
    parsed: dict[str, Any] = PARSERS[protocol].parse(
        {
            "status_code": response.status,
            "headers": HeadersDict(response.headers),
            "body": response.body,
        },
        shape,
    )
    return parsed


def assert_request_round_trips(
    operation: OperationModel,
    params: dict[str, Any],
    signed: bool,
    wire: WireProtocol | None = None,
) -> None:
    """``parse_request`` of botocore's request for ``params`` gives back the service, the
    operation and the params (as far as the wire carries them)."""
    request = botocore_request(operation, params, signed=signed)
    service, name, parsed = (wire or default_protocol()).parse_request(request)
    assert (service, name) == (operation.service_model.service_name, operation.name)
    place = top_place(operation.metadata["protocol"], "request")
    shape = operation.input_shape
    assert canonical(parsed, shape, place) == canonical(params, shape, place)


def assert_response_round_trips(
    operation: OperationModel, output: dict[str, Any], wire: WireProtocol | None = None
) -> HttpResponse:
    """botocore's parser reads ``serialize_response`` of ``output`` back to ``output``, with
    the request id, the status and the protocol's content type."""
    protocol = operation.metadata["protocol"]
    service = operation.service_model.service_name
    response = (wire or default_protocol()).serialize_response(
        service, operation.name, output, "request-1"
    )
    members = operation.output_shape.members if operation.output_shape else {}
    status_member = next(
        (name for name, m in members.items() if m.serialization.get("location") == "statusCode"),
        None,
    )
    expected_status = operation.http.get("responseCode", 200)
    expected = dict(output)
    if status_member is not None:
        # botocore always reads the status into its member,
        expected_status = expected.setdefault(status_member, expected_status)
    for name, member in members.items():
        if member.serialization.get("location") == "headers":
            expected.setdefault(name, {})  # and prefixed headers into theirs, if only {}.
    assert response.status == expected_status
    assert response.headers["x-amzn-RequestId"] == "request-1"
    assert int(response.headers["Content-Length"]) == len(response.body)
    if protocol == "json":
        version = operation.metadata["jsonVersion"]
        assert response.headers["Content-Type"] == f"application/x-amz-json-{version}"
    elif response.body and "Content-Type" in response.headers:
        assert response.headers["Content-Type"] in (
            "application/json",
            "application/octet-stream",
            "text/plain",
        )
    parsed = botocore_parse(response, operation.output_shape, protocol)
    metadata = parsed.pop("ResponseMetadata")
    assert metadata["RequestId"] == "request-1"
    assert metadata["HTTPStatusCode"] == response.status
    place = top_place(protocol, "response")
    shape = operation.output_shape
    assert canonical(parsed, shape, place) == canonical(expected, shape, place)
    return response
