"""Batch inference jobs and batch segment jobs: status walk, preconditions, filters, listing
and quotas."""

from __future__ import annotations

import pytest
from support.conformance import assert_conforms
from support.flows import (
    ITEM_AFFINITY,
    ROLE,
    SEGMENT_IO,
    USER_PERSONALIZATION,
    active_dataset,
    active_dataset_group,
    active_solution,
    affinity_version,
    segment_job,
    trained_version,
)

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
RECIPE = "arn:aws:personalize:::recipe/{}"
JOB_SECONDS = 1800
FILTER = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'


def io(source="s3://bucket/in/users.json", destination="s3://bucket/out/"):
    return {
        "jobInput": {"s3DataSource": {"path": source}},
        "jobOutput": {"s3DataDestination": {"path": destination}},
        "roleArn": ROLE,
    }


@pytest.fixture
def group(personalize_stub, personalize_client):
    arn = active_dataset_group(personalize_stub, personalize_client, "batch-group")
    active_dataset(personalize_stub, personalize_client, arn, "batch-data")
    return arn


def version_of(stub, client, group, recipe=USER_PERSONALIZATION, name="batch-solution"):
    solution = active_solution(stub, client, group, name, recipe)
    return trained_version(stub, client, solution)


@pytest.fixture
def version(personalize_stub, personalize_client, group):
    return version_of(personalize_stub, personalize_client, group)


def new_job(client, version_arn, name="recs", **extra):
    params = {**io(), **extra}
    return client.create_batch_inference_job(
        jobName=name, solutionVersionArn=version_arn, **params
    )["batchInferenceJobArn"]


def describe(client, arn):
    return client.describe_batch_inference_job(batchInferenceJobArn=arn)["batchInferenceJob"]


def active_filter(stub, client, group, name="no-purchases"):
    arn = client.create_filter(name=name, datasetGroupArn=group, filterExpression=FILTER)[
        "filterArn"
    ]
    stub.settle()
    return arn


# ---------------------------------------------------------------- create and describe


def test_batch_inference_job_walks_statuses_and_echoes_its_request(
    personalize_stub, personalize_client, version
):
    client = personalize_client
    arn = new_job(
        client,
        version,
        numResults=50,
        batchInferenceJobConfig={"itemExplorationConfig": {"explorationWeight": "0.5"}},
        tags=[{"tagKey": "team", "tagValue": "growth"}],
    )
    assert arn == "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/recs"
    response = client.describe_batch_inference_job(batchInferenceJobArn=arn)
    assert_conforms(
        response, client.meta.service_model.operation_model("DescribeBatchInferenceJob")
    )
    job = response["batchInferenceJob"]
    assert job["status"] == "CREATE PENDING"
    assert job["batchInferenceJobMode"] == "BATCH_INFERENCE"
    assert job["numResults"] == 50
    assert job["jobInput"] == io()["jobInput"]
    assert job["jobOutput"] == io()["jobOutput"]
    assert job["roleArn"] == ROLE
    assert job["batchInferenceJobConfig"]["itemExplorationConfig"] == {"explorationWeight": "0.5"}
    assert "failureReason" not in job and "filterArn" not in job
    personalize_stub.clock.advance(seconds=JOB_SECONDS / 2)
    assert describe(client, arn)["status"] == "CREATE IN_PROGRESS"
    personalize_stub.clock.advance(seconds=JOB_SECONDS / 2)
    assert describe(client, arn)["status"] == "ACTIVE"
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"tagKey": "team", "tagValue": "growth"}
    ]


def test_batch_inference_job_can_fail_as_injected(personalize_stub, personalize_client, version):
    personalize_stub.fail("CreateBatchInferenceJob", status="CREATE FAILED", reason="Bad JSON")
    arn = new_job(personalize_client, version)
    personalize_stub.settle()
    job = describe(personalize_client, arn)
    assert (job["status"], job["failureReason"]) == ("CREATE FAILED", "Bad JSON")
    summary = personalize_client.list_batch_inference_jobs()["batchInferenceJobs"][0]
    assert summary["failureReason"] == "Bad JSON"


def test_batch_inference_job_name_is_unique(personalize_client, version):
    new_job(personalize_client, version, "same")
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        new_job(personalize_client, version, "same")


def test_describe_unknown_batch_inference_job_is_not_found(personalize_client):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_batch_inference_job(
            batchInferenceJobArn="arn:aws:personalize:us-east-1:123456789012:batch-inference-job/x"
        )


# ---------------------------------------------------------------- preconditions


def test_batch_inference_needs_an_active_version(personalize_stub, personalize_client, group):
    client = personalize_client
    solution = active_solution(personalize_stub, client, group, "young")
    training = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    with pytest.raises(client.exceptions.ResourceInUseException):
        new_job(client, training)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        new_job(client, solution + "/0badc0de")
    assert client.list_batch_inference_jobs()["batchInferenceJobs"] == []


@pytest.mark.parametrize(
    "recipe", ["aws-trending-now", "aws-next-best-action", "aws-item-affinity"]
)
def test_batch_inference_refuses_recipes_without_batch_recommendations(
    personalize_stub, personalize_client, group, recipe
):
    version = version_of(personalize_stub, personalize_client, group, RECIPE.format(recipe))
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        new_job(personalize_client, version)


@pytest.mark.parametrize(
    "recipe", ["aws-popularity-count", "aws-personalized-ranking", "aws-sims", "aws-similar-items"]
)
def test_batch_inference_serves_the_other_recipe_types(
    personalize_stub, personalize_client, group, recipe
):
    version = version_of(personalize_stub, personalize_client, group, RECIPE.format(recipe))
    new_job(personalize_client, version)


