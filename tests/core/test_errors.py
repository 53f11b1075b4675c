"""Service errors raised the way botocore raises them, with the codes the services document."""

from __future__ import annotations

import botocore.endpoint
import botocore.httpsession
import pytest
from botocore.exceptions import ClientError
from support.cleanroomsml_flows import ROLE as CRML_ROLE
from support.cleanroomsml_flows import TRAINING_DATA, configured_audience_model
from support.flows import active_dataset, active_dataset_group, deployed_campaign
from support.schemas import INTERACTIONS_SCHEMA

from pytest_personalize_stub import pipeline
from pytest_personalize_stub.services.registry import SERVICES

PREFIX = "arn:aws:personalize:us-east-1:123456789012"
MISSING_CAMPAIGN = f"{PREFIX}:campaign/nowhere"
MISSING_GROUP = f"{PREFIX}:dataset-group/nowhere"
MISSING_VERSION = f"{PREFIX}:solution/nowhere/0123abcd"
CRML_PREFIX = "arn:aws:cleanrooms-ml:us-east-1:123456789012"
MISSING_TRAINING_DATASET = f"{CRML_PREFIX}:training-dataset/abcdefghijklmnopqrstuv"
MISSING_AUDIENCE_MODEL = f"{CRML_PREFIX}:audience-model/abcdefghijklmnopqrstuv"


def modelled_status(client, code: str) -> int | None:
    """The HTTP status botocore's model gives an error code of this client's service."""
    for shape in client.meta.service_model.error_shapes:
        if shape.name == code:
            return shape.metadata.get("error", {}).get("httpStatusCode")
    raise AssertionError(f"{code} is not modelled for {client.meta.service_model.service_name}")


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly if anything tries to send a request over HTTP."""

    def refuse(*args, **kwargs):
        raise AssertionError("a request went to the network")

    monkeypatch.setattr(botocore.endpoint.Endpoint, "make_request", refuse)
    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", refuse)


# --------------------------------------------------------------------------------------------
# The shape of an error: botocore's ClientError, catchable through client.exceptions
# --------------------------------------------------------------------------------------------


def test_missing_resource_is_catchable_as_modelled_exception(personalize_client):
    caught = None
    try:
        personalize_client.describe_campaign(campaignArn=MISSING_CAMPAIGN)
    except personalize_client.exceptions.ResourceNotFoundException as error:
        caught = error

    assert caught is not None
    assert isinstance(caught, ClientError)
    assert caught.response["Error"]["Code"] == "ResourceNotFoundException"


def test_client_error_carries_what_botocore_puts_there(personalize_client):
    with pytest.raises(ClientError) as excinfo:
        personalize_client.describe_campaign(campaignArn=MISSING_CAMPAIGN)

    error = excinfo.value
    assert error.operation_name == "DescribeCampaign"
    assert error.response["Error"]["Code"] == "ResourceNotFoundException"
    message = error.response["Error"]["Message"]
    assert isinstance(message, str) and message
    metadata = error.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == 400
    assert isinstance(metadata["RequestId"], str) and metadata["RequestId"]
    assert str(error) == (
        "An error occurred (ResourceNotFoundException) when calling the DescribeCampaign "
        f"operation: {message}"
    )


def test_modelled_message_member_is_merged_into_the_response(personalize_client):
    """botocore parses the error shape's ``message`` member into the top level too."""
    with pytest.raises(ClientError) as excinfo:
        personalize_client.describe_dataset_group(datasetGroupArn=MISSING_GROUP)

    response = excinfo.value.response
    assert response["message"] == response["Error"]["Message"]


def test_each_error_has_its_own_request_id(personalize_client):
    ids = set()
    for _ in range(3):
        with pytest.raises(ClientError) as excinfo:
            personalize_client.describe_campaign(campaignArn=MISSING_CAMPAIGN)
        ids.add(excinfo.value.response["ResponseMetadata"]["RequestId"])

    assert len(ids) == 3


def test_error_call_is_recorded_with_the_raised_exception(personalize_stub, personalize_client):
    with pytest.raises(ClientError) as excinfo:
        personalize_client.describe_campaign(campaignArn=MISSING_CAMPAIGN)

    call = personalize_stub.calls[-1]
    assert (call.service, call.operation) == ("personalize", "DescribeCampaign")
    assert call.params == {"campaignArn": MISSING_CAMPAIGN}
    assert call.error is excinfo.value
    assert call.response is None


# --------------------------------------------------------------------------------------------
# HTTP statuses: what the models (and, where they are silent, the API reference) say
# --------------------------------------------------------------------------------------------


