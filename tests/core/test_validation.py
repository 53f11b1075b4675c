"""Parameter validation as boto3 and AWS do it together.

Client side, botocore's ``ParamValidator`` stops missing, mistyped, unknown and below-``min``
parameters with ``ParamValidationError`` before anything is sent. Everything else (``max``,
``pattern``, ``enum``) and, for clients made with ``parameter_validation=False``, everything at
all is answered by the service with ``InvalidInputException`` (Personalize) or
``ValidationException`` (Clean Rooms ML) worded "N validation error(s) detected: ...".
"""

from __future__ import annotations

import botocore.config
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError
from botocore.validate import ParamValidator
from support.cleanroomsml_flows import OUTPUT_CONFIG, TRAINING_DATA
from support.cleanroomsml_flows import ROLE as CRML_ROLE
from support.flows import (
    ROLE,
    USER_PERSONALIZATION,
    active_dataset,
    active_dataset_group,
    active_solution,
    deployed_campaign,
    trained_version,
)
from support.models import needs_member

ACCOUNT_PREFIX = "arn:aws:personalize:us-east-1:123456789012"
SOME_VERSION = f"{ACCOUNT_PREFIX}:solution/sol/0123abcd"
KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SOME_AUDIENCE_MODEL = (
    "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/abcdefghijklmnopqrstuv"
)
NO_VALIDATION = botocore.config.Config(parameter_validation=False)


def botocore_message(client, operation: str, params: dict) -> str:
    """What botocore's own ParamValidator says about ``params`` (the expected wording)."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    assert report.has_errors(), "the example parameters are not invalid for botocore"
    return str(ParamValidationError(report=report.generate_report()))


def model_metadata(client, shape_name: str) -> dict:
    return client.meta.service_model.shape_for(shape_name).metadata


@pytest.fixture
def lax_personalize(personalize_stub):
    """A personalize client made with ``parameter_validation=False``."""
    return personalize_stub.client("personalize", config=NO_VALIDATION)


@pytest.fixture
def lax_cleanroomsml(personalize_stub):
    """A cleanroomsml client made with ``parameter_validation=False``."""
    return personalize_stub.client("cleanroomsml", config=NO_VALIDATION)


def error_of(excinfo) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


# --------------------------------------------------------------------------------------------
# 1. Client side: botocore's ParamValidator, botocore's wording
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "operation", "params", "named"),
    [
        pytest.param(
            "personalize",
            "CreateDatasetGroup",
            {},
            'Missing required parameter in input: "name"',
            id="missing-required-member",
        ),
        pytest.param(
            "personalize",
            "CreateCampaign",
            {"name": 123, "solutionVersionArn": SOME_VERSION},
            "Invalid type for parameter name, value: 123",
            id="wrong-python-type",
        ),
        pytest.param(
            "personalize",
            "CreateCampaign",
            {
                "name": "camp",
                "solutionVersionArn": SOME_VERSION,
                "campaignConfig": {"syncWithLatestSolutionVersion": "yes"},
            },
            "campaignConfig.syncWithLatestSolutionVersion",
            id="wrong-type-in-nested-structure",
        ),
        pytest.param(
            "personalize",
            "CreateDatasetGroup",
            {"name": "shop", "colour": "blue"},
            'Unknown parameter in input: "colour"',
            id="unknown-member",
        ),
        pytest.param(
            "personalize",
            "CreateCampaign",
            {"name": "camp", "solutionVersionArn": SOME_VERSION, "minProvisionedTPS": 0},
            "Invalid value for parameter minProvisionedTPS, value: 0",
            id="value-below-min",
        ),
        pytest.param(
            "personalize",
            "CreateDatasetGroup",
            {"name": ""},
            "Invalid length for parameter name",
            id="string-below-min-length",
        ),
        pytest.param(
            "personalize",
            "ListDatasetGroups",
            {"maxResults": 0},
            "Invalid value for parameter maxResults, value: 0",
            id="max-results-below-min-on-a-list",
        ),
        pytest.param(
            "cleanroomsml",
            "CreateConfiguredAudienceModel",
            {
                "name": "lookalike",
                "audienceModelArn": SOME_AUDIENCE_MODEL,
                "outputConfig": OUTPUT_CONFIG,
                "sharedAudienceMetrics": ["ALL"],
                "minMatchingSeedSize": 10,
            },
            "minMatchingSeedSize",
            id="cleanroomsml-below-min",
        ),
        pytest.param(
            "cleanroomsml",
            "CreateTrainingDataset",
            {"name": "data", "roleArn": CRML_ROLE},
            '"trainingData"',
            id="cleanroomsml-missing-required",
        ),
    ],
)
def test_a_client_side_problem_raises_param_validation_error(
    request, service, operation, params, named
):
    client = request.getfixturevalue(f"{service}_client")
    with pytest.raises(ParamValidationError) as excinfo:
        getattr(client, xform_name(operation))(**params)

    assert str(excinfo.value) == botocore_message(client, operation, params)
    assert named in str(excinfo.value)


def test_several_client_side_problems_are_reported_together(personalize_client):
    params = {"solutionVersionArn": SOME_VERSION, "minProvisionedTPS": 0, "colour": "blue"}

    with pytest.raises(ParamValidationError) as excinfo:
        personalize_client.create_campaign(**params)

    message = str(excinfo.value)
    assert message == botocore_message(personalize_client, "CreateCampaign", params)
    assert '"name"' in message and "minProvisionedTPS" in message and '"colour"' in message


@pytest.fixture
def validated(monkeypatch):
    """The parameters botocore's own validator was run on, through the fake, in order."""
    from pytest_personalize_stub import validation

    seen: list[dict] = []
    run = validation._client_validator.validate

    def counting(params, shape):
        seen.append(params)
        return run(params, shape)

    monkeypatch.setattr(validation._client_validator, "validate", counting)
    return seen


