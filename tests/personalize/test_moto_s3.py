"""Beside moto's mock_aws: import and batch jobs read their input from moto's S3, export and
batch jobs write their output there, and data that does not fit fails the job."""

from __future__ import annotations

import csv
import io
import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from support.flows import (
    ITEM_AFFINITY,
    ROLE,
    active_dataset,
    active_dataset_group,
    active_solution,
    trained_version,
)
from support.schemas import INTERACTIONS_SCHEMA, avro_schema

from pytest_personalize_stub import moto_s3

BUCKET = "data"
HEADER = "USER_ID,ITEM_ID,TIMESTAMP\n"
ROWS = "u1,i1,1700000000\nu2,i2,1700000100\n"


@pytest.fixture
def s3(personalize_stub):
    """moto's S3 with one empty bucket, served while the fake serves Personalize."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def dataset(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client, "s3-group")
    return active_dataset(personalize_stub, personalize_client, group, "s3-data")


def put(s3, key, text):
    s3.put_object(Bucket=BUCKET, Key=key, Body=text.encode())


def import_job(client, dataset, location, name="load", **extra):
    return client.create_dataset_import_job(
        jobName=name,
        datasetArn=dataset,
        dataSource={"dataLocation": location},
        roleArn=ROLE,
        **extra,
    )["datasetImportJobArn"]


def settled_import(stub, client, arn):
    first = client.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"]
    assert first["status"] == "CREATE PENDING"
    stub.settle()
    return client.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"]


def exported_rows(stub, client, s3, dataset, mode, name="dump"):
    client.create_dataset_export_job(
        jobName=name,
        datasetArn=dataset,
        ingestionMode=mode,
        roleArn=ROLE,
        jobOutput={"s3DataDestination": {"path": f"s3://{BUCKET}/exports/"}},
    )
    stub.settle()
    body = s3.get_object(Bucket=BUCKET, Key=f"exports/{name}/part-00000.csv")["Body"].read()
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_an_import_reads_its_csv_from_moto_and_an_export_writes_it_back(
    personalize_stub, personalize_client, s3, dataset
):
    put(s3, "in/interactions.csv", HEADER + ROWS)
    arn = import_job(personalize_client, dataset, f"s3://{BUCKET}/in/interactions.csv")
    job = settled_import(personalize_stub, personalize_client, arn)
    assert job["status"] == "ACTIVE" and "failureReason" not in job
    rows = exported_rows(personalize_stub, personalize_client, s3, dataset, "BULK")
    assert rows == [
        {"USER_ID": "u1", "ITEM_ID": "i1", "TIMESTAMP": "1700000000"},
        {"USER_ID": "u2", "ITEM_ID": "i2", "TIMESTAMP": "1700000100"},
    ]


def test_a_folder_imports_every_file_below_it_and_incremental_adds(
    personalize_stub, personalize_client, s3, dataset
):
    put(s3, "in/part-1.csv", HEADER + "u1,i1,1\n")
    put(s3, "in/part-2.csv", HEADER + "u2,i2,2\n")
    put(s3, "more/part-3.csv", HEADER + "u3,i3,3\n")
    import_job(personalize_client, dataset, f"s3://{BUCKET}/in/")
    personalize_stub.settle()
    import_job(
        personalize_client, dataset, f"s3://{BUCKET}/more/", name="more", importMode="INCREMENTAL"
    )
    personalize_stub.settle()
    rows = exported_rows(personalize_stub, personalize_client, s3, dataset, "BULK")
    assert [row["USER_ID"] for row in rows] == ["u1", "u2", "u3"]


def test_a_full_import_replaces_what_was_imported(
    personalize_stub, personalize_client, s3, dataset
):
    put(s3, "old.csv", HEADER + "u1,i1,1\n")
    put(s3, "new.csv", HEADER + "u9,i9,9\n")
    import_job(personalize_client, dataset, f"s3://{BUCKET}/old.csv")
    personalize_stub.settle()
    import_job(personalize_client, dataset, f"s3://{BUCKET}/new.csv", name="again")
    personalize_stub.settle()
    rows = exported_rows(personalize_stub, personalize_client, s3, dataset, "BULK")
    assert [row["USER_ID"] for row in rows] == ["u9"]


@pytest.mark.parametrize(
    ("files", "location", "reason"),
    [
        ({}, "s3://data/in/missing.csv", "No data found at s3://data/in/missing.csv"),
        ({}, "s3://no-such-bucket/x.csv", "No data found at s3://no-such-bucket/x.csv"),
        (
            {"in/a.csv": "USER_ID,ITEM_ID\nu1,i1\n"},
            "s3://data/in/a.csv",
            "Input CSV is missing the following columns: [TIMESTAMP]",
        ),
        (
            {"in/a.csv": "USER_ID,ITEM_ID,TIMESTAMP,COLOR\nu1,i1,1,red\n"},
            "s3://data/in/a.csv",
            "Input CSV has columns that are not in the schema: [COLOR]",
        ),
        (
            {"in/a.csv": HEADER + "u1,i1,yesterday\n"},
            "s3://data/in/a.csv",
            "Input CSV in/a.csv line 2: the value 'yesterday' of TIMESTAMP is not a long.",
        ),
        (
            {"in/a.csv": HEADER + "u1,,5\n"},
            "s3://data/in/a.csv",
            "Input CSV in/a.csv line 2: ITEM_ID has no value",
        ),
        (
            {"in/a.csv": HEADER + "u1,i1\n"},
            "s3://data/in/a.csv",
            "Input CSV in/a.csv line 2 has 2 values where the header has 3 columns.",
        ),
    ],
)
def test_data_that_does_not_fit_ends_the_import_in_create_failed(
    personalize_stub, personalize_client, s3, dataset, files, location, reason
):
    for key, text in files.items():
        put(s3, key, text)
    arn = import_job(personalize_client, dataset, location)
    job = settled_import(personalize_stub, personalize_client, arn)
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"].startswith(reason)


@pytest.mark.personalize_fail("CreateDatasetImportJob", status="CREATE FAILED", reason="injected")
def test_an_injected_failure_wins_over_the_data(personalize_stub, personalize_client, s3, dataset):
    arn = import_job(personalize_client, dataset, f"s3://{BUCKET}/missing.csv")
    job = settled_import(personalize_stub, personalize_client, arn)
    assert (job["status"], job["failureReason"]) == ("CREATE FAILED", "injected")


def test_a_put_export_writes_what_personalize_events_recorded(
    personalize_stub, personalize_client, personalize_events_client, s3, dataset
):
    group = personalize_client.describe_dataset(datasetArn=dataset)["dataset"]["datasetGroupArn"]
    tracking = personalize_client.create_event_tracker(name="clicks", datasetGroupArn=group)
    personalize_stub.settle()
    personalize_events_client.put_events(
        trackingId=tracking["trackingId"],
        userId="u7",
        sessionId="s1",
        eventList=[{"eventType": "click", "itemId": "i7", "sentAt": 1700000500}],
    )
    rows = exported_rows(personalize_stub, personalize_client, s3, dataset, "PUT")
    assert rows == [{"USER_ID": "u7", "ITEM_ID": "i7", "TIMESTAMP": "1700000500"}]


@pytest.fixture
def version(personalize_stub, personalize_client, dataset):
    group = personalize_client.describe_dataset(datasetArn=dataset)["dataset"]["datasetGroupArn"]
    solution = active_solution(personalize_stub, personalize_client, group, "batch")
    return trained_version(personalize_stub, personalize_client, solution)


def batch_io(source, destination=f"s3://{BUCKET}/out/"):
    return {
        "jobInput": {"s3DataSource": {"path": source}},
        "jobOutput": {"s3DataDestination": {"path": destination}},
        "roleArn": ROLE,
    }


def output_lines(s3, key):
    body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()
    return [json.loads(line) for line in body.splitlines()]


def test_a_batch_inference_job_writes_one_out_file_per_input_file(
    personalize_stub, personalize_client, s3, version
):
    put(s3, "in/users.json", '{"userId": "4638"}\n{"userId": "663"}\n')
    arn = personalize_client.create_batch_inference_job(
        jobName="nightly",
        solutionVersionArn=version,
        numResults=5,
        **batch_io(f"s3://{BUCKET}/in/users.json"),
    )["batchInferenceJobArn"]
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket=BUCKET, Key="out/users.json.out")
    personalize_stub.settle()
    job = personalize_client.describe_batch_inference_job(batchInferenceJobArn=arn)
    assert job["batchInferenceJob"]["status"] == "ACTIVE"
    lines = output_lines(s3, "out/users.json.out")
    assert [line["input"] for line in lines] == [{"userId": "4638"}, {"userId": "663"}]
    for line in lines:
        assert set(line) == {"input", "output", "error"} and line["error"] is None
        items, scores = line["output"]["recommendedItems"], line["output"]["scores"]
        assert len(items) == len(set(items)) == len(scores) == 5
        assert scores == sorted(scores, reverse=True)
    assert lines[0]["output"] != lines[1]["output"]


def test_a_batch_segment_job_writes_recommended_users(
    personalize_stub, personalize_client, s3, dataset
):
    group = personalize_client.describe_dataset(datasetArn=dataset)["dataset"]["datasetGroupArn"]
    solution = active_solution(personalize_stub, personalize_client, group, "seg", ITEM_AFFINITY)
    version = trained_version(personalize_stub, personalize_client, solution)
    put(
        s3,
        "in/items.json",
        '{"itemId": "105"}\n{"itemAttributes": "ITEMS.genres = \\"Comedy\\""}\n',
    )
    personalize_client.create_batch_segment_job(
        jobName="segments", solutionVersionArn=version, **batch_io(f"s3://{BUCKET}/in/items.json")
    )
    personalize_stub.settle()
    by_item, by_attributes = output_lines(s3, "out/items.json.out")
    assert by_item["input"] == {"itemId": "105"}
    assert list(by_item["output"]) == ["recommendedUsers"]
    assert len(by_item["output"]["recommendedUsers"]) == 25
    assert by_attributes["itemAttributes"] == 'ITEMS.genres = "Comedy"'
    assert set(by_attributes) == {"itemAttributes", "output"}


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({}, "No data found at s3://data/in/users.json"),
        ({"in/users.json": '{"userId": "1"}\nnot json\n'}, "Input file in/users.json line 2"),
    ],
)
def test_batch_input_that_is_missing_or_not_json_fails_the_job(
    personalize_stub, personalize_client, s3, version, files, reason
):
    for key, text in files.items():
        put(s3, key, text)
    arn = personalize_client.create_batch_inference_job(
        jobName="broken", solutionVersionArn=version, **batch_io(f"s3://{BUCKET}/in/users.json")
    )["batchInferenceJobArn"]
    personalize_stub.settle()
    job = personalize_client.describe_batch_inference_job(batchInferenceJobArn=arn)
    assert job["batchInferenceJob"]["status"] == "CREATE FAILED"
    assert job["batchInferenceJob"]["failureReason"].startswith(reason)
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix="out/")


def test_without_moto_jobs_touch_no_s3(personalize_stub, personalize_client, dataset, monkeypatch):
    assert not moto_s3.moto_serves_s3("us-east-1")

    def no_s3(region):
        raise AssertionError("an S3 client was made without moto")

    monkeypatch.setattr(moto_s3, "_client", no_s3)
    group = personalize_client.describe_dataset(datasetArn=dataset)["dataset"]["datasetGroupArn"]
    version = trained_version(
        personalize_stub,
        personalize_client,
        active_solution(personalize_stub, personalize_client, group, "offline"),
    )
    import_job(personalize_client, dataset, "s3://real-bucket/data.csv")
    personalize_client.create_dataset_export_job(
        jobName="dump",
        datasetArn=dataset,
        roleArn=ROLE,
        jobOutput={"s3DataDestination": {"path": "s3://real-bucket/out/"}},
    )
    personalize_client.create_batch_inference_job(
        jobName="batch", solutionVersionArn=version, **batch_io("s3://real-bucket/in.json")
    )
    personalize_stub.settle()
    statuses = [
        personalize_client.list_dataset_import_jobs()["datasetImportJobs"][0]["status"],
        personalize_client.list_dataset_export_jobs()["datasetExportJobs"][0]["status"],
        personalize_client.list_batch_inference_jobs()["batchInferenceJobs"][0]["status"],
    ]
    assert statuses == ["ACTIVE", "ACTIVE", "ACTIVE"]


def test_output_is_not_written_once_moto_has_stopped(personalize_stub, personalize_client, dataset):
    group = personalize_client.describe_dataset(datasetArn=dataset)["dataset"]["datasetGroupArn"]
    solution = active_solution(personalize_stub, personalize_client, group, "late")
    version = trained_version(personalize_stub, personalize_client, solution)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        put(s3, "in/users.json", '{"userId": "1"}\n')
        personalize_client.create_batch_inference_job(
            jobName="late", solutionVersionArn=version, **batch_io(f"s3://{BUCKET}/in/users.json")
        )
    assert not moto_s3.moto_serves_s3("us-east-1")
    personalize_stub.settle()
    job = personalize_client.list_batch_inference_jobs()["batchInferenceJobs"][0]
    assert job["status"] == "ACTIVE"


def recommended(stub, client, runtime, dataset):
    """What a campaign trained on the dataset's group recommends to user u1."""
    group = client.describe_dataset(datasetArn=dataset)["dataset"]["datasetGroupArn"]
    version = trained_version(stub, client, active_solution(stub, client, group, "recs"))
    campaign = client.create_campaign(name="home", solutionVersionArn=version)["campaignArn"]
    stub.settle()
    return runtime.get_recommendations(campaignArn=campaign, userId="u1")


