"""Deterministic stand-ins for what a trained model would rank: shared by the runtime's
answers and the batch jobs' output files."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import chain
from typing import Any

DEFAULT_RESULTS = 25
"""Ids recommended when ``numResults`` is not given: GetRecommendations' documented default,
also used for batch jobs, whose documentation names none."""

CATALOG_SIZE = 1000
"""Ids in the synthetic catalogue of each kind (``item-0000`` ... ``item-0999``)."""

STEP = 7919
"""How far apart consecutive synthetic ids lie in the catalogue (a prime: every id once)."""

REMEMBERED_SEEDS = 256
"""How many seeds' orders a :class:`Candidates` remembers before it starts afresh."""


@functools.cache
def _catalogue(prefix: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The synthetic catalogue of ``prefix``: its ids by number, and as a set."""
    names = tuple(f"{prefix}-{number:04d}" for number in range(CATALOG_SIZE))
    return names, frozenset(names)


def synthetic_ids(seed: str, prefix: str) -> list[str]:
    """Every id of the synthetic catalogue once, in an order fixed by ``seed``."""
    digest = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    names = _catalogue(prefix)[0]
    return [names[(digest + index * STEP) % CATALOG_SIZE] for index in range(CATALOG_SIZE)]


@functools.lru_cache(maxsize=32)
def scores(count: int) -> tuple[float, ...]:
    """Decreasing scores of ``count`` ranked ids, summing to 1."""
    weights = [1.0 / (rank + 1) for rank in range(count)]
    total = sum(weights)
    return tuple(weight / total for weight in weights)


def _keyed(seed: str) -> Callable[[str], bytes]:
    """The sort key of an id for ``seed``: the digest of ``seed|id``."""
    start = hashlib.sha256(f"{seed}|".encode())

    def key(item: str) -> bytes:
        digest = start.copy()
        digest.update(item.encode())
        return digest.digest()

    return key


def ordered(seed: str, ids: Iterable[str]) -> list[str]:
    """``ids`` in an order fixed by ``seed``."""
    return sorted(ids, key=_keyed(seed))


class Candidates:
    """What a dataset group's answers rank: the ``known`` ids in an order fixed by each
    request's seed, then, when ``synthetic``, the synthetic catalogue of ``prefix``; each id
    once. Made from what the group holds and kept while that stays the same, it remembers
    the order of each seed it was asked for (up to ``REMEMBERED_SEEDS`` of them)."""

    __slots__ = (
        "_orders",
        "_sorted",
        "answers",
        "known",
        "known_set",
        "prefix",
        "size",
        "synthetic",
    )

    def __init__(self, known: list[str], prefix: str, synthetic: bool) -> None:
        self.known = known
        self.known_set = frozenset(known)
        self.prefix = prefix
        self.synthetic = synthetic
        catalogue = _catalogue(prefix)[1] if synthetic else frozenset()
        self.size = len(self.known_set) + len(catalogue - self.known_set)
        """How many distinct ids it ranks."""
        self._orders: dict[str, list[str]] = {}
        self._sorted: dict[tuple[str, ...], list[str]] = {}
        self.answers: dict[Hashable, Any] = {}
        """What answers made of its ids, by what they were made of (the runtime keeps its
        answers' entries here, up to ``REMEMBERED_SEEDS`` of them)."""

    def holds(self, item: str) -> bool:
        """Whether ``item`` is one of the ids it ranks."""
        return item in self.known_set or (self.synthetic and item in _catalogue(self.prefix)[1])

    def _order(self, seed: str) -> list[str]:
        """Every id it ranks, in ``seed``'s order."""
        order = self._orders.get(seed)
        if order is None:
            if len(self._orders) >= REMEMBERED_SEEDS:
                self._orders.clear()
            order = ordered(seed, self.known)
            if self.synthetic:
                known = self.known_set
                order += [name for name in synthetic_ids(seed, self.prefix) if name not in known]
            self._orders[seed] = order
        return order

    def top(
        self,
        seed: str,
        count: int | None = None,
        first: Sequence[str] = (),
        skip: str | None = None,
    ) -> list[str]:
        """The first ``count`` (all, if None) of ``first`` then the ids in ``seed``'s order;
        each id once, and never ``skip``."""
        order = self._order(seed)
        if not first and (skip is None or not self.holds(skip)):
            return order[:count]
        seen: set[str] = set()
        found: list[str] = []
        for item in chain(first, order):
            if item not in seen:
                seen.add(item)
                if item != skip:
                    found.append(item)
                    if len(found) == count:
                        break
        return found

    def count(self, first: Sequence[str] = (), skip: str | None = None) -> int:
        """How many ids :meth:`top` gives for any seed without a ``count``."""
        added = {item for item in first if not self.holds(item)}
        total = self.size + len(added)
        if skip is not None and (skip in added or self.holds(skip)):
            total -= 1
        return total

    def order(self, seed: str, ids: Iterable[str]) -> list[str]:
        """``ids`` in ``seed``'s order (as :func:`ordered`), remembered for these ids."""
        key = (seed, *ids)
        found = self._sorted.get(key)
        if found is None:
            if len(self._sorted) >= REMEMBERED_SEEDS:
                self._sorted.clear()
            found = self._sorted[key] = ordered(seed, key[1:])
        return list(found)


def candidates(seed: str, known: list[str], prefix: str, synthetic: bool) -> list[str]:
    """The ``known`` ids in an order fixed by ``seed``, then, when ``synthetic``, the
    synthetic catalogue of ``prefix``; each id once."""
    return Candidates(known, prefix, synthetic).top(seed)
