"""Building one test's fake from its markers and the ini options."""

from __future__ import annotations

from typing import Any

import pytest

from .config import build_config
from .controller import PersonalizeStub
from .errors import UsageError
from .faults import FAMILIES
from .options import INI_OPTIONS
from .services import RESOURCE_KINDS


def stub_for(node: pytest.Item, config: pytest.Config) -> PersonalizeStub:
    """The fake for a test: configuration, then failure rules; UsageError names any misuse."""
    ini = {name: config.getini(f"personalize_stub_{name}") for name in INI_OPTIONS}
    marker = node.get_closest_marker("personalize_stub")
    if marker is not None and marker.args:
        raise UsageError("personalize_stub marker: takes keyword arguments only")
    marker_kwargs: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    stub = PersonalizeStub(build_config(ini, marker_kwargs, RESOURCE_KINDS))
    for name, families in FAMILIES.items():
        for failure in reversed(list(node.iter_markers(name))):
            stub.add_rule(stub.rule(f"{name} marker", failure.args, failure.kwargs, families))
    return stub
