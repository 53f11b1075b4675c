"""Recipe: async code (aiobotocore, aioboto3) tested with the fake."""

import asyncio

import pytest

pytest.importorskip(
    "aiobotocore", reason="aiobotocore is not installed (the async extra)"
)

# --8<-- [start:code]
from aiobotocore.session import get_session


async def wait_until_active(campaign_arn: str, every: float = 30) -> int:
    """Your code: poll a campaign with asyncio.sleep until it is ACTIVE.

    Returns the number of polls.
    """
    polls = 0
    async with get_session().create_client("personalize") as personalize:
        while True:
            polls += 1
            answer = await personalize.describe_campaign(
                campaignArn=campaign_arn
            )
            if answer["campaign"]["status"] == "ACTIVE":
                return polls
            await asyncio.sleep(every)


# --8<-- [end:code]


# --8<-- [start:tests]
RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"


@pytest.fixture
def version(personalize_stub, personalize_client):
    """An ACTIVE solution version to deploy (made with the sync client)."""
    client = personalize_client
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.settle()
    solution = client.create_solution(
        name="recs", datasetGroupArn=group, recipeArn=RECIPE
    )
    personalize_stub.settle()
    version = client.create_solution_version(
        solutionArn=solution["solutionArn"]
    )
    personalize_stub.settle()
    return version["solutionVersionArn"]


def deploy(personalize_client, version):
    """A campaign of the version, created through the sync client."""
    campaign = personalize_client.create_campaign(
        name="home", solutionVersionArn=version
    )
    return campaign["campaignArn"]


# asyncio.sleep moves the fake clock too:
@pytest.mark.personalize_stub(virtual_sleep=True)
def test_the_campaign_is_waited_for(
    personalize_stub, personalize_client, version
):
    arn = deploy(personalize_client, version)

    polls = asyncio.run(wait_until_active(arn))

    assert polls == 21  # a campaign takes 600 s by default: 20 naps of 30 s
    operations = [call.operation for call in personalize_stub.calls]
    assert operations.count("DescribeCampaign") == 21


@pytest.mark.personalize_fail(
    "DescribeCampaign", error="ThrottlingException", times=1
)
def test_a_throttled_poll_raises_the_clients_own_exception(
    personalize_client, version
):
    arn = deploy(personalize_client, version)

    async def poll_once():
        async with get_session().create_client("personalize") as personalize:
            with pytest.raises(personalize.exceptions.ClientError) as throttled:
                await personalize.describe_campaign(campaignArn=arn)
            return throttled.value.response["Error"]["Code"]

    assert asyncio.run(poll_once()) == "ThrottlingException"


# --8<-- [end:tests]
