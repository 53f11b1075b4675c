"""Clean Rooms ML custom models behave as /work/shared/spec/cleanroomsml.md §5 and §6 say:
configured model algorithms and their associations, ML input channels, trained models and
their versions, inference and export jobs, the ML configuration and collaboration views."""

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
SHARED_COLLABORATION = "c0ffee00-0000-4000-8000-000000000001"
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
# Configured model algorithms
# --------------------------------------------------------------------------------------------


def test_algorithm_is_synchronous_and_echoes_its_containers(personalize_stub, cleanroomsml_client):
    arn = algorithm(cleanroomsml_client, description="churn", tags={"team": "ml"})
    assert re.fullmatch(re.escape(PREFIX) + "configured-model-algorithm/" + ID, arn)
    got = cleanroomsml_client.get_configured_model_algorithm(configuredModelAlgorithmArn=arn)
    assert "status" not in got
    assert got["trainingContainerConfig"]["imageUri"] == IMAGE
    assert got["inferenceContainerConfig"] == {"imageUri": IMAGE}
    assert (got["name"], got["roleArn"], got["tags"]) == ("churn", ROLE, {"team": "ml"})
    listed = cleanroomsml_client.list_configured_model_algorithms()["configuredModelAlgorithms"]
    assert [(a["configuredModelAlgorithmArn"], a["description"]) for a in listed] == [
        (arn, "churn")
    ]


def test_algorithm_needs_a_container(personalize_stub, cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.create_configured_model_algorithm(name="empty", roleArn=ROLE)


@pytest.mark.parametrize(
    "image", ["churn-model", "registry.example.com/churn@sha256:abcdef", "a/b:c:d"]
)
def test_algorithm_image_must_be_a_registry_repository_path(
    personalize_stub, cleanroomsml_client, image
):
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        algorithm(cleanroomsml_client, trainingContainerConfig={"imageUri": image})


def test_algorithm_delete_waits_for_its_associations(personalize_stub, cleanroomsml_client):
    arn = algorithm(cleanroomsml_client)
    linked = association(cleanroomsml_client, arn)
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_configured_model_algorithm(configuredModelAlgorithmArn=arn)
    cleanroomsml_client.delete_configured_model_algorithm_association(
        membershipIdentifier=MEMBERSHIP, configuredModelAlgorithmAssociationArn=linked
    )
    cleanroomsml_client.delete_configured_model_algorithm(configuredModelAlgorithmArn=arn)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.get_configured_model_algorithm(configuredModelAlgorithmArn=arn)


@pytest.mark.personalize_stub(quotas={"configured_model_algorithms": 1})
def test_algorithms_are_limited(personalize_stub, cleanroomsml_client):
    algorithm(cleanroomsml_client, "one")
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException) as excinfo:
        algorithm(cleanroomsml_client, "two")
    assert excinfo.value.response["quotaValue"] == 1.0


# --------------------------------------------------------------------------------------------
# Associations and collaborations
# --------------------------------------------------------------------------------------------


def test_association_lives_in_its_membership(personalize_stub, cleanroomsml_client):
    cma = algorithm(cleanroomsml_client)
    arn = association(cleanroomsml_client, cma, privacyConfiguration=EXPORTS_ALLOWED)
    assert re.fullmatch(
        re.escape(f"{PREFIX}membership/{MEMBERSHIP}/configured-model-algorithm-association/") + ID,
        arn,
    )
    got = cleanroomsml_client.get_configured_model_algorithm_association(
        membershipIdentifier=MEMBERSHIP, configuredModelAlgorithmAssociationArn=arn
    )
    assert got["membershipIdentifier"] == MEMBERSHIP
    assert re.fullmatch(UUID, got["collaborationIdentifier"])
    assert got["configuredModelAlgorithmArn"] == cma
    assert got["privacyConfiguration"] == EXPORTS_ALLOWED
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.get_configured_model_algorithm_association(
            membershipIdentifier=OTHER_MEMBERSHIP, configuredModelAlgorithmAssociationArn=arn
        )
    listed = cleanroomsml_client.list_configured_model_algorithm_associations(
        membershipIdentifier=MEMBERSHIP
    )["configuredModelAlgorithmAssociations"]
    assert [a["configuredModelAlgorithmAssociationArn"] for a in listed] == [arn]
    assert (
        cleanroomsml_client.list_configured_model_algorithm_associations(
            membershipIdentifier=OTHER_MEMBERSHIP
        )["configuredModelAlgorithmAssociations"]
        == []
    )


