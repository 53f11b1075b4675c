"""One fake account: its resources, the timeline that walks them through their processes, and
the request a handler serves.

Nothing here locks: the pipeline serves each call, and ``settle()``, under its account's
single lock, so handlers always see and leave a whole account.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from .declarations import Body, Quota, ResourceType, Walk, not_found
from .errors import ServiceError
from .lifecycle import Process, Timeline
from .store import Resource, Selection, Store
from .tagging import checked_tags, tags_as_dict

_LETTERS_OF_BYTES: dict[str, bytes] = {}
"""Per alphabet, the letter each byte value stands for (see :meth:`Account.new_id`)."""

UUID_FIXED = 0xC000 << 48 | 0xF000 << 64
UUID_VERSION_4 = 0x8000 << 48 | 4 << 76
"""The bits of a UUID that say its variant (RFC 4122) and version (4), and their values."""

OnDone = Callable[[Resource, float], None]
"""What happens once a process is done: the resource and the moment."""


class InjectedFailure:
    """A ``status=``/``reason=`` failure for the call being served: the first walk the call
    starts among ``walks`` that can end in ``status`` ends there, with ``reason``."""

    __slots__ = ("applied", "reason", "status", "walks")

    def __init__(self, status: str, reason: str, walks: Iterable[Walk]) -> None:
        self.status = status
        self.reason = reason
        self.walks = tuple(walks)
        self.applied = False

    def fits(self, rtype: ResourceType, process: Process, slot: str | None) -> bool:
        """Whether a walk of ``process`` on ``rtype`` (in ``slot``) is one it fails."""
        return process.failed == self.status and any(
            walk.rtype is rtype and walk.process == process and walk.slot == slot
            for walk in self.walks
        )


class Account:
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
        self.store = Store()
        self.timeline = Timeline()
        self._random: random.Random | None = None
        self.injected: InjectedFailure | None = None
        """The failure injected into the call being served, until a walk takes it."""

    def new_id(self, alphabet: str, length: int) -> str:
        """A fresh identifier of ``length`` letters of ``alphabet`` (ASCII): reproducible from
        test to test, unique within one. Each letter is a random byte modulo the alphabet's
        size, so a letter is uniform when the size divides 256 and nearly so otherwise."""
        letters = _LETTERS_OF_BYTES.get(alphabet)
        if letters is None:
            size = len(alphabet)
            letters = _LETTERS_OF_BYTES[alphabet] = bytes(
                ord(alphabet[byte % size]) for byte in range(256)
            )
        drawn = (self._random or self._seeded()).randbytes(length)
        return drawn.translate(letters).decode("ascii")

    def new_uuid(self) -> str:
        """A fresh lower-case UUID (version 4 form), reproducible from test to test: the
        text ``str(uuid.UUID(int=bits, version=4))`` gives, without making the object."""
        bits = (self._random or self._seeded()).getrandbits(128) & ~UUID_FIXED | UUID_VERSION_4
        text = f"{bits:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def _seeded(self) -> random.Random:
        """The identifiers' generator, seeded when the first one is drawn (seeding costs some
        microseconds, which a test that makes nothing need not pay)."""
        self._random = random.Random(0)
        return self._random

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
        tags: Any = None,
        failure: str | None = None,
        on_ready: OnDone | None = None,
        extra: object = None,
    ) -> Resource:
        """Store a new resource and start its create process; duplicates are refused.

        ``failure`` makes the process end failed with that reason (a job whose data does not
        fit); a failure injected into the call takes its place. ``extra`` is what its family
        keeps beside its attributes, when the family knows it already (the resource is
        indexed by its derived members from it); else the type makes an empty one.
        """
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
        given_tags = checked_tags(rtype, {}, tags_as_dict(dialect, tags)) if tags else None
        attrs[dialect.created] = now
        attrs[dialect.updated] = now
        process = rtype.lifecycle.create
        attrs["status"] = rtype.lifecycle.ready if process is None else process.steps[0]
        resource = self.store.add(rtype.kind, arn, attrs, name if rtype.unique_name else None)
        resource.rtype = rtype
        if given_tags is not None:
            resource.tags = given_tags
        if extra is not None:
            resource.extras = extra
        elif rtype.extra is not None:
            resource.extras = rtype.extra()
        if rtype.index:
            self.store.index(resource, rtype.keys(resource))
        if process is None:
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

    def reindex(self, resource: Resource) -> None:
        """Keep a resource by the values its derived members have now (after its family
        changed what they are read from)."""
        self.store.index(resource, type_of(resource).keys(resource))

    def having(self, rtype: ResourceType, **equal: Any) -> Selection:
        """The resources of ``rtype`` whose members equal ``equal``, read from the smallest
        shelf of the indexed members among them; at least one must be indexed."""
        store, kind = self.store, rtype.kind
        if len(equal) == 1:  # the usual lookup: one shelf, every resource on it
            ((member, value),) = equal.items()
            if member in rtype.index:
                return Selection(store.shelf(kind, member, value))
        shelves = [
            store.shelf(kind, member, value)
            for member, value in equal.items()
            if member in rtype.index
        ]
        if equal and not shelves:
            raise ValueError(f"{kind} is indexed by none of {', '.join(equal)}")
        if not shelves:
            return Selection(store.shelf(kind))
        shelf = min(shelves, key=len)
        rest = [
            (member, value)
            for member, value in equal.items()
            if shelf.key is None or shelf.key[1] != member
        ]
        if not rest:
            return Selection(shelf)
        value = rtype.value
        return Selection(shelf, lambda resource: all(value(resource, m) == v for m, v in rest))

    def delete(
        self, rtype: ResourceType, resource: Resource, now: float, *, on_gone: OnDone | None = None
    ) -> None:
        """Start the delete process of a resource (or remove it at once when it has none)."""
        process = rtype.lifecycle.delete
        if process is None:
            self.store.remove(resource)
            if on_gone is not None:
                on_gone(resource, now)
            return
        self.walk(resource, process, start=now, seconds=self.delete_seconds(rtype), on_done=on_gone)

    def walk(
        self,
        resource: Resource,
        process: Process,
        *,
        start: float,
        seconds: float,
        slot: str | None = None,
        failure: str | None = None,
        on_done: OnDone | None = None,
    ) -> None:
        """Move a resource (or its ``slot`` sub-record) through ``process`` on the timeline.

        Each step and the outcome are applied at their own virtual instant. A newer process on
        the same slot supersedes an older one; nothing happens to a resource that is gone.
        """
        rtype = type_of(resource)
        injected = self.injected
        if injected is not None and injected.fits(rtype, process, slot):
            failure = injected.reason
            injected.applied = True
            self.injected = None
        walk = _Walk(self.store, resource, rtype.dialect.updated, process, slot, failure, on_done)
        walk.ends_at = start + seconds
        walk.set_status(process.steps[0], start)
        for due, status in process.step_times(start, seconds):
            self.timeline.at(due, _Step(walk, status))
        self.timeline.at(start + seconds, walk.finish)

    def status_note(self, resource: Resource, wanted: Iterable[str], now: float) -> str:
        """What the fake knows of a resource that a call found in none of the ``wanted``
        statuses, and what a test can do about it (the note on the call's error)."""
        rtype = type_of(resource)
        needed = " or ".join(wanted) or "another status"
        known = (
            f"pytest-personalize-stub: the account holds the {rtype.title} {resource.arn} in "
            f"status {resource.status} (this call needs {needed})"
        )
        walk = (resource.tickets or {}).get("status")
        if not isinstance(walk, _Walk) or not walk.current() or walk.ends_at <= now:
            return f"{known}; it will not change by itself."
        left = walk.ends_at - now
        until = datetime.fromtimestamp(walk.ends_at, timezone.utc).isoformat(timespec="seconds")
        return (
            f"{known} until {until} on the fake clock, {left:.1f} s from now, then "
            f"{walk.outcome}. Wait for it as code against AWS does (a waiter, or a polling loop "
            "with virtual_sleep=True), or move the fake's time first: personalize_stub.settle() "
            f"or personalize_stub.clock.advance(seconds={math.ceil(left)})."
        )

    def update(
        self,
        rtype: ResourceType,
        resource: Resource,
        slot: str,
        changes: Body,
        *,
        start: float,
        live: Iterable[str],
        on_done: OnDone | None = None,
    ) -> Body:
        """Start an update kept in the sub-record ``slot`` (e.g. ``latestCampaignUpdate``).

        The record shows the ``live`` members as they will be, and walks the type's create
        process; only when it is done do the live members take the new values (and the store
        keeps the resource by the new values of those it is indexed by).
        """
        reindexes = any(key in rtype.index for key in live)
        record = {key: clone(resource.attrs[key]) for key in live if key in resource.attrs}
        record.update({key: value for key, value in changes.items() if value is not None})
        record[rtype.dialect.created] = start
        resource.attrs[slot] = record

        def applied(target: Resource, at: float) -> None:
            for key in live:
                if key in record:
                    target.attrs[key] = record[key]
            if reindexes:
                self.reindex(target)
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
            on_done=applied,
        )
        return record


