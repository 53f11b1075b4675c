"""The generic engine: resource types as data, one account's state, and generic operations.

A service module describes its resource types (:class:`ResourceType`) and maps operation
names to handlers; the generic handlers here do describe, list, delete and pagination for
every type, so a service writes only the rules AWS documents for it.

Nothing here locks: the controller serves each call, and ``settle()``, under its account's
single lock, so handlers always see and leave a whole state.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ServiceError
from .lifecycle import Lifecycle, Process, Timeline
from .store import InvalidToken, Resource, Store, paginate

Body = dict[str, Any]
Handler = Callable[["Request"], Body]


@dataclass(frozen=True)
class Dialect:
    """How one service words what every resource has: error codes, ARNs, timestamps."""

    service: str
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
    not_found_message: str = "Resource Arn {arn} does not exist."
    already_exists_message: str = "Another resource with Arn {arn} already exists."
    tags_as_list: bool = True
    """Tags travel as ``[{tagKey, tagValue}]`` (Personalize) rather than as a map."""
    too_many_tags: str = "TooManyTagsException"
    too_many_tag_keys: str = "TooManyTagKeysException"


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

    @property
    def title(self) -> str:
        """Human name used in messages (e.g. 'campaign')."""
        return self.label or self.kind.replace("_", " ")


@dataclass(frozen=True)
class Rule:
    """A documented rule on a request's parameters: ``broken(params)`` means it is broken."""

    message: str
    broken: Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class Operation:
    """One served operation: its handler, documented rules, and the process it starts."""

    handler: Handler
    rules: tuple[Rule, ...] = ()
    starts: tuple[ResourceType, Process] | None = None


@dataclass
class Service:
    """A fake service: its dialect, resource types, operations and documented quotas."""

    name: str
    dialect: Dialect
    resource_types: tuple[ResourceType, ...]
    operations: dict[str, Operation] = field(default_factory=dict)
    quotas: tuple[Quota, ...] = ()


