"""Builders for the Personalize seed flows (dataset group -> dataset -> solution -> version ->
campaign), so tests start from the state they need in one line."""

from __future__ import annotations

from typing import Any

from support.schemas import INTERACTIONS_SCHEMA, ITEMS_SCHEMA

ROLE = "arn:aws:iam::123456789012:role/PersonalizeRole"
"""The role every Personalize resource and job of the tests passes."""

USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
ITEM_AFFINITY = "arn:aws:personalize:::recipe/aws-item-affinity"


def active_dataset_group(stub: Any, client: Any, name: str = "shop") -> str:
    """An ACTIVE dataset group's ARN."""
    arn: str = client.create_dataset_group(name=name)["datasetGroupArn"]
    stub.settle()
    return arn


def active_dataset(stub: Any, client: Any, group_arn: str, name: str = "interactions") -> str:
    """An ACTIVE Interactions dataset (with its schema) in the group."""
    schema = client.create_schema(name=f"{name}-schema", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    arn: str = client.create_dataset(
        name=name, schemaArn=schema, datasetGroupArn=group_arn, datasetType="Interactions"
    )["datasetArn"]
    stub.settle()
    return arn


def items_dataset(
    stub: Any, client: Any, group_arn: str, schema_text: str = ITEMS_SCHEMA
) -> tuple[str, str]:
    """An ACTIVE Items dataset in the group, with its schema (``items-v1``); both ARNs."""
    schema: str = client.create_schema(name="items-v1", schema=schema_text)["schemaArn"]
    arn: str = client.create_dataset(
        name="items", schemaArn=schema, datasetGroupArn=group_arn, datasetType="Items"
    )["datasetArn"]
    stub.settle()
    return arn, schema


def active_solution(
    stub: Any, client: Any, group_arn: str, name: str = "sol", recipe: str = USER_PERSONALIZATION
) -> str:
    """An ACTIVE solution's ARN."""
    arn: str = client.create_solution(name=name, datasetGroupArn=group_arn, recipeArn=recipe)[
        "solutionArn"
    ]
    stub.settle()
    return arn


def trained_version(stub: Any, client: Any, solution_arn: str) -> str:
    """An ACTIVE solution version's ARN."""
    arn: str = client.create_solution_version(solutionArn=solution_arn)["solutionVersionArn"]
    stub.settle()
    return arn


def deployed_campaign(
    stub: Any, client: Any, name: str = "camp", **campaign: Any
) -> dict[str, str]:
    """Dataset group -> dataset -> solution -> version -> ACTIVE campaign; their ARNs."""
    group = active_dataset_group(stub, client, f"{name}-group")
    dataset = active_dataset(stub, client, group, f"{name}-data")
    solution = active_solution(stub, client, group, f"{name}-solution")
    version = trained_version(stub, client, solution)
    campaign.setdefault("solutionVersionArn", version)
    arn = client.create_campaign(name=name, **campaign)["campaignArn"]
    stub.settle()
    return {
        "datasetGroupArn": group,
        "datasetArn": dataset,
        "solutionArn": solution,
        "solutionVersionArn": version,
        "campaignArn": arn,
    }


def affinity_version(stub: Any, client: Any) -> str:
    """An ACTIVE solution version of the Item-Affinity recipe (user segments), with its group,
    dataset and solution."""
    group = active_dataset_group(stub, client)
    active_dataset(stub, client, group)
    solution = active_solution(stub, client, group, "affinity", recipe=ITEM_AFFINITY)
    return trained_version(stub, client, solution)


SEGMENT_IO = {
    "jobInput": {"s3DataSource": {"path": "s3://bucket/in/items.json"}},
    "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
    "roleArn": ROLE,
}
"""Where a batch segment job reads and writes, and the role it passes."""


def segment_job(client: Any, version_arn: str, name: str = "segments", **extra: Any) -> str:
    """CreateBatchSegmentJob on the version with ``SEGMENT_IO``; the job's ARN."""
    arn: str = client.create_batch_segment_job(
        jobName=name, solutionVersionArn=version_arn, **SEGMENT_IO, **extra
    )["batchSegmentJobArn"]
    return arn
