"""Recipe: the fake beside moto's ``mock_aws``, which serves S3.

The code under test uploads interactions to S3 and imports them; a batch
inference job reads its input from S3 and writes its recommendations there.
While moto is active, the fake reads and writes moto's buckets, so the test
sees both the statuses and the files.
"""

import json

import boto3
import pytest
from moto import mock_aws

BUCKET = "recs-data"
ROLE = "arn:aws:iam::123456789012:role/PersonalizeS3"
RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"
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


def import_interactions(dataset_arn: str, csv_text: str) -> str:
    """Your code: upload a CSV and import it; returns the import job's ARN."""
    boto3.client("s3").put_object(
        Bucket=BUCKET, Key="in/interactions.csv", Body=csv_text
    )
    job = boto3.client("personalize").create_dataset_import_job(
        jobName="daily",
        datasetArn=dataset_arn,
        dataSource={"dataLocation": f"s3://{BUCKET}/in/interactions.csv"},
        roleArn=ROLE,
    )
    return job["datasetImportJobArn"]


@pytest.fixture
def s3(personalize_stub):
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def dataset(personalize_stub, personalize_client, s3):
    client = personalize_client
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.settle()
    schema = client.create_schema(name="interactions", schema=SCHEMA)
    dataset = client.create_dataset(
        name="interactions",
        schemaArn=schema["schemaArn"],
        datasetGroupArn=group,
        datasetType="Interactions",
    )
    personalize_stub.settle()
    return dataset["datasetArn"]


def test_an_import_of_good_data_becomes_active(
    personalize_stub, personalize_client, dataset
):
    job = import_interactions(
        dataset, "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1700000000\n"
    )
    personalize_stub.settle()
    described = personalize_client.describe_dataset_import_job(
        datasetImportJobArn=job
    )
    assert described["datasetImportJob"]["status"] == "ACTIVE"


def test_a_csv_that_does_not_match_the_schema_fails_the_import(
    personalize_stub, personalize_client, dataset
):
    job = import_interactions(dataset, "USER_ID,ITEM_ID\nu1,i1\n")
    personalize_stub.settle()
    described = personalize_client.describe_dataset_import_job(
        datasetImportJobArn=job
    )
    assert described["datasetImportJob"]["status"] == "CREATE FAILED"
    assert described["datasetImportJob"]["failureReason"] == (
        "Input CSV is missing the following columns: [TIMESTAMP]"
    )


def test_batch_recommendations_land_in_s3(
    personalize_stub, personalize_client, s3, dataset
):
    client = personalize_client
    described = client.describe_dataset(datasetArn=dataset)["dataset"]
    solution = client.create_solution(
        name="recs",
        datasetGroupArn=described["datasetGroupArn"],
        recipeArn=RECIPE,
    )
    personalize_stub.settle()
    version = client.create_solution_version(
        solutionArn=solution["solutionArn"]
    )
    personalize_stub.settle()
    users = b'{"userId": "u1"}\n'
    s3.put_object(Bucket=BUCKET, Key="batch/users.json", Body=users)
    client.create_batch_inference_job(
        jobName="nightly",
        solutionVersionArn=version["solutionVersionArn"],
        numResults=10,
        jobInput={"s3DataSource": {"path": f"s3://{BUCKET}/batch/users.json"}},
        jobOutput={"s3DataDestination": {"path": f"s3://{BUCKET}/results/"}},
        roleArn=ROLE,
    )
    personalize_stub.settle()
    output = s3.get_object(Bucket=BUCKET, Key="results/users.json.out")
    body = output["Body"].read()
    [line] = [json.loads(text) for text in body.decode().splitlines()]
    assert line["input"] == {"userId": "u1"}
    assert len(line["output"]["recommendedItems"]) == 10
