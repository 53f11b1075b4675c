"""The store's shelves: resources kept in creation order by kind and by the value of each member
their type is indexed by, with a count per status, so lists, lookups and quotas read only what
they want. These tests check that the shelves always say what a scan of the account would."""

from collections import Counter

import pytest
from support.flows import USER_PERSONALIZATION, active_solution, trained_version
from support.schemas import ITEMS_SCHEMA, avro_schema, field, nullable

from pytest_personalize_stub.account import type_of
from pytest_personalize_stub.declarations import Quota
from pytest_personalize_stub.operations import listing
from pytest_personalize_stub.services.personalize.resources import CAMPAIGN, DATASET_GROUP
from pytest_personalize_stub.store import Store


def assert_shelves_agree_with_a_scan(account):
    """Every shelf holds, in creation order, exactly the resources a scan finds for it, and
    counts their statuses as they are now."""
    store = account.store
    for kind in store.kinds():
        everything = list(store.all(kind))
        expected = {None: everything}
        for resource in everything:
            rtype = type_of(resource)
            for member in rtype.index:
                value = rtype.value(resource, member)
                if value is not None:
                    expected.setdefault((member, value), []).append(resource)
        for key, resources in expected.items():
            shelf = store.shelf(kind) if key is None else store.shelf(kind, *key)
            assert list(shelf) == resources, (kind, key)
            assert list(shelf.newest_first()) == resources[::-1], (kind, key)
            statuses = Counter(resource.status for resource in resources)
            for status, count in statuses.items():
                assert shelf.count([status]) == count, (kind, key, status)
            assert shelf.count(["NO SUCH STATUS"]) == 0


def test_a_shelf_resumes_newest_first_at_a_sequence_number_across_holes():
    store = Store()
    things = [store.add("thing", f"arn:{n}", {"status": "ACTIVE"}) for n in range(10)]
    for thing in things[2:9:2]:
        store.remove(thing)
    shelf = store.shelf("thing")
    assert [t.arn for t in shelf.newest_first(things[7].seq)] == [
        "arn:7",
        "arn:5",
        "arn:3",
        "arn:1",
        "arn:0",
    ]
    assert [t.arn for t in shelf.newest_first(things[6].seq)] == [
        "arn:5",
        "arn:3",
        "arn:1",
        "arn:0",
    ]
    assert [t.arn for t in shelf] == ["arn:0", "arn:1", "arn:3", "arn:5", "arn:7", "arn:9"]
    assert len(shelf) == 6


def test_holes_are_swept_once_they_are_half_the_shelf_and_the_order_stays():
    store = Store()
    things = [store.add("thing", f"arn:{n}", {}) for n in range(100)]
    for thing in things[:80]:
        store.remove(thing)
    shelf = store.shelf("thing")
    assert [t.arn for t in shelf] == [f"arn:{n}" for n in range(80, 100)]
    assert [t.arn for t in shelf.newest_first(things[90].seq)][:2] == ["arn:90", "arn:89"]


def test_a_shelf_counts_statuses_however_they_change():
    store = Store()
    thing = store.add("thing", "arn:1", {"status": "CREATE PENDING"})
    shelf = store.shelf("thing")
    assert shelf.count(["CREATE PENDING"]) == 1
    thing.attrs["status"] = "ACTIVE"
    assert (shelf.count(["CREATE PENDING"]), shelf.count(["ACTIVE"])) == (0, 1)
    thing.attrs.update({"status": "DELETE PENDING", "other": 1})
    thing.attrs |= {"other": 2}
    assert shelf.count(["DELETE PENDING"]) == 1
    thing.attrs.pop("status")
    assert shelf.count(["DELETE PENDING", "ACTIVE"]) == 0
    assert shelf.count([None]) == 1
    store.remove(thing)
    assert len(shelf) == 0
    assert shelf.count([None]) == 0


def test_a_shelf_first_asked_late_counts_what_its_resources_are_now_and_then_follows():
    store = Store()
    things = [store.add("thing", f"arn:{n}", {"status": "CREATE PENDING"}) for n in range(4)]
    things[0].attrs["status"] = "ACTIVE"
    things[1].attrs.update({"status": "ACTIVE"})
    store.remove(things[2])
    shelf = store.shelf("thing")
    assert (shelf.count(["ACTIVE"]), shelf.count(["CREATE PENDING"])) == (2, 1)
    things[3].attrs["status"] = "ACTIVE"
    store.add("thing", "arn:4", {"status": "CREATE PENDING"})
    store.remove(things[0])
    assert (shelf.count(["ACTIVE"]), shelf.count(["CREATE PENDING"])) == (2, 1)


