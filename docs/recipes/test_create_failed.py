"""Recipe: test what code does when AWS ends a resource in a failed status."""

import time

import boto3
import pytest

RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"
ROLE = "arn:aws:iam::123456789012:role/CleanRoomsML"
TRAINING_DATA = [
    {
        "type": "INTERACTIONS",
        "inputConfig": {
            "schema": [
                {"columnName": "user_id", "columnTypes": ["USER_ID"]},
                {"columnName": "item_id", "columnTypes": ["ITEM_ID"]},
                {"columnName": "timestamp", "columnTypes": ["TIMESTAMP"]},
            ],
            "dataSource": {
                "glueDataSource": {
                    "tableName": "events",
                    "databaseName": "shop",
                }
            },
        },
    }
]


# --8<-- [start:code]
class TrainingFailed(RuntimeError):
    """Training ended in a failed status; the message is AWS's reason."""


def train(solution_arn):
    """Train a solution version and wait for it.

    Raises TrainingFailed with AWS's reason if training fails.
    """
    personalize = boto3.client("personalize")
    created = personalize.create_solution_version(solutionArn=solution_arn)
    arn = created["solutionVersionArn"]
    while True:
        version = personalize.describe_solution_version(solutionVersionArn=arn)
        status = version["solutionVersion"]["status"]
        if status == "ACTIVE":
            return arn
        if status == "CREATE FAILED":
            raise TrainingFailed(version["solutionVersion"]["failureReason"])
        time.sleep(60)


# --8<-- [end:code]
# --8<-- [start:personalize]
@pytest.fixture
def solution(personalize_stub, personalize_client):
    """An ACTIVE solution's ARN."""
    client = personalize_client
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.settle()
    arn = client.create_solution(
        name="recs", datasetGroupArn=group, recipeArn=RECIPE
    )
    personalize_stub.settle()
    return arn["solutionArn"]


@pytest.mark.personalize_stub(virtual_sleep=True)
@pytest.mark.personalize_fail(
    "CreateSolutionVersion",
    status="CREATE FAILED",
    reason="Not enough interactions",
)
def test_a_failed_training_reports_the_reason(personalize_stub, solution):
    with pytest.raises(TrainingFailed, match="Not enough interactions"):
        train(solution)

    statuses = [
        call.response["solutionVersion"]["status"]
        for call in personalize_stub.calls
        if call.operation == "DescribeSolutionVersion"
    ]
    # The call succeeded; the failure came later:
    assert statuses[0] == "CREATE PENDING"
    assert statuses[-1] == "CREATE FAILED"


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_only_the_first_training_fails(personalize_stub, solution):
    personalize_stub.fail(
        "create_solution_version",
        status="CREATE FAILED",
        reason="Internal error",
        times=1,
    )

    with pytest.raises(TrainingFailed, match="Internal error"):
        train(solution)
    assert train(solution).startswith(solution)


# --8<-- [end:personalize]
# --8<-- [start:cleanroomsml]
@pytest.mark.cleanroomsml_fail(
    "CreateAudienceModel", status="CREATE_FAILED", reason="Too few rows"
)
def test_a_failed_audience_model(personalize_stub, cleanroomsml_client):
    client = cleanroomsml_client
    dataset = client.create_training_dataset(
        name="events", roleArn=ROLE, trainingData=TRAINING_DATA
    )
    model = client.create_audience_model(
        name="lookalike", trainingDatasetArn=dataset["trainingDatasetArn"]
    )
    personalize_stub.settle()

    failed = client.get_audience_model(
        audienceModelArn=model["audienceModelArn"]
    )
    assert failed["status"] == "CREATE_FAILED"
    assert failed["statusDetails"]["message"] == "Too few rows"


# --8<-- [end:cleanroomsml]
