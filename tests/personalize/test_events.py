"""personalize-events: PutEvents, PutItems, PutUsers, PutActions and PutActionInteractions,
and what the datasets keep of them, as the developer guide describes them ("Recording
real-time events to influence recommendations",
https://docs.aws.amazon.com/personalize/latest/dg/recording-events.html)."""

from __future__ import annotations

import datetime
import json

import pytest
from support.flows import active_dataset, active_dataset_group
from support.schemas import ACTION_INTERACTIONS_SCHEMA, avro_schema, field, nullable

from pytest_personalize_stub.services.personalize.resources import DatasetExtra

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
SENT = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)


SCHEMAS = {
    "Items": avro_schema("Items", field("ITEM_ID"), nullable("GENRES"), nullable("CATEGORY_L1")),
    "Users": avro_schema("Users", field("USER_ID"), nullable("AGE")),
    "Actions": avro_schema("Actions", field("ACTION_ID"), nullable("VALUE")),
    "Action_Interactions": ACTION_INTERACTIONS_SCHEMA,
}


def dataset(stub, client, group, dataset_type, settle=True):
    schema_arn = client.create_schema(
        name=f"{dataset_type.lower()}-schema", schema=SCHEMAS[dataset_type]
    )["schemaArn"]
    arn = client.create_dataset(
        name=dataset_type.lower(),
        schemaArn=schema_arn,
        datasetGroupArn=group,
        datasetType=dataset_type,
    )["datasetArn"]
    if settle:
        stub.settle()
    return arn


def stored(stub, arn):
    """What the dataset holds (its records and events)."""
    return stub.state.store.get("dataset", arn).extra(DatasetExtra)


def tracked_group(stub, client):
    """An ACTIVE group with an ACTIVE Interactions dataset and event tracker."""
    group = active_dataset_group(stub, client)
    interactions = active_dataset(stub, client, group)
    tracker = client.create_event_tracker(name="clicks", datasetGroupArn=group)
    stub.settle()
    return group, interactions, tracker


def event(**fields):
    fields.setdefault("eventType", "click")
    fields.setdefault("sentAt", SENT)
    return fields


# --------------------------------------------------------------------------------------------
# PutEvents
# --------------------------------------------------------------------------------------------


def test_put_events_records_into_the_interactions_dataset(
    personalize_stub, personalize_client, personalize_events_client
):
    _, interactions, tracker = tracked_group(personalize_stub, personalize_client)
    answer = personalize_events_client.put_events(
        trackingId=tracker["trackingId"],
        userId="u-1",
        sessionId="s-1",
        eventList=[
            event(itemId="i-1", eventValue=2.5, properties='{"discount": "yes"}'),
            event(itemId="i-2", sentAt=1714564800, impression=["i-2", "i-3"]),
        ],
    )
    assert set(answer) == {"ResponseMetadata"}
    assert stored(personalize_stub, interactions).events == [
        {
            "eventType": "click",
            "eventValue": 2.5,
            "itemId": "i-1",
            "userId": "u-1",
            "sessionId": "s-1",
            "sentAt": SENT.timestamp(),
            "properties": {"discount": "yes"},
        },
        {
            "eventType": "click",
            "itemId": "i-2",
            "impression": ["i-2", "i-3"],
            "userId": "u-1",
            "sessionId": "s-1",
            "sentAt": 1714564800.0,
            "properties": {},
        },
    ]


def test_identical_events_are_kept_once(
    personalize_stub, personalize_client, personalize_events_client
):
    _, interactions, tracker = tracked_group(personalize_stub, personalize_client)
    for _ in range(2):
        personalize_events_client.put_events(
            trackingId=tracker["trackingId"], sessionId="s-1", eventList=[event(itemId="i-1")]
        )
    personalize_events_client.put_events(
        trackingId=tracker["trackingId"],
        sessionId="s-1",
        eventList=[event(itemId="i-1", sentAt=SENT + datetime.timedelta(seconds=1))],
    )
    assert len(stored(personalize_stub, interactions).events) == 2


def test_put_events_needs_an_active_tracker(
    personalize_stub, personalize_client, personalize_events_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_dataset(personalize_stub, personalize_client, group)
    tracker = personalize_client.create_event_tracker(name="clicks", datasetGroupArn=group)
    invalid = personalize_events_client.exceptions.InvalidInputException

    def put(tracking_id):
        personalize_events_client.put_events(
            trackingId=tracking_id, sessionId="s", eventList=[event(itemId="i")]
        )

    with pytest.raises(invalid):
        put(tracker["trackingId"])
    with pytest.raises(invalid):
        put("00000000-0000-4000-8000-000000000000")
    personalize_stub.settle()
    put(tracker["trackingId"])
    personalize_client.delete_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])
    with pytest.raises(invalid):
        put(tracker["trackingId"])


def test_put_events_needs_an_interactions_dataset(
    personalize_stub, personalize_client, personalize_events_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    tracker = personalize_client.create_event_tracker(name="clicks", datasetGroupArn=group)
    personalize_stub.settle()
    with pytest.raises(personalize_events_client.exceptions.InvalidInputException):
        personalize_events_client.put_events(
            trackingId=tracker["trackingId"], sessionId="s", eventList=[event(itemId="i")]
        )


@pytest.mark.parametrize(
    "properties", ["not json", '["a"]', '{"userId": "u"}', '{"Impression": 1}']
)
def test_event_properties_must_be_a_json_object_without_reserved_keys(
    personalize_stub, personalize_client, personalize_events_client, properties
):
    _, interactions, tracker = tracked_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_events_client.exceptions.InvalidInputException):
        personalize_events_client.put_events(
            trackingId=tracker["trackingId"],
            sessionId="s",
            eventList=[event(itemId="ok"), event(itemId="i", properties=properties)],
        )
    assert stored(personalize_stub, interactions).events == []


