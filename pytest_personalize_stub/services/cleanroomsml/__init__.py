"""AWS Clean Rooms ML, described resource family by resource family."""

from __future__ import annotations

from ...engine import Service
from ...tagging import tagging_operations
from . import audiences
from .common import DELETE, DIALECT
from .resources import ALL

SERVICE = Service(
    "cleanroomsml",
    DIALECT,
    ALL,
    {**audiences.operations(), **tagging_operations(DIALECT, DELETE.transitional)},
)