def test_a_campaign_recommends_the_items_imported_from_moto(
    personalize_stub, personalize_client, personalize_runtime_client, s3, dataset
):
    put(s3, "in/interactions.csv", HEADER + "u1,i1,1\nu2,i2,2\nu1,i3,3\n")
    import_job(personalize_client, dataset, f"s3://{BUCKET}/in/interactions.csv")
    personalize_stub.settle()
    answer = recommended(personalize_stub, personalize_client, personalize_runtime_client, dataset)
    assert sorted(item["itemId"] for item in answer["itemList"]) == ["i1", "i2", "i3"]


def test_without_moto_a_bulk_import_leaves_the_campaign_on_the_synthetic_catalogue(
    personalize_stub, personalize_client, personalize_runtime_client, dataset
):
    import_job(personalize_client, dataset, f"s3://{BUCKET}/in/interactions.csv")
    personalize_stub.settle()
    answer = recommended(personalize_stub, personalize_client, personalize_runtime_client, dataset)
    items = [item["itemId"] for item in answer["itemList"]]
    assert len(items) == 25 and all(item.startswith("item-") for item in items)


def test_s3_refusing_a_read_fails_the_job_instead_of_raising(
    personalize_stub, personalize_client, s3, dataset, monkeypatch
):
    put(s3, "in/interactions.csv", HEADER + ROWS)
    refusing = moto_s3._client("us-east-1")

    def denied(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "GetObject")

    monkeypatch.setattr(refusing, "get_object", denied)
    arn = import_job(personalize_client, dataset, f"s3://{BUCKET}/in/interactions.csv")
    job = settled_import(personalize_stub, personalize_client, arn)
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"] == (
        "The input could not be read: S3 answered AccessDenied for s3://data/in/interactions.csv."
    )


