"""The dataset family: dataset groups, schemas, datasets and dataset import jobs; dataset
updates (schema replacement), what blocks deleting a dataset or a dataset group, and the
family's quotas.

As the developer guide describes them ("Creating an Amazon Personalize dataset group",
https://docs.aws.amazon.com/personalize/latest/dg/data-prep-ds-group.html; "Importing training
data into Amazon Personalize datasets",
https://docs.aws.amazon.com/personalize/latest/dg/import-data.html; "Importing bulk data into
Amazon Personalize with a dataset import job",
https://docs.aws.amazon.com/personalize/latest/dg/bulk-data-import.html; "Replacing a
dataset's schema to add new columns",
https://docs.aws.amazon.com/personalize/latest/dg/updating-dataset-schema.html) and the quotas
page ("Amazon Personalize endpoints and quotas",
https://docs.aws.amazon.com/general/latest/gr/personalize.html).
"""

from __future__ import annotations

import json

import pytest
from support.flows import (
    ROLE,
    active_dataset,
    active_dataset_group,
    active_solution,
    affinity_version,
    deployed_campaign,
    items_dataset,
    segment_job,
)
from support.schemas import INTERACTIONS_SCHEMA, ITEMS_SCHEMA, avro_schema, field, nullable

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"


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
# UpdateDataset
# --------------------------------------------------------------------------------------------


ITEM_ID = field("ITEM_ID")
GENRE = field("GENRE", categorical=True)
ITEMS_V1 = ITEMS_SCHEMA
"""The Items schema (``ITEM_ID``, ``GENRE``) a dataset has until an update replaces it."""


def dataset_of(client, arn):
    return client.describe_dataset(datasetArn=arn)["dataset"]


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
