"""Dataset export jobs and data deletion jobs."""

from __future__ import annotations

from ...engine import Operation, Quota

QUOTAS: tuple[Quota, ...] = ()
"""The documented quotas of this family."""


def operations() -> dict[str, Operation]:
    """The operations of this family."""
    return {}
