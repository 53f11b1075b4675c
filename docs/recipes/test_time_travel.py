"""Recipe: move the fake's statuses with freezegun or time-machine.

The tools move statuses as ``clock.advance()`` or ``settle()`` would.
"""

from datetime import datetime, timedelta, timezone

import time_machine
from freezegun import freeze_time

MONDAY_9AM = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def describe(client, arn):
    return client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]


def status(client, arn):
    return describe(client, arn)["status"]


# --8<-- [start:freezegun]
def test_freezegun_moves_statuses(personalize_stub, personalize_client):
    with freeze_time(MONDAY_9AM) as frozen:
        created = personalize_client.create_dataset_group(name="shop")
        arn = created["datasetGroupArn"]
        # A dataset group takes 60 s: 6 s CREATE PENDING, then IN_PROGRESS.
        assert status(personalize_client, arn) == "CREATE PENDING"

        frozen.tick(timedelta(seconds=6))
        assert status(personalize_client, arn) == "CREATE IN_PROGRESS"

        frozen.move_to(MONDAY_9AM + timedelta(minutes=1))
        assert status(personalize_client, arn) == "ACTIVE"
        assert personalize_stub.clock.now() == MONDAY_9AM + timedelta(minutes=1)


# --8<-- [end:freezegun]
# --8<-- [start:time-machine]
def test_time_machine_moves_statuses(personalize_stub, personalize_client):
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        created = personalize_client.create_dataset_group(name="shop")
        arn = created["datasetGroupArn"]
        assert status(personalize_client, arn) == "CREATE PENDING"

        traveller.shift(timedelta(seconds=59))
        assert status(personalize_client, arn) == "CREATE IN_PROGRESS"

        traveller.shift(timedelta(seconds=1))
        assert status(personalize_client, arn) == "ACTIVE"
        group = describe(personalize_client, arn)
        assert group["lastUpdatedDateTime"] == MONDAY_9AM + timedelta(minutes=1)


# --8<-- [end:time-machine]
