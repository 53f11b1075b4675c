"""In-memory resources, indexed by kind, ARN, name and the values of the members a kind is
looked up by, and opaque pagination tokens."""

from __future__ import annotations

import base64
import binascii
import bisect
import itertools
import weakref
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import Self


class Attributes(dict[str, Any]):
    """A resource's documented attributes: a plain dict to read and write, which also keeps
    the answers last projected from it, forgotten whenever one of its own members changes,
    and the shelves that count its resource by status, told whenever its status changes.

    The projection module fills ``projections``: an unchanged resource listed again costs a
    copy of its summary instead of a projection. The runtime keeps the entries of its
    answers as attributes too, so an answer given again is only copied.
    """

    __slots__ = ("projections", "shelves")

    def __init__(self, attrs: dict[str, Any]) -> None:
        super().__init__(attrs)
        self.projections: dict[object, dict[str, Any]] | None = None
        self.shelves: tuple[weakref.ref[Shelf], ...] = ()
        """The shelves its resource is on (see :class:`Store`), held weakly: a shelf holds
        its resources, so a strong reference back would put every stored resource in a
        reference cycle, and a finished test's account would wait for the garbage collector
        instead of going with its last reference (the store holds its shelves)."""

    def __setitem__(self, key: str, value: Any) -> None:
        self.projections = None
        if key == "status" and self.shelves:
            self._restatus(dict.get(self, "status"), value)
        dict.__setitem__(self, key, value)

    def _restatus(self, old: Any, new: Any) -> None:
        if old != new:
            for held in self.shelves:
                shelf = held()
                if shelf is not None and shelf._statuses is not None:
                    shelf.restatus(old, new)

    def _changing(self) -> Any:
        """Before a change that may touch several members: forget the projections and return
        the status, which :meth:`_changed` compares with the new one."""
        self.projections = None
        return dict.get(self, "status")

    def _changed(self, old: Any) -> None:
        if self.shelves:
            self._restatus(old, dict.get(self, "status"))

    def __delitem__(self, key: str) -> None:
        old = self._changing()
        dict.__delitem__(self, key)
        self._changed(old)

    def __ior__(self, other: Any) -> Self:  # type: ignore[override,misc]
        old = self._changing()
        dict.update(self, other)
        self._changed(old)
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        old = self._changing()
        dict.update(self, *args, **kwargs)
        self._changed(old)

    def setdefault(self, key: str, default: Any = None) -> Any:
        old = self._changing()
        value = dict.setdefault(self, key, default)
        self._changed(old)
        return value

    def pop(self, key: str, *default: Any) -> Any:
        old = self._changing()
        value = dict.pop(self, key, *default)
        self._changed(old)
        return value

    def popitem(self) -> tuple[str, Any]:
        old = self._changing()
        item = dict.popitem(self)
        self._changed(old)
        return item

    def clear(self) -> None:
        old = self._changing()
        dict.clear(self)
        self._changed(old)


Extra = TypeVar("Extra")


class Resource:
    """One stored resource: its documented attributes plus what the engine keeps beside them."""

    __slots__ = (
        "arn",
        "attrs",
        "extras",
        "gone",
        "indexed_name",
        "kind",
        "rtype",
        "seq",
        "tags",
        "tickets",
    )

    def __init__(self, kind: str, arn: str, attrs: dict[str, Any], seq: int) -> None:
        self.kind = kind
        self.arn = arn
        self.attrs = Attributes(attrs)
        self.seq = seq
        self.tags: dict[str, str] = {}
        self.gone = False
        self.tickets: dict[str, object] | None = None
        """The walk that owns each status slot, while one walks it (None when none does)."""
        self.rtype: object = None
        """The resource type it was created as (set by the account)."""
        self.indexed_name: str | None = None
        self.extras: object = None
        """What its family keeps beside the documented attributes (see :meth:`extra`)."""

    @property
    def status(self) -> str | None:
        """The resource's top-level status."""
        status: str | None = self.attrs.get("status")
        return status

    def extra(self, kind: type[Extra]) -> Extra:
        """What its family keeps beside its documented attributes, as a record of ``kind``
        (each family declares one), made with its defaults on first use."""
        extras = self.extras
        if extras is None:
            extras = self.extras = kind()
        if not isinstance(extras, kind):
            raise TypeError(f"{self!r} keeps a {type(extras).__name__}, not a {kind.__name__}")
        return extras

    def __repr__(self) -> str:
        return f"<{self.kind} {self.arn} {self.status}>"


class InvalidToken(ValueError):
    """A pagination token this fake did not hand out."""