def test_memberships_map_to_fixed_distinct_collaborations(personalize_stub):
    first = collaboration(personalize_stub, MEMBERSHIP)
    assert first == collaboration(personalize_stub, MEMBERSHIP)
    assert first != collaboration(personalize_stub, OTHER_MEMBERSHIP)
    assert uuid.UUID(first).hex != MEMBERSHIP.replace("-", "")


def test_association_of_an_unknown_algorithm_is_not_found(personalize_stub, cleanroomsml_client):
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        association(
            cleanroomsml_client, PREFIX + "configured-model-algorithm/AAAAAAAAAAAAAAAAAAAAAA"
        )


@pytest.mark.parametrize(
    "redaction",
    [
        {"entitiesToRedact": ["CUSTOM"]},
        {"entitiesToRedact": ["NUMBERS"], "customEntityConfig": {"customDataIdentifiers": ["x"]}},
    ],
)
def test_custom_redaction_needs_its_entity_config_and_only_then(
    personalize_stub, cleanroomsml_client, redaction
):
    logs = {"allowedAccountIds": ["123456789012"], "logRedactionConfiguration": redaction}
    privacy = {"policies": {"trainedModels": {"containerLogs": [logs]}}}
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        association(
            cleanroomsml_client, algorithm(cleanroomsml_client), privacyConfiguration=privacy
        )


@pytest.mark.personalize_stub(quotas={"configured_model_algorithm_associations_per_membership": 1})
def test_associations_are_limited_per_membership(personalize_stub, cleanroomsml_client):
    cma = algorithm(cleanroomsml_client)
    association(cleanroomsml_client, cma, name="one")
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException):
        association(cleanroomsml_client, cma, name="two")
    association(cleanroomsml_client, cma, OTHER_MEMBERSHIP, name="two")


def test_collaboration_views_show_every_member_and_the_creator(
    personalize_stub, cleanroomsml_client
):
    personalize_stub.join_collaboration(MEMBERSHIP, SHARED_COLLABORATION)
    personalize_stub.join_collaboration(OTHER_MEMBERSHIP, SHARED_COLLABORATION)
    cma = algorithm(cleanroomsml_client)
    mine = association(cleanroomsml_client, cma, name="mine")
    theirs = association(cleanroomsml_client, cma, OTHER_MEMBERSHIP, name="theirs")
    listed = cleanroomsml_client.list_collaboration_configured_model_algorithm_associations(
        collaborationIdentifier=SHARED_COLLABORATION
    )["collaborationConfiguredModelAlgorithmAssociations"]
    assert [(a["name"], a["creatorAccountId"]) for a in listed] == [
        ("theirs", "123456789012"),
        ("mine", "123456789012"),
    ]
    got = cleanroomsml_client.get_collaboration_configured_model_algorithm_association(
        collaborationIdentifier=SHARED_COLLABORATION, configuredModelAlgorithmAssociationArn=mine
    )
    assert (got["membershipIdentifier"], got["creatorAccountId"]) == (MEMBERSHIP, "123456789012")
    assert "tags" not in got
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.get_collaboration_configured_model_algorithm_association(
            collaborationIdentifier=str(uuid.UUID(int=7)),
            configuredModelAlgorithmAssociationArn=theirs,
        )


# --------------------------------------------------------------------------------------------
# ML input channels
# --------------------------------------------------------------------------------------------


@pytest.fixture
def linked(cleanroomsml_client):
    return association(
        cleanroomsml_client, algorithm(cleanroomsml_client), privacyConfiguration=EXPORTS_ALLOWED
    )


@pytest.mark.personalize_stub(durations={"ml_input_channel": 100})
def test_channel_walks_create_statuses_and_reports_its_data_once_active(
    personalize_stub, cleanroomsml_client, linked
):
    arn = channel(cleanroomsml_client, linked)
    assert re.fullmatch(re.escape(f"{PREFIX}membership/{MEMBERSHIP}/ml-input-channel/") + ID, arn)

    def get():
        return cleanroomsml_client.get_ml_input_channel(
            membershipIdentifier=MEMBERSHIP, mlInputChannelArn=arn
        )

    pending = get()
    assert "numberOfRecords" not in pending
    assert re.fullmatch(UUID, pending["protectedQueryIdentifier"])
    query = pending["inputChannel"]["dataSource"]["protectedQueryInputParameters"]
    assert query["resultFormat"] == "CSV"
    assert status_trail(personalize_stub, get, 10, steps=12) == [
        "CREATE_PENDING",
        "CREATE_IN_PROGRESS",
        "ACTIVE",
    ]
    active = get()
    assert active["numberOfRecords"] > 0 and active["sizeInGb"] > 0
    assert active["configuredModelAlgorithmAssociations"] == [linked]
    assert active["retentionInDays"] == 7
    listed = cleanroomsml_client.list_ml_input_channels(membershipIdentifier=MEMBERSHIP)
    assert [c["status"] for c in listed["mlInputChannelsList"]] == ["ACTIVE"]


