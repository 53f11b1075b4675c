"""Dataset groups, schemas, datasets and dataset import jobs."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ...account import Request
from ...declarations import Body, Quota, ResourceType, Rule, in_use, invalid
from ...operations import (
    Served,
    creating,
    deletion,
    describe,
    given,
    listing,
    referenced_by,
    updating,
)
from ...store import Resource
from .common import (
    ALIVE,
    IN_FLIGHT,
    active,
    any_of,
    plain_name,
    require_active,
    schema_fields,
    with_defaults,
)
from .contents import keep_imported, received_interactions
from .resources import (
    BATCH_INFERENCE_JOB,
    BATCH_SEGMENT_JOB,
    CAMPAIGN,
    DATASET,
    DATASET_GROUP,
    DATASET_IMPORT_JOB,
    EVENT_TRACKER,
    FILTER,
    METRIC_ATTRIBUTION,
    RECOMMENDER,
    SCHEMA,
    SOLUTION,
    SOLUTION_VERSION,
)
from .s3_data import job_data, read_import

DATASET_TYPES = ("INTERACTIONS", "ITEMS", "USERS", "ACTIONS", "ACTION_INTERACTIONS")


def create_dataset_group(request: Request) -> Body:
    params = request.params
    request.enforce(DATASET_GROUPS)
    attrs = given(params, "name", "roleArn", "kmsKeyArn", "domain")
    group = request.create(DATASET_GROUP, attrs, tags=params.get("tags"), name=params["name"])
    body: Body = {"datasetGroupArn": group.arn}
    if "domain" in attrs:
        body["domain"] = attrs["domain"]
    return body


def create_schema(request: Request) -> Body:
    params = request.params
    _check_avro(params["schema"])
    request.enforce(SCHEMAS)
    attrs = given(params, "name", "schema", "domain")
    schema = request.create(SCHEMA, attrs, name=params["name"])
    return {"schemaArn": schema.arn}


@functools.lru_cache(maxsize=256)
def _check_avro(text: str) -> tuple[Mapping[str, Any], ...]:
    """The fields of a schema text that is valid Avro (fastavro's parser checks the record's
    shape, its types and defaults; the naming and union rules it leaves open are checked
    here, as the Avro specification words them) and that Personalize accepts. Checked once
    per text: a suite's schemas are a handful of texts, each created again and again.

    fastavro is imported by the first schema checked: its import takes 15-20 ms, which a
    test that creates no schema need not pay."""
    import fastavro

    try:
        schema = json.loads(text)
    except ValueError:
        raise invalid(SCHEMA, "Invalid schema: the schema is not valid JSON.") from None
    if not isinstance(schema, dict) or schema.get("type") != "record":
        raise invalid(SCHEMA, 'Invalid schema: the schema must be an Avro "record".')
    try:
        fastavro.parse_schema(schema, _write_hint=False)
    except (fastavro.schema.SchemaParseException, fastavro.schema.UnknownType) as error:
        raise invalid(SCHEMA, f"Invalid schema: {error}") from None
    except KeyError as missing:
        raise invalid(
            SCHEMA, f"Invalid schema: not a valid Avro schema, the key {missing} is missing."
        ) from None
    except (TypeError, ValueError, AttributeError):
        raise invalid(SCHEMA, "Invalid schema: it is not a valid Avro schema.") from None
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        raise invalid(SCHEMA, "Invalid schema: the record must list its fields.")
    names = [field["name"] for field in fields]
    for name in names:
        if not isinstance(name, str) or not AVRO_NAME.fullmatch(name):
            raise invalid(
                SCHEMA,
                f"Invalid schema: the field name {name!r} is not a valid Avro name "
                "(a letter or _, then letters, digits or _).",
            )
    plain = [plain_name(name) for name in names]
    if len(set(plain)) != len(plain):
        raise invalid(
            SCHEMA,
            "Invalid schema: field names must be unique, ignoring case and underscores.",
        )
    for field in fields:
        types = field["type"]
        branches = types if isinstance(types, list) else [types]
        if len(set(map(str, branches))) != len(branches):
            raise invalid(
                SCHEMA,
                f"Invalid schema: the union of field {field['name']} holds a type twice.",
            )
        for avro_type in branches:
            if avro_type not in AVRO_TYPES:
                raise invalid(
                    SCHEMA,
                    f"Invalid schema: field {field['name']} has type {avro_type!r}; supported "
                    f"types are {', '.join(AVRO_TYPES)} (or a union of them).",
                )
    return tuple(fields)


AVRO_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""A valid Avro name (Avro specification, Names). Personalize adds that field names are
unique alphanumeric names: GENRES_FIELD_1 and GENRESFIELD1 cannot both be fields (developer
guide, "Creating schema JSON files for Amazon Personalize schemas")."""