def test_an_export_to_a_missing_bucket_fails(personalize_stub, personalize_client, s3, dataset):
    personalize_client.create_dataset_export_job(
        jobName="lost",
        datasetArn=dataset,
        roleArn=ROLE,
        jobOutput={"s3DataDestination": {"path": "s3://nowhere/out/"}},
    )
    personalize_stub.settle()
    job = personalize_client.list_dataset_export_jobs()["datasetExportJobs"][0]
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"] == "The output bucket nowhere of s3://nowhere/out/ does not exist."


def test_output_that_cannot_be_written_fails_the_job_and_raises_nothing(
    personalize_stub, personalize_client, s3, version
):
    put(s3, "in/users.json", '{"userId": "1"}\n')
    s3.create_bucket(Bucket="short-lived")
    arn = personalize_client.create_batch_inference_job(
        jobName="orphan",
        solutionVersionArn=version,
        **batch_io(f"s3://{BUCKET}/in/users.json", "s3://short-lived/out/"),
    )["batchInferenceJobArn"]
    s3.delete_bucket(Bucket="short-lived")
    personalize_stub.settle()
    job = personalize_client.describe_batch_inference_job(batchInferenceJobArn=arn)
    assert job["batchInferenceJob"]["status"] == "CREATE FAILED"
    assert job["batchInferenceJob"]["failureReason"] == (
        "The output could not be written: S3 answered NoSuchBucket for "
        "s3://short-lived/out/users.json.out."
    )


