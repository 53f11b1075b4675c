"""How a fake service serves its operations (:class:`Served`, :class:`Service`), and the generic
operations every resource type gets from its description: describe, list and page, create,
update, delete, and the three tag operations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .account import CLONED, Account, Request, clone, type_of
from .declarations import (
    Body,
    Dialect,
    Quota,
    ResourceType,
    Rule,
    Walk,
    in_use,
    not_found,
    wrong_status,
)
from .errors import ServiceError
from .store import InvalidToken, Resource, Selection, paginate
from .tagging import MAX_TAGS, checked_tags, tags_as_dict, tags_as_sent

Handler = Callable[[Request], Body]
"""What serves one operation: a request in, the answer's body out."""


@dataclass(frozen=True)
class Served:
    """How the fake serves one operation: its handler, documented rules and the walks it starts."""

    handler: Handler
    rules: tuple[Rule, ...] = ()
    walks: tuple[Walk, ...] = ()

    @property
    def failure_statuses(self) -> list[str]:
        """The failed statuses a call can be made to end its resource in (``status=``)."""
        return list(dict.fromkeys(w.process.failed for w in self.walks if w.process.failed))


@dataclass
class Service:
    """A fake service: its name, dialect, resource types, operations and documented quotas."""

    name: str
    dialect: Dialect
    resource_types: tuple[ResourceType, ...]
    operations: dict[str, Served] = field(default_factory=dict)
    quotas: tuple[Quota, ...] = ()


_NONE_STORED: Mapping[str, Resource] = {}
"""The resources of a kind the account never stored."""

Blocker = Callable[[Request, Resource], "str | None"]
"""Why a resource cannot be deleted now (a dependent names it), or None."""


def describe(rtype: ResourceType, out: str | None = None) -> Served:
    """Describe/Get: the resource named by ``rtype.key``, under the member ``out`` if given;
    at the top level (``out=None``) the answer also carries the resource's tags."""

    kind, key = rtype.kind, rtype.key

    def handler(request: Request) -> Body:
        arn = request.params[key]
        resource = request.account.store.by_kind.get(kind, _NONE_STORED).get(arn)
        if resource is None:  # as Request.find, without its call: the hottest handler
            raise not_found(rtype, arn)
        if out is not None:
            return {out: resource.attrs}
        return {**resource.attrs, "tags": resource.tags}

    return Served(handler)


def page(
    request: Request,
    dialect: Dialect,
    items: Iterable[Resource] | Selection,
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
    rtype: ResourceType, out: str, by: tuple[str, ...] = (), *, page_size: int = 100
) -> Served:
    """List*: newest first, narrowed to the resources whose members named ``by`` (each one
    indexed) equal the request's members of the same names, when given."""
    unindexed = [name for name in by if name not in rtype.index]
    if unindexed:
        raise ValueError(
            f"listing {rtype.kind} by {', '.join(unindexed)}, which it is not indexed by"
        )

    def handler(request: Request) -> Body:
        params = request.params
        wanted = {name: params[name] for name in by if params.get(name) is not None}
        items = request.account.having(rtype, **wanted)
        return page(request, rtype.dialect, items, out, page_size=page_size)

    return Served(handler)


def creating(rtype: ResourceType, handler: Handler, *rules: Rule) -> Served:
    """A Create*/Start* operation: it walks the new resource through the create process."""
    process = rtype.lifecycle.create
    return Served(handler, rules, (Walk(rtype, process),) if process else ())


def updating(rtype: ResourceType, slot: str, handler: Handler, *rules: Rule) -> Served:
    """An Update* operation whose update walks the create process in the record ``slot``."""
    process = rtype.lifecycle.create
    assert process is not None, f"{rtype.kind} has no process to update with"
    return Served(handler, rules, (Walk(rtype, process, slot=slot),))


def deletion(
    rtype: ResourceType,
    *blockers: Blocker,
    on_gone: Callable[[Account, Resource, float], None] | None = None,
    nothing_left: frozenset[str] = frozenset(),
) -> Served:
    """Delete*: only from a settled status and while no ``blocker`` names a dependent.

    A resource in one of the ``nothing_left`` statuses has nothing more to delete: the call
    succeeds and changes nothing, so a cleanup run twice converges.
    """
    settled = sorted(rtype.lifecycle.settled)

    def handler(request: Request) -> Body:
        resource = request.find(rtype, request.params[rtype.key])
        if resource.status in nothing_left:
            return {}
        if resource.status not in rtype.lifecycle.settled:
            raise wrong_status(rtype, resource, settled)
        for blocker in blockers:
            reason = blocker(request, resource)
            if reason:
                raise in_use(rtype, reason)
        account = request.account
        request.account.delete(
            rtype,
            resource,
            request.now,
            on_gone=(lambda gone, at: on_gone(account, gone, at)) if on_gone else None,
        )
        return {}

    process = rtype.lifecycle.delete
    walks = (Walk(rtype, process, frozenset(settled)),) if process else ()
    return Served(handler, walks=walks)


def referenced_by(*rtypes: ResourceType, key: str) -> Blocker:
    """A delete blocker: some resource of ``rtypes`` names the target in its ``key`` member
    (which each of them is indexed by)."""
    unindexed = [rtype.kind for rtype in rtypes if key not in rtype.index]
    if unindexed:
        raise ValueError(f"{', '.join(unindexed)} not indexed by {key}")

    def blocker(request: Request, target: Resource) -> str | None:
        for rtype in rtypes:
            other = request.account.having(rtype, **{key: target.arn}).first()
            if other is not None:
                return f"{target.arn} is still used by {rtype.title} {other.arn}."
        return None

    return blocker


def given(params: Mapping[str, Any], *names: str) -> Body:
    """The named request members that were given, copied so the caller cannot change them."""
    taken = {}
    for name in names:
        value = params.get(name)
        if value is not None:
            taken[name] = clone(value) if isinstance(value, CLONED) else value
    return taken


def tagging_operations(dialect: Dialect, deleting: frozenset[str]) -> dict[str, Served]:
    """The three tag operations of a service; ``deleting`` statuses refuse changes."""

    def taggable(request: Request, *, changing: bool) -> Resource:
        arn = request.params["resourceArn"]
        resource = request.account.store.find(arn)
        if resource is None or type_of(resource).dialect is not dialect:
            raise ServiceError(dialect.not_found, dialect.not_found_message.format(arn=arn))
        rtype = type_of(resource)
        if not rtype.taggable:
            raise ServiceError(
                dialect.validation_error, f"Resources of type {rtype.title} cannot be tagged."
            )
        if changing and resource.status in deleting:
            raise ServiceError(dialect.in_use, f"{arn} is being deleted ({resource.status}).")
        return resource

    def tag(request: Request) -> Body:
        resource = taggable(request, changing=True)
        added = tags_as_dict(dialect, request.params["tags"])
        resource.tags = checked_tags(type_of(resource), resource.tags, added)
        return {}

    def untag(request: Request) -> Body:
        resource = taggable(request, changing=True)
        keys = request.params["tagKeys"]
        if len(keys) > MAX_TAGS:
            raise ServiceError(
                dialect.too_many_tag_keys, f"At most {MAX_TAGS} tag keys can be removed at once."
            )
        for key in keys:
            resource.tags.pop(key, None)
        return {}

    def listed(request: Request) -> Body:
        return {"tags": tags_as_sent(dialect, taggable(request, changing=False).tags)}

    return {
        "TagResource": Served(tag),
        "UntagResource": Served(untag),
        "ListTagsForResource": Served(listed),
    }
