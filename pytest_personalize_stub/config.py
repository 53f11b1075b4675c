"""The fake's configuration: the ``personalize_stub`` marker over the ini options.

A test that sets nothing gets :class:`StubConfig`'s defaults as they are. Values that a marker,
an ini option or ``mock_personalize(...)`` gives are checked by a pydantic model made from the
same fields, the first time there is something to check: importing pydantic and building a model
took about 100 ms of the first test's setup where the benchmarks ran, which a suite that
configures nothing does not pay.
"""

from __future__ import annotations

import difflib
import functools
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .clock import LONGEST
from .errors import UsageError


def _about(description: str, **constraints: Any) -> dict[str, Any]:
    """A :class:`StubConfig` field's metadata: what a valid value is in words (for error
    messages and ``--help``), and pydantic's constraints on it."""
    return {"description": description, "constraints": constraints}


@dataclass(frozen=True)
class StubConfig:
    """Settings of one test's fake account."""

    region: str = field(
        default="us-east-1",
        metadata=_about("an AWS region name such as us-east-1", pattern=r"^[a-z]{2}(-[a-z]+)+-\d$"),
    )
    """Region in ARNs and of the client fixtures."""
    account_id: str = field(
        default="123456789012",
        metadata=_about("a 12-digit account id (a string)", pattern=r"^\d{12}$"),
    )
    """12-digit account id in ARNs."""
    durations: dict[str, float] = field(
        default_factory=dict, metadata=_about("a dict of resource type to seconds")
    )
    """Seconds a resource type (by kind) takes to its final status; others keep their default."""
    quotas: dict[str, int] = field(
        default_factory=dict, metadata=_about("a dict of quota key to a whole number")
    )
    """Limits that differ from the documented quotas, by quota key."""
    virtual_sleep: bool = field(default=False, metadata=_about("True or False"))
    """Whether ``time.sleep(s)`` advances the fake clock by ``s`` instead of sleeping."""
    advance_per_call: float = field(default=0.0, metadata=_about("a number of seconds"))
    """Seconds every served call moves the fake clock forward first, so code that polls in a
    loop without sleeping still finishes at once."""
    assert_all_failures_fired: bool = field(default=True, metadata=_about("True or False"))
    """Whether a failure rule that made fewer calls fail than it was set up for fails the test
    at teardown (``mock_personalize`` raises when it stops)."""
    wire: bool = field(default=False, metadata=_about("True or False"))
    """Whether calls go through botocore's whole stack (serialising, signing, retrying,
    ``after-call``, parsing) and the fake answers at the HTTP layer, as AWS would."""


SETTINGS = {setting.name: setting for setting in fields(StubConfig)}
"""The fields of :class:`StubConfig`, by name, in their order."""


def description(name: str) -> str:
    """What a valid value of the setting ``name`` is, in words."""
    return str(SETTINGS[name].metadata["description"])


def default(name: str) -> Any:
    """The default value of the setting ``name``."""
    return getattr(_DEFAULTS, name)


_DEFAULTS = StubConfig()


def _spans(values: dict[str, float]) -> dict[str, float]:
    for name, value in values.items():
        if not 0 <= value <= LONGEST:
            raise ValueError(
                f"the duration of {name!r} must be a number of seconds from 0 to "
                f"{LONGEST:.0f} (a century), not {value}"
            )
    return values


def _step(value: float) -> float:
    if not 0 <= value <= LONGEST:
        raise ValueError(
            f"advance_per_call must be a number of seconds from 0 to {LONGEST:.0f} "
            f"(a century), not {value}"
        )
    return value


def _limits(values: dict[str, int]) -> dict[str, int]:
    for name, value in values.items():
        if value < 0:
            raise ValueError(f"the limit of {name!r} must be 0 or more, not {value}")
    return values


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "durations": _spans,
    "advance_per_call": _step,
    "quotas": _limits,
}
"""The rules of a setting beyond its type and pattern, run after pydantic has read the value."""


@functools.cache
def _validator() -> Any:
    """The pydantic model that reads given values into :class:`StubConfig`'s fields (made once,
    when first needed)."""
    from pydantic import AfterValidator, ConfigDict, Field, create_model

    types = typing.get_type_hints(StubConfig)
    read: dict[str, Any] = {}
    for name, setting in SETTINGS.items():
        checked = types[name]
        if name in _CHECKS:
            checked = typing.Annotated[checked, AfterValidator(_CHECKS[name])]
        read[name] = (
            checked,
            Field(default(name), description=description(name), **setting.metadata["constraints"]),
        )
    return create_model("StubConfig", __config__=ConfigDict(extra="forbid"), **read)


def _is_default(name: str, value: Any) -> bool:
    """Whether ``value`` is the setting's default exactly (of its very type: ``0`` is not
    ``False`` here), so that nothing about it needs checking."""
    if name not in SETTINGS:
        return False
    expected = default(name)
    return type(value) is type(expected) and value == expected


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
    if all(_is_default(name, value) for name, value in values.items()):
        return _DEFAULTS
    from pydantic import ValidationError

    try:
        validated = _validator().model_validate(values)
    except ValidationError as error:
        raise UsageError(f"{source}: {_worded(error.errors()[0])}") from None
    config = StubConfig(**{name: getattr(validated, name) for name in SETTINGS})
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
    location = [str(part) for part in issue["loc"]]
    name = location[0] if location else ""
    if issue["type"] == "extra_forbidden":
        hint = did_you_mean(name, SETTINGS).replace("?", "=?")
        return f"unknown keyword {name}={hint}; known: {', '.join(SETTINGS)}"
    if issue["type"] == "value_error":
        return str(issue["ctx"]["error"])
    if len(location) > 1:
        return f"{name}[{location[1]!r}] must be {ENTRIES[name]}, not {issue['input']!r}"
    return f"{name}= must be {description(name)}, not {issue['input']!r}"


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