def test_a_resource_moves_between_value_shelves_in_its_creation_place():
    store = Store()
    first, second, third = (store.add("thing", f"arn:{n}", {}) for n in range(3))
    for thing in (first, third):
        store.index(thing, [("parent", "a")])
    store.index(second, [("parent", "b")])
    store.index(second, [("parent", "a")])
    assert [t.arn for t in store.shelf("thing", "parent", "a")] == ["arn:0", "arn:1", "arn:2"]
    assert len(store.shelf("thing", "parent", "b")) == 0
    store.index(first, [])
    assert [t.arn for t in store.shelf("thing", "parent", "a")] == ["arn:1", "arn:2"]


def test_lookups_listings_blockers_and_quota_scopes_must_name_indexed_members():
    with pytest.raises(ValueError, match="not indexed"):
        listing(DATASET_GROUP, "datasetGroups", ("name",))
    with pytest.raises(ValueError, match="not indexed"):
        Quota(key="k", name="n", rtype=DATASET_GROUP, limit=1, scope="name")


def test_a_lookup_by_members_none_of_which_is_indexed_is_refused(personalize_stub):
    with pytest.raises(ValueError, match="indexed by none of name"):
        personalize_stub.state.having(DATASET_GROUP, name="shop")


def test_the_shelves_follow_a_whole_personalize_life(
    personalize_stub, personalize_client, personalize_events_client
):
    """Create, update (a campaign moved to another solution, a dataset's new schema), stop,
    fail and delete: after each step the shelves agree with a scan of the account."""
    stub, client = personalize_stub, personalize_client
    state = stub.state
    built = stub.build.campaign(name="life")
    group = built["datasetGroupArn"]
    assert_shelves_agree_with_a_scan(state)

    other = active_solution(stub, client, group, "other", USER_PERSONALIZATION)
    version = trained_version(stub, client, other)
    client.update_campaign(campaignArn=built["campaignArn"], solutionVersionArn=version)
    assert_shelves_agree_with_a_scan(state)
    listed = client.list_campaigns(solutionArn=other)["campaigns"]
    assert [c["campaignArn"] for c in listed] == [built["campaignArn"]]
    assert client.list_campaigns(solutionArn=built["solutionArn"])["campaigns"] == []
    stub.settle()
    assert_shelves_agree_with_a_scan(state)

    items_v1 = client.create_schema(name="items-v1", schema=ITEMS_SCHEMA)["schemaArn"]
    items = client.create_dataset(
        name="items", schemaArn=items_v1, datasetGroupArn=group, datasetType="Items"
    )["datasetArn"]
    stub.settle()
    wider = avro_schema(
        "Items", field("ITEM_ID"), field("GENRE", categorical=True), nullable("PRICE")
    )
    items_v2 = client.create_schema(name="items-v2", schema=wider)["schemaArn"]
    client.update_dataset(datasetArn=items, schemaArn=items_v2)
    stub.settle()
    assert_shelves_agree_with_a_scan(state)
    client.delete_schema(schemaArn=items_v1)

    stub.fail("CreateSolutionVersion", status="CREATE FAILED", reason="no data")
    client.create_solution_version(solutionArn=other)
    version = client.create_solution_version(solutionArn=other)["solutionVersionArn"]
    client.stop_solution_version_creation(solutionVersionArn=version)
    tracker = client.create_event_tracker(name="clicks", datasetGroupArn=group)
    client.create_filter(
        name="f",
        datasetGroupArn=group,
        filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
    )
    assert_shelves_agree_with_a_scan(state)
    stub.settle()
    assert_shelves_agree_with_a_scan(state)

    client.delete_campaign(campaignArn=built["campaignArn"])
    client.delete_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])
    assert_shelves_agree_with_a_scan(state)
    stub.settle()
    client.delete_solution(solutionArn=other)
    stub.settle()
    assert_shelves_agree_with_a_scan(state)
    assert state.store.shelf(CAMPAIGN.kind, "datasetGroupArn", group).count(["ACTIVE"]) == 0
    assert client.list_solution_versions()["solutionVersions"]


def test_the_shelves_follow_a_clean_rooms_ml_life(personalize_stub):
    built = personalize_stub.build.audience_generation_job(name="life")
    personalize_stub.settle()
    ml = personalize_stub.client("cleanroomsml")
    jobs = ml.list_audience_generation_jobs(
        configuredAudienceModelArn=built["configuredAudienceModelArn"]
    )["audienceGenerationJobs"]
    assert [job["audienceGenerationJobArn"] for job in jobs] == [built["audienceGenerationJobArn"]]
    assert_shelves_agree_with_a_scan(personalize_stub.state)