class State:
    """Everything one fake account holds: resources, the timeline and the settings."""

    def __init__(
        self,
        region: str,
        account_id: str,
        durations: Mapping[str, float],
        quotas: Mapping[str, int] | None = None,
    ) -> None:
        self.region = region
        self.account_id = account_id
        self.durations = dict(durations)
        self.quotas = dict(quotas or {})
        self.recommendations: dict[str, list[str]] = {}
        self.store = Store()
        self.timeline = Timeline()
        self.random = random.Random(0)

    def new_id(self, alphabet: str, length: int) -> str:
        """A fresh identifier: reproducible from test to test, unique within one."""
        return "".join(self.random.choice(alphabet) for _ in range(length))

    def new_uuid(self) -> str:
        """A fresh lower-case UUID (version 4 form), reproducible from test to test."""
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def arn(self, rtype: ResourceType, **fields: str) -> str:
        """The ARN of a resource of ``rtype`` in this account and region."""
        path = rtype.arn.format(**fields)
        return f"arn:aws:{rtype.dialect.arn_service}:{self.region}:{self.account_id}:{path}"

    def seconds(self, rtype: ResourceType) -> float:
        """How long ``rtype`` takes to reach its final status (configured or default)."""
        return self.durations.get(rtype.kind, rtype.lifecycle.seconds)

    def delete_seconds(self, rtype: ResourceType) -> float:
        """How long a delete of ``rtype`` takes: never longer than its creation."""
        return min(rtype.lifecycle.delete_seconds, self.seconds(rtype))

    def create(
        self,
        rtype: ResourceType,
        arn: str,
        attrs: Body,
        *,
        now: float,
        name: str | None = None,
        tags: Iterable[Any] | Mapping[str, str] | None = None,
        failure: str | None = None,
        on_ready: Callable[[Resource, float], None] | None = None,
    ) -> Resource:
        """Store a new resource and start its create process; duplicates are refused."""
        dialect = rtype.dialect
        if self.store.get(rtype.kind, arn) is not None:
            raise ServiceError(
                dialect.already_exists, dialect.already_exists_message.format(arn=arn)
            )
        if rtype.unique_name and name is not None and self.store.by_name(rtype.kind, name):
            raise ServiceError(
                dialect.already_exists,
                f"A {rtype.title} named {name} already exists in this account.",
            )
        given_tags = checked_tags(rtype, {}, tags_as_dict(tags)) if tags else {}
        attrs[dialect.created] = now
        attrs[dialect.updated] = now
        resource = self.store.add(rtype.kind, arn, attrs, name if rtype.unique_name else None)
        resource.extra["type"] = rtype
        resource.tags = given_tags
        process = rtype.lifecycle.create
        if process is None:
            resource.attrs["status"] = rtype.lifecycle.ready
            if on_ready is not None:
                on_ready(resource, now)
        else:
            self.walk(
                resource,
                process,
                start=now,
                seconds=self.seconds(rtype),
                failure=failure,
                on_done=on_ready,
            )
        return resource

    def delete(
        self,
        rtype: ResourceType,
        resource: Resource,
        now: float,
        *,
        failure: str | None = None,
        on_gone: Callable[[Resource, float], None] | None = None,
    ) -> None:
        """Start the delete process of a resource (or remove it at once when it has none)."""
        process = rtype.lifecycle.delete
        if process is None:
            self.store.remove(resource)
            if on_gone is not None:
                on_gone(resource, now)
            return
        self.walk(
            resource,
            process,
            start=now,
            seconds=self.delete_seconds(rtype),
            failure=failure,
            on_done=on_gone,
        )

    def walk(
        self,
        resource: Resource,
        process: Process,
        *,
        start: float,
        seconds: float,
        slot: str | None = None,
        failure: str | None = None,
        on_done: Callable[[Resource, float], None] | None = None,
    ) -> None:
        """Move a resource (or its ``slot`` sub-record) through ``process`` on the timeline.

        Each step and the outcome are applied at their own virtual instant. A newer process on
        the same slot supersedes an older one; nothing happens to a resource that is gone.
        """
        walk = _Walk(self.store, resource, process, slot, failure, on_done)
        walk.set_status(process.steps[0], start)
        for due, status in process.step_times(start, seconds):
            self.timeline.at(due, _Step(walk, status))
        self.timeline.at(start + seconds, walk.finish)

    def update(
        self,
        rtype: ResourceType,
        resource: Resource,
        slot: str,
        changes: Body,
        *,
        start: float,
        live: Iterable[str],
        failure: str | None = None,
        on_done: Callable[[Resource, float], None] | None = None,
    ) -> Body:
        """Start an update kept in the sub-record ``slot`` (e.g. ``latestCampaignUpdate``).

        The record shows the ``live`` members as they will be, and walks the type's create
        process; only when it is done do the live members take the new values.
        """
        record = {key: clone(resource.attrs[key]) for key in live if key in resource.attrs}
        record.update({key: value for key, value in changes.items() if value is not None})
        record[rtype.dialect.created] = start
        resource.attrs[slot] = record

        def applied(target: Resource, at: float) -> None:
            for key in live:
                if key in record:
                    target.attrs[key] = record[key]
            if on_done is not None:
                on_done(target, at)

        process = rtype.lifecycle.create
        assert process is not None, f"{rtype.kind} has no process to update with"
        self.walk(
            resource,
            process,
            start=start,
            seconds=self.seconds(rtype),
            slot=slot,
            failure=failure,
            on_done=applied,
        )
        return record

    def in_flight(self) -> bool:
        """Whether any status change is still due."""
        return self.timeline.next_due() is not None


