"""Answers projected from stored attributes: kept while a resource is unchanged, never shared."""

from __future__ import annotations

import copy

import pytest
from support.schemas import INTERACTIONS_SCHEMA

from pytest_personalize_stub.store import Attributes

CHANGES = {
    "set": lambda attrs: attrs.__setitem__("name", "changed"),
    "update": lambda attrs: attrs.update(name="changed"),
    "merge": lambda attrs: attrs.__ior__({"name": "changed"}),
    "setdefault": lambda attrs: attrs.setdefault("domain", "ECOMMERCE"),
    "delete": lambda attrs: attrs.__delitem__("name"),
    "pop": lambda attrs: attrs.pop("name"),
    "popitem": lambda attrs: attrs.popitem(),
    "clear": lambda attrs: attrs.clear(),
}
"""Every way to change a resource's attributes, one method call each."""


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_stored_attributes_shows_in_the_next_answer(
    change, personalize_stub, personalize_client
):
    arn = personalize_client.create_schema(name="kept", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    assert personalize_client.list_schemas()["schemas"][0]["name"] == "kept"
    attrs = personalize_stub.state.store.get("schema", arn).attrs
    assert isinstance(attrs, Attributes) and attrs.projections
    CHANGES[change](attrs)
    assert attrs.projections is None
    summary = personalize_client.list_schemas()["schemas"][0]
    members = personalize_client.meta.service_model.shape_for("DatasetSchemaSummary").members
    assert set(summary) == {name for name in members if name in attrs}
    assert all(summary[name] == attrs[name] for name in summary if isinstance(attrs[name], str))


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_stored_attributes_shows_in_the_next_describe(
    change, personalize_stub, personalize_client
):
    """A describe's whole answer is kept on the attributes it is made of, and forgotten with
    their other projections."""
    arn = personalize_client.create_schema(name="kept", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    first = personalize_client.describe_schema(schemaArn=arn)["schema"]
    attrs = personalize_stub.state.store.get("schema", arn).attrs
    assert first["name"] == "kept"
    kept = list((attrs.projections or {}).values())
    assert {"schema": first} in kept and first in kept  # the member's answer and the whole one
    CHANGES[change](attrs)
    again = personalize_client.describe_schema(schemaArn=arn)["schema"]
    members = personalize_client.meta.service_model.shape_for("DatasetSchema").members
    assert set(again) == {name for name in members if name in attrs}
    assert all(again[name] == attrs[name] for name in again if isinstance(attrs[name], str))


def test_a_status_change_on_the_clock_shows_in_the_next_list(personalize_stub, personalize_client):
    personalize_client.create_dataset_group(name="moving")
    before = personalize_client.list_dataset_groups()["datasetGroups"][0]
    personalize_stub.settle()
    after = personalize_client.list_dataset_groups()["datasetGroups"][0]
    assert (before["status"], after["status"]) == ("CREATE PENDING", "ACTIVE")
    assert after["lastUpdatedDateTime"] > before["lastUpdatedDateTime"]


def test_changing_an_answer_changes_neither_the_fake_nor_the_next_answer(personalize_client):
    personalize_client.create_schema(name="mine", schema=INTERACTIONS_SCHEMA)
    first = personalize_client.list_schemas()["schemas"][0]
    first["name"] = "scribbled"
    first.clear()
    again = personalize_client.list_schemas()["schemas"]
    assert again[0]["name"] == "mine"
    assert again[0] is not first


def test_nested_members_of_a_kept_answer_are_never_shared(personalize_stub, personalize_client):
    """A describe answer with nested structures and maps, kept while the campaign is
    unchanged: scribbling on one answer's nested members leaves the next answer intact."""
    arns = personalize_stub.build.campaign(
        campaignConfig={"itemExplorationConfig": {"explorationWeight": "0.3"}}
    )
    first = personalize_client.describe_campaign(campaignArn=arns["campaignArn"])["campaign"]
    pristine = copy.deepcopy(first)
    assert first["campaignConfig"]["itemExplorationConfig"]["explorationWeight"] == "0.3"
    first["campaignConfig"]["itemExplorationConfig"]["explorationWeight"] = "0.9"
    first["campaignConfig"].clear()
    again = personalize_client.describe_campaign(campaignArn=arns["campaignArn"])["campaign"]
    assert again == pristine
    assert again["campaignConfig"] is not first["campaignConfig"]


def test_an_update_record_moving_on_the_clock_shows_in_the_next_describe(
    personalize_stub, personalize_client
):
    """The update record is a nested member that the clock moves: a kept answer must not
    outlive its steps."""
    arns = personalize_stub.build.campaign()
    personalize_client.update_campaign(campaignArn=arns["campaignArn"], minProvisionedTPS=3)
    seen = []
    for _ in range(4):
        campaign = personalize_client.describe_campaign(campaignArn=arns["campaignArn"])
        seen.append(campaign["campaign"]["latestCampaignUpdate"]["status"])
        personalize_stub.clock.advance(minutes=5)
    personalize_stub.settle()
    campaign = personalize_client.describe_campaign(campaignArn=arns["campaignArn"])["campaign"]
    assert seen[0] == "CREATE PENDING" and "CREATE IN_PROGRESS" in seen
    assert campaign["latestCampaignUpdate"]["status"] == "ACTIVE"
    assert campaign["minProvisionedTPS"] == 3


def test_a_list_of_entries_is_copied_nested_members_and_all():
    """A ranked list whose entries mostly hold scalars, one with metadata and reasons: every
    entry and every nested member of the copy is new."""
    from pytest_personalize_stub import clients
    from pytest_personalize_stub.projection import copier_for

    shape = clients.service_model("personalize-runtime").shape_for("ItemList")
    kept = [{"itemId": f"i{n}", "score": 0.5} for n in range(3)]
    kept.append({"itemId": "rich", "metadata": {"genre": "jazz"}, "reason": ["popular"]})
    pristine = copy.deepcopy(kept)

    copies = copier_for("personalize-runtime", shape)(kept)
    assert copies == pristine
    for entry in copies:
        entry.pop("itemId")
    copies[-1]["metadata"]["genre"] = "rock"
    copies[-1]["reason"].append("new")
    assert kept == pristine


def _containers(value: object) -> list[object]:
    """Every dict and list within ``value``, outermost first."""
    if isinstance(value, dict):
        return [value, *(inner for item in value.values() for inner in _containers(item))]
    if isinstance(value, list):
        return [value, *(inner for item in value for inner in _containers(item))]
    return []


def test_a_copier_copies_every_container_of_deep_and_recursive_shapes():
    """A structure that holds itself, and structures nested deeper than a copier writes out
    inline: the copy equals what was kept and shares none of its containers."""
    from botocore.model import ServiceModel

    from pytest_personalize_stub.projection import copier_for

    def link(next_shape: str) -> dict[str, object]:
        return {"type": "structure", "members": {"next": {"shape": next_shape}}}

    model = ServiceModel(
        {
            "metadata": {"protocol": "json", "serviceId": "Copied"},
            "operations": {},
            "shapes": {
                "Node": {
                    "type": "structure",
                    "members": {
                        "name": {"shape": "Text"},
                        "child": {"shape": "Node"},
                        "labels": {"shape": "Labels"},
                        "chain": {"shape": "Link1"},
                        "ends": {"shape": "Ends"},
                    },
                },
                **{f"Link{n}": link(f"Link{n + 1}") for n in range(1, 6)},
                "Link6": {"type": "structure", "members": {"labels": {"shape": "Labels"}}},
                "Ends": {"type": "list", "member": {"shape": "Link5"}},
                "Labels": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Text"}},
                "Text": {"type": "string"},
            },
        },
        service_name="copied",
    )
    chain: dict[str, object] = {"labels": {"deepest": "yes"}}
    for _ in range(5):
        chain = {"next": chain}
    kept = {
        "name": "root",
        "labels": {"a": "b"},
        "child": {"name": "child", "child": {"name": "grandchild", "labels": {"c": "d"}}},
        "chain": chain,
        "ends": [{"next": {"labels": {"e": "f"}}}, {}],
    }
    pristine = copy.deepcopy(kept)

    copied = copier_for("copied", model.shape_for("Node"))(kept)
    assert copied == pristine
    originals = {id(container) for container in _containers(kept)}
    assert not originals & {id(container) for container in _containers(copied)}
    assert len(_containers(copied)) == len(originals) == 17


def test_a_page_shows_the_one_entry_that_changed_among_kept_ones(
    personalize_stub, personalize_client
):
    arns = [
        personalize_client.create_schema(name=f"s{n}", schema=INTERACTIONS_SCHEMA)["schemaArn"]
        for n in range(3)
    ]
    first = personalize_client.list_schemas()["schemas"]
    personalize_stub.state.store.get("schema", arns[1]).attrs["name"] = "changed"
    again = personalize_client.list_schemas()["schemas"]
    assert [s["name"] for s in first] == ["s2", "s1", "s0"]
    assert [s["name"] for s in again] == ["s2", "changed", "s0"]


EPOCH_SECONDS = [
    0.0,
    1_000_000_000.5,
    1_700_000_000.1234565,  # a half microsecond: rounded as fromtimestamp rounds it
    1_729_989_000.0,  # 2024-10-27 00:30 UTC: 02:30 in Paris, first of the two
    1_729_992_600.0,  # 01:30 UTC: 02:30 in Paris again, fold 1
    1_540_000_000.25,  # 2018: summer time in Sao Paulo, which has none now
    2_000_000_000.999999,
]


@pytest.fixture
def local_zone(request, monkeypatch):
    """The process's local zone set to ``request.param`` (time.tzset), and set back after."""
    import time

    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    "local_zone",
    ["UTC", "Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo", "Europe/Paris"],
    indirect=True,
)
def test_a_timestamp_is_the_datetime_botocore_gives_in_every_local_zone(local_zone):
    """The fake's aware datetimes are exactly ``datetime.fromtimestamp(value, tzlocal())``,
    what botocore's parser makes of a json-protocol timestamp: the same wall time, fold,
    offset and zone, whether the zone's offset is fixed (made without dateutil's arithmetic)
    or changes with summer time."""
    import datetime

    from dateutil.tz import tzlocal

    from pytest_personalize_stub.projection import _stamp_maker

    zone = tzlocal()
    make = _stamp_maker(zone)
    for value in EPOCH_SECONDS:
        made, expected = make(value), datetime.datetime.fromtimestamp(value, zone)
        assert (made, made.fold, made.utcoffset(), repr(made)) == (
            expected,
            expected.fold,
            expected.utcoffset(),
            repr(expected),
        ), value
        assert made.tzinfo is zone
    if local_zone == "Europe/Paris":
        assert make(1_729_992_600.0).fold == 1
