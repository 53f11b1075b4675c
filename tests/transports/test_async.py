"""aiobotocore clients are served by the same fake account as botocore's: validation, errors as
their own ``client.exceptions``, the clock, failure rules and the call record.

Runs where aiobotocore is installed (the ``async`` extra); its releases pin botocore tightly,
so CI runs these in an environment of their own beside the main one.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from support.cleanroomsml_flows import OUTPUT_CONFIG, ROLE, TRAINING_DATA
from support.flows import INTERACTIONS_SCHEMA, USER_PERSONALIZATION
from support.inner import run_inner

aiobotocore_session = pytest.importorskip(
    "aiobotocore.session", reason="aiobotocore is not installed (the async extra)"
)


def aio_client(service, **kwargs):
    """An aiobotocore client context of ``service`` (enter it with ``async with``)."""
    kwargs.setdefault("region_name", "us-east-1")
    return aiobotocore_session.get_session().create_client(service, **kwargs)


async def deploy(personalize, stub):
    """The getting-started chain through an async client, settling between the steps."""
    group = (await personalize.create_dataset_group(name="shop"))["datasetGroupArn"]
    stub.settle()
    schema = (await personalize.create_schema(name="events", schema=INTERACTIONS_SCHEMA))[
        "schemaArn"
    ]
    await personalize.create_dataset(
        name="events", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )
    stub.settle()
    solution = (
        await personalize.create_solution(
            name="recs", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION
        )
    )["solutionArn"]
    stub.settle()
    version = (await personalize.create_solution_version(solutionArn=solution))[
        "solutionVersionArn"
    ]
    stub.settle()
    campaign = (await personalize.create_campaign(name="home", solutionVersionArn=version))[
        "campaignArn"
    ]
    return campaign


def test_an_async_client_deploys_a_campaign_and_gets_recommendations(personalize_stub):
    async def main():
        async with (
            aio_client("personalize") as personalize,
            aio_client("personalize-runtime") as runtime,
        ):
            campaign = await deploy(personalize, personalize_stub)
            described = await personalize.describe_campaign(campaignArn=campaign)
            assert described["campaign"]["status"] == "CREATE PENDING"
            personalize_stub.settle()
            described = await personalize.describe_campaign(campaignArn=campaign)
            assert described["campaign"]["status"] == "ACTIVE"
            answer = await runtime.get_recommendations(campaignArn=campaign, userId="u1")
            return answer

    answer = asyncio.run(main())
    assert len(answer["itemList"]) == 25
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    operations = [(call.service, call.operation) for call in personalize_stub.calls]
    assert operations[-1] == ("personalize-runtime", "GetRecommendations")
    assert ("personalize", "CreateCampaign") in operations


@pytest.mark.personalize_fail("CreateDatasetGroup", error="LimitExceededException", times=1)
def test_a_failure_marker_applies_to_an_async_call(personalize_stub):
    async def main():
        async with aio_client("personalize") as personalize:
            with pytest.raises(personalize.exceptions.LimitExceededException) as raised:
                await personalize.create_dataset_group(name="first")
            second = await personalize.create_dataset_group(name="second")
            return raised.value, second

    error, second = asyncio.run(main())
    assert error.response["Error"]["Code"] == "LimitExceededException"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert second["datasetGroupArn"].endswith(":dataset-group/second")
    assert personalize_stub.calls[0].error is error


def test_async_validation_and_service_errors_are_botocores(personalize_stub):
    async def main():
        async with aio_client("personalize") as personalize:
            with pytest.raises(ParamValidationError):
                await personalize.create_dataset_group()
            with pytest.raises(personalize.exceptions.ResourceNotFoundException):
                await personalize.describe_dataset_group(
                    datasetGroupArn="arn:aws:personalize:us-east-1:123456789012:dataset-group/x"
                )
            with pytest.raises(ClientError) as over_max:
                await personalize.create_dataset_group(name="n" * 64)
            return over_max.value

    error = asyncio.run(main())
    assert error.response["Error"]["Code"] == "InvalidInputException"
    assert [type(call.error).__name__ for call in personalize_stub.calls] == [
        "ParamValidationError",
        "ResourceNotFoundException",
        "InvalidInputException",
    ]


def test_a_sync_and_an_async_client_share_one_account(personalize_stub, personalize_client):
    created = personalize_client.create_dataset_group(name="sync-made")["datasetGroupArn"]

    async def main():
        async with aio_client("personalize") as personalize:
            listed = await personalize.list_dataset_groups()
            await personalize.create_dataset_group(name="async-made")
            return [group["datasetGroupArn"] for group in listed["datasetGroups"]]

    assert asyncio.run(main()) == [created]
    names = [g["name"] for g in personalize_client.list_dataset_groups()["datasetGroups"]]
    assert names == ["async-made", "sync-made"]


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_asyncio_sleep_moves_the_fake_clock_under_virtual_sleep(personalize_stub):
    async def poll(personalize, arn):
        polls = 0
        while (await personalize.describe_dataset_group(datasetGroupArn=arn))["datasetGroup"][
            "status"
        ] != "ACTIVE":
            polls += 1
            await asyncio.sleep(10)
        return polls

    async def main():
        async with aio_client("personalize") as personalize:
            arn = (await personalize.create_dataset_group(name="polled"))["datasetGroupArn"]
            return await poll(personalize, arn)

    wall = time.perf_counter()
    before = personalize_stub.clock.now()
    assert asyncio.run(main()) == 6
    moved = personalize_stub.clock.now() - before
    took = time.perf_counter() - wall
    assert took < 5
    assert timedelta(seconds=60) <= moved <= timedelta(seconds=60 + took)


def test_asyncio_sleep_is_real_without_virtual_sleep(personalize_stub):
    before = personalize_stub.clock.now()
    wall = time.perf_counter()
    asyncio.run(asyncio.sleep(0.05))
    assert time.perf_counter() - wall >= 0.05
    assert personalize_stub.clock.now() - before < timedelta(seconds=5)


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_virtual_asyncio_sleep_refuses_nan_and_counts_a_negative_delay_as_zero(personalize_stub):
    before = personalize_stub.clock.now()
    with pytest.raises(ValueError, match="nan"):
        asyncio.run(asyncio.sleep(float("nan")))
    asyncio.run(asyncio.sleep(-5))
    assert personalize_stub.clock.now() - before < timedelta(seconds=1)


def test_asyncio_sleep_is_restored_after_the_fake(inner):
    inner.makepyfile(
        """
        import asyncio

        import pytest

        REAL = asyncio.sleep

        @pytest.mark.personalize_stub(virtual_sleep=True)
        def test_virtual(personalize_stub):
            assert asyncio.sleep is not REAL

        def test_after():
            assert asyncio.sleep is REAL
        """
    )
    run_inner(inner).assert_outcomes(passed=2)


def test_cleanroomsml_through_an_async_client(personalize_stub):
    async def main():
        async with aio_client("cleanroomsml") as cleanroomsml:
            created = await cleanroomsml.create_training_dataset(
                name="events", roleArn=OUTPUT_CONFIG["roleArn"], trainingData=TRAINING_DATA
            )
            got = await cleanroomsml.get_training_dataset(
                trainingDatasetArn=created["trainingDatasetArn"]
            )
            with pytest.raises(cleanroomsml.exceptions.ConflictException):
                await cleanroomsml.create_training_dataset(
                    name="events", roleArn=ROLE, trainingData=TRAINING_DATA
                )
            return got

    assert asyncio.run(main())["status"] == "ACTIVE"


@pytest.mark.personalize_stub(wire=True, virtual_sleep=True)
@pytest.mark.personalize_fail("ListDatasetGroups", error="ThrottlingException", times=2)
def test_an_async_client_over_the_wire_retries_injected_throttling(personalize_stub):
    from botocore.config import Config

    retrying = Config(retries={"mode": "standard", "max_attempts": 3})

    async def main():
        async with aio_client("personalize", config=retrying) as personalize:
            await personalize.create_dataset_group(name="shop")
            return await personalize.list_dataset_groups()

    listed = asyncio.run(main())
    assert [g["name"] for g in listed["datasetGroups"]] == ["shop"]
    assert listed["ResponseMetadata"]["RetryAttempts"] == 2
    codes = [
        call.error.response["Error"]["Code"] if call.error else "ok"
        for call in personalize_stub.calls
        if call.operation == "ListDatasetGroups"
    ]
    assert codes == ["ThrottlingException", "ThrottlingException", "ok"]