class Shelf:
    """Resources in creation order, and how many are in each status: a page resumes at its
    token and a quota counts without reading the resources.

    A shelf counts statuses from the first time it is asked to (most never are: the shelf
    of one name or one tracking id), and keeps the counts from then on. A removed resource
    leaves a hole until holes make up half the shelf.
    """

    __slots__ = ("__weakref__", "_holes", "_items", "_seqs", "_statuses", "key")

    def __init__(
        self, key: tuple[str, str, Hashable] | None = None, first: Resource | None = None
    ) -> None:
        self.key = key
        """``(kind, member, value)`` for the shelf of one member's value; None for a kind's."""
        self._items: list[Resource | None] = [] if first is None else [first]
        self._seqs: list[int] = [] if first is None else [first.seq]
        self._holes = 0
        self._statuses: dict[Any, int] | None = None
        """How many of its resources are in each status, once :meth:`count` was asked."""

    def __len__(self) -> int:
        return len(self._items) - self._holes

    def __iter__(self) -> Iterator[Resource]:
        """Oldest first."""
        return filter(None, self._items)  # a resource is always true, a hole None

    def newest_first(self, start: int | None = None) -> Iterator[Resource]:
        """Newest first, from the resource with sequence number ``start`` (or the newest one
        older than that) when given."""
        items = self._items
        if start is None:  # a first page: the list's own reverse iterator, no index made
            return filter(None, reversed(items))
        end = bisect.bisect_right(self._seqs, start)
        return filter(None, map(items.__getitem__, range(end - 1, -1, -1)))

    def count(self, statuses: Iterable[Any]) -> int:
        """How many of its resources are in one of ``statuses``."""
        counts = self._statuses
        if counts is None:
            counts = self._statuses = {}
            for resource in self:
                status = resource.attrs.get("status")
                counts[status] = counts.get(status, 0) + 1
        return sum(map(counts.get, statuses, itertools.repeat(0)))

    def put(self, resource: Resource) -> None:
        """Shelve a resource in its place by sequence number (the end, unless re-shelved)."""
        seqs, seq = self._seqs, resource.seq
        if not seqs or seqs[-1] < seq:
            seqs.append(seq)
            self._items.append(resource)
        else:
            index = bisect.bisect_left(seqs, seq)
            seqs.insert(index, seq)
            self._items.insert(index, resource)
        if self._statuses is not None:
            self.restatus(_ABSENT, resource.attrs.get("status"))

    def take(self, resource: Resource) -> None:
        """Take a shelved resource off."""
        index = bisect.bisect_left(self._seqs, resource.seq)
        if self._items[index] is not resource:
            raise KeyError(resource.arn)
        self._items[index] = None
        self._holes += 1
        if self._statuses is not None:
            self.restatus(resource.attrs.get("status"), _ABSENT)
        if self._holes * 2 > len(self._items):
            kept = [item for item in self._items if item is not None]
            self._items = list(kept)
            self._seqs = [item.seq for item in kept]
            self._holes = 0

    def restatus(self, old: Any, new: Any) -> None:
        """A shelved resource moved from status ``old`` to ``new`` (on a shelf that counts)."""
        counts = self._statuses
        assert counts is not None
        if old is not _ABSENT:
            left = counts[old] - 1
            if left:
                counts[old] = left
            else:
                del counts[old]
        if new is not _ABSENT:
            counts[new] = counts.get(new, 0) + 1


_ABSENT = object()
"""Not on the shelf (before it is put there, after it is taken off)."""


class Selection:
    """Resources of one shelf that ``keep`` accepts (all of them without it), in creation
    order: what a lookup or a listing reads."""

    __slots__ = ("keep", "shelf")

    def __init__(self, shelf: Shelf, keep: Callable[[Resource], bool] | None = None) -> None:
        self.shelf = shelf
        self.keep = keep

    def __iter__(self) -> Iterator[Resource]:
        """Oldest first."""
        keep = self.keep
        return iter(self.shelf) if keep is None else filter(keep, self.shelf)

    def newest_first(self, start: int | None = None) -> Iterator[Resource]:
        """Newest first, from sequence number ``start`` when given (as a shelf's)."""
        items = self.shelf.newest_first(start)
        keep = self.keep
        return items if keep is None else filter(keep, items)

    def first(self, statuses: Collection[Any] | None = None) -> Resource | None:
        """The oldest one (in one of ``statuses``), if any."""
        if self.keep is None and statuses is None:  # the usual lookup: the shelf's first
            return next(filter(None, self.shelf._items), None)
        return next(_in(iter(self), statuses), None)

    def newest(self, statuses: Collection[Any] | None = None) -> Resource | None:
        """The newest one (in one of ``statuses``), if any."""
        return next(_in(self.newest_first(), statuses), None)


def _in(items: Iterator[Resource], statuses: Collection[Any] | None) -> Iterator[Resource]:
    if statuses is None:
        return items
    return (item for item in items if item.attrs.get("status") in statuses)


_NO_SHELF = Shelf()
"""The empty shelf a lookup of a value no resource has reads (the store never fills it)."""


