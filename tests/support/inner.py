"""Running inner pytest sessions (pytester) the way a user's project would run them."""

from __future__ import annotations

INNER_CONFTEST = """
import socket

import pytest
from botocore.client import BaseClient

ORIGINAL_MAKE_API_CALL = BaseClient.__dict__["_make_api_call"]
\"\"\"botocore's own method, taken before any test of this session activated the fake.\"\"\"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("a test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
"""
"""The inner sessions' conftest: no network. The inner sessions run in-process, so they import
``support.*`` through the path the outer session's ``pythonpath`` option set up."""

UNRELATED_PLUGINS = ("-p", "no:hypothesispytest", "-p", "no:benchmark", "-p", "no:cacheprovider")
"""Plugins the inner sessions do not need (they only slow each inner run down)."""


def run_inner(pytester, *args):
    """Run the inner session in-process, without the plugins it does not need."""
    return pytester.runpytest(*UNRELATED_PLUGINS, *args)


def assert_clean_setup_error(result, *patterns):
    """One ERROR at setup, with the given message lines and no traceback from the plugin."""
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of*", *patterns])
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output
    assert "pytest_personalize_stub/" not in output
    assert "pytest_personalize_stub\\" not in output


def run_marked(pytester, marker):
    """Run one inner test that carries ``marker`` and asks for the fake."""
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.{marker}
        def test_marked(personalize_stub):
            pass
        """
    )
    return run_inner(pytester)
