"""Fixtures the Clean Rooms ML custom-model tests share (channels and trained models)."""

import pytest
from support.cleanroomsml_flows import EXPORTS_ALLOWED, algorithm, association


@pytest.fixture
def linked(cleanroomsml_client):
    """An association of a fresh algorithm with the membership, exports allowed; its ARN."""
    return association(
        cleanroomsml_client, algorithm(cleanroomsml_client), privacyConfiguration=EXPORTS_ALLOWED
    )
