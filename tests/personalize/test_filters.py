"""Filters: the filter expression language, status walk, listing, deletion and quotas, as the
developer guide describes them ("Filter expression structure and elements",
https://docs.aws.amazon.com/personalize/latest/dg/creating-filter-expressions.html)."""

from __future__ import annotations

import pytest
from support.flows import active_dataset_group

from pytest_personalize_stub.services.personalize.filter_expressions import (
    Clause,
    Condition,
    ExpressionError,
    parse_expression,
)
from pytest_personalize_stub.services.personalize.resources import FilterExtra

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
VALID = [
    'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")',
    "EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)",
    "INCLUDE ItemID WHERE Items.PRICE <= $PRICE",
    'EXCLUDE ItemID WHERE Items.CATEGORY_L1 IN ("shoe") AND Items.CATEGORY_L2 NOT IN ("boot")',
    "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE",
    "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE",
    (
        "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY) | INCLUDE ItemID WHERE "
        'Interactions.EVENT_TYPE IN ("favorite")'
    ),
    'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("NOT_TAKEN")',
    "INCLUDE ActionID WHERE Actions.VALUE > ($VALUE)",
    "INCLUDE UserID WHERE Users.AGE >= 21",
    'INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")',
]
INVALID = [
    "ItemID WHERE Items.GENRE IN ($GENRE)",
    "EXCLUDE Items WHERE Items.GENRE IN ($GENRE)",
    "EXCLUDE ItemID Items.GENRE IN ($GENRE)",
    "EXCLUDE ItemID WHERE GENRE IN ($GENRE)",
    "EXCLUDE ItemID WHERE Products.GENRE IN ($GENRE)",
    "EXCLUDE ItemID WHERE Items.GENRE LIKE ($GENRE)",
    'EXCLUDE ItemID WHERE Items.GENRE IN ("a"',
    "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) |",
    "INCLUDE ItemID WHERE Items.GENRE NOT IN ($GENRE)",
    "INCLUDE ItemID WHERE Items.PRICE != $PRICE",
    "INCLUDE ItemID WHERE Items.PRICE = (1, 2)",
    'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE, "drama")',
]


def create(client, group, name="no-clicks", expression=VALID[0], **extra):
    return client.create_filter(
        name=name, datasetGroupArn=group, filterExpression=expression, **extra
    )["filterArn"]


@pytest.mark.parametrize("expression", VALID)
def test_documented_expressions_are_accepted(personalize_stub, personalize_client, expression):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group, expression=expression)
    described = personalize_client.describe_filter(filterArn=arn)["filter"]
    assert described["filterExpression"] == expression


@pytest.mark.parametrize("expression", INVALID)
def test_malformed_expressions_are_refused(personalize_stub, personalize_client, expression):
    group = active_dataset_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.InvalidInputException) as error:
        create(personalize_client, group, expression=expression)
    assert error.value.response["Error"]["Message"].startswith("Could not create filter.")
    assert personalize_client.list_filters()["Filters"] == []


def test_placeholders_are_kept_with_the_action_of_their_clause(personalize_stub):
    clauses = parse_expression(
        "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE"
        ' | INCLUDE ItemID WHERE Items.PRICE <= $PRICE AND Items.BRAND IN ("acme")'
    )
    assert clauses[1] == Clause(
        "INCLUDE",
        "ItemID",
        (
            Condition("Items", "PRICE", "<=", placeholder="PRICE"),
            Condition("Items", "BRAND", "IN", values=("acme",)),
        ),
        ("AND",),
    )
    group = active_dataset_group(personalize_stub, personalize_stub.client("personalize"))
    arn = create(
        personalize_stub.client("personalize"),
        group,
        expression="EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE"
        " | INCLUDE ItemID WHERE Items.PRICE <= $PRICE",
    )
    stored = personalize_stub.state.store.get("filter", arn)
    assert stored.extra(FilterExtra).placeholders == {
        "GENRE": "EXCLUDE",
        "AGE": "EXCLUDE",
        "PRICE": "INCLUDE",
    }
    assert stored.extra(FilterExtra).clauses[0].if_conditions == (
        Condition("CurrentUser", "AGE", "=", placeholder="AGE"),
    )


