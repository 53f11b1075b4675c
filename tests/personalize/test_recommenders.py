"""Recommenders of domain dataset groups: create, stop, start, update and delete, their
preconditions and quota, as the developer guide describes them ("Creating domain recommenders
in Amazon Personalize",
https://docs.aws.amazon.com/personalize/latest/dg/creating-domain-recommenders.html)."""

from __future__ import annotations

import re

import pytest
from support.flows import active_dataset_group

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
RECIPE = "arn:aws:personalize:::recipe/"
FOR_YOU = RECIPE + "aws-ecomm-recommended-for-you"
BOUGHT_TOGETHER = RECIPE + "aws-ecomm-frequently-bought-together"
TOP_PICKS = RECIPE + "aws-vod-top-picks"


def domain_group(stub, client, name="shop", domain="ECOMMERCE"):
    arn = client.create_dataset_group(name=name, domain=domain)["datasetGroupArn"]
    stub.settle()
    return arn


def recommender(client, group, name="for-you", recipe=FOR_YOU, **extra):
    return client.create_recommender(name=name, datasetGroupArn=group, recipeArn=recipe, **extra)[
        "recommenderArn"
    ]


def described(client, arn):
    return client.describe_recommender(recommenderArn=arn)["recommender"]


def status(client, arn):
    return described(client, arn)["status"]


@pytest.mark.personalize_stub(durations={"recommender": 1000})
def test_recommender_walks_to_active_and_reports_metrics_once_trained(
    personalize_stub, personalize_client
):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    assert arn == PREFIX + "recommender/for-you"
    creating = described(personalize_client, arn)
    assert creating["status"] == "CREATE PENDING"
    assert "modelMetrics" not in creating
    assert creating["recommenderConfig"] == {"minRecommendationRequestsPerSecond": 1}
    assert (creating["datasetGroupArn"], creating["recipeArn"]) == (group, FOR_YOU)
    personalize_stub.clock.advance(seconds=150)
    assert status(personalize_client, arn) == "CREATE IN_PROGRESS"
    assert "modelMetrics" not in described(personalize_client, arn)
    personalize_stub.clock.advance(seconds=850)
    ready = described(personalize_client, arn)
    assert ready["status"] == "ACTIVE"
    assert set(ready["modelMetrics"]) >= {"coverage", "precision_at_25"}
    assert all(0 <= value <= 1 for value in ready["modelMetrics"].values())
    assert "latestRecommenderUpdate" not in ready
    assert "failureReason" not in ready


def test_recommender_keeps_the_given_configuration(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    config = {
        "minRecommendationRequestsPerSecond": 3,
        "enableMetadataWithRecommendations": True,
        "itemExplorationConfig": {"explorationWeight": "0.5"},
        "trainingDataConfig": {"excludedDatasetColumns": {"ITEMS": ["PRICE"]}},
    }
    arn = recommender(personalize_client, group, recommenderConfig=config)
    assert described(personalize_client, arn)["recommenderConfig"] == config


def test_list_recommenders_filters_by_dataset_group(personalize_stub, personalize_client):
    shop = domain_group(personalize_stub, personalize_client)
    videos = domain_group(personalize_stub, personalize_client, "videos", "VIDEO_ON_DEMAND")
    first = recommender(personalize_client, shop)
    second = recommender(personalize_client, shop, "together", BOUGHT_TOGETHER)
    third = recommender(personalize_client, videos, "picks", TOP_PICKS)
    listed = personalize_client.list_recommenders(datasetGroupArn=shop)["recommenders"]
    assert [r["recommenderArn"] for r in listed] == [second, first]
    assert listed[0]["recommenderConfig"] == {"minRecommendationRequestsPerSecond": 1}
    assert listed[0]["status"] == "CREATE PENDING"
    everything = personalize_client.list_recommenders()["recommenders"]
    assert [r["recommenderArn"] for r in everything] == [third, second, first]
    paged = personalize_client.get_paginator("list_recommenders").paginate(
        PaginationConfig={"PageSize": 2}
    )
    assert [len(page["recommenders"]) for page in paged] == [2, 1]


def test_recommender_needs_a_domain_dataset_group(personalize_stub, personalize_client):
    custom = active_dataset_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.InvalidInputException) as error:
        recommender(personalize_client, custom)
    assert "Domain" in error.value.response["Error"]["Message"]
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        recommender(personalize_client, PREFIX + "dataset-group/missing")


def test_recommender_needs_an_active_dataset_group(personalize_stub, personalize_client):
    group = personalize_client.create_dataset_group(name="shop", domain="ECOMMERCE")[
        "datasetGroupArn"
    ]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        recommender(personalize_client, group)
    personalize_stub.settle()
    recommender(personalize_client, group)


@pytest.mark.parametrize(
    "recipe",
    [
        TOP_PICKS,
        RECIPE + "aws-vod-trending-now",
        RECIPE + "aws-user-personalization",
        RECIPE + "aws-similar-items",
    ],
)
def test_recommender_recipe_must_be_a_use_case_of_the_groups_domain(
    personalize_stub, personalize_client, recipe
):
    group = domain_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        recommender(personalize_client, group, recipe=recipe)
    assert personalize_client.list_recommenders()["recommenders"] == []


