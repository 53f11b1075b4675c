"""The Personalize resource types: ARN, naming member, lifecycle and default duration.

Durations are the documented-realistic defaults (minutes for containers, an hour for
training); tests change them with ``durations={kind: seconds}``.
"""

from __future__ import annotations

from ...lifecycle import Process
from .common import resource_type

DATASET_GROUP = resource_type(
    "dataset_group",
    "dataset-group/{name}",
    "datasetGroupArn",
    60,
    label="dataset group",
    delete=Process(("DELETE PENDING",), None),
)
SCHEMA = resource_type(
    "schema", "schema/{name}", "schemaArn", 0, create=None, delete=None, taggable=False
)
DATASET = resource_type("dataset", "dataset/{group}/{type}", "datasetArn", 60)
DATASET_IMPORT_JOB = resource_type(
    "dataset_import_job",
    "dataset-import-job/{name}",
    "datasetImportJobArn",
    900,
    label="dataset import job",
    delete=None,
)
SOLUTION = resource_type("solution", "solution/{name}", "solutionArn", 60)
SOLUTION_VERSION = resource_type(
    "solution_version",
    "solution/{solution}/{id}",
    "solutionVersionArn",
    3600,
    label="solution version",
    delete=None,
)
CAMPAIGN = resource_type("campaign", "campaign/{name}", "campaignArn", 600)
BATCH_SEGMENT_JOB = resource_type(
    "batch_segment_job",
    "batch-segment-job/{name}",
    "batchSegmentJobArn",
    1800,
    label="batch segment job",
    delete=None,
)

DATASET_EXPORT_JOB = resource_type(
    "dataset_export_job",
    "dataset-export-job/{name}",
    "datasetExportJobArn",
    600,
    label="dataset export job",
    delete=None,
)
DATA_DELETION_JOB = resource_type(
    "data_deletion_job",
    "data-deletion-job/{name}",
    "dataDeletionJobArn",
    3600,
    label="data deletion job",
    create=Process(("PENDING", "IN_PROGRESS"), "COMPLETED", "FAILED"),
    delete=None,
)
EVENT_TRACKER = resource_type(
    "event_tracker", "event-tracker/{id}", "eventTrackerArn", 60, label="event tracker"
)
FILTER = resource_type("filter", "filter/{name}", "filterArn", 60)
METRIC_ATTRIBUTION = resource_type(
    "metric_attribution",
    "metric-attribution/{name}",
    "metricAttributionArn",
    60,
    label="metric attribution",
    taggable=False,
)
RECOMMENDER = resource_type(
    "recommender", "recommender/{name}", "recommenderArn", 3600, resting=("INACTIVE",)
)
BATCH_INFERENCE_JOB = resource_type(
    "batch_inference_job",
    "batch-inference-job/{name}",
    "batchInferenceJobArn",
    1800,
    label="batch inference job",
    delete=None,
)

ALL = (
    DATASET_GROUP,
    SCHEMA,
    DATASET,
    DATASET_IMPORT_JOB,
    SOLUTION,
    SOLUTION_VERSION,
    CAMPAIGN,
    BATCH_SEGMENT_JOB,
    DATASET_EXPORT_JOB,
    DATA_DELETION_JOB,
    EVENT_TRACKER,
    FILTER,
    METRIC_ATTRIBUTION,
    RECOMMENDER,
    BATCH_INFERENCE_JOB,
)
