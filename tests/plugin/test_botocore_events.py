"""botocore's events on the fast path: the fake skips emitting them only while every handler
they would run is one of botocore's own that cannot change the outcome; a handler that a user
or another library registers, at any time, runs as botocore would run it."""

from __future__ import annotations

import boto3
import pytest
from botocore import handlers
from botocore.model import ServiceModel
from botocore.stub import Stubber

from pytest_personalize_stub.intercept import INERT_HANDLERS, _inert

GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/{}"


def rename(params, **kwargs):
    params["name"] = params["name"] + "-renamed"


@pytest.mark.parametrize("event", ["provide-client-params", "before-parameter-build"])
def test_a_handler_registered_after_calls_were_served_runs_on_the_next_call(
    event, personalize_stub, personalize_client
):
    personalize_client.create_dataset_group(name="before")
    personalize_client.meta.events.register(f"{event}.personalize.CreateDatasetGroup", rename)
    arn = personalize_client.create_dataset_group(name="after")["datasetGroupArn"]
    assert arn == GROUP.format("after-renamed")
    assert personalize_stub.calls[-1].params["name"] == "after-renamed"
    personalize_client.meta.events.unregister(f"{event}.personalize.CreateDatasetGroup", rename)
    arn = personalize_client.create_dataset_group(name="again")["datasetGroupArn"]
    assert arn == GROUP.format("again")


def test_a_handler_for_every_operation_of_every_service_runs(personalize_client):
    seen = []
    personalize_client.meta.events.register(
        "before-call", lambda model, **kwargs: seen.append(model.name)
    )
    personalize_client.list_dataset_groups()
    personalize_client.list_recipes()
    assert seen == ["ListDatasetGroups", "ListRecipes"]


def test_a_session_handler_runs_for_clients_the_code_makes(personalize_stub):
    session = boto3.Session(region_name="us-east-1")
    session.events.register("provide-client-params.personalize.CreateDatasetGroup", rename)
    client = session.client("personalize")
    assert client.create_dataset_group(name="mine")["datasetGroupArn"] == (
        GROUP.format("mine-renamed")
    )


def test_a_before_call_handler_that_answers_answers_the_call(personalize_stub, personalize_client):
    personalize_client.list_dataset_groups()
    with Stubber(personalize_client) as stubber:
        stubber.add_response("list_dataset_groups", {"datasetGroups": []})
        assert personalize_client.list_dataset_groups()["datasetGroups"] == []
    personalize_client.create_dataset_group(name="real")
    listed = personalize_client.list_dataset_groups()["datasetGroups"]
    assert [group["name"] for group in listed] == ["real"]


def test_a_handler_that_raises_stops_the_call(personalize_stub, personalize_client):
    def refuse(**kwargs):
        raise PermissionError("not in this test")

    personalize_client.meta.events.register("before-parameter-build.personalize", refuse)
    with pytest.raises(PermissionError):
        personalize_client.list_dataset_groups()


def test_botocores_idempotency_token_handler_is_inert_only_without_token_members():
    model = ServiceModel(
        {
            "metadata": {"protocol": "json", "apiVersion": "2020-01-01", "endpointPrefix": "x"},
            "operations": {
                "Put": {"name": "Put", "input": {"shape": "PutInput"}},
                "Get": {"name": "Get", "input": {"shape": "GetInput"}},
            },
            "shapes": {
                "PutInput": {
                    "type": "structure",
                    "members": {"Token": {"shape": "S", "idempotencyToken": True}},
                },
                "GetInput": {"type": "structure", "members": {"Name": {"shape": "S"}}},
                "S": {"type": "string"},
            },
        }
    )
    assert not _inert(handlers.generate_idempotent_uuid, model.operation_model("Put"))
    assert _inert(handlers.generate_idempotent_uuid, model.operation_model("Get"))
    assert not _inert(rename, model.operation_model("Get"))
    assert all(getattr(handlers, handler.__name__) is handler for handler in INERT_HANDLERS)


def test_an_async_clients_handler_runs_too(personalize_stub):
    pytest.importorskip("aiobotocore", reason="aiobotocore is not installed (async extra)")
    import asyncio

    from aiobotocore.session import get_session

    async def create() -> str:
        async with get_session().create_client("personalize", region_name="us-east-1") as client:
            await client.list_dataset_groups()
            client.meta.events.register(
                "before-parameter-build.personalize.CreateDatasetGroup", rename
            )
            created = await client.create_dataset_group(name="async")
            return str(created["datasetGroupArn"])

    assert asyncio.run(create()) == GROUP.format("async-renamed")
