"""The per-shape cache behind validation and response projection, under recursion and threads."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from pytest_personalize_stub.compiled import CompiledShapes

BLOCKED = 0.05
"""Seconds a thread is given to show that it waits for a compile in another thread."""


def test_a_recursive_shape_refers_to_itself_through_a_stand_in():
    cache: CompiledShapes[Callable[[int], int]] = CompiledShapes()

    def depth_counter() -> Callable[[int], int]:
        nested = cache.get("node", depth_counter)
        return lambda n: 0 if n == 0 else 1 + nested(n - 1)

    assert cache.get("node", depth_counter)(5) == 5


def test_a_thread_waits_for_a_compile_in_progress_instead_of_taking_a_stand_in():
    cache: CompiledShapes[Callable[[int], int]] = CompiledShapes()
    compiling, release = threading.Event(), threading.Event()
    results: list[int] = []

    def slow() -> Callable[[int], int]:
        compiling.set()
        release.wait()
        return lambda n: n + 1

    first = threading.Thread(target=lambda: results.append(cache.get("shape", slow)(1)))
    first.start()
    compiling.wait()
    second = threading.Thread(
        target=lambda: results.append(cache.get("shape", lambda: lambda n: n + 100)(1))
    )
    second.start()
    second.join(BLOCKED)
    assert second.is_alive(), "the second thread did not wait for the compile"
    release.set()
    first.join()
    second.join()
    assert results == [2, 2]


def test_nested_results_are_published_only_with_the_outermost_shape():
    """A member shape that refers back to its parent must not be used before the parent is
    done: its stand-in would have nothing to call."""
    cache: CompiledShapes[Callable[[int], int]] = CompiledShapes()
    seen_from_another_thread: list[int] = []

    def parent() -> Callable[[int], int]:
        member = cache.get("member", child)
        reader = threading.Thread(
            target=lambda: seen_from_another_thread.append(cache.get("member", child)(2))
        )
        reader.start()
        reader.join(BLOCKED)
        assert reader.is_alive(), "the member was published before its parent"
        parent.reader = reader  # type: ignore[attr-defined]
        return lambda n: 0 if n == 0 else 1 + member(n - 1)

    def child() -> Callable[[int], int]:
        back = cache.get("parent", parent)
        return lambda n: 0 if n == 0 else 1 + back(n - 1)

    assert cache.get("parent", parent)(4) == 4
    parent.reader.join()  # type: ignore[attr-defined]
    assert seen_from_another_thread == [2]


def test_a_failed_compile_publishes_nothing_and_can_be_retried():
    cache: CompiledShapes[Callable[[int], int]] = CompiledShapes()

    def broken() -> Callable[[int], int]:
        cache.get("member", lambda: lambda n: n)
        raise ValueError("bad shape")

    with pytest.raises(ValueError, match="bad shape"):
        cache.get("shape", broken)
    assert cache.get("shape", lambda: lambda n: n * 3)(2) == 6
    assert cache.get("member", lambda: lambda n: n * 5)(2) == 10
