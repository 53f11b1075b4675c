"""``personalize_stub.build``: the documented chains of resources, made in one call through the
fake's own operations and settled.

Each builder calls the operations a real set-up script would call, through a client of the
fake's region, so every resource is real (listed, described, deletable) and every call is
recorded. It returns the ARNs it made, keyed by the name of the response member that carried
each (``datasetGroupArn``, ``solutionVersionArn``, ``campaignArn``, ...); keyword arguments
go to the last operation of the chain.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from . import clients

if TYPE_CHECKING:
    from .controller import PersonalizeStub

USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
ITEM_AFFINITY = "arn:aws:personalize:::recipe/aws-item-affinity"
RECOMMENDED_FOR_YOU = "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you"

ROLE = "arn:aws:iam::{account}:role/PersonalizeStubRole"
"""The role the chains pass where AWS asks for one (the fake checks only its form)."""

INTERACTIONS = json.dumps(
    {
        "type": "record",
        "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "EVENT_TYPE", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
        ],
        "version": "1.0",
    }
)
"""The Interactions schema of the chains (the developer guide's minimal one, with event types)."""

TRAINING_COLUMNS = [
    {"columnName": "user_id", "columnTypes": ["USER_ID"]},
    {"columnName": "item_id", "columnTypes": ["ITEM_ID"]},
    {"columnName": "timestamp", "columnTypes": ["TIMESTAMP"]},
]


class Builders:
    """The chain builders of one fake (``personalize_stub.build``)."""

    def __init__(self, stub: PersonalizeStub) -> None:
        self._stub = stub

    def _client(self, service: str) -> Any:
        return clients.fixture_client(service, self._stub.config.region)

    def _role(self) -> str:
        return ROLE.format(account=self._stub.config.account_id)

    def _interactions(
        self, name: str, domain: str | None = None, data: str | None = None
    ) -> dict[str, str]:
        """Dataset group -> Interactions schema -> dataset -> ACTIVE bulk import."""
        personalize = self._client("personalize")
        in_domain = {"domain": domain} if domain is not None else {}
        group = personalize.create_dataset_group(name=f"{name}-group", **in_domain)
        self._stub.settle()
        schema = personalize.create_schema(
            name=f"{name}-interactions", schema=INTERACTIONS, **in_domain
        )
        dataset = personalize.create_dataset(
            name=f"{name}-interactions",
            schemaArn=schema["schemaArn"],
            datasetGroupArn=group["datasetGroupArn"],
            datasetType="Interactions",
        )
        self._stub.settle()
        job = personalize.create_dataset_import_job(
            jobName=f"{name}-import",
            datasetArn=dataset["datasetArn"],
            dataSource={"dataLocation": data or f"s3://{name}-data/interactions.csv"},
            roleArn=self._role(),
        )
        self._stub.settle()
        return {
            "datasetGroupArn": group["datasetGroupArn"],
            "schemaArn": schema["schemaArn"],
            "datasetArn": dataset["datasetArn"],
            "datasetImportJobArn": job["datasetImportJobArn"],
        }

    def solution_version(
        self, name: str = "build", *, recipe_arn: str = USER_PERSONALIZATION, **kwargs: Any
    ) -> dict[str, str]:
        """An ACTIVE solution version of ``recipe_arn``, with its dataset group, schema,
        Interactions dataset and import job, and solution; ``kwargs`` go to
        CreateSolutionVersion."""
        made = self._interactions(name)
        personalize = self._client("personalize")
        solution = personalize.create_solution(
            name=name, datasetGroupArn=made["datasetGroupArn"], recipeArn=recipe_arn
        )
        self._stub.settle()
        version = personalize.create_solution_version(solutionArn=solution["solutionArn"], **kwargs)
        self._stub.settle()
        return {
            **made,
            "solutionArn": solution["solutionArn"],
            "solutionVersionArn": version["solutionVersionArn"],
        }

    def campaign(
        self, name: str = "build", *, recipe_arn: str = USER_PERSONALIZATION, **kwargs: Any
    ) -> dict[str, str]:
        """An ACTIVE campaign named ``name`` deploying a new solution version of
        ``recipe_arn`` (see :meth:`solution_version`); ``kwargs`` go to CreateCampaign."""
        made = self.solution_version(name, recipe_arn=recipe_arn)
        campaign = self._client("personalize").create_campaign(
            name=name, solutionVersionArn=made["solutionVersionArn"], **kwargs
        )
        self._stub.settle()
        return {**made, "campaignArn": campaign["campaignArn"]}

    def recommender(
        self,
        name: str = "build",
        *,
        domain: str = "ECOMMERCE",
        recipe_arn: str = RECOMMENDED_FOR_YOU,
        **kwargs: Any,
    ) -> dict[str, str]:
        """An ACTIVE recommender of the domain use case ``recipe_arn``, in a Domain dataset
        group of ``domain`` with its Interactions data; ``kwargs`` go to CreateRecommender."""
        made = self._interactions(name, domain)
        recommender = self._client("personalize").create_recommender(
            name=name, datasetGroupArn=made["datasetGroupArn"], recipeArn=recipe_arn, **kwargs
        )
        self._stub.settle()
        return {**made, "recommenderArn": recommender["recommenderArn"]}

    def batch_segment_job(
        self, name: str = "build", *, recipe_arn: str = ITEM_AFFINITY, **kwargs: Any
    ) -> dict[str, str]:
        """An ACTIVE batch segment job of a new solution version of the USER_SEGMENTATION
        recipe ``recipe_arn``; ``kwargs`` go to CreateBatchSegmentJob (its input and output
        default to ``s3://<name>-data/...``)."""
        made = self.solution_version(name, recipe_arn=recipe_arn)
        kwargs.setdefault("jobInput", {"s3DataSource": {"path": f"s3://{name}-data/items.json"}})
        kwargs.setdefault(
            "jobOutput", {"s3DataDestination": {"path": f"s3://{name}-data/segments/"}}
        )
        kwargs.setdefault("roleArn", self._role())
        job = self._client("personalize").create_batch_segment_job(
            jobName=name, solutionVersionArn=made["solutionVersionArn"], **kwargs
        )
        self._stub.settle()
        return {**made, "batchSegmentJobArn": job["batchSegmentJobArn"]}

    def configured_audience_model(self, name: str = "build", **kwargs: Any) -> dict[str, str]:
        """A configured audience model of a new ACTIVE audience model trained on a new
        training dataset; ``kwargs`` go to CreateConfiguredAudienceModel (its output
        defaults to ``s3://<name>-audiences/``, its shared metrics to ALL)."""
        cleanroomsml = self._client("cleanroomsml")
        dataset = cleanroomsml.create_training_dataset(
            name=f"{name}-training",
            roleArn=self._role(),
            trainingData=[
                {
                    "type": "INTERACTIONS",
                    "inputConfig": {
                        "schema": TRAINING_COLUMNS,
                        "dataSource": {
                            "glueDataSource": {"tableName": "interactions", "databaseName": name}
                        },
                    },
                }
            ],
        )
        model = cleanroomsml.create_audience_model(
            name=f"{name}-model", trainingDatasetArn=dataset["trainingDatasetArn"]
        )
        self._stub.settle()
        kwargs.setdefault(
            "outputConfig",
            {
                "destination": {"s3Destination": {"s3Uri": f"s3://{name}-audiences/"}},
                "roleArn": self._role(),
            },
        )
        kwargs.setdefault("sharedAudienceMetrics", ["ALL"])
        configured = cleanroomsml.create_configured_audience_model(
            name=name, audienceModelArn=model["audienceModelArn"], **kwargs
        )
        return {
            "trainingDatasetArn": dataset["trainingDatasetArn"],
            "audienceModelArn": model["audienceModelArn"],
            "configuredAudienceModelArn": configured["configuredAudienceModelArn"],
        }

    def audience_generation_job(self, name: str = "build", **kwargs: Any) -> dict[str, str]:
        """An ACTIVE audience generation job of a new configured audience model (see
        :meth:`configured_audience_model`); ``kwargs`` go to StartAudienceGenerationJob (its
        seed defaults to ``s3://<name>-audiences/seed.jsonl``)."""
        made = self.configured_audience_model(name)
        kwargs.setdefault(
            "seedAudience",
            {"dataSource": {"s3Uri": f"s3://{name}-audiences/seed.jsonl"}, "roleArn": self._role()},
        )
        job = self._client("cleanroomsml").start_audience_generation_job(
            name=name, configuredAudienceModelArn=made["configuredAudienceModelArn"], **kwargs
        )
        self._stub.settle()
        return {**made, "audienceGenerationJobArn": job["audienceGenerationJobArn"]}
