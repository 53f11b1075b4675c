"""Audience export jobs, configured audience model policies and the lookalike quotas behave as
/work/shared/spec/cleanroomsml.md §4.4, §4.6 and §9 say."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import freezegun
import pytest
from botocore.exceptions import ClientError
from support.cleanroomsml_flows import OUTPUT_CONFIG, SEED, TRAINING_DATA, configured_audience_model

BINS = {"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [1000, 5000]}
MISSING_JOB = (
    "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/AAAAAAAAAAAAAAAAAAAAAA"
)
MISSING_CAM = (
    "arn:aws:cleanrooms-ml:us-east-1:123456789012:configured-audience-model/AAAAAAAAAAAAAAAAAAAAAA"
)
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


# --------------------------------------------------------------------------------------------
# Audience export jobs
# --------------------------------------------------------------------------------------------


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
# Scenario
# --------------------------------------------------------------------------------------------


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
