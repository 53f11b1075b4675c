"""Recipe: test a script that polls with ``time.sleep``, without the wait."""

import time

import boto3
import pytest

RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"


# --8<-- [start:script]
POLL_SECONDS = 30
TIMEOUT_SECONDS = 2 * 3600


class DeployError(RuntimeError):
    """A resource failed, or did not become ACTIVE in time."""


def wait_until_active(describe):
    """Poll ``describe()`` until its status is ACTIVE."""
    waited = 0
    while (status := describe()["status"]) != "ACTIVE":
        if status.endswith("FAILED") or waited >= TIMEOUT_SECONDS:
            raise DeployError(f"{status} after {waited} s")
        time.sleep(POLL_SECONDS)
        waited += POLL_SECONDS


def release(solution_arn, campaign_arn):
    """Train a new solution version and move the campaign to it.

    Returns the new version's ARN.
    """
    personalize = boto3.client("personalize")
    version = personalize.create_solution_version(solutionArn=solution_arn)
    version_arn = version["solutionVersionArn"]

    def training():
        return personalize.describe_solution_version(
            solutionVersionArn=version_arn
        )["solutionVersion"]

    def update():
        described = personalize.describe_campaign(campaignArn=campaign_arn)
        return described["campaign"]["latestCampaignUpdate"]

    wait_until_active(training)
    personalize.update_campaign(
        campaignArn=campaign_arn, solutionVersionArn=version_arn
    )
    wait_until_active(update)
    return version_arn


# --8<-- [end:script]
# --8<-- [start:tests]
@pytest.fixture
def deployed(personalize_stub, personalize_client):
    """An ACTIVE campaign serving a first solution version.

    Returns (solution ARN, campaign ARN).
    """
    client = personalize_client
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.settle()
    solution = client.create_solution(
        name="recs", datasetGroupArn=group, recipeArn=RECIPE
    )["solutionArn"]
    personalize_stub.settle()
    first = client.create_solution_version(solutionArn=solution)
    personalize_stub.settle()
    campaign = client.create_campaign(
        name="home", solutionVersionArn=first["solutionVersionArn"]
    )["campaignArn"]
    personalize_stub.settle()
    return solution, campaign


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_release_moves_the_campaign_to_the_new_version(
    personalize_stub, personalize_client, deployed
):
    solution, campaign = deployed

    version = release(solution, campaign)

    described = personalize_client.describe_campaign(campaignArn=campaign)
    served = described["campaign"]
    assert served["solutionVersionArn"] == version
    assert served["latestCampaignUpdate"]["status"] == "ACTIVE"
    polls = [
        call
        for call in personalize_stub.calls
        if call.operation == "DescribeSolutionVersion"
    ]
    # An hour of training, polled every 30 s:
    assert len(polls) == 3600 / POLL_SECONDS + 1


@pytest.mark.personalize_stub(
    virtual_sleep=True, durations={"solution_version": 3 * 3600}
)
def test_release_gives_up_after_two_hours(deployed):
    solution, campaign = deployed

    with pytest.raises(DeployError, match="CREATE IN_PROGRESS after 7200 s"):
        release(solution, campaign)


# --8<-- [end:tests]