# --------------------------------------------------------------------------------------------
# PutItems, PutUsers, PutActions
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset_type", "operation", "member", "key", "properties"),
    [
        ("Items", "put_items", "items", "itemId", {"genres": "drama|comedy", "categoryL1": "x"}),
        ("Users", "put_users", "users", "userId", {"age": "42"}),
        ("Actions", "put_actions", "actions", "actionId", {"value": "3"}),
    ],
)
def test_put_records_are_stored_and_replaced_by_id(
    personalize_stub,
    personalize_client,
    personalize_events_client,
    dataset_type,
    operation,
    member,
    key,
    properties,
):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = dataset(personalize_stub, personalize_client, group, dataset_type)
    put = getattr(personalize_events_client, operation)
    put(
        datasetArn=arn,
        **{member: [{key: "a", "properties": json.dumps(properties)}, {key: "b"}]},
    )
    assert stored(personalize_stub, arn).records == {"a": properties, "b": {}}
    answer = put(datasetArn=arn, **{member: [{key: "b", "properties": json.dumps(properties)}]})
    assert set(answer) == {"ResponseMetadata"}
    assert stored(personalize_stub, arn).records == {"a": properties, "b": properties}


def test_put_items_needs_an_existing_items_dataset(
    personalize_stub, personalize_client, personalize_events_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    users = dataset(personalize_stub, personalize_client, group, "Users")
    with pytest.raises(personalize_events_client.exceptions.ResourceNotFoundException):
        personalize_events_client.put_items(
            datasetArn=PREFIX + "dataset/shop/ITEMS", items=[{"itemId": "a"}]
        )
    with pytest.raises(personalize_events_client.exceptions.InvalidInputException):
        personalize_events_client.put_items(datasetArn=users, items=[{"itemId": "a"}])
    with pytest.raises(personalize_events_client.exceptions.InvalidInputException):
        personalize_events_client.put_actions(datasetArn=users, actions=[{"actionId": "a"}])


def test_put_users_needs_an_active_dataset(
    personalize_stub, personalize_client, personalize_events_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    users = dataset(personalize_stub, personalize_client, group, "Users", settle=False)
    with pytest.raises(personalize_events_client.exceptions.ResourceInUseException) as error:
        personalize_events_client.put_users(datasetArn=users, users=[{"userId": "u"}])
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    personalize_stub.settle()
    personalize_events_client.put_users(datasetArn=users, users=[{"userId": "u"}])


@pytest.mark.parametrize("properties", ["{bad", '"text"', '{"price": "3"}'])
def test_record_properties_must_be_json_of_schema_fields(
    personalize_stub, personalize_client, personalize_events_client, properties
):
    group = active_dataset_group(personalize_stub, personalize_client)
    items = dataset(personalize_stub, personalize_client, group, "Items")
    with pytest.raises(personalize_events_client.exceptions.InvalidInputException):
        personalize_events_client.put_items(
            datasetArn=items,
            items=[{"itemId": "ok"}, {"itemId": "a", "properties": properties}],
        )
    assert stored(personalize_stub, items).records == {}


# --------------------------------------------------------------------------------------------
# PutActionInteractions
# --------------------------------------------------------------------------------------------


def test_put_action_interactions_uses_the_datasets_tracking_id(
    personalize_stub, personalize_client, personalize_events_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = dataset(personalize_stub, personalize_client, group, "Action_Interactions")
    tracking_id = personalize_client.describe_dataset(datasetArn=arn)["dataset"]["trackingId"]
    personalize_events_client.put_action_interactions(
        trackingId=tracking_id,
        actionInteractions=[
            {
                "actionId": "a-1",
                "userId": "u-1",
                "sessionId": "s-1",
                "timestamp": SENT,
                "eventType": "Taken",
                "properties": '{"channel": "email"}',
            }
        ],
    )
    assert stored(personalize_stub, arn).events == [
        {
            "actionId": "a-1",
            "userId": "u-1",
            "sessionId": "s-1",
            "eventType": "Taken",
            "timestamp": SENT.timestamp(),
            "properties": {"channel": "email"},
        }
    ]


def test_put_action_interactions_errors(
    personalize_stub, personalize_client, personalize_events_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = dataset(personalize_stub, personalize_client, group, "Action_Interactions", settle=False)
    tracking_id = personalize_client.describe_dataset(datasetArn=arn)["dataset"]["trackingId"]
    put = personalize_events_client.put_action_interactions
    interaction = {"actionId": "a", "sessionId": "s", "timestamp": SENT, "eventType": "Viewed"}
    with pytest.raises(personalize_events_client.exceptions.ResourceNotFoundException):
        put(trackingId="00000000-0000-4000-8000-000000000000", actionInteractions=[interaction])
    with pytest.raises(personalize_events_client.exceptions.ResourceInUseException):
        put(trackingId=tracking_id, actionInteractions=[interaction])
    personalize_stub.settle()
    with pytest.raises(personalize_events_client.exceptions.InvalidInputException):
        put(trackingId=tracking_id, actionInteractions=[{**interaction, "eventType": "Clicked"}])
    put(trackingId=tracking_id, actionInteractions=[interaction])
    assert len(stored(personalize_stub, arn).events) == 1
