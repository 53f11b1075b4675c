"""Clean Rooms ML custom models, part two: ML input channels, their data and retention, and the
collaboration's view of them.

As the API reference describes CreateMLInputChannel and its siblings
(https://docs.aws.amazon.com/goto/WebAPI/cleanroomsml-2023-09-06/CreateMLInputChannel).
"""

from __future__ import annotations

import re

import pytest
from support.cleanroomsml_flows import (
    MEMBERSHIP,
    OTHER_MEMBERSHIP,
    algorithm,
    association,
    channel,
)

from pytest_personalize_stub.services.cleanroomsml.common import collaboration_of

PREFIX = "arn:aws:cleanrooms-ml:us-east-1:123456789012:"
ID = r"[A-Za-z0-9]{22}"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


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
# ML input channels
# --------------------------------------------------------------------------------------------


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
