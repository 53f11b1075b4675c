"""Clean Rooms ML lookalike audiences: training datasets, audience models, configured audience
models and their resource policies, audience generation and export jobs, the lookalike quotas,
and the flow end to end.

As the Clean Rooms user guide describes the lookalike workflow ("Working with AWS Clean Rooms
ML", https://docs.aws.amazon.com/clean-rooms/latest/userguide/create-ml-model.html; "Creating a
lookalike model",
https://docs.aws.amazon.com/clean-rooms/latest/userguide/create-ml-model-create-model.html), the
API reference the policy operations (for instance
https://docs.aws.amazon.com/cleanrooms-ml/latest/APIReference/API_GetConfiguredAudienceModelPolicy.html)
and the quotas page (https://docs.aws.amazon.com/general/latest/gr/clean-rooms-ml.md).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import datetime, timedelta, timezone

import freezegun
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from support.cleanroomsml_flows import (
    OUTPUT_CONFIG,
    ROLE,
    SEED,
    TRAINING_DATA,
    configured_audience_model,
)

ARN = "arn:aws:cleanrooms-ml:us-east-1:123456789012:"
ID = r"[A-Za-z0-9]{22}"
MISSING_DATASET = ARN + "training-dataset/AAAAAAAAAAAAAAAAAAAAAA"
MISSING_MODEL = ARN + "audience-model/AAAAAAAAAAAAAAAAAAAAAA"
MISSING_CAM = ARN + "configured-audience-model/AAAAAAAAAAAAAAAAAAAAAA"
COLLABORATION = "0f1e2d3c-4b5a-4968-8776-655443322110"
OTHER_COLLABORATION = "11111111-2222-4333-8444-555555555555"


def training_dataset(client, name="events", **extra):
    return client.create_training_dataset(
        name=name, roleArn=ROLE, trainingData=TRAINING_DATA, **extra
    )["trainingDatasetArn"]


def active_model(stub, client, name="model"):
    dataset = training_dataset(client, f"{name}-data")
    model = client.create_audience_model(name=name, trainingDatasetArn=dataset)["audienceModelArn"]
    stub.settle()
    return model


def new_cam(client, model, name="lookalike", **extra):
    extra.setdefault("outputConfig", OUTPUT_CONFIG)
    extra.setdefault("sharedAudienceMetrics", ["ALL"])
    return client.create_configured_audience_model(name=name, audienceModelArn=model, **extra)[
        "configuredAudienceModelArn"
    ]


def start_job(client, cam, name="segment", **extra):
    extra.setdefault("seedAudience", SEED)
    return client.start_audience_generation_job(name=name, configuredAudienceModelArn=cam, **extra)[
        "audienceGenerationJobArn"
    ]


def status_trail(stub, get, step_seconds, steps=60):
    """The distinct statuses ``get()`` shows as the clock moves, until the resource is gone."""
    trail = []
    for _ in range(steps):
        try:
            status = get()["status"]
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFoundException"
            return trail
        if not trail or trail[-1] != status:
            trail.append(status)
        stub.clock.advance(seconds=step_seconds)
    pytest.fail(f"still there after {steps} steps: {trail}")


# --------------------------------------------------------------------------------------------
# Training dataset
# --------------------------------------------------------------------------------------------


def test_training_dataset_is_active_at_once(personalize_stub, cleanroomsml_client):
    arn = training_dataset(
        cleanroomsml_client, description="shop events", tags={"team": "growth", "env": "prod"}
    )
    assert re.fullmatch(re.escape(ARN) + "training-dataset/" + ID, arn)
    got = cleanroomsml_client.get_training_dataset(trainingDatasetArn=arn)
    assert got["status"] == "ACTIVE"
    assert (got["name"], got["roleArn"], got["description"]) == ("events", ROLE, "shop events")
    assert got["trainingData"] == TRAINING_DATA
    assert got["tags"] == {"team": "growth", "env": "prod"}
    assert got["createTime"].tzinfo is not None
    listed = cleanroomsml_client.list_training_datasets()["trainingDatasets"]
    assert [(d["trainingDatasetArn"], d["status"]) for d in listed] == [(arn, "ACTIVE")]


@pytest.mark.personalize_stub(region="eu-west-1", account_id="111122223333")
def test_training_dataset_arn_uses_region_and_account(personalize_stub, cleanroomsml_client):
    arn = cleanroomsml_client.create_training_dataset(
        name="events",
        roleArn="arn:aws:iam::111122223333:role/CleanRoomsMLRole",
        trainingData=TRAINING_DATA,
    )["trainingDatasetArn"]
    assert re.fullmatch(r"arn:aws:cleanrooms-ml:eu-west-1:111122223333:training-dataset/" + ID, arn)


def test_training_dataset_ids_differ(personalize_stub, cleanroomsml_client):
    assert training_dataset(cleanroomsml_client, "a") != training_dataset(cleanroomsml_client, "b")


def test_training_dataset_name_is_unique(personalize_stub, cleanroomsml_client):
    training_dataset(cleanroomsml_client, "events")
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        training_dataset(cleanroomsml_client, "events")
    assert len(cleanroomsml_client.list_training_datasets()["trainingDatasets"]) == 1


@pytest.mark.parametrize("missing", ["USER_ID", "ITEM_ID", "TIMESTAMP"])
def test_training_dataset_schema_needs_user_item_and_timestamp(
    personalize_stub, cleanroomsml_client, missing
):
    data = copy.deepcopy(TRAINING_DATA)
    schema = data[0]["inputConfig"]["schema"]
    schema[:] = [c for c in schema if c["columnTypes"] != [missing]]
    schema.append({"columnName": "extra", "columnTypes": ["CATEGORICAL_FEATURE"]})
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.create_training_dataset(name="events", roleArn=ROLE, trainingData=data)
    assert cleanroomsml_client.list_training_datasets()["trainingDatasets"] == []


def test_training_dataset_delete_blocked_while_an_audience_model_uses_it(
    personalize_stub, cleanroomsml_client
):
    dataset = training_dataset(cleanroomsml_client)
    model = cleanroomsml_client.create_audience_model(name="m", trainingDatasetArn=dataset)[
        "audienceModelArn"
    ]
    personalize_stub.settle()
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_training_dataset(trainingDatasetArn=dataset)
    cleanroomsml_client.delete_audience_model(audienceModelArn=model)
    personalize_stub.settle()
    cleanroomsml_client.delete_training_dataset(trainingDatasetArn=dataset)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.get_training_dataset(trainingDatasetArn=dataset)


def test_training_dataset_delete_blocked_while_its_model_is_being_deleted(
    personalize_stub, cleanroomsml_client
):
    """An audience model in any status short of gone still references its dataset."""
    model = active_model(personalize_stub, cleanroomsml_client)
    dataset = cleanroomsml_client.get_audience_model(audienceModelArn=model)["trainingDatasetArn"]
    cleanroomsml_client.delete_audience_model(audienceModelArn=model)
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_training_dataset(trainingDatasetArn=dataset)


def test_get_unknown_training_dataset_is_not_found(personalize_stub, cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.get_training_dataset(trainingDatasetArn=MISSING_DATASET)


# --------------------------------------------------------------------------------------------
# Audience model
# --------------------------------------------------------------------------------------------


@pytest.mark.personalize_stub(durations={"audience_model": 100})
def test_audience_model_walks_create_statuses(personalize_stub, cleanroomsml_client):
    dataset = training_dataset(cleanroomsml_client)
    arn = cleanroomsml_client.create_audience_model(
        name="model", trainingDatasetArn=dataset, tags={"team": "growth"}
    )["audienceModelArn"]
    assert re.fullmatch(re.escape(ARN) + "audience-model/" + ID, arn)
    got = cleanroomsml_client.get_audience_model(audienceModelArn=arn)
    assert got["status"] == "CREATE_PENDING"
    assert (got["name"], got["trainingDatasetArn"]) == ("model", dataset)
    assert got["tags"] == {"team": "growth"}
    assert "statusDetails" not in got
    personalize_stub.clock.advance(seconds=50)
    assert cleanroomsml_client.get_audience_model(audienceModelArn=arn)["status"] == (
        "CREATE_IN_PROGRESS"
    )
    personalize_stub.clock.advance(seconds=60)
    done = cleanroomsml_client.get_audience_model(audienceModelArn=arn)
    assert done["status"] == "ACTIVE"
    assert done["updateTime"] > done["createTime"]
    listed = cleanroomsml_client.list_audience_models()["audienceModels"]
    assert [(m["audienceModelArn"], m["status"]) for m in listed] == [(arn, "ACTIVE")]


@pytest.mark.parametrize(
    "given",
    ["2024-01-01T00:00:00Z", "2024-01-01", 1704067200, 1704067200.0, datetime(2024, 1, 1)],
    ids=["iso-text", "iso-date", "epoch-int", "epoch-float", "naive-datetime"],
)
def test_timestamps_are_taken_in_every_form_botocore_takes(
    personalize_stub, cleanroomsml_client, given
):
    """botocore accepts a datetime, epoch seconds or ISO 8601 text for a timestamp member
    (a naive datetime or text without a zone is UTC); the model stores the instant."""
    dataset = training_dataset(cleanroomsml_client)
    arn = cleanroomsml_client.create_audience_model(
        name="dated",
        trainingDatasetArn=dataset,
        trainingDataStartTime=given,
        trainingDataEndTime="2024-02-01T00:00:00+01:00",
    )["audienceModelArn"]
    for _ in range(2):
        model = cleanroomsml_client.get_audience_model(audienceModelArn=arn)
        assert model["trainingDataStartTime"] == datetime(2024, 1, 1, tzinfo=timezone.utc)
        assert model["trainingDataEndTime"] == datetime(2024, 1, 31, 23, tzinfo=timezone.utc)
        personalize_stub.settle()
    listed = cleanroomsml_client.list_audience_models()["audienceModels"]
    assert [m["audienceModelArn"] for m in listed] == [arn]


@pytest.mark.parametrize("given", [1e20, "99999-01-01", "no time", float("nan")])
def test_a_timestamp_that_is_no_instant_is_a_validation_error_without_client_checks(
    personalize_stub, given
):
    """With client-side validation off, the service refuses what is no timestamp it can
    hold, naming the member, and stores nothing."""
    client = personalize_stub.client("cleanroomsml", config=Config(parameter_validation=False))
    dataset = training_dataset(client)
    with pytest.raises(client.exceptions.ValidationException, match="trainingDataStartTime"):
        client.create_audience_model(
            name="dated", trainingDatasetArn=dataset, trainingDataStartTime=given
        )
    assert client.list_audience_models()["audienceModels"] == []


def test_audience_model_with_unknown_training_dataset_is_not_found(
    personalize_stub, cleanroomsml_client
):
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.create_audience_model(name="model", trainingDatasetArn=MISSING_DATASET)
    assert cleanroomsml_client.list_audience_models()["audienceModels"] == []


@pytest.mark.personalize_stub(durations={"audience_model": 100})
def test_audience_model_delete_walks_delete_statuses_then_gone(
    personalize_stub, cleanroomsml_client
):
    model = active_model(personalize_stub, cleanroomsml_client)
    assert cleanroomsml_client.delete_audience_model(audienceModelArn=model).keys() == {
        "ResponseMetadata"
    }
    trail = status_trail(
        personalize_stub,
        lambda: cleanroomsml_client.get_audience_model(audienceModelArn=model),
        step_seconds=3,
    )
    assert trail == ["DELETE_PENDING", "DELETE_IN_PROGRESS"]
    assert cleanroomsml_client.list_audience_models()["audienceModels"] == []


def test_audience_model_delete_while_creating_is_a_conflict(personalize_stub, cleanroomsml_client):
    dataset = training_dataset(cleanroomsml_client)
    model = cleanroomsml_client.create_audience_model(name="m", trainingDatasetArn=dataset)[
        "audienceModelArn"
    ]
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_audience_model(audienceModelArn=model)
    assert cleanroomsml_client.get_audience_model(audienceModelArn=model)["status"] == (
        "CREATE_PENDING"
    )


def test_audience_model_delete_twice_is_a_conflict(personalize_stub, cleanroomsml_client):
    model = active_model(personalize_stub, cleanroomsml_client)
    cleanroomsml_client.delete_audience_model(audienceModelArn=model)
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_audience_model(audienceModelArn=model)


def test_audience_model_delete_blocked_by_a_configured_audience_model(
    personalize_stub, cleanroomsml_client
):
    model = active_model(personalize_stub, cleanroomsml_client)
    cam = new_cam(cleanroomsml_client, model)
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_audience_model(audienceModelArn=model)
    cleanroomsml_client.delete_configured_audience_model(configuredAudienceModelArn=cam)
    cleanroomsml_client.delete_audience_model(audienceModelArn=model)
    assert cleanroomsml_client.get_audience_model(audienceModelArn=model)["status"] == (
        "DELETE_PENDING"
    )


# --------------------------------------------------------------------------------------------
# Configured audience model
# --------------------------------------------------------------------------------------------


def test_configured_audience_model_defaults(personalize_stub, cleanroomsml_client):
    model = active_model(personalize_stub, cleanroomsml_client)
    cam = new_cam(cleanroomsml_client, model, description="first")
    assert re.fullmatch(re.escape(ARN) + "configured-audience-model/" + ID, cam)
    got = cleanroomsml_client.get_configured_audience_model(configuredAudienceModelArn=cam)
    assert got["status"] == "ACTIVE"
    assert got["minMatchingSeedSize"] == 500
    assert got["childResourceTagOnCreatePolicy"] == "NONE"
    assert got["audienceModelArn"] == model
    assert got["outputConfig"] == OUTPUT_CONFIG
    assert got["sharedAudienceMetrics"] == ["ALL"]
    assert got["description"] == "first"
    listed = cleanroomsml_client.list_configured_audience_models()["configuredAudienceModels"]
    assert [c["configuredAudienceModelArn"] for c in listed] == [cam]


def test_configured_audience_model_needs_an_active_audience_model(
    personalize_stub, cleanroomsml_client
):
    dataset = training_dataset(cleanroomsml_client)
    model = cleanroomsml_client.create_audience_model(name="m", trainingDatasetArn=dataset)[
        "audienceModelArn"
    ]
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        new_cam(cleanroomsml_client, model)
    personalize_stub.clock.advance(seconds=1)
    assert cleanroomsml_client.get_audience_model(audienceModelArn=model)["status"] != "ACTIVE"
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        new_cam(cleanroomsml_client, model)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        new_cam(cleanroomsml_client, MISSING_MODEL)
    personalize_stub.settle()
    assert new_cam(cleanroomsml_client, model)


def test_percentage_size_bins_above_100_are_invalid(personalize_stub, cleanroomsml_client):
    model = active_model(personalize_stub, cleanroomsml_client)
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        new_cam(
            cleanroomsml_client,
            model,
            audienceSizeConfig={"audienceSizeType": "PERCENTAGE", "audienceSizeBins": [10, 101]},
        )
    cam = new_cam(
        cleanroomsml_client,
        model,
        audienceSizeConfig={"audienceSizeType": "PERCENTAGE", "audienceSizeBins": [1, 100]},
    )
    absolute = new_cam(
        cleanroomsml_client,
        model,
        name="absolute",
        audienceSizeConfig={"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [5000]},
    )
    assert cam != absolute


def test_update_changes_only_the_given_fields(personalize_stub, cleanroomsml_client):
    model = active_model(personalize_stub, cleanroomsml_client)
    size = {"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [1000, 2000]}
    cam = new_cam(cleanroomsml_client, model, description="first", audienceSizeConfig=size)
    before = cleanroomsml_client.get_configured_audience_model(configuredAudienceModelArn=cam)
    personalize_stub.clock.advance(minutes=5)
    answer = cleanroomsml_client.update_configured_audience_model(
        configuredAudienceModelArn=cam, minMatchingSeedSize=1000
    )
    assert answer["configuredAudienceModelArn"] == cam
    after = cleanroomsml_client.get_configured_audience_model(configuredAudienceModelArn=cam)
    assert after["minMatchingSeedSize"] == 1000
    for key in (
        "description",
        "outputConfig",
        "sharedAudienceMetrics",
        "audienceSizeConfig",
        "audienceModelArn",
        "name",
        "childResourceTagOnCreatePolicy",
        "createTime",
    ):
        assert after[key] == before[key], key
    assert after["updateTime"] > before["updateTime"]

    cleanroomsml_client.update_configured_audience_model(
        configuredAudienceModelArn=cam, description="second", sharedAudienceMetrics=["NONE"]
    )
    again = cleanroomsml_client.get_configured_audience_model(configuredAudienceModelArn=cam)
    assert (again["description"], again["sharedAudienceMetrics"]) == ("second", ["NONE"])
    assert again["minMatchingSeedSize"] == 1000
    assert again["audienceSizeConfig"] == size


def test_update_rejects_percentage_bins_above_100(personalize_stub, cleanroomsml_client):
    model = active_model(personalize_stub, cleanroomsml_client)
    cam = new_cam(cleanroomsml_client, model)
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.update_configured_audience_model(
            configuredAudienceModelArn=cam,
            audienceSizeConfig={"audienceSizeType": "PERCENTAGE", "audienceSizeBins": [150]},
        )
    got = cleanroomsml_client.get_configured_audience_model(configuredAudienceModelArn=cam)
    assert "audienceSizeConfig" not in got


def test_update_to_another_audience_model_needs_it_active(personalize_stub, cleanroomsml_client):
    model = active_model(personalize_stub, cleanroomsml_client, "first")
    cam = new_cam(cleanroomsml_client, model)
    dataset = training_dataset(cleanroomsml_client, "second-data")
    second = cleanroomsml_client.create_audience_model(name="second", trainingDatasetArn=dataset)[
        "audienceModelArn"
    ]
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.update_configured_audience_model(
            configuredAudienceModelArn=cam, audienceModelArn=second
        )
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.update_configured_audience_model(
            configuredAudienceModelArn=cam, audienceModelArn=MISSING_MODEL
        )
    personalize_stub.settle()
    cleanroomsml_client.update_configured_audience_model(
        configuredAudienceModelArn=cam, audienceModelArn=second
    )
    got = cleanroomsml_client.get_configured_audience_model(configuredAudienceModelArn=cam)
    assert got["audienceModelArn"] == second


def test_update_unknown_configured_audience_model_is_not_found(
    personalize_stub, cleanroomsml_client
):
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.update_configured_audience_model(
            configuredAudienceModelArn=MISSING_CAM, description="x"
        )


def test_configured_audience_model_delete_blocked_by_a_generation_job(
    personalize_stub, cleanroomsml_client
):
    arns = configured_audience_model(personalize_stub, cleanroomsml_client)
    cam = arns["configuredAudienceModelArn"]
    job = start_job(cleanroomsml_client, cam)
    personalize_stub.settle()
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_configured_audience_model(configuredAudienceModelArn=cam)
    cleanroomsml_client.delete_audience_generation_job(audienceGenerationJobArn=job)
    personalize_stub.settle()
    cleanroomsml_client.delete_configured_audience_model(configuredAudienceModelArn=cam)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.get_configured_audience_model(configuredAudienceModelArn=cam)


# --------------------------------------------------------------------------------------------
# Audience generation job
# --------------------------------------------------------------------------------------------


@pytest.mark.personalize_stub(durations={"audience_generation_job": 100})
def test_generation_job_walks_statuses_and_reports_metrics(personalize_stub, cleanroomsml_client):
    bins = [1000, 5000, 20000]
    arns = configured_audience_model(
        personalize_stub,
        cleanroomsml_client,
        audienceSizeConfig={"audienceSizeType": "ABSOLUTE", "audienceSizeBins": bins},
    )
    cam = arns["configuredAudienceModelArn"]
    job = start_job(cleanroomsml_client, cam, description="spring campaign")
    assert re.fullmatch(re.escape(ARN) + "audience-generation-job/" + ID, job)
    got = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=job)
    assert got["status"] == "CREATE_PENDING"
    assert got["configuredAudienceModelArn"] == cam
    assert got["description"] == "spring campaign"
    assert "metrics" not in got
    personalize_stub.clock.advance(seconds=50)
    running = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=job)
    assert running["status"] == "CREATE_IN_PROGRESS"
    assert "metrics" not in running
    personalize_stub.settle()
    done = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=job)
    assert done["status"] == "ACTIVE"
    relevance = done["metrics"]["relevanceMetrics"]
    assert sorted(r["audienceSize"]["value"] for r in relevance) == bins
    assert {r["audienceSize"]["type"] for r in relevance} == {"ABSOLUTE"}
    assert all(isinstance(r["score"], float) for r in relevance)
    assert 0 <= done["metrics"]["recallMetric"] <= 1


def test_generation_job_has_no_metrics_when_the_cam_shares_none(
    personalize_stub, cleanroomsml_client
):
    arns = configured_audience_model(
        personalize_stub, cleanroomsml_client, sharedAudienceMetrics=["NONE"]
    )
    job = start_job(cleanroomsml_client, arns["configuredAudienceModelArn"])
    personalize_stub.settle()
    done = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=job)
    assert done["status"] == "ACTIVE"
    assert "metrics" not in done


def test_running_job_keeps_the_cam_settings_it_started_with(personalize_stub, cleanroomsml_client):
    """CAM updates reach only jobs started afterwards (documented)."""
    cam = configured_audience_model(
        personalize_stub,
        cleanroomsml_client,
        audienceSizeConfig={"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [1000, 2000]},
    )["configuredAudienceModelArn"]
    before = start_job(cleanroomsml_client, cam, "before")
    cleanroomsml_client.update_configured_audience_model(
        configuredAudienceModelArn=cam, sharedAudienceMetrics=["NONE"]
    )
    after = start_job(cleanroomsml_client, cam, "after")
    personalize_stub.settle()
    kept = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=before)
    assert len(kept["metrics"]["relevanceMetrics"]) == 2
    changed = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=after)
    assert "metrics" not in changed


def test_generation_job_defaults_and_started_by(personalize_stub, cleanroomsml_client):
    cam = configured_audience_model(personalize_stub, cleanroomsml_client)[
        "configuredAudienceModelArn"
    ]
    default = start_job(cleanroomsml_client, cam, "default")
    seeded = start_job(cleanroomsml_client, cam, "seeded", includeSeedInOutput=True)
    got = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=default)
    assert got["includeSeedInOutput"] is False
    assert got["startedBy"] == "123456789012" == personalize_stub.config.account_id
    assert "collaborationId" not in got
    assert (
        cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=seeded)[
            "includeSeedInOutput"
        ]
        is True
    )
    summary = cleanroomsml_client.list_audience_generation_jobs()["audienceGenerationJobs"][0]
    assert summary["startedBy"] == "123456789012"


def test_generation_job_inherits_cam_tags_with_request_tags_overriding(
    personalize_stub, cleanroomsml_client
):
    cam = configured_audience_model(
        personalize_stub,
        cleanroomsml_client,
        childResourceTagOnCreatePolicy="FROM_PARENT_RESOURCE",
        tags={"team": "growth", "env": "prod"},
    )["configuredAudienceModelArn"]
    job = start_job(cleanroomsml_client, cam, tags={"env": "test", "owner": "ana"})
    tags = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=job)["tags"]
    assert tags == {"team": "growth", "env": "test", "owner": "ana"}
    bare = start_job(cleanroomsml_client, cam, "bare")
    assert cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=bare)[
        "tags"
    ] == {"team": "growth", "env": "prod"}


def test_generation_job_gets_only_request_tags_with_policy_none(
    personalize_stub, cleanroomsml_client
):
    cam = configured_audience_model(personalize_stub, cleanroomsml_client, tags={"team": "growth"})[
        "configuredAudienceModelArn"
    ]
    job = start_job(cleanroomsml_client, cam, tags={"owner": "ana"})
    got = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=job)
    assert got["tags"] == {"owner": "ana"}


@pytest.mark.parametrize(
    "seed",
    [
        {"roleArn": ROLE},
        {
            "roleArn": ROLE,
            "dataSource": {"s3Uri": "s3://audiences/seed.jsonl"},
            "sqlParameters": {"queryString": "SELECT user_id FROM seed"},
        },
    ],
    ids=["neither", "both"],
)
def test_seed_audience_needs_exactly_one_source(personalize_stub, cleanroomsml_client, seed):
    cam = configured_audience_model(personalize_stub, cleanroomsml_client)[
        "configuredAudienceModelArn"
    ]
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        start_job(cleanroomsml_client, cam, seedAudience=seed, collaborationId=COLLABORATION)
    assert cleanroomsml_client.list_audience_generation_jobs()["audienceGenerationJobs"] == []


def test_a_job_seeded_by_sql_runs_as_a_protected_query(personalize_stub, cleanroomsml_client):
    """GetAudienceGenerationJob: protectedQueryIdentifier is "the unique identifier of the
    protected query for this audience generation job" (API reference); a seed from S3 has
    none."""
    cam = configured_audience_model(personalize_stub, cleanroomsml_client)[
        "configuredAudienceModelArn"
    ]
    sql_seed = {"roleArn": ROLE, "sqlParameters": {"queryString": "SELECT user_id FROM seed"}}
    by_sql = start_job(
        cleanroomsml_client, cam, "by-sql", seedAudience=sql_seed, collaborationId=COLLABORATION
    )
    by_s3 = start_job(cleanroomsml_client, cam, "by-s3")
    get = cleanroomsml_client.get_audience_generation_job
    query = get(audienceGenerationJobArn=by_sql)["protectedQueryIdentifier"]
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", query
    )
    assert "protectedQueryIdentifier" not in get(audienceGenerationJobArn=by_s3)
    personalize_stub.settle()
    assert get(audienceGenerationJobArn=by_sql)["protectedQueryIdentifier"] == query


def test_generation_job_for_unknown_cam_is_not_found(personalize_stub, cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        start_job(cleanroomsml_client, MISSING_CAM)


def test_list_generation_jobs_filters_by_cam_and_collaboration(
    personalize_stub, cleanroomsml_client
):
    first = configured_audience_model(personalize_stub, cleanroomsml_client, "first")
    second = configured_audience_model(personalize_stub, cleanroomsml_client, "second")
    cam_a, cam_b = first["configuredAudienceModelArn"], second["configuredAudienceModelArn"]
    a1 = start_job(cleanroomsml_client, cam_a, "a1", collaborationId=COLLABORATION)
    a2 = start_job(cleanroomsml_client, cam_a, "a2")
    b1 = start_job(cleanroomsml_client, cam_b, "b1", collaborationId=COLLABORATION)
    b2 = start_job(cleanroomsml_client, cam_b, "b2", collaborationId=OTHER_COLLABORATION)
    listing = cleanroomsml_client.list_audience_generation_jobs

    def arns(**filters):
        return {j["audienceGenerationJobArn"] for j in listing(**filters)["audienceGenerationJobs"]}

    assert arns(configuredAudienceModelArn=cam_a) == {a1, a2}
    assert arns(collaborationId=COLLABORATION) == {a1, b1}
    assert arns(configuredAudienceModelArn=cam_b, collaborationId=COLLABORATION) == {b1}
    assert arns() == {a1, a2, b1, b2}
    summary = listing(collaborationId=OTHER_COLLABORATION)["audienceGenerationJobs"][0]
    assert (summary["name"], summary["collaborationId"]) == ("b2", OTHER_COLLABORATION)


def test_list_generation_jobs_pages_with_the_boto3_paginator(personalize_stub, cleanroomsml_client):
    cam = configured_audience_model(personalize_stub, cleanroomsml_client)[
        "configuredAudienceModelArn"
    ]
    jobs = [start_job(cleanroomsml_client, cam, f"job-{i}") for i in range(5)]
    paginator = cleanroomsml_client.get_paginator("list_audience_generation_jobs")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["audienceGenerationJobs"]) for p in pages] == [2, 2, 1]
    assert "nextToken" not in pages[-1]
    seen = [j["audienceGenerationJobArn"] for p in pages for j in p["audienceGenerationJobs"]]
    assert sorted(seen) == sorted(jobs)
    assert len(set(seen)) == 5
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.list_audience_generation_jobs(nextToken="forged-token")


@pytest.mark.personalize_stub(durations={"audience_generation_job": 100})
def test_generation_job_delete_walks_delete_statuses_then_gone(
    personalize_stub, cleanroomsml_client
):
    cam = configured_audience_model(personalize_stub, cleanroomsml_client)[
        "configuredAudienceModelArn"
    ]
    job = start_job(cleanroomsml_client, cam)
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_audience_generation_job(audienceGenerationJobArn=job)
    personalize_stub.settle()
    cleanroomsml_client.delete_audience_generation_job(audienceGenerationJobArn=job)
    trail = status_trail(
        personalize_stub,
        lambda: cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=job),
        step_seconds=3,
    )
    assert trail == ["DELETE_PENDING", "DELETE_IN_PROGRESS"]
    assert cleanroomsml_client.list_audience_generation_jobs()["audienceGenerationJobs"] == []


# --------------------------------------------------------------------------------------------
# Audience export jobs
# --------------------------------------------------------------------------------------------


BINS = {"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [1000, 5000]}

MISSING_JOB = (
    "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/AAAAAAAAAAAAAAAAAAAAAA"
)


def generated_audience(stub, client, name="segment", **cam):
    """An ACTIVE audience generation job of a CAM with size bins 1000 and 5000."""
    cam.setdefault("audienceSizeConfig", BINS)
    arns = configured_audience_model(stub, client, name=f"{name}-cam", **cam)
    job = client.start_audience_generation_job(
        name=name, configuredAudienceModelArn=arns["configuredAudienceModelArn"], seedAudience=SEED
    )["audienceGenerationJobArn"]
    stub.settle()
    return {**arns, "audienceGenerationJobArn": job}


def export(client, job, name="export", size=1000, kind="ABSOLUTE", **extra):
    return client.start_audience_export_job(
        name=name,
        audienceGenerationJobArn=job,
        audienceSize={"type": kind, "value": size},
        **extra,
    )


def exports(client, job=None):
    params = {"audienceGenerationJobArn": job} if job else {}
    return client.list_audience_export_jobs(**params)["audienceExportJobs"]


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


@pytest.mark.personalize_stub(durations={"audience_export_job": 100})
def test_export_job_walks_create_statuses_and_gets_its_location_once_active(
    personalize_stub, cleanroomsml_client
):
    job = generated_audience(personalize_stub, cleanroomsml_client)["audienceGenerationJobArn"]
    answer = export(cleanroomsml_client, job, description="for the ad platform")
    assert set(answer) == {"ResponseMetadata"}
    trail = []
    for _ in range(12):
        (listed,) = exports(cleanroomsml_client, job)
        if not trail or trail[-1] != listed["status"]:
            trail.append(listed["status"])
            assert ("outputLocation" in listed) == (listed["status"] == "ACTIVE")
        personalize_stub.clock.advance(seconds=10)
    assert trail == ["CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"]
    (done,) = exports(cleanroomsml_client, job)
    assert done["name"] == "export"
    assert done["description"] == "for the ad platform"
    assert done["audienceSize"] == {"type": "ABSOLUTE", "value": 1000}
    assert done["audienceGenerationJobArn"] == job
    job_id = job.rsplit("/", 1)[-1]
    assert done["outputLocation"] == f"s3://audiences/out/{job_id}/export/"
    assert "statusDetails" not in done
    assert done["createTime"] < done["updateTime"]


def test_export_jobs_are_listed_per_generation_job(personalize_stub, cleanroomsml_client):
    first = generated_audience(personalize_stub, cleanroomsml_client, "first")
    second = generated_audience(personalize_stub, cleanroomsml_client, "second")
    export(cleanroomsml_client, first["audienceGenerationJobArn"], "a")
    export(cleanroomsml_client, first["audienceGenerationJobArn"], "b", size=5000)
    export(cleanroomsml_client, second["audienceGenerationJobArn"], "a")
    assert [e["name"] for e in exports(cleanroomsml_client, first["audienceGenerationJobArn"])] == [
        "b",
        "a",
    ]
    assert len(exports(cleanroomsml_client)) == 3
    paginator = cleanroomsml_client.get_paginator("list_audience_export_jobs")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["audienceExportJobs"]) for p in pages] == [2, 1]


def test_export_name_is_unique_per_generation_job(personalize_stub, cleanroomsml_client):
    job = generated_audience(personalize_stub, cleanroomsml_client)["audienceGenerationJobArn"]
    export(cleanroomsml_client, job, "daily")
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        export(cleanroomsml_client, job, "daily", size=5000)
    assert len(exports(cleanroomsml_client, job)) == 1


def test_export_of_an_unknown_generation_job_is_not_found(personalize_stub, cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        export(cleanroomsml_client, MISSING_JOB)


def test_export_needs_an_active_generation_job(personalize_stub, cleanroomsml_client):
    arns = configured_audience_model(personalize_stub, cleanroomsml_client, audienceSizeConfig=BINS)
    job = cleanroomsml_client.start_audience_generation_job(
        name="segment",
        configuredAudienceModelArn=arns["configuredAudienceModelArn"],
        seedAudience=SEED,
    )["audienceGenerationJobArn"]
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException) as excinfo:
        export(cleanroomsml_client, job)
    assert "CREATE_PENDING" in str(excinfo.value)
    personalize_stub.settle()
    export(cleanroomsml_client, job)


@pytest.mark.parametrize(
    ("size", "kind"), [(2000, "ABSOLUTE"), (1000, "PERCENTAGE"), (50, "PERCENTAGE")]
)
def test_export_size_must_be_one_of_the_cam_size_bins(
    personalize_stub, cleanroomsml_client, size, kind
):
    job = generated_audience(personalize_stub, cleanroomsml_client)["audienceGenerationJobArn"]
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        export(cleanroomsml_client, job, size=size, kind=kind)
    assert exports(cleanroomsml_client, job) == []


def test_export_size_follows_the_bins_the_job_started_with(personalize_stub, cleanroomsml_client):
    arns = generated_audience(personalize_stub, cleanroomsml_client)
    cleanroomsml_client.update_configured_audience_model(
        configuredAudienceModelArn=arns["configuredAudienceModelArn"],
        audienceSizeConfig={"audienceSizeType": "PERCENTAGE", "audienceSizeBins": [10]},
    )
    job = arns["audienceGenerationJobArn"]
    export(cleanroomsml_client, job, "old-bin", size=5000)
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        export(cleanroomsml_client, job, "new-bin", size=10, kind="PERCENTAGE")


@pytest.mark.cleanroomsml_fail(
    "StartAudienceExportJob", status="CREATE_FAILED", reason="Bucket denied"
)
def test_export_job_can_fail(personalize_stub, cleanroomsml_client):
    job = generated_audience(personalize_stub, cleanroomsml_client)["audienceGenerationJobArn"]
    export(cleanroomsml_client, job)
    personalize_stub.settle()
    (failed,) = exports(cleanroomsml_client, job)
    assert failed["status"] == "CREATE_FAILED"
    assert failed["statusDetails"]["message"] == "Bucket denied"
    assert "outputLocation" not in failed


def test_generation_job_delete_waits_for_its_exports_and_takes_them_along(
    personalize_stub, cleanroomsml_client
):
    job = generated_audience(personalize_stub, cleanroomsml_client)["audienceGenerationJobArn"]
    export(cleanroomsml_client, job)
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_audience_generation_job(audienceGenerationJobArn=job)
    personalize_stub.settle()
    cleanroomsml_client.delete_audience_generation_job(audienceGenerationJobArn=job)
    assert len(exports(cleanroomsml_client, job)) == 1
    personalize_stub.settle()
    assert exports(cleanroomsml_client) == []


# --------------------------------------------------------------------------------------------
# Quotas
# --------------------------------------------------------------------------------------------


@pytest.mark.personalize_stub(quotas={"audience_export_jobs_in_progress": 2})
def test_pending_export_jobs_are_limited_per_account(personalize_stub, cleanroomsml_client):
    job = generated_audience(personalize_stub, cleanroomsml_client)["audienceGenerationJobArn"]
    export(cleanroomsml_client, job, "a")
    export(cleanroomsml_client, job, "b")
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException) as excinfo:
        export(cleanroomsml_client, job, "c")
    assert excinfo.value.response["quotaName"] == "Pending or in-progress audience export jobs"
    assert excinfo.value.response["quotaValue"] == 2.0
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 402
    personalize_stub.settle()
    export(cleanroomsml_client, job, "c")


@pytest.mark.personalize_stub(quotas={"audience_export_jobs_per_generation_job": 2})
def test_active_export_jobs_are_limited_per_generation_job(personalize_stub, cleanroomsml_client):
    first = generated_audience(personalize_stub, cleanroomsml_client, "first")
    second = generated_audience(personalize_stub, cleanroomsml_client, "second")
    export(cleanroomsml_client, first["audienceGenerationJobArn"], "a")
    export(cleanroomsml_client, first["audienceGenerationJobArn"], "b")
    personalize_stub.settle()
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException) as excinfo:
        export(cleanroomsml_client, first["audienceGenerationJobArn"], "c")
    assert excinfo.value.response["quotaValue"] == 2.0
    export(cleanroomsml_client, second["audienceGenerationJobArn"], "c")


def test_export_jobs_default_quota_is_25_per_generation_job(personalize_stub, cleanroomsml_client):
    job = generated_audience(personalize_stub, cleanroomsml_client)["audienceGenerationJobArn"]
    for number in range(25):
        export(cleanroomsml_client, job, f"e{number}")
        personalize_stub.settle()
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException) as excinfo:
        export(cleanroomsml_client, job, "one-too-many")
    assert excinfo.value.response["quotaValue"] == 25.0


def test_two_audience_models_may_train_at_once(personalize_stub, cleanroomsml_client):
    dataset = cleanroomsml_client.create_training_dataset(
        name="events", roleArn=OUTPUT_CONFIG["roleArn"], trainingData=TRAINING_DATA
    )["trainingDatasetArn"]
    for name in ("a", "b"):
        cleanroomsml_client.create_audience_model(name=name, trainingDatasetArn=dataset)
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException) as excinfo:
        cleanroomsml_client.create_audience_model(name="c", trainingDatasetArn=dataset)
    assert excinfo.value.response["quotaName"] == "Pending or in-progress audience models"
    assert excinfo.value.response["quotaValue"] == 2.0
    assert len(cleanroomsml_client.list_audience_models()["audienceModels"]) == 2
    personalize_stub.settle()
    cleanroomsml_client.create_audience_model(name="c", trainingDatasetArn=dataset)


@pytest.mark.personalize_stub(quotas={"audience_generation_jobs_in_progress": 1})
def test_pending_generation_jobs_are_limited(personalize_stub, cleanroomsml_client):
    cam = configured_audience_model(personalize_stub, cleanroomsml_client)[
        "configuredAudienceModelArn"
    ]
    start = cleanroomsml_client.start_audience_generation_job
    start(name="one", configuredAudienceModelArn=cam, seedAudience=SEED)
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException) as excinfo:
        start(name="two", configuredAudienceModelArn=cam, seedAudience=SEED)
    assert excinfo.value.response["quotaName"] == "Pending or in-progress audience generation jobs"
    personalize_stub.settle()
    start(name="two", configuredAudienceModelArn=cam, seedAudience=SEED)


# --------------------------------------------------------------------------------------------
# Configured audience model policy
# --------------------------------------------------------------------------------------------


POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "cleanrooms-ml:StartAudienceGenerationJob",
                "Resource": "*",
            }
        ],
    }
)


OTHER_POLICY = POLICY.replace("111122223333", "444455556666")


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def cam(personalize_stub, cleanroomsml_client):
    return configured_audience_model(personalize_stub, cleanroomsml_client)[
        "configuredAudienceModelArn"
    ]


def put_policy(client, cam, policy=POLICY, **extra):
    return client.put_configured_audience_model_policy(
        configuredAudienceModelArn=cam, configuredAudienceModelPolicy=policy, **extra
    )


def test_policy_put_answers_the_sha256_of_the_text(cleanroomsml_client, cam):
    answer = put_policy(cleanroomsml_client, cam)
    assert answer["configuredAudienceModelPolicy"] == POLICY
    assert answer["policyHash"] == sha256(POLICY)
    got = cleanroomsml_client.get_configured_audience_model_policy(configuredAudienceModelArn=cam)
    assert (got["configuredAudienceModelArn"], got["configuredAudienceModelPolicy"]) == (
        cam,
        POLICY,
    )
    assert got["policyHash"] == sha256(POLICY)


def test_policy_put_replaces_when_the_previous_hash_matches(cleanroomsml_client, cam):
    first = put_policy(cleanroomsml_client, cam)["policyHash"]
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        put_policy(cleanroomsml_client, cam, OTHER_POLICY, previousPolicyHash=sha256("stale"))
    answer = put_policy(cleanroomsml_client, cam, OTHER_POLICY, previousPolicyHash=first)
    assert answer["policyHash"] == sha256(OTHER_POLICY)
    got = cleanroomsml_client.get_configured_audience_model_policy(configuredAudienceModelArn=cam)
    assert got["configuredAudienceModelPolicy"] == OTHER_POLICY


def test_previous_hash_without_a_stored_policy_is_invalid(cleanroomsml_client, cam):
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        put_policy(cleanroomsml_client, cam, previousPolicyHash=sha256(POLICY))


def test_policy_existence_conditions(cleanroomsml_client, cam):
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        put_policy(cleanroomsml_client, cam, policyExistenceCondition="POLICY_MUST_EXIST")
    put_policy(cleanroomsml_client, cam, policyExistenceCondition="POLICY_MUST_NOT_EXIST")
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        put_policy(
            cleanroomsml_client, cam, OTHER_POLICY, policyExistenceCondition="POLICY_MUST_NOT_EXIST"
        )
    put_policy(cleanroomsml_client, cam, OTHER_POLICY, policyExistenceCondition="POLICY_MUST_EXIST")
    got = cleanroomsml_client.get_configured_audience_model_policy(configuredAudienceModelArn=cam)
    assert got["configuredAudienceModelPolicy"] == OTHER_POLICY


@pytest.mark.parametrize("text", ["not json", "[1, 2]"])
def test_policy_must_be_a_json_document(cleanroomsml_client, cam, text):
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        put_policy(cleanroomsml_client, cam, text)


def test_policy_delete_and_missing_policy(cleanroomsml_client, cam):
    get = cleanroomsml_client.get_configured_audience_model_policy
    delete = cleanroomsml_client.delete_configured_audience_model_policy
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        get(configuredAudienceModelArn=cam)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        delete(configuredAudienceModelArn=cam)
    put_policy(cleanroomsml_client, cam)
    assert set(delete(configuredAudienceModelArn=cam)) == {"ResponseMetadata"}
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        get(configuredAudienceModelArn=cam)


@pytest.mark.parametrize(
    "operation",
    [
        "get_configured_audience_model_policy",
        "delete_configured_audience_model_policy",
        "put_configured_audience_model_policy",
    ],
)
def test_policy_of_an_unknown_cam_is_not_found(personalize_stub, cleanroomsml_client, operation):
    params = {"configuredAudienceModelArn": MISSING_CAM}
    if operation.startswith("put"):
        params["configuredAudienceModelPolicy"] = POLICY
    with pytest.raises(ClientError) as excinfo:
        getattr(cleanroomsml_client, operation)(**params)
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_policy_goes_with_its_cam(cleanroomsml_client, cam):
    put_policy(cleanroomsml_client, cam)
    cleanroomsml_client.delete_configured_audience_model(configuredAudienceModelArn=cam)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.get_configured_audience_model_policy(configuredAudienceModelArn=cam)


# --------------------------------------------------------------------------------------------
# The lookalike flow end to end, under freezegun
# --------------------------------------------------------------------------------------------


@pytest.mark.personalize_stub(durations={"audience_model": 3600, "audience_generation_job": 1800})
def test_lookalike_flow_end_to_end_under_freezegun(personalize_stub, cleanroomsml_client):
    client = cleanroomsml_client
    start = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)
    with freezegun.freeze_time("2024-05-01 09:00:00") as frozen:
        dataset = training_dataset(client, "shop-events")
        assert client.get_training_dataset(trainingDatasetArn=dataset)["createTime"] == start
        model = client.create_audience_model(name="shop-model", trainingDatasetArn=dataset)[
            "audienceModelArn"
        ]
        frozen.tick(timedelta(minutes=30))
        assert client.get_audience_model(audienceModelArn=model)["status"] == ("CREATE_IN_PROGRESS")
        assert personalize_stub.settle() == start + timedelta(hours=1)
        trained = client.get_audience_model(audienceModelArn=model)
        assert trained["status"] == "ACTIVE"
        assert (trained["createTime"], trained["updateTime"]) == (
            start,
            start + timedelta(hours=1),
        )

        cam = new_cam(
            client,
            model,
            audienceSizeConfig={"audienceSizeType": "PERCENTAGE", "audienceSizeBins": [5, 10]},
            childResourceTagOnCreatePolicy="FROM_PARENT_RESOURCE",
            tags={"team": "growth"},
        )
        job = start_job(client, cam, "spring", collaborationId=COLLABORATION)
        frozen.tick(timedelta(minutes=10))
        assert client.get_audience_generation_job(audienceGenerationJobArn=job)["status"] == (
            "CREATE_IN_PROGRESS"
        )
        assert personalize_stub.settle() == start + timedelta(hours=1, minutes=30)
        done = client.get_audience_generation_job(audienceGenerationJobArn=job)
        assert done["status"] == "ACTIVE"
        assert done["createTime"] == start + timedelta(hours=1)
        assert done["updateTime"] == start + timedelta(hours=1, minutes=30)
        assert done["tags"] == {"team": "growth"}
        assert done["collaborationId"] == COLLABORATION
        assert [
            (r["audienceSize"]["type"], r["audienceSize"]["value"])
            for r in sorted(
                done["metrics"]["relevanceMetrics"], key=lambda r: r["audienceSize"]["value"]
            )
        ] == [("PERCENTAGE", 5), ("PERCENTAGE", 10)]

        client.delete_audience_generation_job(audienceGenerationJobArn=job)
        personalize_stub.settle()
        client.delete_configured_audience_model(configuredAudienceModelArn=cam)
        client.delete_audience_model(audienceModelArn=model)
        personalize_stub.settle()
        client.delete_training_dataset(trainingDatasetArn=dataset)
        assert client.list_audience_models()["audienceModels"] == []
        assert client.list_configured_audience_models()["configuredAudienceModels"] == []
        assert client.list_training_datasets()["trainingDatasets"] == []


def test_lookalike_flow_to_an_export_under_freezegun(personalize_stub, cleanroomsml_client):
    """Training dataset -> audience model -> CAM -> generation job -> export job, with time
    moved by freezegun and by settle()."""
    client = cleanroomsml_client
    start = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
    with freezegun.freeze_time(start) as frozen:
        dataset = client.create_training_dataset(
            name="shop-events", roleArn=OUTPUT_CONFIG["roleArn"], trainingData=TRAINING_DATA
        )["trainingDatasetArn"]
        model = client.create_audience_model(name="shop-model", trainingDatasetArn=dataset)[
            "audienceModelArn"
        ]
        frozen.tick(timedelta(minutes=30))
        assert client.get_audience_model(audienceModelArn=model)["status"] == "CREATE_IN_PROGRESS"
        assert personalize_stub.settle() == start + timedelta(hours=2)
        cam = client.create_configured_audience_model(
            name="shop-lookalike",
            audienceModelArn=model,
            outputConfig=OUTPUT_CONFIG,
            sharedAudienceMetrics=["ALL"],
            audienceSizeConfig=BINS,
        )["configuredAudienceModelArn"]
        job = client.start_audience_generation_job(
            name="spring-campaign", configuredAudienceModelArn=cam, seedAudience=SEED
        )["audienceGenerationJobArn"]
        with pytest.raises(client.exceptions.ValidationException):
            export(client, job, "too-early")
        personalize_stub.settle()
        generated = client.get_audience_generation_job(audienceGenerationJobArn=job)
        assert generated["status"] == "ACTIVE"
        sizes = [m["audienceSize"]["value"] for m in generated["metrics"]["relevanceMetrics"]]
        export(client, job, "spring-5000", size=sizes[-1])
        (pending,) = exports(client, job)
        assert pending["status"] == "CREATE_PENDING"
        exported_at = start + timedelta(hours=2, minutes=30)
        assert pending["createTime"] == personalize_stub.clock.now() == exported_at
        frozen.tick(timedelta(minutes=10))
        (done,) = exports(client, job)
        assert done["status"] == "ACTIVE"
        assert done["updateTime"] == exported_at + timedelta(minutes=5)
        assert done["audienceSize"] == {"type": "ABSOLUTE", "value": 5000}
        assert done["outputLocation"].startswith("s3://audiences/out/")
