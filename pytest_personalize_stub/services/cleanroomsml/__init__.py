"""AWS Clean Rooms ML, described resource family by resource family."""

from __future__ import annotations

from ...engine import Service
from . import audiences
from .common import DIALECT
from .resources import ALL

SERVICE = Service("cleanroomsml", DIALECT, ALL, audiences.operations())
