"""While a fake is active, no request of the four faked services leaves the process, whatever
the client: what the fake serves never builds a request, and what would bypass it is refused
before botocore resolves a host or opens a socket."""

from __future__ import annotations

import asyncio
import socket
import types

import boto3
import pytest
from botocore.client import BaseClient
from botocore.config import Config

from pytest_personalize_stub.intercept import NetworkRefused

FAKED = ("personalize", "personalize-runtime", "personalize-events", "cleanroomsml")
ORIGINAL_MAKE_API_CALL = BaseClient.__dict__["_make_api_call"]
"""botocore's own method, taken when this module was imported (before any fake started)."""

try:
    from aiobotocore.client import AioBaseClient
except ImportError:
    ORIGINAL_ASYNC_MAKE_API_CALL = None
else:
    ORIGINAL_ASYNC_MAKE_API_CALL = AioBaseClient.__dict__["_make_api_call"]


@pytest.fixture
def network(monkeypatch):
    """Every connection and name lookup attempted during the test; none is let through."""
    attempts = []

    def connect(sock, address):
        attempts.append(("connect", address))
        raise OSError("the test refuses to connect")

    def getaddrinfo(host, *args, **kwargs):
        attempts.append(("getaddrinfo", host))
        raise OSError("the test refuses to resolve names")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.fixture
def real_looking_environment(monkeypatch):
    """Credentials that could sign for a real account, and an endpoint set for every service."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://aws.example.invalid")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


def bypassing(client):
    """The client with botocore's own ``_make_api_call`` bound to it, so its calls do not go
    through the fake's patch (as a client class overriding the method would)."""
    client._make_api_call = types.MethodType(ORIGINAL_MAKE_API_CALL, client)
    return client


CALLS = {
    "personalize": ("ListDatasetGroups", lambda c: c.list_dataset_groups()),
    "personalize-runtime": (
        "GetRecommendations",
        lambda c: c.get_recommendations(
            campaignArn="arn:aws:personalize:us-east-1:123456789012:campaign/c", userId="u"
        ),
    ),
    "personalize-events": (
        "PutUsers",
        lambda c: c.put_users(
            datasetArn="arn:aws:personalize:us-east-1:123456789012:dataset/g/USERS",
            users=[{"userId": "u"}],
        ),
    ),
    "cleanroomsml": ("ListTrainingDatasets", lambda c: c.list_training_datasets()),
}


@pytest.mark.parametrize("service", FAKED)
def test_clients_with_an_endpoint_in_the_environment_are_served(
    real_looking_environment, network, personalize_stub, service
):
    operation, call = CALLS[service]
    client = boto3.client(service)
    assert client.meta.endpoint_url == "https://aws.example.invalid"
    try:
        call(client)
    except client.exceptions.ClientError as error:
        assert error.response["Error"]["Code"] == "ResourceNotFoundException"
    assert [(c.service, c.operation) for c in personalize_stub.calls] == [(service, operation)]
    assert network == []


@pytest.mark.parametrize("service", FAKED)
def test_a_client_that_bypasses_the_fake_is_refused_before_the_network(
    real_looking_environment, network, personalize_stub, service
):
    operation, call = CALLS[service]
    client = bypassing(boto3.client(service))
    with pytest.raises(NetworkRefused) as refused:
        call(client)
    message = str(refused.value)
    assert f"{service}.{operation}" in message
    assert "https://aws.example.invalid" in message
    assert "did not go through it" in message
    assert network == []
    assert personalize_stub.calls == []


ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})
"""No retries (and their back-off sleeps) for calls that are let through to the refused network."""


def test_other_services_are_not_refused(real_looking_environment, network, personalize_stub):
    s3 = boto3.client("s3", config=ONE_ATTEMPT)
    with pytest.raises(Exception) as failed:
        s3.list_buckets()
    assert not isinstance(failed.value, NetworkRefused)
    assert network, "S3 went on towards the network as botocore would send it"


def test_without_a_fake_nothing_is_guarded(real_looking_environment, network):
    client = boto3.client("personalize", config=ONE_ATTEMPT)
    with pytest.raises(Exception) as failed:
        client.list_dataset_groups()
    assert not isinstance(failed.value, NetworkRefused)
    assert network


@pytest.mark.parametrize("service", FAKED)
def test_async_clients_are_served_and_one_that_bypasses_is_refused(
    real_looking_environment, network, personalize_stub, service
):
    aiobotocore_session = pytest.importorskip(
        "aiobotocore.session", reason="aiobotocore is not installed (the async extra)"
    )
    operation, call = CALLS[service]
    original = ORIGINAL_ASYNC_MAKE_API_CALL

    async def main():
        session = aiobotocore_session.get_session()
        async with session.create_client(service) as served:
            try:
                await call(served)
            except served.exceptions.ClientError:
                pass
        async with session.create_client(service) as bypassing_client:
            bypassing_client._make_api_call = types.MethodType(original, bypassing_client)
            with pytest.raises(NetworkRefused) as refused:
                await call(bypassing_client)
            return refused.value

    refused = asyncio.run(main())
    assert f"{service}.{operation}" in str(refused)
    assert [(c.service, c.operation) for c in personalize_stub.calls] == [(service, operation)]
    assert network == []
