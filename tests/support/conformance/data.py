"""Conformance flow: event trackers, filters, metric attributions, export and data deletion
jobs and dataset updates, in transitional, settled and failed states."""

from __future__ import annotations

from typing import Any

from support.conformance import Conformance
from support.flows import ROLE
from support.schemas import INTERACTIONS_SCHEMA, avro_schema, field, nullable

ITEM_FIELDS = (field("ITEM_ID"), field("GENRE"))


def flow(stub: Any, clients: dict[str, Any], check: Conformance) -> None:
    """Reach every operation of these families and check each answer's shape."""
    client = clients["personalize"]
    c = check.call

    group = c(client, "CreateDatasetGroup", name="data")["datasetGroupArn"]
    stub.settle()
    schema = c(client, "CreateSchema", name="events", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    items_v1 = c(
        client, "CreateSchema", name="items-v1", schema=avro_schema("Items", *ITEM_FIELDS)
    )["schemaArn"]
    interactions = c(
        client,
        "CreateDataset",
        name="interactions",
        schemaArn=schema,
        datasetGroupArn=group,
        datasetType="Interactions",
    )["datasetArn"]
    items = c(
        client,
        "CreateDataset",
        name="items",
        schemaArn=items_v1,
        datasetGroupArn=group,
        datasetType="Items",
    )["datasetArn"]
    stub.settle()

    # Dataset update: pending, then applied; and a failed one.
    items_v2 = c(
        client,
        "CreateSchema",
        name="items-v2",
        schema=avro_schema("Items", *ITEM_FIELDS, nullable("PRICE", "float")),
    )["schemaArn"]
    c(client, "UpdateDataset", datasetArn=items, schemaArn=items_v2)
    pending = c(client, "DescribeDataset", datasetArn=items)["dataset"]
    assert pending["latestDatasetUpdate"]["status"] == "CREATE PENDING"
    stub.settle()
    assert c(client, "DescribeDataset", datasetArn=items)["dataset"]["schemaArn"] == items_v2
    stub.fail("UpdateDataset", status="CREATE FAILED", reason="Schema rejected", times=1)
    c(client, "UpdateDataset", datasetArn=items, schemaArn=items_v2)
    stub.settle()
    failed_update = c(client, "DescribeDataset", datasetArn=items)["dataset"]["latestDatasetUpdate"]
    assert failed_update["failureReason"] == "Schema rejected"

    # Event tracker.
    tracker = c(client, "CreateEventTracker", name="clicks", datasetGroupArn=group)
    described = c(client, "DescribeEventTracker", eventTrackerArn=tracker["eventTrackerArn"])
    assert described["eventTracker"]["status"] == "CREATE PENDING"
    assert c(client, "ListEventTrackers", datasetGroupArn=group)["eventTrackers"][0]["status"] == (
        "CREATE PENDING"
    )
    stub.settle()
    assert c(client, "ListEventTrackers")["eventTrackers"][0]["status"] == "ACTIVE"

    # Filters: one creating, one failed.
    genre = c(
        client,
        "CreateFilter",
        name="genre",
        datasetGroupArn=group,
        filterExpression="EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)",
    )["filterArn"]
    assert c(client, "DescribeFilter", filterArn=genre)["filter"]["status"] == "CREATE PENDING"
    stub.fail("CreateFilter", status="CREATE FAILED", reason="Unknown field", times=1)
    broken = c(
        client,
        "CreateFilter",
        name="broken",
        datasetGroupArn=group,
        filterExpression="INCLUDE ItemID WHERE Items.SIZE = 1",
    )["filterArn"]
    assert c(client, "ListFilters", datasetGroupArn=group)["Filters"][0]["status"] == (
        "CREATE PENDING"
    )
    stub.settle()
    listed = c(client, "ListFilters")["Filters"]
    assert {f["status"] for f in listed} == {"ACTIVE", "CREATE FAILED"}
    assert c(client, "DescribeFilter", filterArn=broken)["filter"]["failureReason"] == (
        "Unknown field"
    )

    # Metric attribution: creating, active, updated.
    attribution = c(
        client,
        "CreateMetricAttribution",
        name="attribution",
        datasetGroupArn=group,
        metrics=[{"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}],
        metricsOutputConfig={
            "s3DataDestination": {"path": "s3://bucket/metrics/"},
            "roleArn": ROLE,
        },
    )["metricAttributionArn"]
    creating = c(client, "DescribeMetricAttribution", metricAttributionArn=attribution)
    assert creating["metricAttribution"]["status"] == "CREATE PENDING"
    summaries = c(client, "ListMetricAttributions", datasetGroupArn=group)["metricAttributions"]
    assert summaries[0]["status"] == "CREATE PENDING"
    stub.settle()
    c(
        client,
        "UpdateMetricAttribution",
        metricAttributionArn=attribution,
        addMetrics=[
            {"eventType": "buy", "metricName": "revenue", "expression": "SUM(Items.PRICE)"}
        ],
    )
    metrics = c(client, "ListMetricAttributionMetrics", metricAttributionArn=attribution)
    assert [m["metricName"] for m in metrics["metrics"]] == ["clicks", "revenue"]

    # Export jobs: running, then a finished and a failed one.
    export_output = {"s3DataDestination": {"path": "s3://bucket/export/"}}
    export = c(
        client,
        "CreateDatasetExportJob",
        jobName="export",
        datasetArn=interactions,
        roleArn=ROLE,
        jobOutput=export_output,
    )["datasetExportJobArn"]
    running = c(client, "DescribeDatasetExportJob", datasetExportJobArn=export)
    assert running["datasetExportJob"]["status"] == "CREATE PENDING"
    stub.fail("CreateDatasetExportJob", status="CREATE FAILED", reason="No access", times=1)
    c(
        client,
        "CreateDatasetExportJob",
        jobName="export-broken",
        datasetArn=interactions,
        roleArn=ROLE,
        jobOutput=export_output,
        ingestionMode="ALL",
    )
    running_exports = c(client, "ListDatasetExportJobs", datasetArn=interactions)
    assert running_exports["datasetExportJobs"][0]["status"] == "CREATE PENDING"
    stub.settle()
    exports = c(client, "ListDatasetExportJobs")["datasetExportJobs"]
    assert {j["status"] for j in exports} == {"ACTIVE", "CREATE FAILED"}

    # Data deletion jobs: pending, completed and failed.
    users = {"dataLocation": "s3://bucket/users.csv"}
    deletion = c(
        client,
        "CreateDataDeletionJob",
        jobName="forget",
        datasetGroupArn=group,
        dataSource=users,
        roleArn=ROLE,
    )["dataDeletionJobArn"]
    waiting = c(client, "DescribeDataDeletionJob", dataDeletionJobArn=deletion)["dataDeletionJob"]
    assert waiting["status"] == "PENDING"
    stub.fail("CreateDataDeletionJob", status="FAILED", reason="Bad CSV", times=1)
    c(
        client,
        "CreateDataDeletionJob",
        jobName="forget-broken",
        datasetGroupArn=group,
        dataSource=users,
        roleArn=ROLE,
    )
    waiting_jobs = c(client, "ListDataDeletionJobs", datasetGroupArn=group)["dataDeletionJobs"]
    assert waiting_jobs[0]["status"] == "PENDING"
    stub.settle()
    done = c(client, "DescribeDataDeletionJob", dataDeletionJobArn=deletion)["dataDeletionJob"]
    assert (done["status"], done["numDeleted"]) == ("COMPLETED", 0)
    statuses = {j["status"] for j in c(client, "ListDataDeletionJobs")["dataDeletionJobs"]}
    assert statuses == {"COMPLETED", "FAILED"}

    # Deletes, with their DELETE states visible.
    c(client, "DeleteEventTracker", eventTrackerArn=tracker["eventTrackerArn"])
    c(client, "DeleteFilter", filterArn=genre)
    c(client, "DeleteFilter", filterArn=broken)
    c(client, "DeleteMetricAttribution", metricAttributionArn=attribution)
    assert c(client, "DescribeFilter", filterArn=genre)["filter"]["status"] == "DELETE PENDING"
    assert (
        c(client, "DescribeMetricAttribution", metricAttributionArn=attribution)[
            "metricAttribution"
        ]["status"]
        == "DELETE PENDING"
    )
    stub.settle()
    assert c(client, "ListEventTrackers")["eventTrackers"] == []
    assert c(client, "ListFilters")["Filters"] == []
    assert c(client, "ListMetricAttributions")["metricAttributions"] == []
