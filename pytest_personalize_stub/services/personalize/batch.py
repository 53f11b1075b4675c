"""Batch inference jobs (item recommendations) and batch segment jobs (user segments).

Both read from and write to Amazon S3, need an ACTIVE solution version, may apply an ACTIVE
filter, and at most 5 of each kind run at a time in a region.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...account import Request
from ...declarations import Body, Quota, ResourceType, Rule, invalid
from ...operations import Served, creating, describe, given, listing
from ...store import Resource
from .common import IN_FLIGHT, active, with_defaults
from .contents import group_holds_unseen_data, known_ids
from .ranking import candidates
from .recipes import recipe_name, recipe_type
from .resources import (
    BATCH_INFERENCE_JOB,
    BATCH_SEGMENT_JOB,
    FILTER,
    SOLUTION_VERSION,
    BatchJobExtra,
)
from .s3_data import check_output, job_data, read_batch_input, write_batch_output

NO_BATCH_INFERENCE = {
    "POPULAR_ITEMS": "aws-trending-now",
    "PERSONALIZED_ACTIONS": "aws-next-best-action",
}
"""Recipe types whose versions cannot make batch recommendations, by the recipe named (docs)."""

THEMED_RECIPES = frozenset({"aws-similar-items"})
"""Recipes whose batch recommendations can carry themes (THEME_GENERATION, docs)."""

INFERENCE_JOBS_IN_PROGRESS = Quota(
    key="batch_inference_jobs_in_progress",
    name="Batch inference jobs with status PENDING or IN_PROGRESS",
    rtype=BATCH_INFERENCE_JOB,
    limit=5,
    statuses=IN_FLIGHT,
)
SEGMENT_JOBS_IN_PROGRESS = Quota(
    key="batch_segment_jobs_in_progress",
    name="Batch segment jobs with status PENDING or IN_PROGRESS",
    rtype=BATCH_SEGMENT_JOB,
    limit=5,
    statuses=IN_FLIGHT,
)


def _same_paths(params: Mapping[str, Any]) -> bool:
    source = (params.get("jobInput") or {}).get("s3DataSource") or {}
    destination = (params.get("jobOutput") or {}).get("s3DataDestination") or {}
    return bool(source.get("path")) and source.get("path") == destination.get("path")


OUTPUT_DIFFERS_FROM_INPUT = Rule(
    "The output path (jobOutput.s3DataDestination.path) must differ from the input path "
    "(jobInput.s3DataSource.path).",
    _same_paths,
)
THEMES_NEED_CONFIG = Rule(
    "batchInferenceJobMode THEME_GENERATION needs a themeGenerationConfig.",
    lambda params: (
        params.get("batchInferenceJobMode") == "THEME_GENERATION"
        and params.get("themeGenerationConfig") is None
    ),
)


def usable_filter(request: Request) -> None:
    """A given ``filterArn`` must name a filter (not found) that is ACTIVE (in use)."""
    filter_arn = request.params.get("filterArn")
    if filter_arn is not None:
        active(request, FILTER, filter_arn)


def create_batch_inference_job(request: Request) -> Body:
    params = request.params
    version = active(request, SOLUTION_VERSION, params["solutionVersionArn"])
    recipe = version.attrs.get("recipeArn", "")
    kind = recipe_type(recipe)
    if kind in NO_BATCH_INFERENCE:
        raise invalid(
            BATCH_INFERENCE_JOB,
            f"You can't get batch recommendations with the {NO_BATCH_INFERENCE[kind]} recipe "
            f"({version.arn}).",
        )
    if kind == "USER_SEGMENTATION":
        raise invalid(
            BATCH_INFERENCE_JOB,
            f"The solution version {version.arn} uses a USER_SEGMENTATION recipe; "
            "use a batch segment job instead.",
        )
    mode = params.get("batchInferenceJobMode") or "BATCH_INFERENCE"
    if mode == "THEME_GENERATION" and recipe_name(recipe) not in THEMED_RECIPES:
        raise invalid(
            BATCH_INFERENCE_JOB,
            "batchInferenceJobMode THEME_GENERATION needs a solution version of the "
            f"Similar-Items recipe; {version.arn} is not one.",
        )
    usable_filter(request)
    request.enforce(INFERENCE_JOBS_IN_PROGRESS)
    attrs = with_defaults(
        given(
            params,
            "jobName",
            "solutionVersionArn",
            "filterArn",
            "numResults",
            "jobInput",
            "jobOutput",
            "roleArn",
            "batchInferenceJobConfig",
            "batchInferenceJobMode",
            "themeGenerationConfig",
        ),
        batchInferenceJobMode="BATCH_INFERENCE",
    )
    job = _start(request, BATCH_INFERENCE_JOB, attrs, version, "recommendedItems", "item")
    return {"batchInferenceJobArn": job.arn}


def create_batch_segment_job(request: Request) -> Body:
    params = request.params
    version = active(request, SOLUTION_VERSION, params["solutionVersionArn"])
    if recipe_type(version.attrs.get("recipeArn", "")) != "USER_SEGMENTATION":
        raise invalid(
            BATCH_SEGMENT_JOB,
            f"The solution version {version.arn} does not use a USER_SEGMENTATION recipe "
            "(Item-Affinity or Item-Attribute-Affinity).",
        )
    usable_filter(request)
    request.enforce(SEGMENT_JOBS_IN_PROGRESS)
    attrs = given(
        params,
        "jobName",
        "solutionVersionArn",
        "filterArn",
        "numResults",
        "jobInput",
        "jobOutput",
        "roleArn",
    )
    job = _start(request, BATCH_SEGMENT_JOB, attrs, version, "recommendedUsers", "user")
    return {"batchSegmentJobArn": job.arn}


def _start(
    request: Request, rtype: ResourceType, attrs: Body, version: Resource, answer: str, ids: str
) -> Resource:
    """Create a batch job that reads its input from moto's S3 now (when moto is active) and
    writes ``answer`` lists of ``ids`` there once ACTIVE; bad input fails it as AWS would,
    after its normal run time."""
    params = request.params

    def read() -> dict[str, list[Body]] | None:
        found = read_batch_input(request, params["jobInput"]["s3DataSource"]["path"])
        check_output(request, params["jobOutput"]["s3DataDestination"]["path"])
        return found

    inputs = job_data(read)
    account = request.account
    group = version.attrs["datasetGroupArn"]
    catalog, key = ("ITEMS", "itemId") if ids == "item" else ("USERS", "userId")

    def rank(seed: str) -> list[str]:
        known = known_ids(account, group, catalog, "INTERACTIONS", key)
        unseen = group_holds_unseen_data(account, group, (catalog, "INTERACTIONS"))
        return candidates(seed, known, ids, synthetic=not known or unseen)

    def written(job: Resource, at: float) -> None:
        write_batch_output(job, at, inputs.data, answer, rank, scored=rtype is BATCH_INFERENCE_JOB)

    job = request.create(
        rtype,
        attrs,
        tags=params.get("tags"),
        name=params["jobName"],
        failure=inputs.problem,
        on_ready=written,
        extra=BatchJobExtra(group),
    )
    return job


QUOTAS: tuple[Quota, ...] = (INFERENCE_JOBS_IN_PROGRESS, SEGMENT_JOBS_IN_PROGRESS)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The batch inference and batch segment job operations."""
    return {
        "CreateBatchInferenceJob": creating(
            BATCH_INFERENCE_JOB,
            create_batch_inference_job,
            OUTPUT_DIFFERS_FROM_INPUT,
            THEMES_NEED_CONFIG,
        ),
        "DescribeBatchInferenceJob": describe(BATCH_INFERENCE_JOB, "batchInferenceJob"),
        "ListBatchInferenceJobs": listing(
            BATCH_INFERENCE_JOB,
            "batchInferenceJobs",
            ("solutionVersionArn",),
        ),
        "CreateBatchSegmentJob": creating(
            BATCH_SEGMENT_JOB, create_batch_segment_job, OUTPUT_DIFFERS_FROM_INPUT
        ),
        "DescribeBatchSegmentJob": describe(BATCH_SEGMENT_JOB, "batchSegmentJob"),
        "ListBatchSegmentJobs": listing(
            BATCH_SEGMENT_JOB,
            "batchSegmentJobs",
            ("solutionVersionArn",),
        ),
    }
