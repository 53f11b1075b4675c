"""Export and data deletion jobs, dataset updates, delete blockers and the dataset quotas,
as /work/shared/spec/personalize.md §3.1-3.6 and §5 document them."""

from __future__ import annotations

import pytest
from support.flows import ROLE, active_dataset, active_dataset_group
from support.schemas import INTERACTIONS_SCHEMA, avro_schema, field, nullable

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
EXPORT_OUTPUT = {"s3DataDestination": {"path": "s3://bucket/export/"}}
USERS_LIST = {"dataLocation": "s3://bucket/deletions/users.csv"}


ITEM_ID = field("ITEM_ID")
GENRE = field("GENRE", categorical=True)
ITEMS_V1 = avro_schema("Items", ITEM_ID, GENRE)


def export_job(client, dataset, name="export-1", **extra):
    return client.create_dataset_export_job(
        jobName=name, datasetArn=dataset, roleArn=ROLE, jobOutput=EXPORT_OUTPUT, **extra
    )["datasetExportJobArn"]


def deletion_job(client, group, name="forget-1"):
    return client.create_data_deletion_job(
        jobName=name, datasetGroupArn=group, dataSource=USERS_LIST, roleArn=ROLE
    )["dataDeletionJobArn"]


def items_dataset(stub, client, group, schema_text=ITEMS_V1):
    schema = client.create_schema(name="items-v1", schema=schema_text)["schemaArn"]
    arn = client.create_dataset(
        name="items", schemaArn=schema, datasetGroupArn=group, datasetType="Items"
    )["datasetArn"]
    stub.settle()
    return arn, schema


def dataset_of(client, arn):
    return client.describe_dataset(datasetArn=arn)["dataset"]


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


# --------------------------------------------------------------------------------------------
# UpdateDataset
# --------------------------------------------------------------------------------------------


def test_update_dataset_switches_the_schema_once_the_update_is_active(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset, old_schema = items_dataset(personalize_stub, personalize_client, group)
    assert "latestDatasetUpdate" not in dataset_of(personalize_client, dataset)
    new_schema = personalize_client.create_schema(
        name="items-v2", schema=avro_schema("Items", ITEM_ID, GENRE, nullable("PRICE", "float"))
    )["schemaArn"]
    answer = personalize_client.update_dataset(datasetArn=dataset, schemaArn=new_schema)
    assert answer["datasetArn"] == dataset
    updating = dataset_of(personalize_client, dataset)
    assert updating["status"] == "ACTIVE"
    assert updating["schemaArn"] == old_schema
    assert updating["latestDatasetUpdate"]["schemaArn"] == new_schema
    assert updating["latestDatasetUpdate"]["status"] == "CREATE PENDING"
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.update_dataset(datasetArn=dataset, schemaArn=new_schema)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_schema(schemaArn=new_schema)
    personalize_stub.settle()
    updated = dataset_of(personalize_client, dataset)
    assert updated["schemaArn"] == new_schema
    assert updated["latestDatasetUpdate"]["status"] == "ACTIVE"
    personalize_client.delete_schema(schemaArn=old_schema)


@pytest.mark.personalize_fail("UpdateDataset", status="CREATE FAILED", reason="Bad schema")
def test_failed_dataset_update_keeps_the_old_schema(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset, old_schema = items_dataset(personalize_stub, personalize_client, group)
    new_schema = personalize_client.create_schema(
        name="items-v2", schema=avro_schema("Items", ITEM_ID, GENRE, nullable("PRICE", "float"))
    )["schemaArn"]
    personalize_client.update_dataset(datasetArn=dataset, schemaArn=new_schema)
    personalize_stub.settle()
    failed = dataset_of(personalize_client, dataset)
    assert failed["schemaArn"] == old_schema
    assert failed["status"] == "ACTIVE"
    assert failed["latestDatasetUpdate"]["status"] == "CREATE FAILED"
    assert failed["latestDatasetUpdate"]["failureReason"] == "Bad schema"


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param((ITEM_ID,), id="drops-a-field"),
        pytest.param((ITEM_ID, field("GENRE")), id="changes-a-field"),
        pytest.param((ITEM_ID, GENRE, field("PRICE", "float")), id="adds-non-null"),
    ],
)
def test_update_dataset_refuses_an_incompatible_schema(
    personalize_stub, personalize_client, fields
):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset, _ = items_dataset(personalize_stub, personalize_client, group)
    new_schema = personalize_client.create_schema(
        name="items-v2", schema=avro_schema("Items", *fields)
    )["schemaArn"]
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.update_dataset(datasetArn=dataset, schemaArn=new_schema)
    assert "latestDatasetUpdate" not in dataset_of(personalize_client, dataset)


