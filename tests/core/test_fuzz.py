"""Fuzzing every operation of the four services with inputs built from botocore's shapes.

For each operation, ``CASES_PER_OPERATION`` hypothesis cases run against a fake account
that already holds one resource of the usual kinds (so calls reach real state), with
client-side validation on and off. Each case is valid or carries one defect; the property
(``support.fuzzing``) is what AWS promises for it. Afterwards every stored resource must still
be described, and every listing still paged, in the documented shapes.

The runs are derandomized so CI sees the same cases each time; set
``HYPOTHESIS_PROFILE=explore`` to draw new ones.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from botocore.model import OperationModel
from hypothesis import HealthCheck, given, settings
from support.cleanroomsml_flows import (
    MEMBERSHIP,
    SEED,
    configured_audience_model,
    infer,
    trained_model,
)
from support.conformance import STUBBED, assert_conforms, model_operations
from support.flows import ROLE, deployed_campaign
from support.fuzzing import ANY_DOCUMENTED, PARAM_VALIDATION, SERVICE_VALIDATION, Case, cases

from pytest_personalize_stub.services.registry import SERVICES

CASES_PER_OPERATION = 80
"""Hypothesis examples per operation: 138 operations make over 11,000 cases a run."""

MIN_CASES_PER_OPERATION = 75
"""Fewer cases than this for an operation means its strategy gave up: the test fails."""

VALIDATION_ERROR = {
    "personalize": "InvalidInputException",
    "personalize-runtime": "InvalidInputException",
    "personalize-events": "InvalidInputException",
    "cleanroomsml": "ValidationException",
}
"""Each service's own validation error, as the AWS API references name it."""

settings.register_profile(
    "ci",
    max_examples=CASES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "explore",
    parent=settings.get_profile("ci"),
    derandomize=False,
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="module")
def clients() -> dict[tuple[str, bool], Any]:
    """A client per service with client-side validation on (True) and off (False)."""
    made = {}
    for service in STUBBED:
        for validating in (True, False):
            made[(service, validating)] = boto3.client(
                service,
                region_name="us-east-1",
                aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                aws_secret_access_key="fuzz",
                config=Config(parameter_validation=validating),
            )
    return made


def populate(stub: Any) -> None:
    """One resource of the usual kinds, in settled and in-flight statuses."""
    personalize = stub.client("personalize")
    cleanroomsml = stub.client("cleanroomsml")
    arns = deployed_campaign(stub, personalize)
    group = arns["datasetGroupArn"]
    personalize.create_event_tracker(name="clicks", datasetGroupArn=group)
    personalize.create_filter(
        name="no-clicked",
        datasetGroupArn=group,
        filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
    )
    personalize.create_batch_inference_job(
        jobName="nightly",
        solutionVersionArn=arns["solutionVersionArn"],
        jobInput={"s3DataSource": {"path": "s3://bucket/in.json"}},
        jobOutput={"s3DataDestination": {"path": "s3://bucket/out/"}},
        roleArn=ROLE,
    )
    configured = configured_audience_model(stub, cleanroomsml)["configuredAudienceModelArn"]
    cleanroomsml.start_audience_generation_job(
        name="audience", configuredAudienceModelArn=configured, seedAudience=SEED
    )
    model = trained_model(stub, cleanroomsml)
    stub.settle()
    infer(cleanroomsml, model["trainedModelArn"], model["mlInputChannelArn"])


def pool_of(stub: Any) -> dict[str, list[str]]:
    """Strings that name existing things, by the member name that carries them."""
    found: dict[str, set[str]] = defaultdict(set)
    for service in SERVICES.values():
        for rtype in service.resource_types:
            for resource in stub.state.store.all(rtype.kind):
                found["resourceArn"].add(resource.arn)
                for name, value in resource.attrs.items():
                    values = value if isinstance(value, list) else [value]
                    found[name].update(item for item in values if isinstance(item, str))
    found["membershipIdentifier"].add(MEMBERSHIP)
    return {name: sorted(values) for name, values in found.items()}


