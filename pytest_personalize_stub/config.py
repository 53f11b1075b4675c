"""The fake's configuration: the ``personalize_stub`` marker over the ini options."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .clock import LONGEST
from .errors import UsageError


class StubConfig(BaseModel):
    """Settings of one test's fake account."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: str = Field(
        "us-east-1",
        pattern=r"^[a-z]{2}(-[a-z]+)+-\d$",
        description="an AWS region name such as us-east-1",
    )
    """Region in ARNs and of the client fixtures."""
    account_id: str = Field(
        "123456789012", pattern=r"^\d{12}$", description="a 12-digit account id (a string)"
    )
    """12-digit account id in ARNs."""
    durations: dict[str, float] = Field(
        default_factory=dict, description="a dict of resource type to seconds"
    )
    """Seconds a resource type (by kind) takes to its final status; others keep their default."""
    quotas: dict[str, int] = Field(
        default_factory=dict, description="a dict of quota key to a whole number"
    )
    """Limits that differ from the documented quotas, by quota key."""
    virtual_sleep: bool = Field(False, description="True or False")
    """Whether ``time.sleep(s)`` advances the fake clock by ``s`` instead of sleeping."""
    advance_per_call: float = Field(0.0, description="a number of seconds")
    """Seconds every served call moves the fake clock forward first, so code that polls in a
    loop without sleeping still finishes at once."""
    assert_all_failures_fired: bool = Field(True, description="True or False")
    """Whether a failure rule that made fewer calls fail than it was set up for fails the test
    at teardown (``mock_personalize`` raises when it stops)."""
    wire: bool = Field(False, description="True or False")
    """Whether calls go through botocore's whole stack (serialising, signing, retrying,
    ``after-call``, parsing) and the fake answers at the HTTP layer, as AWS would."""

    @field_validator("durations")
    @classmethod
    def _spans(cls, values: dict[str, float]) -> dict[str, float]:
        for name, value in values.items():
            if not 0 <= value <= LONGEST:
                raise ValueError(
                    f"the duration of {name!r} must be a number of seconds from 0 to "
                    f"{LONGEST:.0f} (a century), not {value}"
                )
        return values

    @field_validator("advance_per_call")
    @classmethod
    def _step(cls, value: float) -> float:
        if not 0 <= value <= LONGEST:
            raise ValueError(
                f"advance_per_call must be a number of seconds from 0 to {LONGEST:.0f} "
                f"(a century), not {value}"
            )
        return value

    @field_validator("quotas")
    @classmethod
    def _limits(cls, values: dict[str, int]) -> dict[str, int]:
        for name, value in values.items():
            if value < 0:
                raise ValueError(f"the limit of {name!r} must be 0 or more, not {value}")
        return values


def build_config(
    ini: Mapping[str, Any],
    marker_kwargs: Mapping[str, Any],
    kinds: Iterable[str],
    quota_keys: Iterable[str] = (),
    *,
    source: str = "personalize_stub configuration",
) -> StubConfig:
    """The configuration of a test: marker values over ini values over defaults; UsageError
    names what is wrong, in ``source``'s words."""
    values: dict[str, Any] = {}
    for name, value in ini.items():
        if value in (None, "", []):
            continue
        values[name] = _pairs_from_lines(name, value) if name in ("durations", "quotas") else value
    values.update(marker_kwargs)
    try:
        config = StubConfig.model_validate(values)
    except ValidationError as error:
        raise UsageError(f"{source}: {_worded(error.errors()[0])}") from None
    for field_name, names, what in (
        ("durations", kinds, "resource type"),
        ("quotas", quota_keys, "quota"),
    ):
        allowed = sorted(names)
        for unknown in sorted(set(getattr(config, field_name)) - set(allowed)):
            raise UsageError(
                f"{source}: {field_name} has an unknown {what} {unknown!r}"
                f"{did_you_mean(unknown, allowed)}; known: {', '.join(allowed) or 'none'}"
            )
    return config


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean X?"`` for the known name closest to a misspelled one, else ``""``."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]}?" if close else ""


ENTRIES = {"durations": "a number of seconds", "quotas": "a whole number"}
"""What each entry of the mapping options must be."""


def _worded(issue: Any) -> str:
    """One of pydantic's validation errors as the plugin words its usage errors."""
    fields = StubConfig.model_fields
    location = [str(part) for part in issue["loc"]]
    name = location[0] if location else ""
    if issue["type"] == "extra_forbidden":
        hint = did_you_mean(name, fields).replace("?", "=?")
        return f"unknown keyword {name}={hint}; known: {', '.join(fields)}"
    if issue["type"] == "value_error":
        return str(issue["ctx"]["error"])
    if len(location) > 1:
        return f"{name}[{location[1]!r}] must be {ENTRIES[name]}, not {issue['input']!r}"
    return f"{name}= must be {fields[name].description}, not {issue['input']!r}"


def _pairs_from_lines(option: str, lines: Any) -> Any:
    if not isinstance(lines, list):
        return lines
    pairs: dict[str, Any] = {}
    for line in lines:
        name, sep, value = str(line).partition("=")
        if not sep:
            form = "kind=seconds" if option == "durations" else "quota=limit"
            raise UsageError(
                f"personalize_stub_{option}: each line must read '{form}', not {line!r}"
            )
        pairs[name.strip()] = value.strip()
    return pairs