def test_parse_errors_name_the_problem():
    with pytest.raises(ExpressionError, match="NOT IN"):
        parse_expression("INCLUDE ItemID WHERE Items.GENRE NOT IN ($GENRE)")


@pytest.mark.personalize_stub(durations={"filter": 100})
def test_filter_walks_create_statuses_and_lists_under_capital_f(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group, tags=[{"tagKey": "team", "tagValue": "recs"}])
    assert arn == PREFIX + "filter/no-clicks"
    assert personalize_client.describe_filter(filterArn=arn)["filter"]["status"] == (
        "CREATE PENDING"
    )
    personalize_stub.clock.advance(seconds=50)
    listed = personalize_client.list_filters(datasetGroupArn=group)["Filters"]
    assert [(f["filterArn"], f["status"]) for f in listed] == [(arn, "CREATE IN_PROGRESS")]
    assert "filterExpression" not in listed[0]
    personalize_stub.clock.advance(seconds=60)
    assert personalize_client.describe_filter(filterArn=arn)["filter"]["status"] == "ACTIVE"
    assert personalize_client.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"tagKey": "team", "tagValue": "recs"}
    ]


def test_list_filters_narrows_by_dataset_group(personalize_stub, personalize_client):
    first = active_dataset_group(personalize_stub, personalize_client, "first")
    second = active_dataset_group(personalize_stub, personalize_client, "second")
    create(personalize_client, first, "one")
    create(personalize_client, second, "two")
    assert [f["name"] for f in personalize_client.list_filters()["Filters"]] == ["two", "one"]
    assert [
        f["name"] for f in personalize_client.list_filters(datasetGroupArn=first)["Filters"]
    ] == ["one"]


def test_filter_names_are_unique(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    create(personalize_client, group)
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        create(personalize_client, group)


def test_filter_needs_an_existing_active_dataset_group(personalize_stub, personalize_client):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        create(personalize_client, PREFIX + "dataset-group/missing")
    pending = personalize_client.create_dataset_group(name="pending")["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        create(personalize_client, pending)


def test_thirty_filters_per_dataset_group(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    for number in range(30):
        create(personalize_client, group, f"filter-{number}")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        create(personalize_client, group, "one-too-many")
    other = active_dataset_group(personalize_stub, personalize_client, "other")
    create(personalize_client, other, "elsewhere")


@pytest.mark.personalize_stub(quotas={"filters_per_dataset_group": 1})
def test_the_filter_quota_is_configurable(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    create(personalize_client, group, "first")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        create(personalize_client, group, "second")


def test_distinct_dataset_fields_are_limited_per_filter_and_per_group(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    eleven = " AND ".join(f'Items.F{n} IN ("x")' for n in range(11))
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        create(personalize_client, group, "wide", f"INCLUDE ItemID WHERE {eleven}")
    ten = " AND ".join(f'Items.F{n} IN ("x")' for n in range(10))
    create(personalize_client, group, "first-ten", f"INCLUDE ItemID WHERE {ten}")
    other_ten = " AND ".join(f'Items.G{n} IN ("x")' for n in range(10))
    create(personalize_client, group, "next-ten", f"INCLUDE ItemID WHERE {other_ten}")
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        create(personalize_client, group, "one-more", 'INCLUDE ItemID WHERE Items.H IN ("x")')
    create(personalize_client, group, "reuse", 'INCLUDE ItemID WHERE Items.F1 IN ("y")')


def test_delete_filter_walks_delete_statuses(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_filter(filterArn=arn)
    personalize_stub.settle()
    personalize_client.delete_filter(filterArn=arn)
    assert personalize_client.describe_filter(filterArn=arn)["filter"]["status"] == (
        "DELETE PENDING"
    )
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_filter(filterArn=arn)
    create(personalize_client, group)


@pytest.mark.personalize_fail("CreateFilter", status="CREATE FAILED", reason="Unknown field")
def test_failed_filter_keeps_its_reason_and_can_be_deleted(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group)
    personalize_stub.settle()
    described = personalize_client.describe_filter(filterArn=arn)["filter"]
    assert (described["status"], described["failureReason"]) == ("CREATE FAILED", "Unknown field")
    personalize_client.delete_filter(filterArn=arn)
