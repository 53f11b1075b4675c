"""Custom models, part three: trained models and their versions, inference jobs and model
export jobs, with the collaboration's views of them.

Every version of a trained model is stored as its own resource sharing the model's ARN: the
base version under the ARN itself (it has no ``versionIdentifier``), later versions under
``ARN#version``. A CreateTrainedModel that trains incrementally on a model of the same name
in the same membership adds a version to it; any other creates a new trained model.
"""

from __future__ import annotations

import functools
import hashlib

from ...account import Account, Request
from ...declarations import Body, Quota, Walk, in_use, invalid, require_status
from ...errors import ServiceError
from ...lifecycle import Process
from ...operations import Served, creating, describe, given, listing, page
from ...store import Resource, Selection
from ...tagging import checked_tags, tags_as_dict
from .algorithms import container
from .channels import active_channel
from .common import (
    CANCEL,
    DELETE_DATA,
    DIALECT,
    IN_FLIGHT,
    membership_attrs,
    new_id,
    scoped,
    usable,
    visible,
)
from .configuration import ml_configuration
from .resources import (
    CONFIGURED_MODEL_ALGORITHM_ASSOCIATION,
    TRAINED_MODEL,
    TRAINED_MODEL_EXPORT_JOB,
    TRAINED_MODEL_INFERENCE_JOB,
)

MAX_CHANNELS = 20
"""Data channels plus incremental training channels one training may read (documented)."""

VERSIONS_PAGE = 10
"""Default page size of ListTrainedModelVersions (documented)."""

HOLDS_OUTPUT = ("ACTIVE", "CREATE_FAILED", "INACTIVE", "CANCEL_FAILED", "DELETE_FAILED")
"""Statuses of a version whose output may be deleted (no process is running on it)."""

INFERENCE_JOB = TRAINED_MODEL_INFERENCE_JOB
EXPORT_JOB = TRAINED_MODEL_EXPORT_JOB

TRAINING_PER_MEMBERSHIP = Quota(
    key="training_jobs_in_progress_per_membership",
    name="Pending or in-progress training jobs per membership",
    rtype=TRAINED_MODEL,
    limit=5,
    statuses=IN_FLIGHT,
    scope="membershipIdentifier",
)
TRAINING = Quota(
    key="training_jobs_in_progress",
    name="Pending or in-progress training jobs per account",
    rtype=TRAINED_MODEL,
    limit=10,
    statuses=IN_FLIGHT,
)
INFERENCE_PER_MEMBERSHIP = Quota(
    key="inference_jobs_in_progress_per_membership",
    name="Pending or in-progress inference jobs per membership",
    rtype=INFERENCE_JOB,
    limit=5,
    statuses=IN_FLIGHT,
    scope="membershipIdentifier",
)
INFERENCE = Quota(
    key="inference_jobs_in_progress",
    name="Pending or in-progress inference jobs per account",
    rtype=INFERENCE_JOB,
    limit=10,
    statuses=IN_FLIGHT,
)


def versions(state: Account, arn: str) -> list[Resource]:
    """Every version of a trained model, oldest (the base version) first."""
    return list(state.having(TRAINED_MODEL, trainedModelArn=arn))


def version_of(request: Request, arn: str, version: str | None, *, latest: bool) -> Resource:
    """One version of a trained model; without ``version`` the latest or the base one."""
    base = request.find(TRAINED_MODEL, arn)
    if version is None:
        newest = request.account.having(TRAINED_MODEL, trainedModelArn=arn).newest()
        return newest if latest and newest is not None else base
    for candidate in versions(request.account, arn):
        if candidate.attrs.get("versionIdentifier") == version:
            return candidate
    raise ServiceError(DIALECT.not_found, f"The trained model {arn} has no version {version}.")


def _ready_version(request: Request, arn: str, version: str | None, membership: str) -> Resource:
    chosen = version_of(request, arn, version, latest=True)
    visible(request, TRAINED_MODEL, chosen, membership)
    require_status(TRAINED_MODEL, chosen, ("ACTIVE",), code=DIALECT.validation_error)
    return chosen


@functools.lru_cache(maxsize=256)
def _digest(image: str) -> str:
    """The image digest a run reports for a container image URI (the same for every run of
    it; remembered, as hashing costs about a microsecond a run)."""
    return "sha256:" + hashlib.sha256(image.encode()).hexdigest()


