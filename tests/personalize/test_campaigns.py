"""Campaigns: create preconditions, status walk, updates, $LATEST sync, delete, listing and
the active-campaign quota."""

from __future__ import annotations

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from support.conformance import assert_conforms
from support.flows import (
    active_dataset,
    active_dataset_group,
    active_solution,
    deployed_campaign,
    trained_version,
)

JUST = 0.5
"""Seconds before a boundary at which the earlier status must still hold."""

CAMPAIGN_SECONDS = 600
DELETE_SECONDS = 60
TRAINING_SECONDS = 3600


# ---------------------------------------------------------------- helpers


@pytest.fixture
def model(personalize_stub, personalize_client):
    """An ACTIVE dataset group, dataset, solution and trained solution version."""
    stub, client = personalize_stub, personalize_client
    group = active_dataset_group(stub, client, "life-group")
    active_dataset(stub, client, group, "life-data")
    solution = active_solution(stub, client, group, "life-solution")
    version = trained_version(stub, client, solution)
    return {"datasetGroupArn": group, "solutionArn": solution, "solutionVersionArn": version}


def describe(client, arn):
    return client.describe_campaign(campaignArn=arn)["campaign"]


def status(client, arn):
    return describe(client, arn)["status"]


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def move_to(stub, instant):
    """Advance the fake's clock to ``instant``."""
    return stub.clock.advance(instant - stub.clock.now())


def at(stub, start, seconds):
    """Move the clock to ``seconds`` after ``start``."""
    return move_to(stub, start + timedelta(seconds=seconds))


def new_campaign(client, version_arn, name="camp", **kwargs):
    return client.create_campaign(name=name, solutionVersionArn=version_arn, **kwargs)[
        "campaignArn"
    ]


def second_version(stub, client, solution_arn):
    """Another ACTIVE version of the solution."""
    return trained_version(stub, client, solution_arn)


# ---------------------------------------------------------------- create


def test_create_campaign_on_a_training_version_is_resource_in_use(personalize_client, model):
    client = personalize_client
    training = client.create_solution_version(solutionArn=model["solutionArn"])[
        "solutionVersionArn"
    ]
    with pytest.raises(client.exceptions.ResourceInUseException):
        new_campaign(client, training)
    assert client.list_campaigns()["campaigns"] == []


def test_create_campaign_on_an_unknown_version_is_not_found(personalize_client, model):
    client = personalize_client
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        new_campaign(client, f"{model['solutionArn']}/0badc0de")


def test_create_campaign_with_a_bare_solution_arn_is_not_found(personalize_client, model):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        new_campaign(personalize_client, model["solutionArn"])


def test_campaign_walks_pending_in_progress_active(personalize_stub, personalize_client, model):
    client = personalize_client
    arn = new_campaign(client, model["solutionVersionArn"])
    start = describe(client, arn)["creationDateTime"]
    assert status(client, arn) == "CREATE PENDING"
    at(personalize_stub, start, CAMPAIGN_SECONDS * 0.1 - JUST)
    assert status(client, arn) == "CREATE PENDING"
    at(personalize_stub, start, CAMPAIGN_SECONDS * 0.1)
    assert status(client, arn) == "CREATE IN_PROGRESS"
    at(personalize_stub, start, CAMPAIGN_SECONDS - JUST)
    assert status(client, arn) == "CREATE IN_PROGRESS"
    at(personalize_stub, start, CAMPAIGN_SECONDS)
    assert status(client, arn) == "ACTIVE"


def test_new_campaign_echoes_defaults_and_has_no_update_summary(
    personalize_stub, personalize_client, model
):
    client = personalize_client
    arn = new_campaign(client, model["solutionVersionArn"])
    response = client.describe_campaign(campaignArn=arn)
    assert_conforms(response, client.meta.service_model.operation_model("DescribeCampaign"))
    pending = response["campaign"]
    assert "latestCampaignUpdate" not in pending
    assert "failureReason" not in pending
    assert pending["minProvisionedTPS"] == 1
    assert pending["solutionVersionArn"] == model["solutionVersionArn"]

    personalize_stub.settle()
    active = describe(client, arn)
    assert active["status"] == "ACTIVE"
    assert "latestCampaignUpdate" not in active