def test_blank_lines_and_empty_marker_files_are_not_data(
    personalize_stub, personalize_client, s3, dataset
):
    put(s3, "in/part-1.csv", HEADER + "u1,i1,1\n\n")
    put(s3, "in/_SUCCESS", "")
    arn = import_job(personalize_client, dataset, f"s3://{BUCKET}/in/")
    job = settled_import(personalize_stub, personalize_client, arn)
    assert job["status"] == "ACTIVE", job.get("failureReason")
    rows = exported_rows(personalize_stub, personalize_client, s3, dataset, "BULK")
    assert rows == [{"USER_ID": "u1", "ITEM_ID": "i1", "TIMESTAMP": "1"}]


def dataset_of(stub, client, dataset_type, fields):
    """An ACTIVE dataset of ``dataset_type`` whose schema has ``fields``, in a group of its own."""
    schema = avro_schema(dataset_type, *fields)
    group = active_dataset_group(stub, client, f"{dataset_type.lower()}-group")
    name = dataset_type.lower()
    schema_arn = client.create_schema(name=name, schema=schema)["schemaArn"]
    arn = client.create_dataset(
        name=name, schemaArn=schema_arn, datasetGroupArn=group, datasetType=dataset_type
    )["datasetArn"]
    stub.settle()
    return arn


