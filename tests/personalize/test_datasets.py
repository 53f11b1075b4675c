"""The Personalize seed resources behave as /work/shared/spec/personalize.md §3 documents."""

from __future__ import annotations

import json
import re

import pytest
from botocore.exceptions import ClientError
from support.flows import (
    ITEM_AFFINITY,
    ROLE,
    USER_PERSONALIZATION,
    active_dataset,
    active_dataset_group,
    active_solution,
    deployed_campaign,
    trained_version,
)
from support.schemas import INTERACTIONS_SCHEMA, avro_schema, field, nullable

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
ITEMS_SCHEMA = avro_schema("Items", field("ITEM_ID"), field("GENRE", categorical=True))
SEGMENT_IO = {
    "jobInput": {"s3DataSource": {"path": "s3://bucket/in/items.json"}},
    "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
    "roleArn": ROLE,
}


def code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def group_status(client, arn):
    return client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]


def import_job(client, dataset_arn, name="import-1", **extra):
    return client.create_dataset_import_job(
        jobName=name,
        datasetArn=dataset_arn,
        dataSource={"dataLocation": "s3://bucket/interactions.csv"},
        roleArn=ROLE,
        **extra,
    )["datasetImportJobArn"]


def segment_job(client, version_arn, name="segments", **extra):
    return client.create_batch_segment_job(
        jobName=name, solutionVersionArn=version_arn, **SEGMENT_IO, **extra
    )["batchSegmentJobArn"]


# --------------------------------------------------------------------------------------------
# Dataset group
# --------------------------------------------------------------------------------------------


@pytest.mark.personalize_stub(durations={"dataset_group": 100})
def test_dataset_group_walks_create_statuses_only_as_the_clock_moves(
    personalize_stub, personalize_client
):
    created = personalize_client.create_dataset_group(name="shop")
    arn = created["datasetGroupArn"]
    born = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"][
        "creationDateTime"
    ]
    assert arn == PREFIX + "dataset-group/shop"
    assert "domain" not in created
    assert group_status(personalize_client, arn) == "CREATE PENDING"
    assert group_status(personalize_client, arn) == "CREATE PENDING"
    personalize_stub.clock.advance(seconds=50)
    assert group_status(personalize_client, arn) == "CREATE IN_PROGRESS"
    personalize_stub.clock.advance(seconds=60)
    described = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert described["status"] == "ACTIVE"
    assert described["name"] == "shop"
    assert "failureReason" not in described
    assert described["lastUpdatedDateTime"] > described["creationDateTime"]
    assert described["creationDateTime"] == born


def test_dataset_group_name_is_unique(personalize_stub, personalize_client):
    personalize_client.create_dataset_group(name="shop")
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException) as error:
        personalize_client.create_dataset_group(name="shop")
    assert "dataset-group/shop" in error.value.response["Error"]["Message"]