def _published(request: Request, image: str, digest_member: str) -> Body:
    """What a finished training or inference run reports about its container, metrics and logs.

    Metrics and logs are published with the role of the membership's ML configuration; without
    one they cannot be (inferred).
    """
    membership = request.params["membershipIdentifier"]
    digest = _digest(image)
    if ml_configuration(request.account, membership) is not None:
        return {
            digest_member: digest,
            "metricsStatus": "PUBLISH_SUCCEEDED",
            "logsStatus": "PUBLISH_SUCCEEDED",
        }
    details = f"The membership {membership} has no ML configuration to publish with."
    return {
        digest_member: digest,
        "metricsStatus": "PUBLISH_FAILED",
        "metricsStatusDetails": details,
        "logsStatus": "PUBLISH_FAILED",
        "logsStatusDetails": details,
    }


def _incremental(request: Request, membership: str) -> tuple[list[Body], Resource | None]:
    """The incremental channels as the model reports them, and the model they extend."""
    channels: list[Body] = []
    extended: Resource | None = None
    for channel in request.params.get("incrementalTrainingDataChannels") or []:
        base = _ready_version(
            request, channel["trainedModelArn"], channel.get("versionIdentifier"), membership
        )
        reported = {"channelName": channel["channelName"], "modelName": base.attrs["name"]}
        if "versionIdentifier" in base.attrs:
            reported["versionIdentifier"] = base.attrs["versionIdentifier"]
        channels.append(reported)
        model = request.find(TRAINED_MODEL, channel["trainedModelArn"])
        if (
            model.attrs["name"] == request.params["name"]
            and model.attrs["membershipIdentifier"] == membership
        ):
            extended = model
    return channels, extended


def _check_channel_names(params: Body) -> None:
    names = [
        channel["channelName"]
        for channel in [
            *params["dataChannels"],
            *(params.get("incrementalTrainingDataChannels") or []),
        ]
    ]
    if len(names) > MAX_CHANNELS:
        raise invalid(TRAINED_MODEL, f"A training reads at most {MAX_CHANNELS} channels.")
    if len(set(names)) != len(names):
        raise invalid(TRAINED_MODEL, "Channel names must be unique within a training.")


def create_trained_model(request: Request) -> Body:
    params = request.params
    membership = params["membershipIdentifier"]
    association = usable(
        request,
        CONFIGURED_MODEL_ALGORITHM_ASSOCIATION,
        params["configuredModelAlgorithmAssociationArn"],
        membership,
    )
    image = container(request, association, "trainingContainerConfig")["imageUri"]
    _check_channel_names(dict(params))
    for channel in params["dataChannels"]:
        active_channel(request, channel["mlInputChannelArn"], membership)
    incremental, extended = _incremental(request, membership)
    request.enforce(TRAINING_PER_MEMBERSHIP, membership)
    request.enforce(TRAINING)
    attrs = given(
        params,
        "name",
        "description",
        "configuredModelAlgorithmAssociationArn",
        "hyperparameters",
        "environment",
        "resourceConfig",
        "stoppingCondition",
        "trainingInputMode",
        "kmsKeyArn",
        "dataChannels",
    )
    attrs["resourceConfig"].setdefault("instanceCount", 1)
    attrs.update(membership_attrs(request, membership))
    if incremental:
        attrs["incrementalTrainingDataChannels"] = incremental
    published = _published(request, image, "trainingContainerImageDigest")

    def trained(version: Resource, at: float) -> None:
        version.attrs.update(published)

    if extended is None:
        model = request.create(
            TRAINED_MODEL,
            attrs,
            tags=params.get("tags"),
            on_ready=trained,
            membership=membership,
            id=new_id(request),
        )
        return {"trainedModelArn": model.arn}
    version = request.account.new_uuid()
    attrs.update(trainedModelArn=extended.arn, versionIdentifier=version)
    request.account.create(
        TRAINED_MODEL,
        f"{extended.arn}#{version}",
        attrs,
        now=request.now,
        on_ready=trained,
    )
    if params.get("tags"):
        extended.tags = checked_tags(
            TRAINED_MODEL, extended.tags, tags_as_dict(DIALECT, params["tags"])
        )
    return {"trainedModelArn": extended.arn, "versionIdentifier": version}


def get_trained_model(request: Request) -> Body:
    params = request.params
    arn = params["trainedModelArn"]
    version = version_of(request, arn, params.get("versionIdentifier"), latest=True)
    return {**version.attrs, "tags": request.find(TRAINED_MODEL, arn).tags}


