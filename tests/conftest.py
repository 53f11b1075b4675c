"""Shared test setup: the test folder is importable (flows, conformance)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


import pytest
from inner import INNER_CONFTEST


@pytest.fixture
def inner(pytester):
    """A pytester directory whose inner tests can import the flow builders, with no network."""
    pytester.makeconftest(INNER_CONFTEST)
    return pytester
