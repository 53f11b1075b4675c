"""Builders for the Clean Rooms ML flows, so tests start from the state they need in one line:
lookalike audiences (training dataset -> audience model -> configured audience model) and
custom models (algorithm -> association -> channel -> trained model)."""

from __future__ import annotations

from typing import Any

ROLE = "arn:aws:iam::123456789012:role/CleanRoomsMLRole"
"""The role every Clean Rooms ML resource of the tests passes."""

# --------------------------------------------------------------------------------------------
# Lookalike audiences
# --------------------------------------------------------------------------------------------

TRAINING_DATA = [
    {
        "type": "INTERACTIONS",
        "inputConfig": {
            "schema": [
                {"columnName": "user_id", "columnTypes": ["USER_ID"]},
                {"columnName": "item_id", "columnTypes": ["ITEM_ID"]},
                {"columnName": "timestamp", "columnTypes": ["TIMESTAMP"]},
            ],
            "dataSource": {"glueDataSource": {"tableName": "events", "databaseName": "shop"}},
        },
    }
]
OUTPUT_CONFIG = {
    "destination": {"s3Destination": {"s3Uri": "s3://audiences/out/"}},
    "roleArn": ROLE,
}
SEED = {"dataSource": {"s3Uri": "s3://audiences/seed.jsonl"}, "roleArn": ROLE}


def configured_audience_model(
    stub: Any, client: Any, name: str = "lookalike", **cam: Any
) -> dict[str, str]:
    """Training dataset -> ACTIVE audience model -> configured audience model; their ARNs."""
    dataset = client.create_training_dataset(
        name=f"{name}-data", roleArn=ROLE, trainingData=TRAINING_DATA
    )["trainingDatasetArn"]
    model = client.create_audience_model(name=f"{name}-model", trainingDatasetArn=dataset)[
        "audienceModelArn"
    ]
    stub.settle()
    cam.setdefault("outputConfig", OUTPUT_CONFIG)
    cam.setdefault("sharedAudienceMetrics", ["ALL"])
    configured = client.create_configured_audience_model(name=name, audienceModelArn=model, **cam)[
        "configuredAudienceModelArn"
    ]
    return {
        "trainingDatasetArn": dataset,
        "audienceModelArn": model,
        "configuredAudienceModelArn": configured,
    }


# --------------------------------------------------------------------------------------------
# Custom models
# --------------------------------------------------------------------------------------------

MEMBERSHIP = "1a2b3c4d-0000-4000-8000-00000000000a"
OTHER_MEMBERSHIP = "5e6f7a8b-0000-4000-8000-00000000000b"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-model:latest"
TRAINING_CONTAINER = {"imageUri": IMAGE, "entrypoint": ["python", "train.py"]}
INFERENCE_CONTAINER = {"imageUri": IMAGE}
EXPORTS_ALLOWED = {
    "policies": {
        "trainedModelExports": {
            "maxSize": {"unit": "GB", "value": 5.0},
            "filesToExport": ["MODEL"],
        }
    }
}
INPUT_CHANNEL = {
    "dataSource": {
        "protectedQueryInputParameters": {
            "sqlParameters": {"queryString": "SELECT user_id, churned FROM customers"}
        }
    },
    "roleArn": ROLE,
}
RESOURCES = {"instanceType": "ml.m5.xlarge", "volumeSizeInGB": 10}
INFERENCE_RESOURCES = {"instanceType": "ml.m5.xlarge"}
RECEIVER = {"members": [{"accountId": "123456789012"}]}


def algorithm(client: Any, name: str = "churn", **extra: Any) -> str:
    """A configured model algorithm with training and inference containers (a container
    given as None is left out)."""
    extra.setdefault("trainingContainerConfig", TRAINING_CONTAINER)
    extra.setdefault("inferenceContainerConfig", INFERENCE_CONTAINER)
    given = {key: value for key, value in extra.items() if value is not None}
    arn: str = client.create_configured_model_algorithm(name=name, roleArn=ROLE, **given)[
        "configuredModelAlgorithmArn"
    ]
    return arn


def association(
    client: Any, algorithm_arn: str, membership: str = MEMBERSHIP, name: str = "churn", **extra: Any
) -> str:
    """The algorithm associated with the membership."""
    arn: str = client.create_configured_model_algorithm_association(
        membershipIdentifier=membership,
        configuredModelAlgorithmArn=algorithm_arn,
        name=name,
        **extra,
    )["configuredModelAlgorithmAssociationArn"]
    return arn


def channel(
    client: Any, association_arn: str, membership: str = MEMBERSHIP, name: str = "customers"
) -> str:
    """An ML input channel of the association (CREATE_PENDING until the clock moves)."""
    arn: str = client.create_ml_input_channel(
        membershipIdentifier=membership,
        configuredModelAlgorithmAssociations=[association_arn],
        inputChannel=INPUT_CHANNEL,
        name=name,
        retentionInDays=7,
    )["mlInputChannelArn"]
    return arn


def train(
    client: Any,
    association_arn: str,
    channel_arn: str,
    membership: str = MEMBERSHIP,
    name: str = "churn-model",
    **extra: Any,
) -> dict[str, str]:
    """CreateTrainedModel on one data channel; its answer."""
    answer: dict[str, str] = client.create_trained_model(
        membershipIdentifier=membership,
        name=name,
        configuredModelAlgorithmAssociationArn=association_arn,
        resourceConfig=RESOURCES,
        dataChannels=[{"mlInputChannelArn": channel_arn, "channelName": "train"}],
        **extra,
    )
    return answer


def trained_model(stub: Any, client: Any, **association_extra: Any) -> dict[str, str]:
    """Algorithm -> association -> ACTIVE channel -> ACTIVE trained model; their ARNs."""
    algorithm_arn = algorithm(client)
    association_arn = association(client, algorithm_arn, **association_extra)
    channel_arn = channel(client, association_arn)
    stub.settle()
    model = train(client, association_arn, channel_arn)["trainedModelArn"]
    stub.settle()
    return {
        "configuredModelAlgorithmArn": algorithm_arn,
        "configuredModelAlgorithmAssociationArn": association_arn,
        "mlInputChannelArn": channel_arn,
        "trainedModelArn": model,
    }


def infer(
    client: Any, model_arn: str, channel_arn: str, membership: str = MEMBERSHIP, **extra: Any
) -> str:
    """StartTrainedModelInferenceJob on a channel; the job's ARN."""
    extra.setdefault("name", "scores")
    arn: str = client.start_trained_model_inference_job(
        membershipIdentifier=membership,
        trainedModelArn=model_arn,
        resourceConfig=INFERENCE_RESOURCES,
        outputConfiguration=RECEIVER,
        dataSource={"mlInputChannelArn": channel_arn},
        **extra,
    )["trainedModelInferenceJobArn"]
    return arn