def test_update_dataset_only_for_active_items_and_users_datasets(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    interactions = active_dataset(personalize_stub, personalize_client, group)
    schema = personalize_client.create_schema(name="other", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.update_dataset(datasetArn=interactions, schemaArn=schema)
    items_schema = personalize_client.create_schema(name="items", schema=ITEMS_V1)["schemaArn"]
    pending = personalize_client.create_dataset(
        name="items", schemaArn=items_schema, datasetGroupArn=group, datasetType="Items"
    )["datasetArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.update_dataset(datasetArn=pending, schemaArn=items_schema)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.update_dataset(datasetArn=pending, schemaArn=PREFIX + "schema/missing")
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.update_dataset(
            datasetArn=PREFIX + "dataset/shop/USERS", schemaArn=items_schema
        )


def test_dataset_cannot_be_deleted_while_its_update_runs(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset, _ = items_dataset(personalize_stub, personalize_client, group)
    new_schema = personalize_client.create_schema(
        name="items-v2", schema=avro_schema("Items", ITEM_ID, GENRE, nullable("X"))
    )["schemaArn"]
    personalize_client.update_dataset(datasetArn=dataset, schemaArn=new_schema)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset(datasetArn=dataset)
    personalize_stub.settle()
    personalize_client.delete_dataset(datasetArn=dataset)


# --------------------------------------------------------------------------------------------
# Delete blockers of datasets and dataset groups
# --------------------------------------------------------------------------------------------


def test_any_filter_in_the_group_blocks_deleting_a_dataset(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    items, _ = items_dataset(personalize_stub, personalize_client, group)
    filter_arn = personalize_client.create_filter(
        name="genres",
        datasetGroupArn=group,
        filterExpression="EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)",
    )["filterArn"]
    personalize_stub.settle()
    for arn in (dataset, items):
        with pytest.raises(personalize_client.exceptions.ResourceInUseException):
            personalize_client.delete_dataset(datasetArn=arn)
    personalize_client.delete_filter(filterArn=filter_arn)
    personalize_stub.settle()
    personalize_client.delete_dataset(datasetArn=items)


def test_an_event_tracker_blocks_deleting_the_interactions_dataset_only(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    interactions = active_dataset(personalize_stub, personalize_client, group)
    items, _ = items_dataset(personalize_stub, personalize_client, group)
    tracker = personalize_client.create_event_tracker(name="clicks", datasetGroupArn=group)
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset(datasetArn=interactions)
    personalize_client.delete_dataset(datasetArn=items)
    personalize_client.delete_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])
    personalize_stub.settle()
    personalize_client.delete_dataset(datasetArn=interactions)


def test_a_metric_attribution_blocks_deleting_a_dataset(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    personalize_client.create_metric_attribution(
        name="attribution",
        datasetGroupArn=group,
        metrics=[{"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}],
        metricsOutputConfig={"roleArn": ROLE},
    )
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset(datasetArn=dataset)


def tracker(client, group):
    arn = client.create_event_tracker(name="t", datasetGroupArn=group)["eventTrackerArn"]
    return arn, lambda: client.delete_event_tracker(eventTrackerArn=arn)


def item_filter(client, group):
    arn = client.create_filter(
        name="f", datasetGroupArn=group, filterExpression="INCLUDE ItemID WHERE Items.A = 1"
    )["filterArn"]
    return arn, lambda: client.delete_filter(filterArn=arn)


def attribution(client, group):
    arn = client.create_metric_attribution(
        name="m",
        datasetGroupArn=group,
        metrics=[{"eventType": "click", "metricName": "c", "expression": "SAMPLECOUNT()"}],
        metricsOutputConfig={"roleArn": ROLE},
    )["metricAttributionArn"]
    return arn, lambda: client.delete_metric_attribution(metricAttributionArn=arn)


@pytest.mark.parametrize("dependent", [tracker, item_filter, attribution])
def test_new_dependents_block_deleting_the_dataset_group(
    personalize_stub, personalize_client, dependent
):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn, delete = dependent(personalize_client, group)
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceInUseException) as error:
        personalize_client.delete_dataset_group(datasetGroupArn=group)
    assert arn in error.value.response["Error"]["Message"]
    delete()
    personalize_stub.settle()
    personalize_client.delete_dataset_group(datasetGroupArn=group)


# --------------------------------------------------------------------------------------------
# Quotas of the dataset family
# --------------------------------------------------------------------------------------------


def test_five_dataset_groups_per_region(personalize_stub, personalize_client):
    for number in range(5):
        personalize_client.create_dataset_group(name=f"group-{number}")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        personalize_client.create_dataset_group(name="group-5")
    personalize_stub.settle()
    personalize_client.delete_dataset_group(datasetGroupArn=PREFIX + "dataset-group/group-0")
    personalize_stub.settle()
    personalize_client.create_dataset_group(name="group-5")


@pytest.mark.personalize_stub(quotas={"dataset_groups": 50})
def test_the_dataset_group_quota_is_configurable(personalize_stub, personalize_client):
    for number in range(50):
        personalize_client.create_dataset_group(name=f"group-{number}")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        personalize_client.create_dataset_group(name="group-50")


def test_five_import_jobs_in_progress_per_region(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)

    def start(name):
        return personalize_client.create_dataset_import_job(
            jobName=name,
            datasetArn=dataset,
            dataSource={"dataLocation": "s3://bucket/interactions.csv"},
            roleArn=ROLE,
        )

    for number in range(5):
        start(f"import-{number}")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        start("import-5")
    personalize_stub.settle()
    start("import-5")


@pytest.mark.personalize_stub(quotas={"schemas": 2})
def test_the_schema_quota_counts_every_schema(personalize_stub, personalize_client):
    personalize_client.create_schema(name="a", schema=INTERACTIONS_SCHEMA)
    personalize_client.create_schema(name="b", schema=INTERACTIONS_SCHEMA)
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        personalize_client.create_schema(name="c", schema=INTERACTIONS_SCHEMA)
