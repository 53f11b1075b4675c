"""pytest hooks and fixtures: thin wiring, no decisions.

Only ``pytest`` is imported at plugin load; botocore and boto3 load the first time a test asks
for a fixture (pydantic the first time there is configuration to check), so projects that do
not use the plugin pay nothing for it.
"""

from __future__ import annotations

import functools
import importlib.machinery
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest

from .services import FAILURE_MARKERS

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from mypy_boto3_cleanroomsml import CleanRoomsMLClient
    from mypy_boto3_personalize import PersonalizeClient
    from mypy_boto3_personalize_events import PersonalizeEventsClient
    from mypy_boto3_personalize_runtime import PersonalizeRuntimeClient

    from .controller import PersonalizeStub
    from .pipeline import Call
    from .server import PersonalizeServer

FAILURE_MARKER_HELP = (
    "{marker}(operation, *, error=None, message=None, status=None, reason=None, times=None, "
    "match=None): make calls of an operation of {services} raise error=, or end the resource "
    "they start in the failed status=/reason="
)

MARKERS = {
    **{
        marker: FAILURE_MARKER_HELP.format(marker=marker, services=" / ".join(services))
        for marker, services in FAILURE_MARKERS.items()
    },
    "personalize_stub": (
        "personalize_stub(region=, account_id=, durations={kind: seconds}, "
        "quotas={quota key: limit}, virtual_sleep=False, advance_per_call=0, "
        "assert_all_failures_fired=True, wire=False): "
        "configure the AWS Personalize / Clean Rooms ML fake for this test"
    ),
}
"""Every marker the plugin registers, with its help text."""


def pytest_addoption(parser: pytest.Parser) -> None:
    from .options import INI_OPTIONS, SESSION_OPTIONS

    for name, (help_text, kind, *default) in {**INI_OPTIONS, **SESSION_OPTIONS}.items():
        defaults = {"default": default[0]} if default else {}
        parser.addini(f"personalize_stub_{name}", help_text, type=kind, **defaults)  # type: ignore[arg-type]


_import_time = pytest.StashKey[tuple[dict[str, str], list[Any]]]()


class _PlainImports:
    """Imports the plugin's own modules with Python's own loader, ahead of pytest's assertion
    rewriting.

    pytest rewrites the asserts of every module of a plugin's distribution, parsing and
    compiling each from source and caching the result beside it. Where it cannot write that
    cache (``PYTHONDONTWRITEBYTECODE``, a read-only install) and on the first run after an
    install (a fresh CI container), every process, and every xdist worker, pays it again:
    a quarter of a second for this plugin's modules. They hold no assert a test's report needs,
    so they load as Python loads them anywhere else: from the bytecode an install wrote (pip
    writes it for a wheel), or from source without the rewriting pass. The user's test modules
    and conftests are rewritten as before.
    """

    PREFIX = f"{__package__}."

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """The spec Python's path finder gives one of the plugin's modules, None for others."""
        if path is None or not name.startswith(self.PREFIX):
            return None
        return importlib.machinery.PathFinder.find_spec(name, path, target)


def _import_plainly(config: pytest.Config) -> None:
    """Put :class:`_PlainImports` ahead of pytest's hook until ``config`` is done."""
    finder = _PlainImports()
    sys.meta_path.insert(0, finder)

    def remove() -> None:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)

    config.add_cleanup(remove)


def pytest_configure(config: pytest.Config) -> None:
    _import_plainly(config)
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    try:
        early = config.getini("personalize_stub_import_time_clients")
    except (ValueError, pytest.UsageError) as error:
        raise pytest.UsageError(
            f"personalize_stub_import_time_clients: {error} (use true or false)"
        ) from None
    if early:
        from .activation import dummy_environment
        from .intercept import guard_the_session

        region = config.getini("personalize_stub_region") or "us-east-1"
        config.stash[_import_time] = (dummy_environment(region), guard_the_session())


def pytest_unconfigure(config: pytest.Config) -> None:
    set_up = config.stash.get(_import_time, None)
    if set_up is not None:
        from .activation import remove_variables
        from .intercept import unguard_the_session

        variables, guards = set_up
        unguard_the_session(guards)
        remove_variables(variables)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give the fake to tests that carry one of its markers without asking for it (a test
    without them pays nothing for the plugin)."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None or "personalize_stub" in names:
            continue
        if any(item.get_closest_marker(name) for name in MARKERS):
            names.insert(0, "personalize_stub")


@pytest.fixture
def personalize_stub() -> Iterator[PersonalizeStub]:
    """The controller of the in-memory Personalize / Clean Rooms ML fake for this test.

    While it is active, every botocore client of the four services is served by the fake,
    whoever made it; other services pass through untouched. Each test starts from an empty
    account, configured by the ``personalize_stub`` marker over the ini options. Bad
    configuration or failure markers are reported as a setup error.
    """
    engine = _engine()
    item = _running[-1]
    try:
        stub: PersonalizeStub | None = engine.stub_for(item, item.config)
    except engine.usage_error as error:
        stub, problem = None, str(error)
    if stub is None:
        # Outside the except block, so the report shows the message alone, unchained.
        pytest.fail(problem, pytrace=False)
    plugins = item.config.pluginmanager
    if not plugins.has_plugin(_REPORTS):
        plugins.register(_Reports(), _REPORTS)
    item.stash[_stub_of] = stub
    with engine.activated(stub, item.nodeid):
        yield stub
    if stub.config.assert_all_failures_fired and not item.stash.get(_test_failed, False):
        try:
            stub.assert_all_failures_fired()
        except AssertionError as unused:
            problem = str(unused)
        else:
            return
        pytest.fail(problem, pytrace=False)