class _Walk:
    """One resource (or sub-record) on its way through a process: what the timeline calls.

    A slotted object rather than closures: thousands of resources in flight stay small.
    """

    __slots__ = ("failure", "on_done", "process", "record", "resource", "slot", "store", "updated")

    def __init__(
        self,
        store: Store,
        resource: Resource,
        process: Process,
        slot: str | None,
        failure: str | None,
        on_done: Callable[[Resource, float], None] | None,
    ) -> None:
        self.store = store
        self.resource = resource
        self.process = process
        self.slot = slot or "status"
        self.failure = failure
        self.on_done = on_done
        self.updated = type_of(resource).dialect.updated
        self.record: Body = (
            resource.attrs if slot is None else dict.__getitem__(resource.attrs, slot)
        )
        resource.tickets[self.slot] = self

    def current(self) -> bool:
        """Whether this walk still owns its slot (no newer process, resource not gone)."""
        return not self.resource.gone and self.resource.tickets.get(self.slot) is self

    def set_status(self, status: str, at: float) -> None:
        self.record["status"] = status
        self.record[self.updated] = at
        self.resource.attrs[self.updated] = at

    def step(self, status: str, at: float) -> None:
        if self.current():
            self.set_status(status, at)

    def __repr__(self) -> str:
        outcome = self.process.done or "gone"
        return f"{self.resource.kind} {self.resource.arn} to {outcome}"

    def finish(self, at: float) -> None:
        if not self.current():
            return
        process, resource = self.process, self.resource
        if self.failure is not None and process.failed is not None:
            self.set_status(process.failed, at)
            self.record.update(type_of(resource).dialect.failure(self.failure))
            return
        if process.done is None:
            self.store.remove(resource)
        else:
            self.set_status(process.done, at)
        if self.on_done is not None:
            self.on_done(resource, at)


class _Step:
    """A walk's move to one of its process's later steps, as the timeline holds it."""

    __slots__ = ("status", "walk")

    def __init__(self, walk: _Walk, status: str) -> None:
        self.walk = walk
        self.status = status

    def __call__(self, at: float) -> None:
        self.walk.step(self.status, at)

    def __repr__(self) -> str:
        return f"{self.walk.resource.kind} {self.walk.resource.arn} to {self.status}"


def type_of(resource: Resource) -> ResourceType:
    """The resource type a stored resource was created as."""
    rtype: ResourceType = resource.extra["type"]
    return rtype


def fail_created(resource: Resource, reason: str, at: float) -> None:
    """Put a resource that has just finished its create process in that process's failed
    status instead, with ``reason`` as its dialect words it (a job whose last step failed)."""
    rtype = type_of(resource)
    process = rtype.lifecycle.create
    if process is None or process.failed is None:
        raise ValueError(f"{rtype.kind} has no failed status to end in")
    dialect = rtype.dialect
    resource.attrs.update(
        {"status": process.failed, dialect.updated: at, **dialect.failure(reason)}
    )


MAX_TAGS = 50
"""User tags a resource may carry (both services document 50)."""


def checked_tags(
    rtype: ResourceType, current: Mapping[str, str], added: Mapping[str, str]
) -> dict[str, str]:
    """``current`` with ``added`` applied, refused past 50 tags or for reserved ``aws:`` keys."""
    dialect = rtype.dialect
    for key in added:
        if key.lower().startswith("aws:"):
            raise ServiceError(
                dialect.validation_error, f"Tag keys starting with 'aws:' are reserved: {key}"
            )
    tags = {**current, **added}
    if len(tags) > MAX_TAGS:
        raise ServiceError(
            dialect.too_many_tags,
            f"A resource can have at most {MAX_TAGS} tags; this request would leave {len(tags)}.",
        )
    return tags


def tags_as_dict(tags: Iterable[Mapping[str, str]] | Mapping[str, str]) -> dict[str, str]:
    """Tags given as a map (Clean Rooms ML) or as ``[{tagKey, tagValue}]`` (Personalize)."""
    if isinstance(tags, Mapping):
        return dict(tags)
    return {tag["tagKey"]: tag.get("tagValue", "") for tag in tags}


