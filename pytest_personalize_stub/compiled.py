"""Functions compiled once per botocore shape, shared by every fake and every thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar, cast

Compiled = TypeVar("Compiled", bound=Callable[..., Any])


def generated(name: str, lines: list[str], names: dict[str, Any], title: str) -> Callable[..., Any]:
    """The function ``name`` that the source ``lines`` define, reading ``names`` as its
    globals; ``title`` names its source in tracebacks. For a shape's function written out
    member by member from the model, where a Python call per member costs more than its work."""
    namespace = dict(names)
    source = compile("\n".join(lines), f"<{title}>", "exec")
    exec(source, namespace)  # noqa: S102  # written from the model's names, each a repr()
    function: Callable[..., Any] = namespace[name]
    return function


class CompiledShapes(Generic[Compiled]):
    """A cache of per-shape functions that is safe for recursive shapes and racing threads.

    While a shape compiles, a nested reference to it gets a stand-in that calls the finished
    function. Nothing is published until the outermost compile is over, and compiles take a
    lock, so another thread never picks up a stand-in or a half-built function.
    """

    def __init__(self) -> None:
        self._done: dict[Hashable, Compiled] = {}
        self._building: dict[Hashable, Compiled] = {}
        self._depth = 0
        self._lock = threading.RLock()

    def get(self, key: Hashable, compile: Callable[[], Compiled]) -> Compiled:
        """The function for ``key``, compiled with ``compile()`` the first time."""
        done = self._done.get(key)
        if done is not None:
            return done
        with self._lock:
            found = self._done.get(key) or self._building.get(key)
            if found is not None:
                return found
            self._building[key] = cast(Compiled, lambda *args: self._done[key](*args))
            self._depth += 1
            finished: dict[Hashable, Compiled] = {}
            try:
                compiled = compile()
                self._building[key] = compiled
            finally:
                self._depth -= 1
                if self._depth == 0:
                    finished, self._building = self._building, {}
            self._done.update(finished)
            return compiled