# ---------------------------------------------------------------- update preconditions


def test_update_while_create_pending_or_in_progress_is_resource_in_use(
    personalize_stub, personalize_client, model
):
    client = personalize_client
    arn = new_campaign(client, model["solutionVersionArn"])
    start = describe(client, arn)["creationDateTime"]
    assert status(client, arn) == "CREATE PENDING"
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.update_campaign(campaignArn=arn, minProvisionedTPS=2)

    at(personalize_stub, start, CAMPAIGN_SECONDS / 2)
    assert status(client, arn) == "CREATE IN_PROGRESS"
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.update_campaign(campaignArn=arn, minProvisionedTPS=2)
    assert "latestCampaignUpdate" not in describe(client, arn)

    at(personalize_stub, start, CAMPAIGN_SECONDS)
    client.update_campaign(campaignArn=arn, minProvisionedTPS=2)
    assert describe(client, arn)["latestCampaignUpdate"]["status"] == "CREATE PENDING"


def test_update_of_a_failed_campaign_is_allowed(personalize_stub, personalize_client, model):
    client = personalize_client
    personalize_stub.fail("CreateCampaign", status="CREATE FAILED", reason="No capacity")
    arn = new_campaign(client, model["solutionVersionArn"])
    personalize_stub.settle()
    failed = describe(client, arn)
    assert failed["status"] == "CREATE FAILED"
    assert failed["failureReason"] == "No capacity"

    client.update_campaign(campaignArn=arn, minProvisionedTPS=3)
    update = describe(client, arn)["latestCampaignUpdate"]
    assert update["status"] == "CREATE PENDING"
    assert update["minProvisionedTPS"] == 3


def test_update_of_an_unknown_campaign_is_not_found(personalize_client, model):
    arn = "arn:aws:personalize:us-east-1:123456789012:campaign/nobody"
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.update_campaign(campaignArn=arn, minProvisionedTPS=2)


def test_update_to_a_training_version_is_resource_in_use(
    personalize_stub, personalize_client, model
):
    client = personalize_client
    arn = new_campaign(client, model["solutionVersionArn"])
    personalize_stub.settle()
    training = client.create_solution_version(solutionArn=model["solutionArn"])[
        "solutionVersionArn"
    ]
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.update_campaign(campaignArn=arn, solutionVersionArn=training)
    assert "latestCampaignUpdate" not in describe(client, arn)


# ---------------------------------------------------------------- update walk


def test_update_keeps_the_live_config_until_it_is_active(
    personalize_stub, personalize_client, model
):
    stub, client = personalize_stub, personalize_client
    arn = new_campaign(client, model["solutionVersionArn"])
    stub.settle()
    before = describe(client, arn)
    old_config = before["campaignConfig"]
    newer = second_version(stub, client, model["solutionArn"])

    client.update_campaign(
        campaignArn=arn,
        solutionVersionArn=newer,
        minProvisionedTPS=5,
        campaignConfig={"enableMetadataWithRecommendations": True},
    )
    response = client.describe_campaign(campaignArn=arn)
    assert_conforms(response, client.meta.service_model.operation_model("DescribeCampaign"))
    update = response["campaign"]["latestCampaignUpdate"]
    started = update["creationDateTime"]
    assert update["solutionVersionArn"] == newer
    assert update["minProvisionedTPS"] == 5
    assert update["campaignConfig"]["enableMetadataWithRecommendations"] is True

    def check(expected_update_status):
        campaign = describe(client, arn)
        assert campaign["latestCampaignUpdate"]["status"] == expected_update_status
        assert campaign["status"] == "ACTIVE"
        assert campaign["solutionVersionArn"] == model["solutionVersionArn"]
        assert campaign["minProvisionedTPS"] == 1
        assert campaign["campaignConfig"] == old_config

    check("CREATE PENDING")
    at(stub, started, CAMPAIGN_SECONDS * 0.1 - JUST)
    check("CREATE PENDING")
    at(stub, started, CAMPAIGN_SECONDS * 0.1)
    check("CREATE IN_PROGRESS")
    at(stub, started, CAMPAIGN_SECONDS - JUST)
    check("CREATE IN_PROGRESS")

    at(stub, started, CAMPAIGN_SECONDS)
    after = describe(client, arn)
    assert after["status"] == "ACTIVE"
    assert after["latestCampaignUpdate"]["status"] == "ACTIVE"
    assert after["solutionVersionArn"] == newer
    assert after["minProvisionedTPS"] == 5
    assert after["campaignConfig"]["enableMetadataWithRecommendations"] is True
    assert after["creationDateTime"] == before["creationDateTime"]
    assert after["lastUpdatedDateTime"] > before["lastUpdatedDateTime"]
    assert "failureReason" not in after["latestCampaignUpdate"]


