"""Parameters that botocore's validation cannot tell apart share one verdict, and epoch
numbers read as botocore reads them.

The fake runs botocore's own ``ParamValidator`` once for parameters alike (their
``alike_key``): a create with another name of the same length, events sent at another
time. These tests hold the key to botocore's real validator over fuzzed parameters of every
operation: what the key ignores never changes botocore's verdict, and a changed length,
number or timestamp text changes the key.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape
from botocore.utils import parse_to_aware_datetime
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from support.conformance import model_operations
from support.fuzzing import cases

from pytest_personalize_stub import pipeline
from pytest_personalize_stub.clients import service_model
from pytest_personalize_stub.validation import SAFE_EPOCHS, alike_key_for, epoch_seconds

VALIDATOR = ParamValidator()
EXAMPLES = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def disguised(value: Any, shape: Shape) -> Any:
    """``value`` with what the key ignores changed: every string of a string member (but a
    map's keys, which could merge) rewritten at the same length, every epoch number of a timestamp moved within 1970-2100,
    every datetime moved by a day."""
    if isinstance(shape, StructureShape) and type(value) is dict:
        return {
            name: disguised(item, shape.members[name]) if name in shape.members else item
            for name, item in value.items()
        }
    if isinstance(shape, ListShape) and type(value) is list:
        return [disguised(item, shape.member) for item in value]
    if isinstance(shape, MapShape) and type(value) is dict:
        return {key: disguised(item, shape.value) for key, item in value.items()}
    if shape.type_name == "string" and type(value) is str:
        return "".join("y" if char == "z" else "z" for char in value)
    if shape.type_name == "timestamp":
        low, high = SAFE_EPOCHS
        if type(value) in (int, float) and low <= value <= high:
            return low + (value - low + 86_400) % (high - low)
        if type(value) is datetime.datetime and 3 <= value.year <= 9997:
            return value + datetime.timedelta(days=1)
    return value


def verdict(params: dict[str, Any], shape: Shape) -> str:
    return VALIDATOR.validate(params, shape).generate_report() and "refused" or "passed"


@pytest.mark.parametrize(("service", "operation_name"), model_operations())
def test_what_the_key_ignores_never_changes_botocores_verdict(service, operation_name):
    operation = service_model(service).operation_model(operation_name)
    shape = operation.input_shape
    if shape is None:
        pytest.skip(f"{operation_name} takes no input")
    alike_key = alike_key_for(service, shape)
    seen = {"keyed": 0}

    @EXAMPLES
    @given(case=cases(operation, {}))
    def run(case) -> None:
        other = disguised(case.params, shape)
        key = alike_key(case.params)
        if key is None:
            return
        seen["keyed"] += 1
        assert alike_key(other) == key
        assert verdict(other, shape) == verdict(case.params, shape), (case.params, other)

    run()
    assert seen["keyed"], "no fuzzed parameters got a key"


def test_a_length_a_number_or_a_timestamp_text_changes_the_key():
    events = service_model("personalize-events").operation_model("PutEvents").input_shape
    key = alike_key_for("personalize-events", events)

    def sent(at: Any, user: str = "u-1") -> dict[str, Any]:
        return {
            "trackingId": "t",
            "sessionId": "s",
            "userId": user,
            "eventList": [{"eventType": "click", "sentAt": at}],
        }

    assert key(sent(1714564800)) == key(sent(1714564801)) == key(sent(1714564801.5))
    assert key(sent(1714564800)) != key(sent(1714564800, user="u-10"))
    assert key(sent(-1)) is None, "out of 1970-2100: validated each time"
    assert key(sent("2024-01-01T00:00:00Z")) != key(sent("2024-99-01T00:00:00Z"))
    assert key(sent(True)) is None and key({"unknownMember": 1}) is None


@pytest.mark.parametrize(
    "moment",
    [0, 1, 1714564800, 1714564800.5, 1714564800.0000004, 1714564800.9999996, 4_102_444_800],
)
def test_an_epoch_number_reads_as_botocore_reads_it(moment):
    """The fake reads an epoch number of 1970-2100 without botocore's local-zone lookups: to
    the same instant, to the microsecond, as botocore's own reading."""
    assert epoch_seconds(moment) == parse_to_aware_datetime(moment).timestamp()


def test_parameters_that_passed_as_alike_are_known_as_they_are_from_then_on(
    personalize_stub, personalize_client, monkeypatch
):
    """A describe of each test's own ARN passes because an ARN alike passed before; from then
    on its next call neither runs botocore's validator nor works out the alike key again."""
    plan = pipeline.plan_for("personalize", "DescribeSchema")
    monkeypatch.setattr(plan, "client_passed", set())  # nothing alike passed before this test
    monkeypatch.setattr(plan, "client_alike_passed", set())
    keyed, validated = [], []
    alike_key, validate = plan.alike_key, pipeline.validate_client_side
    monkeypatch.setattr(plan, "alike_key", lambda params: keyed.append(params) or alike_key(params))
    monkeypatch.setattr(
        pipeline,
        "validate_client_side",
        lambda params, model: validated.append(params) or validate(params, model),
    )
    first = f"arn:aws:personalize:us-east-1:123456789012:schema/alike-{uuid.uuid4().hex}"
    second = first[:-1] + ("1" if first.endswith("0") else "0")  # the same length
    for arn in (first, second, second, second):
        with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
            personalize_client.describe_schema(schemaArn=arn)
    assert validated == [{"schemaArn": first}]
    assert keyed == [{"schemaArn": first}, {"schemaArn": second}]
