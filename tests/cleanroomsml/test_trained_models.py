"""Clean Rooms ML custom models, part three: trained models and their versions (incremental
training, cancel, output deletion, metrics and logs), inference jobs, trained model export jobs,
the collaboration's views of them, and the custom-model flow end to end.

As the user guide describes them ("Creating a trained model in AWS Clean Rooms ML",
https://docs.aws.amazon.com/clean-rooms/latest/userguide/create-trained-model.html; "Receiving
model logs and metrics",
https://docs.aws.amazon.com/clean-rooms/latest/userguide/custom-model-logs.html).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

import freezegun
import pytest
from botocore.exceptions import ClientError
from support.cleanroomsml_flows import (
    EXPORTS_ALLOWED,
    IMAGE,
    MEMBERSHIP,
    OTHER_MEMBERSHIP,
    RECEIVER,
    RESOURCES,
    ROLE,
    algorithm,
    association,
    channel,
    infer,
    train,
    trained_model,
)

from pytest_personalize_stub.services.cleanroomsml.common import collaboration_of

PREFIX = "arn:aws:cleanrooms-ml:us-east-1:123456789012:"
ID = r"[A-Za-z0-9]{22}"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
OUTPUT_LOCATION = {
    "destination": {"s3Destination": {"s3Uri": "s3://ml-metrics/churn/"}},
    "roleArn": ROLE,
}


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def status_trail(stub, get, step_seconds, steps=40):
    """The distinct statuses ``get()`` shows as the clock moves."""
    trail = []
    for _ in range(steps):
        status = get()["status"]
        if not trail or trail[-1] != status:
            trail.append(status)
        stub.clock.advance(seconds=step_seconds)
    return trail


def collaboration(stub, membership=MEMBERSHIP):
    return collaboration_of(stub.state, membership)


# --------------------------------------------------------------------------------------------
# Trained models and versions
# --------------------------------------------------------------------------------------------


def model_params(arn, version=None):
    params = {"membershipIdentifier": MEMBERSHIP, "trainedModelArn": arn}
    if version is not None:
        params["versionIdentifier"] = version
    return params


def test_a_container_image_keeps_its_digest_from_run_to_run(personalize_stub, cleanroomsml_client):
    """The digest a training run reports is the image's: the same image gives the same digest
    at every run (the fake works it out once per image), another image another digest."""

    def digest(image, name):
        container = {"imageUri": image, "entrypoint": ["python", "train.py"]}
        linked = association(
            cleanroomsml_client,
            algorithm(cleanroomsml_client, name=name, trainingContainerConfig=container),
            name=name,
        )
        data = channel(cleanroomsml_client, linked, name=name)
        personalize_stub.settle()
        arn = train(cleanroomsml_client, linked, data, name=name)["trainedModelArn"]
        personalize_stub.settle()
        model = cleanroomsml_client.get_trained_model(**model_params(arn))
        return model["trainingContainerImageDigest"]

    other = "123456789012.dkr.ecr.us-east-1.amazonaws.com/other-model:latest"
    first, again, different = digest(IMAGE, "a"), digest(IMAGE, "b"), digest(other, "c")
    assert first == again and first.startswith("sha256:")
    assert different != first and different.startswith("sha256:")


@pytest.mark.personalize_stub(durations={"trained_model": 100})
def test_trained_model_walks_create_statuses(personalize_stub, cleanroomsml_client, linked):
    data = channel(cleanroomsml_client, linked)
    personalize_stub.settle()
    answer = train(cleanroomsml_client, linked, data, hyperparameters={"epochs": "3"})
    arn = answer["trainedModelArn"]
    assert "versionIdentifier" not in answer
    assert re.fullmatch(re.escape(f"{PREFIX}membership/{MEMBERSHIP}/trained-model/") + ID, arn)

    def get():
        return cleanroomsml_client.get_trained_model(**model_params(arn))

    assert status_trail(personalize_stub, get, 10, steps=12) == [
        "CREATE_PENDING",
        "CREATE_IN_PROGRESS",
        "ACTIVE",
    ]
    model = get()
    assert model["resourceConfig"] == {**RESOURCES, "instanceCount": 1}
    assert model["hyperparameters"] == {"epochs": "3"}
    assert model["dataChannels"] == [{"mlInputChannelArn": data, "channelName": "train"}]
    assert model["trainingContainerImageDigest"].startswith("sha256:")
    assert "versionIdentifier" not in model


def test_training_needs_a_training_container(personalize_stub, cleanroomsml_client):
    inference_only = algorithm(cleanroomsml_client, "infer-only", trainingContainerConfig=None)
    linked = association(cleanroomsml_client, inference_only)
    data = channel(cleanroomsml_client, linked)
    personalize_stub.settle()
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        train(cleanroomsml_client, linked, data)


def test_training_needs_active_channels_with_distinct_names(
    personalize_stub, cleanroomsml_client, linked
):
    data = channel(cleanroomsml_client, linked)
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        train(cleanroomsml_client, linked, data)
    personalize_stub.settle()
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.create_trained_model(
            membershipIdentifier=MEMBERSHIP,
            name="twice",
            configuredModelAlgorithmAssociationArn=linked,
            resourceConfig=RESOURCES,
            dataChannels=[
                {"mlInputChannelArn": data, "channelName": "train"},
                {"mlInputChannelArn": data, "channelName": "train"},
            ],
        )
    assert (
        cleanroomsml_client.list_trained_models(membershipIdentifier=MEMBERSHIP)["trainedModels"]
        == []
    )


def test_training_on_an_unknown_association_is_not_found(personalize_stub, cleanroomsml_client):
    missing = f"{PREFIX}membership/{MEMBERSHIP}/configured-model-algorithm-association/AAAAAAAAAAAAAAAAAAAAAA"
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        train(
            cleanroomsml_client,
            missing,
            missing.replace("configured-model-algorithm-association", "ml-input-channel"),
        )


def incremental(client, arns, name="churn-model", version=None):
    base = {"trainedModelArn": arns["trainedModelArn"], "channelName": "base"}
    if version is not None:
        base["versionIdentifier"] = version
    return train(
        client,
        arns["configuredModelAlgorithmAssociationArn"],
        arns["mlInputChannelArn"],
        name=name,
        incrementalTrainingDataChannels=[base],
    )


def test_incremental_training_of_the_same_name_adds_a_version(
    personalize_stub, cleanroomsml_client
):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    arn = arns["trainedModelArn"]
    answer = incremental(cleanroomsml_client, arns)
    assert answer["trainedModelArn"] == arn
    version = answer["versionIdentifier"]
    assert re.fullmatch(UUID, version)
    latest = cleanroomsml_client.get_trained_model(**model_params(arn))
    assert (latest["versionIdentifier"], latest["status"]) == (version, "CREATE_PENDING")
    assert latest["incrementalTrainingDataChannels"] == [
        {"channelName": "base", "modelName": "churn-model"}
    ]
    personalize_stub.settle()
    second = incremental(cleanroomsml_client, arns)["versionIdentifier"]
    listed = cleanroomsml_client.list_trained_model_versions(**model_params(arn))["trainedModels"]
    assert [v.get("versionIdentifier") for v in listed] == [second, version, None]
    third_channel = cleanroomsml_client.get_trained_model(**model_params(arn, second))
    assert third_channel["incrementalTrainingDataChannels"][0]["versionIdentifier"] == version
    models = cleanroomsml_client.list_trained_models(membershipIdentifier=MEMBERSHIP)
    assert [
        (m["trainedModelArn"], m.get("versionIdentifier")) for m in models["trainedModels"]
    ] == [(arn, second)]
    base = cleanroomsml_client.get_trained_model(**model_params(arn, version))
    assert base["status"] == "ACTIVE"


def test_incremental_training_under_another_name_is_a_new_model(
    personalize_stub, cleanroomsml_client
):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    answer = incremental(cleanroomsml_client, arns, name="churn-model-v2")
    assert answer["trainedModelArn"] != arns["trainedModelArn"]
    assert "versionIdentifier" not in answer
    assert (
        len(
            cleanroomsml_client.list_trained_models(membershipIdentifier=MEMBERSHIP)[
                "trainedModels"
            ]
        )
        == 2
    )


def test_incremental_training_needs_an_active_base(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    incremental(cleanroomsml_client, arns)
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        incremental(cleanroomsml_client, arns, name="other")
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        incremental(cleanroomsml_client, arns, name="other", version=str(uuid.UUID(int=9)))


def test_versions_page_by_ten_and_filter_by_status(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    for _ in range(11):
        incremental(cleanroomsml_client, arns)
        personalize_stub.settle()
    failed = incremental(cleanroomsml_client, arns)["versionIdentifier"]
    cleanroomsml_client.cancel_trained_model(**model_params(arns["trainedModelArn"], failed))
    personalize_stub.settle()
    params = model_params(arns["trainedModelArn"])
    first = cleanroomsml_client.list_trained_model_versions(**params)
    assert len(first["trainedModels"]) == 10 and "nextToken" in first
    rest = cleanroomsml_client.list_trained_model_versions(**params, nextToken=first["nextToken"])
    assert len(rest["trainedModels"]) == 3
    inactive = cleanroomsml_client.list_trained_model_versions(**params, status="INACTIVE")
    assert [v["versionIdentifier"] for v in inactive["trainedModels"]] == [failed]


def test_versions_of_an_unknown_model_are_not_found(personalize_stub, cleanroomsml_client):
    missing = f"{PREFIX}membership/{MEMBERSHIP}/trained-model/AAAAAAAAAAAAAAAAAAAAAA"
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.list_trained_model_versions(**model_params(missing))


def test_cancel_walks_to_inactive_only_while_training(
    personalize_stub, cleanroomsml_client, linked
):
    data = channel(cleanroomsml_client, linked)
    personalize_stub.settle()
    arn = train(cleanroomsml_client, linked, data)["trainedModelArn"]
    cleanroomsml_client.cancel_trained_model(**model_params(arn))

    def get():
        return cleanroomsml_client.get_trained_model(**model_params(arn))

    assert status_trail(personalize_stub, get, 5, steps=20) == [
        "CANCEL_PENDING",
        "CANCEL_IN_PROGRESS",
        "INACTIVE",
    ]
    personalize_stub.settle()
    assert get()["status"] == "INACTIVE"
    assert "trainingContainerImageDigest" not in get()
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.cancel_trained_model(**model_params(arn))


@pytest.mark.cleanroomsml_fail("CancelTrainedModel", status="CANCEL_FAILED", reason="Too late")
def test_cancel_can_fail(personalize_stub, cleanroomsml_client, linked):
    data = channel(cleanroomsml_client, linked)
    personalize_stub.settle()
    arn = train(cleanroomsml_client, linked, data)["trainedModelArn"]
    cleanroomsml_client.cancel_trained_model(**model_params(arn))
    personalize_stub.settle()
    got = cleanroomsml_client.get_trained_model(**model_params(arn))
    assert (got["status"], got["statusDetails"]["message"]) == ("CANCEL_FAILED", "Too late")


def test_delete_output_walks_to_inactive_for_the_base_or_one_version(
    personalize_stub, cleanroomsml_client
):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    arn = arns["trainedModelArn"]
    version = incremental(cleanroomsml_client, arns)["versionIdentifier"]
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_trained_model_output(**model_params(arn, version))
    personalize_stub.settle()
    cleanroomsml_client.delete_trained_model_output(**model_params(arn))
    statuses = cleanroomsml_client.list_trained_model_versions(**model_params(arn))
    assert [v["status"] for v in statuses["trainedModels"]] == ["ACTIVE", "DELETE_PENDING"]
    personalize_stub.settle()
    cleanroomsml_client.delete_trained_model_output(**model_params(arn, version))
    personalize_stub.settle()
    statuses = cleanroomsml_client.list_trained_model_versions(**model_params(arn))
    assert [v["status"] for v in statuses["trainedModels"]] == ["INACTIVE", "INACTIVE"]


def test_trained_model_of_another_membership_is_not_found(personalize_stub, cleanroomsml_client):
    arn = trained_model(personalize_stub, cleanroomsml_client)["trainedModelArn"]
    for call in (
        cleanroomsml_client.get_trained_model,
        cleanroomsml_client.cancel_trained_model,
        cleanroomsml_client.delete_trained_model_output,
    ):
        with pytest.raises(ClientError) as excinfo:
            call(membershipIdentifier=OTHER_MEMBERSHIP, trainedModelArn=arn)
        assert error_code(excinfo) == "ResourceNotFoundException"


@pytest.mark.personalize_stub(
    quotas={"training_jobs_in_progress_per_membership": 1, "training_jobs_in_progress": 2}
)
def test_trainings_are_limited_per_membership_and_account(personalize_stub, cleanroomsml_client):
    personalize_stub.join_collaboration(OTHER_MEMBERSHIP, collaboration(personalize_stub))
    cma = algorithm(cleanroomsml_client)
    mine = association(cleanroomsml_client, cma)
    data = channel(cleanroomsml_client, mine)
    personalize_stub.settle()
    train(cleanroomsml_client, mine, data, name="a")
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException) as excinfo:
        train(cleanroomsml_client, mine, data, name="b")
    assert excinfo.value.response["quotaName"] == (
        "Pending or in-progress training jobs per membership"
    )
    train(cleanroomsml_client, mine, data, OTHER_MEMBERSHIP, name="b")
    third = "9d9d9d9d-0000-4000-8000-00000000000c"
    personalize_stub.join_collaboration(third, collaboration(personalize_stub))
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException) as excinfo:
        train(cleanroomsml_client, mine, data, third, name="c")
    assert excinfo.value.response["quotaName"] == "Pending or in-progress training jobs per account"


def test_metrics_and_logs_publish_with_an_ml_configuration(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    before = cleanroomsml_client.get_trained_model(**model_params(arns["trainedModelArn"]))
    assert (before["metricsStatus"], before["logsStatus"]) == ("PUBLISH_FAILED", "PUBLISH_FAILED")
    assert MEMBERSHIP in before["metricsStatusDetails"]
    cleanroomsml_client.put_ml_configuration(
        membershipIdentifier=MEMBERSHIP, defaultOutputLocation=OUTPUT_LOCATION
    )
    version = incremental(cleanroomsml_client, arns)["versionIdentifier"]
    personalize_stub.settle()
    after = cleanroomsml_client.get_trained_model(**model_params(arns["trainedModelArn"], version))
    assert (after["metricsStatus"], after["logsStatus"]) == (
        "PUBLISH_SUCCEEDED",
        "PUBLISH_SUCCEEDED",
    )
    assert "metricsStatusDetails" not in after


def test_tags_of_a_trained_model_cover_all_its_versions(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    arn = arns["trainedModelArn"]
    cleanroomsml_client.tag_resource(resourceArn=arn, tags={"team": "ml"})
    version = train(
        cleanroomsml_client,
        arns["configuredModelAlgorithmAssociationArn"],
        arns["mlInputChannelArn"],
        incrementalTrainingDataChannels=[{"trainedModelArn": arn, "channelName": "base"}],
        tags={"run": "2"},
    )["versionIdentifier"]
    assert cleanroomsml_client.get_trained_model(**model_params(arn, version))["tags"] == {
        "team": "ml",
        "run": "2",
    }
    assert cleanroomsml_client.list_tags_for_resource(resourceArn=arn)["tags"] == {
        "team": "ml",
        "run": "2",
    }


def test_collaboration_trained_model_view(personalize_stub, cleanroomsml_client):
    arn = trained_model(personalize_stub, cleanroomsml_client)["trainedModelArn"]
    collab = collaboration(personalize_stub)
    got = cleanroomsml_client.get_collaboration_trained_model(
        collaborationIdentifier=collab, trainedModelArn=arn
    )
    assert got["creatorAccountId"] == "123456789012"
    assert "dataChannels" not in got and "tags" not in got
    listed = cleanroomsml_client.list_collaboration_trained_models(collaborationIdentifier=collab)
    assert [m["trainedModelArn"] for m in listed["collaborationTrainedModels"]] == [arn]
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.get_collaboration_trained_model(
            collaborationIdentifier=collaboration(personalize_stub, OTHER_MEMBERSHIP),
            trainedModelArn=arn,
        )


# --------------------------------------------------------------------------------------------
# Inference jobs
# --------------------------------------------------------------------------------------------


@pytest.mark.personalize_stub(durations={"trained_model_inference_job": 100})
def test_inference_job_walks_statuses_and_can_be_cancelled(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    job = infer(cleanroomsml_client, arns["trainedModelArn"], arns["mlInputChannelArn"])
    assert re.fullmatch(
        re.escape(f"{PREFIX}membership/{MEMBERSHIP}/trained-model-inference-job/") + ID, job
    )
    params = {"membershipIdentifier": MEMBERSHIP, "trainedModelInferenceJobArn": job}

    def get():
        return cleanroomsml_client.get_trained_model_inference_job(**params)

    started = get()
    assert (
        started["configuredModelAlgorithmAssociationArn"]
        == (arns["configuredModelAlgorithmAssociationArn"])
    )
    assert started["resourceConfig"]["instanceCount"] == 1
    assert status_trail(personalize_stub, get, 10, steps=12) == [
        "CREATE_PENDING",
        "CREATE_IN_PROGRESS",
        "ACTIVE",
    ]
    assert get()["inferenceContainerImageDigest"].startswith("sha256:")
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.cancel_trained_model_inference_job(**params)

    second = infer(
        cleanroomsml_client, arns["trainedModelArn"], arns["mlInputChannelArn"], name="b"
    )
    cleanroomsml_client.cancel_trained_model_inference_job(
        membershipIdentifier=MEMBERSHIP, trainedModelInferenceJobArn=second
    )
    personalize_stub.settle()
    listed = cleanroomsml_client.list_trained_model_inference_jobs(
        membershipIdentifier=MEMBERSHIP, trainedModelArn=arns["trainedModelArn"]
    )["trainedModelInferenceJobs"]
    assert [(j["name"], j["status"]) for j in listed] == [("b", "INACTIVE"), ("scores", "ACTIVE")]


def test_inference_needs_an_active_model_and_channel(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    version = incremental(cleanroomsml_client, arns)["versionIdentifier"]
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        infer(cleanroomsml_client, arns["trainedModelArn"], arns["mlInputChannelArn"])
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        infer(
            cleanroomsml_client,
            arns["trainedModelArn"],
            arns["mlInputChannelArn"],
            trainedModelVersionIdentifier=version,
        )
    fresh = channel(cleanroomsml_client, arns["configuredModelAlgorithmAssociationArn"], name="new")
    personalize_stub.settle()
    job = infer(cleanroomsml_client, arns["trainedModelArn"], arns["mlInputChannelArn"])
    got = cleanroomsml_client.get_trained_model_inference_job(
        membershipIdentifier=MEMBERSHIP, trainedModelInferenceJobArn=job
    )
    assert got["trainedModelVersionIdentifier"] == version
    cleanroomsml_client.delete_ml_input_channel_data(
        membershipIdentifier=MEMBERSHIP, mlInputChannelArn=fresh
    )
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        infer(cleanroomsml_client, arns["trainedModelArn"], fresh, name="on-deleted")


def test_inference_needs_an_inference_container(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    training_only = algorithm(cleanroomsml_client, "train-only", inferenceContainerConfig=None)
    other = association(cleanroomsml_client, training_only, name="train-only")
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        infer(
            cleanroomsml_client,
            arns["trainedModelArn"],
            arns["mlInputChannelArn"],
            configuredModelAlgorithmAssociationArn=other,
        )


def test_running_inference_holds_its_model_output_and_channel(
    personalize_stub, cleanroomsml_client
):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    infer(cleanroomsml_client, arns["trainedModelArn"], arns["mlInputChannelArn"])
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_trained_model_output(**model_params(arns["trainedModelArn"]))
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_ml_input_channel_data(
            membershipIdentifier=MEMBERSHIP, mlInputChannelArn=arns["mlInputChannelArn"]
        )
    personalize_stub.settle()
    cleanroomsml_client.delete_trained_model_output(**model_params(arns["trainedModelArn"]))


@pytest.mark.personalize_stub(quotas={"inference_jobs_in_progress_per_membership": 1})
def test_inference_jobs_are_limited_per_membership(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    infer(cleanroomsml_client, arns["trainedModelArn"], arns["mlInputChannelArn"])
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException):
        infer(cleanroomsml_client, arns["trainedModelArn"], arns["mlInputChannelArn"], name="b")


def test_collaboration_inference_jobs(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    job = infer(cleanroomsml_client, arns["trainedModelArn"], arns["mlInputChannelArn"])
    listed = cleanroomsml_client.list_collaboration_trained_model_inference_jobs(
        collaborationIdentifier=collaboration(personalize_stub),
        trainedModelArn=arns["trainedModelArn"],
    )["collaborationTrainedModelInferenceJobs"]
    assert [(j["trainedModelInferenceJobArn"], j["creatorAccountId"]) for j in listed] == [
        (job, "123456789012")
    ]


# --------------------------------------------------------------------------------------------
# Trained model export jobs
# --------------------------------------------------------------------------------------------


def export(client, arn, name="to-partner", membership=MEMBERSHIP, **extra):
    return client.start_trained_model_export_job(
        name=name,
        trainedModelArn=arn,
        membershipIdentifier=membership,
        outputConfiguration=RECEIVER,
        **extra,
    )


def exports(client, stub, arn, **extra):
    return client.list_collaboration_trained_model_export_jobs(
        collaborationIdentifier=collaboration(stub), trainedModelArn=arn, **extra
    )["collaborationTrainedModelExportJobs"]


@pytest.mark.personalize_stub(durations={"trained_model_export_job": 100})
def test_export_job_walks_statuses_and_is_seen_by_the_collaboration(
    personalize_stub, cleanroomsml_client
):
    arn = trained_model(
        personalize_stub, cleanroomsml_client, privacyConfiguration=EXPORTS_ALLOWED
    )["trainedModelArn"]
    assert set(export(cleanroomsml_client, arn, description="weekly")) == {"ResponseMetadata"}
    trail = status_trail(
        personalize_stub, lambda: exports(cleanroomsml_client, personalize_stub, arn)[0], 10, 12
    )
    assert trail == ["CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"]
    (done,) = exports(cleanroomsml_client, personalize_stub, arn)
    assert (done["name"], done["description"], done["creatorAccountId"]) == (
        "to-partner",
        "weekly",
        "123456789012",
    )
    assert done["outputConfiguration"] == RECEIVER
    assert done["membershipIdentifier"] == MEMBERSHIP
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        export(cleanroomsml_client, arn)
    unknown = arn[:-4] + "ZZZZ"
    assert exports(cleanroomsml_client, personalize_stub, unknown) == []


def test_export_needs_an_export_policy_and_an_active_model(personalize_stub, cleanroomsml_client):
    arns = trained_model(personalize_stub, cleanroomsml_client)
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        export(cleanroomsml_client, arns["trainedModelArn"])
    allowed = association(
        cleanroomsml_client,
        arns["configuredModelAlgorithmArn"],
        name="exportable",
        privacyConfiguration=EXPORTS_ALLOWED,
    )
    model = train(cleanroomsml_client, allowed, arns["mlInputChannelArn"], name="m2")
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        export(cleanroomsml_client, model["trainedModelArn"])
    personalize_stub.settle()
    export(cleanroomsml_client, model["trainedModelArn"])
    assert len(exports(cleanroomsml_client, personalize_stub, model["trainedModelArn"])) == 1


@pytest.mark.cleanroomsml_fail(
    "StartTrainedModelExportJob", status="CREATE_FAILED", reason="Too big"
)
def test_export_job_can_fail(personalize_stub, cleanroomsml_client):
    arn = trained_model(
        personalize_stub, cleanroomsml_client, privacyConfiguration=EXPORTS_ALLOWED
    )["trainedModelArn"]
    export(cleanroomsml_client, arn)
    personalize_stub.settle()
    (failed,) = exports(cleanroomsml_client, personalize_stub, arn)
    assert (failed["status"], failed["statusDetails"]["message"]) == ("CREATE_FAILED", "Too big")


# --------------------------------------------------------------------------------------------
# Scenario
# --------------------------------------------------------------------------------------------


@pytest.mark.personalize_stub(
    durations={"ml_input_channel": 600, "trained_model": 3600, "trained_model_inference_job": 1800}
)
def test_custom_model_flow_end_to_end_under_freezegun(personalize_stub, cleanroomsml_client):
    """Algorithm -> association -> ML input channel -> trained model -> inference job ->
    model export, with time moved by freezegun and by settle()."""
    client = cleanroomsml_client
    start = datetime(2025, 6, 2, 8, 0, tzinfo=timezone.utc)
    with freezegun.freeze_time(start) as frozen:
        client.put_ml_configuration(
            membershipIdentifier=MEMBERSHIP, defaultOutputLocation=OUTPUT_LOCATION
        )
        cma = algorithm(client)
        assert (
            client.get_configured_model_algorithm(configuredModelAlgorithmArn=cma)["createTime"]
            == start
        )
        linked = association(client, cma, privacyConfiguration=EXPORTS_ALLOWED)
        data = channel(client, linked)
        frozen.tick(timedelta(minutes=5))
        got = client.get_ml_input_channel(membershipIdentifier=MEMBERSHIP, mlInputChannelArn=data)
        assert got["status"] == "CREATE_IN_PROGRESS"
        assert personalize_stub.settle() == start + timedelta(minutes=10)

        model = train(client, linked, data)["trainedModelArn"]
        frozen.tick(timedelta(minutes=30))
        assert client.get_trained_model(**model_params(model))["status"] == "CREATE_IN_PROGRESS"
        assert personalize_stub.settle() == start + timedelta(hours=1, minutes=10)
        trained = client.get_trained_model(**model_params(model))
        assert (trained["status"], trained["metricsStatus"]) == ("ACTIVE", "PUBLISH_SUCCEEDED")
        assert trained["updateTime"] == start + timedelta(hours=1, minutes=10)

        job = infer(client, model, data)
        frozen.tick(timedelta(minutes=30))
        assert (
            client.get_trained_model_inference_job(
                membershipIdentifier=MEMBERSHIP, trainedModelInferenceJobArn=job
            )["status"]
            == "ACTIVE"
        )

        export(client, model)
        personalize_stub.settle()
        (exported,) = exports(client, personalize_stub, model)
        assert exported["status"] == "ACTIVE"
        assert exported["updateTime"] == start + timedelta(hours=1, minutes=50)

        client.delete_trained_model_output(**model_params(model))
        client.delete_ml_input_channel_data(membershipIdentifier=MEMBERSHIP, mlInputChannelArn=data)
        personalize_stub.settle()
        assert client.get_trained_model(**model_params(model))["status"] == "INACTIVE"
        client.delete_configured_model_algorithm_association(
            membershipIdentifier=MEMBERSHIP, configuredModelAlgorithmAssociationArn=linked
        )
        client.delete_configured_model_algorithm(configuredModelAlgorithmArn=cma)
        assert client.list_configured_model_algorithms()["configuredModelAlgorithms"] == []
