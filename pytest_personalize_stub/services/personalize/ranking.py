"""Deterministic stand-ins for what a trained model would rank: shared by the runtime's
answers and the batch jobs' output files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

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