AVRO_TYPES = ("float", "double", "int", "long", "string", "boolean", "null")
"""The Avro field types a Personalize schema may use (developer guide, schemas)."""

REQUIRED_FIELDS = {
    "INTERACTIONS": ("USER_ID", "ITEM_ID", "TIMESTAMP"),
    "ITEMS": ("ITEM_ID",),
    "USERS": ("USER_ID",),
    "ACTIONS": ("ACTION_ID",),
    "ACTION_INTERACTIONS": ("USER_ID", "ACTION_ID", "TIMESTAMP", "EVENT_TYPE"),
}
"""Fields a dataset's schema must have, by dataset type (developer guide, schemas)."""


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
    schema = request.find(SCHEMA, params["schemaArn"])
    fields = {field["name"] for field in schema_fields(schema)}
    missing = [name for name in REQUIRED_FIELDS[dataset_type] if name not in fields]
    if missing:
        raise invalid(
            DATASET,
            f"The schema {schema.arn} lacks the field(s) {', '.join(missing)} that a "
            f"{dataset_type} dataset requires.",
        )
    attrs = given(params, "name", "schemaArn", "datasetGroupArn")
    attrs["datasetType"] = dataset_type
    if dataset_type == "ACTION_INTERACTIONS":
        attrs["trackingId"] = request.account.new_uuid()
    dataset = request.create(
        DATASET, attrs, tags=params.get("tags"), group=group.attrs["name"], type=dataset_type
    )
    return {"datasetArn": dataset.arn}


def create_dataset_import_job(request: Request) -> Body:
    params = request.params
    dataset = active(request, DATASET, params["datasetArn"])
    if params.get("importMode") == "INCREMENTAL" and not any(
        job.attrs["importMode"] == "FULL" and job.status == "ACTIVE"
        for job in request.account.having(DATASET_IMPORT_JOB, datasetArn=dataset.arn)
    ):
        raise invalid(
            DATASET_IMPORT_JOB,
            f"The dataset {dataset.arn} has had no bulk import yet; use importMode FULL first.",
        )
    request.enforce(IMPORTS_IN_PROGRESS)
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
    account = request.account
    found = job_data(
        lambda: read_import(request, dataset, params["dataSource"].get("dataLocation"))
    )

    def imported(job: Resource, at: float) -> None:
        keep_imported(dataset, found.data, attrs["importMode"])
        if dataset.attrs["datasetType"] in INTERACTION_TYPES:
            received_interactions(account, dataset.attrs["datasetGroupArn"], at)

    job = request.create(
        DATASET_IMPORT_JOB,
        attrs,
        tags=params.get("tags"),
        name=params["jobName"],
        failure=found.problem,
        on_ready=imported,
    )
    return {"datasetImportJobArn": job.arn}


INTERACTION_TYPES = ("INTERACTIONS", "ACTION_INTERACTIONS")
"""Dataset types whose new data makes automatic training run."""


UPDATE = "latestDatasetUpdate"
UPDATABLE_TYPES = ("ITEMS", "USERS")


def update_dataset(request: Request) -> Body:
    params = request.params
    dataset = request.find(DATASET, params["datasetArn"])
    schema = request.find(SCHEMA, params["schemaArn"])
    if dataset.attrs["datasetType"] not in UPDATABLE_TYPES:
        raise invalid(
            DATASET,
            f"Only Items and Users datasets can take a new schema; {dataset.arn} is "
            f"{dataset.attrs['datasetType']}.",
        )
    require_active(DATASET, dataset)
    if _updating(dataset):
        raise in_use(
            DATASET,
            f"The dataset {dataset.arn} already has an update {dataset.attrs[UPDATE]['status']}.",
        )
    current = request.find(SCHEMA, dataset.attrs["schemaArn"])
    _check_evolution(_check_avro(current.attrs["schema"]), _check_avro(schema.attrs["schema"]))
    request.account.update(
        DATASET,
        dataset,
        UPDATE,
        {"schemaArn": schema.arn},
        start=request.now,
        live=("schemaArn",),
    )
    return {"datasetArn": dataset.arn}