def test_dataset_group_delete_blocked_while_a_dataset_exists(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_dataset(personalize_stub, personalize_client, group)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset_group(datasetGroupArn=group)
    assert group_status(personalize_client, group) == "ACTIVE"


def test_dataset_group_delete_blocked_while_a_solution_exists(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_solution(personalize_stub, personalize_client, group)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset_group(datasetGroupArn=group)


def test_dataset_group_delete_refused_while_it_is_being_created(
    personalize_stub, personalize_client
):
    """Deletes need an ACTIVE or CREATE FAILED resource (docs guideline)."""
    arn = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset_group(datasetGroupArn=arn)


def test_dataset_group_delete_goes_delete_pending_then_gone(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    assert personalize_client.delete_dataset_group(datasetGroupArn=group).keys() == {
        "ResponseMetadata"
    }
    assert group_status(personalize_client, group) == "DELETE PENDING"
    seen = set()
    for _ in range(20):
        try:
            seen.add(group_status(personalize_client, group))
        except personalize_client.exceptions.ResourceNotFoundException:
            break
        personalize_stub.clock.advance(seconds=5)
    else:
        pytest.fail("the dataset group was never removed")
    assert seen == {"DELETE PENDING"}, "dataset groups have no DELETE IN_PROGRESS status"
    assert personalize_client.list_dataset_groups()["datasetGroups"] == []


def test_dataset_group_name_is_free_again_once_the_group_is_gone(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client, "shop")
    personalize_client.delete_dataset_group(datasetGroupArn=group)
    personalize_stub.settle()
    again = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    assert again == group
    assert group_status(personalize_client, again) == "CREATE PENDING"


def test_failed_dataset_group_can_be_deleted(personalize_stub, personalize_client):
    personalize_stub.fail("CreateDatasetGroup", status="CREATE FAILED", reason="KMS denied")
    group = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.settle()
    failed = personalize_client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]
    assert (failed["status"], failed["failureReason"]) == ("CREATE FAILED", "KMS denied")
    personalize_client.delete_dataset_group(datasetGroupArn=group)
    assert group_status(personalize_client, group) == "DELETE PENDING"


def test_deleting_a_group_twice_is_in_use(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    personalize_client.delete_dataset_group(datasetGroupArn=group)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset_group(datasetGroupArn=group)


def test_describe_unknown_dataset_group_is_not_found(personalize_stub, personalize_client):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_dataset_group(datasetGroupArn=PREFIX + "dataset-group/none")


def test_list_dataset_groups_pages_with_the_boto3_paginator(personalize_stub, personalize_client):
    names = [f"group-{i}" for i in range(5)]
    for name in names:
        personalize_client.create_dataset_group(name=name)
    paginator = personalize_client.get_paginator("list_dataset_groups")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert [len(page["datasetGroups"]) for page in pages] == [2, 2, 1]
    assert "nextToken" in pages[0] and "nextToken" not in pages[-1]
    listed = [g["name"] for page in pages for g in page["datasetGroups"]]
    assert sorted(listed) == names
    assert listed == list(reversed(names)), "newest first"
    whole = paginator.paginate().build_full_result()["datasetGroups"]
    assert [g["name"] for g in whole] == listed


def test_list_dataset_groups_rejects_a_foreign_token(personalize_stub, personalize_client):
    personalize_client.create_dataset_group(name="shop")
    with pytest.raises(personalize_client.exceptions.InvalidNextTokenException):
        personalize_client.list_dataset_groups(nextToken="not-a-token-we-issued")
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.list_dataset_groups(maxResults=101)


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------


def test_schema_has_no_status_and_is_described_at_once(personalize_stub, personalize_client):
    arn = personalize_client.create_schema(name="events", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    assert arn == PREFIX + "schema/events"
    schema = personalize_client.describe_schema(schemaArn=arn)["schema"]
    assert "status" not in schema
    assert schema["name"] == "events"
    assert json.loads(schema["schema"]) == json.loads(INTERACTIONS_SCHEMA)
    listed = personalize_client.list_schemas()["schemas"]
    assert [s["schemaArn"] for s in listed] == [arn]
    assert "schema" not in listed[0] and "status" not in listed[0]


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        json.dumps({"type": "enum", "name": "x", "symbols": ["A"]}),
        json.dumps({"type": "record", "name": "x", "fields": []}),
        json.dumps(
            {
                "type": "record",
                "name": "x",
                "fields": [
                    {"name": "USER_ID", "type": "string"},
                    {"name": "USER_ID", "type": "string"},
                ],
            }
        ),
    ],
    ids=["not-json", "not-a-record", "no-fields", "duplicate-field"],
)
def test_invalid_avro_schema_is_invalid_input(personalize_stub, personalize_client, text):
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.create_schema(name="bad", schema=text)
    assert personalize_client.list_schemas()["schemas"] == []


USER = field("USER_ID")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (json.dumps({"type": "record", "fields": [USER]}), "name"),
        (avro_schema("Interactions", USER, {"name": "2nd-score", "type": "float"}), "2nd-score"),
        (
            avro_schema(
                "Interactions", USER, {"name": "SCORE", "type": ["null", "float", "float"]}
            ),
            "SCORE",
        ),
        (
            avro_schema("Interactions", USER, {"name": "SCORE", "type": "int", "default": "high"}),
            "high",
        ),
        (
            avro_schema(
                "Interactions", USER, {"name": "SCORE", "type": ["null", "int"], "default": 1.5}
            ),
            "1.5",
        ),
        (avro_schema("Interactions", USER, {"name": "SCORE"}), "type"),
        (avro_schema("Interactions", USER, {"name": "SCORE", "type": {"type": "array"}}), "Avro"),
        (
            avro_schema(
                "Interactions",
                USER,
                {"name": "GENRES_FIELD_1", "type": "int"},
                {"name": "GENRESFIELD1", "type": "int"},
            ),
            "unique",
        ),
    ],
    ids=[
        "record-without-name",
        "invalid-field-name",
        "union-holding-a-type-twice",
        "default-of-the-wrong-type",
        "default-no-union-branch-takes",
        "field-without-type",
        "array-without-items",
        "names-equal-but-for-underscores",
    ],
)
def test_schema_that_is_not_valid_avro_is_invalid_input(
    personalize_stub, personalize_client, text, named
):
    """Personalize schemas are Avro schemas with unique alphanumeric field names (developer
    guide, "Creating schema JSON files for Amazon Personalize schemas",
    https://docs.aws.amazon.com/personalize/latest/dg/how-it-works-dataset-schema.html): what
    the Avro specification refuses, CreateSchema refuses, saying what is wrong."""
    with pytest.raises(personalize_client.exceptions.InvalidInputException, match=named):
        personalize_client.create_schema(name="bad", schema=text)
    assert personalize_client.list_schemas()["schemas"] == []


