"""How the plugin intercepts botocore: the clients of the code under test are served, other
services and moto go through untouched, calls are recorded, botocore is restored after every
test, and nothing ever reaches the network.
"""

from __future__ import annotations

import socket

import boto3
import pytest
from botocore.exceptions import ClientError
from support.cleanroomsml_flows import SEED, configured_audience_model
from support.flows import deployed_campaign
from support.inner import run_inner

import pytest_personalize_stub.intercept  # noqa: F401  (loaded once, not in every inner run)


class ReachedTheNetwork(Exception):
    """Raised by a ``before-send`` handler: botocore was about to send the HTTP request."""


def refuse_to_send(**kwargs):
    raise ReachedTheNetwork(kwargs["request"].url)


# --- interception -------------------------------------------------------------------------


def test_clients_made_by_the_code_under_test_are_served(bare_aws_environment, personalize_stub):
    personalize = boto3.client("personalize", region_name="us-east-1")
    arn = personalize.create_dataset_group(name="mine")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:us-east-1:123456789012:dataset-group/mine"
    assert personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == (
        "CREATE PENDING"
    )
    personalize_stub.settle()
    assert personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == (
        "ACTIVE"
    )

    cleanroomsml = boto3.client("cleanroomsml")
    assert cleanroomsml.list_audience_models()["audienceModels"] == []
    assert [call.operation for call in personalize_stub.calls] == [
        "CreateDatasetGroup",
        "DescribeDatasetGroup",
        "DescribeDatasetGroup",
        "ListAudienceModels",
    ]


def test_fixture_and_own_clients_share_one_account(personalize_stub, personalize_client):
    own = boto3.client("personalize", region_name="us-east-1")
    arn = own.create_dataset_group(name="shared")["datasetGroupArn"]
    names = [g["name"] for g in personalize_client.list_dataset_groups()["datasetGroups"]]
    assert names == ["shared"]
    group = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert group["name"] == "shared"


def test_other_services_go_through_botocore_untouched(personalize_stub):
    s3 = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    s3.meta.events.register("before-send.s3", refuse_to_send)
    with pytest.raises(ReachedTheNetwork):
        s3.list_buckets()
    assert personalize_stub.calls == []


def test_moto_serves_s3_beside_the_fake(personalize_stub, personalize_client):
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="audiences")
        s3.put_object(Bucket="audiences", Key="seed.jsonl", Body=b'{"user_id": "u1"}\n')
        body = s3.get_object(Bucket="audiences", Key="seed.jsonl")["Body"].read()
        assert body == b'{"user_id": "u1"}\n'

        arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
        own = boto3.client("personalize", region_name="us-east-1")
        group = own.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
        assert group["status"] == "CREATE PENDING"
        personalize_stub.settle()
        group = own.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
        assert group["status"] == "ACTIVE"

    assert [(c.service, c.operation) for c in personalize_stub.calls] == [
        ("personalize", "CreateDatasetGroup"),
        ("personalize", "DescribeDatasetGroup"),
        ("personalize", "DescribeDatasetGroup"),
    ]


@pytest.fixture
def moto_first():
    from moto import mock_aws

    with mock_aws():
        yield


def test_moto_started_before_the_fake(moto_first, personalize_stub, personalize_client):
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="bucket")
    s3.put_object(Bucket="bucket", Key="k", Body=b"v")
    assert s3.get_object(Bucket="bucket", Key="k")["Body"].read() == b"v"
    arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
    assert [c.operation for c in personalize_stub.calls] == ["CreateDatasetGroup"]


def test_calls_are_recorded(personalize_stub, personalize_client, personalize_runtime_client):
    params = {"name": "g", "tags": [{"tagKey": "team", "tagValue": "recs"}]}
    response = personalize_client.create_dataset_group(**params)
    missing = "arn:aws:personalize:us-east-1:123456789012:campaign/none"
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException) as caught:
        personalize_runtime_client.get_recommendations(campaignArn=missing, userId="u")

    first, second = personalize_stub.calls
    assert first.service == "personalize"
    assert first.operation == "CreateDatasetGroup"
    assert first.params == params
    assert first.response["datasetGroupArn"] == response["datasetGroupArn"]
    assert first.error is None
    assert second.service == "personalize-runtime"
    assert second.operation == "GetRecommendations"
    assert second.params == {"campaignArn": missing, "userId": "u"}
    assert second.error is caught.value
    assert second.response is None


def test_injected_failures_and_param_errors_are_recorded(personalize_stub, personalize_client):
    from botocore.exceptions import ParamValidationError

    personalize_stub.fail("list_campaigns", error="ThrottlingException", times=1)
    with pytest.raises(ClientError):
        personalize_client.list_campaigns(maxResults=5)
    with pytest.raises(ParamValidationError):
        personalize_client.create_dataset_group()
    throttled, invalid = personalize_stub.calls
    assert throttled.operation == "ListCampaigns"
    assert throttled.params == {"maxResults": 5}
    assert throttled.error.response["Error"]["Code"] == "ThrottlingException"
    assert invalid.operation == "CreateDatasetGroup"
    assert isinstance(invalid.error, ParamValidationError)


