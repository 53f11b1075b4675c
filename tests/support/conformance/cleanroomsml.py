"""Conformance flow: audience export jobs, configured audience model policies, the ML
configuration and the custom-model resources with their collaboration views, in transitional,
settled and failed states."""

from __future__ import annotations

from typing import Any

from pytest_personalize_stub.services.cleanroomsml.common import collaboration_of
from support.cleanroomsml_flows import (
    EXPORTS_ALLOWED,
    INFERENCE_CONTAINER,
    INFERENCE_RESOURCES,
    INPUT_CHANNEL,
    MEMBERSHIP,
    OUTPUT_CONFIG,
    RECEIVER,
    RESOURCES,
    ROLE,
    SEED,
    TRAINING_CONTAINER,
    TRAINING_DATA,
)
from support.conformance import Conformance

POLICY = '{"Version": "2012-10-17", "Statement": []}'


def lookalike_flow(stub: Any, client: Any, check: Conformance) -> None:
    """Export jobs (pending, active, failed) and the CAM policy."""
    c = check.call
    dataset = c(
        client,
        "CreateTrainingDataset",
        name="events",
        roleArn=ROLE,
        trainingData=TRAINING_DATA,
    )["trainingDatasetArn"]
    model = c(client, "CreateAudienceModel", name="model", trainingDatasetArn=dataset)[
        "audienceModelArn"
    ]
    stub.settle()
    cam = c(
        client,
        "CreateConfiguredAudienceModel",
        name="lookalike",
        audienceModelArn=model,
        outputConfig=OUTPUT_CONFIG,
        sharedAudienceMetrics=["ALL"],
        audienceSizeConfig={"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [1000]},
    )["configuredAudienceModelArn"]

    put = c(
        client,
        "PutConfiguredAudienceModelPolicy",
        configuredAudienceModelArn=cam,
        configuredAudienceModelPolicy=POLICY,
    )
    got = c(client, "GetConfiguredAudienceModelPolicy", configuredAudienceModelArn=cam)
    assert got["policyHash"] == put["policyHash"]
    c(client, "DeleteConfiguredAudienceModelPolicy", configuredAudienceModelArn=cam)

    job = c(
        client,
        "StartAudienceGenerationJob",
        name="segment",
        configuredAudienceModelArn=cam,
        seedAudience=SEED,
    )["audienceGenerationJobArn"]
    stub.settle()
    size = {"type": "ABSOLUTE", "value": 1000}
    c(client, "StartAudienceExportJob", name="e1", audienceGenerationJobArn=job, audienceSize=size)
    pending = c(client, "ListAudienceExportJobs", audienceGenerationJobArn=job)
    assert pending["audienceExportJobs"][0]["status"] == "CREATE_PENDING"
    stub.settle()
    stub.fail("StartAudienceExportJob", service="cleanroomsml", status="CREATE_FAILED", times=1)
    c(client, "StartAudienceExportJob", name="e2", audienceGenerationJobArn=job, audienceSize=size)
    stub.settle()
    listed = c(client, "ListAudienceExportJobs", maxResults=5)["audienceExportJobs"]
    assert [e["status"] for e in listed] == ["CREATE_FAILED", "ACTIVE"]
    assert "outputLocation" in listed[1] and "statusDetails" in listed[0]


def custom_model_flow(stub: Any, client: Any, check: Conformance) -> None:
    """Every custom-model operation, the ML configuration and the collaboration views."""
    c = check.call
    member = {"membershipIdentifier": MEMBERSHIP}
    collaboration = {"collaborationIdentifier": collaboration_of(stub.state, MEMBERSHIP)}
    location = {"destination": {"s3Destination": {"s3Uri": "s3://ml/out/"}}, "roleArn": ROLE}
    c(client, "PutMLConfiguration", **member, defaultOutputLocation=location)
    c(client, "GetMLConfiguration", **member)

    algorithm = c(
        client,
        "CreateConfiguredModelAlgorithm",
        name="churn",
        roleArn=ROLE,
        trainingContainerConfig=TRAINING_CONTAINER,
        inferenceContainerConfig=INFERENCE_CONTAINER,
        tags={"team": "ml"},
    )["configuredModelAlgorithmArn"]
    c(client, "GetConfiguredModelAlgorithm", configuredModelAlgorithmArn=algorithm)
    c(client, "ListConfiguredModelAlgorithms")
    association = c(
        client,
        "CreateConfiguredModelAlgorithmAssociation",
        **member,
        configuredModelAlgorithmArn=algorithm,
        name="churn",
        privacyConfiguration=EXPORTS_ALLOWED,
    )["configuredModelAlgorithmAssociationArn"]
    key = {"configuredModelAlgorithmAssociationArn": association}
    c(client, "GetConfiguredModelAlgorithmAssociation", **member, **key)
    c(client, "ListConfiguredModelAlgorithmAssociations", **member)
    c(client, "GetCollaborationConfiguredModelAlgorithmAssociation", **collaboration, **key)
    c(client, "ListCollaborationConfiguredModelAlgorithmAssociations", **collaboration)

    channel = c(
        client,
        "CreateMLInputChannel",
        **member,
        configuredModelAlgorithmAssociations=[association],
        inputChannel=INPUT_CHANNEL,
        name="customers",
        retentionInDays=30,
    )["mlInputChannelArn"]
    creating = c(client, "GetMLInputChannel", **member, mlInputChannelArn=channel)
    assert creating["status"] == "CREATE_PENDING"
    c(client, "ListMLInputChannels", **member)
    c(client, "GetCollaborationMLInputChannel", **collaboration, mlInputChannelArn=channel)
    stub.settle()
    listed = c(client, "ListCollaborationMLInputChannels", **collaboration)
    assert listed["collaborationMLInputChannelsList"][0]["status"] == "ACTIVE"

    data = [{"mlInputChannelArn": channel, "channelName": "train"}]
    model = c(
        client,
        "CreateTrainedModel",
        **member,
        name="churn-model",
        configuredModelAlgorithmAssociationArn=association,
        resourceConfig=RESOURCES,
        dataChannels=data,
    )["trainedModelArn"]
    model_key = {"trainedModelArn": model}
    assert c(client, "GetTrainedModel", **member, **model_key)["status"] == "CREATE_PENDING"
    c(client, "ListTrainedModels", **member)
    stub.settle()
    assert c(client, "GetCollaborationTrainedModel", **collaboration, **model_key)["status"] == (
        "ACTIVE"
    )
    c(client, "ListCollaborationTrainedModels", **collaboration)

    stub.fail("CreateTrainedModel", service="cleanroomsml", status="CREATE_FAILED", times=1)
    broken = c(
        client,
        "CreateTrainedModel",
        **member,
        name="broken",
        configuredModelAlgorithmAssociationArn=association,
        resourceConfig=RESOURCES,
        dataChannels=data,
    )["trainedModelArn"]
    stub.settle()
    failed = c(client, "GetTrainedModel", **member, trainedModelArn=broken)
    assert failed["status"] == "CREATE_FAILED" and "statusDetails" in failed

    job = c(
        client,
        "StartTrainedModelInferenceJob",
        **member,
        name="scores",
        **model_key,
        resourceConfig=INFERENCE_RESOURCES,
        outputConfiguration=RECEIVER,
        dataSource={"mlInputChannelArn": channel},
    )["trainedModelInferenceJobArn"]
    job_key = {"trainedModelInferenceJobArn": job}
    assert c(client, "GetTrainedModelInferenceJob", **member, **job_key)["status"] == (
        "CREATE_PENDING"
    )
    c(client, "CancelTrainedModelInferenceJob", **member, **job_key)
    c(client, "ListTrainedModelInferenceJobs", **member, **model_key)
    stub.settle()
    jobs = c(client, "ListCollaborationTrainedModelInferenceJobs", **collaboration)
    assert jobs["collaborationTrainedModelInferenceJobs"][0]["status"] == "INACTIVE"

    c(
        client,
        "StartTrainedModelExportJob",
        name="to-partner",
        **model_key,
        **member,
        outputConfiguration=RECEIVER,
    )
    exports = c(client, "ListCollaborationTrainedModelExportJobs", **collaboration, **model_key)
    assert exports["collaborationTrainedModelExportJobs"][0]["status"] == "CREATE_PENDING"
    stub.settle()

    version = c(
        client,
        "CreateTrainedModel",
        **member,
        name="churn-model",
        configuredModelAlgorithmAssociationArn=association,
        resourceConfig=RESOURCES,
        dataChannels=data,
        incrementalTrainingDataChannels=[{"trainedModelArn": model, "channelName": "base"}],
    )["versionIdentifier"]
    c(client, "CancelTrainedModel", **member, **model_key, versionIdentifier=version)
    cancelling = c(client, "ListTrainedModelVersions", **member, **model_key)["trainedModels"]
    assert cancelling[0]["status"] == "CANCEL_PENDING"
    stub.settle()
    c(client, "DeleteTrainedModelOutput", **member, **model_key)
    c(client, "DeleteTrainedModelOutput", **member, trainedModelArn=broken)
    c(client, "DeleteMLInputChannelData", **member, mlInputChannelArn=channel)
    stub.settle()
    c(client, "DeleteConfiguredModelAlgorithmAssociation", **member, **key)
    c(client, "DeleteConfiguredModelAlgorithm", configuredModelAlgorithmArn=algorithm)
    c(client, "DeleteMLConfiguration", **member)


def flow(stub: Any, clients: dict[str, Any], check: Conformance) -> None:
    """Reach every operation of these families and check each answer's shape."""
    client = clients["cleanroomsml"]
    lookalike_flow(stub, client, check)
    custom_model_flow(stub, client, check)
