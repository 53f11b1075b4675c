"""Conformance flow: recommenders, personalize-runtime and personalize-events."""

from __future__ import annotations

from typing import Any

from support.conformance import Conformance
from support.schemas import (
    ACTION_INTERACTIONS_SCHEMA,
    INTERACTIONS_SCHEMA,
    avro_schema,
    field,
    nullable,
)

RECIPE = "arn:aws:personalize:::recipe/"


def flow(stub: Any, clients: dict[str, Any], check: Conformance) -> None:
    """Reach every recommender, runtime and events operation, in transitional and settled
    states and with a failed recommender."""
    recommenders(stub, clients["personalize"], clients["personalize-runtime"], check)
    campaigns_and_events(stub, clients, check)


def recommenders(stub: Any, client: Any, runtime: Any, check: Conformance) -> None:
    """Recommenders: creating, ACTIVE, updating, stopping, INACTIVE, starting, failed, deleted."""
    c = check.call
    group = c(client, "CreateDatasetGroup", name="store", domain="ECOMMERCE")["datasetGroupArn"]
    stub.settle()
    arn = c(
        client,
        "CreateRecommender",
        name="for-you",
        datasetGroupArn=group,
        recipeArn=RECIPE + "aws-ecomm-recommended-for-you",
        recommenderConfig={"enableMetadataWithRecommendations": True},
        tags=[{"tagKey": "team", "tagValue": "shop"}],
    )["recommenderArn"]
    creating = c(client, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert creating["status"] == "CREATE PENDING"
    assert "modelMetrics" not in creating
    listed = c(client, "ListRecommenders", datasetGroupArn=group)["recommenders"]
    assert listed[0]["status"] == "CREATE PENDING"
    stub.settle()
    ready = c(client, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert ready["status"] == "ACTIVE"
    assert ready["modelMetrics"]
    recommended = c(
        runtime,
        "GetRecommendations",
        recommenderArn=arn,
        userId="u-1",
        numResults=3,
        metadataColumns={"ITEMS": ["GENRES"]},
    )
    assert len(recommended["itemList"]) == 3

    c(
        client,
        "UpdateRecommender",
        recommenderArn=arn,
        recommenderConfig={"minRecommendationRequestsPerSecond": 2},
    )
    updating = c(client, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert updating["latestRecommenderUpdate"]["status"] == "CREATE PENDING"
    stub.settle()
    c(client, "StopRecommender", recommenderArn=arn)
    stopping = c(client, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert stopping["status"] == "STOP PENDING"
    stub.settle()
    assert c(client, "ListRecommenders")["recommenders"][0]["status"] == "INACTIVE"
    c(client, "StartRecommender", recommenderArn=arn)
    starting = c(client, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert starting["status"] == "START PENDING"
    stub.settle()

    stub.fail("CreateRecommender", status="CREATE FAILED", reason="Too few interactions", times=1)
    broken = c(
        client,
        "CreateRecommender",
        name="together",
        datasetGroupArn=group,
        recipeArn=RECIPE + "aws-ecomm-frequently-bought-together",
    )["recommenderArn"]
    stub.settle()
    failed = c(client, "DescribeRecommender", recommenderArn=broken)["recommender"]
    assert (failed["status"], failed["failureReason"]) == ("CREATE FAILED", "Too few interactions")

    c(client, "DeleteRecommender", recommenderArn=arn)
    c(client, "DeleteRecommender", recommenderArn=broken)
    deleting = c(client, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert deleting["status"] == "DELETE PENDING"
    stub.settle()
    assert c(client, "ListRecommenders", datasetGroupArn=group)["recommenders"] == []


def _dataset(client: Any, check: Conformance, group: str, dataset_type: str, schema: str) -> str:
    schema_arn = check.call(client, "CreateSchema", name=f"{dataset_type}-schema", schema=schema)[
        "schemaArn"
    ]
    arn: str = check.call(
        client,
        "CreateDataset",
        name=dataset_type.lower(),
        schemaArn=schema_arn,
        datasetGroupArn=group,
        datasetType=dataset_type,
    )["datasetArn"]
    return arn


def _campaign(stub: Any, client: Any, check: Conformance, group: str, recipe: str) -> str:
    c = check.call
    solution = c(
        client, "CreateSolution", name=recipe, datasetGroupArn=group, recipeArn=RECIPE + recipe
    )["solutionArn"]
    stub.settle()
    version = c(client, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    stub.settle()
    arn: str = c(client, "CreateCampaign", name=recipe, solutionVersionArn=version)["campaignArn"]
    stub.settle()
    return arn


def campaigns_and_events(stub: Any, clients: dict[str, Any], check: Conformance) -> None:
    """Events into every dataset type, then the three runtime calls over what they recorded."""
    c = check.call
    client, runtime, events = (
        clients["personalize"],
        clients["personalize-runtime"],
        clients["personalize-events"],
    )
    group = c(client, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    stub.settle()
    _dataset(client, check, group, "Interactions", INTERACTIONS_SCHEMA)
    items = _dataset(
        client, check, group, "Items", avro_schema("Items", field("ITEM_ID"), nullable("GENRES"))
    )
    users = _dataset(
        client, check, group, "Users", avro_schema("Users", field("USER_ID"), nullable("AGE"))
    )
    actions = _dataset(
        client,
        check,
        group,
        "Actions",
        avro_schema("Actions", field("ACTION_ID"), nullable("VALUE")),
    )
    action_events = _dataset(
        client, check, group, "Action_Interactions", ACTION_INTERACTIONS_SCHEMA
    )
    tracker = c(client, "CreateEventTracker", name="clicks", datasetGroupArn=group)
    stub.settle()

    c(
        events,
        "PutEvents",
        trackingId=tracker["trackingId"],
        userId="u-1",
        sessionId="s-1",
        eventList=[{"eventType": "click", "itemId": "hat", "sentAt": 1714564800}],
    )
    c(events, "PutItems", datasetArn=items, items=[{"itemId": "shirt", "properties": "{}"}])
    c(events, "PutUsers", datasetArn=users, users=[{"userId": "u-1", "properties": '{"age": "9"}'}])
    c(events, "PutActions", datasetArn=actions, actions=[{"actionId": "join"}])
    tracking_id = c(client, "DescribeDataset", datasetArn=action_events)["dataset"]["trackingId"]
    c(
        events,
        "PutActionInteractions",
        trackingId=tracking_id,
        actionInteractions=[
            {
                "actionId": "renew",
                "userId": "u-1",
                "sessionId": "s-1",
                "timestamp": 1714564800,
                "eventType": "Taken",
            }
        ],
    )

    personalized = _campaign(stub, client, check, group, "aws-user-personalization")
    recommended = c(runtime, "GetRecommendations", campaignArn=personalized, userId="u-1")
    assert sorted(item["itemId"] for item in recommended["itemList"]) == ["hat", "shirt"]
    ranking = _campaign(stub, client, check, group, "aws-personalized-ranking")
    ranked = c(
        runtime,
        "GetPersonalizedRanking",
        campaignArn=ranking,
        userId="u-1",
        inputList=["shirt", "hat", "new"],
    )["personalizedRanking"]
    assert ranked[-1]["itemId"] == "new"
    next_best = _campaign(stub, client, check, group, "aws-next-best-action")
    listed = c(runtime, "GetActionRecommendations", campaignArn=next_best, userId="u-1")
    assert sorted(a["actionId"] for a in listed["actionList"]) == ["join", "renew"]
