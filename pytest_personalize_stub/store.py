"""In-memory resources, indexed by kind, ARN and name, and opaque pagination tokens."""

from __future__ import annotations

import base64
import binascii
import itertools
from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import Self


class Attributes(dict[str, Any]):
    """A resource's documented attributes: a plain dict to read and write, which also keeps
    the answers last projected from it, forgotten whenever one of its own members changes.

    The responses module fills ``projections`` for output shapes made of scalars only: an
    unchanged resource listed again costs a copy of its summary instead of a projection.
    """

    __slots__ = ("projections",)

    def __init__(self, attrs: dict[str, Any]) -> None:
        super().__init__(attrs)
        self.projections: dict[object, dict[str, Any]] | None = None

    def __setitem__(self, key: str, value: Any) -> None:
        self.projections = None
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: str) -> None:
        self.projections = None
        dict.__delitem__(self, key)

    def __ior__(self, other: Any) -> Self:  # type: ignore[override,misc]
        self.projections = None
        dict.update(self, other)
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.projections = None
        dict.update(self, *args, **kwargs)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.projections = None
        return dict.setdefault(self, key, default)

    def pop(self, key: str, *default: Any) -> Any:
        self.projections = None
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[str, Any]:
        self.projections = None
        return dict.popitem(self)

    def clear(self) -> None:
        self.projections = None
        dict.clear(self)


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
        """The walk that owns each status slot, made on the first walk."""
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


class Store:
    """All resources of one fake account, newest last within each kind."""

    def __init__(self) -> None:
        self._by_kind: dict[str, dict[str, Resource]] = {}
        self._names: dict[tuple[str, str], Resource] = {}
        self._seq = itertools.count(1)

    def add(self, kind: str, arn: str, attrs: dict[str, Any], name: str | None = None) -> Resource:
        """Store a new resource, with a copy of ``attrs`` (change ``resource.attrs`` from then
        on); ``name`` also indexes it by name within its kind."""
        resource = Resource(kind, arn, attrs, next(self._seq))
        self._by_kind.setdefault(kind, {})[arn] = resource
        if name is not None:
            self._names[(kind, name)] = resource
            resource.indexed_name = name
        return resource

    def get(self, kind: str, arn: str) -> Resource | None:
        """The resource of that kind and ARN, if it exists."""
        return self._by_kind.get(kind, {}).get(arn)

    def by_name(self, kind: str, name: str) -> Resource | None:
        """The resource of that kind with that unique name, if any."""
        return self._names.get((kind, name))

    def remove(self, resource: Resource) -> None:
        """Forget a resource for good."""
        resource.gone = True
        self._by_kind.get(resource.kind, {}).pop(resource.arn, None)
        name = resource.indexed_name
        if name is not None and self._names.get((resource.kind, name)) is resource:
            del self._names[(resource.kind, name)]

    def all(self, kind: str) -> Collection[Resource]:
        """Every resource of a kind, oldest first."""
        return self._by_kind.get(kind, {}).values()

    def newest_first(self, kind: str) -> Iterator[Resource]:
        """Every resource of a kind, newest first."""
        return reversed(self._by_kind.get(kind, {}).values())

    def find(self, arn: str) -> Resource | None:
        """The resource with this ARN, whatever its kind."""
        for resources in self._by_kind.values():
            found = resources.get(arn)
            if found is not None:
                return found
        return None


def paginate(
    items: Iterable[Resource], max_results: int, token: str | None
) -> tuple[list[Resource], str | None]:
    """One page of ``items`` (newest first) after ``token``, and the token of the next page."""
    if token is not None:
        start = decode_token(token)
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
