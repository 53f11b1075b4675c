"""Failure rules: checking marker and ``fail()`` arguments, and matching them to calls."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore import xform_name
from botocore.model import ServiceModel

from .errors import COMMON_ERROR_MESSAGES, UsageError
from .operations import Service

COMMON_ERRORS = (
    "ThrottlingException",
    "InternalServerError",
    "InternalServerException",
    "ServiceUnavailable",
)
"""Codes any operation may be made to fail with, besides the ones it documents."""

_ARGUMENTS = ("error", "message", "status", "reason", "times", "match")


@dataclass
class FailureRule:
    """One injected failure: an error the call raises, or a failed status it ends in."""

    service: str
    operation: str
    error: str | None = None
    message: str | None = None
    status: str | None = None
    reason: str | None = None
    times: int | None = None
    match: Mapping[str, Any] | None = None
    source: str = "fail()"
    """Where the rule comes from, for messages (``personalize_fail marker``, ``fail()``)."""
    fired: int = 0
    """How many calls it has made fail so far."""

    def matches(self, params: Mapping[str, Any]) -> bool:
        """Whether a call with these parameters is one this rule makes fail."""
        return self.times != self.fired and (self.match is None or _contains(params, self.match))

    def use(self) -> None:
        """Count one call it made fail."""
        self.fired += 1

    @property
    def unfired(self) -> bool:
        """Whether it made fewer calls fail than it was set up for (``times``, else one)."""
        return self.fired < (self.times or 1)

    def __str__(self) -> str:
        given = ", ".join(
            f"{name}={value!r}" for name in _ARGUMENTS if (value := getattr(self, name)) is not None
        )
        name = "fail" if self.source == "fail()" else self.source.split()[0]
        return f"{name}({self.operation!r}, {given}) on {self.service}"

    def shortfall(self) -> str:
        """The rule and how far short of its ``times`` it fell, for the teardown check."""
        wanted = self.times or 1
        return f"{self}: fired {self.fired} of {wanted} time{'s' if wanted > 1 else ''}"

    @property
    def error_message(self) -> str:
        """The message the injected error carries."""
        if self.message is not None:
            return self.message
        return COMMON_ERROR_MESSAGES.get(
            str(self.error), f"{self.error} injected by pytest-personalize-stub."
        )


def _contains(params: Any, wanted: Any) -> bool:
    if isinstance(wanted, Mapping):
        return isinstance(params, Mapping) and all(
            key in params and _contains(params[key], value) for key, value in wanted.items()
        )
    return bool(params == wanted)


class Faults:
    """The failure rules of one test, looked up by service and operation."""

    def __init__(self) -> None:
        self.rules: dict[tuple[str, str], list[FailureRule]] = {}
        """The rules by ``(service, operation)``, earlier ones first (empty: no call fails)."""
        self._added: list[FailureRule] = []

    def add(self, rule: FailureRule) -> None:
        """Add a rule; earlier rules are tried first."""
        self.rules.setdefault((rule.service, rule.operation), []).append(rule)
        self._added.append(rule)

    def unfired(self) -> list[FailureRule]:
        """The rules that made fewer calls fail than they were set up for, oldest first."""
        return [rule for rule in self._added if rule.unfired]

    def take(self, service: str, operation: str, params: Mapping[str, Any]) -> FailureRule | None:
        """The first rule that makes this call fail, if any."""
        if not self.rules:
            return None
        for rule in self.rules.get((service, operation), ()):
            if rule.matches(params):
                return rule
        return None


class RuleChecker:
    """Checks what a failure rule names: an operation, one of its errors, or a failed status
    one of its walks can end in."""

    def __init__(
        self, services: Mapping[str, Service], models: Callable[[str], ServiceModel]
    ) -> None:
        self._services = services
        self._models = models

    def rule(
        self,
        source: str,
        args: Sequence[Any],
        kwargs: Mapping[str, Any],
        families: Sequence[str],
    ) -> FailureRule:
        """A checked rule from marker or ``fail()`` arguments; UsageError names any problem."""
        unknown = sorted(set(kwargs) - {"operation", *_ARGUMENTS})
        if unknown:
            raise UsageError(
                f"{source}: unknown argument(s) {', '.join(unknown)}; "
                f"allowed: operation, {', '.join(_ARGUMENTS)}"
            )
        if len(args) + ("operation" in kwargs) != 1:
            raise UsageError(f"{source}: give exactly one operation name, e.g. 'CreateCampaign'")
        operation = args[0] if args else kwargs["operation"]
        service, name = self._resolve(source, operation, families)
        rule = FailureRule(service, name, source=source)
        self._check_strings(source, kwargs)
        rule.error, rule.message = kwargs.get("error"), kwargs.get("message")
        rule.status, rule.reason = kwargs.get("status"), kwargs.get("reason")
        if rule.error is not None:
            if rule.status is not None or rule.reason is not None:
                raise UsageError(f"{source}: give either error= or status=/reason=, not both")
            self._check_error(source, service, name, rule.error)
        elif rule.status is not None or rule.reason is not None:
            rule.status = self._check_status(source, service, name, rule.status)
            rule.reason = rule.reason or f"{name} failed (injected by pytest-personalize-stub)."
        else:
            raise UsageError(
                f"{source}: say how {name} fails: error='<code>' to raise, "
                "or status='<failed status>' / reason='...' to end the resource failed"
            )
        rule.times = _check_times(source, kwargs.get("times"))
        rule.match = self._check_match(source, service, name, kwargs.get("match"))
        return rule

    def _resolve(self, source: str, operation: Any, families: Sequence[str]) -> tuple[str, str]:
        if not isinstance(operation, str) or not operation:
            raise UsageError(f"{source}: the operation must be a name like 'CreateCampaign'")
        known: list[str] = []
        for service in families:
            names = self._models(service).operation_names
            by_snake = {xform_name(op): op for op in names}
            if operation in names:
                return service, operation
            if operation in by_snake:
                return service, by_snake[operation]
            known.extend(names)
        close = difflib.get_close_matches(operation, known, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UsageError(
            f"{source}: unknown operation {operation!r} for {' / '.join(families)}{hint}"
        )

    @staticmethod
    def _check_strings(source: str, kwargs: Mapping[str, Any]) -> None:
        for name in ("error", "message", "status", "reason"):
            value = kwargs.get(name)
            if value is not None and not isinstance(value, str):
                raise UsageError(f"{source}: {name}= must be a string, not {value!r}")

    def allowed_errors(self, service: str, operation: str) -> list[str]:
        """The codes an operation may be made to raise: documented ones plus common ones."""
        documented = [
            shape.name for shape in self._models(service).operation_model(operation).error_shapes
        ]
        return documented + [code for code in COMMON_ERRORS if code not in documented]

    def _check_error(self, source: str, service: str, operation: str, error: str) -> None:
        allowed = self.allowed_errors(service, operation)
        if error not in allowed:
            raise UsageError(
                f"{source}: {operation} does not answer {error!r}; allowed: {', '.join(allowed)}"
            )

    def failure_statuses(self, service: str, operation: str) -> list[str]:
        """The failed statuses an operation's resource can be made to end in."""
        fake = self._services.get(service)
        served = fake.operations.get(operation) if fake else None
        return served.failure_statuses if served is not None else []

    def _check_status(self, source: str, service: str, operation: str, status: str | None) -> str:
        allowed = self.failure_statuses(service, operation)
        if not allowed:
            starting = sorted(
                name
                for name, served in self._services[service].operations.items()
                if served.failure_statuses
            )
            raise UsageError(
                f"{source}: {operation} starts no status change that can fail; status=/reason= "
                f"apply to: {', '.join(starting)}"
            )
        if status is None:
            return allowed[0]
        if status not in allowed:
            raise UsageError(
                f"{source}: {operation} can end in {', '.join(map(repr, allowed))}, not {status!r}"
            )
        return status

    def _check_match(
        self, source: str, service: str, operation: str, match: Any
    ) -> Mapping[str, Any] | None:
        if match is None:
            return None
        if not isinstance(match, Mapping) or not all(isinstance(key, str) for key in match):
            raise UsageError(
                f"{source}: match= must be a dict of parameter names to values, not {match!r}"
            )
        shape = self._models(service).operation_model(operation).input_shape
        members = list(shape.members) if shape is not None else []
        unknown = sorted(set(match) - set(members))
        if unknown:
            raise UsageError(
                f"{source}: {operation} has no parameter(s) {', '.join(unknown)}; "
                f"its parameters: {', '.join(members)}"
            )
        return dict(match)


def _check_times(source: str, times: Any) -> int | None:
    if times is None:
        return None
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise UsageError(f"{source}: times= must be a whole number of at least 1, not {times!r}")
    return times
