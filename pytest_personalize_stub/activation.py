"""Turning a fake on and off: what it changes in the process, and undoing exactly that.

While a fake is active, its transports' patches are in place (botocore's and aiobotocore's
``_make_api_call``, the network guard on their endpoints), clients the code under test makes
find dummy credentials and a region in the environment, and, with ``virtual_sleep``,
``time.sleep`` and ``asyncio.sleep`` move the fake clock. When it stops, each change is undone
only where it still stands as the fake left it: a variable someone else changed since is
theirs, a patch someone else laid over the fake's is theirs to undo. Whatever such a later
undo brings back (``monkeypatch`` restoring the fake's patch after the fake ended) is swept
away at the end of the test's teardown by :func:`sweep`.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, SupportsIndex

from .clock import sleep_seconds
from .errors import UsageError

if TYPE_CHECKING:
    from .controller import PersonalizeStub

DUMMY_KEY = "testing"
"""The access key and secret the fake puts in the environment when there are none."""


class FakeEnded(RuntimeError):
    """A call from a thread that outlived the fake of the test that started it."""


class Patch:
    """One attribute a fake replaces while it is active: ``make(original)`` builds the
    replacement from what was there when the fake started."""

    def __init__(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        self.owner = owner
        self.name = name
        self.make = make
        self.original: Any = None
        self.replacement: Any = None

    def apply(self) -> None:
        """Put the replacement in place, keeping what it replaces."""
        self.original = getattr(self.owner, self.name)
        self.replacement = self.make(self.original)
        setattr(self.owner, self.name, self.replacement)

    def undo(self) -> None:
        """Put the original back, if the replacement is still what stands there."""
        if self.installed():
            setattr(self.owner, self.name, self.original)

    def installed(self) -> bool:
        """Whether the attribute is still this patch's replacement."""
        return self.replacement is not None and getattr(self.owner, self.name) is self.replacement


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


class VirtualAsyncSleep:
    """``asyncio.sleep`` while ``virtual_sleep`` is on: moves the fake clock, then yields to
    the event loop once, as a real sleep does.

    A negative delay counts as 0, as asyncio counts it; an infinite one sleeps for real (the
    "wait until cancelled" idiom); NaN is refused with ``ValueError``.
    """

    def __init__(self, stub: PersonalizeStub, original: Any) -> None:
        self.stub = stub
        self.original = original
        """The ``asyncio.sleep`` this one replaced."""

    async def __call__(self, delay: float, result: Any = None) -> Any:
        """Advance the fake clock by ``delay`` and yield to the event loop."""
        if isinstance(delay, (int, float)) and math.isinf(delay) and delay > 0:
            return await self.original(delay, result)
        length = sleep_seconds(max(delay, 0) if isinstance(delay, (int, float)) else delay)
        self.stub.clock.advance(seconds=length)
        return await self.original(0, result)


class Activation:
    """One fake made active: the patches, variables and sessions it changed, to undo exactly."""

    in_force: ClassVar[Activation | None] = None
    """The activation in force, if any (:func:`current`)."""

    threads_orphaned: ClassVar[bool] = False
    """Whether any fake ever left a thread behind: until one has, a call need not be
    checked with :func:`check_thread` (a lookup per call saved)."""

    def __init__(self, stub: PersonalizeStub, owner: str, patches: Iterable[Patch]) -> None:
        self.stub = stub
        self.owner = owner
        """Who activated the fake, for messages (a test's node id, ``mock_personalize()``)."""
        self._patches = list(patches)
        self._variables: dict[str, str] = {}
        self._threads: set[threading.Thread] = set()
        """The threads alive when the fake started (held until it stops)."""
        self._default_session: Any = None
        self._had_credentials = False

    def start(self) -> None:
        """Make the fake serve every client of its services; UsageError if one already does."""
        active = Activation.in_force
        if active is not None:
            raise UsageError(
                f"a fake is already active (started by {active.owner}); only one can be "
                "active at a time: stop it first"
            )
        sweep()
        self._threads = set(threading.enumerate())
        self._remember_default_session()
        Activation.in_force = self
        if self.stub.config.virtual_sleep:
            import asyncio  # only here: it costs ~15 ms, which a suite that never sleeps skips

            self._patches += [
                Patch(time, "sleep", lambda original: VirtualSleep(self.stub, original)),
                Patch(asyncio, "sleep", lambda original: VirtualAsyncSleep(self.stub, original)),
            ]
        for patch in self._patches:
            patch.apply()
        self._variables = dummy_environment(self.stub.config.region)

    def stop(self) -> None:
        """Undo what :meth:`start` changed, where it still stands as the fake left it."""
        if Activation.in_force is self:
            Activation.in_force = None
        for patch in reversed(self._patches):
            patch.undo()
        remove_variables(self._variables)
        self._restore_default_session()
        for thread in threading.enumerate():
            if thread not in self._threads:
                _orphans[thread] = self.owner
                Activation.threads_orphaned = True
        self._threads = set()
        _residue.append((self._patches, self._variables))

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


def variable(name: str) -> str | None:
    """``os.environ.get(name)``, without the ``KeyError`` that ``os.environ`` raises and catches
    inside for a name it lacks (about a microsecond each; a test's fake looks up nine names,
    most of them missing). It reads the mapping CPython's ``os.environ`` keeps its variables
    in, and falls back to ``get`` where ``os.environ`` has been replaced by another mapping."""
    environ = os.environ
    data = getattr(environ, "_data", None)
    if not isinstance(data, dict):
        return environ.get(name)
    value = data.get(environ.encodekey(name))
    return None if value is None else environ.decodevalue(value)


def dummy_environment(region: str) -> dict[str, str]:
    """Dummy credentials and ``region`` in the environment where it has none (without them
    botocore would look for credentials up to the instance metadata service, and
    ``boto3.client(...)`` would raise ``NoRegionError``); the variables set, and their values."""
    variables: dict[str, str] = {}
    if not variable("AWS_ACCESS_KEY_ID"):
        variables["AWS_ACCESS_KEY_ID"] = variables["AWS_SECRET_ACCESS_KEY"] = DUMMY_KEY
    if not variable("AWS_DEFAULT_REGION") and not variable("AWS_REGION"):
        variables["AWS_DEFAULT_REGION"] = region
    for name, value in variables.items():
        os.environ[name] = value
    return variables


def remove_variables(variables: dict[str, str]) -> None:
    """Remove the variables that still hold the values :func:`dummy_environment` gave them."""
    for name, value in variables.items():
        if variable(name) == value:
            del os.environ[name]


_residue: list[tuple[list[Patch], dict[str, str]]] = []
"""What ended fakes installed (their patches, the variables they set), until :func:`sweep`."""
_orphans: weakref.WeakKeyDictionary[threading.Thread, str] = weakref.WeakKeyDictionary()
"""Threads still alive when the fake of their test ended, with that fake's owner."""


def current() -> Activation | None:
    """The activation in force, if any."""
    return Activation.in_force


def check_thread(activation: Activation) -> None:
    """Refuse a call from a thread that a fake other than ``activation`` left behind (only
    needed once :attr:`Activation.threads_orphaned`)."""
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
    if Activation.in_force is not None:
        return
    for patches, variables in _residue:
        for patch in reversed(patches):
            patch.undo()
        remove_variables(variables)
    _residue.clear()
