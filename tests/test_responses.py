"""Answers projected from stored attributes: kept while a resource is unchanged, never shared."""

from __future__ import annotations

import pytest
from flows import INTERACTIONS_SCHEMA

from pytest_personalize_stub.store import Attributes

CHANGES = {
    "set": lambda attrs: attrs.__setitem__("name", "changed"),
    "update": lambda attrs: attrs.update(name="changed"),
    "merge": lambda attrs: attrs.__ior__({"name": "changed"}),
    "setdefault": lambda attrs: (attrs.pop("name"), attrs.setdefault("name", "changed")),
    "delete": lambda attrs: (attrs.__delitem__("name"), attrs.__setitem__("name", "changed")),
    "pop": lambda attrs: (attrs.pop("name"), attrs.__setitem__("name", "changed")),
    "clear": lambda attrs: (
        saved := dict(attrs),
        attrs.clear(),
        attrs.update(saved, name="changed"),
    ),
}


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
    assert personalize_client.list_schemas()["schemas"][0]["name"] == "changed"
    assert personalize_client.describe_schema(schemaArn=arn)["schema"]["name"] == "changed"


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