def documented_errors(operation: OperationModel) -> set[str]:
    """The error codes the operation's model lists."""
    return {
        shape.metadata.get("error", {}).get("code", shape.name) for shape in operation.error_shapes
    }


def check_case(case: Case, client: Any, operation: OperationModel, validation_code: str) -> None:
    """Make the call and hold it to what the case promises."""
    allowed = documented_errors(operation) | {validation_code}
    try:
        response = getattr(client, xform_name(operation.name))(**case.params)
    except ParamValidationError as error:
        assert case.expect == PARAM_VALIDATION, f"{case}: unexpected {error}"
        return
    except ClientError as error:
        code = error.response["Error"]["Code"]
        message = error.response["Error"]["Message"]
        if case.expect == SERVICE_VALIDATION:
            assert code == validation_code, f"{case}: {code}: {message}"
            assert case.member is not None and case.member in message, f"{case}: {message}"
        else:
            assert case.expect == ANY_DOCUMENTED, f"{case}: {code}: {message}"
            assert code in allowed, f"{case}: {code} is not documented: {message}"
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] >= 400
        return
    assert case.expect == ANY_DOCUMENTED, f"{case}: succeeded"
    assert_conforms(response, operation)


def assert_consistent(stub: Any, clients: Mapping[tuple[str, bool], Any]) -> None:
    """Every stored resource is still described, and every listing still pages, as documented."""
    pool = pool_of(stub)
    for service in STUBBED:
        client = clients[(service, True)]
        model = client.meta.service_model
        for name in model.operation_names:
            if name.startswith("List"):
                _page_through(client, model.operation_model(name), pool)
        for rtype in SERVICES[service].resource_types:
            for resource in list(stub.state.store.all(rtype.kind)):
                _describe(client, model, rtype.key, resource)


def _page_through(
    client: Any, operation: OperationModel, pool: Mapping[str, Sequence[str]]
) -> None:
    shape = operation.input_shape
    required = shape.required_members if shape is not None else []
    if any(not pool.get(member) for member in required):
        return
    params = {member: pool[member][0] for member in required}
    method = xform_name(operation.name)
    try:
        if not client.can_paginate(method):
            assert_conforms(getattr(client, method)(**params), operation)
            return
        pages = client.get_paginator(method).paginate(**params, PaginationConfig={"PageSize": 2})
        for page in pages:
            assert_conforms(page, operation)
    except ClientError as error:
        assert error.response["Error"]["Code"] in documented_errors(operation), operation.name


def _describe(client: Any, model: Any, key: str, resource: Any) -> None:
    """Every Describe/Get operation taking the resource's key answers as documented, and
    one of them (where the service has one) in shape."""
    answered, candidates = [], 0
    for name in model.operation_names:
        if not name.startswith(("Describe", "Get")):
            continue
        operation = model.operation_model(name)
        required = operation.input_shape.required_members if operation.input_shape else []
        if key not in required or any(
            member != key and member not in resource.attrs for member in required
        ):
            continue
        candidates += 1
        params = {member: resource.attrs.get(member, resource.arn) for member in required}
        params[key] = resource.arn
        try:
            response = getattr(client, xform_name(name))(**params)
        except ClientError as error:
            assert error.response["Error"]["Code"] in documented_errors(operation), name
            continue
        assert_conforms(response, operation)
        answered.append(name)
    assert answered or not candidates, f"no Describe/Get answers for {resource.arn}"


@pytest.mark.parametrize(("service", "operation_name"), model_operations())
def test_every_call_gets_a_documented_answer(personalize_stub, clients, service, operation_name):
    populate(personalize_stub)
    pool = pool_of(personalize_stub)
    operation = clients[(service, True)].meta.service_model.operation_model(operation_name)
    ran = 0

    @PROFILE
    @given(case=cases(operation, pool))
    def run(case: Case) -> None:
        nonlocal ran
        ran += 1
        client = clients[(service, case.client_validation)]
        check_case(case, client, operation, VALIDATION_ERROR[service])

    run()
    assert ran >= MIN_CASES_PER_OPERATION
    assert_consistent(personalize_stub, clients)