@pytest.mark.parametrize("value", ["7", "seven", ""])
def test_a_union_field_takes_a_value_of_any_of_its_types(
    personalize_stub, personalize_client, s3, value
):
    fields = [*json.loads(INTERACTIONS_SCHEMA)["fields"]]
    fields.append({"name": "RATING", "type": ["null", "int", "string"]})
    dataset = dataset_of(personalize_stub, personalize_client, "Interactions", fields)
    put(s3, "in/a.csv", f"USER_ID,ITEM_ID,TIMESTAMP,RATING\nu1,i1,1,{value}\n")
    job = settled_import(
        personalize_stub,
        personalize_client,
        import_job(personalize_client, dataset, f"s3://{BUCKET}/in/a.csv"),
    )
    assert job["status"] == "ACTIVE"


def test_a_long_rejects_python_only_spellings(personalize_stub, personalize_client, s3, dataset):
    put(s3, "in/a.csv", HEADER + "u1,i1,1_700\n")
    arn = import_job(personalize_client, dataset, f"s3://{BUCKET}/in/a.csv")
    job = settled_import(personalize_stub, personalize_client, arn)
    assert job["failureReason"].endswith("the value '1_700' of TIMESTAMP is not a long.")


def test_batch_output_ranks_the_items_imported_from_moto(
    personalize_stub, personalize_client, s3, dataset, version
):
    put(s3, "in/interactions.csv", HEADER + "u1,i1,1\nu2,i2,2\n")
    import_job(personalize_client, dataset, f"s3://{BUCKET}/in/interactions.csv")
    put(s3, "in/users.json", '{"userId": "u1"}\n')
    personalize_client.create_batch_inference_job(
        jobName="known", solutionVersionArn=version, **batch_io(f"s3://{BUCKET}/in/users.json")
    )
    personalize_stub.settle()
    [line] = output_lines(s3, "out/users.json.out")
    assert sorted(line["output"]["recommendedItems"]) == ["i1", "i2"]


