"""pytest-personalize-stub: in-memory, stateful fakes of AWS Personalize and Clean Rooms ML."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .controller import PersonalizeStub
    from .pipeline import Call

__all__ = ["Call", "PersonalizeStub", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "PersonalizeStub":
        from .controller import PersonalizeStub

        return PersonalizeStub
    if name == "Call":
        from .pipeline import Call

        return Call
    raise AttributeError(name)
