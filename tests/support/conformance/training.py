"""Conformance flow: the recipe catalogue, solution updates, stopping training, solution
metrics and batch inference jobs, in transitional, settled and failed states."""

from __future__ import annotations

from typing import Any

from support.conformance import Conformance
from support.flows import ROLE, USER_PERSONALIZATION
from support.schemas import INTERACTIONS_SCHEMA

IO = {
    "jobInput": {"s3DataSource": {"path": "s3://bucket/in/users.json"}},
    "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
    "roleArn": ROLE,
}


def catalogue(client: Any, check: Conformance) -> None:
    """ListRecipes (all, by domain, paged) and the three Describe operations."""
    c = check.call
    first = c(client, "ListRecipes", maxResults=5)
    assert len(first["recipes"]) == 5
    c(client, "ListRecipes", maxResults=5, nextToken=first["nextToken"])
    shop = c(client, "ListRecipes", domain="ECOMMERCE", recipeProvider="SERVICE")["recipes"]
    assert {r["domain"] for r in shop} == {"ECOMMERCE"}
    recipe = c(client, "DescribeRecipe", recipeArn="arn:aws:personalize:::recipe/aws-sims")[
        "recipe"
    ]
    assert recipe["recipeType"] == "RELATED_ITEMS"
    c(client, "DescribeAlgorithm", algorithmArn=recipe["algorithmArn"])
    transformation = c(
        client,
        "DescribeFeatureTransformation",
        featureTransformationArn=recipe["featureTransformationArn"],
    )["featureTransformation"]
    assert transformation["status"] == "ACTIVE"


def flow(stub: Any, clients: dict[str, Any], check: Conformance) -> None:
    """Reach every operation of these families and check each answer's shape."""
    client = clients["personalize"]
    c = check.call
    catalogue(client, check)

    group = c(client, "CreateDatasetGroup", name="training")["datasetGroupArn"]
    stub.settle()
    schema = c(client, "CreateSchema", name="events", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    c(
        client,
        "CreateDataset",
        name="interactions",
        schemaArn=schema,
        datasetGroupArn=group,
        datasetType="Interactions",
    )
    solution = c(
        client, "CreateSolution", name="sol", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION
    )["solutionArn"]
    stub.settle()

    # UpdateSolution: pending, then ACTIVE; then a failed update.
    c(
        client,
        "UpdateSolution",
        solutionArn=solution,
        performAutoTraining=True,
        solutionUpdateConfig={"autoTrainingConfig": {"schedulingExpression": "rate(3 days)"}},
    )
    pending = c(client, "DescribeSolution", solutionArn=solution)["solution"]
    assert pending["latestSolutionUpdate"]["status"] == "CREATE PENDING"
    stub.settle()
    updated = c(client, "DescribeSolution", solutionArn=solution)["solution"]
    assert updated["latestSolutionUpdate"]["status"] == "ACTIVE"
    stub.fail("UpdateSolution", status="CREATE FAILED", reason="Bad schedule", times=1)
    c(client, "UpdateSolution", solutionArn=solution, performAutoTraining=False)
    stub.settle()
    failed = c(client, "DescribeSolution", solutionArn=solution)["solution"]
    assert failed["latestSolutionUpdate"]["failureReason"] == "Bad schedule"

    # StopSolutionVersionCreation: pending > stopped; in progress > stopping > stopped.
    pending_version = c(client, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    c(client, "StopSolutionVersionCreation", solutionVersionArn=pending_version)
    training = c(client, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    stub.clock.advance(minutes=30)
    c(client, "StopSolutionVersionCreation", solutionVersionArn=training)
    stopping = c(client, "DescribeSolutionVersion", solutionVersionArn=training)
    assert stopping["solutionVersion"]["status"] == "CREATE STOPPING"
    stub.settle()
    statuses = {
        v["status"]
        for v in c(client, "ListSolutionVersions", solutionArn=solution)["solutionVersions"]
    }
    assert statuses == {"CREATE STOPPED"}

    # GetSolutionMetrics of a trained version.
    version = c(client, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    stub.settle()
    metrics = c(client, "GetSolutionMetrics", solutionVersionArn=version)["metrics"]
    assert "coverage" in metrics

    # Batch inference jobs: running, done and failed.
    job = c(client, "CreateBatchInferenceJob", jobName="recs", solutionVersionArn=version, **IO)[
        "batchInferenceJobArn"
    ]
    running = c(client, "DescribeBatchInferenceJob", batchInferenceJobArn=job)
    assert running["batchInferenceJob"]["status"] == "CREATE PENDING"
    stub.fail("CreateBatchInferenceJob", status="CREATE FAILED", reason="Bad JSON", times=1)
    c(
        client,
        "CreateBatchInferenceJob",
        jobName="broken",
        solutionVersionArn=version,
        numResults=10,
        **IO,
    )
    stub.settle()
    jobs = c(client, "ListBatchInferenceJobs", solutionVersionArn=version)["batchInferenceJobs"]
    assert {j["status"] for j in jobs} == {"ACTIVE", "CREATE FAILED"}
    done = c(client, "DescribeBatchInferenceJob", batchInferenceJobArn=job)
    assert done["batchInferenceJob"]["status"] == "ACTIVE"