class Request:
    """One call as a handler sees it: parameters, the moment, and the account."""

    __slots__ = ("failure", "now", "operation", "params", "state")

    def __init__(
        self,
        state: State,
        operation: str,
        params: Mapping[str, Any],
        now: float,
        failure: str | None = None,
    ) -> None:
        self.state = state
        self.operation = operation
        self.params = params
        self.now = now
        self.failure = failure

    def find(self, rtype: ResourceType, arn: str) -> Resource:
        """The resource of ``rtype`` with this ARN, or the service's not-found error."""
        resource = self.state.store.get(rtype.kind, arn)
        if resource is None:
            raise not_found(rtype, arn)
        return resource

    def create(
        self,
        rtype: ResourceType,
        attrs: Body,
        *,
        name: str | None = None,
        tags: Iterable[Any] | Mapping[str, str] | None = None,
        on_ready: Callable[[Resource, float], None] | None = None,
        **arn_fields: str,
    ) -> Resource:
        """Create a resource of ``rtype`` now, failing as injected for this call.

        The ARN template takes ``arn_fields`` and the resource's ``name``.
        """
        if name is not None:
            arn_fields.setdefault("name", name)
        arn = self.state.arn(rtype, **arn_fields)
        attrs[rtype.key] = arn
        resource = self.state.create(
            rtype,
            arn,
            attrs,
            now=self.now,
            name=name,
            tags=tags,
            failure=self.failure,
            on_ready=on_ready,
        )
        return resource


def not_found(rtype: ResourceType, arn: str) -> ServiceError:
    """The service's error for a missing resource."""
    dialect = rtype.dialect
    return ServiceError(dialect.not_found, dialect.not_found_message.format(arn=arn))


def in_use(rtype: ResourceType, message: str) -> ServiceError:
    """The service's error for a resource that is busy or still used."""
    return ServiceError(rtype.dialect.in_use, message)


def invalid(rtype: ResourceType, message: str) -> ServiceError:
    """The service's validation error."""
    return ServiceError(rtype.dialect.validation_error, message)


def require_status(
    rtype: ResourceType, resource: Resource, allowed: Iterable[str], *, code: str | None = None
) -> None:
    """Refuse to act unless the resource is in one of ``allowed`` statuses."""
    allowed = tuple(allowed)
    if resource.status not in allowed:
        wanted = " or ".join(allowed)
        raise ServiceError(
            code or rtype.dialect.in_use,
            f"The {rtype.title} {resource.arn} must be {wanted}; it is {resource.status}.",
        )


Filter = Callable[[Resource], Any]


def describe(rtype: ResourceType, out: str | None = None) -> Operation:
    """Describe/Get: the resource named by ``rtype.key``, under the member ``out`` if given.

    Clean Rooms ML answers at the top level (``out=None``) and echoes the tags.
    """

    def handler(request: Request) -> Body:
        resource = request.find(rtype, request.params[rtype.key])
        if out is not None:
            return {out: resource.attrs}
        return {**resource.attrs, "tags": resource.tags}

    return Operation(handler)


def page(
    request: Request,
    dialect: Dialect,
    items: Iterable[Resource],
    out: str,
    *,
    page_size: int = 100,
) -> Body:
    """One page of ``items`` (newest first) under ``out``, with ``nextToken`` when more follow;
    a token the fake did not hand out is the ``dialect``'s invalid-token error."""
    params = request.params
    try:
        chosen, token = paginate(
            items, params.get("maxResults") or page_size, params.get("nextToken")
        )
    except InvalidToken:
        raise ServiceError(
            dialect.invalid_token, "The nextToken is not valid for this request."
        ) from None
    body: Body = {out: [r.attrs for r in chosen]}
    if token is not None:
        body["nextToken"] = token
    return body


def listing(
    rtype: ResourceType,
    out: str,
    filters: Mapping[str, Filter] | None = None,
    *,
    page_size: int = 100,
) -> Operation:
    """List*: newest first, narrowed by ``filters`` (request member -> resource value)."""
    filter_items = tuple((filters or {}).items())

    def handler(request: Request) -> Body:
        params = request.params
        wanted = [(get, params[name]) for name, get in filter_items if params.get(name) is not None]
        items: Iterable[Resource] = request.state.store.newest_first(rtype.kind)
        if wanted:
            items = (r for r in items if all(get(r) == value for get, value in wanted))
        return page(request, rtype.dialect, items, out, page_size=page_size)

    return Operation(handler)


