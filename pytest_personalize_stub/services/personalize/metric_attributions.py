"""Metric attributions and their metrics: at most one attribution per dataset group.

The metrics are not part of the attribution's description; they are kept beside it (its
:class:`~.resources.MetricAttributionExtra`) and answered by ListMetricAttributionMetrics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ...account import Request, clone
from ...declarations import Body, Quota, Rule, invalid
from ...errors import ServiceError
from ...operations import Served, creating, deletion, describe, given, listing
from ...store import InvalidToken, decode_token, encode_token
from .common import DIALECT, active, require_active
from .resources import DATASET_GROUP, METRIC_ATTRIBUTION, MetricAttributionExtra

MAX_METRICS = 10
EXPRESSION = re.compile(r"SUM\((Items|Interactions)\.[A-Za-z_][A-Za-z0-9_]*\)|SAMPLECOUNT\(\)")
"""``SUM(Items.COLUMN)``, ``SUM(Interactions.COLUMN)`` or ``SAMPLECOUNT()`` (docs)."""


def _checked_metrics(metrics: Iterable[Mapping[str, Any]]) -> list[Body]:
    checked: list[Body] = []
    names: set[str] = set()
    for metric in metrics:
        if not EXPRESSION.fullmatch(metric["expression"]):
            raise invalid(
                METRIC_ATTRIBUTION,
                f"Invalid expression {metric['expression']!r} for metric {metric['metricName']}: "
                "use SUM(Items.COLUMN), SUM(Interactions.COLUMN) or SAMPLECOUNT().",
            )
        if metric["metricName"] in names:
            raise invalid(
                METRIC_ATTRIBUTION, f"The metric name {metric['metricName']} is given twice."
            )
        names.add(metric["metricName"])
        checked.append(clone(dict(metric)))
    return checked


def create_metric_attribution(request: Request) -> Body:
    params = request.params
    group = active(request, DATASET_GROUP, params["datasetGroupArn"])
    other = request.account.having(METRIC_ATTRIBUTION, datasetGroupArn=group.arn).first()
    if other is not None:
        raise ServiceError(
            DIALECT.already_exists,
            f"The dataset group {group.arn} already has a metric attribution: {other.arn}.",
        )
    metrics = _checked_metrics(params["metrics"])
    attrs = given(params, "name", "datasetGroupArn", "metricsOutputConfig")
    created = request.create(METRIC_ATTRIBUTION, attrs, name=params["name"])
    created.extra(MetricAttributionExtra).metrics = metrics
    return {"metricAttributionArn": created.arn}


def update_metric_attribution(request: Request) -> Body:
    params = request.params
    attribution = request.find(METRIC_ATTRIBUTION, params["metricAttributionArn"])
    require_active(METRIC_ATTRIBUTION, attribution)
    extra = attribution.extra(MetricAttributionExtra)
    metrics = extra.metrics
    names = {metric["metricName"] for metric in metrics}
    removed = set(params.get("removeMetrics") or ())
    unknown = sorted(removed - names)
    if unknown:
        raise invalid(
            METRIC_ATTRIBUTION,
            f"The metric attribution {attribution.arn} has no metric named {', '.join(unknown)}.",
        )
    kept = [metric for metric in metrics if metric["metricName"] not in removed]
    added = _checked_metrics(params.get("addMetrics") or ())
    for metric in added:
        if any(metric["metricName"] == old["metricName"] for old in kept):
            raise ServiceError(
                DIALECT.already_exists,
                f"The metric attribution {attribution.arn} already has a metric named "
                f"{metric['metricName']}.",
            )
    if len(kept) + len(added) > MAX_METRICS:
        raise invalid(
            METRIC_ATTRIBUTION,
            f"A metric attribution can have at most {MAX_METRICS} metrics; this update would "
            f"leave {len(kept) + len(added)}.",
        )
    extra.metrics = kept + added
    if params.get("metricsOutputConfig") is not None:
        attribution.attrs["metricsOutputConfig"] = clone(params["metricsOutputConfig"])
    attribution.attrs[DIALECT.updated] = request.now
    return {"metricAttributionArn": attribution.arn}


def list_metric_attribution_metrics(request: Request) -> Body:
    params = request.params
    arn = params["metricAttributionArn"]
    attribution = request.account.store.get(METRIC_ATTRIBUTION.kind, arn)
    if attribution is None:
        raise invalid(METRIC_ATTRIBUTION, f"Resource Arn {arn} does not exist.")
    metrics = attribution.extra(MetricAttributionExtra).metrics
    try:
        start = decode_token(params["nextToken"]) if params.get("nextToken") else 0
    except InvalidToken:
        raise ServiceError(
            DIALECT.invalid_token, "The nextToken is not valid for this request."
        ) from None
    end = start + (params.get("maxResults") or 100)
    body: Body = {"metrics": metrics[start:end]}
    if end < len(metrics):
        body["nextToken"] = encode_token(end)
    return body


NEEDS_ARN = Rule(
    "metricAttributionArn is required.",
    lambda params: params.get("metricAttributionArn") is None,
)

QUOTAS: tuple[Quota, ...] = ()
"""The documented quotas of this family (one attribution per group answers AlreadyExists)."""


def operations() -> dict[str, Served]:
    """The metric attribution operations."""
    return {
        "CreateMetricAttribution": creating(METRIC_ATTRIBUTION, create_metric_attribution),
        "DescribeMetricAttribution": describe(METRIC_ATTRIBUTION, "metricAttribution"),
        "ListMetricAttributions": listing(
            METRIC_ATTRIBUTION,
            "metricAttributions",
            ("datasetGroupArn",),
        ),
        "ListMetricAttributionMetrics": Served(list_metric_attribution_metrics, (NEEDS_ARN,)),
        "UpdateMetricAttribution": Served(update_metric_attribution, (NEEDS_ARN,)),
        "DeleteMetricAttribution": deletion(METRIC_ATTRIBUTION),
    }
