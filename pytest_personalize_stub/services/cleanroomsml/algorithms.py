"""Custom models, part one: configured model algorithms (account level, synchronous) and
their associations with a membership, with the collaboration's view of the associations."""

from __future__ import annotations

import re

from ...account import Request
from ...declarations import Body, Quota, invalid
from ...operations import Served, creating, deletion, describe, given, listing, referenced_by
from ...store import Resource
from .common import membership_attrs, new_id, scoped
from .resources import (
    CONFIGURED_MODEL_ALGORITHM,
    CONFIGURED_MODEL_ALGORITHM_ASSOCIATION,
    ML_INPUT_CHANNEL,
    TRAINED_MODEL,
)

CMA, CMAA = CONFIGURED_MODEL_ALGORITHM, CONFIGURED_MODEL_ALGORITHM_ASSOCIATION

IMAGE_PATH = re.compile(r"[^/@:\s]+(:\d+)?(/[^/@:\s]+)+(:[^/@:\s]+)?")
"""``registry/repository[:tag]``, the only image path form Clean Rooms ML supports (model)."""

CONTAINERS = ("trainingContainerConfig", "inferenceContainerConfig")

ALGORITHMS = Quota(
    key="configured_model_algorithms",
    name="Configured model algorithms",
    rtype=CMA,
    limit=1000,
)
ASSOCIATIONS_PER_MEMBERSHIP = Quota(
    key="configured_model_algorithm_associations_per_membership",
    name="Configured model algorithm associations per membership",
    rtype=CMAA,
    limit=1000,
    scope="membershipIdentifier",
)


def create_configured_model_algorithm(request: Request) -> Body:
    params = request.params
    containers = [params[name] for name in CONTAINERS if params.get(name) is not None]
    if not containers:
        raise invalid(CMA, "Give a trainingContainerConfig, an inferenceContainerConfig or both.")
    for container in containers:
        if not IMAGE_PATH.fullmatch(container["imageUri"]):
            raise invalid(
                CMA,
                f"The image {container['imageUri']} is not a registry/repository[:tag] path, "
                "the only image path form Clean Rooms ML supports.",
            )
    request.enforce(ALGORITHMS)
    attrs = given(params, "name", "description", "roleArn", "kmsKeyArn", *CONTAINERS)
    algorithm = request.create(CMA, attrs, tags=params.get("tags"), id=new_id(request))
    return {"configuredModelAlgorithmArn": algorithm.arn}


def _check_redaction(policies: Body) -> None:
    configs = [
        *policies.get("trainedModels", {}).get("containerLogs", []),
        *policies.get("trainedModelInferenceJobs", {}).get("containerLogs", []),
    ]
    for logs in configs:
        redaction = logs.get("logRedactionConfiguration")
        if redaction is None:
            continue
        custom = "CUSTOM" in redaction["entitiesToRedact"]
        if custom != ("customEntityConfig" in redaction):
            raise invalid(
                CMAA,
                "customEntityConfig is required when entitiesToRedact contains CUSTOM, "
                "and only then.",
            )


def create_configured_model_algorithm_association(request: Request) -> Body:
    params = request.params
    membership = params["membershipIdentifier"]
    request.find(CMA, params["configuredModelAlgorithmArn"])
    privacy = params.get("privacyConfiguration")
    if privacy is not None:
        _check_redaction(privacy["policies"])
    request.enforce(ASSOCIATIONS_PER_MEMBERSHIP, membership)
    attrs = given(
        params, "name", "description", "configuredModelAlgorithmArn", "privacyConfiguration"
    )
    attrs.update(membership_attrs(request, membership))
    association = request.create(
        CMAA, attrs, tags=params.get("tags"), membership=membership, id=new_id(request)
    )
    return {"configuredModelAlgorithmAssociationArn": association.arn}


def _association_in_use(request: Request, association: Resource) -> str | None:
    for channel in request.account.store.all(ML_INPUT_CHANNEL.kind):
        if association.arn in channel.attrs["configuredModelAlgorithmAssociations"] and (
            channel.status != "INACTIVE"
        ):
            return f"{association.arn} is still used by ML input channel {channel.arn}."
    used_by = request.account.having(
        TRAINED_MODEL, configuredModelAlgorithmAssociationArn=association.arn
    )
    for model in used_by:
        if model.status != "INACTIVE":
            return f"{association.arn} is still used by trained model {model.arn}."
    return None


def container(request: Request, association: Resource, member: str) -> Body:
    """The ``member`` container of an association's algorithm, which must have one."""
    algorithm = request.find(CMA, association.attrs["configuredModelAlgorithmArn"])
    config: Body | None = algorithm.attrs.get(member)
    if config is None:
        raise invalid(CMA, f"The configured model algorithm {algorithm.arn} has no {member}.")
    return config


QUOTAS: tuple[Quota, ...] = (ALGORITHMS, ASSOCIATIONS_PER_MEMBERSHIP)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The configured model algorithm and association operations."""
    in_membership = ("membershipIdentifier",)
    in_collaboration = ("collaborationIdentifier",)
    return {
        "CreateConfiguredModelAlgorithm": creating(CMA, create_configured_model_algorithm),
        "GetConfiguredModelAlgorithm": describe(CMA),
        "ListConfiguredModelAlgorithms": listing(CMA, "configuredModelAlgorithms"),
        "DeleteConfiguredModelAlgorithm": deletion(
            CMA, referenced_by(CMAA, key="configuredModelAlgorithmArn")
        ),
        "CreateConfiguredModelAlgorithmAssociation": creating(
            CMAA, create_configured_model_algorithm_association
        ),
        "GetConfiguredModelAlgorithmAssociation": scoped(
            CMAA, "membershipIdentifier", describe(CMAA)
        ),
        "ListConfiguredModelAlgorithmAssociations": listing(
            CMAA, "configuredModelAlgorithmAssociations", in_membership
        ),
        "DeleteConfiguredModelAlgorithmAssociation": scoped(
            CMAA, "membershipIdentifier", deletion(CMAA, _association_in_use)
        ),
        "GetCollaborationConfiguredModelAlgorithmAssociation": scoped(
            CMAA, "collaborationIdentifier", describe(CMAA)
        ),
        "ListCollaborationConfiguredModelAlgorithmAssociations": listing(
            CMAA, "collaborationConfiguredModelAlgorithmAssociations", in_collaboration
        ),
    }