def _latest_versions(state: Account, scope: str, value: str) -> Selection:
    """The latest version of each trained model, among the versions in the ``scope``."""

    def latest(version: Resource) -> bool:
        arn = version.attrs["trainedModelArn"]
        return state.having(TRAINED_MODEL, trainedModelArn=arn).newest() is version

    return Selection(state.store.shelf(TRAINED_MODEL.kind, scope, value), latest)


def _models_listing(scope: str, out: str) -> Served:
    def handler(request: Request) -> Body:
        latest = _latest_versions(request.account, scope, request.params[scope])
        return page(request, DIALECT, latest, out)

    return Served(handler)


def list_trained_model_versions(request: Request) -> Body:
    params = request.params
    status = params.get("status")
    found = reversed(versions(request.account, params["trainedModelArn"]))
    chosen = (v for v in found if status is None or v.status == status)
    return page(request, DIALECT, chosen, "trainedModels", page_size=VERSIONS_PAGE)


def _move(request: Request, resource: Resource, process: Process, seconds: float) -> Body:
    request.account.walk(resource, process, start=request.now, seconds=seconds)
    return {}


def cancel_trained_model(request: Request) -> Body:
    params = request.params
    version = version_of(
        request, params["trainedModelArn"], params.get("versionIdentifier"), latest=False
    )
    require_status(TRAINED_MODEL, version, sorted(IN_FLIGHT))
    return _move(request, version, CANCEL, request.account.delete_seconds(TRAINED_MODEL))


def _version_used(request: Request, version: Resource) -> str | None:
    arn, number = version.attrs["trainedModelArn"], version.attrs.get("versionIdentifier")
    for rtype in (INFERENCE_JOB, EXPORT_JOB):
        for job in request.account.having(rtype, trainedModelArn=arn):
            if job.status in IN_FLIGHT and job.attrs.get("trainedModelVersionIdentifier") == number:
                return f"The {rtype.title} {job.attrs['name']} still uses the trained model {arn}."
    return None


def delete_trained_model_output(request: Request) -> Body:
    params = request.params
    version = version_of(
        request, params["trainedModelArn"], params.get("versionIdentifier"), latest=False
    )
    require_status(TRAINED_MODEL, version, HOLDS_OUTPUT)
    busy = _version_used(request, version)
    if busy:
        raise in_use(TRAINED_MODEL, busy)
    return _move(request, version, DELETE_DATA, request.account.delete_seconds(TRAINED_MODEL))


def start_trained_model_inference_job(request: Request) -> Body:
    params = request.params
    membership = params["membershipIdentifier"]
    version = _ready_version(
        request, params["trainedModelArn"], params.get("trainedModelVersionIdentifier"), membership
    )
    association = usable(
        request,
        CONFIGURED_MODEL_ALGORITHM_ASSOCIATION,
        params.get("configuredModelAlgorithmAssociationArn")
        or version.attrs["configuredModelAlgorithmAssociationArn"],
        membership,
    )
    image = container(request, association, "inferenceContainerConfig")["imageUri"]
    active_channel(request, params["dataSource"]["mlInputChannelArn"], membership)
    request.enforce(INFERENCE_PER_MEMBERSHIP, membership)
    request.enforce(INFERENCE)
    attrs = given(
        params,
        "name",
        "description",
        "trainedModelArn",
        "resourceConfig",
        "outputConfiguration",
        "dataSource",
        "containerExecutionParameters",
        "environment",
        "kmsKeyArn",
    )
    attrs["resourceConfig"].setdefault("instanceCount", 1)
    attrs["configuredModelAlgorithmAssociationArn"] = association.arn
    if "versionIdentifier" in version.attrs:
        attrs["trainedModelVersionIdentifier"] = version.attrs["versionIdentifier"]
    attrs.update(membership_attrs(request, membership))
    published = _published(request, image, "inferenceContainerImageDigest")

    def inferred(job: Resource, at: float) -> None:
        job.attrs.update(published)

    job = request.create(
        INFERENCE_JOB,
        attrs,
        tags=params.get("tags"),
        on_ready=inferred,
        membership=membership,
        id=new_id(request),
    )
    return {"trainedModelInferenceJobArn": job.arn}


