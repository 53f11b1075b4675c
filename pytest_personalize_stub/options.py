"""The ini options, kept apart so that loading the plugin imports nothing heavy."""

from __future__ import annotations

INI_OPTIONS = {
    "region": (
        "Region of the fake account and of the client fixtures (default us-east-1).",
        "string",
    ),
    "account_id": ("12-digit account id used in ARNs (default 123456789012).", "string"),
    "durations": (
        "Seconds each resource type takes to reach its final status, one 'kind=seconds' a line.",
        "linelist",
    ),
    "quotas": (
        "Limits that differ from the documented quotas, one 'quota=limit' a line.",
        "linelist",
    ),
    "virtual_sleep": ("Make time.sleep() advance the fake clock instead of sleeping.", "bool"),
    "advance_per_call": (
        (
            "Seconds every served call moves the fake clock forward first (for loops that poll "
            "without sleeping)."
        ),
        "string",
    ),
    "assert_all_failures_fired": (
        (
            "Fail a test at teardown when one of its failure rules fired fewer times than set up "
            "(default true)."
        ),
        "bool",
        True,
    ),
    "wire": (
        "Run botocore's whole stack for the faked services; the fake answers at the HTTP layer.",
        "bool",
    ),
}
"""The ini options, each named ``personalize_stub_<name>``: help text, ini type and, where
unset must not mean the type's empty value, a default."""

SESSION_OPTIONS = {
    "import_time_clients": (
        (
            "Give the whole test session dummy credentials and the fake's region from the "
            "start (where the environment has none), so clients made at import time work."
        ),
        "bool",
    ),
}
"""Options of the whole test session rather than of one test's fake, named likewise."""
