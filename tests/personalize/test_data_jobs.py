"""Dataset export jobs and data deletion jobs, as the developer guide describes them
("Exporting the training data in a dataset to Amazon S3",
https://docs.aws.amazon.com/personalize/latest/dg/export-data.html; "Deleting users and their
data with a data deletion job",
https://docs.aws.amazon.com/personalize/latest/dg/delete-records.html)."""

from __future__ import annotations

import pytest
from support.flows import ROLE, active_dataset, active_dataset_group, items_dataset
from support.schemas import INTERACTIONS_SCHEMA

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
EXPORT_OUTPUT = {"s3DataDestination": {"path": "s3://bucket/export/"}}
USERS_LIST = {"dataLocation": "s3://bucket/deletions/users.csv"}


def export_job(client, dataset, name="export-1", **extra):
    return client.create_dataset_export_job(
        jobName=name, datasetArn=dataset, roleArn=ROLE, jobOutput=EXPORT_OUTPUT, **extra
    )["datasetExportJobArn"]


def deletion_job(client, group, name="forget-1"):
    return client.create_data_deletion_job(
        jobName=name, datasetGroupArn=group, dataSource=USERS_LIST, roleArn=ROLE
    )["dataDeletionJobArn"]


# --------------------------------------------------------------------------------------------
# Dataset export jobs
# --------------------------------------------------------------------------------------------


@pytest.mark.personalize_stub(durations={"dataset_export_job": 100})
def test_export_job_defaults_to_put_and_walks_to_active(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    arn = export_job(personalize_client, dataset)
    assert arn == PREFIX + "dataset-export-job/export-1"
    job = personalize_client.describe_dataset_export_job(datasetExportJobArn=arn)
    assert job["datasetExportJob"]["status"] == "CREATE PENDING"
    assert job["datasetExportJob"]["ingestionMode"] == "PUT"
    assert job["datasetExportJob"]["jobOutput"] == EXPORT_OUTPUT
    personalize_stub.clock.advance(seconds=50)
    listed = personalize_client.list_dataset_export_jobs(datasetArn=dataset)["datasetExportJobs"]
    assert [(j["jobName"], j["status"]) for j in listed] == [("export-1", "CREATE IN_PROGRESS")]
    personalize_stub.clock.advance(seconds=60)
    job = personalize_client.describe_dataset_export_job(datasetExportJobArn=arn)
    assert job["datasetExportJob"]["status"] == "ACTIVE"


def test_export_job_echoes_the_ingestion_mode_and_lists_by_dataset(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    interactions = active_dataset(personalize_stub, personalize_client, group)
    items, _ = items_dataset(personalize_stub, personalize_client, group)
    bulk = export_job(personalize_client, interactions, "bulk", ingestionMode="BULK")
    export_job(personalize_client, items, "items-export")
    described = personalize_client.describe_dataset_export_job(datasetExportJobArn=bulk)
    assert described["datasetExportJob"]["ingestionMode"] == "BULK"
    listed = personalize_client.list_dataset_export_jobs(datasetArn=interactions)
    assert [j["jobName"] for j in listed["datasetExportJobs"]] == ["bulk"]
    everything = personalize_client.list_dataset_export_jobs()["datasetExportJobs"]
    assert [j["jobName"] for j in everything] == ["items-export", "bulk"]
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        export_job(personalize_client, items, "bulk")


def test_export_job_needs_an_existing_active_dataset(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        export_job(personalize_client, PREFIX + "dataset/shop/ITEMS")
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    pending = personalize_client.create_dataset(
        name="d", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )["datasetArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        export_job(personalize_client, pending)


@pytest.mark.personalize_fail("CreateDatasetExportJob", status="CREATE FAILED", reason="No S3")
def test_export_job_can_fail(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = export_job(
        personalize_client, active_dataset(personalize_stub, personalize_client, group)
    )
    personalize_stub.settle()
    job = personalize_client.describe_dataset_export_job(datasetExportJobArn=arn)
    assert (job["datasetExportJob"]["status"], job["datasetExportJob"]["failureReason"]) == (
        "CREATE FAILED",
        "No S3",
    )


# --------------------------------------------------------------------------------------------
# Data deletion jobs
# --------------------------------------------------------------------------------------------


@pytest.mark.personalize_stub(durations={"data_deletion_job": 100})
def test_data_deletion_job_walks_pending_in_progress_completed(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = deletion_job(personalize_client, group)
    assert arn == PREFIX + "data-deletion-job/forget-1"
    job = personalize_client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]
    assert job["status"] == "PENDING"
    assert job["dataSource"] == USERS_LIST
    assert "numDeleted" not in job
    personalize_stub.clock.advance(seconds=50)
    job = personalize_client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]
    assert job["status"] == "IN_PROGRESS"
    assert "numDeleted" not in job
    personalize_stub.clock.advance(seconds=60)
    job = personalize_client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]
    assert job["status"] == "COMPLETED"
    assert job["numDeleted"] == 0
    assert "failureReason" not in job


@pytest.mark.personalize_fail("CreateDataDeletionJob", status="FAILED", reason="Bad CSV")
def test_data_deletion_job_can_fail_without_num_deleted(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = deletion_job(personalize_client, group)
    personalize_stub.settle()
    job = personalize_client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]
    assert (job["status"], job["failureReason"]) == ("FAILED", "Bad CSV")
    assert "numDeleted" not in job


def test_data_deletion_jobs_list_newest_first_by_dataset_group(
    personalize_stub, personalize_client
):
    first = active_dataset_group(personalize_stub, personalize_client, "first")
    second = active_dataset_group(personalize_stub, personalize_client, "second")
    deletion_job(personalize_client, first, "a")
    personalize_stub.clock.advance(seconds=1)
    deletion_job(personalize_client, second, "b")
    personalize_stub.clock.advance(seconds=1)
    deletion_job(personalize_client, first, "c")
    listed = personalize_client.list_data_deletion_jobs()["dataDeletionJobs"]
    assert [j["jobName"] for j in listed] == ["c", "b", "a"]
    narrowed = personalize_client.list_data_deletion_jobs(datasetGroupArn=first)
    assert [j["jobName"] for j in narrowed["dataDeletionJobs"]] == ["c", "a"]
    assert narrowed["dataDeletionJobs"][0]["datasetGroupArn"] == first
    page = personalize_client.list_data_deletion_jobs(maxResults=2)
    assert len(page["dataDeletionJobs"]) == 2
    rest = personalize_client.list_data_deletion_jobs(maxResults=2, nextToken=page["nextToken"])
    assert [j["jobName"] for j in rest["dataDeletionJobs"]] == ["a"]


def test_data_deletion_job_needs_an_existing_active_dataset_group(
    personalize_stub, personalize_client
):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        deletion_job(personalize_client, PREFIX + "dataset-group/missing")
    pending = personalize_client.create_dataset_group(name="pending")["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        deletion_job(personalize_client, pending)


def test_five_pending_data_deletion_jobs_per_dataset_group(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    other = active_dataset_group(personalize_stub, personalize_client, "other")
    for number in range(5):
        deletion_job(personalize_client, group, f"job-{number}")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        deletion_job(personalize_client, group, "job-5")
    deletion_job(personalize_client, other, "elsewhere")
    personalize_stub.clock.advance(seconds=600)
    deletion_job(personalize_client, group, "job-5")
