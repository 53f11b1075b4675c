"""Lookalike audiences: training datasets, audience models, configured audience models (and
their resource policies), audience generation jobs and audience export jobs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ...account import Account, Request, clone
from ...declarations import Body, Quota, Rule, invalid, require_status
from ...errors import ServiceError
from ...operations import Served, creating, deletion, describe, given, listing, referenced_by
from ...store import Resource
from .common import ALIVE, DIALECT, IN_FLIGHT, new_id
from .resources import (
    AUDIENCE_EXPORT_JOB,
    AUDIENCE_GENERATION_JOB,
    AUDIENCE_MODEL,
    CONFIGURED_AUDIENCE_MODEL,
    TRAINING_DATASET,
    ConfiguredAudienceModelExtra,
    GenerationJobExtra,
)

REQUIRED_COLUMN_TYPES = ("USER_ID", "ITEM_ID", "TIMESTAMP")
"""Column types a training dataset's schema must include (user guide)."""

DEFAULT_MIN_MATCHING_SEED_SIZE = 500


AUDIENCE_MODELS_IN_FLIGHT = Quota(
    key="audience_models_in_progress",
    name="Pending or in-progress audience models",
    rtype=AUDIENCE_MODEL,
    limit=2,
    statuses=IN_FLIGHT,
)
GENERATION_JOBS_IN_FLIGHT = Quota(
    key="audience_generation_jobs_in_progress",
    name="Pending or in-progress audience generation jobs",
    rtype=AUDIENCE_GENERATION_JOB,
    limit=10,
    statuses=IN_FLIGHT,
)
EXPORT_JOBS_IN_FLIGHT = Quota(
    key="audience_export_jobs_in_progress",
    name="Pending or in-progress audience export jobs",
    rtype=AUDIENCE_EXPORT_JOB,
    limit=20,
    statuses=IN_FLIGHT,
)
EXPORT_JOBS_PER_GENERATION_JOB = Quota(
    key="audience_export_jobs_per_generation_job",
    name="Active audience export jobs per audience generation job",
    rtype=AUDIENCE_EXPORT_JOB,
    limit=25,
    statuses=ALIVE,
    scope="audienceGenerationJobArn",
)


def create_training_dataset(request: Request) -> Body:
    params = request.params
    for dataset in params["trainingData"]:
        types = {t for column in dataset["inputConfig"]["schema"] for t in column["columnTypes"]}
        missing = [t for t in REQUIRED_COLUMN_TYPES if t not in types]
        if missing:
            raise invalid(
                TRAINING_DATASET,
                f"The training data schema needs columns of type {', '.join(missing)}.",
            )
    attrs = given(params, "name", "roleArn", "trainingData", "description")
    dataset = request.create(
        TRAINING_DATASET, attrs, name=params["name"], tags=params.get("tags"), id=new_id(request)
    )
    return {"trainingDatasetArn": dataset.arn}


def create_audience_model(request: Request) -> Body:
    params = request.params
    request.find(TRAINING_DATASET, params["trainingDatasetArn"])
    request.enforce(AUDIENCE_MODELS_IN_FLIGHT)
    attrs = given(
        params,
        "name",
        "trainingDatasetArn",
        "trainingDataStartTime",
        "trainingDataEndTime",
        "kmsKeyArn",
        "description",
    )
    model = request.create(AUDIENCE_MODEL, attrs, tags=params.get("tags"), id=new_id(request))
    return {"audienceModelArn": model.arn}


def _active_audience_model(request: Request, arn: str) -> Resource:
    model = request.find(AUDIENCE_MODEL, arn)
    require_status(AUDIENCE_MODEL, model, ("ACTIVE",), code=DIALECT.validation_error)
    return model


def _check_size_config(params: Mapping[str, Any]) -> None:
    config = params.get("audienceSizeConfig")
    percentages = (
        config["audienceSizeBins"] if config and config["audienceSizeType"] == "PERCENTAGE" else []
    )
    if any(not 1 <= size <= 100 for size in percentages):
        raise invalid(
            CONFIGURED_AUDIENCE_MODEL, "PERCENTAGE audience size bins must be from 1 to 100."
        )