def test_update_keeps_members_it_does_not_name(personalize_stub, personalize_client, model):
    client = personalize_client
    arn = new_campaign(client, model["solutionVersionArn"], minProvisionedTPS=4)
    personalize_stub.settle()
    client.update_campaign(
        campaignArn=arn, campaignConfig={"enableMetadataWithRecommendations": True}
    )
    personalize_stub.settle()
    campaign = describe(client, arn)
    assert campaign["minProvisionedTPS"] == 4
    assert campaign["solutionVersionArn"] == model["solutionVersionArn"]
    assert campaign["latestCampaignUpdate"]["minProvisionedTPS"] == 4


def test_second_update_while_one_runs_is_resource_in_use(
    personalize_stub, personalize_client, model
):
    stub, client = personalize_stub, personalize_client
    arn = new_campaign(client, model["solutionVersionArn"])
    stub.settle()
    client.update_campaign(campaignArn=arn, minProvisionedTPS=2)
    started = describe(client, arn)["latestCampaignUpdate"]["creationDateTime"]

    with pytest.raises(client.exceptions.ResourceInUseException):
        client.update_campaign(campaignArn=arn, minProvisionedTPS=3)
    at(stub, started, CAMPAIGN_SECONDS / 2)
    assert describe(client, arn)["latestCampaignUpdate"]["status"] == "CREATE IN_PROGRESS"
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.update_campaign(campaignArn=arn, minProvisionedTPS=3)

    at(stub, started, CAMPAIGN_SECONDS)
    client.update_campaign(campaignArn=arn, minProvisionedTPS=3)
    campaign = describe(client, arn)
    assert campaign["latestCampaignUpdate"]["status"] == "CREATE PENDING"
    assert campaign["latestCampaignUpdate"]["minProvisionedTPS"] == 3
    assert campaign["minProvisionedTPS"] == 2


def test_failed_update_keeps_the_old_live_config(personalize_stub, personalize_client, model):
    stub, client = personalize_stub, personalize_client
    arn = new_campaign(client, model["solutionVersionArn"])
    stub.settle()
    newer = second_version(stub, client, model["solutionArn"])
    stub.fail("UpdateCampaign", status="CREATE FAILED", reason="Insufficient capacity")

    client.update_campaign(campaignArn=arn, solutionVersionArn=newer, minProvisionedTPS=7)
    update = describe(client, arn)["latestCampaignUpdate"]
    assert update["status"] == "CREATE PENDING"
    assert "failureReason" not in update
    started = update["creationDateTime"]
    at(stub, started, CAMPAIGN_SECONDS * 0.1)
    assert describe(client, arn)["latestCampaignUpdate"]["status"] == "CREATE IN_PROGRESS"
    at(stub, started, CAMPAIGN_SECONDS)

    campaign = describe(client, arn)
    assert campaign["latestCampaignUpdate"]["status"] == "CREATE FAILED"
    assert campaign["latestCampaignUpdate"]["failureReason"] == "Insufficient capacity"
    assert campaign["status"] == "ACTIVE"
    assert "failureReason" not in campaign
    assert campaign["solutionVersionArn"] == model["solutionVersionArn"]
    assert campaign["minProvisionedTPS"] == 1


# ---------------------------------------------------------------- $LATEST sync


