"""Tests of ``recs.py`` with pytest-personalize-stub: no AWS, no waiting.

``virtual_sleep=True`` makes the pipeline's ``time.sleep`` polling move the
fake's clock, so a six-hour training run passes in milliseconds.
"""

import json

import pytest

from recs import DeployError, run_audience_job, train_and_deploy

RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"
ROLE = "arn:aws:iam::123456789012:role/CleanRoomsML"
SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
        ],
        "version": "1.0",
    }
)

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


@pytest.fixture
def solution(personalize_stub, personalize_client):
    """An ACTIVE solution on a dataset group with an interactions dataset."""
    client = personalize_client
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.settle()
    schema = client.create_schema(name="interactions", schema=SCHEMA)
    client.create_dataset(
        name="interactions",
        schemaArn=schema["schemaArn"],
        datasetGroupArn=group,
        datasetType="Interactions",
    )
    arn = client.create_solution(
        name="recs", datasetGroupArn=group, recipeArn=RECIPE
    )
    personalize_stub.settle()
    return arn["solutionArn"]


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_first_run_deploys_a_campaign_that_follows_the_newest_version(
    personalize_stub, personalize_client, solution
):
    client = personalize_client
    campaign = train_and_deploy(client, solution, "home-page")
    described = client.describe_campaign(campaignArn=campaign)["campaign"]
    assert described["status"] == "ACTIVE"
    assert described["campaignConfig"]["syncWithLatestSolutionVersion"] is True

    assert train_and_deploy(client, solution, "home-page") == campaign
    personalize_stub.settle()
    versions = client.list_solution_versions(solutionArn=solution)
    newest = versions["solutionVersions"][0]
    served = client.describe_campaign(campaignArn=campaign)["campaign"]
    assert served["solutionVersionArn"] == newest["solutionVersionArn"]


@pytest.mark.personalize_stub(virtual_sleep=True)
@pytest.mark.personalize_fail(
    "CreateSolutionVersion",
    status="CREATE FAILED",
    reason="Not enough interactions",
)
def test_a_failed_training_stops_the_deploy_with_its_reason(
    personalize_client, solution
):
    with pytest.raises(
        DeployError, match="CREATE FAILED: Not enough interactions"
    ):
        train_and_deploy(personalize_client, solution, "home-page")
    assert personalize_client.list_campaigns()["campaigns"] == []


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_the_audience_job_reports_its_metrics(
    personalize_stub, cleanroomsml_client
):
    client = cleanroomsml_client
    dataset = client.create_training_dataset(
        name="customers", roleArn=ROLE, trainingData=TRAINING_DATA
    )["trainingDatasetArn"]
    model = client.create_audience_model(
        name="lookalike", trainingDatasetArn=dataset
    )
    personalize_stub.settle()
    configured = client.create_configured_audience_model(
        name="lookalike",
        audienceModelArn=model["audienceModelArn"],
        outputConfig={
            "destination": {"s3Destination": {"s3Uri": "s3://out/"}},
            "roleArn": ROLE,
        },
        sharedAudienceMetrics=["ALL"],
    )["configuredAudienceModelArn"]

    metrics = run_audience_job(
        client, configured, "s3://seeds/seed.jsonl", ROLE
    )
    assert metrics["relevanceMetrics"]
    assert 0 <= metrics["recallMetric"] <= 1