def test_personalize_not_found_answers_400(personalize_client):
    """The control-plane model gives no status; the API reference lists 400 for every error."""
    assert modelled_status(personalize_client, "ResourceNotFoundException") is None

    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException) as excinfo:
        personalize_client.describe_dataset_group(datasetGroupArn=MISSING_GROUP)

    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_runtime_not_found_answers_the_modelled_404(personalize_runtime_client):
    assert modelled_status(personalize_runtime_client, "ResourceNotFoundException") == 404

    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException) as excinfo:
        personalize_runtime_client.get_recommendations(campaignArn=MISSING_CAMPAIGN, userId="u1")

    error = excinfo.value
    assert isinstance(error, ClientError)
    assert error.operation_name == "GetRecommendations"
    assert error.response["Error"]["Code"] == "ResourceNotFoundException"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_cleanroomsml_not_found_answers_the_modelled_404(cleanroomsml_client):
    assert modelled_status(cleanroomsml_client, "ResourceNotFoundException") == 404

    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException) as excinfo:
        cleanroomsml_client.get_training_dataset(trainingDatasetArn=MISSING_TRAINING_DATASET)

    error = excinfo.value
    assert error.operation_name == "GetTrainingDataset"
    assert error.response["Error"]["Code"] == "ResourceNotFoundException"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error.response["ResponseMetadata"]["RequestId"]


def test_cleanroomsml_validation_answers_the_modelled_400(cleanroomsml_client):
    assert modelled_status(cleanroomsml_client, "ValidationException") == 400

    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        cleanroomsml_client.list_audience_models(maxResults=101)

    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# --------------------------------------------------------------------------------------------
# ResourceNotFoundException
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("describe_dataset_group", {"datasetGroupArn": MISSING_GROUP}),
        ("describe_campaign", {"campaignArn": MISSING_CAMPAIGN}),
        ("describe_solution", {"solutionArn": f"{PREFIX}:solution/nowhere"}),
        ("describe_solution_version", {"solutionVersionArn": MISSING_VERSION}),
        ("describe_schema", {"schemaArn": f"{PREFIX}:schema/nowhere"}),
        ("describe_dataset", {"datasetArn": f"{PREFIX}:dataset/nowhere/INTERACTIONS"}),
        ("delete_campaign", {"campaignArn": MISSING_CAMPAIGN}),
        ("delete_dataset_group", {"datasetGroupArn": MISSING_GROUP}),
        ("update_campaign", {"campaignArn": MISSING_CAMPAIGN, "minProvisionedTPS": 2}),
    ],
)
def test_missing_personalize_resource_is_not_found(personalize_client, operation, params):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException) as excinfo:
        getattr(personalize_client, operation)(**params)

    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_campaign_for_missing_solution_version_is_not_found(personalize_client):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.create_campaign(name="camp", solutionVersionArn=MISSING_VERSION)

    assert personalize_client.list_campaigns()["campaigns"] == []


def test_dataset_in_missing_group_is_not_found(personalize_client):
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]

    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.create_dataset(
            name="d", schemaArn=schema, datasetGroupArn=MISSING_GROUP, datasetType="Interactions"
        )


def test_deleted_campaign_is_not_found_once_gone(personalize_stub, personalize_client):
    arn = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]

    personalize_client.delete_campaign(campaignArn=arn)
    personalize_stub.settle()

    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_campaign(campaignArn=arn)


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("get_training_dataset", {"trainingDatasetArn": MISSING_TRAINING_DATASET}),
        ("get_audience_model", {"audienceModelArn": MISSING_AUDIENCE_MODEL}),
        ("delete_training_dataset", {"trainingDatasetArn": MISSING_TRAINING_DATASET}),
    ],
)
def test_missing_cleanroomsml_resource_is_not_found(cleanroomsml_client, operation, params):
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException) as excinfo:
        getattr(cleanroomsml_client, operation)(**params)

    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_audience_model_on_missing_training_dataset_is_not_found(cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.create_audience_model(
            name="model", trainingDatasetArn=MISSING_TRAINING_DATASET
        )

    assert cleanroomsml_client.list_audience_models()["audienceModels"] == []


# --------------------------------------------------------------------------------------------
# Duplicates: ResourceAlreadyExistsException (Personalize), ConflictException (Clean Rooms ML)
# --------------------------------------------------------------------------------------------


def test_duplicate_dataset_group_name_already_exists(personalize_client):
    personalize_client.create_dataset_group(name="shop")

    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException) as excinfo:
        personalize_client.create_dataset_group(name="shop")

    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert len(personalize_client.list_dataset_groups()["datasetGroups"]) == 1


def test_duplicate_schema_name_already_exists(personalize_client):
    personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)

    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)


def test_duplicate_campaign_name_already_exists(personalize_stub, personalize_client):
    deployed = deployed_campaign(personalize_stub, personalize_client, name="camp")

    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        personalize_client.create_campaign(
            name="camp", solutionVersionArn=deployed["solutionVersionArn"]
        )

    assert len(personalize_client.list_campaigns()["campaigns"]) == 1