def cancel_trained_model_inference_job(request: Request) -> Body:
    job = request.find(INFERENCE_JOB, request.params["trainedModelInferenceJobArn"])
    require_status(INFERENCE_JOB, job, sorted(IN_FLIGHT))
    return _move(request, job, CANCEL, request.account.delete_seconds(INFERENCE_JOB))


def start_trained_model_export_job(request: Request) -> Body:
    params = request.params
    membership = params["membershipIdentifier"]
    arn, name = params["trainedModelArn"], params["name"]
    version = _ready_version(request, arn, params.get("trainedModelVersionIdentifier"), membership)
    association = request.find(
        CONFIGURED_MODEL_ALGORITHM_ASSOCIATION,
        version.attrs["configuredModelAlgorithmAssociationArn"],
    )
    policies = association.attrs.get("privacyConfiguration", {}).get("policies", {})
    if "trainedModelExports" not in policies:
        raise invalid(
            EXPORT_JOB,
            f"The association {association.arn} has no trainedModelExports privacy policy: "
            "its trained models cannot be exported.",
        )
    number = version.attrs.get("versionIdentifier")
    key = EXPORT_JOB.arn.format(trainedModelArn=arn, version=number or "", name=name)
    if request.account.store.get(EXPORT_JOB.kind, key) is not None:
        raise ServiceError(
            DIALECT.already_exists, f"An export job named {name} already exists for {arn}."
        )
    attrs = given(params, "name", "description", "trainedModelArn", "outputConfiguration")
    if number is not None:
        attrs["trainedModelVersionIdentifier"] = number
    attrs.update(membership_attrs(request, membership))
    request.account.create(EXPORT_JOB, key, attrs, now=request.now)
    return {}


QUOTAS: tuple[Quota, ...] = (TRAINING_PER_MEMBERSHIP, TRAINING, INFERENCE_PER_MEMBERSHIP, INFERENCE)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The trained model, inference job and model export operations."""
    member, collaboration = "membershipIdentifier", "collaborationIdentifier"
    job_filters = ("trainedModelArn", "trainedModelVersionIdentifier")
    return {
        "CreateTrainedModel": creating(TRAINED_MODEL, create_trained_model),
        "GetTrainedModel": scoped(TRAINED_MODEL, member, Served(get_trained_model)),
        "ListTrainedModels": _models_listing(member, "trainedModels"),
        "ListTrainedModelVersions": scoped(
            TRAINED_MODEL, member, Served(list_trained_model_versions)
        ),
        "CancelTrainedModel": scoped(
            TRAINED_MODEL,
            member,
            Served(
                cancel_trained_model, walks=(Walk(TRAINED_MODEL, CANCEL, frozenset(IN_FLIGHT)),)
            ),
        ),
        "DeleteTrainedModelOutput": scoped(
            TRAINED_MODEL,
            member,
            Served(
                delete_trained_model_output,
                walks=(Walk(TRAINED_MODEL, DELETE_DATA, frozenset(HOLDS_OUTPUT)),),
            ),
        ),
        "GetCollaborationTrainedModel": scoped(
            TRAINED_MODEL, collaboration, Served(get_trained_model)
        ),
        "ListCollaborationTrainedModels": _models_listing(
            collaboration, "collaborationTrainedModels"
        ),
        "StartTrainedModelInferenceJob": creating(INFERENCE_JOB, start_trained_model_inference_job),
        "GetTrainedModelInferenceJob": scoped(INFERENCE_JOB, member, describe(INFERENCE_JOB)),
        "ListTrainedModelInferenceJobs": listing(
            INFERENCE_JOB,
            "trainedModelInferenceJobs",
            (member, *job_filters),
        ),
        "CancelTrainedModelInferenceJob": scoped(
            INFERENCE_JOB,
            member,
            Served(
                cancel_trained_model_inference_job,
                walks=(Walk(INFERENCE_JOB, CANCEL, frozenset(IN_FLIGHT)),),
            ),
        ),
        "ListCollaborationTrainedModelInferenceJobs": listing(
            INFERENCE_JOB,
            "collaborationTrainedModelInferenceJobs",
            (collaboration, *job_filters),
        ),
        "StartTrainedModelExportJob": creating(EXPORT_JOB, start_trained_model_export_job),
        "ListCollaborationTrainedModelExportJobs": listing(
            EXPORT_JOB,
            "collaborationTrainedModelExportJobs",
            (collaboration, *job_filters),
        ),
    }