def test_unknown_recipe_is_not_found(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        recommender(personalize_client, group, recipe=RECIPE + "aws-ecomm-no-such-use-case")


@pytest.mark.parametrize(
    ("recipe", "accepted"),
    [
        (FOR_YOU, True),
        (BOUGHT_TOGETHER, False),
        (RECIPE + "aws-ecomm-popular-items-by-views", False),
    ],
)
def test_item_exploration_only_for_personalized_use_cases(
    personalize_stub, personalize_client, recipe, accepted
):
    group = domain_group(personalize_stub, personalize_client)
    config = {"itemExplorationConfig": {"explorationWeight": "0.3"}}
    if accepted:
        recommender(personalize_client, group, recipe=recipe, recommenderConfig=config)
    else:
        with pytest.raises(personalize_client.exceptions.InvalidInputException):
            recommender(personalize_client, group, recipe=recipe, recommenderConfig=config)


def test_recommender_name_is_unique(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    recommender(personalize_client, group)
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        recommender(personalize_client, group, recipe=BOUGHT_TOGETHER)


def test_five_recommenders_per_dataset_group(personalize_stub, personalize_client):
    shop = domain_group(personalize_stub, personalize_client)
    other = domain_group(personalize_stub, personalize_client, "other")
    for index in range(5):
        recommender(personalize_client, shop, f"r{index}")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        recommender(personalize_client, shop, "r5")
    recommender(personalize_client, other, "r5")


@pytest.mark.personalize_stub(quotas={"recommenders_per_dataset_group": 1})
def test_recommender_quota_is_configurable(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    recommender(personalize_client, group)
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        recommender(personalize_client, group, "second", BOUGHT_TOGETHER)


@pytest.mark.personalize_stub(durations={"recommender": 100})
def test_stop_and_start_walk_their_statuses(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    personalize_stub.settle()
    metrics = described(personalize_client, arn)["modelMetrics"]
    assert personalize_client.stop_recommender(recommenderArn=arn)["recommenderArn"] == arn
    assert status(personalize_client, arn) == "STOP PENDING"
    personalize_stub.clock.advance(seconds=20)
    assert status(personalize_client, arn) == "STOP IN_PROGRESS"
    personalize_stub.clock.advance(seconds=80)
    stopped = described(personalize_client, arn)
    assert stopped["status"] == "INACTIVE"
    assert stopped["modelMetrics"] == metrics
    assert personalize_client.start_recommender(recommenderArn=arn)["recommenderArn"] == arn
    assert status(personalize_client, arn) == "START PENDING"
    personalize_stub.clock.advance(seconds=20)
    assert status(personalize_client, arn) == "START IN_PROGRESS"
    personalize_stub.clock.advance(seconds=80)
    assert status(personalize_client, arn) == "ACTIVE"


def test_stop_and_start_take_five_minutes_by_default(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    personalize_stub.settle()
    personalize_client.stop_recommender(recommenderArn=arn)
    personalize_stub.clock.advance(seconds=299)
    assert status(personalize_client, arn) == "STOP IN_PROGRESS"
    personalize_stub.clock.advance(seconds=1)
    assert status(personalize_client, arn) == "INACTIVE"


def test_stop_and_start_need_the_right_status(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    in_use = personalize_client.exceptions.ResourceInUseException
    with pytest.raises(in_use):
        personalize_client.stop_recommender(recommenderArn=arn)
    personalize_stub.settle()
    with pytest.raises(in_use):
        personalize_client.start_recommender(recommenderArn=arn)
    personalize_client.stop_recommender(recommenderArn=arn)
    with pytest.raises(in_use):
        personalize_client.stop_recommender(recommenderArn=arn)
    with pytest.raises(in_use):
        personalize_client.start_recommender(recommenderArn=arn)
    personalize_stub.settle()
    with pytest.raises(in_use):
        personalize_client.stop_recommender(recommenderArn=arn)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.start_recommender(recommenderArn=PREFIX + "recommender/missing")


@pytest.mark.personalize_stub(durations={"recommender": 100})
def test_update_is_tracked_and_applied_when_active(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    personalize_stub.settle()
    new = {"minRecommendationRequestsPerSecond": 4, "enableMetadataWithRecommendations": True}
    assert (
        personalize_client.update_recommender(recommenderArn=arn, recommenderConfig=new)[
            "recommenderArn"
        ]
        == arn
    )
    updating = described(personalize_client, arn)
    assert updating["status"] == "ACTIVE"
    assert updating["recommenderConfig"] == {"minRecommendationRequestsPerSecond": 1}
    assert updating["latestRecommenderUpdate"]["status"] == "CREATE PENDING"
    assert updating["latestRecommenderUpdate"]["recommenderConfig"] == new
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.update_recommender(recommenderArn=arn, recommenderConfig=new)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.stop_recommender(recommenderArn=arn)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_recommender(recommenderArn=arn)
    personalize_stub.clock.advance(seconds=20)
    assert (
        described(personalize_client, arn)["latestRecommenderUpdate"]["status"]
        == "CREATE IN_PROGRESS"
    )
    personalize_stub.clock.advance(seconds=80)
    done = described(personalize_client, arn)
    assert done["latestRecommenderUpdate"]["status"] == "ACTIVE"
    assert done["recommenderConfig"] == new


def test_update_fills_the_default_request_rate(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(
        personalize_client, group, recommenderConfig={"minRecommendationRequestsPerSecond": 5}
    )
    personalize_stub.settle()
    personalize_client.update_recommender(
        recommenderArn=arn, recommenderConfig={"enableMetadataWithRecommendations": True}
    )
    personalize_stub.settle()
    assert described(personalize_client, arn)["recommenderConfig"] == {
        "enableMetadataWithRecommendations": True,
        "minRecommendationRequestsPerSecond": 1,
    }


def test_update_needs_an_active_recommender(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    config = {"minRecommendationRequestsPerSecond": 2}
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.update_recommender(recommenderArn=arn, recommenderConfig=config)
    personalize_stub.settle()
    personalize_client.stop_recommender(recommenderArn=arn)
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.update_recommender(recommenderArn=arn, recommenderConfig=config)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.update_recommender(
            recommenderArn=PREFIX + "recommender/missing", recommenderConfig=config
        )


def test_failed_update_keeps_the_live_configuration(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    personalize_stub.settle()
    personalize_stub.fail("UpdateRecommender", status="CREATE FAILED", reason="No new columns")
    personalize_client.update_recommender(
        recommenderArn=arn, recommenderConfig={"minRecommendationRequestsPerSecond": 9}
    )
    personalize_stub.settle()
    after = described(personalize_client, arn)
    assert after["status"] == "ACTIVE"
    assert after["recommenderConfig"] == {"minRecommendationRequestsPerSecond": 1}
    assert after["latestRecommenderUpdate"]["status"] == "CREATE FAILED"
    assert after["latestRecommenderUpdate"]["failureReason"] == "No new columns"


def test_failed_recommender_has_a_reason_and_no_metrics(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    personalize_stub.fail(
        "CreateRecommender",
        status="CREATE FAILED",
        reason="Dataset has fewer than 1000 interactions after filtering by event type: click",
    )
    arn = recommender(personalize_client, group)
    personalize_stub.settle()
    failed = described(personalize_client, arn)
    assert failed["status"] == "CREATE FAILED"
    assert failed["failureReason"].startswith("Dataset has fewer than 1000 interactions")
    assert "modelMetrics" not in failed
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.stop_recommender(recommenderArn=arn)
    personalize_client.delete_recommender(recommenderArn=arn)
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        described(personalize_client, arn)


@pytest.mark.parametrize("stopped", [False, True])
def test_delete_from_active_or_inactive(personalize_stub, personalize_client, stopped):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    personalize_stub.settle()
    if stopped:
        personalize_client.stop_recommender(recommenderArn=arn)
        personalize_stub.settle()
    personalize_client.delete_recommender(recommenderArn=arn)
    deleting = described(personalize_client, arn)
    assert deleting["status"] == "DELETE PENDING"
    assert "modelMetrics" not in deleting
    personalize_stub.settle()
    assert personalize_client.list_recommenders()["recommenders"] == []
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.delete_recommender(recommenderArn=arn)


def test_delete_refused_while_creating_stopping_or_starting(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    in_use = personalize_client.exceptions.ResourceInUseException
    with pytest.raises(in_use):
        personalize_client.delete_recommender(recommenderArn=arn)
    personalize_stub.settle()
    personalize_client.stop_recommender(recommenderArn=arn)
    with pytest.raises(in_use):
        personalize_client.delete_recommender(recommenderArn=arn)
    personalize_stub.settle()
    personalize_client.start_recommender(recommenderArn=arn)
    with pytest.raises(in_use):
        personalize_client.delete_recommender(recommenderArn=arn)


def test_dataset_group_with_a_recommender_cannot_be_deleted(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group)
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_dataset_group(datasetGroupArn=group)
    personalize_client.delete_recommender(recommenderArn=arn)
    personalize_stub.settle()
    personalize_client.delete_dataset_group(datasetGroupArn=group)


def test_recommenders_are_taggable(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group, tags=[{"tagKey": "team", "tagValue": "shop"}])
    assert personalize_client.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"tagKey": "team", "tagValue": "shop"}
    ]
    assert re.fullmatch(re.escape(PREFIX) + r"recommender/for-you", arn)


def test_update_checks_item_exploration_against_the_use_case(personalize_stub, personalize_client):
    group = domain_group(personalize_stub, personalize_client)
    arn = recommender(personalize_client, group, "together", BOUGHT_TOGETHER)
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.update_recommender(
            recommenderArn=arn,
            recommenderConfig={"itemExplorationConfig": {"explorationWeight": "0.1"}},
        )
    assert "latestRecommenderUpdate" not in described(personalize_client, arn)
