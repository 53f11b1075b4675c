"""personalize-runtime: GetRecommendations from campaigns and recommenders, filters and
promotions, GetPersonalizedRanking and GetActionRecommendations, and filtering a small film
catalogue.

As the developer guide describes them ("Getting real-time item recommendations",
https://docs.aws.amazon.com/personalize/latest/dg/getting-real-time-item-recommendations.html;
"Getting a personalized ranking (custom resources)",
https://docs.aws.amazon.com/personalize/latest/dg/rankings.html; "Real-time action
recommendations in Amazon Personalize",
https://docs.aws.amazon.com/personalize/latest/dg/get-action-recommendations.html; "Filtering
real-time recommendations",
https://docs.aws.amazon.com/personalize/latest/dg/filter-real-time.html).
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from support.flows import (
    active_dataset,
    active_dataset_group,
    active_solution,
    deployed_campaign,
    trained_version,
)
from support.schemas import ACTION_INTERACTIONS_SCHEMA, avro_schema, field, nullable

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
RECIPE = "arn:aws:personalize:::recipe/"
ITEMS_SCHEMA = avro_schema("Items", field("ITEM_ID"), nullable("GENRES"), nullable("PRICE"))
ACTIONS_SCHEMA = avro_schema("Actions", field("ACTION_ID"), nullable("VALUE"))


class Shop:
    """One custom dataset group with an Interactions dataset, built for runtime tests."""

    def __init__(self, stub, client, events):
        self.stub, self.client, self.events = stub, client, events
        self.group = active_dataset_group(stub, client)
        active_dataset(stub, client, self.group)

    def campaign(self, name="camp", recipe="aws-user-personalization", **campaign):
        solution = self.client.create_solution(
            name=f"{name}-solution", datasetGroupArn=self.group, recipeArn=RECIPE + recipe
        )["solutionArn"]
        self.stub.settle()
        version = trained_version(self.stub, self.client, solution)
        arn = self.client.create_campaign(name=name, solutionVersionArn=version, **campaign)[
            "campaignArn"
        ]
        self.stub.settle()
        return arn

    def catalog(self, dataset_type, schema):
        schema_arn = self.client.create_schema(name=f"{dataset_type}-schema", schema=schema)[
            "schemaArn"
        ]
        arn = self.client.create_dataset(
            name=dataset_type.lower(),
            schemaArn=schema_arn,
            datasetGroupArn=self.group,
            datasetType=dataset_type,
        )["datasetArn"]
        self.stub.settle()
        return arn

    def put_items(self, *items):
        arn = self.catalog("Items", ITEMS_SCHEMA)
        self.events.put_items(datasetArn=arn, items=list(items))

    def track(self, *item_ids):
        tracker = self.client.create_event_tracker(name="clicks", datasetGroupArn=self.group)
        self.stub.settle()
        self.events.put_events(
            trackingId=tracker["trackingId"],
            sessionId="s-1",
            userId="u-1",
            eventList=[
                {"eventType": "click", "itemId": item, "sentAt": 1714564800 + index}
                for index, item in enumerate(item_ids)
            ],
        )

    def filter(self, expression, name="f", settle=True):
        arn = self.client.create_filter(
            name=name, datasetGroupArn=self.group, filterExpression=expression
        )["filterArn"]
        if settle:
            self.stub.settle()
        return arn


@pytest.fixture
def shop(personalize_stub, personalize_client, personalize_events_client):
    return Shop(personalize_stub, personalize_client, personalize_events_client)


def ids(items, key="itemId"):
    return [item[key] for item in items]


# --------------------------------------------------------------------------------------------
# GetRecommendations: what a campaign answers
# --------------------------------------------------------------------------------------------


def code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_recommendations_only_from_an_active_campaign(
    personalize_stub, personalize_client, personalize_runtime_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_dataset(personalize_stub, personalize_client, group)
    solution = active_solution(personalize_stub, personalize_client, group)
    version = trained_version(personalize_stub, personalize_client, solution)
    campaign = personalize_client.create_campaign(name="camp", solutionVersionArn=version)[
        "campaignArn"
    ]
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException):
        personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")
    personalize_stub.settle()
    items = personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")
    assert items["itemList"]
    personalize_client.delete_campaign(campaignArn=campaign)
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException):
        personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")


def test_recommendations_from_unknown_campaign_are_not_found(
    personalize_stub, personalize_runtime_client
):
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException):
        personalize_runtime_client.get_recommendations(
            campaignArn=PREFIX + "campaign/none", userId="u-1"
        )


def test_recommendations_default_to_25_ranked_items(
    personalize_stub, personalize_client, personalize_runtime_client
):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    answer = personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")
    items = answer["itemList"]
    assert len(items) == 25
    assert len({item["itemId"] for item in items}) == 25
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 1 for score in scores)
    assert answer["recommendationId"]


def test_recommendations_num_results_limits(
    personalize_stub, personalize_client, personalize_runtime_client
):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    get = personalize_runtime_client.get_recommendations
    assert len(get(campaignArn=campaign, userId="u-1", numResults=3)["itemList"]) == 3
    assert len(get(campaignArn=campaign, userId="u-1", numResults=500)["itemList"]) == 500
    assert get(campaignArn=campaign, userId="u-1", numResults=0)["itemList"] == []
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(campaignArn=campaign, userId="u-1", numResults=501)


def test_recommendations_are_deterministic(
    personalize_stub, personalize_client, personalize_runtime_client
):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    get = personalize_runtime_client.get_recommendations
    first = get(campaignArn=campaign, userId="u-1", numResults=10)["itemList"]
    again = get(campaignArn=campaign, userId="u-1", numResults=10)["itemList"]
    assert first == again
    longer = get(campaignArn=campaign, userId="u-1", numResults=20)["itemList"]
    assert [i["itemId"] for i in longer[:10]] == [i["itemId"] for i in first]


def test_recommendations_need_user_id_for_user_personalization(
    personalize_stub, personalize_client, personalize_runtime_client
):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        personalize_runtime_client.get_recommendations(campaignArn=campaign)


def test_recommendations_need_exactly_one_target(personalize_stub, personalize_runtime_client):
    with pytest.raises(ClientError) as error:
        personalize_runtime_client.get_recommendations(userId="u-1")
    assert code(error) == "InvalidInputException"


# --------------------------------------------------------------------------------------------
# GetRecommendations from campaigns
# --------------------------------------------------------------------------------------------


def test_set_recommendations_come_first_in_their_order(
    personalize_stub, shop, personalize_runtime_client
):
    campaign = shop.campaign()
    personalize_stub.set_recommendations(campaign, ["b", "a", "c"])
    get = personalize_runtime_client.get_recommendations
    items = get(campaignArn=campaign, userId="u-1", numResults=10)["itemList"]
    assert ids(items)[:3] == ["b", "a", "c"]
    assert len(set(ids(items))) == 10
    assert ids(get(campaignArn=campaign, userId="u-2", numResults=2)["itemList"]) == ["b", "a"]


def test_items_put_through_events_are_the_candidates(shop, personalize_runtime_client):
    campaign = shop.campaign()
    shop.put_items({"itemId": "shirt"}, {"itemId": "shoe"})
    shop.track("hat", "shoe")
    items = personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")[
        "itemList"
    ]
    assert sorted(ids(items)) == ["hat", "shirt", "shoe"]
    assert sum(item["score"] for item in items) == pytest.approx(1)


def test_answers_depend_only_on_their_inputs(shop, personalize_runtime_client):
    campaign = shop.campaign()
    get = personalize_runtime_client.get_recommendations
    first = get(campaignArn=campaign, userId="u-1")["itemList"]
    assert get(campaignArn=campaign, userId="u-1")["itemList"] == first
    assert ids(get(campaignArn=campaign, userId="u-2")["itemList"]) != ids(first)


def test_a_campaign_being_updated_serves_its_deployed_version(
    personalize_stub, personalize_client, shop, personalize_runtime_client
):
    campaign = shop.campaign()
    get = personalize_runtime_client.get_recommendations
    before = get(campaignArn=campaign, userId="u-1")["itemList"]
    solution = personalize_client.list_solutions()["solutions"][0]["solutionArn"]
    newer = trained_version(personalize_stub, personalize_client, solution)
    personalize_client.update_campaign(campaignArn=campaign, solutionVersionArn=newer)
    assert get(campaignArn=campaign, userId="u-1")["itemList"] == before
    personalize_stub.settle()
    assert ids(get(campaignArn=campaign, userId="u-1")["itemList"]) != ids(before)


@pytest.mark.parametrize(
    ("recipe", "operation"),
    [
        ("aws-personalized-ranking", "GetPersonalizedRanking"),
        ("aws-next-best-action", "GetActionRecommendations"),
    ],
)
def test_ranking_and_action_campaigns_refuse_get_recommendations(
    shop, personalize_runtime_client, recipe, operation
):
    campaign = shop.campaign(recipe=recipe)
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException) as error:
        personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u-1")
    assert operation in error.value.response["Error"]["Message"]


def test_related_items_need_an_item_and_carry_no_scores(shop, personalize_runtime_client):
    campaign = shop.campaign(recipe="aws-sims")
    shop.track("a", "b", "c")
    get = personalize_runtime_client.get_recommendations
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(campaignArn=campaign, userId="u-1")
    items = get(campaignArn=campaign, itemId="a")["itemList"]
    assert sorted(ids(items)) == ["b", "c"]
    assert all("score" not in item for item in items)


def test_metadata_columns_need_metadata_enabled_and_come_from_put_items(
    shop, personalize_runtime_client
):
    plain = shop.campaign()
    rich = shop.campaign("rich", campaignConfig={"enableMetadataWithRecommendations": True})
    shop.put_items(
        {"itemId": "shirt", "properties": '{"genres": "summer|casual", "price": "10"}'},
        {"itemId": "shoe"},
    )
    get = personalize_runtime_client.get_recommendations
    columns = {"ITEMS": ["GENRES", "PRICE"]}
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(campaignArn=plain, userId="u-1", metadataColumns=columns)
    items = get(campaignArn=rich, userId="u-1", metadataColumns=columns)["itemList"]
    metadata = {item["itemId"]: item["metadata"] for item in items}
    assert metadata == {"shirt": {"GENRES": "summer|casual", "PRICE": "10"}, "shoe": {}}
    assert all("metadata" not in item for item in get(campaignArn=rich, userId="u-1")["itemList"])
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(campaignArn=rich, userId="u-1", metadataColumns=columns, numResults=51)
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(campaignArn=rich, userId="u-1", metadataColumns={"USERS": ["AGE"]})
    get(campaignArn=rich, userId="u-1", metadataColumns=columns, numResults=50)


def test_a_promotion_whose_filter_matches_nothing_promotes_nothing(
    shop, personalize_runtime_client
):
    """The docs: a promotion holds "as many promoted items as possible"; here no item has a
    genre, so none can be promoted (promotions with matching items: test_personalize_runtime_filters)."""
    campaign = shop.campaign()
    promoted = shop.filter('INCLUDE ItemID WHERE Items.GENRES IN ("sale")')
    items = personalize_runtime_client.get_recommendations(
        campaignArn=campaign,
        userId="u-1",
        numResults=10,
        promotions=[{"name": "sale", "percentPromotedItems": 30, "filterArn": promoted}],
    )["itemList"]
    assert len(items) == 10
    assert [item.get("promotionName") for item in items] == [None] * 10


# --------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------


def test_filter_must_exist_and_be_active(shop, personalize_runtime_client):
    campaign = shop.campaign()
    get = personalize_runtime_client.get_recommendations
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException):
        get(campaignArn=campaign, userId="u-1", filterArn=PREFIX + "filter/missing")
    creating = shop.filter('EXCLUDE ItemID WHERE Items.GENRES IN ("x")', settle=False)
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(campaignArn=campaign, userId="u-1", filterArn=creating)
    shop.stub.settle()
    assert len(get(campaignArn=campaign, userId="u-1", filterArn=creating)["itemList"]) == 25


def test_include_placeholders_need_values_exclude_ones_do_not(shop, personalize_runtime_client):
    campaign = shop.campaign()
    arn = shop.filter(
        "INCLUDE ItemID WHERE Items.GENRES IN ($GENRE) | EXCLUDE ItemID WHERE Items.PRICE IN ($PRICE)"
    )
    get = personalize_runtime_client.get_recommendations
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException) as error:
        get(campaignArn=campaign, userId="u-1", filterArn=arn, filterValues={"PRICE": '"1"'})
    assert "GENRE" in error.value.response["Error"]["Message"]
    get(campaignArn=campaign, userId="u-1", filterArn=arn, filterValues={"GENRE": '"drama"'})


# --------------------------------------------------------------------------------------------
# GetRecommendations from recommenders
# --------------------------------------------------------------------------------------------


def domain_recommender(stub, client, recipe="aws-ecomm-recommended-for-you", **extra):
    group = client.create_dataset_group(name="store", domain="ECOMMERCE")["datasetGroupArn"]
    stub.settle()
    arn = client.create_recommender(
        name=recipe, datasetGroupArn=group, recipeArn=RECIPE + recipe, **extra
    )["recommenderArn"]
    return arn


def test_recommender_serves_only_while_active(
    personalize_stub, personalize_client, personalize_runtime_client
):
    arn = domain_recommender(personalize_stub, personalize_client)
    get = personalize_runtime_client.get_recommendations
    not_found = personalize_runtime_client.exceptions.ResourceNotFoundException
    with pytest.raises(not_found):
        get(recommenderArn=arn, userId="u-1")
    personalize_stub.settle()
    items = get(recommenderArn=arn, userId="u-1")["itemList"]
    assert len(items) == 25
    assert all("score" not in item for item in items)
    personalize_client.stop_recommender(recommenderArn=arn)
    personalize_stub.settle()
    with pytest.raises(not_found):
        get(recommenderArn=arn, userId="u-1")
    with pytest.raises(not_found):
        get(recommenderArn=PREFIX + "recommender/missing", userId="u-1")


def test_recommender_use_case_decides_the_ids_it_needs(
    personalize_stub, personalize_client, personalize_runtime_client
):
    arn = domain_recommender(
        personalize_stub, personalize_client, "aws-ecomm-frequently-bought-together"
    )
    personalize_stub.settle()
    personalize_stub.set_recommendations(arn, ["shirt", "socks", "shoe"])
    get = personalize_runtime_client.get_recommendations
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(recommenderArn=arn, userId="u-1")
    items = get(recommenderArn=arn, itemId="shirt", numResults=2)["itemList"]
    assert ids(items) == ["socks", "shoe"]


def test_recommender_metadata_follows_its_configuration(
    personalize_stub, personalize_client, personalize_runtime_client
):
    arn = domain_recommender(
        personalize_stub,
        personalize_client,
        recommenderConfig={"enableMetadataWithRecommendations": True},
    )
    personalize_stub.settle()
    items = personalize_runtime_client.get_recommendations(
        recommenderArn=arn, userId="u-1", numResults=3, metadataColumns={"ITEMS": ["GENRES"]}
    )["itemList"]
    assert [item["metadata"] for item in items] == [{}, {}, {}]


def test_campaign_and_recommender_together_are_refused(
    personalize_stub, personalize_client, shop, personalize_runtime_client
):
    campaign = shop.campaign()
    arn = domain_recommender(personalize_stub, personalize_client)
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        personalize_runtime_client.get_recommendations(
            campaignArn=campaign, recommenderArn=arn, userId="u-1"
        )


# --------------------------------------------------------------------------------------------
# GetPersonalizedRanking
# --------------------------------------------------------------------------------------------


def test_ranking_returns_every_input_once_with_scores_summing_to_one(
    shop, personalize_runtime_client
):
    campaign = shop.campaign(recipe="aws-personalized-ranking")
    rank = personalize_runtime_client.get_personalized_ranking
    inputs = ["a", "b", "c", "d", "b"]
    ranking = rank(campaignArn=campaign, userId="u-1", inputList=inputs)["personalizedRanking"]
    assert sorted(ids(ranking)) == ["a", "b", "c", "d"]
    scores = [item["score"] for item in ranking]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1)
    again = rank(campaignArn=campaign, userId="u-1", inputList=inputs)
    assert again["personalizedRanking"] == ranking
    assert again["recommendationId"]


def test_ranking_follows_set_recommendations_then_known_then_unknown_items(
    personalize_stub, shop, personalize_runtime_client
):
    campaign = shop.campaign(recipe="aws-personalized-ranking")
    shop.track("k1", "k2", "k3")
    personalize_stub.set_recommendations(campaign, ["k3", "other", "new2"])
    ranking = personalize_runtime_client.get_personalized_ranking(
        campaignArn=campaign, userId="u-1", inputList=["new1", "k1", "new2", "k2", "k3", "new3"]
    )["personalizedRanking"]
    order = ids(ranking)
    assert order[:2] == ["k3", "new2"]
    assert sorted(order[2:4]) == ["k1", "k2"]
    assert order[4:] == ["new1", "new3"]


def test_ranking_limits_and_campaign_type(shop, personalize_runtime_client):
    ranking_campaign = shop.campaign(
        recipe="aws-personalized-ranking",
        campaignConfig={"enableMetadataWithRecommendations": True},
    )
    other = shop.campaign("other")
    rank = personalize_runtime_client.get_personalized_ranking
    invalid = personalize_runtime_client.exceptions.InvalidInputException
    many = [f"i{n}" for n in range(501)]
    with pytest.raises(invalid):
        rank(campaignArn=ranking_campaign, userId="u", inputList=many)
    assert (
        len(
            rank(campaignArn=ranking_campaign, userId="u", inputList=many[:500])[
                "personalizedRanking"
            ]
        )
        == 500
    )
    columns = {"ITEMS": ["GENRES"]}
    with pytest.raises(invalid):
        rank(campaignArn=ranking_campaign, userId="u", inputList=many[:51], metadataColumns=columns)
    ranked = rank(
        campaignArn=ranking_campaign, userId="u", inputList=many[:50], metadataColumns=columns
    )["personalizedRanking"]
    assert all(item["metadata"] == {} for item in ranked)
    with pytest.raises(invalid):
        rank(campaignArn=other, userId="u", inputList=["a"])
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException):
        rank(campaignArn=PREFIX + "campaign/missing", userId="u", inputList=["a"])


# --------------------------------------------------------------------------------------------
# GetActionRecommendations
# --------------------------------------------------------------------------------------------


def test_action_recommendations_default_to_five_and_allow_up_to_100(
    shop, personalize_runtime_client
):
    campaign = shop.campaign(recipe="aws-next-best-action")
    get = personalize_runtime_client.get_action_recommendations
    answer = get(campaignArn=campaign, userId="u-1")
    actions = answer["actionList"]
    assert len(actions) == 5
    assert len(set(ids(actions, "actionId"))) == 5
    assert [a["score"] for a in actions] == sorted((a["score"] for a in actions), reverse=True)
    assert answer["recommendationId"]
    assert len(get(campaignArn=campaign, userId="u-1", numResults=100)["actionList"]) == 100
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(campaignArn=campaign, userId="u-1", numResults=101)


def test_action_recommendations_come_from_set_and_put_actions(
    personalize_stub, shop, personalize_runtime_client
):
    campaign = shop.campaign(recipe="aws-next-best-action")
    actions = shop.catalog("Actions", ACTIONS_SCHEMA)
    shop.events.put_actions(
        datasetArn=actions, actions=[{"actionId": "join"}, {"actionId": "renew"}]
    )
    personalize_stub.set_recommendations(campaign, ["upgrade"])
    listed = personalize_runtime_client.get_action_recommendations(
        campaignArn=campaign, userId="u-1"
    )["actionList"]
    assert ids(listed, "actionId")[0] == "upgrade"
    assert sorted(ids(listed, "actionId")) == ["join", "renew", "upgrade"]
    assert sum(a["score"] for a in listed) == pytest.approx(1)


def test_action_recommendations_need_an_actions_campaign(shop, personalize_runtime_client):
    campaign = shop.campaign()
    get = personalize_runtime_client.get_action_recommendations
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(campaignArn=campaign, userId="u-1")
    with pytest.raises(personalize_runtime_client.exceptions.InvalidInputException):
        get(userId="u-1")
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException):
        get(campaignArn=PREFIX + "campaign/missing", userId="u-1")


# --------------------------------------------------------------------------------------------
# Filtering recommendations: a small film catalogue
# --------------------------------------------------------------------------------------------
#
# personalize-runtime applies filters as the Personalize developer guide describes them.
#
# A small film catalogue: items put with genres and prices, users with ages, events per user.
# Each campaign recommends the catalogue in a fixed order (``set_recommendations``), so every
# test can say exactly which items a filter leaves and that they keep that order.

SENT = 1714564800


SCHEMAS = {
    "Items": avro_schema("Items", field("ITEM_ID"), nullable("GENRES"), field("PRICE", "float")),
    "Users": avro_schema("Users", field("USER_ID"), field("AGE", "int")),
    "Actions": avro_schema("Actions", field("ACTION_ID"), nullable("VALUE")),
    "Action_Interactions": ACTION_INTERACTIONS_SCHEMA,
}

FILMS = {
    "heist": {"genres": "action", "price": 15},
    "gags": {"genres": "comedy", "price": 5},
    "scream": {"genres": "horror", "price": 20},
    "romcom": {"genres": "comedy|drama", "price": 8},
    "tears": {"genres": "drama", "price": 12},
    "mystery": {},
}
ORDER = ["scream", "gags", "heist", "romcom", "tears", "mystery", "rumour"]
"""How every campaign here ranks the films; ``rumour`` is known only from an event."""


class Cinema:
    """A dataset group whose films, viewers and events are recorded through personalize-events."""

    def __init__(self, stub, client, events):
        self.stub, self.client, self.events = stub, client, events
        self.group = active_dataset_group(stub, client)
        active_dataset(stub, client, self.group)
        self.tracker = client.create_event_tracker(name="clicks", datasetGroupArn=self.group)
        self.datasets = {name: self.dataset(name) for name in SCHEMAS}
        self.stub.settle()
        self.events.put_items(
            datasetArn=self.datasets["Items"],
            items=[
                {"itemId": film, "properties": json.dumps(properties)}
                for film, properties in FILMS.items()
            ],
        )
        self.events.put_users(
            datasetArn=self.datasets["Users"],
            users=[
                {"userId": "kid", "properties": '{"age": 12}'},
                {"userId": "adult", "properties": '{"age": 40}'},
            ],
        )
        self.watch("kid", ("purchase", "gags"), ("click", "scream"))
        self.watch("adult", ("purchase", "scream"), ("click", "rumour"))

    def dataset(self, dataset_type):
        schema_arn = self.client.create_schema(
            name=f"{dataset_type.lower()}-schema", schema=SCHEMAS[dataset_type]
        )["schemaArn"]
        return self.client.create_dataset(
            name=dataset_type.lower(),
            schemaArn=schema_arn,
            datasetGroupArn=self.group,
            datasetType=dataset_type,
        )["datasetArn"]

    def watch(self, user, *events, start=SENT):
        self.events.put_events(
            trackingId=self.tracker["trackingId"],
            userId=user,
            sessionId=f"{user}-session",
            eventList=[
                {"eventType": event_type, "itemId": film, "sentAt": start + index}
                for index, (event_type, film) in enumerate(events)
            ],
        )

    def campaign(self, recipe="aws-user-personalization", order=ORDER):
        solution = self.client.create_solution(
            name=recipe, datasetGroupArn=self.group, recipeArn=RECIPE + recipe
        )["solutionArn"]
        self.stub.settle()
        version = trained_version(self.stub, self.client, solution)
        arn = self.client.create_campaign(name=recipe, solutionVersionArn=version)["campaignArn"]
        self.stub.settle()
        self.stub.set_recommendations(arn, order)
        return arn

    def filter(self, expression):
        arn = self.client.create_filter(
            name=f"f-{len(self.client.list_filters()['Filters'])}",
            datasetGroupArn=self.group,
            filterExpression=expression,
        )["filterArn"]
        self.stub.settle()
        return arn


@pytest.fixture
def cinema(personalize_stub, personalize_client, personalize_events_client):
    return Cinema(personalize_stub, personalize_client, personalize_events_client)


@pytest.fixture
def recommend(cinema, personalize_runtime_client):
    """The item ids a user-personalization campaign recommends to a user through a filter."""
    campaign = cinema.campaign()

    def get(expression=None, user="kid", **values):
        params = {"campaignArn": campaign, "userId": user}
        if expression is not None:
            params.update(filterArn=cinema.filter(expression), filterValues=values)
        answer = personalize_runtime_client.get_recommendations(**params)["itemList"]
        return [item["itemId"] for item in answer]

    return get


def test_without_a_filter_the_whole_catalogue_comes_in_order(recommend):
    assert recommend() == ORDER


@pytest.mark.parametrize(
    ("genres", "expected"),
    [
        ('"comedy"', ["gags", "romcom"]),
        ('"drama"', ["romcom", "tears"]),
        ('"comedy","horror"', ["scream", "gags", "romcom"]),
        ('"western"', []),
    ],
)
def test_include_keeps_the_items_with_a_given_value_in_their_order(recommend, genres, expected):
    assert recommend("INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)", GENRE=genres) == expected


def test_exclude_removes_matching_items_and_keeps_those_without_metadata(recommend):
    assert recommend('EXCLUDE ItemID WHERE Items.GENRES IN ("comedy", "action")') == [
        "scream",
        "tears",
        "mystery",
        "rumour",
    ]
    assert recommend('EXCLUDE ItemID WHERE Items.GENRES NOT IN ("comedy")') == [
        "gags",
        "romcom",
        "mystery",
        "rumour",
    ]


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("INCLUDE ItemID WHERE Items.PRICE <= $PRICE", {"PRICE": "8"}, ["gags", "romcom"]),
        ("INCLUDE ItemID WHERE Items.PRICE < $PRICE", {"PRICE": '"8"'}, ["gags"]),
        ("INCLUDE ItemID WHERE Items.PRICE = 12", {}, ["tears"]),
        ("INCLUDE ItemID WHERE Items.PRICE >= 15", {}, ["scream", "heist"]),
        ("EXCLUDE ItemID WHERE Items.PRICE > 10", {}, ["gags", "romcom", "mystery", "rumour"]),
    ],
)
def test_prices_compare_as_numbers(recommend, expression, values, expected):
    assert recommend(expression, **values) == expected


def test_interaction_filters_read_the_requesting_users_events(recommend):
    purchased = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'
    assert recommend(purchased, user="kid") == [i for i in ORDER if i != "gags"]
    assert recommend(purchased, user="adult") == [i for i in ORDER if i != "scream"]
    assert recommend(purchased, user="stranger") == ORDER
    clicked = "INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT)"
    assert recommend(clicked, user="kid", EVENT='"click"') == ["scream"]
    assert recommend(clicked, user="adult", EVENT='"click","purchase"') == ["scream", "rumour"]
    assert recommend('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")', user="kid") == [
        "scream",
        "gags",
    ]


def test_only_the_100_most_recent_interactions_per_event_type_count(cinema, recommend):
    cinema.watch("binger", ("purchase", "heist"), start=SENT - 1000)
    for batch in range(10):
        cinema.watch("binger", *[("purchase", "tears")] * 10, start=SENT + 10 * batch)
    purchased = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'
    assert recommend(purchased, user="binger") == [i for i in ORDER if i != "tears"]
    cinema.watch("binger", ("purchase", "gags"), start=SENT - 2000)
    assert "gags" in recommend(purchased, user="binger")
    cinema.watch("binger", ("click", "heist"))
    anything = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'
    assert recommend(anything, user="binger") == [i for i in ORDER if i not in ("heist", "tears")]


def test_clauses_joined_by_a_pipe_include_their_union_minus_their_exclusions(recommend):
    assert recommend(
        'INCLUDE ItemID WHERE Items.GENRES IN ("horror") | '
        'INCLUDE ItemID WHERE Items.GENRES IN ("drama")'
    ) == ["scream", "romcom", "tears"]
    include_then_exclude = (
        "INCLUDE ItemID WHERE Items.GENRES IN ($GENRE) | "
        'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'
    )
    exclude_then_include = " | ".join(reversed(include_then_exclude.split(" | ")))
    assert recommend(include_then_exclude, GENRE='"comedy"') == ["romcom"]
    assert recommend(exclude_then_include, GENRE='"comedy"') == ["romcom"]
    assert recommend(include_then_exclude, user="adult", GENRE='"comedy"') == ["gags", "romcom"]


def test_an_exclude_clause_without_its_placeholder_value_is_not_used(recommend):
    expression = (
        "EXCLUDE ItemID WHERE Items.GENRES IN ($GENRE) | EXCLUDE ItemID WHERE Items.PRICE > 14"
    )
    assert recommend(expression) == ["gags", "romcom", "tears", "mystery", "rumour"]
    assert recommend(expression, GENRE='"drama"') == ["gags", "mystery", "rumour"]


def test_and_binds_before_or(recommend):
    assert recommend('EXCLUDE ItemID WHERE Items.GENRES IN ("comedy") AND Items.PRICE < 6') == [
        i for i in ORDER if i != "gags"
    ]
    assert recommend(
        'INCLUDE ItemID WHERE Items.GENRES IN ("horror") OR Items.GENRES IN ("comedy") '
        "AND Items.PRICE > 6"
    ) == ["scream", "romcom"]


def test_if_conditions_on_the_current_user_decide_whether_a_clause_applies(recommend):
    expression = 'EXCLUDE ItemID WHERE Items.GENRES IN ("horror") IF CurrentUser.AGE < $AGE'
    assert recommend(expression, user="kid", AGE="18") == [i for i in ORDER if i != "scream"]
    assert recommend(expression, user="adult", AGE="18") == ORDER
    assert recommend(expression, user="stranger", AGE="18") == ORDER


def test_current_item_conditions_compare_with_the_requested_item(
    cinema, personalize_runtime_client
):
    campaign = cinema.campaign("aws-sims")
    cheaper_alike = cinema.filter(
        "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE "
        "AND Items.GENRES IN CurrentItem.GENRES"
    )
    get = personalize_runtime_client.get_recommendations

    def related(item):
        answer = get(campaignArn=campaign, itemId=item, filterArn=cheaper_alike)["itemList"]
        return [entry["itemId"] for entry in answer]

    assert related("romcom") == ["gags"]
    assert related("tears") == ["romcom"]
    assert related("scream") == []
    assert related("unknown") == []


def test_personalized_ranking_keeps_the_ranked_inputs_that_pass(cinema, personalize_runtime_client):
    campaign = cinema.campaign("aws-personalized-ranking")
    rank = personalize_runtime_client.get_personalized_ranking
    inputs = ["tears", "gags", "new-release", "scream"]

    def ranked(expression, **values):
        answer = rank(
            campaignArn=campaign,
            userId="kid",
            inputList=inputs,
            filterArn=cinema.filter(expression),
            filterValues=values,
        )["personalizedRanking"]
        return [entry["itemId"] for entry in answer]

    unfiltered = rank(campaignArn=campaign, userId="kid", inputList=inputs)["personalizedRanking"]
    assert [entry["itemId"] for entry in unfiltered] == ["scream", "gags", "tears", "new-release"]
    assert ranked('EXCLUDE ItemID WHERE Items.GENRES IN ("horror")') == [
        "gags",
        "tears",
        "new-release",
    ]
    assert ranked("INCLUDE ItemID WHERE Items.GENRES IN ($G)", G='"comedy","drama"') == [
        "gags",
        "tears",
    ]
    assert ranked('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")') == [
        "scream",
        "tears",
        "new-release",
    ]


def test_action_recommendations_filter_actions_and_their_interactions(
    cinema, personalize_client, personalize_runtime_client
):
    cinema.events.put_actions(
        datasetArn=cinema.datasets["Actions"],
        actions=[
            {"actionId": "subscribe", "properties": '{"value": "high"}'},
            {"actionId": "rate", "properties": '{"value": "low"}'},
            {"actionId": "share", "properties": '{"value": "high"}'},
        ],
    )
    tracking_id = personalize_client.describe_dataset(
        datasetArn=cinema.datasets["Action_Interactions"]
    )["dataset"]["trackingId"]
    cinema.events.put_action_interactions(
        trackingId=tracking_id,
        actionInteractions=[
            {
                "actionId": "subscribe",
                "userId": "kid",
                "sessionId": "kid-session",
                "timestamp": SENT,
                "eventType": "Taken",
            },
        ],
    )
    campaign = cinema.campaign("aws-next-best-action", order=["subscribe", "rate", "share"])
    get = personalize_runtime_client.get_action_recommendations

    def actions(expression, user="kid"):
        answer = get(campaignArn=campaign, userId=user, filterArn=cinema.filter(expression))
        return [entry["actionId"] for entry in answer["actionList"]]

    taken = 'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("Taken")'
    assert actions(taken) == ["rate", "share"]
    assert actions(taken, user="adult") == ["subscribe", "rate", "share"]
    assert actions('INCLUDE ActionID WHERE Actions.VALUE IN ("high")') == ["subscribe", "share"]
    listed = get(campaignArn=campaign, userId="kid", filterArn=cinema.filter(taken))["actionList"]
    assert sum(entry["score"] for entry in listed) == pytest.approx(1)


def test_a_filter_must_filter_what_the_operation_recommends(cinema, personalize_runtime_client):
    items_campaign = cinema.campaign()
    actions_campaign = cinema.campaign("aws-next-best-action", order=["subscribe"])
    invalid = personalize_runtime_client.exceptions.InvalidInputException
    for_actions = cinema.filter('INCLUDE ActionID WHERE Actions.VALUE IN ("high")')
    for_items = cinema.filter('INCLUDE ItemID WHERE Items.GENRES IN ("drama")')
    with pytest.raises(invalid) as error:
        personalize_runtime_client.get_recommendations(
            campaignArn=items_campaign, userId="kid", filterArn=for_actions
        )
    assert "ItemID" in error.value.response["Error"]["Message"]
    with pytest.raises(invalid):
        personalize_runtime_client.get_action_recommendations(
            campaignArn=actions_campaign, userId="kid", filterArn=for_items
        )


def test_promotions_fill_their_share_from_their_own_filter(cinema, personalize_runtime_client):
    campaign = cinema.campaign()
    no_comedy = cinema.filter('EXCLUDE ItemID WHERE Items.GENRES IN ("comedy")')
    comedy = cinema.filter('INCLUDE ItemID WHERE Items.GENRES IN ("comedy")')
    horror = cinema.filter("INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)")

    def get(promotion, **request):
        answer = personalize_runtime_client.get_recommendations(
            campaignArn=campaign,
            userId="kid",
            numResults=5,
            promotions=[{"name": "promo", "percentPromotedItems": 40, **promotion}],
            **request,
        )["itemList"]
        return [(item["itemId"], item.get("promotionName")) for item in answer]

    assert get({"filterArn": comedy}, filterArn=no_comedy) == [
        ("scream", None),
        ("heist", None),
        ("tears", None),
        ("gags", "promo"),
        ("romcom", "promo"),
    ]
    assert get({"filterArn": comedy}) == [
        ("scream", None),
        ("gags", None),
        ("heist", None),
        ("tears", None),
        ("romcom", "promo"),
    ]
    assert get(
        {"filterArn": horror, "filterValues": {"GENRE": '"horror"'}}, filterArn=no_comedy
    ) == [
        ("scream", None),
        ("heist", None),
        ("tears", None),
        ("mystery", None),
        ("rumour", None),
    ]


def test_a_promotion_without_a_name_promotes_and_names_nothing(
    personalize_stub, personalize_client, personalize_runtime_client
):
    """Promotion has no required member in the model: a promotion may have no name."""
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    answer = personalize_runtime_client.get_recommendations(
        campaignArn=campaign, userId="u1", numResults=4, promotions=[{"percentPromotedItems": 50}]
    )
    assert len(answer["itemList"]) == 4
    assert all("promotionName" not in item for item in answer["itemList"])
