"""Metric attributions and their metrics: create, update, list, delete, and at most one per
dataset group, as the developer guide describes them ("Measuring recommendation impact with a
metric attribution", https://docs.aws.amazon.com/personalize/latest/dg/metric-attributions.html)."""

from __future__ import annotations

import pytest
from support.flows import ROLE, active_dataset_group

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
OUTPUT = {"s3DataDestination": {"path": "s3://bucket/metrics/"}, "roleArn": ROLE}
CLICKS = {"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}
REVENUE = {"eventType": "purchase", "metricName": "revenue", "expression": "SUM(Items.PRICE)"}


def metric(name, expression="SAMPLECOUNT()"):
    return {"eventType": "click", "metricName": name, "expression": expression}


def create(client, group, name="attribution", metrics=(CLICKS,), output=OUTPUT):
    return client.create_metric_attribution(
        name=name, datasetGroupArn=group, metrics=list(metrics), metricsOutputConfig=output
    )["metricAttributionArn"]


def metric_names(client, arn):
    metrics = client.list_metric_attribution_metrics(metricAttributionArn=arn)["metrics"]
    return [m["metricName"] for m in metrics]


@pytest.mark.personalize_stub(durations={"metric_attribution": 100})
def test_metric_attribution_walks_to_active_and_keeps_its_metrics_apart(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group, metrics=[CLICKS, REVENUE])
    assert arn == PREFIX + "metric-attribution/attribution"
    described = personalize_client.describe_metric_attribution(metricAttributionArn=arn)
    assert described["metricAttribution"]["status"] == "CREATE PENDING"
    assert described["metricAttribution"]["metricsOutputConfig"] == OUTPUT
    assert "metrics" not in described["metricAttribution"]
    personalize_stub.clock.advance(seconds=50)
    listed = personalize_client.list_metric_attributions(datasetGroupArn=group)
    assert [a["status"] for a in listed["metricAttributions"]] == ["CREATE IN_PROGRESS"]
    personalize_stub.clock.advance(seconds=60)
    described = personalize_client.describe_metric_attribution(metricAttributionArn=arn)
    assert described["metricAttribution"]["status"] == "ACTIVE"
    metrics = personalize_client.list_metric_attribution_metrics(metricAttributionArn=arn)
    assert metrics["metrics"] == [CLICKS, REVENUE]


@pytest.mark.parametrize(
    "expression", ["SUM(Items.PRICE)", "SUM(Interactions.EVENT_VALUE)", "SAMPLECOUNT()"]
)
def test_documented_metric_expressions_are_accepted(
    personalize_stub, personalize_client, expression
):
    group = active_dataset_group(personalize_stub, personalize_client)
    create(personalize_client, group, metrics=[metric("m", expression)])


@pytest.mark.parametrize(
    "expression", ["SUM(Users.AGE)", "AVG(Items.PRICE)", "SUM(PRICE)", "SAMPLECOUNT(Items.X)"]
)
def test_other_metric_expressions_are_refused(personalize_stub, personalize_client, expression):
    group = active_dataset_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        create(personalize_client, group, metrics=[metric("m", expression)])


def test_at_most_ten_metrics(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        create(personalize_client, group, metrics=[metric(f"m{n}") for n in range(11)])
    create(personalize_client, group, metrics=[metric(f"m{n}") for n in range(10)])


def test_one_metric_attribution_per_dataset_group(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    create(personalize_client, group, "first")
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        create(personalize_client, group, "second")


def test_metric_attribution_needs_an_existing_active_dataset_group(
    personalize_stub, personalize_client
):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        create(personalize_client, PREFIX + "dataset-group/missing")
    pending = personalize_client.create_dataset_group(name="pending")["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        create(personalize_client, pending)


def test_update_adds_removes_and_replaces_the_output(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group, metrics=[CLICKS, REVENUE])
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.update_metric_attribution(metricAttributionArn=arn, addMetrics=[])
    personalize_stub.settle()
    before = personalize_client.describe_metric_attribution(metricAttributionArn=arn)[
        "metricAttribution"
    ]["lastUpdatedDateTime"]
    personalize_stub.clock.advance(seconds=10)
    new_output = {"roleArn": ROLE}
    answer = personalize_client.update_metric_attribution(
        metricAttributionArn=arn,
        removeMetrics=["clicks"],
        addMetrics=[metric("views")],
        metricsOutputConfig=new_output,
    )
    assert answer["metricAttributionArn"] == arn
    assert metric_names(personalize_client, arn) == ["revenue", "views"]
    described = personalize_client.describe_metric_attribution(metricAttributionArn=arn)[
        "metricAttribution"
    ]
    assert described["status"] == "ACTIVE"
    assert described["metricsOutputConfig"] == new_output
    assert described["lastUpdatedDateTime"] > before


def test_update_refuses_duplicates_unknown_names_and_more_than_ten(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group, metrics=[CLICKS])
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        personalize_client.update_metric_attribution(
            metricAttributionArn=arn, addMetrics=[metric("clicks")]
        )
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.update_metric_attribution(
            metricAttributionArn=arn, removeMetrics=["unknown"]
        )
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.update_metric_attribution(
            metricAttributionArn=arn, addMetrics=[metric(f"m{n}") for n in range(10)]
        )
    assert metric_names(personalize_client, arn) == ["clicks"]
    personalize_client.update_metric_attribution(
        metricAttributionArn=arn, removeMetrics=["clicks"], addMetrics=[metric("clicks")]
    )


def test_update_needs_an_existing_attribution(personalize_stub, personalize_client):
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.update_metric_attribution(addMetrics=[CLICKS])
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.update_metric_attribution(
            metricAttributionArn=PREFIX + "metric-attribution/missing", addMetrics=[CLICKS]
        )


def test_list_metrics_pages_and_needs_a_known_attribution(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group, metrics=[metric(f"m{n}") for n in range(5)])
    first = personalize_client.list_metric_attribution_metrics(
        metricAttributionArn=arn, maxResults=3
    )
    assert [m["metricName"] for m in first["metrics"]] == ["m0", "m1", "m2"]
    rest = personalize_client.list_metric_attribution_metrics(
        metricAttributionArn=arn, maxResults=3, nextToken=first["nextToken"]
    )
    assert [m["metricName"] for m in rest["metrics"]] == ["m3", "m4"]
    assert "nextToken" not in rest
    with pytest.raises(personalize_client.exceptions.InvalidNextTokenException):
        personalize_client.list_metric_attribution_metrics(
            metricAttributionArn=arn, nextToken="garbage"
        )
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.list_metric_attribution_metrics()
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.list_metric_attribution_metrics(
            metricAttributionArn=PREFIX + "metric-attribution/missing"
        )


def test_delete_metric_attribution_frees_the_dataset_group(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group)
    personalize_stub.settle()
    personalize_client.delete_metric_attribution(metricAttributionArn=arn)
    described = personalize_client.describe_metric_attribution(metricAttributionArn=arn)
    assert described["metricAttribution"]["status"] == "DELETE PENDING"
    personalize_stub.settle()
    assert personalize_client.list_metric_attributions()["metricAttributions"] == []
    create(personalize_client, group, "again")


@pytest.mark.personalize_fail("CreateMetricAttribution", status="CREATE FAILED", reason="No role")
def test_failed_metric_attribution_carries_its_reason(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = create(personalize_client, group)
    personalize_stub.settle()
    listed = personalize_client.list_metric_attributions()["metricAttributions"]
    assert (listed[0]["status"], listed[0]["failureReason"]) == ("CREATE FAILED", "No role")
    personalize_client.delete_metric_attribution(metricAttributionArn=arn)