def _check_evolution(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> None:
    """A replacement schema keeps every old field as it was; added fields allow null."""
    fields = {field["name"]: field for field in new}
    for field in old:
        if fields.get(field["name"]) != field:
            raise invalid(
                DATASET,
                f"Invalid schema: the new schema must keep the field {field['name']} "
                "with the same type and attributes.",
            )
    known = {field["name"] for field in old}
    for field in new:
        kind = field.get("type")
        nullable = kind == "null" or (isinstance(kind, list) and "null" in kind)
        if field["name"] not in known and not nullable:
            raise invalid(
                DATASET,
                f"Invalid schema: the added field {field['name']} must allow null "
                '(e.g. "type": ["null", "string"]).',
            )


def _updating(dataset: Resource) -> bool:
    update = dataset.attrs.get(UPDATE)
    return update is not None and update["status"] in IN_FLIGHT


def _in_group(request: Request, rtype: ResourceType, group_arn: str) -> Resource | None:
    return request.account.having(rtype, datasetGroupArn=group_arn).first()


def _dataset_busy(request: Request, dataset: Resource) -> str | None:
    if _updating(dataset):
        return f"The dataset {dataset.arn} has an update {dataset.attrs[UPDATE]['status']}."
    job = any_of(request, DATASET_IMPORT_JOB, IN_FLIGHT, datasetArn=dataset.arn)
    if job is not None:
        return f"The dataset {dataset.arn} has an import job in progress: {job.arn}."
    group = dataset.attrs["datasetGroupArn"]
    dependents = [FILTER, METRIC_ATTRIBUTION]
    if dataset.attrs["datasetType"] == "INTERACTIONS":
        dependents.append(EVENT_TRACKER)
    for rtype in dependents:
        dependent = _in_group(request, rtype, group)
        if dependent is not None:
            return (
                f"The dataset {dataset.arn} cannot be deleted while its dataset group has "
                f"{rtype.title} {dependent.arn}."
            )
    for rtype, statuses in (
        (SOLUTION_VERSION, IN_FLIGHT),
        (BATCH_SEGMENT_JOB, IN_FLIGHT),
        (BATCH_INFERENCE_JOB, IN_FLIGHT),
        (RECOMMENDER, IN_FLIGHT),
        (CAMPAIGN, ALIVE),
    ):
        busy = any_of(request, rtype, statuses, datasetGroupArn=group)
        if busy is not None:
            return (
                f"The dataset {dataset.arn} is used by {rtype.title} {busy.arn}, "
                f"which is {busy.status}."
            )
    return None


def _schema_pending(request: Request, schema: Resource) -> str | None:
    for dataset in request.account.store.all(DATASET.kind):
        if _updating(dataset) and dataset.attrs[UPDATE]["schemaArn"] == schema.arn:
            return f"{schema.arn} is being applied to dataset {dataset.arn}."
    return None


ROLE_NEEDS_KEY = Rule(
    "A roleArn is only valid together with a kmsKeyArn.",
    lambda params: params.get("roleArn") is not None and params.get("kmsKeyArn") is None,
)

DATASET_GROUPS = Quota(
    key="dataset_groups", name="Active dataset groups", rtype=DATASET_GROUP, limit=5
)
SCHEMAS = Quota(key="schemas", name="Active schemas", rtype=SCHEMA, limit=500)
IMPORTS_IN_PROGRESS = Quota(
    key="dataset_import_jobs_in_progress",
    name="Dataset import jobs with PENDING or IN_PROGRESS status",
    rtype=DATASET_IMPORT_JOB,
    limit=5,
    statuses=IN_FLIGHT,
)

QUOTAS: tuple[Quota, ...] = (DATASET_GROUPS, SCHEMAS, IMPORTS_IN_PROGRESS)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The dataset operations."""
    return {
        "CreateDatasetGroup": creating(DATASET_GROUP, create_dataset_group, ROLE_NEEDS_KEY),
        "DescribeDatasetGroup": describe(DATASET_GROUP, "datasetGroup"),
        "ListDatasetGroups": listing(DATASET_GROUP, "datasetGroups"),
        "DeleteDatasetGroup": deletion(
            DATASET_GROUP,
            referenced_by(
                DATASET,
                SOLUTION,
                EVENT_TRACKER,
                RECOMMENDER,
                FILTER,
                METRIC_ATTRIBUTION,
                key="datasetGroupArn",
            ),
        ),
        "CreateSchema": creating(SCHEMA, create_schema),
        "DescribeSchema": describe(SCHEMA, "schema"),
        "ListSchemas": listing(SCHEMA, "schemas"),
        "DeleteSchema": deletion(SCHEMA, referenced_by(DATASET, key="schemaArn"), _schema_pending),
        "CreateDataset": creating(DATASET, create_dataset),
        "DescribeDataset": describe(DATASET, "dataset"),
        "ListDatasets": listing(DATASET, "datasets", ("datasetGroupArn",)),
        "UpdateDataset": updating(DATASET, UPDATE, update_dataset),
        "DeleteDataset": deletion(DATASET, _dataset_busy),
        "CreateDatasetImportJob": creating(DATASET_IMPORT_JOB, create_dataset_import_job),
        "DescribeDatasetImportJob": describe(DATASET_IMPORT_JOB, "datasetImportJob"),
        "ListDatasetImportJobs": listing(DATASET_IMPORT_JOB, "datasetImportJobs", ("datasetArn",)),
    }
