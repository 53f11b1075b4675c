"""personalize-runtime applies filters as the Personalize developer guide describes them.

A small film catalogue: items put with genres and prices, users with ages, events per user.
Each campaign recommends the catalogue in a fixed order (``set_recommendations``), so every
test can say exactly which items a filter leaves and that they keep that order.
"""

from __future__ import annotations

import json

import pytest
from support.flows import active_dataset, active_dataset_group, trained_version
from support.schemas import ACTION_INTERACTIONS_SCHEMA, avro_schema, field, nullable

RECIPE = "arn:aws:personalize:::recipe/"
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
