"""Fixtures every test folder shares: inner pytest sessions and the conformance check.

The builders and harnesses they use live in ``tests/support`` and import as ``support.*``:
pyproject's ``pythonpath`` option puts ``tests`` on the path for the whole session.
"""

import pytest
from support.conformance import Conformance
from support.inner import INNER_CONFTEST


@pytest.fixture
def inner(pytester):
    """A pytester directory whose inner tests can import the flow builders, with no network."""
    pytester.makeconftest(INNER_CONFTEST)
    return pytester


@pytest.fixture
def check():
    """Calls operations and checks each answer against botocore's output shape."""
    return Conformance()
