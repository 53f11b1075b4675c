"""Error answers: every modelled error of every service, and the common codes, parse in
botocore as the client does it (``Endpoint._add_modeled_error_fields``): Error.Code,
Error.Message, the HTTP status and the error shape's members."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from botocore.awsrequest import HeadersDict
from botocore.model import ServiceModel, StructureShape
from hypothesis import given
from hypothesis import strategies as st
from support.wire import synthetic_models
from support.wire.harness import MODELS, PARSERS, WIRE_SETTINGS
from support.wire.strategies import canonical, error_members, top_place

from pytest_personalize_stub.wire import (
    WireError,
    WireProtocol,
    default_protocol,
    serialize_wire_error,
)

SYNTHETIC = {model.service_name: model for model in synthetic_models.models()}
SYNTHETIC_WIRE = WireProtocol(SYNTHETIC.values())
ALL_MODELS: dict[str, ServiceModel] = {**MODELS, **SYNTHETIC}

COMMON = [
    ("ThrottlingException", None),
    ("ThrottlingException", 429),
    ("InternalServerError", 500),
    ("InternalServerException", 500),
    ("ServiceUnavailable", 503),
    ("AccessDeniedException", 403),
]
"""Codes any AWS service may answer, with the status the fake would give (None: default)."""

MODELLED = [
    (service, shape.name) for service, model in ALL_MODELS.items() for shape in model.error_shapes
]


def _wire(service: str) -> WireProtocol:
    return SYNTHETIC_WIRE if service in SYNTHETIC else default_protocol()


def client_parse(model: ServiceModel, response: Any) -> dict[str, Any]:
    """What a botocore client makes of an error answer to any operation of the service."""
    parser = PARSERS[model.metadata["protocol"]]
    response_dict = {
        "status_code": response.status,
        "headers": HeadersDict(response.headers),
        "body": response.body,
    }
    operation = model.operation_model(model.operation_names[0])
    parsed: dict[str, Any] = parser.parse(response_dict, operation.output_shape)
    shape = model.shape_for_error_code(parsed["Error"]["Code"])
    if shape is not None:
        parsed.update(parser.parse(response_dict, shape))
    return parsed


def test_every_modelled_error_is_covered():
    assert {service for service, _ in MODELLED} == set(ALL_MODELS)
    assert len(MODELLED) == sum(len(model.error_shapes) for model in ALL_MODELS.values())


@pytest.mark.parametrize(("service", "code"), MODELLED)
@WIRE_SETTINGS
@given(data=st.data())
def test_modelled_errors_parse_back_with_their_status_and_members(data, service, code):
    model = ALL_MODELS[service]
    shape = model.shape_for(code)
    assert isinstance(shape, StructureShape)
    members = data.draw(error_members(shape, model.metadata["protocol"]), label="members")
    message = data.draw(st.text(max_size=30), label="message")
    status = data.draw(st.sampled_from([None, 400, 418]), label="status")
    response = _wire(service).serialize_error(service, code, message, members, "request-9", status)
    modelled_status = shape.metadata.get("error", {}).get("httpStatusCode")
    assert response.status == (modelled_status or status or 400)
    parsed = client_parse(model, response)
    assert parsed["Error"]["Code"] == code
    assert parsed["Error"]["Message"] == message
    assert parsed["ResponseMetadata"]["HTTPStatusCode"] == response.status
    assert parsed["ResponseMetadata"]["RequestId"] == "request-9"
    message_member = next(name for name in shape.members if name.lower() == "message")
    expected = {**members, message_member: message}
    got = {name: parsed[name] for name in shape.members if name in parsed}
    place = top_place(model.metadata["protocol"], "response")
    assert canonical(got, shape, place) == canonical(expected, shape, place)


@pytest.mark.parametrize("service", sorted(ALL_MODELS))
@pytest.mark.parametrize(("code", "status"), COMMON)
def test_common_errors_parse_back_with_their_code_message_and_status(service, code, status):
    model = ALL_MODELS[service]
    response = _wire(service).serialize_error(
        service, code, "Rate exceeded", {}, "request-9", status
    )
    modelled = model.shape_for_error_code(code)
    modelled_status = modelled.metadata.get("error", {}).get("httpStatusCode") if modelled else None
    assert response.status == (modelled_status or status or 400)
    parsed = client_parse(model, response)
    assert parsed["Error"] == {"Code": code, "Message": "Rate exceeded"}
    assert parsed["ResponseMetadata"]["HTTPStatusCode"] == response.status


def test_unmodelled_members_of_any_json_type_go_out_as_json():
    """Members the error shape does not have still reach the body, as JSON or as text."""
    response = default_protocol().serialize_error(
        "personalize",
        "ThrottlingException",
        "slow down",
        {"retryAfter": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc), "n": 1},
        "r",
    )
    assert b'"retryAfter":"2024-01-01T00:00:00Z"' in response.body
    assert client_parse(MODELS["personalize"], response)["Error"]["Code"] == "ThrottlingException"


@pytest.mark.parametrize("service", sorted(MODELS))
def test_a_wire_error_of_a_known_service_answers_in_its_protocol(service):
    error = WireError("SerializationException", "bad body", 400, service)
    parsed = client_parse(MODELS[service], serialize_wire_error(error, "r"))
    assert parsed["Error"] == {"Code": "SerializationException", "Message": "bad body"}
    assert parsed["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize("service", sorted(MODELS))
def test_a_wire_error_of_no_known_service_reads_in_either_protocol(service):
    error = WireError("UnknownOperationException", "No operation matches GET /x.", 404)
    parsed = client_parse(MODELS[service], serialize_wire_error(error, "r"))
    assert parsed["Error"] == {
        "Code": "UnknownOperationException",
        "Message": "No operation matches GET /x.",
    }
    assert parsed["ResponseMetadata"]["HTTPStatusCode"] == 404