def test_channel_data_delete_walks_to_inactive_and_keeps_the_record(
    personalize_stub, cleanroomsml_client, linked
):
    arn = channel(cleanroomsml_client, linked)
    delete = cleanroomsml_client.delete_ml_input_channel_data
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        delete(membershipIdentifier=MEMBERSHIP, mlInputChannelArn=arn)
    personalize_stub.settle()
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        delete(membershipIdentifier=OTHER_MEMBERSHIP, mlInputChannelArn=arn)
    delete(membershipIdentifier=MEMBERSHIP, mlInputChannelArn=arn)

    def get():
        return cleanroomsml_client.get_ml_input_channel(
            membershipIdentifier=MEMBERSHIP, mlInputChannelArn=arn
        )

    assert status_trail(personalize_stub, get, 5, steps=20) == [
        "DELETE_PENDING",
        "DELETE_IN_PROGRESS",
        "INACTIVE",
    ]


@pytest.mark.cleanroomsml_fail(
    "DeleteMLInputChannelData", status="DELETE_FAILED", reason="Bucket locked", times=1
)
def test_channel_data_delete_can_fail_and_be_retried(personalize_stub, cleanroomsml_client, linked):
    arn = channel(cleanroomsml_client, linked)
    personalize_stub.settle()
    params = {"membershipIdentifier": MEMBERSHIP, "mlInputChannelArn": arn}
    cleanroomsml_client.delete_ml_input_channel_data(**params)
    personalize_stub.settle()
    failed = cleanroomsml_client.get_ml_input_channel(**params)
    assert (failed["status"], failed["statusDetails"]["message"]) == (
        "DELETE_FAILED",
        "Bucket locked",
    )
    cleanroomsml_client.delete_ml_input_channel_data(**params)
    personalize_stub.settle()
    assert cleanroomsml_client.get_ml_input_channel(**params)["status"] == "INACTIVE"


@pytest.mark.parametrize("inactive_by", ["deletion", "retention"])
def test_deleting_the_data_of_an_inactive_channel_again_changes_nothing(
    personalize_stub, cleanroomsml_client, linked, inactive_by
):
    """A cleanup run twice converges: the API reference is silent on deleting data that is
    gone already, so the fake lets the call succeed and leaves the channel INACTIVE."""
    arn = channel(cleanroomsml_client, linked)
    personalize_stub.settle()
    params = {"membershipIdentifier": MEMBERSHIP, "mlInputChannelArn": arn}
    if inactive_by == "deletion":
        cleanroomsml_client.delete_ml_input_channel_data(**params)
        personalize_stub.settle()
    else:
        personalize_stub.clock.advance(days=8)
    before = cleanroomsml_client.get_ml_input_channel(**params)
    assert before["status"] == "INACTIVE"
    cleanroomsml_client.delete_ml_input_channel_data(**params)
    after = cleanroomsml_client.get_ml_input_channel(**params)
    assert (after["status"], after["updateTime"]) == ("INACTIVE", before["updateTime"])
    personalize_stub.clock.advance(hours=1)
    assert cleanroomsml_client.get_ml_input_channel(**params)["status"] == "INACTIVE"


def test_channel_expires_after_its_retention(personalize_stub, cleanroomsml_client, linked):
    arn = channel(cleanroomsml_client, linked)
    personalize_stub.settle()
    params = {"membershipIdentifier": MEMBERSHIP, "mlInputChannelArn": arn}
    personalize_stub.clock.advance(days=6)
    assert cleanroomsml_client.get_ml_input_channel(**params)["status"] == "ACTIVE"
    personalize_stub.clock.advance(days=1)
    assert cleanroomsml_client.get_ml_input_channel(**params)["status"] == "INACTIVE"


