"""The one way a call of a faked service is served, whatever brought it: ``(service,
operation, params)`` in, the documented answer or the service's error out.

A transport (the botocore patch, the async patch, the HTTP server, the wire mode) only
turns its own form of a call into these three and the answer back (the botocore patches
hand over the operation's :class:`Plan`, looked up once per client, in place of the two
names); the pipeline owns the rest: the call record, botocore's client-side validation when
the caller's client does it, injected failures, the clock, the service-side checks, the
handler and the answer's shape.
"""

from __future__ import annotations

import reprlib
import threading
from collections.abc import Callable, Hashable
from typing import Any

from botocore.model import OperationModel

from . import clients
from .account import Account, InjectedFailure, Request
from .clock import Clock
from .config import StubConfig
from .declarations import Body
from .errors import (
    ServiceError,
    ValidationProblem,
    add_notes,
    request_numbers,
    response_metadata,
    validation_message,
)
from .faults import Faults
from .operations import Served
from .projection import output_copier, output_projector
from .services.registry import SERVICES
from .validation import (
    Normalizer,
    alike_key_for,
    checker_for,
    flat_key,
    normalizer_for,
    remember,
    validate_client_side,
)


class Call:
    """One recorded API call and its outcome.

    A call the fast path answers keeps its answer compactly: the projection it was copied
    from (shared with the stored resource while that is unchanged, and with the calls before
    it that got the same answer) and the number of its request id; ``response`` gives a fresh
    copy of what the code received each time it is read (:meth:`Pipeline.serve` sets these
    directly). A polling loop of a million describes so keeps about a hundred bytes a call."""

    __slots__ = ("_copy", "_kept", "_request", "error", "operation", "params", "service")

    def __init__(self, service: str, operation: str, params: dict[str, Any]) -> None:
        self.service = service
        """The botocore service name, e.g. ``personalize`` or ``cleanroomsml``."""
        self.operation = operation
        """The operation's API name in PascalCase, e.g. ``CreateCampaign``."""
        self.params = params
        """The parameters as the code passed them."""
        self.error: BaseException | None = None
        """What the call raised (``ClientError``, ``ParamValidationError``, ...), or None."""
        self._kept: dict[str, Any] | None = None
        self._copy: Callable[[Any], Any] | None = None
        self._request = 0

    @property
    def response(self) -> dict[str, Any] | None:
        """The answer the code received, or None when the call raised."""
        kept, copy = self._kept, self._copy
        if kept is None or copy is None:
            return kept
        answer: dict[str, Any] = copy(kept)
        answer["ResponseMetadata"] = response_metadata(self._request)
        return answer

    @response.setter
    def response(self, answer: dict[str, Any] | None) -> None:
        self._kept, self._copy = answer, None

    @property
    def outcome(self) -> str:
        """``ok``, the error code of a service error, or the name of what else was raised."""
        error = self.error
        if error is None:
            return "ok" if self.response is not None else "unanswered"
        response = getattr(error, "response", None)
        if isinstance(response, dict):
            return str(response.get("Error", {}).get("Code", type(error).__name__))
        return type(error).__name__

    def __repr__(self) -> str:
        given = ", ".join(f"{name}={_SHORT.repr(value)}" for name, value in self.params.items())
        return f"<Call {self.service}.{self.operation}({given}) -> {self.outcome}>"


_SHORT = reprlib.Repr()
"""How a call's parameters are shortened in its repr (and the report section)."""
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlevel = 90, 60, 3
_SHORT.maxdict = _SHORT.maxlist = 4


class Recording:
    """The context of :meth:`Pipeline.recording` (a class: no ``contextlib`` frames in the
    tracebacks users read)."""

    __slots__ = ("call", "raised")

    def __init__(self, call: Call, raised: Callable[[ServiceError], BaseException]) -> None:
        self.call = call
        self.raised = raised

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: object
    ) -> None:
        __tracebackhide__ = True
        if isinstance(error, ServiceError):
            raise _converted(self.call, self.raised, error) from None
        if error is not None:
            self.call.error = error


