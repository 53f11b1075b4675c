"""Every operation the fake serves answers in the documented shape of botocore's model.

The served operations are read from the fake itself (``SERVICES[name].operations``), so a
newly served operation without a conformance case here makes the suite fail.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.cleanroomsml_flows import OUTPUT_CONFIG, SEED, TRAINING_DATA
from support.conformance import STUBBED, Conformance, check_flows, model_operations
from support.flows import ITEM_AFFINITY, ROLE, USER_PERSONALIZATION
from support.schemas import INTERACTIONS_SCHEMA

from pytest_personalize_stub.services.registry import SERVICES


def served(service: str) -> set[str]:
    """The operations the fake serves for ``service``, as the code declares them."""
    return set(SERVICES[service].operations)


# --------------------------------------------------------------------------------------------
# Personalize control plane and runtime
# --------------------------------------------------------------------------------------------


def personalize_flow(stub: Any, client: Any, runtime: Any, check: Conformance) -> None:
    """Reach every served Personalize operation, in transitional and settled states."""
    c = check.call

    # Dataset group: CREATE PENDING, then ACTIVE.
    group = c(client, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    described = c(client, "DescribeDatasetGroup", datasetGroupArn=group)["datasetGroup"]
    assert described["status"] == "CREATE PENDING"
    assert "failureReason" not in described
    stub.clock.advance(seconds=30)
    described = c(client, "DescribeDatasetGroup", datasetGroupArn=group)["datasetGroup"]
    assert described["status"] == "CREATE IN_PROGRESS"
    listed = c(client, "ListDatasetGroups")["datasetGroups"]
    assert [g["status"] for g in listed] == ["CREATE IN_PROGRESS"]
    stub.settle()
    assert c(client, "DescribeDatasetGroup", datasetGroupArn=group)["datasetGroup"]["status"] == (
        "ACTIVE"
    )

    # Schema: no status.
    schema = c(client, "CreateSchema", name="events", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    assert "status" not in c(client, "DescribeSchema", schemaArn=schema)["schema"]
    assert len(c(client, "ListSchemas", maxResults=10)["schemas"]) == 1

    # Dataset while CREATE PENDING, then ACTIVE.
    dataset = c(
        client,
        "CreateDataset",
        name="interactions",
        schemaArn=schema,
        datasetGroupArn=group,
        datasetType="Interactions",
    )["datasetArn"]
    assert c(client, "DescribeDataset", datasetArn=dataset)["dataset"]["status"] == (
        "CREATE PENDING"
    )
    assert c(client, "ListDatasets", datasetGroupArn=group)["datasets"][0]["status"] == (
        "CREATE PENDING"
    )
    stub.settle()

    # Import job while running, then ACTIVE.
    job = c(
        client,
        "CreateDatasetImportJob",
        jobName="import-1",
        datasetArn=dataset,
        dataSource={"dataLocation": "s3://bucket/interactions.csv"},
        roleArn=ROLE,
    )["datasetImportJobArn"]
    assert (
        c(client, "DescribeDatasetImportJob", datasetImportJobArn=job)["datasetImportJob"]["status"]
        == "CREATE PENDING"
    )
    c(client, "ListDatasetImportJobs", datasetArn=dataset)
    stub.settle()
    assert c(client, "ListDatasetImportJobs")["datasetImportJobs"][0]["status"] == "ACTIVE"

    # Solution and versions: while training, after training, and a failed version.
    solution = c(
        client, "CreateSolution", name="sol", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION
    )["solutionArn"]
    assert c(client, "DescribeSolution", solutionArn=solution)["solution"]["status"] == (
        "CREATE PENDING"
    )
    stub.settle()
    assert c(client, "ListSolutions", datasetGroupArn=group)["solutions"][0]["status"] == "ACTIVE"
    version = c(client, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    training = c(client, "DescribeSolutionVersion", solutionVersionArn=version)["solutionVersion"]
    assert training["status"] == "CREATE PENDING"
    assert "trainingHours" not in training
    assert (
        c(client, "DescribeSolution", solutionArn=solution)["solution"]["latestSolutionVersion"][
            "status"
        ]
        == "CREATE PENDING"
    )
    assert (
        c(client, "ListSolutionVersions", solutionArn=solution)["solutionVersions"][0]["status"]
        == "CREATE PENDING"
    )
    stub.settle()
    trained = c(client, "DescribeSolutionVersion", solutionVersionArn=version)["solutionVersion"]
    assert trained["status"] == "ACTIVE"
    c(client, "ListSolutionVersions")

    stub.fail(
        "CreateSolutionVersion", status="CREATE FAILED", reason="Not enough interactions", times=1
    )
    broken = c(client, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    stub.settle()
    failed = c(client, "DescribeSolutionVersion", solutionVersionArn=broken)["solutionVersion"]
    assert failed["status"] == "CREATE FAILED"
    assert failed["failureReason"] == "Not enough interactions"
    summaries = c(client, "ListSolutionVersions", solutionArn=solution)["solutionVersions"]
    assert summaries[0]["failureReason"] == "Not enough interactions"

    # Campaign: CREATE PENDING, ACTIVE, an update in progress, runtime, delete.
    campaign = c(client, "CreateCampaign", name="front-page", solutionVersionArn=version)[
        "campaignArn"
    ]
    pending = c(client, "DescribeCampaign", campaignArn=campaign)["campaign"]
    assert pending["status"] == "CREATE PENDING"
    assert "latestCampaignUpdate" not in pending
    stub.settle()
    recommended = c(runtime, "GetRecommendations", campaignArn=campaign, userId="u-1")
    assert len(recommended["itemList"]) == 25
    c(client, "UpdateCampaign", campaignArn=campaign, minProvisionedTPS=2)
    updating = c(client, "DescribeCampaign", campaignArn=campaign)["campaign"]
    assert updating["latestCampaignUpdate"]["status"] == "CREATE PENDING"
    assert c(client, "ListCampaigns", solutionArn=solution)["campaigns"][0]["campaignArn"] == (
        campaign
    )
    stub.settle()
    assert (
        c(client, "DescribeCampaign", campaignArn=campaign)["campaign"]["latestCampaignUpdate"][
            "status"
        ]
        == "ACTIVE"
    )

    stub.fail("CreateCampaign", status="CREATE FAILED", reason="Capacity", times=1)
    broken_campaign = c(client, "CreateCampaign", name="broken", solutionVersionArn=version)[
        "campaignArn"
    ]
    stub.settle()
    failed_campaign = c(client, "DescribeCampaign", campaignArn=broken_campaign)["campaign"]
    assert (failed_campaign["status"], failed_campaign["failureReason"]) == (
        "CREATE FAILED",
        "Capacity",
    )

    # Batch segment job on an Item-Affinity version: running, failed and done.
    affinity = c(
        client, "CreateSolution", name="affinity", datasetGroupArn=group, recipeArn=ITEM_AFFINITY
    )["solutionArn"]
    stub.settle()
    affinity_version = c(client, "CreateSolutionVersion", solutionArn=affinity)[
        "solutionVersionArn"
    ]
    stub.settle()
    segments = c(
        client,
        "CreateBatchSegmentJob",
        jobName="segments",
        solutionVersionArn=affinity_version,
        jobInput={"s3DataSource": {"path": "s3://bucket/in/items.json"}},
        jobOutput={"s3DataDestination": {"path": "s3://bucket/out/"}},
        roleArn=ROLE,
        numResults=100,
    )["batchSegmentJobArn"]
    assert (
        c(client, "DescribeBatchSegmentJob", batchSegmentJobArn=segments)["batchSegmentJob"][
            "status"
        ]
        == "CREATE PENDING"
    )
    stub.fail("CreateBatchSegmentJob", status="CREATE FAILED", reason="Bad input", times=1)
    failed_segments = c(
        client,
        "CreateBatchSegmentJob",
        jobName="segments-broken",
        solutionVersionArn=affinity_version,
        jobInput={"s3DataSource": {"path": "s3://bucket/in/items.json"}},
        jobOutput={"s3DataDestination": {"path": "s3://bucket/out2/"}},
        roleArn=ROLE,
    )["batchSegmentJobArn"]
    stub.settle()
    failed_job = c(client, "DescribeBatchSegmentJob", batchSegmentJobArn=failed_segments)[
        "batchSegmentJob"
    ]
    assert (failed_job["status"], failed_job["failureReason"]) == ("CREATE FAILED", "Bad input")
    jobs = c(client, "ListBatchSegmentJobs", solutionVersionArn=affinity_version)[
        "batchSegmentJobs"
    ]
    assert {j["status"] for j in jobs} == {"ACTIVE", "CREATE FAILED"}

    # Tags, on a resource that is in use.
    c(client, "TagResource", resourceArn=campaign, tags=[{"tagKey": "team", "tagValue": "recs"}])
    assert c(client, "ListTagsForResource", resourceArn=campaign)["tags"] == [
        {"tagKey": "team", "tagValue": "recs"}
    ]
    c(client, "UntagResource", resourceArn=campaign, tagKeys=["team"])

    # Deletes, with the DELETE states visible before the resources vanish.
    c(client, "DeleteCampaign", campaignArn=campaign)
    c(client, "DeleteCampaign", campaignArn=broken_campaign)
    assert c(client, "DescribeCampaign", campaignArn=campaign)["campaign"]["status"] == (
        "DELETE PENDING"
    )
    stub.settle()
    c(client, "DeleteSolution", solutionArn=solution)
    c(client, "DeleteSolution", solutionArn=affinity)
    assert c(client, "DescribeSolution", solutionArn=solution)["solution"]["status"] == (
        "DELETE PENDING"
    )
    stub.settle()
    c(client, "DeleteDataset", datasetArn=dataset)
    assert c(client, "DescribeDataset", datasetArn=dataset)["dataset"]["status"] == (
        "DELETE PENDING"
    )
    stub.settle()
    c(client, "DeleteDatasetGroup", datasetGroupArn=group)
    assert c(client, "DescribeDatasetGroup", datasetGroupArn=group)["datasetGroup"]["status"] == (
        "DELETE PENDING"
    )
    c(client, "DeleteSchema", schemaArn=schema)
    stub.settle()
    assert c(client, "ListDatasetGroups")["datasetGroups"] == []


def test_personalize_dataset_group_create_failed_conforms(
    personalize_stub, personalize_client, check
):
    """A CREATE FAILED dataset group carries failureReason in Describe and List."""
    personalize_stub.fail("CreateDatasetGroup", status="CREATE FAILED", reason="KMS key denied")
    group = check.call(personalize_client, "CreateDatasetGroup", name="broken")["datasetGroupArn"]
    personalize_stub.settle()
    described = check.call(personalize_client, "DescribeDatasetGroup", datasetGroupArn=group)
    assert described["datasetGroup"]["status"] == "CREATE FAILED"
    assert described["datasetGroup"]["failureReason"] == "KMS key denied"
    listed = check.call(personalize_client, "ListDatasetGroups")["datasetGroups"]
    assert listed[0]["failureReason"] == "KMS key denied"


def test_personalize_import_job_create_failed_conforms(personalize_stub, personalize_client, check):
    """A CREATE FAILED import job carries failureReason in Describe and List."""
    group = check.call(personalize_client, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    personalize_stub.settle()
    schema = check.call(personalize_client, "CreateSchema", name="s", schema=INTERACTIONS_SCHEMA)[
        "schemaArn"
    ]
    dataset = check.call(
        personalize_client,
        "CreateDataset",
        name="d",
        schemaArn=schema,
        datasetGroupArn=group,
        datasetType="INTERACTIONS",
    )["datasetArn"]
    personalize_stub.settle()
    personalize_stub.fail(
        "CreateDatasetImportJob", status="CREATE FAILED", reason="Input CSV is missing USER_ID"
    )
    job = check.call(
        personalize_client,
        "CreateDatasetImportJob",
        jobName="bad-import",
        datasetArn=dataset,
        dataSource={"dataLocation": "s3://bucket/bad.csv"},
        roleArn=ROLE,  # required by the models before botocore 1.41.6, optional since
    )["datasetImportJobArn"]
    stub_now = personalize_stub.settle()
    assert stub_now.tzinfo is not None
    described = check.call(personalize_client, "DescribeDatasetImportJob", datasetImportJobArn=job)
    assert described["datasetImportJob"]["status"] == "CREATE FAILED"
    assert described["datasetImportJob"]["failureReason"] == "Input CSV is missing USER_ID"
    listed = check.call(personalize_client, "ListDatasetImportJobs", datasetArn=dataset)
    assert listed["datasetImportJobs"][0]["failureReason"] == "Input CSV is missing USER_ID"


# --------------------------------------------------------------------------------------------
# Clean Rooms ML
# --------------------------------------------------------------------------------------------


def cleanroomsml_flow(stub: Any, client: Any, check: Conformance) -> None:
    """Reach every served Clean Rooms ML operation, in transitional and settled states."""
    c = check.call
    dataset = c(
        client,
        "CreateTrainingDataset",
        name="events",
        roleArn=OUTPUT_CONFIG["roleArn"],
        trainingData=TRAINING_DATA,
        tags={"team": "growth"},
        description="shop events",
    )["trainingDatasetArn"]
    assert c(client, "GetTrainingDataset", trainingDatasetArn=dataset)["status"] == "ACTIVE"
    assert len(c(client, "ListTrainingDatasets", maxResults=5)["trainingDatasets"]) == 1

    model = c(client, "CreateAudienceModel", name="model", trainingDatasetArn=dataset)[
        "audienceModelArn"
    ]
    pending = c(client, "GetAudienceModel", audienceModelArn=model)
    assert pending["status"] == "CREATE_PENDING"
    assert "statusDetails" not in pending
    assert c(client, "ListAudienceModels")["audienceModels"][0]["status"] == "CREATE_PENDING"
    stub.settle()
    assert c(client, "GetAudienceModel", audienceModelArn=model)["status"] == "ACTIVE"

    cam = c(
        client,
        "CreateConfiguredAudienceModel",
        name="lookalike",
        audienceModelArn=model,
        outputConfig=OUTPUT_CONFIG,
        sharedAudienceMetrics=["ALL"],
        audienceSizeConfig={"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [1000, 5000]},
        childResourceTagOnCreatePolicy="FROM_PARENT_RESOURCE",
        tags={"team": "growth"},
    )["configuredAudienceModelArn"]
    assert c(client, "GetConfiguredAudienceModel", configuredAudienceModelArn=cam)["status"] == (
        "ACTIVE"
    )
    c(client, "UpdateConfiguredAudienceModel", configuredAudienceModelArn=cam, description="v2")
    assert (
        c(client, "ListConfiguredAudienceModels")["configuredAudienceModels"][0]["description"]
        == "v2"
    )

    job = c(
        client,
        "StartAudienceGenerationJob",
        name="segment",
        configuredAudienceModelArn=cam,
        seedAudience=SEED,
    )["audienceGenerationJobArn"]
    running = c(client, "GetAudienceGenerationJob", audienceGenerationJobArn=job)
    assert running["status"] == "CREATE_PENDING"
    assert "metrics" not in running
    assert (
        c(client, "ListAudienceGenerationJobs", configuredAudienceModelArn=cam)[
            "audienceGenerationJobs"
        ][0]["status"]
        == "CREATE_PENDING"
    )
    stub.settle()
    done = c(client, "GetAudienceGenerationJob", audienceGenerationJobArn=job)
    assert done["status"] == "ACTIVE"
    assert len(done["metrics"]["relevanceMetrics"]) == 2

    c(client, "TagResource", resourceArn=job, tags={"team": "ads"})
    assert c(client, "ListTagsForResource", resourceArn=job)["tags"] == {"team": "ads"}
    c(client, "UntagResource", resourceArn=job, tagKeys=["team"])

    c(client, "DeleteAudienceGenerationJob", audienceGenerationJobArn=job)
    assert c(client, "GetAudienceGenerationJob", audienceGenerationJobArn=job)["status"] == (
        "DELETE_PENDING"
    )
    assert c(client, "ListAudienceGenerationJobs")["audienceGenerationJobs"][0]["status"] == (
        "DELETE_PENDING"
    )
    stub.settle()
    c(client, "DeleteConfiguredAudienceModel", configuredAudienceModelArn=cam)
    c(client, "DeleteAudienceModel", audienceModelArn=model)
    deleting = c(client, "GetAudienceModel", audienceModelArn=model)
    assert deleting["status"] == "DELETE_PENDING"
    stub.settle()
    c(client, "DeleteTrainingDataset", trainingDatasetArn=dataset)
    assert c(client, "ListTrainingDatasets")["trainingDatasets"] == []


def test_cleanroomsml_failed_resources_conform(personalize_stub, cleanroomsml_client, check):
    """CREATE_FAILED audience models and jobs carry statusDetails with a message."""
    stub, client = personalize_stub, cleanroomsml_client
    stub.fail(
        "CreateAudienceModel",
        service="cleanroomsml",
        status="CREATE_FAILED",
        reason="Bad data",
        times=1,
    )
    dataset = check.call(
        client,
        "CreateTrainingDataset",
        name="events",
        roleArn=OUTPUT_CONFIG["roleArn"],
        trainingData=TRAINING_DATA,
    )["trainingDatasetArn"]
    broken = check.call(client, "CreateAudienceModel", name="broken", trainingDatasetArn=dataset)[
        "audienceModelArn"
    ]
    stub.settle()
    failed = check.call(client, "GetAudienceModel", audienceModelArn=broken)
    assert failed["status"] == "CREATE_FAILED"
    assert failed["statusDetails"]["message"] == "Bad data"

    stub.fail(
        "StartAudienceGenerationJob",
        service="cleanroomsml",
        status="CREATE_FAILED",
        reason="Seed too small",
    )
    model = check.call(client, "CreateAudienceModel", name="good", trainingDatasetArn=dataset)[
        "audienceModelArn"
    ]
    stub.settle()
    cam = check.call(
        client,
        "CreateConfiguredAudienceModel",
        name="lookalike",
        audienceModelArn=model,
        outputConfig=OUTPUT_CONFIG,
        sharedAudienceMetrics=["ALL"],
    )["configuredAudienceModelArn"]
    job = check.call(
        client,
        "StartAudienceGenerationJob",
        name="segment",
        configuredAudienceModelArn=cam,
        seedAudience=SEED,
    )["audienceGenerationJobArn"]
    stub.settle()
    failed_job = check.call(client, "GetAudienceGenerationJob", audienceGenerationJobArn=job)
    assert failed_job["status"] == "CREATE_FAILED"
    assert failed_job["statusDetails"]["message"] == "Seed too small"
    assert "metrics" not in failed_job


# --------------------------------------------------------------------------------------------
# Coverage: every served operation has a conformance case
# --------------------------------------------------------------------------------------------


def test_personalize_flow_conforms(
    personalize_stub, personalize_client, personalize_runtime_client, check
):
    personalize_flow(personalize_stub, personalize_client, personalize_runtime_client, check)


def test_cleanroomsml_flow_conforms(personalize_stub, cleanroomsml_client, check):
    cleanroomsml_flow(personalize_stub, cleanroomsml_client, check)


def seed_flows() -> list:
    """The flows of this file, in the form ``check_flows`` runs (stub, clients, check)."""
    return [
        lambda stub, clients, check: personalize_flow(
            stub, clients["personalize"], clients["personalize-runtime"], check
        ),
        lambda stub, clients, check: cleanroomsml_flow(stub, clients["cleanroomsml"], check),
    ]


@pytest.fixture(scope="module", params=[False, True], ids=["in-process", "over-the-wire"])
def exercised(request) -> dict[str, set[str]]:
    """The operations that all flows together (this file's and every family module of
    ``support.conformance``) reached with a conforming answer; each flow runs in a fresh fake
    account, once in-process and once with ``wire=True`` (botocore serialises, signs and
    parses, and the fake answers through the wire layer)."""
    return check_flows(seed_flows(), wire=request.param)


@pytest.mark.parametrize(("service", "operation"), model_operations())
def test_operation_answers_in_its_documented_shape(exercised, service, operation):
    """One case per operation of the model: a new operation without a conformance flow fails."""
    assert operation in served(service), f"{service}.{operation} is not served"
    assert operation in exercised[service], f"no conformance flow reaches {service}.{operation}"


def test_the_fake_serves_exactly_the_four_services():
    assert set(SERVICES) == set(STUBBED)
