"""Answers projected from stored attributes: kept while a resource is unchanged, never shared."""

from __future__ import annotations

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
