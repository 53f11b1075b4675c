"""The Clean Rooms ML resource types: ARN, naming member, lifecycle and default duration, and
what each family keeps beside a resource's documented attributes.

Export jobs have no ARN: their template builds the store key from what identifies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...declarations import Body
from .common import DELETE_DATA, IN_MEMBERSHIP, resource_type, synchronous_type

MODEL_VERSION = ("trainedModelArn", "trainedModelVersionIdentifier")
"""The members naming the trained model (version) a job uses: its jobs are listed by them."""


@dataclass(slots=True)
class ConfiguredAudienceModelExtra:
    """What a configured audience model keeps: its resource policy (it has no ARN)."""

    policy: str | None = None


@dataclass(slots=True)
class GenerationJobExtra:
    """What an audience generation job keeps of its configured audience model as it starts
    (documented: later updates reach only jobs started afterwards)."""

    settings: Body = field(default_factory=dict)


TRAINING_DATASET = synchronous_type(
    "training_dataset",
    "training-dataset/{id}",
    "trainingDatasetArn",
    label="training dataset",
    unique_name=True,
)
AUDIENCE_MODEL = resource_type(
    "audience_model",
    "audience-model/{id}",
    "audienceModelArn",
    7200,
    label="audience model",
    indexed=("trainingDatasetArn",),
)
CONFIGURED_AUDIENCE_MODEL = synchronous_type(
    "configured_audience_model",
    "configured-audience-model/{id}",
    "configuredAudienceModelArn",
    label="configured audience model",
    extra=ConfiguredAudienceModelExtra,
    indexed=("audienceModelArn",),
)
AUDIENCE_GENERATION_JOB = resource_type(
    "audience_generation_job",
    "audience-generation-job/{id}",
    "audienceGenerationJobArn",
    1800,
    label="audience generation job",
    extra=GenerationJobExtra,
    indexed=("configuredAudienceModelArn", "collaborationId"),
)
AUDIENCE_EXPORT_JOB = resource_type(
    "audience_export_job",
    "{audienceGenerationJobArn}#{name}",
    "name",
    300,
    label="audience export job",
    delete=None,
    taggable=False,
    indexed=("audienceGenerationJobArn",),
)
CONFIGURED_MODEL_ALGORITHM = synchronous_type(
    "configured_model_algorithm",
    "configured-model-algorithm/{id}",
    "configuredModelAlgorithmArn",
    label="configured model algorithm",
)
CONFIGURED_MODEL_ALGORITHM_ASSOCIATION = synchronous_type(
    "configured_model_algorithm_association",
    "membership/{membership}/configured-model-algorithm-association/{id}",
    "configuredModelAlgorithmAssociationArn",
    label="configured model algorithm association",
    indexed=(*IN_MEMBERSHIP, "configuredModelAlgorithmArn"),
)
ML_INPUT_CHANNEL = resource_type(
    "ml_input_channel",
    "membership/{membership}/ml-input-channel/{id}",
    "mlInputChannelArn",
    600,
    label="ML input channel",
    delete=DELETE_DATA,
    resting=("INACTIVE", "DELETE_FAILED"),
    indexed=IN_MEMBERSHIP,
)
TRAINED_MODEL = resource_type(
    "trained_model",
    "membership/{membership}/trained-model/{id}",
    "trainedModelArn",
    3600,
    label="trained model",
    delete=DELETE_DATA,
    resting=("INACTIVE", "CANCEL_FAILED", "DELETE_FAILED"),
    indexed=(*IN_MEMBERSHIP, "trainedModelArn", "configuredModelAlgorithmAssociationArn"),
)
TRAINED_MODEL_INFERENCE_JOB = resource_type(
    "trained_model_inference_job",
    "membership/{membership}/trained-model-inference-job/{id}",
    "trainedModelInferenceJobArn",
    1800,
    label="trained model inference job",
    delete=None,
    resting=("INACTIVE", "CANCEL_FAILED"),
    indexed=(*IN_MEMBERSHIP, *MODEL_VERSION),
)
TRAINED_MODEL_EXPORT_JOB = resource_type(
    "trained_model_export_job",
    "{trainedModelArn}#{version}#{name}",
    "name",
    600,
    label="trained model export job",
    delete=None,
    taggable=False,
    indexed=(*IN_MEMBERSHIP, *MODEL_VERSION),
)

ALL = (
    TRAINING_DATASET,
    AUDIENCE_MODEL,
    CONFIGURED_AUDIENCE_MODEL,
    AUDIENCE_GENERATION_JOB,
    AUDIENCE_EXPORT_JOB,
    CONFIGURED_MODEL_ALGORITHM,
    CONFIGURED_MODEL_ALGORITHM_ASSOCIATION,
    ML_INPUT_CHANNEL,
    TRAINED_MODEL,
    TRAINED_MODEL_INFERENCE_JOB,
    TRAINED_MODEL_EXPORT_JOB,
)
