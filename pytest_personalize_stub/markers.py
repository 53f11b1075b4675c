"""The fake a test's markers and the ini options ask for."""

from __future__ import annotations

from typing import Any

import pytest

from .config import StubConfig, build_config
from .controller import PersonalizeStub
from .errors import UsageError
from .options import INI_OPTIONS
from .services import FAILURE_MARKERS
from .services.registry import QUOTA_KEYS, RESOURCE_KINDS

_ini_config = pytest.StashKey[StubConfig]()


def stub_for(node: pytest.Item, config: pytest.Config) -> PersonalizeStub:
    """The fake for a test: configuration, then failure rules; UsageError names any misuse."""
    markers = list(node.iter_markers())  # closest first; one walk of the node's chain
    marker = next((found for found in markers if found.name == "personalize_stub"), None)
    if marker is None:
        settings = _from_ini(config)
    else:
        if marker.args:
            raise UsageError("personalize_stub marker: takes keyword arguments only")
        settings = build_config(
            _ini_values(config), dict(marker.kwargs), RESOURCE_KINDS, QUOTA_KEYS
        )
    stub = PersonalizeStub(settings)
    for name, families in FAILURE_MARKERS.items():
        for failure in reversed([found for found in markers if found.name == name]):
            stub.add_rule(stub.rule(f"{name} marker", failure.args, failure.kwargs, families))
    return stub


def _ini_values(config: pytest.Config) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, (_, kind, *_) in INI_OPTIONS.items():
        option = f"personalize_stub_{name}"
        try:
            values[name] = config.getini(option)
        except (ValueError, pytest.UsageError) as error:
            hint = " (use true or false)" if kind == "bool" else ""
            raise UsageError(f"{option}: {error}{hint}") from None
    return values


def _from_ini(config: pytest.Config) -> StubConfig:
    """The configuration from the ini options alone, worked out once per run."""
    settings = config.stash.get(_ini_config, None)
    if settings is None:
        settings = build_config(_ini_values(config), {}, RESOURCE_KINDS, QUOTA_KEYS)
        config.stash[_ini_config] = settings
    return settings
