"""Recipe: test that code retries a throttled call, with no real back-off."""

import time

import boto3
import pytest
from botocore.exceptions import ClientError


# --8<-- [start:code]
def dataset_group_status(arn, attempts=4):
    """Describe a dataset group, backing off 1, 2, 4 ... s while throttled."""
    personalize = boto3.client("personalize")
    for attempt in range(attempts):
        try:
            described = personalize.describe_dataset_group(datasetGroupArn=arn)
        except ClientError as error:
            throttled = error.response["Error"]["Code"] == "ThrottlingException"
            if not throttled or attempt == attempts - 1:
                raise
            time.sleep(2**attempt)
        else:
            return described["datasetGroup"]["status"]


# --8<-- [end:code]
# --8<-- [start:tests]
@pytest.mark.personalize_stub(virtual_sleep=True)
@pytest.mark.personalize_fail(
    "DescribeDatasetGroup", error="ThrottlingException", times=2
)
def test_two_throttled_calls_are_retried(personalize_stub, personalize_client):
    created = personalize_client.create_dataset_group(name="shop")
    started = personalize_stub.clock.now()

    assert dataset_group_status(created["datasetGroupArn"]) == "CREATE PENDING"

    describes = [
        call
        for call in personalize_stub.calls
        if call.operation == "DescribeDatasetGroup"
    ]
    codes = [
        call.error.response["Error"]["Code"] if call.error else "ok"
        for call in describes
    ]
    assert codes == ["ThrottlingException", "ThrottlingException", "ok"]
    metadata = describes[0].error.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == 400
    backed_off = personalize_stub.clock.now() - started
    assert backed_off.total_seconds() >= 1 + 2


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_it_gives_up_after_four_attempts(personalize_stub, personalize_client):
    created = personalize_client.create_dataset_group(name="shop")
    # Every call, from now on:
    personalize_stub.fail("DescribeDatasetGroup", error="ThrottlingException")

    with pytest.raises(ClientError, match="ThrottlingException"):
        dataset_group_status(created["datasetGroupArn"])

    operations = [call.operation for call in personalize_stub.calls]
    assert operations.count("DescribeDatasetGroup") == 4


# --8<-- [end:tests]
