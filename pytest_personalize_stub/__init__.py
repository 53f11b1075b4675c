"""pytest-personalize-stub: in-memory, stateful fakes of AWS Personalize and Clean Rooms ML."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .controller import PersonalizeStub
    from .mocking import mock_personalize
    from .pipeline import Call

__all__ = ["Call", "PersonalizeStub", "__version__", "mock_personalize"]


def __getattr__(name: str) -> Any:
    if name == "PersonalizeStub":
        from .controller import PersonalizeStub

        return PersonalizeStub
    if name == "Call":
        from .pipeline import Call

        return Call
    if name == "mock_personalize":
        from .mocking import mock_personalize

        return mock_personalize
    raise AttributeError(name)