class _Walk:
    """One resource (or sub-record) on its way through a process: what the timeline calls.

    A slotted object rather than closures: thousands of resources in flight stay small.
    """

    __slots__ = (
        "ends_at",
        "failure",
        "on_done",
        "process",
        "record",
        "resource",
        "slot",
        "store",
        "updated",
    )

    def __init__(
        self,
        store: Store,
        resource: Resource,
        updated: str,
        process: Process,
        slot: str | None,
        failure: str | None,
        on_done: OnDone | None,
    ) -> None:
        self.store = store
        self.resource = resource
        self.process = process
        self.slot = slot or "status"
        self.failure = failure
        self.on_done = on_done
        self.ends_at = 0.0
        """The instant the process ends (its outcome's)."""
        self.updated = updated
        """The member its type's dialect keeps the time of the last change in."""
        self.record: Body = (
            resource.attrs if slot is None else dict.__getitem__(resource.attrs, slot)
        )
        tickets = resource.tickets
        if tickets is None:
            tickets = resource.tickets = {}
        tickets[self.slot] = self

    def current(self) -> bool:
        """Whether this walk still owns its slot (no newer process, resource not gone)."""
        tickets = self.resource.tickets
        return not self.resource.gone and tickets is not None and tickets.get(self.slot) is self

    def set_status(self, status: str, at: float) -> None:
        record, attrs = self.record, self.resource.attrs
        if record is attrs and attrs.get("status") == status and attrs.get(self.updated) == at:
            return  # a resource created in its first status: nothing to change
        record["status"] = status
        record[self.updated] = at
        if record is not attrs:
            attrs[self.updated] = at

    def step(self, status: str, at: float) -> None:
        if self.current():
            self.set_status(status, at)

    @property
    def outcome(self) -> str:
        """The status the process ends in, or ``deleted``."""
        if self.failure is not None and self.process.failed is not None:
            return self.process.failed
        return self.process.done or "deleted"

    def __repr__(self) -> str:
        return f"{self.resource.kind} {self.resource.arn} to {self.outcome}"

    def finish(self, at: float) -> None:
        if not self.current():
            return
        process, resource = self.process, self.resource
        tickets = resource.tickets
        assert tickets is not None
        del tickets[self.slot]
        if not tickets:
            resource.tickets = None
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
    rtype = resource.rtype
    assert isinstance(rtype, ResourceType), f"{resource!r} was not created by an account"
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


