"""Clean Rooms ML custom models, part one: configured model algorithms (account level,
synchronous), their associations with a membership, and the collaboration's view of them.

As the user guide describes them ("Associating the configured model algorithm in AWS Clean
Rooms ML", https://docs.aws.amazon.com/clean-rooms/latest/userguide/associate-model-algorithm.html).
"""

from __future__ import annotations

import re
import uuid

import pytest
from support.cleanroomsml_flows import (
    EXPORTS_ALLOWED,
    IMAGE,
    MEMBERSHIP,
    OTHER_MEMBERSHIP,
    ROLE,
    algorithm,
    association,
)

from pytest_personalize_stub.services.cleanroomsml.common import collaboration_of

PREFIX = "arn:aws:cleanrooms-ml:us-east-1:123456789012:"
ID = r"[A-Za-z0-9]{22}"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SHARED_COLLABORATION = "c0ffee00-0000-4000-8000-000000000001"


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


def test_join_collaboration_refuses_ids_that_are_not_uuids(personalize_stub):
    from pytest_personalize_stub.errors import UsageError

    with pytest.raises(UsageError, match="membership id must be a UUID"):
        personalize_stub.join_collaboration("not-a-uuid", SHARED_COLLABORATION)
