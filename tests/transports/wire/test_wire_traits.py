"""The wire traits the four models do not use, proven on two small models of their own
(``synthetic_models.py``) against botocore's serializer and parser, as for the real ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.wire import synthetic_models
from support.wire.harness import (
    EXAMPLES,
    WIRE_SETTINGS,
    assert_request_round_trips,
    assert_response_round_trips,
)
from support.wire.strategies import input_params, output_values

from pytest_personalize_stub.wire import WireProtocol

MODELS = {model.service_name: model for model in synthetic_models.models()}
WIRE = WireProtocol(MODELS.values())
OPERATIONS = [
    (service, name) for service, model in MODELS.items() for name in model.operation_names
]
TRAIT_SETTINGS = settings(WIRE_SETTINGS, max_examples=EXAMPLES * 4)


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
@TRAIT_SETTINGS
@given(data=st.data())
def test_requests_parse_back_to_the_params_botocore_sent(data, service, operation):
    model = MODELS[service].operation_model(operation)
    params = data.draw(input_params(model), label="params")
    assert_request_round_trips(model, params, data.draw(st.booleans(), label="signed"), WIRE)


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
@TRAIT_SETTINGS
@given(data=st.data())
def test_responses_parse_back_to_the_output_botocore_returns(data, service, operation):
    model = MODELS[service].operation_model(operation)
    assert_response_round_trips(model, data.draw(output_values(model), label="output"), WIRE)
