"""What the runtime keeps between calls, and what that buys (developer guide, "Getting
real-time recommendations", "Getting a personalized ranking", "Getting action
recommendations").

The candidates of a dataset group (the ids it knows, the synthetic catalogue) are worked out
once for what its datasets hold, and each seed's order once: the same call answers the same,
and any change to what the group holds (PutItems, PutEvents, PutActions, an import, a new
dataset) or to what a campaign was told to recommend shows in the next answer. The costs are
compared with botocore's Stubber answering the same call on this machine: the issue asks
for half of its cost (the benchmark reports that figure); these tests prove, with room for a
noisy machine, that the fake stays well under it.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from support.flows import ROLE, active_dataset, active_dataset_group, trained_version
from support.schemas import avro_schema, field, nullable

from pytest_personalize_stub.controller import PersonalizeStub
from pytest_personalize_stub.intercept import activated

RECIPE = "arn:aws:personalize:::recipe/"
ITEMS = avro_schema("Items", field("ITEM_ID"), nullable("GENRES"))
ACTIONS = avro_schema("Actions", field("ACTION_ID"))


class Group:
    """A custom dataset group with an Interactions dataset and one campaign per recipe."""

    def __init__(self, stub: Any, client: Any, events: Any) -> None:
        self.stub, self.client, self.events = stub, client, events
        self.arn = active_dataset_group(stub, client)
        active_dataset(stub, client, self.arn)
        self.tracking_id = client.create_event_tracker(name="t", datasetGroupArn=self.arn)[
            "trackingId"
        ]
        self.campaigns: dict[str, str] = {}

    def campaign(self, recipe: str) -> str:
        if recipe not in self.campaigns:
            solution = self.client.create_solution(
                name=recipe, datasetGroupArn=self.arn, recipeArn=RECIPE + recipe
            )["solutionArn"]
            self.stub.settle()
            version = trained_version(self.stub, self.client, solution)
            self.campaigns[recipe] = self.client.create_campaign(
                name=recipe, solutionVersionArn=version
            )["campaignArn"]
            self.stub.settle()
        return self.campaigns[recipe]

    def dataset(self, dataset_type: str, schema: str) -> str:
        schema_arn = self.client.create_schema(name=dataset_type, schema=schema)["schemaArn"]
        arn: str = self.client.create_dataset(
            name=dataset_type.lower(),
            schemaArn=schema_arn,
            datasetGroupArn=self.arn,
            datasetType=dataset_type,
        )["datasetArn"]
        self.stub.settle()
        return arn

    def track(self, *items: str, start: int = 0) -> None:
        for offset in range(0, len(items), 10):
            self.events.put_events(
                trackingId=self.tracking_id,
                userId="u-1",
                sessionId="s-1",
                eventList=[
                    {"eventType": "click", "itemId": item, "sentAt": 1714564800 + start + n}
                    for n, item in enumerate(items[offset : offset + 10], offset)
                ],
            )


@pytest.fixture
def group(personalize_stub, personalize_client, personalize_events_client):
    return Group(personalize_stub, personalize_client, personalize_events_client)


def ids(items: list[dict[str, Any]], key: str = "itemId") -> list[str]:
    return [item[key] for item in items]


def test_every_change_to_what_the_group_holds_shows_in_the_next_answer(
    group, personalize_stub, personalize_runtime_client
):
    campaign = group.campaign("aws-user-personalization")

    def recommended(**extra: Any) -> list[str]:
        return ids(
            personalize_runtime_client.get_recommendations(
                campaignArn=campaign, userId="u-1", numResults=500, **extra
            )["itemList"]
        )

    synthetic = recommended()
    assert recommended() == synthetic
    assert len(synthetic) == 500 and all(item.startswith("item-") for item in synthetic)

    group.track("hat", "shoe")
    assert sorted(recommended()) == ["hat", "shoe"]
    items = group.dataset("Items", ITEMS)
    assert sorted(recommended()) == ["hat", "shoe"]
    group.events.put_items(datasetArn=items, items=[{"itemId": "shirt"}])
    assert sorted(recommended()) == ["hat", "shirt", "shoe"]
    group.events.put_items(datasetArn=items, items=[{"itemId": "shirt", "properties": "{}"}])
    assert sorted(recommended()) == ["hat", "shirt", "shoe"]
    group.track("hat", start=100)
    group.track("scarf", start=200)
    assert sorted(recommended()) == ["hat", "scarf", "shirt", "shoe"]
    assert sorted(recommended(itemId="hat")) == ["scarf", "shirt", "shoe"]

    personalize_stub.set_recommendations(campaign, ["chosen", "hat"])
    assert recommended()[:2] == ["chosen", "hat"]
    assert sorted(recommended()) == ["chosen", "hat", "scarf", "shirt", "shoe"]
    personalize_stub.set_recommendations(campaign, [])
    assert "chosen" not in recommended()

    group.client.create_dataset_import_job(
        jobName="bulk",
        datasetArn=items,
        dataSource={"dataLocation": "s3://no-moto/items.csv"},
        roleArn=ROLE,
    )
    assert len(recommended()) == 4, "an import counts once it is ACTIVE"
    personalize_stub.settle()
    after_import = recommended()
    assert len(after_import) == 500
    assert {"hat", "scarf", "shirt", "shoe"} <= set(after_import)


def test_action_candidates_follow_put_actions(group, personalize_runtime_client):
    campaign = group.campaign("aws-next-best-action")

    def actions() -> list[str]:
        answer = personalize_runtime_client.get_action_recommendations(
            campaignArn=campaign, userId="u-1", numResults=100
        )
        return ids(answer["actionList"], "actionId")

    assert len(actions()) == 100
    dataset = group.dataset("Actions", ACTIONS)
    group.events.put_actions(datasetArn=dataset, actions=[{"actionId": "a-1"}])
    assert actions() == ["a-1"]
    group.events.put_actions(datasetArn=dataset, actions=[{"actionId": "a-2"}])
    assert sorted(actions()) == ["a-1", "a-2"]


def test_a_ranking_follows_the_known_items_as_they_change(group, personalize_runtime_client):
    campaign = group.campaign("aws-personalized-ranking")
    inputs = ["x", "hat", "y", "shoe"]

    def ranked() -> list[str]:
        answer = personalize_runtime_client.get_personalized_ranking(
            campaignArn=campaign, userId="u-1", inputList=inputs
        )
        return ids(answer["personalizedRanking"])

    unknown = ranked()
    assert sorted(unknown) == sorted(inputs)
    group.track("hat", "shoe")
    known_first = ranked()
    assert sorted(known_first[:2]) == ["hat", "shoe"]
    assert known_first[2:] == ["x", "y"]
    assert ranked() == known_first


def test_an_answer_changed_by_its_caller_changes_no_later_answer(group, personalize_runtime_client):
    campaign = group.campaign("aws-user-personalization")
    get = personalize_runtime_client.get_recommendations
    first = get(campaignArn=campaign, userId="u-1")
    kept = json.dumps(first["itemList"])
    first["itemList"][0]["itemId"] = "changed"
    first["itemList"][1]["score"] = 5.0
    first["itemList"].clear()
    again = get(campaignArn=campaign, userId="u-1")
    assert json.dumps(again["itemList"]) == kept
    assert again["recommendationId"] != first["recommendationId"]


def _median_ns(call: Callable[[], Any], calls: int = 200) -> float:
    clock = time.perf_counter_ns
    samples = []
    for _ in range(calls):
        start = clock()
        call()
        samples.append(clock() - start)
    return statistics.median(samples)


CASES = {
    "get_recommendations": ("aws-user-personalization", {"userId": "u-1"}, 0.6),
    "get_personalized_ranking": (
        "aws-personalized-ranking",
        {"userId": "u-1", "inputList": [f"item-{n}" for n in range(25)]},
        0.8,
    ),
    "get_action_recommendations": ("aws-next-best-action", {"userId": "u-1"}, 0.6),
}
"""Each call, its parameters, and the most of Stubber's cost it may take here. The issue's
figure is half (the benchmark reports it: about 0.35x, 0.5x and 0.2x on a quiet machine);
a ranking's 25 inputs are validated and its 25 answers copied by the transport, which
leaves it closest to that line."""


@pytest.mark.parametrize("known", [False, True], ids=["no known ids", "50 known ids"])
@pytest.mark.parametrize("method", list(CASES))
def test_a_runtime_call_costs_well_under_stubber_answering_it(method, known):
    """The quietest of interleaved rounds: the fake's median against that of Stubber
    answering the fake's own answer from its queue, outside the fake."""
    stub = PersonalizeStub()
    recipe, params, most = CASES[method]
    with activated(stub):
        made = Group(stub, stub.client("personalize"), stub.client("personalize-events"))
        params = {"campaignArn": made.campaign(recipe), **params}
        if known:
            made.track(*(f"item-{n}" for n in range(50)))
            dataset = made.dataset("Actions", ACTIONS)
            made.events.put_actions(
                datasetArn=dataset, actions=[{"actionId": f"a-{n}"} for n in range(10)]
            )
        fake = getattr(stub.client("personalize-runtime"), method)
        answer = fake(**params)
    answer.pop("ResponseMetadata")
    client = boto3.client(
        "personalize-runtime",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stubbed = getattr(client, method)
    ratios = []
    for _ in range(7):
        with activated(stub):
            for _ in range(30):
                fake(**params)
            stub.calls.clear()
            fake_ns = _median_ns(lambda: fake(**params))
        with Stubber(client) as stubber:
            for _ in range(230):
                stubber.add_response(method, answer)
            for _ in range(30):
                stubbed(**params)
            stubber_ns = _median_ns(lambda: stubbed(**params))
        ratios.append(fake_ns / stubber_ns)
    assert min(ratios) <= most, f"{method} costs {min(ratios):.2f}x Stubber's"