_stub_of = pytest.StashKey["PersonalizeStub"]()
"""The fake a test used, for its report."""
_test_failed = pytest.StashKey[bool]()
"""Whether the test's own body failed."""


class _Reports:
    """The report hook, registered when a test first uses the fake (a run that never does
    pays nothing for it)."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Note whether the test itself failed (the unused-rule check then stays quiet), and
        give a failed report of a test that used the fake the section ``personalize-stub
        calls``.

        On the logged report rather than in a ``pytest_runtest_makereport`` wrapper, which
        costs pluggy twice as much at each of a test's three phases; first, so the section is
        on the report before xdist's worker sends it on or the terminal and junitxml record it.
        """
        if not _running:
            return
        item = _running[-1]
        stub = item.stash.get(_stub_of, None)
        if stub is None or item.nodeid != report.nodeid:
            return
        if report.when == "call":
            item.stash[_test_failed] = report.failed
        if report.failed:
            report.sections.append(("personalize-stub calls", calls_section(stub.calls)))
        if report.when == "teardown":
            # The session keeps its items: let the test's whole account go with its test.
            del item.stash[_stub_of]


_REPORTS = "personalize_stub_reports"
"""The name :class:`_Reports` is registered under."""


def calls_section(calls: list[Call]) -> str:
    """The recorded calls, one a line, numbered (the report section's text)."""
    if not calls:
        return "no calls were made to the fake"
    width = len(str(len(calls)))
    return "\n".join(f"{index:>{width}}. {call!r}" for index, call in enumerate(calls, 1))


_running: list[pytest.Item] = []
"""The tests being run, innermost last (a pytester run inside a test nests its own)."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    """Keep the test being run at hand for the ``personalize_stub`` fixture, and once the
    test is over, sweep away what a later undo (such as ``monkeypatch``'s) brought back of
    the fake it used.

    The fixture finds its test here rather than by asking for ``request``: pytest makes a
    new fixture definition for each ``request`` asked for, three a test (its setup inspects
    a function's signature each time).
    """
    _running.append(item)
    yield
    _running.pop()
    activation = sys.modules.get("pytest_personalize_stub.activation")
    if activation is not None:
        activation.sweep()


def _client(stub: PersonalizeStub, service: str) -> Any:
    """The pooled client of ``service`` in the stub's region (typed by the fixture using it)."""
    return _engine().fixture_client(service, stub.config.region)


class _Engine(NamedTuple):
    """What the fixtures call in the fake's modules."""

    stub_for: Callable[[pytest.Item, pytest.Config], PersonalizeStub]
    activated: Callable[[PersonalizeStub, str], AbstractContextManager[PersonalizeStub]]
    usage_error: type[Exception]
    fixture_client: Callable[[str, str], BaseClient]


@functools.cache
def _engine() -> _Engine:
    """The fake's modules, imported the first time a test asks for a fixture (botocore loads
    with them). Once: an import statement runs the import system each time,
    some microseconds, and the fixtures run at every test."""
    from .clients import fixture_client
    from .errors import UsageError
    from .intercept import activated
    from .markers import stub_for

    return _Engine(stub_for, activated, UsageError, fixture_client)


@pytest.fixture
def personalize_client(personalize_stub: PersonalizeStub) -> PersonalizeClient:
    """A boto3 ``personalize`` client in the configured region, served by the fake."""
    client: PersonalizeClient = _client(personalize_stub, "personalize")
    return client


@pytest.fixture
def cleanroomsml_client(personalize_stub: PersonalizeStub) -> CleanRoomsMLClient:
    """A boto3 ``cleanroomsml`` client in the configured region, served by the fake."""
    client: CleanRoomsMLClient = _client(personalize_stub, "cleanroomsml")
    return client


@pytest.fixture
def personalize_runtime_client(personalize_stub: PersonalizeStub) -> PersonalizeRuntimeClient:
    """A boto3 ``personalize-runtime`` client in the configured region, served by the fake."""
    client: PersonalizeRuntimeClient = _client(personalize_stub, "personalize-runtime")
    return client


@pytest.fixture
def personalize_events_client(personalize_stub: PersonalizeStub) -> PersonalizeEventsClient:
    """A boto3 ``personalize-events`` client in the configured region, served by the fake."""
    client: PersonalizeEventsClient = _client(personalize_stub, "personalize-events")
    return client


@pytest.fixture
def personalize_server(personalize_stub: PersonalizeStub) -> Iterator[PersonalizeServer]:
    """The test's fake behind a real HTTP endpoint on ``127.0.0.1`` and a free port.

    ``.endpoint_url`` is what any SDK or the AWS CLI takes as its endpoint (all four services
    answer on it, each in its own protocol); ``.stub`` is the test's ``personalize_stub``, so
    HTTP clients and in-process clients share one account. Needs the ``server`` extra.
    """
    try:
        from .server import PersonalizeServer
    except ImportError as missing:
        pytest.fail(
            f"personalize_server needs waitress ({missing}): "
            'pip install "pytest-personalize-stub[server]"',
            pytrace=False,
        )
    with PersonalizeServer(personalize_stub) as server:
        yield server
