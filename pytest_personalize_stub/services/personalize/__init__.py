"""Amazon Personalize (control plane), described resource family by resource family."""

from __future__ import annotations

from ...engine import Service
from ...tagging import tagging_operations
from . import batch, campaigns, datasets, solutions
from .common import DELETE, DIALECT
from .resources import ALL

SERVICE = Service(
    "personalize",
    DIALECT,
    ALL,
    {
        **datasets.operations(),
        **solutions.operations(),
        **campaigns.operations(),
        **batch.operations(),
        **tagging_operations(DIALECT, DELETE.transitional),
    },
)
