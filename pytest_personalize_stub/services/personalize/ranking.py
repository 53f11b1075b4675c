"""Deterministic stand-ins for what a trained model would rank: shared by the runtime's
answers and the batch jobs' output files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

DEFAULT_RESULTS = 25
"""Ids recommended when ``numResults`` is not given: GetRecommendations' documented default,
also used for batch jobs, whose documentation names none."""

CATALOG_SIZE = 1000
"""Ids in the synthetic catalogue of each kind (``item-0000`` ... ``item-0999``)."""


def synthetic_ids(seed: str, prefix: str) -> Iterator[str]:
    """Every id of the synthetic catalogue once, in an order fixed by ``seed``."""
    digest = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    step = 7919
    for index in range(CATALOG_SIZE):
        yield f"{prefix}-{(digest + index * step) % CATALOG_SIZE:04d}"


def scores(count: int) -> list[float]:
    """Decreasing scores of ``count`` ranked ids, summing to 1."""
    weights = [1.0 / (rank + 1) for rank in range(count)]
    total = sum(weights)
    return [weight / total for weight in weights]


def ordered(seed: str, ids: Iterable[str]) -> list[str]:
    """``ids`` in an order fixed by ``seed``."""
    return sorted(ids, key=lambda i: hashlib.sha256(f"{seed}|{i}".encode()).digest())


def candidates(seed: str, known: list[str], prefix: str, synthetic: bool) -> list[str]:
    """The ``known`` ids in an order fixed by ``seed``, then, when ``synthetic``, the
    synthetic catalogue of ``prefix``; each id once."""
    ranked = ordered(seed, known)
    if synthetic:
        ranked.extend(synthetic_ids(seed, prefix))
    return list(dict.fromkeys(ranked))