def test_duplicate_training_dataset_name_is_conflict(cleanroomsml_client):
    assert modelled_status(cleanroomsml_client, "ConflictException") == 409
    cleanroomsml_client.create_training_dataset(
        name="data", roleArn=CRML_ROLE, trainingData=TRAINING_DATA
    )

    with pytest.raises(cleanroomsml_client.exceptions.ConflictException) as excinfo:
        cleanroomsml_client.create_training_dataset(
            name="data", roleArn=CRML_ROLE, trainingData=TRAINING_DATA
        )

    error = excinfo.value
    assert error.operation_name == "CreateTrainingDataset"
    assert error.response["Error"]["Code"] == "ConflictException"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert len(cleanroomsml_client.list_training_datasets()["trainingDatasets"]) == 1


def test_deleting_training_dataset_used_by_a_model_is_conflict(
    personalize_stub, cleanroomsml_client
):
    arns = configured_audience_model(personalize_stub, cleanroomsml_client)

    with pytest.raises(cleanroomsml_client.exceptions.ConflictException) as excinfo:
        cleanroomsml_client.delete_training_dataset(trainingDatasetArn=arns["trainingDatasetArn"])

    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    cleanroomsml_client.get_training_dataset(trainingDatasetArn=arns["trainingDatasetArn"])


# --------------------------------------------------------------------------------------------
# ResourceInUseException
# --------------------------------------------------------------------------------------------


def test_deleting_dataset_group_with_a_dataset_is_in_use(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_dataset(personalize_stub, personalize_client, group)

    with pytest.raises(personalize_client.exceptions.ResourceInUseException) as excinfo:
        personalize_client.delete_dataset_group(datasetGroupArn=group)

    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    status = personalize_client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"][
        "status"
    ]
    assert status == "ACTIVE"


def test_dataset_in_pending_group_is_in_use(personalize_client):
    group = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    assert (
        personalize_client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]["status"]
        == "CREATE PENDING"
    )
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]

    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.create_dataset(
            name="d", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
        )

    assert personalize_client.list_datasets(datasetGroupArn=group)["datasets"] == []


def test_dataset_in_group_that_became_active_is_accepted(personalize_stub, personalize_client):
    """The same call succeeds once the group's creation has finished."""
    group = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    personalize_stub.settle()

    arn = personalize_client.create_dataset(
        name="d", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )["datasetArn"]

    assert arn.endswith(":dataset/shop/INTERACTIONS")


def test_deleting_schema_used_by_a_dataset_is_in_use(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_dataset(personalize_stub, personalize_client, group, name="interactions")
    schema_arn = f"{PREFIX}:schema/interactions-schema"

    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_schema(schemaArn=schema_arn)

    personalize_client.describe_schema(schemaArn=schema_arn)


# --------------------------------------------------------------------------------------------
# Bogus pagination tokens
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["list_dataset_groups", "list_campaigns", "list_schemas"])
def test_bogus_next_token_is_invalid_next_token(personalize_client, operation):
    with pytest.raises(personalize_client.exceptions.InvalidNextTokenException) as excinfo:
        getattr(personalize_client, operation)(nextToken="not-a-token-we-issued")

    error = excinfo.value
    assert error.response["Error"]["Code"] == "InvalidNextTokenException"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_cleanroomsml_bogus_next_token_is_validation_exception(cleanroomsml_client):
    """Clean Rooms ML models no token error; a token it did not issue is invalid input."""
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.list_training_datasets(nextToken="not-a-token-we-issued")


# --------------------------------------------------------------------------------------------
# Operations the fake does not implement
# --------------------------------------------------------------------------------------------


@pytest.fixture
def unserved(monkeypatch):
    """Withdraw one served operation from the fake for this test (a synthetic unserved op)."""

    def withdraw(service, operation):
        monkeypatch.delitem(SERVICES[service].operations, operation)
        monkeypatch.setattr(pipeline.plan_for(service, operation), "served", None)

    return withdraw


@pytest.mark.parametrize(
    ("service", "operation", "call"),
    [
        (
            "personalize",
            "DescribeCampaign",
            lambda c: c.describe_campaign(
                campaignArn="arn:aws:personalize:us-east-1:123456789012:campaign/x"
            ),
        ),
        (
            "personalize-events",
            "PutEvents",
            lambda c: c.put_events(
                trackingId="ea78ed5a-cff2-491d-844f-a1ee0806d3c6",
                sessionId="session-1",
                eventList=[{"eventType": "click", "itemId": "i1", "sentAt": 1_700_000_000}],
            ),
        ),
        ("cleanroomsml", "ListTrainingDatasets", lambda c: c.list_training_datasets()),
    ],
)
def test_an_operation_the_fake_does_not_serve_raises_not_implemented(
    personalize_stub, unserved, no_network, service, operation, call
):
    """Never a network call, never a silent empty answer: NotImplementedError naming it."""
    unserved(service, operation)
    client = personalize_stub.client(service)
    with pytest.raises(NotImplementedError) as excinfo:
        call(client)
    assert f"{service}.{operation}" in str(excinfo.value)
    recorded = personalize_stub.calls[-1]
    assert (recorded.service, recorded.operation) == (service, operation)
    assert recorded.error is excinfo.value
    assert recorded.response is None