def test_schema_with_nullable_fields_and_defaults_is_valid_avro(
    personalize_stub, personalize_client
):
    text = avro_schema(
        "Interactions",
        USER,
        field("ITEM_ID"),
        field("TIMESTAMP", "long"),
        nullable("EVENT_VALUE", "float", default=None),
        field("_private_2", "int", default=3),
    )
    arn = personalize_client.create_schema(name="good", schema=text)["schemaArn"]
    assert personalize_client.describe_schema(schemaArn=arn)["schema"]["schema"] == text


def test_schema_name_is_unique(personalize_stub, personalize_client):
    personalize_client.create_schema(name="events", schema=INTERACTIONS_SCHEMA)
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        personalize_client.create_schema(name="events", schema=INTERACTIONS_SCHEMA)


def test_schema_delete_blocked_while_a_dataset_uses_it(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group, "interactions")
    schema = PREFIX + "schema/interactions-schema"
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_schema(schemaArn=schema)
    personalize_client.delete_dataset(datasetArn=dataset)
    personalize_stub.settle()
    personalize_client.delete_schema(schemaArn=schema)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_schema(schemaArn=schema)


# --------------------------------------------------------------------------------------------
# Dataset
# --------------------------------------------------------------------------------------------


def create_interactions(client, group, schema, dataset_type="Interactions", name="events"):
    return client.create_dataset(
        name=name, schemaArn=schema, datasetGroupArn=group, datasetType=dataset_type
    )["datasetArn"]


@pytest.mark.personalize_stub(durations={"dataset": 100})
def test_dataset_arn_uses_group_name_and_upper_case_type(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client, "movies")
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    arn = create_interactions(personalize_client, group, schema, "interactions")
    assert arn == PREFIX + "dataset/movies/INTERACTIONS"
    dataset = personalize_client.describe_dataset(datasetArn=arn)["dataset"]
    assert dataset["status"] == "CREATE PENDING"
    assert dataset["datasetType"] == "INTERACTIONS"
    assert (dataset["name"], dataset["schemaArn"], dataset["datasetGroupArn"]) == (
        "events",
        schema,
        group,
    )
    assert "trackingId" not in dataset
    personalize_stub.clock.advance(seconds=50)
    assert personalize_client.describe_dataset(datasetArn=arn)["dataset"]["status"] == (
        "CREATE IN_PROGRESS"
    )
    personalize_stub.settle()
    assert personalize_client.describe_dataset(datasetArn=arn)["dataset"]["status"] == "ACTIVE"


