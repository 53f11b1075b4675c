"""personalize-events: no operation is served yet (each raises NotImplementedError)."""

from __future__ import annotations

from ..engine import Service
from .personalize_runtime import DIALECT

SERVICE = Service("personalize-events", DIALECT, ())
