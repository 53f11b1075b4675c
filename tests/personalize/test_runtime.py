"""personalize-runtime behaves as /work/shared/spec/personalize.md §6 documents."""

from __future__ import annotations

import pytest
from support.flows import active_dataset, active_dataset_group, trained_version
from support.schemas import avro_schema, field, nullable

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