def creating(rtype: ResourceType, handler: Handler, *rules: Rule) -> Operation:
    """A Create*/Start* operation: its failure can be injected as the create process's."""
    process = rtype.lifecycle.create
    return Operation(handler, rules, starts=(rtype, process) if process else None)


@dataclass(frozen=True)
class Quota:
    """A documented limit: at most ``limit`` resources of ``rtype`` in ``statuses``, counted
    across the account or, with ``scope``, among those sharing that attribute's value.

    ``key`` names it in the ``quotas`` configuration, which can change ``limit``.
    """

    key: str
    name: str
    rtype: ResourceType
    limit: int
    statuses: frozenset[str] | None = None
    scope: str | None = None

    def enforce(self, request: Request, scope_value: str | None = None) -> None:
        """Refuse a new resource once the (configured) limit is reached."""
        limit = request.state.quotas.get(self.key, self.limit)
        wanted = self.statuses
        resources = request.state.store.all(self.rtype.kind)
        if wanted is None and self.scope is None:
            count = len(resources)
        else:
            count = sum(
                1
                for resource in resources
                if (wanted is None or resource.status in wanted)
                and (self.scope is None or _value(resource, self.scope) == scope_value)
            )
        if count >= limit:
            dialect = self.rtype.dialect
            members: Body = {}
            if dialect.limit_exceeded == "ServiceQuotaExceededException":
                members = {"quotaName": self.name, "quotaValue": float(limit)}
            raise ServiceError(
                dialect.limit_exceeded, f"{self.name}: the limit of {limit} is reached.", **members
            )


def _value(resource: Resource, name: str) -> Any:
    value = resource.attrs.get(name)
    return value if value is not None else resource.extra.get(name)


Blocker = Callable[[Request, Resource], "str | None"]


def deletion(
    rtype: ResourceType,
    *blockers: Blocker,
    on_gone: Callable[[State, Resource, float], None] | None = None,
    nothing_left: frozenset[str] = frozenset(),
) -> Operation:
    """Delete*: only from a settled status and while no ``blocker`` names a dependent.

    A resource in one of the ``nothing_left`` statuses has nothing more to delete: the call
    succeeds and changes nothing, so a cleanup run twice converges.
    """

    def handler(request: Request) -> Body:
        resource = request.find(rtype, request.params[rtype.key])
        if resource.status in nothing_left:
            return {}
        if resource.status not in rtype.lifecycle.settled:
            raise in_use(
                rtype,
                f"The {rtype.title} {resource.arn} is {resource.status} and cannot be deleted "
                "until it is " + " or ".join(sorted(rtype.lifecycle.settled)) + ".",
            )
        for blocker in blockers:
            reason = blocker(request, resource)
            if reason:
                raise in_use(rtype, reason)
        state = request.state
        request.state.delete(
            rtype,
            resource,
            request.now,
            failure=request.failure,
            on_gone=(lambda gone, at: on_gone(state, gone, at)) if on_gone else None,
        )
        return {}

    return Operation(
        handler, starts=(rtype, rtype.lifecycle.delete) if rtype.lifecycle.delete else None
    )


def referenced_by(*rtypes: ResourceType, key: str) -> Blocker:
    """A delete blocker: some resource of ``rtypes`` names the target in its ``key`` member."""

    def blocker(request: Request, target: Resource) -> str | None:
        for rtype in rtypes:
            for other in request.state.store.all(rtype.kind):
                if other.attrs.get(key) == target.arn and not other.gone:
                    return f"{target.arn} is still used by {rtype.title} {other.arn}."
        return None

    return blocker


def attr(name: str) -> Filter:
    """A list filter that compares one attribute of the resource."""
    return lambda resource: resource.attrs.get(name)


def given(params: Mapping[str, Any], *names: str) -> Body:
    """The named request members that were given, copied so the caller cannot change them."""
    return {name: clone(params[name]) for name in names if params.get(name) is not None}


def clone(value: Any) -> Any:
    """A copy of request data (dicts and lists copied all the way down)."""
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clone(item) for item in value]
    return value
