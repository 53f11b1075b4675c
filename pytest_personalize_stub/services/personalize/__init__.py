"""Amazon Personalize (control plane), described resource family by resource family."""

from __future__ import annotations

from ...engine import Service
from . import batch, campaigns, datasets, solutions
from .common import DIALECT
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
    },
)
