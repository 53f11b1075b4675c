"""Quick start: code that deploys a campaign and polls until it is ACTIVE."""

import time
from datetime import timedelta

import boto3
import pytest

RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"


def deploy(solution_version_arn: str) -> str:
    """Your code: deploy a campaign, poll once a minute until it is ACTIVE."""
    personalize = boto3.client("personalize")
    created = personalize.create_campaign(
        name="home", solutionVersionArn=solution_version_arn
    )
    arn = created["campaignArn"]
    while True:
        described = personalize.describe_campaign(campaignArn=arn)
        if described["campaign"]["status"] == "ACTIVE":
            return arn
        time.sleep(60)


# time.sleep() moves the fake clock:
@pytest.mark.personalize_stub(virtual_sleep=True)
def test_deploy(personalize_stub, personalize_client):
    client = personalize_client
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.settle()  # every resource reaches its final status
    solution = client.create_solution(
        name="recs", datasetGroupArn=group, recipeArn=RECIPE
    )
    personalize_stub.settle()
    version = client.create_solution_version(
        solutionArn=solution["solutionArn"]
    )
    personalize_stub.settle()
    started = personalize_stub.clock.now()

    arn = deploy(version["solutionVersionArn"])

    assert arn.endswith(":campaign/home")
    polls = [
        call
        for call in personalize_stub.calls
        if call.operation == "DescribeCampaign"
    ]
    assert polls[-1].response["campaign"]["status"] == "ACTIVE"
    # A campaign takes 10 minutes by default: deploy() polled at 0, 1, ...,
    # 10 minutes of fake time, and slept no real time.
    assert len(polls) == 11
    waited = personalize_stub.clock.now() - started
    assert timedelta(minutes=10) <= waited < timedelta(minutes=11)
