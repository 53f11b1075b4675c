"""Dataset groups, schemas, datasets and dataset import jobs."""

from __future__ import annotations

import json

from ...engine import (
    Body,
    Operation,
    Quota,
    Request,
    Rule,
    attr,
    creating,
    deletion,
    describe,
    given,
    invalid,
    listing,
    referenced_by,
)
from ...store import Resource
from .common import ALIVE, IN_FLIGHT, active, any_of, with_defaults
from .resources import (
    BATCH_SEGMENT_JOB,
    CAMPAIGN,
    DATASET,
    DATASET_GROUP,
    DATASET_IMPORT_JOB,
    SCHEMA,
    SOLUTION,
    SOLUTION_VERSION,
)

DATASET_TYPES = ("INTERACTIONS", "ITEMS", "USERS", "ACTIONS", "ACTION_INTERACTIONS")


def create_dataset_group(request: Request) -> Body:
    params = request.params
    attrs = given(params, "name", "roleArn", "kmsKeyArn", "domain")
    group = request.create(DATASET_GROUP, attrs, tags=params.get("tags"), name=params["name"])
    body: Body = {"datasetGroupArn": group.arn}
    if "domain" in attrs:
        body["domain"] = attrs["domain"]
    return body


def create_schema(request: Request) -> Body:
    params = request.params
    _check_avro(request, params["schema"])
    attrs = given(params, "name", "schema", "domain")
    schema = request.create(SCHEMA, attrs, name=params["name"])
    return {"schemaArn": schema.arn}


def _check_avro(request: Request, text: str) -> None:
    try:
        schema = json.loads(text)
    except ValueError:
        raise invalid(SCHEMA, "Invalid schema: the schema is not valid JSON.") from None
    if not isinstance(schema, dict) or schema.get("type") != "record":
        raise invalid(SCHEMA, 'Invalid schema: the schema must be an Avro "record".')
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        raise invalid(SCHEMA, "Invalid schema: the record must list its fields.")
    names = [field.get("name") for field in fields if isinstance(field, dict)]
    if len(names) != len(fields) or not all(isinstance(n, str) and n for n in names):
        raise invalid(SCHEMA, "Invalid schema: every field needs a name and a type.")
    if len(set(names)) != len(names):
        raise invalid(SCHEMA, "Invalid schema: field names must be unique.")


def create_dataset(request: Request) -> Body:
    params = request.params
    dataset_type = params["datasetType"].upper()
    if dataset_type not in DATASET_TYPES:
        raise invalid(
            DATASET,
            f"Invalid dataset type {params['datasetType']}; it must be one of "
            "Interactions, Items, Users, Actions, Action_Interactions.",
        )
    group = active(request, DATASET_GROUP, params["datasetGroupArn"])
    request.find(SCHEMA, params["schemaArn"])
    attrs = given(params, "name", "schemaArn", "datasetGroupArn")
    attrs["datasetType"] = dataset_type
    if dataset_type == "ACTION_INTERACTIONS":
        attrs["trackingId"] = request.state.new_uuid()
    dataset = request.create(
        DATASET, attrs, tags=params.get("tags"), group=group.attrs["name"], type=dataset_type
    )
    return {"datasetArn": dataset.arn}


def create_dataset_import_job(request: Request) -> Body:
    params = request.params
    active(request, DATASET, params["datasetArn"])
    attrs = with_defaults(
        given(
            params,
            "jobName",
            "datasetArn",
            "dataSource",
            "roleArn",
            "importMode",
            "publishAttributionMetricsToS3",
        ),
        importMode="FULL",
    )
    job = request.create(DATASET_IMPORT_JOB, attrs, tags=params.get("tags"), name=params["jobName"])
    return {"datasetImportJobArn": job.arn}


def _dataset_busy(request: Request, dataset: Resource) -> str | None:
    job = any_of(request, DATASET_IMPORT_JOB, IN_FLIGHT, datasetArn=dataset.arn)
    if job is not None:
        return f"The dataset {dataset.arn} has an import job in progress: {job.arn}."
    group = dataset.attrs["datasetGroupArn"]
    for rtype, statuses in (
        (SOLUTION_VERSION, IN_FLIGHT),
        (BATCH_SEGMENT_JOB, IN_FLIGHT),
        (CAMPAIGN, ALIVE),
    ):
        busy = any_of(request, rtype, statuses, datasetGroupArn=group)
        if busy is not None:
            return (
                f"The dataset {dataset.arn} is used by {rtype.title} {busy.arn}, "
                f"which is {busy.status}."
            )
    return None


ROLE_NEEDS_KEY = Rule(
    "A roleArn is only valid together with a kmsKeyArn.",
    lambda params: params.get("roleArn") is not None and params.get("kmsKeyArn") is None,
)


QUOTAS: tuple[Quota, ...] = ()
"""The documented quotas of this family."""


def operations() -> dict[str, Operation]:
    """The dataset operations served so far."""
    return {
        "CreateDatasetGroup": creating(DATASET_GROUP, create_dataset_group, ROLE_NEEDS_KEY),
        "DescribeDatasetGroup": describe(DATASET_GROUP, "datasetGroup"),
        "ListDatasetGroups": listing(DATASET_GROUP, "datasetGroups"),
        "DeleteDatasetGroup": deletion(
            DATASET_GROUP, referenced_by(DATASET, SOLUTION, key="datasetGroupArn")
        ),
        "CreateSchema": creating(SCHEMA, create_schema),
        "DescribeSchema": describe(SCHEMA, "schema"),
        "ListSchemas": listing(SCHEMA, "schemas"),
        "DeleteSchema": deletion(SCHEMA, referenced_by(DATASET, key="schemaArn")),
        "CreateDataset": creating(DATASET, create_dataset),
        "DescribeDataset": describe(DATASET, "dataset"),
        "ListDatasets": listing(DATASET, "datasets", {"datasetGroupArn": attr("datasetGroupArn")}),
        "DeleteDataset": deletion(DATASET, _dataset_busy),
        "CreateDatasetImportJob": creating(DATASET_IMPORT_JOB, create_dataset_import_job),
        "DescribeDatasetImportJob": describe(DATASET_IMPORT_JOB, "datasetImportJob"),
        "ListDatasetImportJobs": listing(
            DATASET_IMPORT_JOB, "datasetImportJobs", {"datasetArn": attr("datasetArn")}
        ),
    }