def test_latest_sync_deploys_a_newer_version_when_it_becomes_active(
    personalize_stub, personalize_client, model
):
    stub, client = personalize_stub, personalize_client
    solution, first = model["solutionArn"], model["solutionVersionArn"]
    following = new_campaign(
        client,
        f"{solution}/$LATEST",
        name="follows",
        campaignConfig={"syncWithLatestSolutionVersion": True},
    )
    pinned = new_campaign(client, first, name="pinned")
    unsynced_latest = new_campaign(client, f"{solution}/$LATEST", name="latest-once")
    stub.settle()
    assert describe(client, following)["solutionVersionArn"] == first

    newer = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    trained_from = client.describe_solution_version(solutionVersionArn=newer)["solutionVersion"][
        "creationDateTime"
    ]
    at(stub, trained_from, TRAINING_SECONDS - JUST)
    assert "latestCampaignUpdate" not in describe(client, following)

    at(stub, trained_from, TRAINING_SECONDS)
    campaign = describe(client, following)
    update = campaign["latestCampaignUpdate"]
    assert update["solutionVersionArn"] == newer
    assert update["status"] == "CREATE PENDING"
    assert abs(
        update["creationDateTime"] - (trained_from + timedelta(seconds=TRAINING_SECONDS))
    ) < (timedelta(milliseconds=1))
    assert campaign["solutionVersionArn"] == first

    synced_at = trained_from + timedelta(seconds=TRAINING_SECONDS)
    at(stub, synced_at, CAMPAIGN_SECONDS - JUST)
    assert describe(client, following)["latestCampaignUpdate"]["status"] == "CREATE IN_PROGRESS"
    at(stub, synced_at, CAMPAIGN_SECONDS)
    campaign = describe(client, following)
    assert campaign["latestCampaignUpdate"]["status"] == "ACTIVE"
    assert campaign["solutionVersionArn"] == newer

    for other in (pinned, unsynced_latest):
        untouched = describe(client, other)
        assert "latestCampaignUpdate" not in untouched
        assert untouched["solutionVersionArn"] == first


def test_sync_ignores_versions_trained_with_training_mode_update(
    personalize_stub, personalize_client, model
):
    """Only FULL (and automatic) trainings are deployed; an UPDATE version is not (spec 3.11)."""
    stub, client = personalize_stub, personalize_client
    following = new_campaign(
        client,
        f"{model['solutionArn']}/$LATEST",
        campaignConfig={"syncWithLatestSolutionVersion": True},
    )
    stub.settle()
    client.create_solution_version(solutionArn=model["solutionArn"], trainingMode="UPDATE")
    stub.settle()
    campaign = describe(client, following)
    assert "latestCampaignUpdate" not in campaign
    assert campaign["solutionVersionArn"] == model["solutionVersionArn"]


def test_sync_ignores_versions_of_other_solutions(personalize_stub, personalize_client, model):
    stub, client = personalize_stub, personalize_client
    following = new_campaign(
        client,
        f"{model['solutionArn']}/$LATEST",
        campaignConfig={"syncWithLatestSolutionVersion": True},
    )
    other = active_solution(stub, client, model["datasetGroupArn"], "other-solution")
    trained_version(stub, client, other)
    campaign = describe(client, following)
    assert "latestCampaignUpdate" not in campaign
    assert campaign["solutionVersionArn"] == model["solutionVersionArn"]


def test_sync_needs_a_latest_arn(personalize_client, model):
    with pytest.raises(ClientError) as excinfo:
        new_campaign(
            personalize_client,
            model["solutionVersionArn"],
            campaignConfig={"syncWithLatestSolutionVersion": True},
        )
    assert error_code(excinfo) == "InvalidInputException"


# ---------------------------------------------------------------- delete


