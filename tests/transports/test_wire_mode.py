"""``wire=True``: botocore's whole stack runs (serialising, signing, retrying with back-off,
``after-call``, parsing) and the fake answers at the HTTP layer, through the wire layer."""

from __future__ import annotations

import time
from datetime import timedelta

import boto3
import pytest
from botocore.config import Config
from support.flows import deployed_campaign

RETRYING = Config(retries={"mode": "standard", "max_attempts": 3})
NOT_RETRYING = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.mark.personalize_stub(wire=True, virtual_sleep=True)
@pytest.mark.personalize_fail("DescribeDatasetGroup", error="ThrottlingException", times=2)
def test_a_retry_config_absorbs_two_injected_throttlings_as_against_aws(personalize_stub):
    client = personalize_stub.client("personalize", config=RETRYING)
    arn = client.create_dataset_group(name="shop")["datasetGroupArn"]
    before = personalize_stub.clock.now()
    wall = time.perf_counter()

    described = client.describe_dataset_group(datasetGroupArn=arn)

    assert described["datasetGroup"]["name"] == "shop"
    assert described["ResponseMetadata"]["RetryAttempts"] == 2
    attempts = [c for c in personalize_stub.calls if c.operation == "DescribeDatasetGroup"]
    assert [c.error.response["Error"]["Code"] if c.error else "ok" for c in attempts] == [
        "ThrottlingException",
        "ThrottlingException",
        "ok",
    ]
    assert personalize_stub.clock.now() > before, "the back-off sleeps moved the fake clock"
    assert time.perf_counter() - wall < 1.0, "and did not sleep for real"


@pytest.mark.personalize_stub(wire=True)
@pytest.mark.personalize_fail("DescribeDatasetGroup", error="ThrottlingException", times=1)
def test_without_retries_the_throttling_reaches_the_code(personalize_stub):
    client = personalize_stub.client("personalize", config=NOT_RETRYING)
    arn = client.create_dataset_group(name="shop")["datasetGroupArn"]
    with pytest.raises(client.exceptions.ClientError) as throttled:
        client.describe_dataset_group(datasetGroupArn=arn)
    assert throttled.value.response["Error"]["Code"] == "ThrottlingException"
    assert throttled.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.personalize_stub(wire=True)
def test_a_client_gets_the_fakes_handler_once_and_back_if_it_was_removed(
    personalize_stub, monkeypatch
):
    client = personalize_stub.client("personalize")
    events = client.meta.events
    registered = []
    register_first = events.register_first

    def counted(event_name, handler, unique_id=None, **kwargs):
        registered.append(unique_id)
        register_first(event_name, handler, unique_id=unique_id, **kwargs)

    monkeypatch.setattr(events, "register_first", counted)
    client.create_dataset_group(name="shop")
    client.list_dataset_groups()
    assert registered == ["pytest-personalize-stub-wire-personalize"]

    events.unregister("before-send.personalize", unique_id=registered[0])
    listed = client.list_dataset_groups()["datasetGroups"]

    assert [group["name"] for group in listed] == ["shop"], "the fake answered, not the network"
    assert len(registered) == 2


@pytest.mark.personalize_stub(wire=True)
def test_user_event_handlers_of_the_whole_stack_fire(personalize_stub):
    client = personalize_stub.client("personalize")
    seen = []
    client.meta.events.register("before-sign.personalize", lambda **kw: seen.append("sign"))
    client.meta.events.register(
        "after-call.personalize", lambda http_response, **kw: seen.append(http_response.status_code)
    )
    client.create_dataset_group(name="shop")
    assert seen == ["sign", 200]


@pytest.mark.personalize_stub(wire=True)
def test_errors_come_back_as_the_clients_exceptions(personalize_stub, cleanroomsml_client):
    client = personalize_stub.client("personalize")
    missing = "arn:aws:personalize:us-east-1:123456789012:dataset-group/none"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as not_found:
        client.describe_dataset_group(datasetGroupArn=missing)
    assert not_found.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    unknown = "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/AAAAAAAAAAAAAAAAAAAAAA"
    with pytest.raises(cleanroomsml_client.exceptions.ResourceNotFoundException) as gone:
        cleanroomsml_client.get_training_dataset(trainingDatasetArn=unknown)
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.list_training_datasets(maxResults=101)


@pytest.mark.personalize_stub(wire=True)
def test_the_whole_flow_runs_over_the_wire(
    personalize_stub, personalize_client, personalize_runtime_client
):
    arns = deployed_campaign(personalize_stub, personalize_client)
    answer = personalize_runtime_client.get_recommendations(
        campaignArn=arns["campaignArn"], userId="u1", numResults=5
    )
    assert len(answer["itemList"]) == 5
    assert answer["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]
    described = personalize_client.describe_campaign(campaignArn=arns["campaignArn"])
    assert described["campaign"]["creationDateTime"] <= personalize_stub.clock.now()
    assert personalize_stub.clock.now() - described["campaign"]["creationDateTime"] > timedelta(0)


@pytest.mark.personalize_stub(wire=True)
def test_clients_the_code_makes_itself_go_over_the_wire_too(personalize_stub):
    client = boto3.client("personalize", region_name="us-east-1")
    sent = []
    client.meta.events.register("before-send", lambda request, **kw: sent.append(request.url))
    client.list_dataset_groups()
    assert sent == ["https://personalize.us-east-1.amazonaws.com/"]
