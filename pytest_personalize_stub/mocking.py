"""The fake outside pytest: ``mock_personalize`` as a context manager, a decorator of functions
and of classes (``unittest.TestCase`` ones included), or started and stopped by hand."""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable
from typing import Any, TypeVar

from .activation import Activation
from .config import StubConfig, build_config
from .controller import PersonalizeStub
from .errors import UsageError
from .intercept import patches
from .services.registry import QUOTA_KEYS, RESOURCE_KINDS

Decorated = TypeVar("Decorated", bound=Callable[..., Any])


class mock_personalize:
    """The in-memory Personalize / Clean Rooms ML fake, outside pytest or inside it.

    Takes the keyword arguments of the ``personalize_stub`` marker (``region``,
    ``account_id``, ``durations``, ``quotas``, ``virtual_sleep``, ``advance_per_call``,
    ``assert_all_failures_fired``, ``wire``), checked the same way.

    - ``with mock_personalize() as stub:`` serves the faked services in the block; ``stub`` is
      the controller the ``personalize_stub`` fixture gives (clock, ``settle()``, ``fail()``,
      ``calls``, ...).
    - ``@mock_personalize()`` on a function (or coroutine function) serves each call with a
      fresh account; on a ``unittest.TestCase`` class each test method gets a fresh account,
      from before ``setUp`` until after ``tearDown`` and its cleanups, as
      ``self.personalize_stub``; on another class, each ``test*`` method does.
    - ``fake = mock_personalize(); fake.start(); ...; fake.stop()``; while started, the
      controller's attributes are reachable on ``fake`` itself (``fake.settle()``).

    Only one fake is active at a time: starting a second one while another is active (nested,
    or the ``personalize_stub`` fixture's) is a ``UsageError``.
    """

    def __init__(self, **config: Any) -> None:
        self.config: StubConfig = build_config(
            {}, config, RESOURCE_KINDS, QUOTA_KEYS, source="mock_personalize()"
        )
        """The settings every account this mock starts is made with."""
        self.stub: PersonalizeStub | None = None
        """The controller of the account in use while started, else None."""
        self._activation: Activation | None = None

    def start(self) -> PersonalizeStub:
        """Serve the faked services from a fresh account until :meth:`stop`; its controller."""
        if self._activation is not None:
            raise UsageError("mock_personalize(): already started; stop() it before starting again")
        stub = PersonalizeStub(self.config)
        activation = Activation(stub, "mock_personalize()", patches())
        activation.start()
        self._activation, self.stub = activation, stub
        return stub

    def stop(self) -> None:
        """Stop serving; botocore and the environment are as they were before :meth:`start`.
        Then, unless ``assert_all_failures_fired=False``, an ``AssertionError`` names every
        failure rule that was not used up."""
        self._stop(check=True)

    def __enter__(self) -> PersonalizeStub:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        # A block that raised keeps its own exception, with no rule check on top of it.
        self._stop(check=exc_type is None)

    def _stop(self, *, check: bool) -> None:
        activation, stub = self._activation, self.stub
        if activation is None or stub is None:
            raise UsageError("mock_personalize(): stop() without start()")
        self._activation, self.stub = None, None
        activation.stop()
        if check and stub.config.assert_all_failures_fired:
            stub.assert_all_failures_fired()

    def __getattr__(self, name: str) -> Any:
        stub = self.__dict__.get("stub")
        if stub is None:
            raise AttributeError(
                f"mock_personalize has no attribute {name!r} (the controller's attributes are "
                "reachable only while it is started)"
            )
        return getattr(stub, name)

    def __call__(self, target: Decorated) -> Decorated:
        """Decorate a function, a coroutine function or a class (see the class docstring)."""
        if isinstance(target, type):
            return self._decorate_class(target)  # type: ignore[return-value]
        if inspect.iscoroutinefunction(target):

            @functools.wraps(target)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await target(*args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(target)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return target(*args, **kwargs)

        return run  # type: ignore[return-value]

    def _decorate_class(self, cls: type) -> type:
        if issubclass(cls, unittest.TestCase):
            set_up = cls.setUp
            mock = self

            def setUp(test: unittest.TestCase) -> None:
                stub = mock.start()
                test.addCleanup(mock.stop)
                test.personalize_stub = stub  # type: ignore[attr-defined]
                set_up(test)

            cls.setUp = setUp  # type: ignore[assignment,method-assign]
            return cls
        for name, member in list(vars(cls).items()):
            if name.startswith("test") and callable(member):
                setattr(cls, name, self(member))
        return cls
