"""The fake's configuration: the ``personalize_stub`` marker over the ini options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import UsageError


class StubConfig(BaseModel):
    """Settings of one test's fake account."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: str = Field("us-east-1", pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")
    account_id: str = Field("123456789012", pattern=r"^\d{12}$")
    durations: dict[str, float] = Field(default_factory=dict)
    virtual_sleep: bool = False

    @field_validator("durations")
    @classmethod
    def _non_negative(cls, durations: dict[str, float]) -> dict[str, float]:
        for kind, seconds in durations.items():
            if seconds < 0:
                raise ValueError(f"the duration of {kind!r} must be 0 or more, not {seconds}")
        return durations


def build_config(
    ini: Mapping[str, Any], marker_kwargs: Mapping[str, Any], kinds: Iterable[str]
) -> StubConfig:
    """The configuration of a test: marker values over ini values over defaults."""
    values: dict[str, Any] = {}
    for name, value in ini.items():
        if value in (None, "", []):
            continue
        values[name] = _durations_from_lines(value) if name == "durations" else value
    values.update(marker_kwargs)
    try:
        config = StubConfig.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, issue['loc'])) or 'personalize_stub'}: {issue['msg']}"
            f" (got {issue['input']!r})"
            for issue in error.errors()
        )
        raise UsageError(f"personalize_stub configuration: {problems}") from None
    allowed = sorted(kinds)
    unknown = sorted(set(config.durations) - set(allowed))
    if unknown:
        raise UsageError(
            f"personalize_stub configuration: durations has unknown resource type(s) "
            f"{', '.join(unknown)}; known types: {', '.join(allowed)}"
        )
    return config


def _durations_from_lines(lines: Any) -> Any:
    if not isinstance(lines, list):
        return lines
    durations: dict[str, Any] = {}
    for line in lines:
        kind, sep, seconds = str(line).partition("=")
        if not sep:
            raise UsageError(
                f"personalize_stub_durations: each line must read 'kind=seconds', not {line!r}"
            )
        durations[kind.strip()] = seconds.strip()
    return durations