def test_channel_needs_an_association_of_its_collaboration(personalize_stub, cleanroomsml_client):
    foreign = association(cleanroomsml_client, algorithm(cleanroomsml_client), OTHER_MEMBERSHIP)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        channel(cleanroomsml_client, foreign)
    personalize_stub.join_collaboration(
        MEMBERSHIP, collaboration(personalize_stub, OTHER_MEMBERSHIP)
    )
    channel(cleanroomsml_client, foreign)


@pytest.mark.personalize_stub(quotas={"ml_input_channels_per_membership": 1})
def test_channels_are_limited_per_membership(personalize_stub, cleanroomsml_client, linked):
    channel(cleanroomsml_client, linked, name="one")
    with pytest.raises(cleanroomsml_client.exceptions.ServiceQuotaExceededException):
        channel(cleanroomsml_client, linked, name="two")


def test_association_delete_waits_for_channels_holding_data(
    personalize_stub, cleanroomsml_client, linked
):
    arn = channel(cleanroomsml_client, linked)
    personalize_stub.settle()
    params = {"membershipIdentifier": MEMBERSHIP, "configuredModelAlgorithmAssociationArn": linked}
    with pytest.raises(cleanroomsml_client.exceptions.ConflictException):
        cleanroomsml_client.delete_configured_model_algorithm_association(**params)
    cleanroomsml_client.delete_ml_input_channel_data(
        membershipIdentifier=MEMBERSHIP, mlInputChannelArn=arn
    )
    personalize_stub.settle()
    cleanroomsml_client.delete_configured_model_algorithm_association(**params)


def test_collaboration_channel_view(personalize_stub, cleanroomsml_client, linked):
    arn = channel(cleanroomsml_client, linked)
    collab = collaboration(personalize_stub)
    got = cleanroomsml_client.get_collaboration_ml_input_channel(
        collaborationIdentifier=collab, mlInputChannelArn=arn
    )
    assert got["creatorAccountId"] == "123456789012"
    assert "inputChannel" not in got and "protectedQueryIdentifier" not in got
    listed = cleanroomsml_client.list_collaboration_ml_input_channels(
        collaborationIdentifier=collab
    )["collaborationMLInputChannelsList"]
    assert [c["mlInputChannelArn"] for c in listed] == [arn]


# --------------------------------------------------------------------------------------------
# Trained models and versions
# --------------------------------------------------------------------------------------------


def model_params(arn, version=None):
    params = {"membershipIdentifier": MEMBERSHIP, "trainedModelArn": arn}
    if version is not None:
        params["versionIdentifier"] = version
    return params


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
# ML configuration
# --------------------------------------------------------------------------------------------


@freezegun.freeze_time("2025-01-01")
def test_ml_configuration_put_get_replace_delete(personalize_stub, cleanroomsml_client):
    get = cleanroomsml_client.get_ml_configuration
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        get(membershipIdentifier=MEMBERSHIP)
    answer = cleanroomsml_client.put_ml_configuration(
        membershipIdentifier=MEMBERSHIP, defaultOutputLocation=OUTPUT_LOCATION
    )
    assert set(answer) == {"ResponseMetadata"}
    first = get(membershipIdentifier=MEMBERSHIP)
    assert first["defaultOutputLocation"] == OUTPUT_LOCATION
    assert first["membershipIdentifier"] == MEMBERSHIP
    personalize_stub.clock.advance(minutes=5)
    cleanroomsml_client.put_ml_configuration(
        membershipIdentifier=MEMBERSHIP, defaultOutputLocation={"roleArn": ROLE}
    )
    second = get(membershipIdentifier=MEMBERSHIP)
    assert second["defaultOutputLocation"] == {"roleArn": ROLE}
    assert second["createTime"] == first["createTime"]
    assert second["updateTime"] == first["createTime"] + timedelta(minutes=5)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        get(membershipIdentifier=OTHER_MEMBERSHIP)
    cleanroomsml_client.delete_ml_configuration(membershipIdentifier=MEMBERSHIP)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        get(membershipIdentifier=MEMBERSHIP)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.delete_ml_configuration(membershipIdentifier=MEMBERSHIP)


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


def test_join_collaboration_refuses_ids_that_are_not_uuids(personalize_stub):
    from pytest_personalize_stub.errors import UsageError

    with pytest.raises(UsageError, match="membership id must be a UUID"):
        personalize_stub.join_collaboration("not-a-uuid", SHARED_COLLABORATION)
