"""The fake services' descriptions, by botocore service name."""

from __future__ import annotations

from ..operations import Service
from . import SERVICE_NAMES, cleanroomsml, personalize, personalize_events, personalize_runtime

SERVICES: dict[str, Service] = {
    service.name: service
    for service in (
        personalize.SERVICE,
        personalize_runtime.SERVICE,
        personalize_events.SERVICE,
        cleanroomsml.SERVICE,
    )
}
assert tuple(SERVICES) == SERVICE_NAMES, "every faked service has one description"

RESOURCE_KINDS = tuple(
    rtype.kind for service in SERVICES.values() for rtype in service.resource_types
)
"""Every resource type name, as ``durations`` takes them."""

QUOTA_KEYS = tuple(quota.key for service in SERVICES.values() for quota in service.quotas)
"""Every quota name, as ``quotas`` takes them."""
