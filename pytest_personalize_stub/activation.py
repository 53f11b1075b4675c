"""Turning a fake on and off: what it changes in the process, and undoing exactly that.

While a fake is active, botocore's ``BaseClient._make_api_call`` is patched, clients the code
under test makes find dummy credentials and a region in the environment, and, with
``virtual_sleep``, ``time.sleep`` moves the fake clock. When it stops, each change is undone
only where it still stands as the fake left it: a variable someone else changed since is
theirs, a patch someone else laid over the fake's is theirs to undo. Whatever such a later
undo brings back (``monkeypatch`` restoring the fake's patch after the fake ended) is swept
away at the end of the test's teardown by :func:`sweep`.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import weakref
from typing import TYPE_CHECKING, Any, SupportsIndex

from botocore.client import BaseClient

from .clock import sleep_seconds
from .errors import UsageError

if TYPE_CHECKING:
    from .controller import PersonalizeStub

DUMMY_KEY = "testing"
"""The access key and secret the fake puts in the environment when there are none."""

ORIGINAL_MAKE_API_CALL = BaseClient._make_api_call  # type: ignore[attr-defined]
"""botocore's own method, as it was when this module was first imported."""


class FakeEnded(RuntimeError):
    """A call from a thread that outlived the fake of the test that started it."""


class VirtualSleep:
    """``time.sleep`` while ``virtual_sleep`` is on: moves the fake clock instead of sleeping."""

    def __init__(self, stub: PersonalizeStub, original: Any) -> None:
        self.stub = stub
        self.original = original
        """The ``time.sleep`` this one replaced."""

    def __call__(self, seconds: float | SupportsIndex) -> None:
        """Advance the fake clock by ``seconds`` (refused as ``time.sleep`` refuses, and NaN
        or infinity too)."""
        self.stub.clock.advance(seconds=sleep_seconds(seconds))


class Activation:
    """One fake made active: the patches, variables and sessions it changed, to undo exactly."""

    def __init__(self, stub: PersonalizeStub, owner: str, patch: Any) -> None:
        self.stub = stub
        self.owner = owner
        """Who activated the fake, for messages (a test's node id, ``mock_personalize()``)."""
        self._patch = patch
        self._variables: dict[str, str] = {}
        self._sleep: VirtualSleep | None = None
        self._threads: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
        self._default_session: Any = None
        self._had_credentials = False

    def start(self) -> None:
        """Make the fake serve every client of its services; UsageError if one already does."""
        global _current
        if _current is not None:
            raise UsageError(
                f"a fake is already active (started by {_current.owner}); only one can be "
                "active at a time: stop it first"
            )
        sweep()
        self._threads.update(threading.enumerate())
        self._remember_default_session()
        _current = self
        BaseClient._make_api_call = self._patch  # type: ignore[attr-defined]
        if not os.environ.get("AWS_ACCESS_KEY_ID"):
            self._set_variable("AWS_ACCESS_KEY_ID", DUMMY_KEY)
            self._set_variable("AWS_SECRET_ACCESS_KEY", DUMMY_KEY)
        if not os.environ.get("AWS_DEFAULT_REGION") and not os.environ.get("AWS_REGION"):
            self._set_variable("AWS_DEFAULT_REGION", self.stub.config.region)
        if self.stub.config.virtual_sleep:
            self._sleep = VirtualSleep(self.stub, time.sleep)
            time.sleep = self._sleep

    def stop(self) -> None:
        """Undo what :meth:`start` changed, where it still stands as the fake left it."""
        global _current
        if _current is self:
            _current = None
        if BaseClient._make_api_call is self._patch:  # type: ignore[attr-defined]
            BaseClient._make_api_call = ORIGINAL_MAKE_API_CALL  # type: ignore[attr-defined]
        if self._sleep is not None and time.sleep is self._sleep:
            time.sleep = self._sleep.original
        self._restore_variables()
        self._restore_default_session()
        for thread in threading.enumerate():
            if thread not in self._threads:
                _orphans[thread] = self.owner
        _residue.append((self._patch, self._variables))

    def _set_variable(self, name: str, value: str) -> None:
        os.environ[name] = value
        self._variables[name] = value

    def _restore_variables(self) -> None:
        _remove_variables(self._variables)

    def _remember_default_session(self) -> None:
        boto3 = sys.modules.get("boto3")
        session = getattr(boto3, "DEFAULT_SESSION", None)
        self._default_session = session
        self._had_credentials = session is not None and session._session._credentials is not None

    def _restore_default_session(self) -> None:
        """boto3's default session as it was: one made while the fake was active is dropped,
        and dummy credentials an older one resolved meanwhile are forgotten."""
        boto3: Any = sys.modules.get("boto3")
        if boto3 is None:
            return
        session = boto3.DEFAULT_SESSION
        if session is not self._default_session:
            boto3.DEFAULT_SESSION = self._default_session
        elif session is not None and not self._had_credentials:
            credentials = session._session._credentials
            if credentials is not None and credentials.access_key in self._variables.values():
                session._session._credentials = None


def _remove_variables(variables: dict[str, str]) -> None:
    """Remove the variables a fake set that still hold the fake's value."""
    for name, value in variables.items():
        if os.environ.get(name) == value:
            del os.environ[name]


_current: Activation | None = None
_residue: list[tuple[Any, dict[str, str]]] = []
"""What ended fakes installed (their patch, the variables they set), until :func:`sweep`."""
_orphans: weakref.WeakKeyDictionary[threading.Thread, str] = weakref.WeakKeyDictionary()
"""Threads still alive when the fake of their test ended, with that fake's owner."""


def current() -> Activation | None:
    """The activation in force, if any."""
    return _current


def check_thread(activation: Activation) -> None:
    """Refuse a call from a thread that a fake other than ``activation`` left behind."""
    if not _orphans:
        return
    thread = threading.current_thread()
    owner = _orphans.get(thread)
    if owner is not None:
        raise FakeEnded(
            f"thread {thread.name!r} was started while the fake of {owner} was active and "
            f"outlived it; its call is refused, not served by the fake of {activation.owner}. "
            "Join the threads a test starts before the test ends."
        )


def sweep() -> None:
    """After a test's teardown: take away what a later undo brought back of ended fakes
    (``monkeypatch`` restoring a patch, a variable or ``time.sleep`` it saw while the fake
    was active)."""
    if _current is not None:
        return
    installed = BaseClient._make_api_call  # type: ignore[attr-defined]
    for patch, variables in _residue:
        if installed is patch:
            BaseClient._make_api_call = ORIGINAL_MAKE_API_CALL  # type: ignore[attr-defined]
        _remove_variables(variables)
    _residue.clear()
    sleep: Any = time.sleep
    while isinstance(sleep, VirtualSleep):
        sleep = time.sleep = sleep.original
