"""What a fake service is made of, as data: its dialect, resource types, the walks and rules of
its operations, its quotas; and the errors every service words the same way.

A service module describes its resource types (:class:`ResourceType`) and maps operation
names to :class:`~.operations.Served` descriptions; :mod:`.operations` builds the generic
ones (describe, list, delete, tags) and :mod:`.account` plays them, so a service writes only
the rules AWS documents for it. Nothing here knows a particular service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .errors import ServiceError
from .lifecycle import Lifecycle, Process
from .store import Resource

Body = dict[str, Any]
Derived = Callable[[Resource], Any]
"""How to read a member of a resource that is not one of its attributes."""


@dataclass(frozen=True)
class Dialect:
    """How one service words what every resource has: error codes, ARNs, timestamps, tags."""

    arn_service: str
    validation_error: str
    not_found: str
    already_exists: str
    in_use: str
    invalid_token: str
    limit_exceeded: str
    created: str
    updated: str
    failure: Callable[[str], Body]
    """The members that carry a failed resource's reason."""
    not_found_message: str = "Resource Arn {arn} does not exist."
    already_exists_message: str = "Another resource with Arn {arn} already exists."
    tag_pair: tuple[str, str] | None = ("tagKey", "tagValue")
    """Tags travel as a list of ``{key member: k, value member: v}``; None: as a map."""
    too_many_tags: str = "TooManyTagsException"
    too_many_tag_keys: str = "TooManyTagKeysException"
    quota_members: Callable[[str, int], Body] = lambda name, limit: {}
    """The modelled members of a quota error (quota name, limit), besides its message."""


@dataclass(frozen=True)
class ResourceType:
    """A kind of resource: its ARN template, the member naming it, and its lifecycle."""

    kind: str
    dialect: Dialect
    arn: str
    key: str
    lifecycle: Lifecycle
    unique_name: bool = False
    label: str = ""
    taggable: bool = True
    extra: Callable[[], object] | None = None
    """The record type of what the family keeps beside a resource's documented attributes
    (each resource gets an empty one when it is created; see ``Resource.extra``)."""
    derived: tuple[tuple[str, Derived], ...] = ()
    """Members a resource is listed, counted or found by that are not among its documented
    attributes (what its family keeps beside them), and how to read each."""
    indexed: tuple[str, ...] = ()
    """The attributes its resources are listed, counted or found by (a parent's ARN, the
    membership they belong to, a tracking id). The store keeps its resources by the value of
    each of them and of each ``derived`` member, so such a lookup reads only the resources it
    wants, however many the account holds."""

    @cached_property
    def index(self) -> tuple[str, ...]:
        """Every member the store keeps its resources by: the indexed and derived ones."""
        return (*self.indexed, *(name for name, _ in self.derived))

    @property
    def title(self) -> str:
        """Human name used in messages (e.g. 'campaign')."""
        return self.label or self.kind.replace("_", " ")

    @cached_property
    def _readers(self) -> tuple[tuple[str, Derived | None], ...]:
        """Each member of :attr:`index`, with how to read it (None: the attribute)."""
        derived = dict(self.derived)
        return tuple((member, derived.get(member)) for member in self.index)

    def value(self, resource: Resource, member: str) -> Any:
        """The value of ``member`` for a resource of this type: a derived member, else the
        attribute of that name."""
        for name, read in self.derived:
            if name == member:
                return read(resource)
        return resource.attrs.get(member)

    def keys(self, resource: Resource) -> list[tuple[str, Any]]:
        """Each indexed member a resource of this type has, and its value."""
        attrs = resource.attrs
        found = []
        for member, read in self._readers:
            value = attrs.get(member) if read is None else read(resource)
            if value is not None:
                found.append((member, value))
        return found


@dataclass(frozen=True)
class Rule:
    """A documented rule on a request's parameters: ``broken(params)`` means it is broken."""

    message: str
    broken: Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class Walk:
    """A walk through a process that an operation can start on a resource type.

    ``origins`` are the statuses it starts from (None: the resource is being created), and
    ``slot`` the sub-record it walks in (an update kept in, e.g., ``latestCampaignUpdate``).
    A failure injected with ``status=`` is the failed status of one of an operation's walks,
    and the account applies it to the first such walk the call starts.
    """

    rtype: ResourceType
    process: Process
    origins: frozenset[str] | None = None
    slot: str | None = None


@dataclass(frozen=True)
class Quota:
    """A documented limit: at most ``limit`` resources of ``rtype`` in ``statuses``, counted
    across the account or, with ``scope`` (a member), among those sharing the request's value.

    ``key`` names it in the ``quotas`` configuration, which can change ``limit``; ``message``
    words the refusal (``{name}`` and ``{limit}`` are filled in).
    """

    key: str
    name: str
    rtype: ResourceType
    limit: int
    statuses: frozenset[str] | None = None
    scope: str | None = None
    message: str = "{name}: the limit of {limit} is reached."

    def __post_init__(self) -> None:
        if self.scope is not None and self.scope not in self.rtype.index:
            raise ValueError(f"quota {self.key}: {self.rtype.kind} is not indexed by {self.scope}")

    def error(self, limit: int) -> ServiceError:
        """The service's refusal once ``limit`` resources count."""
        dialect = self.rtype.dialect
        return ServiceError(
            dialect.limit_exceeded,
            self.message.format(name=self.name, limit=limit),
            **dialect.quota_members(self.name, limit),
        )


def not_found(
    rtype: ResourceType, arn: str, *, known: Resource | None = None, wanted: Iterable[str] = ()
) -> ServiceError:
    """The service's error for a missing resource; ``known``: the resource the account does
    hold under that ARN, in none of the ``wanted`` statuses the call serves (for its note)."""
    dialect = rtype.dialect
    error = ServiceError(dialect.not_found, dialect.not_found_message.format(arn=arn))
    return error if known is None else error.concerning(known, wanted)


def in_use(rtype: ResourceType, message: str) -> ServiceError:
    """The service's error for a resource that is busy or still used."""
    return ServiceError(rtype.dialect.in_use, message)


def invalid(rtype: ResourceType, message: str) -> ServiceError:
    """The service's validation error."""
    return ServiceError(rtype.dialect.validation_error, message)


def wrong_status(
    rtype: ResourceType, resource: Resource, wanted: Iterable[str], *, code: str | None = None
) -> ServiceError:
    """The refusal of a call that needs the resource in one of the ``wanted`` statuses: the
    service's in-use error unless it documents another ``code``."""
    allowed = tuple(wanted)
    return ServiceError(
        code or rtype.dialect.in_use,
        f"The {rtype.title} {resource.arn} is {resource.status}; it must be {' or '.join(allowed)}.",
    ).concerning(resource, allowed)


def require_status(
    rtype: ResourceType, resource: Resource, wanted: Iterable[str], *, code: str | None = None
) -> None:
    """Refuse to act unless the resource is in one of the ``wanted`` statuses."""
    allowed = tuple(wanted)
    if resource.status not in allowed:
        raise wrong_status(rtype, resource, allowed, code=code)