def _converted(
    call: Call, raised: Callable[[ServiceError], BaseException], error: ServiceError
) -> BaseException:
    """A service error as the caller gets it (with the fake's notes), recorded on its call."""
    exception = raised(error)
    add_notes(exception, error.notes)
    call.error = exception
    return exception


class Pipeline:
    """Serves the calls of one fake account, one at a time."""

    def __init__(self, config: StubConfig, clock: Clock) -> None:
        self.account = Account(config.region, config.account_id, config.durations, config.quotas)
        self.clock = clock
        self.advance_per_call = config.advance_per_call
        """Seconds the clock moves before each call is answered."""
        self.faults = Faults()
        self.calls: list[Call] = []
        """Every call served, oldest first."""
        self.lock = threading.Lock()
        """Held while a call is served or time moves, so each sees a whole account."""

    def record(self, service: str, operation: str, params: dict[str, Any]) -> Call:
        """Record a call as it arrived; its transport sets what it answered or raised."""
        call = Call(service, operation, params)
        self.calls.append(call)
        return call

    def serve(
        self,
        plan: Plan,
        params: dict[str, Any],
        client_side: bool,
        raised: Callable[[ServiceError], BaseException],
    ) -> Body:
        """Record and answer a call of the operation ``plan`` serves (see :func:`plan_for`);
        ``client_side``: the caller's client validates as botocore does; ``raised``: the
        exception a service error reaches the caller as."""
        __tracebackhide__ = True
        key = flat_key(params)
        recorded = params
        if key is not None:
            if key == plan.last_key:
                recorded = plan.last_params
            else:
                plan.last_key, plan.last_params = key, params
        call = Call(plan.service, plan.operation, recorded)
        self.calls.append(call)
        try:
            if client_side and (key is None or key not in plan.client_passed):
                plan.check_client_side(params, key)
            kept = self._answer(plan, params, key)
        except ServiceError as error:
            raise _converted(call, raised, error) from None
        except BaseException as error:
            call.error = error
            raise
        last = plan.last_kept
        if last is kept or (last is not None and _same(last, kept)):
            kept = last
        else:
            plan.last_kept = kept
        request = next(request_numbers)
        call._kept, call._copy, call._request = kept, plan.copy, request  # kept compactly
        answer: Body = plan.copy(kept)
        answer["ResponseMetadata"] = response_metadata(request)
        return answer

    @staticmethod
    def recording(call: Call, raised: Callable[[ServiceError], BaseException]) -> Recording:
        """Record what a call raises while the ``with`` block answers it: a service error
        reaches the caller (and the record) as ``raised`` turns it, with the fake's notes.
        The block sets ``call.response``."""
        return Recording(call, raised)

    def check_client_side(self, service: str, operation: str, params: dict[str, Any]) -> None:
        """botocore's own ``ParamValidationError`` for what botocore checks before sending."""
        __tracebackhide__ = True
        plan_for(service, operation).check_client_side(params, flat_key(params))

    def answer(self, service: str, operation: str, params: dict[str, Any]) -> Body:
        """The service's answer to a call botocore would send: move the clock by
        ``advance_per_call``, catch the account up, inject, check, handle, shape. Raises the
        service's error as ``ServiceError``."""
        plan = plan_for(service, operation)
        answer: Body = plan.copy(self._answer(plan, params, flat_key(params)))
        answer["ResponseMetadata"] = response_metadata()
        return answer

    def _answer(self, plan: Plan, params: dict[str, Any], key: Hashable | None) -> Body:
        """The answer's projection, which may share members with stored resources (the
        caller gets ``plan.copy`` of it)."""
        lock = self.lock
        lock.acquire()  # not ``with``: that costs twice as much on every call
        try:
            if self.advance_per_call:
                self.clock.advance(self.advance_per_call)
            now = self.clock.time()
            account = self.account
            timeline = account.timeline
            if now >= timeline.next_at:
                timeline.run_until(now)
            faults = self.faults
            rule = faults.take(plan.service, plan.operation, params) if faults.rules else None
            if rule is not None and rule.error is not None:
                rule.use()
                raise ServiceError(rule.error, rule.error_message)
            served = plan.served
            if served is None:
                raise NotImplementedError(
                    f"pytest-personalize-stub does not implement {plan.service}.{plan.operation}"
                )
            if key is None or key not in plan.passed:
                plan.check_service_side(params, key)
            if plan.normalize is not None:
                params = plan.normalize(params)
            for documented in served.rules:
                if documented.broken(params):
                    raise ServiceError(plan.validation_error, documented.message)
            injected = None
            if rule is not None and rule.status is not None and rule.reason is not None:
                injected = account.injected = InjectedFailure(
                    rule.status, rule.reason, served.walks
                )
            try:
                body = served.handler(Request(account, plan.operation, params, now))
            except ServiceError as error:
                if error.about is not None:
                    error.notes.append(account.status_note(error.about, error.wanted, now))
                raise
            finally:
                account.injected = None
            if rule is not None and injected is not None and injected.applied:
                rule.use()
            kept: Body = plan.project(body)
        finally:
            lock.release()
        return kept


