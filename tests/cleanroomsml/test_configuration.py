"""Clean Rooms ML: the ML configuration of a membership, where model metrics and logs go.

As the API reference describes PutMLConfiguration
(https://docs.aws.amazon.com/cleanrooms-ml/latest/APIReference/API_PutMLConfiguration.html).
"""

from __future__ import annotations

from datetime import timedelta

import freezegun
import pytest
from support.cleanroomsml_flows import MEMBERSHIP, OTHER_MEMBERSHIP, ROLE

OUTPUT_LOCATION = {
    "destination": {"s3Destination": {"s3Uri": "s3://ml-metrics/churn/"}},
    "roleArn": ROLE,
}


# --------------------------------------------------------------------------------------------
# ML configuration
# --------------------------------------------------------------------------------------------


@freezegun.freeze_time("2025-01-01")
def test_ml_configuration_put_get_replace_delete(personalize_stub, cleanroomsml_client):
    get = cleanroomsml_client.get_ml_configuration
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        get(membershipIdentifier=MEMBERSHIP)
    answer = cleanroomsml_client.put_ml_configuration(
        membershipIdentifier=MEMBERSHIP, defaultOutputLocation=OUTPUT_LOCATION
    )
    assert set(answer) == {"ResponseMetadata"}
    first = get(membershipIdentifier=MEMBERSHIP)
    assert first["defaultOutputLocation"] == OUTPUT_LOCATION
    assert first["membershipIdentifier"] == MEMBERSHIP
    personalize_stub.clock.advance(minutes=5)
    cleanroomsml_client.put_ml_configuration(
        membershipIdentifier=MEMBERSHIP, defaultOutputLocation={"roleArn": ROLE}
    )
    second = get(membershipIdentifier=MEMBERSHIP)
    assert second["defaultOutputLocation"] == {"roleArn": ROLE}
    assert second["createTime"] == first["createTime"]
    assert second["updateTime"] == first["createTime"] + timedelta(minutes=5)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        get(membershipIdentifier=OTHER_MEMBERSHIP)
    cleanroomsml_client.delete_ml_configuration(membershipIdentifier=MEMBERSHIP)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        get(membershipIdentifier=MEMBERSHIP)
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException):
        cleanroomsml_client.delete_ml_configuration(membershipIdentifier=MEMBERSHIP)