CAM_MEMBERS = (
    "audienceModelArn",
    "outputConfig",
    "description",
    "sharedAudienceMetrics",
    "minMatchingSeedSize",
    "audienceSizeConfig",
)


def create_configured_audience_model(request: Request) -> Body:
    params = request.params
    _active_audience_model(request, params["audienceModelArn"])
    _check_size_config(params)
    attrs = given(params, "name", "childResourceTagOnCreatePolicy", *CAM_MEMBERS)
    attrs.setdefault("minMatchingSeedSize", DEFAULT_MIN_MATCHING_SEED_SIZE)
    attrs.setdefault("childResourceTagOnCreatePolicy", "NONE")
    cam = request.create(
        CONFIGURED_AUDIENCE_MODEL, attrs, tags=params.get("tags"), id=new_id(request)
    )
    return {"configuredAudienceModelArn": cam.arn}


def update_configured_audience_model(request: Request) -> Body:
    params = request.params
    cam = request.find(CONFIGURED_AUDIENCE_MODEL, params["configuredAudienceModelArn"])
    if params.get("audienceModelArn") is not None:
        _active_audience_model(request, params["audienceModelArn"])
    _check_size_config(params)
    cam.attrs.update(given(params, *CAM_MEMBERS))
    cam.attrs["updateTime"] = request.now
    return {"configuredAudienceModelArn": cam.arn}


ONE_SEED_SOURCE = Rule(
    "seedAudience needs exactly one of dataSource and sqlParameters.",
    lambda params: (
        ("dataSource" in params["seedAudience"]) == ("sqlParameters" in params["seedAudience"])
    ),
)


def start_audience_generation_job(request: Request) -> Body:
    params = request.params
    cam = request.find(CONFIGURED_AUDIENCE_MODEL, params["configuredAudienceModelArn"])
    _active_audience_model(request, cam.attrs["audienceModelArn"])
    attrs = given(
        params,
        "name",
        "configuredAudienceModelArn",
        "seedAudience",
        "includeSeedInOutput",
        "collaborationId",
        "description",
    )
    attrs.setdefault("includeSeedInOutput", False)
    attrs["startedBy"] = request.account.account_id
    if "sqlParameters" in attrs["seedAudience"]:
        attrs["protectedQueryIdentifier"] = request.account.new_uuid()
    tags = (
        dict(cam.tags)
        if cam.attrs["childResourceTagOnCreatePolicy"] == "FROM_PARENT_RESOURCE"
        else {}
    )
    tags.update(params.get("tags") or {})
    request.enforce(GENERATION_JOBS_IN_FLIGHT)
    settings = {key: clone(cam.attrs.get(key)) for key in CAM_SETTINGS}

    def generated(job: Resource, at: float) -> None:
        if settings["sharedAudienceMetrics"] == ["ALL"]:
            job.attrs["metrics"] = _metrics(settings["audienceSizeConfig"])

    job = request.create(
        AUDIENCE_GENERATION_JOB, attrs, tags=tags, on_ready=generated, id=new_id(request)
    )
    job.extra(GenerationJobExtra).settings = settings
    return {"audienceGenerationJobArn": job.arn}


CAM_SETTINGS = ("sharedAudienceMetrics", "audienceSizeConfig", "outputConfig")
"""What a generation job keeps of its configured audience model as it starts (documented:
later updates reach only jobs started afterwards)."""


def _metrics(size_config: Body | None) -> Body:
    bins = size_config["audienceSizeBins"] if size_config else [100000]
    kind = size_config["audienceSizeType"] if size_config else "ABSOLUTE"
    relevance = [
        {"audienceSize": {"type": kind, "value": size}, "score": round(1.0 - i * 0.05, 4)}
        for i, size in enumerate(sorted(bins))
    ]
    return {"relevanceMetrics": relevance, "recallMetric": 0.5}


def _exports_of(state: Account, job_arn: str) -> list[Resource]:
    return list(state.having(AUDIENCE_EXPORT_JOB, audienceGenerationJobArn=job_arn))


