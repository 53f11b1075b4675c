"""What the installed botocore's models hold, for the few tests of members newer than the
oldest botocore the project supports."""

from __future__ import annotations

import botocore
import botocore.session
import pytest


def has_member(service: str, shape: str, member: str) -> bool:
    """Whether the installed model of ``service`` has ``member`` in ``shape``."""
    model = botocore.session.get_session().get_service_model(service)
    return member in model.shape_for(shape).members


def needs_member(service: str, shape: str, member: str) -> pytest.MarkDecorator:
    """Skip a test where the installed botocore's model lacks the member it is about."""
    return pytest.mark.skipif(
        not has_member(service, shape, member),
        reason=f"botocore {botocore.__version__}'s {service} model has no {shape}.{member}",
    )