def _same(last: Body, kept: Body) -> bool:
    """Whether two projected answers hold the very same members (so one can stand for both)."""
    if len(last) != len(kept):
        return False
    held = last.get
    for name, member in kept.items():
        if held(name, _ABSENT) is not member:
            return False
    return True


_ABSENT = object()


class Plan:
    """How one operation is served, worked out once: handler, checks, output projection."""

    __slots__ = (
        "alike_key",
        "check",
        "client_alike_passed",
        "client_passed",
        "copy",
        "last_kept",
        "last_key",
        "last_params",
        "model",
        "normalize",
        "operation",
        "passed",
        "project",
        "served",
        "service",
        "validation_error",
    )

    def __init__(self, service: str, operation: str) -> None:
        self.service = service
        self.operation = operation
        self.model: OperationModel = clients.service_model(service).operation_model(operation)
        fake = SERVICES[service]
        self.served: Served | None = fake.operations.get(operation)
        self.validation_error = fake.dialect.validation_error
        shape = self.model.input_shape
        self.check = checker_for(service, shape) if shape is not None else None
        self.normalize: Normalizer | None = (
            normalizer_for(service, shape) if shape is not None else None
        )
        self.project = output_projector(service, self.model)
        self.copy = output_copier(service, self.model)
        """What copies a projected answer for the caller (its containers anew)."""
        self.last_key: Hashable | None = None
        self.last_params: dict[str, Any] = {}
        self.last_kept: Body | None = None
        """The last call's flat key, parameters and projected answer: a call that repeats
        them shares them in its record."""
        self.passed: set[Hashable] = set()
        """Flat parameters that already passed the service-side check."""
        self.client_passed: set[Hashable] = set()
        """Flat parameters that already passed botocore's own validation."""
        self.alike_key = alike_key_for(service, shape) if shape is not None else lambda params: None
        self.client_alike_passed: set[Hashable] = set()
        """The ``alike_key`` of parameters that passed botocore's own validation: others
        alike pass too (a create with a new name, events sent at another time)."""

    def check_client_side(self, params: dict[str, Any], key: Hashable | None) -> None:
        """botocore's own ``ParamValidationError`` for what botocore checks before sending;
        ``key``: the parameters' ``flat_key``."""
        __tracebackhide__ = True
        if key is not None and key in self.client_passed:
            return
        alike = self.alike_key(params)
        if alike is None or alike not in self.client_alike_passed:
            validate_client_side(params, self.model)
            if alike is not None:
                remember(self.client_alike_passed, alike)
        if key is not None:  # passed, if only as alike: its next call skips the alike key too
            remember(self.client_passed, key)

    def check_service_side(self, params: dict[str, Any], key: Hashable | None) -> None:
        """The service's validation error for what breaks the input shape's constraints."""
        if self.check is None or (key is not None and key in self.passed):
            return
        problems: list[ValidationProblem] = []
        self.check(params, "", problems)
        if problems:
            raise ServiceError(self.validation_error, validation_message(problems))
        if key is not None:
            remember(self.passed, key)


_plans: dict[tuple[str, str], Plan] = {}


def plan_for(service: str, operation: str) -> Plan:
    """How the operation is served (worked out on its first call, then kept)."""
    plan = _plans.get((service, operation))
    if plan is None:
        plan = _plans[(service, operation)] = Plan(service, operation)
    return plan
