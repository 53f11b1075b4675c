"""Amazon Personalize (control plane), described resource family by resource family."""

from __future__ import annotations

from ...operations import Service, tagging_operations
from .. import PERSONALIZE
from . import (
    batch,
    campaigns,
    catalog,
    data_jobs,
    datasets,
    event_trackers,
    filters,
    metric_attributions,
    recommenders,
    solutions,
)
from .common import DELETE, DIALECT
from .resources import ALL

FAMILIES = (
    datasets,
    solutions,
    campaigns,
    batch,
    catalog,
    data_jobs,
    event_trackers,
    filters,
    metric_attributions,
    recommenders,
)
"""Each family module describes its operations and quotas."""

SERVICE = Service(
    PERSONALIZE,
    DIALECT,
    ALL,
    {
        **{name: op for family in FAMILIES for name, op in family.operations().items()},
        **tagging_operations(DIALECT, DELETE.transitional),
    },
    quotas=tuple(quota for family in FAMILIES for quota in family.QUOTAS),
)