def test_delete_walks_pending_in_progress_then_gone(personalize_stub, personalize_client):
    stub, client = personalize_stub, personalize_client
    arns = deployed_campaign(stub, client, "bye")
    arn = arns["campaignArn"]
    response = client.delete_campaign(campaignArn=arn)
    assert_conforms(response, client.meta.service_model.operation_model("DeleteCampaign"))
    first = describe(client, arn)
    assert first["status"] == "DELETE PENDING"
    started = first["lastUpdatedDateTime"]

    with pytest.raises(client.exceptions.ResourceInUseException):
        client.delete_campaign(campaignArn=arn)

    at(stub, started, DELETE_SECONDS * 0.1 - JUST)
    assert status(client, arn) == "DELETE PENDING"
    at(stub, started, DELETE_SECONDS * 0.1)
    assert status(client, arn) == "DELETE IN_PROGRESS"
    assert [c["status"] for c in client.list_campaigns()["campaigns"]] == ["DELETE IN_PROGRESS"]
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.delete_campaign(campaignArn=arn)

    at(stub, started, DELETE_SECONDS - JUST)
    assert status(client, arn) == "DELETE IN_PROGRESS"
    at(stub, started, DELETE_SECONDS)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_campaign(campaignArn=arn)
    assert client.list_campaigns()["campaigns"] == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_campaign(campaignArn=arn)

    solution = client.describe_solution(solutionArn=arns["solutionArn"])["solution"]
    assert solution["status"] == "ACTIVE"


def test_delete_while_creating_is_resource_in_use(personalize_client, model):
    client = personalize_client
    arn = new_campaign(client, model["solutionVersionArn"])
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.delete_campaign(campaignArn=arn)
    assert status(client, arn) == "CREATE PENDING"


def test_delete_during_an_update_is_resource_in_use(personalize_stub, personalize_client, model):
    client = personalize_client
    arn = new_campaign(client, model["solutionVersionArn"])
    personalize_stub.settle()
    client.update_campaign(campaignArn=arn, minProvisionedTPS=2)
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.delete_campaign(campaignArn=arn)
    personalize_stub.settle()
    client.delete_campaign(campaignArn=arn)
    assert status(client, arn) == "DELETE PENDING"


def test_a_failed_campaign_can_be_deleted(personalize_stub, personalize_client, model):
    client = personalize_client
    personalize_stub.fail("CreateCampaign", status="CREATE FAILED", reason="broken")
    arn = new_campaign(client, model["solutionVersionArn"])
    personalize_stub.settle()
    client.delete_campaign(campaignArn=arn)
    personalize_stub.settle()
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_campaign(campaignArn=arn)


def test_delete_unknown_campaign_is_not_found(personalize_client):
    arn = "arn:aws:personalize:us-east-1:123456789012:campaign/ghost"
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.delete_campaign(campaignArn=arn)


def test_name_is_free_again_after_delete(personalize_stub, personalize_client, model):
    client = personalize_client
    arn = new_campaign(client, model["solutionVersionArn"], name="again")
    with pytest.raises(client.exceptions.ResourceAlreadyExistsException):
        new_campaign(client, model["solutionVersionArn"], name="again")
    personalize_stub.settle()
    client.delete_campaign(campaignArn=arn)
    personalize_stub.settle()
    assert new_campaign(client, model["solutionVersionArn"], name="again") == arn
    assert status(client, arn) == "CREATE PENDING"
    assert "latestCampaignUpdate" not in describe(client, arn)


# ---------------------------------------------------------------- listing


def test_list_campaigns_filters_by_solution(personalize_stub, personalize_client, model):
    stub, client = personalize_stub, personalize_client
    other_solution = active_solution(stub, client, model["datasetGroupArn"], "other-sol")
    other_version = trained_version(stub, client, other_solution)
    mine = {
        new_campaign(client, model["solutionVersionArn"], name="a"),
        new_campaign(
            client,
            f"{model['solutionArn']}/$LATEST",
            name="b",
            campaignConfig={"syncWithLatestSolutionVersion": True},
        ),
    }
    theirs = {new_campaign(client, other_version, name="c")}

    response = client.list_campaigns(solutionArn=model["solutionArn"])
    assert_conforms(response, client.meta.service_model.operation_model("ListCampaigns"))
    assert {c["campaignArn"] for c in response["campaigns"]} == mine
    other = client.list_campaigns(solutionArn=other_solution)["campaigns"]
    assert {c["campaignArn"] for c in other} == theirs
    assert {c["campaignArn"] for c in client.list_campaigns()["campaigns"]} == mine | theirs
    summary = other[0]
    assert summary["name"] == "c"
    assert summary["status"] == "CREATE PENDING"
    assert {"creationDateTime", "lastUpdatedDateTime"} <= set(summary)


