"""Dataset export jobs and data deletion jobs (neither can be deleted)."""

from __future__ import annotations

from ...account import Request
from ...declarations import Body, Quota
from ...operations import Served, creating, describe, given, listing
from ...store import Resource
from .common import active, with_defaults
from .contents import dataset_fields
from .resources import DATA_DELETION_JOB, DATASET, DATASET_EXPORT_JOB, DATASET_GROUP
from .s3_data import check_output, job_data, write_export


def create_dataset_export_job(request: Request) -> Body:
    params = request.params
    dataset = active(request, DATASET, params["datasetArn"])
    attrs = with_defaults(
        given(params, "jobName", "datasetArn", "ingestionMode", "roleArn", "jobOutput"),
        ingestionMode="PUT",
    )
    account = request.account
    output = job_data(
        lambda: check_output(request, params["jobOutput"]["s3DataDestination"]["path"])
    )

    def exported(job: Resource, at: float) -> None:
        write_export(job, dataset, dataset_fields(account, dataset) or (), at)

    job = request.create(
        DATASET_EXPORT_JOB,
        attrs,
        tags=params.get("tags"),
        name=params["jobName"],
        failure=output.problem,
        on_ready=exported,
    )
    return {"datasetExportJobArn": job.arn}


PENDING_DELETIONS = Quota(
    key="pending_data_deletion_jobs_per_dataset_group",
    name="Data deletion jobs with status PENDING per dataset group",
    rtype=DATA_DELETION_JOB,
    limit=5,
    statuses=frozenset({"PENDING"}),
    scope="datasetGroupArn",
)


def create_data_deletion_job(request: Request) -> Body:
    params = request.params
    group = active(request, DATASET_GROUP, params["datasetGroupArn"])
    request.enforce(PENDING_DELETIONS, group.arn)
    attrs = given(params, "jobName", "datasetGroupArn", "dataSource", "roleArn")
    job = request.create(
        DATA_DELETION_JOB,
        attrs,
        tags=params.get("tags"),
        name=params["jobName"],
        on_ready=_completed,
    )
    return {"dataDeletionJobArn": job.arn}


def _completed(job: Resource, at: float) -> None:
    # The fake holds no user records to delete, so a finished job deleted none.
    job.attrs["numDeleted"] = 0


QUOTAS: tuple[Quota, ...] = (PENDING_DELETIONS,)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The export and data deletion job operations."""
    return {
        "CreateDatasetExportJob": creating(DATASET_EXPORT_JOB, create_dataset_export_job),
        "DescribeDatasetExportJob": describe(DATASET_EXPORT_JOB, "datasetExportJob"),
        "ListDatasetExportJobs": listing(DATASET_EXPORT_JOB, "datasetExportJobs", ("datasetArn",)),
        "CreateDataDeletionJob": creating(DATA_DELETION_JOB, create_data_deletion_job),
        "DescribeDataDeletionJob": describe(DATA_DELETION_JOB, "dataDeletionJob"),
        "ListDataDeletionJobs": listing(
            DATA_DELETION_JOB, "dataDeletionJobs", ("datasetGroupArn",)
        ),
    }