def test_parameters_botocore_cannot_tell_apart_are_validated_once(
    personalize_stub, cleanroomsml_client, validated
):
    """botocore reads a string only for its length (``min``), so a create with another name
    of the same length passes as the first did; any other length, type or structure is
    validated again, and a failure is never taken for a pass."""

    def create(name: str, data: object = TRAINING_DATA) -> None:
        cleanroomsml_client.create_training_dataset(name=name, roleArn=CRML_ROLE, trainingData=data)

    create("one")
    create("two")
    assert [params["name"] for params in validated] == ["one"]
    create("three")
    assert [params["name"] for params in validated] == ["one", "three"]
    with pytest.raises(ParamValidationError, match="Invalid length for parameter name"):
        create("")
    broken = [{**TRAINING_DATA[0], "inputConfig": {"schema": []}}]
    with pytest.raises(ParamValidationError, match="dataSource"):
        create("six", broken)
    with pytest.raises(ParamValidationError, match="dataSource"):
        create("ten", broken)
    assert len(validated) == 5


def test_a_timestamp_text_is_alike_only_to_the_same_text(cleanroomsml_client, validated):
    """A timestamp member's text must parse, whatever its length: another text of the same
    length is validated again."""
    dataset = cleanroomsml_client.create_training_dataset(
        name="data", roleArn=CRML_ROLE, trainingData=TRAINING_DATA
    )["trainingDatasetArn"]

    def create(name: str, start: str) -> None:
        cleanroomsml_client.create_audience_model(
            name=name, trainingDatasetArn=dataset, trainingDataStartTime=start
        )

    create("a", "2024-01-01T00:00:00Z")
    with pytest.raises(ParamValidationError, match="trainingDataStartTime"):
        create("b", "2024-99-01T00:00:00Z")
    assert len(validated) == 3


def test_client_side_failure_is_recorded_with_its_error(personalize_stub, personalize_client):
    params = {"name": "camp", "solutionVersionArn": SOME_VERSION, "minProvisionedTPS": 0}

    with pytest.raises(ParamValidationError) as excinfo:
        personalize_client.create_campaign(**params)

    call = personalize_stub.calls[-1]
    assert call.service == "personalize"
    assert call.operation == "CreateCampaign"
    assert call.params == params
    assert call.error is excinfo.value
    assert call.response is None