def test_output_path_must_differ_from_input(personalize_client, version):
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.create_batch_inference_job(
            jobName="loop",
            solutionVersionArn=version,
            **io("s3://bucket/same/", "s3://bucket/same/"),
        )


def test_theme_generation_needs_its_config_and_similar_items(
    personalize_stub, personalize_client, group, version
):
    client = personalize_client
    with pytest.raises(client.exceptions.InvalidInputException):
        new_job(client, version, "themes", batchInferenceJobMode="THEME_GENERATION")
    themes = {"fieldsForThemeGeneration": {"itemName": "TITLE"}}
    with pytest.raises(client.exceptions.InvalidInputException):
        new_job(
            client,
            version,
            "themes",
            batchInferenceJobMode="THEME_GENERATION",
            themeGenerationConfig=themes,
        )
    similar = version_of(
        personalize_stub, client, group, RECIPE.format("aws-similar-items"), "similar"
    )
    arn = new_job(
        client,
        similar,
        "themes",
        batchInferenceJobMode="THEME_GENERATION",
        themeGenerationConfig=themes,
    )
    job = describe(client, arn)
    assert job["batchInferenceJobMode"] == "THEME_GENERATION"
    assert job["themeGenerationConfig"] == themes


# ---------------------------------------------------------------- filters


def test_batch_inference_filter_must_exist_and_be_active(
    personalize_stub, personalize_client, group, version
):
    client = personalize_client
    missing = "arn:aws:personalize:us-east-1:123456789012:filter/none"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        new_job(client, version, filterArn=missing)
    young = client.create_filter(name="young", datasetGroupArn=group, filterExpression=FILTER)[
        "filterArn"
    ]
    with pytest.raises(client.exceptions.ResourceInUseException):
        new_job(client, version, filterArn=young)
    personalize_stub.settle()
    arn = new_job(client, version, filterArn=young)
    assert describe(client, arn)["filterArn"] == young
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.delete_filter(filterArn=young)


def test_batch_segment_job_takes_an_active_filter(personalize_stub, personalize_client, group):
    client = personalize_client
    version = version_of(personalize_stub, client, group, ITEM_AFFINITY, "affinity")
    segments = {**io("s3://bucket/in/items.json", "s3://bucket/segments/")}
    missing = "arn:aws:personalize:us-east-1:123456789012:filter/none"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.create_batch_segment_job(
            jobName="s", solutionVersionArn=version, filterArn=missing, **segments
        )
    young = client.create_filter(name="young", datasetGroupArn=group, filterExpression=FILTER)[
        "filterArn"
    ]
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.create_batch_segment_job(
            jobName="s", solutionVersionArn=version, filterArn=young, **segments
        )
    personalize_stub.settle()
    arn = client.create_batch_segment_job(
        jobName="s", solutionVersionArn=version, filterArn=young, **segments
    )["batchSegmentJobArn"]
    job = client.describe_batch_segment_job(batchSegmentJobArn=arn)["batchSegmentJob"]
    assert job["filterArn"] == young


# ---------------------------------------------------------------- list and quota


def test_list_batch_inference_jobs_filters_by_version_and_pages(
    personalize_stub, personalize_client, group, version
):
    client = personalize_client
    other = version_of(personalize_stub, client, group, name="other")
    mine = [new_job(client, version, f"mine-{n}") for n in range(3)]
    theirs = new_job(client, other, "theirs")
    listed = client.list_batch_inference_jobs(solutionVersionArn=version)["batchInferenceJobs"]
    assert [j["batchInferenceJobArn"] for j in listed] == mine[::-1]
    assert {j["solutionVersionArn"] for j in listed} == {version}
    assert {j["batchInferenceJobMode"] for j in listed} == {"BATCH_INFERENCE"}
    pages = client.get_paginator("list_batch_inference_jobs").paginate(
        PaginationConfig={"PageSize": 3}
    )
    sizes = [len(page["batchInferenceJobs"]) for page in pages]
    assert sizes == [3, 1]
    first = client.list_batch_inference_jobs(maxResults=1)["batchInferenceJobs"][0]
    assert first["batchInferenceJobArn"] == theirs


def test_five_batch_inference_jobs_run_at_once(personalize_stub, personalize_client, version):
    client = personalize_client
    for number in range(5):
        new_job(client, version, f"job-{number}")
    with pytest.raises(client.exceptions.LimitExceededException):
        new_job(client, version, "job-5")
    personalize_stub.settle()
    new_job(client, version, "job-5")


@pytest.mark.personalize_stub(quotas={"batch_inference_jobs_in_progress": 1})
def test_batch_inference_quota_is_configurable(personalize_stub, personalize_client, version):
    new_job(personalize_client, version, "only")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        new_job(personalize_client, version, "second")


def test_five_batch_segment_jobs_run_at_once(personalize_stub, personalize_client, group):
    client = personalize_client
    version = version_of(personalize_stub, client, group, ITEM_AFFINITY, "affinity")
    segments = io("s3://bucket/in/items.json", "s3://bucket/segments/")
    for number in range(5):
        client.create_batch_segment_job(
            jobName=f"seg-{number}", solutionVersionArn=version, **segments
        )
    with pytest.raises(client.exceptions.LimitExceededException):
        client.create_batch_segment_job(jobName="seg-5", solutionVersionArn=version, **segments)


# ---------------------------------------------------------------- batch segment jobs


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
