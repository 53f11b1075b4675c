"""Recipe: test that code retries a throttled call, with no real back-off wait."""

import time

import boto3
import pytest
from botocore.exceptions import ClientError


# --8<-- [start:code]
def dataset_group_status(arn, attempts=4):
    """Describe a dataset group, backing off 1, 2, 4 ... seconds while throttled."""
    personalize = boto3.client("personalize")
    for attempt in range(attempts):
        try:
            return personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]
        except ClientError as error:
            throttled = error.response["Error"]["Code"] == "ThrottlingException"
            if not throttled or attempt == attempts - 1:
                raise
            time.sleep(2**attempt)


# --8<-- [end:code]
# --8<-- [start:tests]
@pytest.mark.personalize_stub(virtual_sleep=True)
@pytest.mark.personalize_fail("DescribeDatasetGroup", error="ThrottlingException", times=2)
def test_two_throttled_calls_are_retried(personalize_stub, personalize_client):
    arn = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    started = personalize_stub.clock.now()

    assert dataset_group_status(arn) == "CREATE PENDING"

    describes = [c for c in personalize_stub.calls if c.operation == "DescribeDatasetGroup"]
    codes = [c.error.response["Error"]["Code"] if c.error else "ok" for c in describes]
    assert codes == ["ThrottlingException", "ThrottlingException", "ok"]
    assert describes[0].error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert (personalize_stub.clock.now() - started).total_seconds() >= 1 + 2  # backed off


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_it_gives_up_after_four_attempts(personalize_stub, personalize_client):
    arn = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.fail("DescribeDatasetGroup", error="ThrottlingException")  # every call

    with pytest.raises(ClientError, match="ThrottlingException"):
        dataset_group_status(arn)

    assert [c.operation for c in personalize_stub.calls].count("DescribeDatasetGroup") == 4


# --8<-- [end:tests]
