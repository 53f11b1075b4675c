"""Lookalike audiences: training datasets, audience models, configured audience models and
audience generation jobs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...engine import (
    Body,
    Operation,
    Quota,
    Request,
    Rule,
    attr,
    creating,
    deletion,
    describe,
    given,
    invalid,
    listing,
    referenced_by,
)
from ...store import Resource
from .common import ID_ALPHABET, ID_LENGTH
from .resources import (
    AUDIENCE_GENERATION_JOB,
    AUDIENCE_MODEL,
    CONFIGURED_AUDIENCE_MODEL,
    TRAINING_DATASET,
)

REQUIRED_COLUMN_TYPES = ("USER_ID", "ITEM_ID", "TIMESTAMP")
"""Column types a training dataset's schema must include (user guide)."""

DEFAULT_MIN_MATCHING_SEED_SIZE = 500


def _new_id(request: Request) -> str:
    return request.state.new_id(ID_ALPHABET, ID_LENGTH)


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
        TRAINING_DATASET, attrs, name=params["name"], tags=params.get("tags"), id=_new_id(request)
    )
    return {"trainingDatasetArn": dataset.arn}


def create_audience_model(request: Request) -> Body:
    params = request.params
    request.find(TRAINING_DATASET, params["trainingDatasetArn"])
    attrs = given(
        params,
        "name",
        "trainingDatasetArn",
        "trainingDataStartTime",
        "trainingDataEndTime",
        "kmsKeyArn",
        "description",
    )
    model = request.create(AUDIENCE_MODEL, attrs, tags=params.get("tags"), id=_new_id(request))
    return {"audienceModelArn": model.arn}


def _active_audience_model(request: Request, arn: str) -> Resource:
    model = request.find(AUDIENCE_MODEL, arn)
    if model.status != "ACTIVE":
        raise invalid(AUDIENCE_MODEL, f"The audience model {arn} is {model.status}, not ACTIVE.")
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
        CONFIGURED_AUDIENCE_MODEL, attrs, tags=params.get("tags"), id=_new_id(request)
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
    attrs["startedBy"] = request.state.account_id
    tags = (
        dict(cam.tags)
        if cam.attrs["childResourceTagOnCreatePolicy"] == "FROM_PARENT_RESOURCE"
        else {}
    )
    tags.update(params.get("tags") or {})
    settings = {key: cam.attrs.get(key) for key in ("sharedAudienceMetrics", "audienceSizeConfig")}

    def generated(job: Resource, at: float) -> None:
        if settings["sharedAudienceMetrics"] == ["ALL"]:
            job.attrs["metrics"] = _metrics(settings["audienceSizeConfig"])

    job = request.create(
        AUDIENCE_GENERATION_JOB, attrs, tags=tags, on_ready=generated, id=_new_id(request)
    )
    return {"audienceGenerationJobArn": job.arn}


def _metrics(size_config: Body | None) -> Body:
    bins = size_config["audienceSizeBins"] if size_config else [100000]
    kind = size_config["audienceSizeType"] if size_config else "ABSOLUTE"
    relevance = [
        {"audienceSize": {"type": kind, "value": size}, "score": round(1.0 - i * 0.05, 4)}
        for i, size in enumerate(sorted(bins))
    ]
    return {"relevanceMetrics": relevance, "recallMetric": 0.5}


QUOTAS: tuple[Quota, ...] = ()
"""The documented quotas of this family."""


def operations() -> dict[str, Operation]:
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
        "UpdateConfiguredAudienceModel": Operation(update_configured_audience_model),
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
            {
                "configuredAudienceModelArn": attr("configuredAudienceModelArn"),
                "collaborationId": attr("collaborationId"),
            },
        ),
        "DeleteAudienceGenerationJob": deletion(AUDIENCE_GENERATION_JOB),
    }