def test_client_side_failure_changes_no_state(personalize_stub, personalize_client):
    """A request botocore refuses never reaches the service: nothing is created."""
    deployed = deployed_campaign(personalize_stub, personalize_client)
    version = deployed["solutionVersionArn"]

    with pytest.raises(ParamValidationError):
        personalize_client.create_campaign(
            name="second", solutionVersionArn=version, minProvisionedTPS=0
        )
    with pytest.raises(ParamValidationError):
        personalize_client.create_dataset_group(name="other", colour="blue")

    campaigns = personalize_client.list_campaigns()["campaigns"]
    assert [c["campaignArn"] for c in campaigns] == [deployed["campaignArn"]]
    groups = personalize_client.list_dataset_groups()["datasetGroups"]
    assert [g["datasetGroupArn"] for g in groups] == [deployed["datasetGroupArn"]]
    # The refused names are still free.
    personalize_client.create_campaign(name="second", solutionVersionArn=version)
    personalize_client.create_dataset_group(name="other")


# --------------------------------------------------------------------------------------------
# 2. parameter_validation=False: the service answers the same inputs itself
# --------------------------------------------------------------------------------------------


def test_unvalidated_missing_required_is_answered_by_the_service(lax_personalize):
    with pytest.raises(ClientError) as excinfo:
        lax_personalize.create_dataset_group()

    assert not isinstance(excinfo.value, ParamValidationError)
    assert isinstance(excinfo.value, lax_personalize.exceptions.InvalidInputException)
    assert error_of(excinfo) == (
        "InvalidInputException",
        (
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: "
            "Member must not be null"
        ),
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def nested(depth):
    value = "bottom"
    for _ in range(depth):
        value = {"deeper": [value]}
    return value


@pytest.mark.parametrize("where", ["name", "tags"])
def test_unvalidated_deep_nesting_is_the_services_validation_error(lax_personalize, where):
    """400 levels where a string or a tag is expected: the service names the member and
    writes the value out only so deep, as no formatter may recurse into all of it."""
    deep = nested(400)
    tags = [{"tagKey": deep, "tagValue": "v"}]
    params = {"name": deep} if where == "name" else {"name": "g", "tags": tags}
    with pytest.raises(lax_personalize.exceptions.InvalidInputException) as excinfo:
        lax_personalize.create_dataset_group(**params)
    message = excinfo.value.response["Error"]["Message"]
    assert f"at '{where}" in message and "..." in message
    assert len(message) < 2000


def test_unvalidated_deep_nesting_on_cleanroomsml(lax_cleanroomsml):
    with pytest.raises(lax_cleanroomsml.exceptions.ValidationException, match="trainingData"):
        lax_cleanroomsml.create_training_dataset(
            name="t", roleArn="arn:aws:iam::123456789012:role/R", trainingData=nested(400)
        )


def test_unvalidated_value_below_min_is_answered_by_the_service(lax_personalize):
    with pytest.raises(lax_personalize.exceptions.InvalidInputException) as excinfo:
        lax_personalize.create_campaign(
            name="camp", solutionVersionArn=SOME_VERSION, minProvisionedTPS=0
        )

    assert error_of(excinfo)[1] == (
        "1 validation error detected: Value '0' at 'minProvisionedTPS' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1"
    )


def test_unvalidated_empty_name_is_answered_by_the_service(lax_personalize):
    with pytest.raises(lax_personalize.exceptions.InvalidInputException) as excinfo:
        lax_personalize.create_dataset_group(name="")

    message = error_of(excinfo)[1]
    # An empty name also breaks the Name pattern, so AWS reports both problems.
    assert message.startswith("2 validation errors detected: ")
    assert (
        "Value '' at 'name' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    ) in message


def test_unvalidated_wrong_type_is_answered_by_the_service(lax_personalize):
    with pytest.raises(ClientError) as excinfo:
        lax_personalize.create_campaign(
            name="camp", solutionVersionArn=SOME_VERSION, minProvisionedTPS="ten"
        )

    code, message = error_of(excinfo)
    assert code == "InvalidInputException"
    assert message.startswith("1 validation error detected: Value 'ten' at 'minProvisionedTPS'")
    assert "failed to satisfy constraint: Member must" in message


def test_unvalidated_nested_missing_required_names_the_member_path(lax_cleanroomsml):
    output = {"destination": {"s3Destination": {"s3Uri": "s3://audiences/out/"}}}

    with pytest.raises(lax_cleanroomsml.exceptions.ValidationException) as excinfo:
        lax_cleanroomsml.create_configured_audience_model(
            name="lookalike",
            audienceModelArn=SOME_AUDIENCE_MODEL,
            outputConfig=output,
            sharedAudienceMetrics=["ALL"],
        )

    assert error_of(excinfo)[1] == (
        "1 validation error detected: Value null at 'outputConfig.roleArn' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_unvalidated_unknown_member_is_dropped_like_botocore_serializer(
    personalize_stub, lax_personalize
):
    """botocore's serializer sends only modelled members, so the service never sees it."""
    arn = lax_personalize.create_dataset_group(name="shop", colour="blue")["datasetGroupArn"]

    group = lax_personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert group["name"] == "shop"
    assert "colour" not in group


def test_unvalidated_cleanroomsml_missing_required_is_validation_exception(lax_cleanroomsml):
    with pytest.raises(ClientError) as excinfo:
        lax_cleanroomsml.create_training_dataset(roleArn=CRML_ROLE, trainingData=TRAINING_DATA)

    assert isinstance(excinfo.value, lax_cleanroomsml.exceptions.ValidationException)
    assert error_of(excinfo) == (
        "ValidationException",
        (
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: "
            "Member must not be null"
        ),
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unvalidated_cleanroomsml_below_min_is_validation_exception(lax_cleanroomsml):
    with pytest.raises(lax_cleanroomsml.exceptions.ValidationException) as excinfo:
        lax_cleanroomsml.create_configured_audience_model(
            name="lookalike",
            audienceModelArn=SOME_AUDIENCE_MODEL,
            outputConfig=OUTPUT_CONFIG,
            sharedAudienceMetrics=["ALL"],
            minMatchingSeedSize=10,
        )

    assert error_of(excinfo)[1] == (
        "1 validation error detected: Value '10' at 'minMatchingSeedSize' failed to satisfy "
        "constraint: Member must have value greater than or equal to 25"
    )


def test_unvalidated_failure_is_recorded_and_changes_no_state(personalize_stub, lax_personalize):
    with pytest.raises(ClientError) as excinfo:
        lax_personalize.create_dataset_group(name="")

    call = personalize_stub.calls[-1]
    assert call.operation == "CreateDatasetGroup"
    assert call.error is excinfo.value
    assert call.response is None
    assert lax_personalize.list_dataset_groups()["datasetGroups"] == []


def test_validation_setting_is_per_client(personalize_stub, personalize_client, lax_personalize):
    """The same bad call is client-side for a validating client, server-side for a lax one."""
    with pytest.raises(ParamValidationError):
        personalize_client.create_dataset_group(name="")
    with pytest.raises(lax_personalize.exceptions.InvalidInputException):
        lax_personalize.create_dataset_group(name="")


# --------------------------------------------------------------------------------------------
# 3. Server-side constraints that botocore does not check (validation on)
# --------------------------------------------------------------------------------------------


def test_name_longer_than_max_is_invalid_input(personalize_client):
    name = "n" * 64

    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.create_dataset_group(name=name)

    assert error_of(excinfo) == (
        "InvalidInputException",
        (
            f"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: "
            "Member must have length less than or equal to 63"
        ),
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_name_of_exactly_max_length_is_accepted(personalize_client):
    arn = personalize_client.create_dataset_group(name="n" * 63)["datasetGroupArn"]

    assert arn.endswith("dataset-group/" + "n" * 63)


def test_a_string_that_passed_one_shape_is_still_checked_against_another(personalize_client):
    long = "n" * 64
    personalize_client.create_dataset_group(
        name="tagged", tags=[{"tagKey": "note", "tagValue": long}]
    )  # a tag value may have 256 characters, a name 63

    for _ in range(2):
        with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
            personalize_client.create_dataset_group(name=long)
        assert "Member must have length less than or equal to 63" in error_of(excinfo)[1]


def test_a_list_of_strings_that_passed_is_still_refused_with_one_that_does_not(
    personalize_client,
):
    arn = personalize_client.create_dataset_group(name="tagged")["datasetGroupArn"]
    personalize_client.untag_resource(resourceArn=arn, tagKeys=["a", "b"])

    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.untag_resource(resourceArn=arn, tagKeys=["a", "b", "k" * 129])

    assert error_of(excinfo)[1].startswith(
        f"1 validation error detected: Value '{'k' * 129}' at 'tagKeys.3.member' failed to "
        "satisfy constraint: Member must have length less than or equal to 128"
    )


def test_name_breaking_pattern_is_invalid_input(personalize_client):
    pattern = model_metadata(personalize_client, "Name")["pattern"]

    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.create_dataset_group(name="bad name!")

    assert error_of(excinfo)[1] == (
        "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {pattern}"
    )


def test_value_outside_enum_is_invalid_input(personalize_client):
    domains = personalize_client.meta.service_model.shape_for("Domain").enum

    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.create_dataset_group(name="shop", domain="SHOES")

    assert error_of(excinfo)[1] == (
        "1 validation error detected: Value 'SHOES' at 'domain' failed to satisfy constraint: "
        f"Member must satisfy enum value set: [{', '.join(domains)}]"
    )


RANKING_INFLUENCE = needs_member("personalize", "CampaignConfig", "rankingInfluence")


@RANKING_INFLUENCE
def test_ranking_influence_above_max_is_invalid_input(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_dataset(personalize_stub, personalize_client, group)
    solution = active_solution(personalize_stub, personalize_client, group)
    version = trained_version(personalize_stub, personalize_client, solution)

    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.create_campaign(
            name="camp",
            solutionVersionArn=version,
            campaignConfig={"rankingInfluence": {"POPULARITY": 2.0}},
        )

    message = error_of(excinfo)[1]
    assert message.startswith("1 validation error detected: ")
    assert "at 'campaignConfig.rankingInfluence' failed to satisfy constraint:" in message
    assert "less than or equal to 1" in message
    assert personalize_client.list_campaigns()["campaigns"] == []


@RANKING_INFLUENCE
def test_ranking_influence_unknown_key_is_invalid_input(personalize_client):
    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.create_campaign(
            name="camp",
            solutionVersionArn=SOME_VERSION,
            campaignConfig={"rankingInfluence": {"SHOES": 0.5}},
        )

    message = error_of(excinfo)[1]
    assert "at 'campaignConfig.rankingInfluence' failed to satisfy constraint:" in message
    assert "[POPULARITY, FRESHNESS]" in message


def test_empty_arn_passes_botocore_and_is_refused_by_the_service(personalize_client):
    """An ARN shape has no ``min``, so botocore sends ``""``; its pattern fails server-side."""
    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.create_campaign(name="camp", solutionVersionArn="")

    assert error_of(excinfo)[1].startswith(
        "1 validation error detected: Value '' at 'solutionVersionArn' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
    )


@pytest.mark.parametrize("operation", ["list_dataset_groups", "list_campaigns", "list_solutions"])
def test_max_results_above_100_is_invalid_input(personalize_client, operation):
    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        getattr(personalize_client, operation)(maxResults=101)

    assert error_of(excinfo)[1] == (
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100"
    )


def test_max_results_of_100_is_accepted(personalize_client):
    response = personalize_client.list_dataset_groups(maxResults=100)

    assert response["datasetGroups"] == []


def test_several_broken_constraints_are_reported_together(personalize_client):
    name = "n" * 64

    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.create_dataset_group(name=name, domain="SHOES")

    message = error_of(excinfo)[1]
    assert message.startswith("2 validation errors detected: ")
    problems = message[len("2 validation errors detected: ") :].split("; ")
    assert sorted(problems) == sorted(
        [
            (
                f"Value '{name}' at 'name' failed to satisfy constraint: "
                "Member must have length less than or equal to 63"
            ),
            (
                "Value 'SHOES' at 'domain' failed to satisfy constraint: "
                "Member must satisfy enum value set: [ECOMMERCE, VIDEO_ON_DEMAND]"
            ),
        ]
    )


def test_nested_list_member_path_names_index_and_member(personalize_client):
    """A list element is named the AWS way: ``tags.<1-based index>.member.<member>``."""
    tags = [{"tagKey": "team", "tagValue": "ml"}, {"tagKey": "k" * 129, "tagValue": "v"}]

    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.create_dataset_group(name="shop", tags=tags)

    message = error_of(excinfo)[1]
    assert message.startswith("1 validation error detected: ")
    assert "at 'tags.2.member.tagKey' failed to satisfy constraint: " in message
    assert message.endswith("Member must have length less than or equal to 128")


def test_server_side_validation_comes_before_resource_lookups(personalize_client):
    """A bad request fails as invalid even when the resources it names do not exist."""
    with pytest.raises(ClientError) as excinfo:
        personalize_client.create_campaign(name="n" * 64, solutionVersionArn=SOME_VERSION)

    assert error_of(excinfo)[0] == "InvalidInputException"


def test_server_side_failure_is_recorded_and_changes_no_state(personalize_stub, personalize_client):
    with pytest.raises(ClientError) as excinfo:
        personalize_client.create_dataset_group(name="bad name!")

    call = personalize_stub.calls[-1]
    assert (call.service, call.operation) == ("personalize", "CreateDatasetGroup")
    assert call.params == {"name": "bad name!"}
    assert call.error is excinfo.value
    assert call.response is None
    assert personalize_client.list_dataset_groups()["datasetGroups"] == []


def test_cleanroomsml_name_longer_than_max_is_validation_exception(cleanroomsml_client):
    name = "n" * 64

    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        cleanroomsml_client.create_training_dataset(
            name=name, roleArn=CRML_ROLE, trainingData=TRAINING_DATA
        )

    assert error_of(excinfo) == (
        "ValidationException",
        (
            f"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: "
            "Member must have length less than or equal to 63"
        ),
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert cleanroomsml_client.list_training_datasets()["trainingDatasets"] == []


def test_cleanroomsml_seed_size_above_max_is_validation_exception(cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        cleanroomsml_client.create_configured_audience_model(
            name="lookalike",
            audienceModelArn=SOME_AUDIENCE_MODEL,
            outputConfig=OUTPUT_CONFIG,
            sharedAudienceMetrics=["ALL"],
            minMatchingSeedSize=500001,
        )

    assert error_of(excinfo)[1] == (
        "1 validation error detected: Value '500001' at 'minMatchingSeedSize' failed to "
        "satisfy constraint: Member must have value less than or equal to 500000"
    )


def test_cleanroomsml_max_results_above_100_is_validation_exception(cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        cleanroomsml_client.list_training_datasets(maxResults=101)

    assert error_of(excinfo)[1] == (
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100"
    )


def test_cleanroomsml_enum_in_nested_list_is_validation_exception(cleanroomsml_client):
    data = [
        {
            "type": "INTERACTIONS",
            "inputConfig": {
                "schema": [
                    {"columnName": "user_id", "columnTypes": ["USER_ID"]},
                    {"columnName": "item_id", "columnTypes": ["SHOES"]},
                    {"columnName": "timestamp", "columnTypes": ["TIMESTAMP"]},
                ],
                "dataSource": {"glueDataSource": {"tableName": "events", "databaseName": "shop"}},
            },
        }
    ]

    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        cleanroomsml_client.create_training_dataset(
            name="data", roleArn=CRML_ROLE, trainingData=data
        )

    message = error_of(excinfo)[1]
    assert message.startswith("1 validation error detected: Value 'SHOES' at ")
    assert "trainingData" in message and "schema" in message and "columnTypes" in message
    assert "Member must satisfy enum value set: [" in message


def test_cleanroomsml_pattern_breach_is_validation_exception(cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        cleanroomsml_client.create_training_dataset(
            name="data",
            roleArn="arn:aws:iam::123456789012:user/someone",
            trainingData=TRAINING_DATA,
        )

    message = error_of(excinfo)[1]
    assert message.startswith(
        "1 validation error detected: Value 'arn:aws:iam::123456789012:user/someone' at "
        "'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: "
    )


def test_cleanroomsml_blank_name_is_validation_exception(cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        cleanroomsml_client.create_training_dataset(
            name="   ", roleArn=CRML_ROLE, trainingData=TRAINING_DATA
        )

    assert error_of(excinfo)[1].startswith(
        "1 validation error detected: Value '   ' at 'name' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: "
    )


def test_cleanroomsml_malformed_arn_is_validation_not_not_found(cleanroomsml_client):
    bogus = "arn:aws:cleanrooms-ml:us-east-1:123456789012:bogus/x"

    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        cleanroomsml_client.get_training_dataset(trainingDatasetArn=bogus)

    assert f"Value '{bogus}' at 'trainingDatasetArn'" in error_of(excinfo)[1]


def test_cleanroomsml_several_broken_constraints_are_reported_together(cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        cleanroomsml_client.create_configured_audience_model(
            name="n" * 64,
            audienceModelArn=SOME_AUDIENCE_MODEL,
            outputConfig=OUTPUT_CONFIG,
            sharedAudienceMetrics=["ALL"],
            minMatchingSeedSize=500001,
        )

    message = error_of(excinfo)[1]
    assert message.startswith("2 validation errors detected: ")
    assert "at 'name'" in message and "at 'minMatchingSeedSize'" in message
    assert message.count("; ") == 1


# --------------------------------------------------------------------------------------------
# 4. Documented rules between parameters
# --------------------------------------------------------------------------------------------


@pytest.fixture
def trained(personalize_stub, personalize_client):
    """An ACTIVE dataset group, dataset, solution and trained version; their ARNs."""
    group = active_dataset_group(personalize_stub, personalize_client)
    active_dataset(personalize_stub, personalize_client, group)
    solution = active_solution(personalize_stub, personalize_client, group)
    version = trained_version(personalize_stub, personalize_client, solution)
    return {"datasetGroupArn": group, "solutionArn": solution, "solutionVersionArn": version}


def test_sync_with_latest_needs_latest_arn_on_create(personalize_client, trained):
    with pytest.raises(personalize_client.exceptions.InvalidInputException) as excinfo:
        personalize_client.create_campaign(
            name="camp",
            solutionVersionArn=trained["solutionVersionArn"],
            campaignConfig={"syncWithLatestSolutionVersion": True},
        )

    assert "$LATEST" in error_of(excinfo)[1]
    assert personalize_client.list_campaigns()["campaigns"] == []


def test_sync_with_latest_and_latest_arn_creates_the_campaign(
    personalize_stub, personalize_client, trained
):
    arn = personalize_client.create_campaign(
        name="camp",
        solutionVersionArn=f"{trained['solutionArn']}/$LATEST",
        campaignConfig={"syncWithLatestSolutionVersion": True},
    )["campaignArn"]
    personalize_stub.settle()

    campaign = personalize_client.describe_campaign(campaignArn=arn)["campaign"]
    assert campaign["status"] == "ACTIVE"
    assert campaign["campaignConfig"]["syncWithLatestSolutionVersion"] is True


def test_sync_false_with_plain_version_arn_is_accepted(personalize_client, trained):
    arn = personalize_client.create_campaign(
        name="camp",
        solutionVersionArn=trained["solutionVersionArn"],
        campaignConfig={"syncWithLatestSolutionVersion": False},
    )["campaignArn"]

    assert arn.endswith(":campaign/camp")


def test_sync_with_latest_needs_latest_arn_on_update(personalize_stub, personalize_client):
    deployed = deployed_campaign(personalize_stub, personalize_client)

    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.update_campaign(
            campaignArn=deployed["campaignArn"],
            solutionVersionArn=deployed["solutionVersionArn"],
            campaignConfig={"syncWithLatestSolutionVersion": True},
        )

    campaign = personalize_client.describe_campaign(campaignArn=deployed["campaignArn"])["campaign"]
    assert "latestCampaignUpdate" not in campaign


def test_sync_with_latest_and_latest_arn_updates_the_campaign(personalize_stub, personalize_client):
    deployed = deployed_campaign(personalize_stub, personalize_client)

    response = personalize_client.update_campaign(
        campaignArn=deployed["campaignArn"],
        solutionVersionArn=f"{deployed['solutionArn']}/$LATEST",
        campaignConfig={"syncWithLatestSolutionVersion": True},
    )
    personalize_stub.settle()

    assert response["campaignArn"] == deployed["campaignArn"]
    campaign = personalize_client.describe_campaign(campaignArn=deployed["campaignArn"])["campaign"]
    assert campaign["latestCampaignUpdate"]["status"] == "ACTIVE"
    assert campaign["campaignConfig"]["syncWithLatestSolutionVersion"] is True


@pytest.mark.parametrize(
    "choice",
    [
        pytest.param(
            {"recipeArn": USER_PERSONALIZATION, "performAutoML": True}, id="recipe-and-automl"
        ),
        pytest.param({}, id="neither-recipe-nor-automl"),
        pytest.param({"performAutoML": False}, id="automl-false-without-recipe"),
    ],
)
def test_create_solution_needs_exactly_one_of_recipe_and_automl(
    personalize_stub, personalize_client, choice
):
    group = active_dataset_group(personalize_stub, personalize_client)

    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.create_solution(name="sol", datasetGroupArn=group, **choice)

    assert personalize_client.list_solutions()["solutions"] == []


def test_create_solution_with_automl_alone_is_accepted(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)

    arn = personalize_client.create_solution(name="sol", datasetGroupArn=group, performAutoML=True)[
        "solutionArn"
    ]

    solution = personalize_client.describe_solution(solutionArn=arn)["solution"]
    assert solution["performAutoML"] is True
    assert "recipeArn" not in solution


def test_dataset_group_role_without_kms_key_is_invalid(personalize_client):
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.create_dataset_group(name="shop", roleArn=ROLE)

    assert personalize_client.list_dataset_groups()["datasetGroups"] == []


def test_dataset_group_role_with_kms_key_is_accepted(personalize_client):
    arn = personalize_client.create_dataset_group(name="shop", roleArn=ROLE, kmsKeyArn=KMS_KEY)[
        "datasetGroupArn"
    ]

    group = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert group["roleArn"] == ROLE
    assert group["kmsKeyArn"] == KMS_KEY


def test_a_repeated_call_is_validated_as_strictly_as_the_first(personalize_client):
    """Validation results may be remembered, but never across values, types or services."""
    arn = "arn:aws:personalize:us-east-1:123456789012:campaign/x"
    for _ in range(2):
        with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
            personalize_client.describe_campaign(campaignArn=arn)
    for _ in range(2):
        with pytest.raises(personalize_client.exceptions.InvalidInputException):
            personalize_client.describe_campaign(campaignArn="bad name!")
    for _ in range(2):
        with pytest.raises(ParamValidationError):
            personalize_client.list_campaigns(maxResults=0)
    assert personalize_client.list_campaigns(maxResults=1)["campaigns"] == []
    with pytest.raises(personalize_client.exceptions.InvalidInputException, match="integer"):
        personalize_client.list_campaigns(maxResults=True)


def test_remembered_validation_does_not_cross_services(personalize_client, cleanroomsml_client):
    """ListTagsForResource exists in both services with different constraints."""
    short = "arn:aws:personalize:us-east-1:1:x"
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.list_tags_for_resource(resourceArn=short)
    with pytest.raises((ParamValidationError, cleanroomsml_client.exceptions.ValidationException)):
        cleanroomsml_client.list_tags_for_resource(resourceArn=short)


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("minProvisionedTPS", True),  # a bool is an int to Python, not to the service
        ("minProvisionedTPS", 0),
        ("minProvisionedTPS", 1.0),
        ("minProvisionedTPS", "1"),
        ("name", "x" * 64),
        ("solutionVersionArn", 12),
    ],
)
def test_a_structure_finds_in_a_member_what_the_members_own_check_finds(member, value):
    """A structure's check passes over members that plainly pass without calling their check;
    a value that only looks like one (a bool for an integer, a number out of bounds, a string
    never seen) is still checked, and reported as the member's own check words it."""
    from pytest_personalize_stub import clients
    from pytest_personalize_stub.validation import checker_for

    shape = clients.service_model("personalize").shape_for("CreateCampaignRequest")
    params = {"name": "ok", "solutionVersionArn": SOME_VERSION, "minProvisionedTPS": 1}
    passing: list = []
    checker_for("personalize", shape)(params, "", passing)
    assert passing == []

    expected: list = []
    checker_for("personalize", shape.members[member])(value, member, expected)
    found: list = []
    checker_for("personalize", shape)({**params, member: value}, "", found)
    assert expected and list(map(str, found)) == list(map(str, expected))
