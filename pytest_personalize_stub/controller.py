"""The object behind the ``personalize_stub`` fixture: clock, failures, calls and state."""

from __future__ import annotations

import re
import threading
from collections.abc import Hashable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, overload

from botocore.client import BaseClient
from botocore.model import OperationModel

from . import clients
from .clock import Clock
from .config import StubConfig
from .engine import Body, Request, State
from .errors import (
    ServiceError,
    UsageError,
    ValidationProblem,
    response_metadata,
    validation_message,
)
from .faults import FAMILIES, SERVICES, Catalog, FailureRule, Faults
from .responses import output_projector
from .services import SERVICES as FAKE_SERVICES
from .validation import checker_for, flat_key, normalizer_for, remember

if TYPE_CHECKING:
    from mypy_boto3_cleanroomsml import CleanRoomsMLClient
    from mypy_boto3_personalize import PersonalizeClient
    from mypy_boto3_personalize_events import PersonalizeEventsClient
    from mypy_boto3_personalize_runtime import PersonalizeRuntimeClient

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

SETTLE_FACTOR = 10
SETTLE_SLACK = 10_000
"""settle() gives up after SETTLE_FACTOR status changes per change waiting when it began,
plus SETTLE_SLACK: more than that, the schedule feeds itself and would never end."""


class Call:
    """One recorded API call and its outcome."""

    __slots__ = ("error", "operation", "params", "response", "service")

    def __init__(self, service: str, operation: str, params: dict[str, Any]) -> None:
        self.service = service
        """The botocore service name, e.g. ``personalize`` or ``cleanroomsml``."""
        self.operation = operation
        """The operation's API name in PascalCase, e.g. ``CreateCampaign``."""
        self.params = params
        """The parameters as the code passed them."""
        self.response: dict[str, Any] | None = None
        """The answer the code received, or None when the call raised."""
        self.error: BaseException | None = None
        """What the call raised (``ClientError``, ``ParamValidationError``, ...), or None."""

    def __repr__(self) -> str:
        outcome = f"error={self.error!r}" if self.error is not None else "ok"
        return f"<Call {self.service}.{self.operation} {outcome}>"


class PersonalizeStub:
    """Controls the in-memory fake for one test.

    While active, every botocore client of ``personalize``, ``cleanroomsml``,
    ``personalize-runtime`` and ``personalize-events`` is served from this object's state,
    including clients the code under test makes itself with ``boto3.client(...)``.
    """

    def __init__(self, config: StubConfig | None = None) -> None:
        self.config = config or StubConfig.model_validate({})
        """The test's settings: the ``personalize_stub`` marker over the ini options."""
        self.clock = Clock()
        """The fake's time: ``clock.now()``, ``clock.advance(...)``; statuses move with it."""
        self.calls: list[Call] = []
        """Every call served while the fake was active, oldest first."""
        self._state = State(
            self.config.region,
            self.config.account_id,
            self.config.durations,
            self.config.quotas,
        )
        self._faults = Faults()
        self._catalog = Catalog(FAKE_SERVICES, clients.service_model)
        self._lock = threading.Lock()

    def settle(self) -> datetime:
        """Move time forward until no resource is in a transitional status; return the new now.

        Status changes are applied one after another, each at its own instant. Background
        schedules (automatic training, an ML input channel's retention) are not waited for.
        A schedule that never ends (changes that keep scheduling changes) makes it raise
        ``RuntimeError`` naming what was still to come.
        """
        with self._lock:
            timeline = self._state.timeline
            timeline.run_until(self.clock.time())
            limit = SETTLE_FACTOR * timeline.waiting + SETTLE_SLACK
            applied = 0
            while (due := timeline.next_due()) is not None:
                if applied > limit:
                    upcoming = "; ".join(timeline.upcoming(3))
                    raise RuntimeError(
                        f"settle() gave up after {applied} status changes: changes keep "
                        f"scheduling new ones ({timeline.waiting} still to come, next: "
                        f"{upcoming})"
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
        if service not in SERVICES:
            raise UsageError(f"fail(): unknown service {service!r}; allowed: {', '.join(SERVICES)}")
        families = FAMILIES["personalize_fail"] if service == "personalize" else (service,)
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
        return self._catalog.rule(source, args, given, families)

    def add_rule(self, rule: FailureRule) -> None:
        """Add a checked failure rule."""
        with self._lock:
            self._faults.add(rule)

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

    def answer(self, service_name: str, operation: OperationModel, params: dict[str, Any]) -> Body:
        """Serve one validated call: catch the clock up, inject, validate, handle, shape."""
        name = operation.name
        plan = _plans.get((service_name, name))
        if plan is None:
            plan = _plans[(service_name, name)] = _Plan(service_name, operation)
        with self._lock:
            now = self.clock.time()
            self._state.timeline.run_until(now)
            rule = self._faults.take(service_name, name, params)
            if rule is not None and rule.error is not None:
                rule.use()
                raise ServiceError(rule.error, rule.error_message)
            served = plan.served
            if served is None:
                raise NotImplementedError(
                    f"pytest-personalize-stub does not implement {service_name}.{name} yet"
                )
            key = flat_key(params)
            if key is None or key not in plan.passed:
                problems: list[ValidationProblem] = []
                plan.check(params, "", problems)
                if problems:
                    raise ServiceError(plan.validation_error, validation_message(problems))
                if key is not None:
                    remember(plan.passed, key)
            if plan.normalize is not None:
                params = plan.normalize(params)
            for documented in served.rules:
                if documented.broken(params):
                    raise ServiceError(plan.validation_error, documented.message)
            failure = rule.reason if rule is not None else None
            body = served.handler(Request(self._state, name, params, now, failure))
            if rule is not None:
                rule.use()
            answer: Body = plan.project(body)
        answer["ResponseMetadata"] = response_metadata()
        return answer

    def set_recommendations(self, arn: str, items: list[str]) -> None:
        """Make a campaign or recommender recommend ``items`` (in this order) from now on."""
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise UsageError("set_recommendations(): items must be a list of item id strings")
        with self._lock:
            self._state.recommendations[arn] = list(items)

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
        with self._lock:
            join_collaboration(self._state, membership_id, collaboration_id)

    @property
    def state(self) -> State:
        """The fake account's state (resources and timeline), for inspection."""
        return self._state


class _Plan:
    """How one operation is served, worked out once: handler, input check, output projection."""

    __slots__ = ("check", "normalize", "passed", "project", "served", "validation_error")

    def __init__(self, service_name: str, operation: OperationModel) -> None:
        service = FAKE_SERVICES[service_name]
        self.served = service.operations.get(operation.name)
        self.validation_error = service.dialect.validation_error
        shape = operation.input_shape
        self.check = checker_for(service_name, shape) if shape is not None else _accept
        self.normalize = normalizer_for(service_name, shape) if shape is not None else None
        self.project = output_projector(service_name, operation)
        self.passed: set[Hashable] = set()
        """Flat parameters that already passed the server-side check."""


def _accept(value: Any, path: str, problems: list[ValidationProblem]) -> None:
    """The input check of an operation that takes no input."""


_plans: dict[tuple[str, str], _Plan] = {}