def test_moto_passing_s3_through_keeps_the_fake_off_s3(
    personalize_stub, personalize_client, dataset, monkeypatch
):
    def no_s3(region):
        raise AssertionError("an S3 client was made while moto passes S3 through")

    monkeypatch.setattr(moto_s3, "_client", no_s3)
    with mock_aws(config={"core": {"passthrough": {"services": ["s3"]}}}):
        assert not moto_s3.moto_serves_s3("us-east-1")
        arn = import_job(personalize_client, dataset, f"s3://{BUCKET}/in/interactions.csv")
        job = settled_import(personalize_stub, personalize_client, arn)
    assert job["status"] == "ACTIVE"


def test_an_s3_endpoint_in_the_environment_does_not_take_the_fake_elsewhere(
    personalize_stub, personalize_client, s3, dataset, monkeypatch
):
    put(s3, "in/interactions.csv", HEADER + ROWS)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")
    monkeypatch.setattr(moto_s3, "_clients", {})
    arn = import_job(personalize_client, dataset, f"s3://{BUCKET}/in/interactions.csv")
    job = settled_import(personalize_stub, personalize_client, arn)
    assert job["status"] == "ACTIVE", job.get("failureReason")


def test_an_all_export_writes_imported_rows_and_put_records_in_schema_columns(
    personalize_stub, personalize_client, personalize_events_client, s3
):
    fields = [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "NUMBER_OF_RATINGS", "type": ["null", "int"]},
    ]
    items = dataset_of(personalize_stub, personalize_client, "Items", fields)
    put(s3, "in/items.csv", "ITEM_ID,NUMBER_OF_RATINGS\ni1,3\n")
    import_job(personalize_client, items, f"s3://{BUCKET}/in/items.csv")
    personalize_stub.settle()
    personalize_events_client.put_items(
        datasetArn=items, items=[{"itemId": "i2", "properties": '{"numberOfRatings": 7}'}]
    )
    rows = exported_rows(personalize_stub, personalize_client, s3, items, "ALL")
    assert rows == [
        {"ITEM_ID": "i1", "NUMBER_OF_RATINGS": "3"},
        {"ITEM_ID": "i2", "NUMBER_OF_RATINGS": "7"},
    ]


def test_a_batch_job_whose_output_bucket_is_missing_fails(
    personalize_stub, personalize_client, s3, version
):
    put(s3, "in/users.json", '{"userId": "1"}\n')
    arn = personalize_client.create_batch_inference_job(
        jobName="nowhere",
        solutionVersionArn=version,
        **batch_io(f"s3://{BUCKET}/in/users.json", "s3://nowhere/out/"),
    )["batchInferenceJobArn"]
    personalize_stub.settle()
    job = personalize_client.describe_batch_inference_job(batchInferenceJobArn=arn)
    assert job["batchInferenceJob"]["status"] == "CREATE FAILED"
    assert job["batchInferenceJob"]["failureReason"] == (
        "The output bucket nowhere of s3://nowhere/out/ does not exist."
    )
