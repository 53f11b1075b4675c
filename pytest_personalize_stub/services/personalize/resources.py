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

ALL = (
    DATASET_GROUP,
    SCHEMA,
    DATASET,
    DATASET_IMPORT_JOB,
    SOLUTION,
    SOLUTION_VERSION,
    CAMPAIGN,
    BATCH_SEGMENT_JOB,
)
