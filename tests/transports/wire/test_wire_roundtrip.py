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
from support.wire.harness import (
    MODELS,
    OPERATIONS,
    WIRE_SETTINGS,
    assert_request_round_trips,
    assert_response_round_trips,
    operation_model,
)
from support.wire.strategies import input_params, output_values


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
    assert_request_round_trips(model, params, signed=data.draw(st.booleans(), label="signed"))


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
@WIRE_SETTINGS
@given(data=st.data())
def test_responses_parse_back_to_the_output_botocore_returns(data, service, operation):
    model = operation_model(service, operation)
    assert_response_round_trips(model, data.draw(output_values(model), label="output"))
