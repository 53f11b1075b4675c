"""The object behind the ``personalize_stub`` fixture: the user's handle on one fake account.

It holds the clock, the failure rules, the recorded calls and the account's state, and
delegates serving calls to its :class:`~.pipeline.Pipeline`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, overload

from botocore.client import BaseClient

from . import clients
from .account import Account
from .builders import Builders
from .clock import Clock
from .config import StubConfig
from .errors import UsageError
from .faults import FailureRule, RuleChecker
from .pipeline import Call, Pipeline
from .services import FAILURE_MARKERS, MARKER_OF, PERSONALIZE, SERVICE_NAMES
from .services.registry import SERVICES

if TYPE_CHECKING:
    from mypy_boto3_cleanroomsml import CleanRoomsMLClient
    from mypy_boto3_personalize import PersonalizeClient
    from mypy_boto3_personalize_events import PersonalizeEventsClient
    from mypy_boto3_personalize_runtime import PersonalizeRuntimeClient

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

SETTLE_GENERATIONS = 100
"""settle() gives up once it applies a change of a later generation than this (a change made
by a change made by a change..., see :class:`~.lifecycle.Timeline`): the fake's own chains
are a few generations long, so such a schedule feeds itself and would never end. However
many changes are waiting, or one change makes, they take as long as they take."""


class PersonalizeStub:
    """Controls the in-memory fake for one test.

    While active, every botocore client of ``personalize``, ``cleanroomsml``,
    ``personalize-runtime`` and ``personalize-events`` is served from this object's state,
    including clients the code under test makes itself with ``boto3.client(...)``.
    """

    def __init__(self, config: StubConfig | None = None, *, still_clock: bool = False) -> None:
        self.config = config or StubConfig()
        """The test's settings: the ``personalize_stub`` marker over the ini options."""
        self.clock = Clock(still=still_clock)
        """The fake's time: ``clock.now()``, ``clock.advance(...)``; statuses move with it."""
        self.pipeline = Pipeline(self.config, self.clock)
        """What serves the calls of every transport from this fake's account."""
        self._rules = RuleChecker(SERVICES, clients.service_model)

    @property
    def build(self) -> Builders:
        """The documented chains of resources, made in one call and settled
        (``build.campaign()``, ``build.recommender()``, ...)."""
        return Builders(self)

    def reset(self) -> None:
        """Start again from an empty account: no resources, calls or failure rules, and a
        clock that reads the time again (the server's ``POST /_stub/reset``)."""
        with self.pipeline.lock:
            self.clock = Clock(still=self.clock.still)
            self.pipeline = Pipeline(self.config, self.clock)

    @property
    def calls(self) -> list[Call]:
        """Every call served while the fake was active, oldest first."""
        return self.pipeline.calls

    def settle(self) -> datetime:
        """Move time forward until no resource is in a transitional status; return the new now.

        Status changes are applied one after another, each at its own instant. Background
        schedules (automatic training, an ML input channel's retention) are not waited for.
        A schedule that never ends (changes that keep scheduling changes, more than
        ``SETTLE_GENERATIONS`` deep) makes it raise ``RuntimeError`` naming what was still to
        come; a large one that ends (100,000 resources in flight, a change that starts
        thousands) is waited for.
        """
        with self.pipeline.lock:
            timeline = self.pipeline.account.timeline
            timeline.deepest = 0
            applied = timeline.run_until(self.clock.time())
            while (due := timeline.next_due()) is not None:
                if timeline.deepest > SETTLE_GENERATIONS:
                    upcoming = "; ".join(timeline.upcoming(3))
                    raise RuntimeError(
                        f"settle() gave up after {applied} status changes: changes keep "
                        f"scheduling new ones, {timeline.deepest} generations deep "
                        f"({timeline.waiting} still to come, next: {upcoming})"
                    )
                self.clock.advance_to(due)
                applied += timeline.run_until(max(due, self.clock.time()))
            return self.clock.now()

    def fail(
        self,
        operation: str,
        *,
        service: str = "personalize",
        error: str | None = None,
        message: str | None = None,
        status: str | None = None,
        reason: str | None = None,
        times: int | None = None,
        match: Mapping[str, Any] | None = None,
    ) -> None:
        """Make matching calls fail from now on, exactly as the failure markers do.

        ``operation`` is PascalCase or snake_case, looked up in ``service``; the default,
        ``personalize``, also covers ``personalize-runtime`` and ``personalize-events``.
        ``error=`` makes the call raise that code (``message=`` words it); ``status=`` and
        ``reason=`` let the call succeed and end the resource it starts in that failed status.
        ``times=`` limits how many calls fail, ``match=`` picks calls by their parameters.
        Mistakes raise ``UsageError``.
        """
        if service not in SERVICE_NAMES:
            raise UsageError(
                f"fail(): unknown service {service!r}; allowed: {', '.join(SERVICE_NAMES)}"
            )
        families = FAILURE_MARKERS[MARKER_OF[service]] if service == PERSONALIZE else (service,)
        arguments = {
            "error": error,
            "message": message,
            "status": status,
            "reason": reason,
            "times": times,
            "match": match,
        }
        self.add_rule(self.rule("fail()", (operation,), arguments, families))

    def rule(
        self,
        source: str,
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        families: tuple[str, ...],
    ) -> FailureRule:
        """A checked failure rule (UsageError names what is wrong)."""
        given = {key: value for key, value in kwargs.items() if value is not None}
        return self._rules.rule(source, args, given, families)

    def add_rule(self, rule: FailureRule) -> None:
        """Add a checked failure rule."""
        with self.pipeline.lock:
            self.pipeline.faults.add(rule)

    def assert_all_failures_fired(self) -> None:
        """Raise ``AssertionError`` naming every failure rule (marker or ``fail()``) that made
        fewer calls fail than it was set up for: never, or fewer than its ``times=``.

        The fixture and ``mock_personalize`` run this when they end, unless the configuration
        says ``assert_all_failures_fired=False``.
        """
        with self.pipeline.lock:
            unfired = self.pipeline.faults.unfired()
        if unfired:
            rules = "\n".join(f"  {rule.shortfall()}" for rule in unfired)
            raise AssertionError(
                f"pytest-personalize-stub: {len(unfired)} failure rule"
                f"{' was' if len(unfired) == 1 else 's were'} not used up:\n{rules}\n"
                "Remove the rule, make the code under test call what it names, or turn this "
                "check off with assert_all_failures_fired=False."
            )

    @overload
    def client(self, service: Literal["personalize"], **kwargs: Any) -> PersonalizeClient: ...
    @overload
    def client(self, service: Literal["cleanroomsml"], **kwargs: Any) -> CleanRoomsMLClient: ...
    @overload
    def client(
        self, service: Literal["personalize-runtime"], **kwargs: Any
    ) -> PersonalizeRuntimeClient: ...
    @overload
    def client(
        self, service: Literal["personalize-events"], **kwargs: Any
    ) -> PersonalizeEventsClient: ...
    @overload
    def client(self, service: str, **kwargs: Any) -> BaseClient: ...
    def client(self, service: str, **kwargs: Any) -> Any:
        """A new boto3 client for ``service`` in the configured region.

        Clients of the four faked services are served by this fake; any other service's
        client goes to botocore (or moto) untouched. With the ``typing`` extra installed, type checkers see the mypy-boto3 client type of
        each of the four services (``PersonalizeClient``, ``CleanRoomsMLClient``, ...).
        """
        region = kwargs.pop("region_name", self.config.region)
        return clients.new_client(service, region, **kwargs)

    def set_recommendations(self, arn: str, items: list[str]) -> None:
        """Make a campaign or recommender recommend ``items`` (in this order) from now on."""
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise UsageError("set_recommendations(): items must be a list of item id strings")
        from .services.personalize_runtime import set_recommendations

        with self.pipeline.lock:
            set_recommendations(self.pipeline.account, arn, items)

    def join_collaboration(self, membership_id: str, collaboration_id: str) -> None:
        """Put a Clean Rooms membership in a collaboration (several may share one).

        Unless placed here, every membership belongs to a collaboration of its own, derived
        from its id.
        """
        from .services.cleanroomsml.common import join_collaboration

        for name, value in (("membership", membership_id), ("collaboration", collaboration_id)):
            if not isinstance(value, str) or not _UUID.fullmatch(value):
                raise UsageError(
                    f"join_collaboration(): the {name} id must be a UUID, not {value!r}"
                )
        with self.pipeline.lock:
            join_collaboration(self.pipeline.account, membership_id, collaboration_id)

    @property
    def state(self) -> Account:
        """The fake account (resources and timeline), for inspection."""
        return self.pipeline.account
