"""Batch segment jobs (user segments from a USER_SEGMENTATION solution version)."""

from __future__ import annotations

from ...engine import (
    Body,
    Operation,
    Quota,
    Request,
    attr,
    creating,
    describe,
    given,
    invalid,
    listing,
)
from .common import active
from .recipes import recipe_type
from .resources import BATCH_SEGMENT_JOB, SOLUTION_VERSION


def create_batch_segment_job(request: Request) -> Body:
    params = request.params
    version = active(request, SOLUTION_VERSION, params["solutionVersionArn"])
    if recipe_type(version.attrs.get("recipeArn", "")) != "USER_SEGMENTATION":
        raise invalid(
            BATCH_SEGMENT_JOB,
            f"The solution version {version.arn} does not use a USER_SEGMENTATION recipe "
            "(Item-Affinity or Item-Attribute-Affinity).",
        )
    if params.get("filterArn") is not None:
        raise NotImplementedError("pytest-personalize-stub does not serve filters yet")
    attrs = given(
        params,
        "jobName",
        "solutionVersionArn",
        "numResults",
        "jobInput",
        "jobOutput",
        "roleArn",
    )
    job = request.create(BATCH_SEGMENT_JOB, attrs, tags=params.get("tags"), name=params["jobName"])
    job.extra["datasetGroupArn"] = version.attrs["datasetGroupArn"]
    return {"batchSegmentJobArn": job.arn}


QUOTAS: tuple[Quota, ...] = ()
"""The documented quotas of this family."""


def operations() -> dict[str, Operation]:
    """The batch segment job operations."""
    return {
        "CreateBatchSegmentJob": creating(BATCH_SEGMENT_JOB, create_batch_segment_job),
        "DescribeBatchSegmentJob": describe(BATCH_SEGMENT_JOB, "batchSegmentJob"),
        "ListBatchSegmentJobs": listing(
            BATCH_SEGMENT_JOB,
            "batchSegmentJobs",
            {"solutionVersionArn": attr("solutionVersionArn")},
        ),
    }