def test_list_campaigns_pages_with_max_results_and_next_token(
    personalize_stub, personalize_client, model
):
    client = personalize_client
    created = {new_campaign(client, model["solutionVersionArn"], name=f"p{i}") for i in range(5)}

    seen, pages, token = [], [], None
    while True:
        kwargs = {"maxResults": 2} if token is None else {"maxResults": 2, "nextToken": token}
        page = client.list_campaigns(**kwargs)
        pages.append(len(page["campaigns"]))
        seen += [c["campaignArn"] for c in page["campaigns"]]
        token = page.get("nextToken")
        if token is None:
            break
    assert pages == [2, 2, 1]
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == created


def test_list_campaigns_paginator_walks_every_page(personalize_stub, personalize_client, model):
    client = personalize_client
    created = {new_campaign(client, model["solutionVersionArn"], name=f"q{i}") for i in range(5)}
    paginator = client.get_paginator("list_campaigns")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert [len(page["campaigns"]) for page in pages] == [2, 2, 1]
    assert {c["campaignArn"] for page in pages for c in page["campaigns"]} == created
    filtered = paginator.paginate(
        solutionArn=model["solutionArn"], PaginationConfig={"PageSize": 3}
    ).build_full_result()
    assert {c["campaignArn"] for c in filtered["campaigns"]} == created


def test_list_campaigns_rejects_a_forged_token(personalize_client):
    with pytest.raises(personalize_client.exceptions.InvalidNextTokenException):
        personalize_client.list_campaigns(nextToken="not-a-token")


# ---------------------------------------------------------------- quotas


@pytest.fixture
def group(personalize_stub, personalize_client):
    arn = active_dataset_group(personalize_stub, personalize_client, "train-group")
    active_dataset(personalize_stub, personalize_client, arn, "train-data")
    return arn


@pytest.fixture
def solution(personalize_stub, personalize_client, group):
    return active_solution(personalize_stub, personalize_client, group, "train-solution")


def test_five_active_campaigns_per_dataset_group(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = trained_version(personalize_stub, client, solution)
    for number in range(5):
        client.create_campaign(name=f"c{number}", solutionVersionArn=version)
    with pytest.raises(client.exceptions.LimitExceededException) as caught:
        client.create_campaign(name="c5", solutionVersionArn=version)
    assert caught.value.response["Error"]["Message"] == (
        "Cannot create a campaign. More than 5 resources in ACTIVE state. "
        "Please delete some and try again."
    )
    personalize_stub.settle()
    with pytest.raises(client.exceptions.LimitExceededException):
        client.create_campaign(name="c5", solutionVersionArn=version)
    client.delete_campaign(campaignArn=client.list_campaigns()["campaigns"][0]["campaignArn"])
    personalize_stub.settle()
    client.create_campaign(name="c5", solutionVersionArn=version)


@pytest.mark.personalize_stub(quotas={"active_campaigns_per_dataset_group": 1})
def test_campaign_quota_counts_per_dataset_group(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = trained_version(personalize_stub, client, solution)
    client.create_campaign(name="mine", solutionVersionArn=version)
    with pytest.raises(client.exceptions.LimitExceededException) as caught:
        client.create_campaign(name="second", solutionVersionArn=version)
    assert "More than 1 resources" in caught.value.response["Error"]["Message"]
    other = active_dataset_group(personalize_stub, client, "other-group")
    other_solution = active_solution(personalize_stub, client, other, "other-solution")
    other_version = trained_version(personalize_stub, client, other_solution)
    client.create_campaign(name="theirs", solutionVersionArn=other_version)


def test_failed_campaigns_do_not_count(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = trained_version(personalize_stub, client, solution)
    personalize_stub.fail("CreateCampaign", status="CREATE FAILED", reason="Capacity", times=5)
    for number in range(5):
        client.create_campaign(name=f"broken{number}", solutionVersionArn=version)
    personalize_stub.settle()
    client.create_campaign(name="works", solutionVersionArn=version)