class Request:
    """One call as a handler sees it: parameters, the moment, and the account."""

    __slots__ = ("account", "now", "operation", "params")

    def __init__(
        self, account: Account, operation: str, params: Mapping[str, Any], now: float
    ) -> None:
        self.account = account
        self.operation = operation
        self.params = params
        self.now = now

    def find(self, rtype: ResourceType, arn: str) -> Resource:
        """The resource of ``rtype`` with this ARN, or the service's not-found error."""
        resource = self.account.store.get(rtype.kind, arn)
        if resource is None:
            raise not_found(rtype, arn)
        return resource

    def create(
        self,
        rtype: ResourceType,
        attrs: Body,
        *,
        name: str | None = None,
        tags: Any = None,
        failure: str | None = None,
        on_ready: OnDone | None = None,
        extra: object = None,
        **arn_fields: str,
    ) -> Resource:
        """Create a resource of ``rtype`` now; the ARN template takes ``arn_fields`` and the
        resource's ``name`` (see :meth:`Account.create` for the rest)."""
        if name is not None:
            arn_fields.setdefault("name", name)
        arn = self.account.arn(rtype, **arn_fields)
        attrs[rtype.key] = arn
        return self.account.create(
            rtype,
            arn,
            attrs,
            now=self.now,
            name=name,
            tags=tags,
            failure=failure,
            on_ready=on_ready,
            extra=extra,
        )

    def enforce(self, quota: Quota, scope_value: object = None) -> None:
        """Refuse a new resource once the (configured) limit of ``quota`` is reached, counted
        among the resources whose ``quota.scope`` member is ``scope_value`` if it has one."""
        limit = self.account.quotas.get(quota.key, quota.limit)
        kind, scope = quota.rtype.kind, quota.scope
        store = self.account.store
        shelf = store.shelf(kind) if scope is None else store.shelf(kind, scope, scope_value)
        count = len(shelf) if quota.statuses is None else shelf.count(quota.statuses)
        if count >= limit:
            raise quota.error(limit)


def clone(value: Any) -> Any:
    """A copy of request data (dicts and lists copied all the way down)."""
    if isinstance(value, dict):
        return {
            key: clone(item) if isinstance(item, CLONED) else item for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [clone(item) if isinstance(item, CLONED) else item for item in value]
    return value


CLONED = (dict, list, tuple)
"""What :func:`clone` copies (a scalar member is taken as it is, without a call)."""