def test_botocore_is_restored_after_passing_failing_and_erroring_tests(inner):
    inner.makepyfile(
        """
        import boto3
        import pytest
        from botocore.client import BaseClient
        from conftest import ORIGINAL_MAKE_API_CALL


        class ReachedTheNetwork(Exception):
            pass


        def refuse_to_send(**kwargs):
            raise ReachedTheNetwork()


        def assert_botocore_is_itself():
            method = BaseClient.__dict__["_make_api_call"]
            assert method is ORIGINAL_MAKE_API_CALL
            assert method.__module__ == "botocore.client"
            assert method.__qualname__ == "BaseClient._make_api_call"
            client = boto3.client("personalize", region_name="us-east-1",
                                  aws_access_key_id="k", aws_secret_access_key="s")
            client.meta.events.register("before-send", refuse_to_send)
            with pytest.raises(ReachedTheNetwork):
                client.list_campaigns()


        def test_passes(personalize_stub):
            assert BaseClient.__dict__["_make_api_call"] is not ORIGINAL_MAKE_API_CALL


        def test_after_passing():
            assert_botocore_is_itself()


        def test_fails(personalize_client):
            personalize_client.create_dataset_group(name="g")
            assert False, "the test fails"


        def test_after_failing():
            assert_botocore_is_itself()


        @pytest.fixture
        def broken(personalize_stub):
            raise RuntimeError("a fixture of the user breaks")


        def test_errors(broken):
            pass


        def test_after_erroring():
            assert_botocore_is_itself()


        @pytest.fixture
        def breaks_at_teardown(personalize_stub):
            yield
            raise RuntimeError("teardown breaks")


        def test_teardown_errors(breaks_at_teardown, personalize_client):
            personalize_client.list_campaigns()


        def test_after_teardown_error():
            assert_botocore_is_itself()


        @pytest.mark.personalize_fail("CreateCampain", error="ThrottlingException")
        def test_bad_marker(personalize_stub):
            pass


        def test_after_bad_marker():
            assert_botocore_is_itself()
        """
    )
    result = run_inner(inner)
    result.assert_outcomes(passed=7, failed=1, errors=3)


# --- no network ---------------------------------------------------------------------------


@pytest.fixture
def guarded_network(monkeypatch):
    """Any connection attempt fails the test; credentials look like real ones."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("a test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLETOKEN")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    return attempts


def test_full_campaign_flow_never_touches_the_network(
    guarded_network, personalize_stub, personalize_client, personalize_runtime_client
):
    arns = deployed_campaign(personalize_stub, personalize_client)
    campaign = personalize_client.describe_campaign(campaignArn=arns["campaignArn"])["campaign"]
    assert campaign["status"] == "ACTIVE"
    items = personalize_runtime_client.get_recommendations(
        campaignArn=arns["campaignArn"], userId="u1", numResults=5
    )["itemList"]
    assert len(items) == 5

    own = boto3.client("personalize-runtime")
    again = own.get_recommendations(campaignArn=arns["campaignArn"], userId="u1", numResults=5)
    assert again["itemList"] == items
    assert guarded_network == []


def test_clients_of_all_four_services_never_touch_the_network(guarded_network, personalize_stub):
    """Clients the code makes itself, with real-looking credentials, for every stubbed service."""
    personalize = boto3.client("personalize")
    cleanroomsml = boto3.client("cleanroomsml")
    events = boto3.client("personalize-events")
    runtime = boto3.client("personalize-runtime")

    arns = deployed_campaign(personalize_stub, personalize)
    tracker = personalize.create_event_tracker(
        name="clicks", datasetGroupArn=arns["datasetGroupArn"]
    )
    personalize_stub.settle()
    events.put_events(
        trackingId=tracker["trackingId"],
        sessionId="s1",
        eventList=[{"eventType": "click", "sentAt": 1700000000, "itemId": "i1"}],
    )
    assert runtime.get_recommendations(campaignArn=arns["campaignArn"], userId="u1")["itemList"]
    configured = configured_audience_model(personalize_stub, cleanroomsml)
    job = cleanroomsml.start_audience_generation_job(
        name="audience",
        configuredAudienceModelArn=configured["configuredAudienceModelArn"],
        seedAudience=SEED,
    )
    personalize_stub.settle()
    answer = cleanroomsml.get_audience_generation_job(
        audienceGenerationJobArn=job["audienceGenerationJobArn"]
    )
    assert answer["status"] == "ACTIVE"
    with pytest.raises(personalize.exceptions.ResourceNotFoundException):
        personalize.describe_campaign(campaignArn=arns["campaignArn"] + "-gone")
    assert guarded_network == []
