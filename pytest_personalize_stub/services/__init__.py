"""The faked services by botocore name, and the failure marker that reaches each.

This is the one place the four names are written, and it imports nothing: the plugin reads
it when pytest loads it, before any test asks for the fake. Their descriptions, which load
botocore, are in :mod:`.registry`.
"""

from __future__ import annotations

PERSONALIZE = "personalize"
PERSONALIZE_RUNTIME = "personalize-runtime"
PERSONALIZE_EVENTS = "personalize-events"
CLEANROOMSML = "cleanroomsml"

FAILURE_MARKERS = {
    "personalize_fail": (PERSONALIZE, PERSONALIZE_RUNTIME, PERSONALIZE_EVENTS),
    "cleanroomsml_fail": (CLEANROOMSML,),
}
"""Each failure marker, and the services it looks an operation up in, in order."""

SERVICE_NAMES = tuple(name for names in FAILURE_MARKERS.values() for name in names)
"""Every faked service."""

MARKER_OF = {name: marker for marker, names in FAILURE_MARKERS.items() for name in names}
"""The failure marker that reaches each service."""
