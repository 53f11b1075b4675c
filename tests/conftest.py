"""Shared test setup: the test folder is importable (flows, conformance, inner sessions)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conformance import Conformance
from inner import INNER_CONFTEST


@pytest.fixture
def inner(pytester):
    """A pytester directory whose inner tests can import the flow builders, with no network."""
    pytester.makeconftest(INNER_CONFTEST)
    return pytester


@pytest.fixture
def check():
    """Calls operations and checks each answer against botocore's output shape."""
    return Conformance()
