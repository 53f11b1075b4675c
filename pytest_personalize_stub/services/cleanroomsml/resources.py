"""The Clean Rooms ML resource types: ARN, naming member, lifecycle and default duration."""

from __future__ import annotations

from .common import resource_type, synchronous_type

TRAINING_DATASET = synchronous_type(
    "training_dataset",
    "training-dataset/{id}",
    "trainingDatasetArn",
    label="training dataset",
    unique_name=True,
)
AUDIENCE_MODEL = resource_type(
    "audience_model", "audience-model/{id}", "audienceModelArn", 7200, label="audience model"
)
CONFIGURED_AUDIENCE_MODEL = synchronous_type(
    "configured_audience_model",
    "configured-audience-model/{id}",
    "configuredAudienceModelArn",
    label="configured audience model",
)
AUDIENCE_GENERATION_JOB = resource_type(
    "audience_generation_job",
    "audience-generation-job/{id}",
    "audienceGenerationJobArn",
    1800,
    label="audience generation job",
)

ALL = (TRAINING_DATASET, AUDIENCE_MODEL, CONFIGURED_AUDIENCE_MODEL, AUDIENCE_GENERATION_JOB)