class Store:
    """All resources of one fake account, newest last within each kind, each kind on a shelf
    and, for the members its resources are indexed by, on one shelf per value."""

    def __init__(self) -> None:
        self.by_kind: dict[str, dict[str, Resource]] = {}
        """Each kind's resources by ARN: read it (a lookup without a call, for the hottest
        path); :meth:`add` and :meth:`remove` change it."""
        self._names: dict[tuple[str, str], Resource] = {}
        self._shelves: dict[str, Shelf] = {}
        """Each kind's shelf (the store holds it; its resources' attributes hold it weakly)."""
        self._held_shelves: dict[str, tuple[weakref.ref[Shelf]]] = {}
        """Each kind's shelf as its resources' attributes hold it when on no value shelf."""
        self._by_value: dict[tuple[str, str, Hashable], Shelf] = {}
        self._seq = itertools.count(1)

    def add(self, kind: str, arn: str, attrs: dict[str, Any], name: str | None = None) -> Resource:
        """Store a new resource, with a copy of ``attrs`` (change ``resource.attrs`` from then
        on); ``name`` also indexes it by name within its kind."""
        resource = Resource(kind, arn, attrs, next(self._seq))
        of_kind = self.by_kind.get(kind)
        if of_kind is None:
            of_kind = self.by_kind[kind] = {}
        of_kind[arn] = resource
        if name is not None:
            self._names[(kind, name)] = resource
            resource.indexed_name = name
        shelf = self._shelves.get(kind)
        if shelf is None:
            shelf = self._shelves[kind] = Shelf()
            self._held_shelves[kind] = (weakref.ref(shelf),)
        shelf.put(resource)
        resource.attrs.shelves = self._held_shelves[kind]
        return resource

    def index(self, resource: Resource, values: Iterable[tuple[str, Hashable]]) -> None:
        """Shelve a stored resource by the values of the members it is indexed by (``values``:
        each member and its value now), off the shelves of the values it had before."""
        attrs, kind = resource.attrs, resource.kind
        held = attrs.shelves
        before = [shelf for shelf in map(weakref.ref.__call__, held[1:]) if shelf is not None]
        by_value = self._by_value
        after = []
        for member, value in values:
            key = (kind, member, value)
            shelf = by_value.get(key)
            if shelf is None:
                shelf = by_value[key] = Shelf(key, resource)
            elif not before or shelf not in before:
                shelf.put(resource)
            after.append(shelf)
        for shelf in before:
            if shelf not in after:
                self._take(shelf, resource)
        attrs.shelves = (held[0], *map(weakref.ref, after)) if after else self._held_shelves[kind]

    def get(self, kind: str, arn: str) -> Resource | None:
        """The resource of that kind and ARN, if it exists."""
        resources = self.by_kind.get(kind)
        return None if resources is None else resources.get(arn)

    def by_name(self, kind: str, name: str) -> Resource | None:
        """The resource of that kind with that unique name, if any."""
        return self._names.get((kind, name))

    def remove(self, resource: Resource) -> None:
        """Forget a resource for good."""
        if resource.gone:
            return
        resource.gone = True
        self.by_kind.get(resource.kind, {}).pop(resource.arn, None)
        name = resource.indexed_name
        if name is not None and self._names.get((resource.kind, name)) is resource:
            del self._names[(resource.kind, name)]
        for held in resource.attrs.shelves:
            shelf = held()
            if shelf is not None:
                self._take(shelf, resource)
        resource.attrs.shelves = ()

    def _take(self, shelf: Shelf, resource: Resource) -> None:
        shelf.take(resource)
        if shelf.key is not None and not shelf:
            del self._by_value[shelf.key]

    def all(self, kind: str) -> Collection[Resource]:
        """Every resource of a kind, oldest first."""
        return self.by_kind.get(kind, {}).values()

    def kinds(self) -> list[str]:
        """The kinds it has held resources of."""
        return list(self.by_kind)

    def newest_first(self, kind: str) -> Iterator[Resource]:
        """Every resource of a kind, newest first."""
        return reversed(self.by_kind.get(kind, {}).values())

    def shelf(self, kind: str, member: str | None = None, value: Hashable = None) -> Shelf:
        """The shelf of a kind, or of the resources of a kind whose indexed ``member`` has
        that ``value`` (an empty one if none has)."""
        if member is None:
            return self._shelves.get(kind, _NO_SHELF)
        return self._by_value.get((kind, member, value)) or _NO_SHELF

    def find(self, arn: str) -> Resource | None:
        """The resource with this ARN, whatever its kind."""
        for resources in self.by_kind.values():
            found = resources.get(arn)
            if found is not None:
                return found
        return None


def paginate(
    items: Iterable[Resource] | Selection, max_results: int, token: str | None
) -> tuple[list[Resource], str | None]:
    """One page of ``items`` (newest first) after ``token``, and the token of the next page;
    a :class:`Selection` resumes at the token without reading the newer resources."""
    start = decode_token(token) if token is not None else None
    if isinstance(items, Selection):
        items = items.newest_first(start)
    elif start is not None:
        items = (item for item in items if item.seq <= start)
    page = list(itertools.islice(items, max_results + 1))
    if len(page) > max_results:
        return page[:max_results], encode_token(page[max_results].seq)
    return page, None


def encode_token(seq: int) -> str:
    """An opaque token that resumes a listing at the resource with this sequence number."""
    return base64.urlsafe_b64encode(f"pps1:{seq}".encode()).decode()


def decode_token(token: str) -> int:
    """The sequence number a token resumes at; InvalidToken when it is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise InvalidToken(token) from error
    prefix, _, number = text.partition(":")
    if prefix != "pps1" or not number.isdigit():
        raise InvalidToken(token)
    return int(number)