def _exporting(request: Request, job: Resource) -> str | None:
    for export in _exports_of(request.account, job.arn):
        if export.status in IN_FLIGHT:
            return f"The audience generation job {job.arn} is exporting {export.attrs['name']}."
    return None


def _forget_exports(state: Account, job: Resource, at: float) -> None:
    for export in _exports_of(state, job.arn):
        state.store.remove(export)


def start_audience_export_job(request: Request) -> Body:
    params = request.params
    job = request.find(AUDIENCE_GENERATION_JOB, params["audienceGenerationJobArn"])
    require_status(AUDIENCE_GENERATION_JOB, job, ("ACTIVE",), code=DIALECT.validation_error)
    settings = job.extra(GenerationJobExtra).settings
    _check_export_size(params["audienceSize"], settings["audienceSizeConfig"])
    name = params["name"]
    key = AUDIENCE_EXPORT_JOB.arn.format(audienceGenerationJobArn=job.arn, name=name)
    if request.account.store.get(AUDIENCE_EXPORT_JOB.kind, key) is not None:
        raise ServiceError(
            DIALECT.already_exists,
            f"An audience export job named {name} already exists for {job.arn}.",
        )
    request.enforce(EXPORT_JOBS_IN_FLIGHT)
    request.enforce(EXPORT_JOBS_PER_GENERATION_JOB, job.arn)
    attrs = given(params, "name", "audienceGenerationJobArn", "audienceSize", "description")
    destination = settings["outputConfig"]["destination"]["s3Destination"]["s3Uri"].rstrip("/")
    location = f"{destination}/{job.arn.rsplit('/', 1)[-1]}/{name}/"

    def exported(export: Resource, at: float) -> None:
        export.attrs["outputLocation"] = location

    request.account.create(
        AUDIENCE_EXPORT_JOB,
        key,
        attrs,
        now=request.now,
        on_ready=exported,
    )
    return {}


def _check_export_size(size: Body, config: Body | None) -> None:
    if size["type"] == "PERCENTAGE" and not 1 <= size["value"] <= 100:
        raise invalid(AUDIENCE_EXPORT_JOB, "A PERCENTAGE audience size must be from 1 to 100.")
    if config is None:
        return
    if (
        size["type"] != config["audienceSizeType"]
        or size["value"] not in config["audienceSizeBins"]
    ):
        bins = ", ".join(str(value) for value in config["audienceSizeBins"])
        raise invalid(
            AUDIENCE_EXPORT_JOB,
            f"The audience size must be one of the configured audience model's "
            f"{config['audienceSizeType']} size bins: {bins}.",
        )


def policy_hash(policy: str) -> str:
    """The hash the service reports for a policy text (SHA-256, hex)."""
    return hashlib.sha256(policy.encode()).hexdigest()


def put_configured_audience_model_policy(request: Request) -> Body:
    params = request.params
    cam = request.find(CONFIGURED_AUDIENCE_MODEL, params["configuredAudienceModelArn"])
    current = cam.extra(ConfiguredAudienceModelExtra).policy
    condition = params.get("policyExistenceCondition")
    if condition == "POLICY_MUST_EXIST" and current is None:
        raise _no_policy(cam)
    if condition == "POLICY_MUST_NOT_EXIST" and current is not None:
        raise invalid(CONFIGURED_AUDIENCE_MODEL, f"{cam.arn} already has a policy.")
    previous = params.get("previousPolicyHash")
    if previous is not None and (current is None or policy_hash(current) != previous):
        raise invalid(
            CONFIGURED_AUDIENCE_MODEL,
            "previousPolicyHash does not match the hash of the current policy.",
        )
    policy = params["configuredAudienceModelPolicy"]
    try:
        document = json.loads(policy)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise invalid(CONFIGURED_AUDIENCE_MODEL, "The policy must be a JSON policy document.")
    cam.extra(ConfiguredAudienceModelExtra).policy = policy
    return {"configuredAudienceModelPolicy": policy, "policyHash": policy_hash(policy)}


