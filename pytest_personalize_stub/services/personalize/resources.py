"""The Personalize resource types: ARN, naming member, lifecycle and default duration, and
what each family keeps beside a resource's documented attributes.

Durations are the documented-realistic defaults (minutes for containers, an hour for
training); tests change them with ``durations={kind: seconds}``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field

from ...declarations import Body
from ...lifecycle import Process
from .common import resource_type
from .filter_expressions import Clause

Row = dict[str, str]
"""One row of a CSV file: column name -> value."""


@dataclass(slots=True)
class DatasetGroupExtra:
    """What a dataset group keeps beside its attributes."""

    interactions_at: float | None = None
    """When it last received interaction data (a bulk import or events): automatic training
    runs only after new data."""
    filter_fields: Counter[str] | None = None
    """How many of its filters read each dataset field (CreateFilter counts the distinct
    fields without reading every filter); None until it has one."""
    derived: dict[Hashable, tuple[Hashable, object]] | None = None
    """What was derived from its datasets (the runtime's candidates), by what was derived,
    with what the datasets held then: kept until they change (see ``contents.derived``)."""


@dataclass(slots=True)
class DatasetExtra:
    """What a dataset holds."""

    records: dict[str, Body] = field(default_factory=dict)
    """Items, users or actions put through personalize-events: id -> properties (the parsed
    JSON, ``{}`` without properties; a later record with the same id replaces it)."""
    events: list[Body] = field(default_factory=list)
    """Interactions put through personalize-events, in arrival order."""
    imported_rows: list[Row] = field(default_factory=list)
    """The rows bulk-imported from moto's S3, in file order."""
    unseen_bulk_data: bool = False
    """Whether bulk data was imported without moto, so the fake never read it."""
    changes: int = 0
    """How many times what it holds changed: what is derived from it is kept until then."""
    event_positions: dict[int, list[int]] = field(default_factory=dict)
    """Where in ``events`` the interactions of each digest are (PutEvents records an
    interaction once: an equal one is found among those of its digest)."""
    positioned: int = 0
    """How many of ``events`` are in ``event_positions``."""


@dataclass(slots=True)
class SolutionExtra:
    """What a solution keeps beside its attributes."""

    trained_at: float | None = None
    """When its latest version started training."""
    automatic_training: object = None
    """The schedule of automatic training in force (a newer one supersedes it)."""


@dataclass(slots=True)
class ServingExtra:
    """What a campaign or recommender keeps: what ``set_recommendations()`` made it recommend
    first."""

    recommendations: list[str] = field(default_factory=list)


@dataclass(slots=True)
class CampaignExtra(ServingExtra):
    """What a campaign keeps beside its attributes: where its deployed version comes from."""

    solution_arn: str = ""
    dataset_group_arn: str = ""
    syncs: bool = False
    """Whether it follows its solution's ``$LATEST`` version."""


@dataclass(slots=True)
class RecommenderExtra(ServingExtra):
    """What a recommender keeps: its offline metrics once trained."""

    model_metrics: Body | None = None


@dataclass(slots=True)
class FilterExtra:
    """A filter's expression as the runtime applies it."""

    clauses: tuple[Clause, ...] = ()
    placeholders: dict[str, str] = field(default_factory=dict)
    """Each ``$NAME`` and the action (INCLUDE/EXCLUDE) of its clause."""
    fields: frozenset[str] = frozenset()
    """The distinct dataset fields the expression reads."""


@dataclass(slots=True)
class BatchJobExtra:
    """What a batch inference or segment job keeps: the dataset group of its version."""

    dataset_group_arn: str = ""


@dataclass(slots=True)
class MetricAttributionExtra:
    """A metric attribution's metrics (ListMetricAttributionMetrics; not in its description)."""

    metrics: list[Body] = field(default_factory=list)


GROUP = "datasetGroupArn"
"""The member naming the dataset group a resource belongs to: most are listed and counted by it."""

DATASET_GROUP = resource_type(
    "dataset_group",
    "dataset-group/{name}",
    "datasetGroupArn",
    60,
    label="dataset group",
    delete=Process(("DELETE PENDING",), None),
    extra=DatasetGroupExtra,
)
SCHEMA = resource_type(
    "schema", "schema/{name}", "schemaArn", 0, create=None, delete=None, taggable=False
)
DATASET = resource_type(
    "dataset",
    "dataset/{group}/{type}",
    "datasetArn",
    60,
    extra=DatasetExtra,
    indexed=(GROUP, "schemaArn", "trackingId"),
)
DATASET_IMPORT_JOB = resource_type(
    "dataset_import_job",
    "dataset-import-job/{name}",
    "datasetImportJobArn",
    900,
    label="dataset import job",
    delete=None,
    indexed=("datasetArn",),
)
SOLUTION = resource_type(
    "solution", "solution/{name}", "solutionArn", 60, extra=SolutionExtra, indexed=(GROUP,)
)
SOLUTION_VERSION = resource_type(
    "solution_version",
    "solution/{solution}/{id}",
    "solutionVersionArn",
    3600,
    label="solution version",
    delete=None,
    indexed=("solutionArn", GROUP),
)
CAMPAIGN = resource_type(
    "campaign",
    "campaign/{name}",
    "campaignArn",
    600,
    extra=CampaignExtra,
    derived=(
        ("solutionArn", lambda c: c.extra(CampaignExtra).solution_arn),
        (GROUP, lambda c: c.extra(CampaignExtra).dataset_group_arn),
    ),
)
BATCH_SEGMENT_JOB = resource_type(
    "batch_segment_job",
    "batch-segment-job/{name}",
    "batchSegmentJobArn",
    1800,
    label="batch segment job",
    delete=None,
    extra=BatchJobExtra,
    derived=((GROUP, lambda job: job.extra(BatchJobExtra).dataset_group_arn),),
    indexed=("solutionVersionArn", "filterArn"),
)

DATASET_EXPORT_JOB = resource_type(
    "dataset_export_job",
    "dataset-export-job/{name}",
    "datasetExportJobArn",
    600,
    label="dataset export job",
    delete=None,
    indexed=("datasetArn",),
)
DATA_DELETION_JOB = resource_type(
    "data_deletion_job",
    "data-deletion-job/{name}",
    "dataDeletionJobArn",
    3600,
    label="data deletion job",
    create=Process(("PENDING", "IN_PROGRESS"), "COMPLETED", "FAILED"),
    delete=None,
    indexed=(GROUP,),
)
EVENT_TRACKER = resource_type(
    "event_tracker",
    "event-tracker/{id}",
    "eventTrackerArn",
    60,
    label="event tracker",
    unique_name=True,
    indexed=(GROUP, "trackingId"),
)
FILTER = resource_type(
    "filter", "filter/{name}", "filterArn", 60, extra=FilterExtra, indexed=(GROUP,)
)
METRIC_ATTRIBUTION = resource_type(
    "metric_attribution",
    "metric-attribution/{name}",
    "metricAttributionArn",
    60,
    label="metric attribution",
    taggable=False,
    extra=MetricAttributionExtra,
    indexed=(GROUP,),
)
RECOMMENDER = resource_type(
    "recommender",
    "recommender/{name}",
    "recommenderArn",
    3600,
    resting=("INACTIVE",),
    extra=RecommenderExtra,
    indexed=(GROUP,),
)
BATCH_INFERENCE_JOB = resource_type(
    "batch_inference_job",
    "batch-inference-job/{name}",
    "batchInferenceJobArn",
    1800,
    label="batch inference job",
    delete=None,
    extra=BatchJobExtra,
    derived=((GROUP, lambda job: job.extra(BatchJobExtra).dataset_group_arn),),
    indexed=("solutionVersionArn", "filterArn"),
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
