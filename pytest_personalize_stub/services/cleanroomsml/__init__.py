"""AWS Clean Rooms ML, described resource family by resource family."""

from __future__ import annotations

from ...operations import Service, tagging_operations
from .. import CLEANROOMSML
from . import algorithms, audiences, channels, configuration, trained_models
from .common import DELETE, DIALECT
from .resources import ALL

FAMILIES = (audiences, configuration, algorithms, channels, trained_models)
"""Each family module describes its operations and quotas."""

SERVICE = Service(
    CLEANROOMSML,
    DIALECT,
    ALL,
    {
        **{name: op for family in FAMILIES for name, op in family.operations().items()},
        **tagging_operations(DIALECT, DELETE.transitional),
    },
    quotas=tuple(quota for family in FAMILIES for quota in family.QUOTAS),
)