def _stored_policy(request: Request) -> tuple[Resource, str]:
    cam = request.find(CONFIGURED_AUDIENCE_MODEL, request.params["configuredAudienceModelArn"])
    policy = cam.extra(ConfiguredAudienceModelExtra).policy
    if policy is None:
        raise _no_policy(cam)
    return cam, policy


def _no_policy(cam: Resource) -> ServiceError:
    return ServiceError(
        DIALECT.not_found, f"The configured audience model {cam.arn} has no policy."
    )


def get_configured_audience_model_policy(request: Request) -> Body:
    cam, policy = _stored_policy(request)
    return {
        "configuredAudienceModelArn": cam.arn,
        "configuredAudienceModelPolicy": policy,
        "policyHash": policy_hash(policy),
    }


def delete_configured_audience_model_policy(request: Request) -> Body:
    cam, _ = _stored_policy(request)
    cam.extra(ConfiguredAudienceModelExtra).policy = None
    return {}


QUOTAS: tuple[Quota, ...] = (
    AUDIENCE_MODELS_IN_FLIGHT,
    GENERATION_JOBS_IN_FLIGHT,
    EXPORT_JOBS_IN_FLIGHT,
    EXPORT_JOBS_PER_GENERATION_JOB,
)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The lookalike-audience operations."""
    return {
        "CreateTrainingDataset": creating(TRAINING_DATASET, create_training_dataset),
        "GetTrainingDataset": describe(TRAINING_DATASET),
        "ListTrainingDatasets": listing(TRAINING_DATASET, "trainingDatasets"),
        "DeleteTrainingDataset": deletion(
            TRAINING_DATASET, referenced_by(AUDIENCE_MODEL, key="trainingDatasetArn")
        ),
        "CreateAudienceModel": creating(AUDIENCE_MODEL, create_audience_model),
        "GetAudienceModel": describe(AUDIENCE_MODEL),
        "ListAudienceModels": listing(AUDIENCE_MODEL, "audienceModels"),
        "DeleteAudienceModel": deletion(
            AUDIENCE_MODEL, referenced_by(CONFIGURED_AUDIENCE_MODEL, key="audienceModelArn")
        ),
        "CreateConfiguredAudienceModel": creating(
            CONFIGURED_AUDIENCE_MODEL, create_configured_audience_model
        ),
        "GetConfiguredAudienceModel": describe(CONFIGURED_AUDIENCE_MODEL),
        "ListConfiguredAudienceModels": listing(
            CONFIGURED_AUDIENCE_MODEL, "configuredAudienceModels"
        ),
        "UpdateConfiguredAudienceModel": Served(update_configured_audience_model),
        "DeleteConfiguredAudienceModel": deletion(
            CONFIGURED_AUDIENCE_MODEL,
            referenced_by(AUDIENCE_GENERATION_JOB, key="configuredAudienceModelArn"),
        ),
        "StartAudienceGenerationJob": creating(
            AUDIENCE_GENERATION_JOB, start_audience_generation_job, ONE_SEED_SOURCE
        ),
        "GetAudienceGenerationJob": describe(AUDIENCE_GENERATION_JOB),
        "ListAudienceGenerationJobs": listing(
            AUDIENCE_GENERATION_JOB,
            "audienceGenerationJobs",
            ("configuredAudienceModelArn", "collaborationId"),
        ),
        "DeleteAudienceGenerationJob": deletion(
            AUDIENCE_GENERATION_JOB, _exporting, on_gone=_forget_exports
        ),
        "StartAudienceExportJob": creating(AUDIENCE_EXPORT_JOB, start_audience_export_job),
        "ListAudienceExportJobs": listing(
            AUDIENCE_EXPORT_JOB,
            "audienceExportJobs",
            ("audienceGenerationJobArn",),
        ),
        "PutConfiguredAudienceModelPolicy": Served(put_configured_audience_model_policy),
        "GetConfiguredAudienceModelPolicy": Served(get_configured_audience_model_policy),
        "DeleteConfiguredAudienceModelPolicy": Served(delete_configured_audience_model_policy),
    }