@pytest.mark.parametrize("spelling", ["ITEMS", "items", "Items", "iTeMs"])
def test_dataset_type_is_case_insensitive(personalize_stub, personalize_client, spelling):
    group = active_dataset_group(personalize_stub, personalize_client, "shop")
    schema = personalize_client.create_schema(name="items", schema=ITEMS_SCHEMA)["schemaArn"]
    arn = create_interactions(personalize_client, group, schema, spelling, "catalog")
    assert arn == PREFIX + "dataset/shop/ITEMS"


def test_unknown_dataset_type_is_invalid_input(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        create_interactions(personalize_client, group, schema, "Clicks")


def test_second_dataset_of_the_same_type_already_exists(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    create_interactions(personalize_client, group, schema, "Interactions", "first")
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        create_interactions(personalize_client, group, schema, "INTERACTIONS", "second")


def test_dataset_needs_an_active_dataset_group(personalize_stub, personalize_client):
    group = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        create_interactions(personalize_client, group, schema)
    personalize_stub.settle()
    assert create_interactions(personalize_client, group, schema)


def test_dataset_with_unknown_group_or_schema_is_not_found(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        create_interactions(personalize_client, PREFIX + "dataset-group/none", schema)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        create_interactions(personalize_client, group, PREFIX + "schema/none")


def test_list_datasets_filters_by_dataset_group(personalize_stub, personalize_client):
    first = active_dataset_group(personalize_stub, personalize_client, "first")
    second = active_dataset_group(personalize_stub, personalize_client, "second")
    in_first = active_dataset(personalize_stub, personalize_client, first, "a")
    in_second = active_dataset(personalize_stub, personalize_client, second, "b")
    listed = personalize_client.list_datasets(datasetGroupArn=first)["datasets"]
    assert [d["datasetArn"] for d in listed] == [in_first]
    assert listed[0]["datasetType"] == "INTERACTIONS"
    everything = personalize_client.list_datasets()["datasets"]
    assert {d["datasetArn"] for d in everything} == {in_first, in_second}


@pytest.mark.personalize_stub(durations={"dataset": 100})
def test_dataset_delete_goes_delete_pending_in_progress_then_gone(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    personalize_client.delete_dataset(datasetArn=dataset)
    statuses = []
    for _ in range(50):
        try:
            status = personalize_client.describe_dataset(datasetArn=dataset)["dataset"]["status"]
        except personalize_client.exceptions.ResourceNotFoundException:
            break
        if not statuses or statuses[-1] != status:
            statuses.append(status)
        personalize_stub.clock.advance(seconds=3)
    else:
        pytest.fail("the dataset was never removed")
    assert statuses == ["DELETE PENDING", "DELETE IN_PROGRESS"]
    assert personalize_client.list_datasets(datasetGroupArn=group)["datasets"] == []


def test_dataset_delete_refused_while_it_is_being_created(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = create_interactions(personalize_client, group, schema)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset(datasetArn=dataset)


def test_dataset_delete_blocked_while_an_import_job_runs(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    import_job(personalize_client, dataset)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset(datasetArn=dataset)
    personalize_stub.settle()
    personalize_client.delete_dataset(datasetArn=dataset)
    assert personalize_client.describe_dataset(datasetArn=dataset)["dataset"]["status"] == (
        "DELETE PENDING"
    )


def test_dataset_delete_blocked_while_a_solution_version_trains(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    solution = active_solution(personalize_stub, personalize_client, group)
    personalize_client.create_solution_version(solutionArn=solution)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset(datasetArn=dataset)


def test_dataset_delete_blocked_while_a_batch_segment_job_runs(
    personalize_stub, personalize_client
):
    version = affinity_version(personalize_stub, personalize_client)
    dataset = PREFIX + "dataset/shop/INTERACTIONS"
    segment_job(personalize_client, version)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset(datasetArn=dataset)
    personalize_stub.settle()
    personalize_client.delete_dataset(datasetArn=dataset)


def test_dataset_delete_blocked_while_a_campaign_is_active(personalize_stub, personalize_client):
    """An associated campaign that is CREATE PENDING, IN_PROGRESS or ACTIVE blocks the delete."""
    arns = deployed_campaign(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset(datasetArn=arns["datasetArn"])
    personalize_client.delete_campaign(campaignArn=arns["campaignArn"])
    personalize_stub.settle()
    personalize_client.delete_dataset(datasetArn=arns["datasetArn"])


# --------------------------------------------------------------------------------------------
# Dataset import job
# --------------------------------------------------------------------------------------------


def test_import_job_defaults_to_full_mode_and_takes_900_seconds(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    arn = import_job(personalize_client, dataset, "first-import")
    assert arn == PREFIX + "dataset-import-job/first-import"
    job = personalize_client.describe_dataset_import_job(datasetImportJobArn=arn)[
        "datasetImportJob"
    ]
    assert job["status"] == "CREATE PENDING"
    assert job["importMode"] == "FULL"
    assert job["datasetArn"] == dataset
    assert job["dataSource"] == {"dataLocation": "s3://bucket/interactions.csv"}
    personalize_stub.clock.advance(seconds=600)
    assert (
        personalize_client.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"][
            "status"
        ]
        == "CREATE IN_PROGRESS"
    )
    personalize_stub.clock.advance(seconds=280)
    assert (
        personalize_client.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"][
            "status"
        ]
        == "CREATE IN_PROGRESS"
    )
    personalize_stub.clock.advance(seconds=20)
    assert (
        personalize_client.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"][
            "status"
        ]
        == "ACTIVE"
    )
    summary = personalize_client.list_dataset_import_jobs()["datasetImportJobs"][0]
    assert summary["importMode"] == "FULL"


def test_import_job_echoes_incremental_mode(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    import_job(personalize_client, dataset, "bulk")
    personalize_stub.settle()
    arn = import_job(personalize_client, dataset, "more", importMode="INCREMENTAL")
    job = personalize_client.describe_dataset_import_job(datasetImportJobArn=arn)
    assert job["datasetImportJob"]["importMode"] == "INCREMENTAL"


def test_list_import_jobs_filters_by_dataset(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    interactions = active_dataset(personalize_stub, personalize_client, group)
    schema = personalize_client.create_schema(name="items", schema=ITEMS_SCHEMA)["schemaArn"]
    items = personalize_client.create_dataset(
        name="items", schemaArn=schema, datasetGroupArn=group, datasetType="Items"
    )["datasetArn"]
    personalize_stub.settle()
    on_interactions = import_job(personalize_client, interactions, "one")
    on_items = import_job(personalize_client, items, "two")
    listed = personalize_client.list_dataset_import_jobs(datasetArn=interactions)
    assert [j["datasetImportJobArn"] for j in listed["datasetImportJobs"]] == [on_interactions]
    everything = personalize_client.list_dataset_import_jobs()["datasetImportJobs"]
    assert [j["datasetImportJobArn"] for j in everything] == [on_items, on_interactions]


def test_import_job_needs_an_active_dataset(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    schema = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = create_interactions(personalize_client, group, schema)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        import_job(personalize_client, dataset)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        import_job(personalize_client, PREFIX + "dataset/none/INTERACTIONS")


def test_import_job_name_is_unique(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    dataset = active_dataset(personalize_stub, personalize_client, group)
    import_job(personalize_client, dataset, "same")
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        import_job(personalize_client, dataset, "same")


# --------------------------------------------------------------------------------------------
# Solution
# --------------------------------------------------------------------------------------------


def test_solution_documented_defaults(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = personalize_client.create_solution(
        name="sol", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION
    )["solutionArn"]
    assert arn == PREFIX + "solution/sol"
    solution = personalize_client.describe_solution(solutionArn=arn)["solution"]
    assert solution["status"] == "CREATE PENDING"
    assert solution["performHPO"] is False
    assert solution["performAutoML"] is False
    assert solution["performAutoTraining"] is True
    assert solution["solutionConfig"]["autoTrainingConfig"]["schedulingExpression"] == (
        "rate(7 days)"
    )
    assert solution["recipeArn"] == USER_PERSONALIZATION
    assert solution["datasetGroupArn"] == group
    assert "latestSolutionVersion" not in solution
    personalize_stub.settle()
    assert personalize_client.describe_solution(solutionArn=arn)["solution"]["status"] == "ACTIVE"


def test_solution_keeps_a_given_training_schedule(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = personalize_client.create_solution(
        name="sol",
        datasetGroupArn=group,
        recipeArn=USER_PERSONALIZATION,
        solutionConfig={"autoTrainingConfig": {"schedulingExpression": "rate(3 days)"}},
    )["solutionArn"]
    solution = personalize_client.describe_solution(solutionArn=arn)["solution"]
    assert solution["solutionConfig"]["autoTrainingConfig"]["schedulingExpression"] == (
        "rate(3 days)"
    )


def test_solution_with_unknown_recipe_is_not_found(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.create_solution(
            name="sol", datasetGroupArn=group, recipeArn="arn:aws:personalize:::recipe/aws-nope"
        )


def test_solution_needs_an_active_dataset_group(personalize_stub, personalize_client):
    group = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.create_solution(
            name="sol", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION
        )


def test_solution_name_is_unique(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_solution(personalize_stub, personalize_client, group, "sol")
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        active_solution(personalize_stub, personalize_client, group, "sol")


def test_describe_solution_shows_the_latest_version(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group)
    first = trained_version(personalize_stub, personalize_client, solution)
    second = personalize_client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    latest = personalize_client.describe_solution(solutionArn=solution)["solution"][
        "latestSolutionVersion"
    ]
    assert latest["solutionVersionArn"] == second != first
    assert latest["status"] == "CREATE PENDING"
    assert latest["trainingMode"] == "FULL"


def test_list_solutions_filters_by_dataset_group(personalize_stub, personalize_client):
    first = active_dataset_group(personalize_stub, personalize_client, "first")
    second = active_dataset_group(personalize_stub, personalize_client, "second")
    mine = active_solution(personalize_stub, personalize_client, first, "mine")
    theirs = active_solution(personalize_stub, personalize_client, second, "theirs")
    listed = personalize_client.list_solutions(datasetGroupArn=first)["solutions"]
    assert [s["solutionArn"] for s in listed] == [mine]
    assert listed[0]["recipeArn"] == USER_PERSONALIZATION
    assert {s["solutionArn"] for s in personalize_client.list_solutions()["solutions"]} == {
        mine,
        theirs,
    }


def test_solution_delete_blocked_while_a_version_trains(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group)
    personalize_client.create_solution_version(solutionArn=solution)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_solution(solutionArn=solution)


def test_solution_delete_blocked_while_a_campaign_deploys_it(personalize_stub, personalize_client):
    arns = deployed_campaign(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_solution(solutionArn=arns["solutionArn"])


@pytest.mark.personalize_stub(durations={"solution": 100})
def test_solution_delete_walks_delete_statuses_and_takes_its_versions(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group)
    version = trained_version(personalize_stub, personalize_client, solution)
    personalize_client.delete_solution(solutionArn=solution)
    assert personalize_client.describe_solution(solutionArn=solution)["solution"]["status"] == (
        "DELETE PENDING"
    )
    personalize_stub.clock.advance(seconds=30)
    assert personalize_client.describe_solution(solutionArn=solution)["solution"]["status"] == (
        "DELETE IN_PROGRESS"
    )
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_solution(solutionArn=solution)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_solution_version(solutionVersionArn=version)
    assert personalize_client.list_solution_versions()["solutionVersions"] == []


# --------------------------------------------------------------------------------------------
# Solution version
# --------------------------------------------------------------------------------------------


def test_solution_version_arn_defaults_and_training_hours(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group, "sol")
    arn = personalize_client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert re.fullmatch(re.escape(solution) + r"/[0-9a-f]{8}", arn)
    version = personalize_client.describe_solution_version(solutionVersionArn=arn)[
        "solutionVersion"
    ]
    assert version["status"] == "CREATE PENDING"
    assert version["trainingMode"] == "FULL"
    assert version["trainingType"] == "MANUAL"
    assert version["recipeArn"] == USER_PERSONALIZATION
    assert version["solutionArn"] == solution
    assert "trainingHours" not in version
    assert "failureReason" not in version
    personalize_stub.settle()
    trained = personalize_client.describe_solution_version(solutionVersionArn=arn)[
        "solutionVersion"
    ]
    assert trained["status"] == "ACTIVE"
    assert trained["trainingHours"] > 0


def test_failed_solution_version_has_no_training_hours(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group)
    personalize_stub.fail("CreateSolutionVersion", status="CREATE FAILED", reason="Too few users")
    arn = personalize_client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    personalize_stub.settle()
    version = personalize_client.describe_solution_version(solutionVersionArn=arn)[
        "solutionVersion"
    ]
    assert (version["status"], version["failureReason"]) == ("CREATE FAILED", "Too few users")
    assert "trainingHours" not in version


def test_solution_version_copies_the_solutions_recipe(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group, recipe=ITEM_AFFINITY)
    arn = personalize_client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    version = personalize_client.describe_solution_version(solutionVersionArn=arn)
    assert version["solutionVersion"]["recipeArn"] == ITEM_AFFINITY


def test_solution_version_needs_an_active_solution(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = personalize_client.create_solution(
        name="sol", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION
    )["solutionArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.create_solution_version(solutionArn=solution)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.create_solution_version(solutionArn=PREFIX + "solution/none")


def test_list_solution_versions_filters_newest_first(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group, "one")
    other = active_solution(personalize_stub, personalize_client, group, "two")
    first = trained_version(personalize_stub, personalize_client, solution)
    foreign = trained_version(personalize_stub, personalize_client, other)
    second = trained_version(personalize_stub, personalize_client, solution)
    listed = personalize_client.list_solution_versions(solutionArn=solution)["solutionVersions"]
    assert [v["solutionVersionArn"] for v in listed] == [second, first]
    assert {(v["trainingMode"], v["trainingType"]) for v in listed} == {("FULL", "MANUAL")}
    everything = personalize_client.list_solution_versions()["solutionVersions"]
    assert [v["solutionVersionArn"] for v in everything] == [second, foreign, first]


def test_list_solution_versions_of_unknown_solution_is_not_found(
    personalize_stub, personalize_client
):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.list_solution_versions(solutionArn=PREFIX + "solution/none")


# --------------------------------------------------------------------------------------------
# Batch segment job
# --------------------------------------------------------------------------------------------


def affinity_version(stub, client):
    group = active_dataset_group(stub, client)
    active_dataset(stub, client, group)
    solution = active_solution(stub, client, group, "affinity", recipe=ITEM_AFFINITY)
    return trained_version(stub, client, solution)


@pytest.mark.personalize_stub(durations={"batch_segment_job": 100})
def test_batch_segment_job_walks_create_statuses(personalize_stub, personalize_client):
    version = affinity_version(personalize_stub, personalize_client)
    arn = segment_job(personalize_client, version, "segments", numResults=50)
    assert arn == PREFIX + "batch-segment-job/segments"
    job = personalize_client.describe_batch_segment_job(batchSegmentJobArn=arn)["batchSegmentJob"]
    assert job["status"] == "CREATE PENDING"
    assert job["solutionVersionArn"] == version
    assert job["numResults"] == 50
    assert job["jobInput"] == SEGMENT_IO["jobInput"]
    assert job["jobOutput"] == SEGMENT_IO["jobOutput"]
    assert job["roleArn"] == ROLE
    personalize_stub.clock.advance(seconds=50)
    assert (
        personalize_client.describe_batch_segment_job(batchSegmentJobArn=arn)["batchSegmentJob"][
            "status"
        ]
        == "CREATE IN_PROGRESS"
    )
    personalize_stub.settle()
    assert (
        personalize_client.describe_batch_segment_job(batchSegmentJobArn=arn)["batchSegmentJob"][
            "status"
        ]
        == "ACTIVE"
    )


def test_batch_segment_job_needs_a_user_segmentation_recipe(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group)
    version = trained_version(personalize_stub, personalize_client, solution)
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        segment_job(personalize_client, version)
    assert personalize_client.list_batch_segment_jobs()["batchSegmentJobs"] == []


def test_batch_segment_job_needs_an_active_version(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group, recipe=ITEM_AFFINITY)
    training = personalize_client.create_solution_version(solutionArn=solution)[
        "solutionVersionArn"
    ]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        segment_job(personalize_client, training)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        segment_job(personalize_client, solution + "/0badc0de")


def test_batch_segment_job_name_is_unique(personalize_stub, personalize_client):
    version = affinity_version(personalize_stub, personalize_client)
    segment_job(personalize_client, version, "same")
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        segment_job(personalize_client, version, "same")


def test_list_batch_segment_jobs_filters_by_solution_version(personalize_stub, personalize_client):
    version = affinity_version(personalize_stub, personalize_client)
    other = trained_version(personalize_stub, personalize_client, PREFIX + "solution/affinity")
    mine = segment_job(personalize_client, version, "mine")
    theirs = segment_job(personalize_client, other, "theirs")
    listed = personalize_client.list_batch_segment_jobs(solutionVersionArn=version)
    assert [j["batchSegmentJobArn"] for j in listed["batchSegmentJobs"]] == [mine]
    assert listed["batchSegmentJobs"][0]["solutionVersionArn"] == version
    everything = personalize_client.list_batch_segment_jobs()["batchSegmentJobs"]
    assert [j["batchSegmentJobArn"] for j in everything] == [theirs, mine]


# --------------------------------------------------------------------------------------------
# personalize-runtime GetRecommendations
# --------------------------------------------------------------------------------------------


def test_recommendations_only_from_an_active_campaign(
    personalize_stub, personalize_client, personalize_runtime_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_dataset(personalize_stub, personalize_client, group)
    solution = active_solution(personalize_stub, personalize_client, group)
    version = trained_version(personalize_stub, personalize_client, solution)
    campaign = personalize_client.create_campaign(name="camp", solutionVersionArn=version)[
        "campaignArn"
    ]
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException):
        personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")
    personalize_stub.settle()
    items = personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")
    assert items["itemList"]
    personalize_client.delete_campaign(campaignArn=campaign)
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException):
        personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")


def test_recommendations_from_unknown_campaign_are_not_found(
    personalize_stub, personalize_runtime_client
):
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException):
        personalize_runtime_client.get_recommendations(
            campaignArn=PREFIX + "campaign/none", userId="u-1"
        )


def test_recommendations_default_to_25_ranked_items(
    personalize_stub, personalize_client, personalize_runtime_client
):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    answer = personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")
    items = answer["itemList"]
    assert len(items) == 25
    assert len({item["itemId"] for item in items}) == 25
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 1 for score in scores)
    assert answer["recommendationId"]


def test_recommendations_num_results_limits(
    personalize_stub, personalize_client, personalize_runtime_client
):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    get = personalize_runtime_client.get_recommendations
    assert len(get(campaignArn=campaign, userId="u-1", numResults=3)["itemList"]) == 3
    assert len(get(campaignArn=campaign, userId="u-1", numResults=500)["itemList"]) == 500
    assert get(campaignArn=campaign, userId="u-1", numResults=0)["itemList"] == []
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(campaignArn=campaign, userId="u-1", numResults=501)


def test_recommendations_are_deterministic(
    personalize_stub, personalize_client, personalize_runtime_client
):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    get = personalize_runtime_client.get_recommendations
    first = get(campaignArn=campaign, userId="u-1", numResults=10)["itemList"]
    again = get(campaignArn=campaign, userId="u-1", numResults=10)["itemList"]
    assert first == again
    longer = get(campaignArn=campaign, userId="u-1", numResults=20)["itemList"]
    assert [i["itemId"] for i in longer[:10]] == [i["itemId"] for i in first]


def test_recommendations_need_user_id_for_user_personalization(
    personalize_stub, personalize_client, personalize_runtime_client
):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        personalize_runtime_client.get_recommendations(campaignArn=campaign)


def test_recommendations_need_exactly_one_target(personalize_stub, personalize_runtime_client):
    with pytest.raises(ClientError) as error:
        personalize_runtime_client.get_recommendations(userId="u-1")
    assert code(error) == "InvalidInputException"
