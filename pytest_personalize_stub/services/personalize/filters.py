"""Filters: expressions that narrow recommendations, checked and kept parsed (in the filter's
:class:`~.resources.FilterExtra`) so the runtime can apply them."""

from __future__ import annotations

from collections import Counter

from ...account import Account, Request
from ...declarations import Body, Quota, invalid
from ...errors import ServiceError
from ...operations import Served, creating, deletion, describe, given, listing
from ...store import Resource
from .common import DIALECT, IN_FLIGHT, any_of, require_active
from .filter_expressions import ExpressionError, fields_of, parse_expression, placeholders_of
from .resources import (
    BATCH_INFERENCE_JOB,
    BATCH_SEGMENT_JOB,
    DATASET_GROUP,
    FILTER,
    DatasetGroupExtra,
    FilterExtra,
)

MAX_FIELDS_PER_FILTER = 10
MAX_FIELDS_PER_GROUP = 20
"""Distinct dataset fields one filter, and all filters of a dataset group, may use (docs)."""

FILTERS_PER_GROUP = Quota(
    key="filters_per_dataset_group",
    name="Filters per dataset group",
    rtype=FILTER,
    limit=30,
    scope="datasetGroupArn",
)


def create_filter(request: Request) -> Body:
    params = request.params
    group = request.find(DATASET_GROUP, params["datasetGroupArn"])
    require_active(DATASET_GROUP, group, code=DIALECT.validation_error)
    try:
        clauses = parse_expression(params["filterExpression"])
    except ExpressionError as error:
        raise invalid(FILTER, f"Could not create filter. Invalid expression: {error}.") from None
    request.enforce(FILTERS_PER_GROUP, group.arn)
    fields = fields_of(clauses)
    used = _fields_in_use(group)
    _check_fields(used, fields)
    attrs = given(params, "name", "datasetGroupArn", "filterExpression")
    created = request.create(FILTER, attrs, tags=params.get("tags"), name=params["name"])
    extra = created.extra(FilterExtra)
    extra.clauses, extra.placeholders, extra.fields = clauses, placeholders_of(clauses), fields
    used.update(fields)
    return {"filterArn": created.arn}


def _fields_in_use(group: Resource) -> Counter[str]:
    """How many of a dataset group's filters read each field."""
    extra = group.extra(DatasetGroupExtra)
    if extra.filter_fields is None:
        extra.filter_fields = Counter()
    return extra.filter_fields


def _check_fields(used: Counter[str], fields: frozenset[str]) -> None:
    if len(fields) > MAX_FIELDS_PER_FILTER:
        raise ServiceError(
            DIALECT.limit_exceeded,
            f"A filter can use at most {MAX_FIELDS_PER_FILTER} distinct dataset fields; "
            f"this one uses {len(fields)}.",
        )
    count = len(used.keys() | fields)
    if count > MAX_FIELDS_PER_GROUP:
        raise ServiceError(
            DIALECT.limit_exceeded,
            f"The filters of a dataset group can use at most {MAX_FIELDS_PER_GROUP} distinct "
            f"dataset fields; with this one they would use {count}.",
        )


def _forget_fields(account: Account, gone: Resource, at: float) -> None:
    group = account.store.get(DATASET_GROUP.kind, gone.attrs["datasetGroupArn"])
    if group is not None:
        extra = group.extra(DatasetGroupExtra)
        extra.filter_fields = _fields_in_use(group) - Counter(gone.extra(FilterExtra).fields)


def _used_by_running_job(request: Request, target: Resource) -> str | None:
    for rtype in (BATCH_INFERENCE_JOB, BATCH_SEGMENT_JOB):
        job = any_of(request, rtype, IN_FLIGHT, filterArn=target.arn)
        if job is not None:
            return f"The filter {target.arn} is used by {rtype.title} {job.arn}, still running."
    return None


QUOTAS: tuple[Quota, ...] = (FILTERS_PER_GROUP,)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The filter operations."""
    return {
        "CreateFilter": creating(FILTER, create_filter),
        "DescribeFilter": describe(FILTER, "filter"),
        "ListFilters": listing(FILTER, "Filters", ("datasetGroupArn",)),
        "DeleteFilter": deletion(FILTER, _used_by_running_job, on_gone=_forget_fields),
    }
