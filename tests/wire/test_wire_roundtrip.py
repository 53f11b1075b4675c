"""Every operation of the four models, both ways, against botocore's own code.

Requests: random valid params go through botocore's serializer, signer and request
preparation; ``parse_request`` must give back the same service, operation and params.
Responses: random valid outputs go through ``serialize_response``; botocore's parser must
give back the same output. Timestamps compare as instants, blobs as bytes.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wire_strategies import canonical, input_params, output_values, top_place
from wire_support import (
    MODELS,
    OPERATIONS,
    WIRE_SETTINGS,
    botocore_parse,
    botocore_request,
    operation_model,
)

from pytest_personalize_stub.wire import parse_request, serialize_response


def test_every_operation_of_the_models_is_covered():
    """The parametrized list is the models' own: no operation may drop out of it."""
    names = {(service, name) for service, model in MODELS.items() for name in model.operation_names}
    assert set(OPERATIONS) == names
    assert len(OPERATIONS) == len(names) >= 138


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
@WIRE_SETTINGS
@given(data=st.data())
def test_requests_parse_back_to_the_params_botocore_sent(data, service, operation):
    model = operation_model(service, operation)
    params = data.draw(input_params(model), label="params")
    signed = data.draw(st.booleans(), label="signed")
    request = botocore_request(model, params, signed=signed)
    parsed_service, parsed_operation, parsed = parse_request(request)
    assert (parsed_service, parsed_operation) == (service, operation)
    place = top_place(model.metadata["protocol"], "request")
    assert canonical(parsed, model.input_shape, place) == canonical(
        params, model.input_shape, place
    )


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
@WIRE_SETTINGS
@given(data=st.data())
def test_responses_parse_back_to_the_output_botocore_returns(data, service, operation):
    model = operation_model(service, operation)
    output = data.draw(output_values(model), label="output")
    response = serialize_response(service, operation, output, "request-1")
    protocol = model.metadata["protocol"]
    assert response.status == model.http.get("responseCode", 200)
    assert response.headers["x-amzn-RequestId"] == "request-1"
    assert int(response.headers["Content-Length"]) == len(response.body)
    if protocol == "json":
        assert response.headers["Content-Type"] == "application/x-amz-json-1.1"
    elif response.body:
        assert response.headers["Content-Type"] == "application/json"
    parsed = botocore_parse(response, model.output_shape, protocol)
    metadata = parsed.pop("ResponseMetadata")
    assert metadata["RequestId"] == "request-1"
    assert metadata["HTTPStatusCode"] == response.status
    place = top_place(protocol, "response")
    assert canonical(parsed, model.output_shape, place) == canonical(
        output, model.output_shape, place
    )
