"""What the per-call benchmark calls: one case per measured call, with the parents it needs.

A case names a call (service, method) and makes the parameters of the next ``n`` calls,
building untimed whatever they need in the fake account first: a create that needs parents
gets parents built once (or one parent per call where AWS allows only one child, such as a
group's event tracker) and a unique name per call. Every quota is raised out of the way
(``StubConfig`` quotas), so thousands of creates fit in one account. The parents are made
as a user's set-up would make them: through the fake's own operations and ``settle()``.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pytest_personalize_stub.builders import INTERACTIONS, TRAINING_COLUMNS

Params = dict[str, Any]

PAGE = 100
"""Items in the list page measured."""

KNOWN = 50
"""Ids the dataset group of a campaign "with known ids" holds (PutItems, PutEvents)."""

CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key": "benchmark",
}
ROLE = "arn:aws:iam::123456789012:role/BenchmarkRole"
RECIPE = "arn:aws:personalize:::recipe/"
MEMBERSHIP = "1a2b3c4d-0000-4000-8000-00000000000a"
NO_LIMITS = 10**9


def _avro(name: str, *fields: str) -> str:
    return json.dumps(
        {
            "type": "record",
            "name": name,
            "namespace": "com.amazonaws.personalize.schema",
            "fields": [{"name": field, "type": "string"} for field in fields],
            "version": "1.0",
        }
    )


ITEMS = _avro("Items", "ITEM_ID")
ACTIONS = _avro("Actions", "ACTION_ID")
ITEM_IDS = [f"known-{n:03d}" for n in range(KNOWN)]
TRAINING_DATA = [
    {
        "type": "INTERACTIONS",
        "inputConfig": {
            "schema": TRAINING_COLUMNS,
            "dataSource": {"glueDataSource": {"tableName": "events", "databaseName": "bench"}},
        },
    }
]
S3_OUT = {"destination": {"s3Destination": {"s3Uri": "s3://bench/out/"}}, "roleArn": ROLE}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:latest"
INPUT_CHANNEL = {
    "dataSource": {"protectedQueryInputParameters": {"sqlParameters": {"queryString": "SELECT 1"}}},
    "roleArn": ROLE,
}
RECEIVER = {"members": [{"accountId": "123456789012"}]}


def no_limits() -> Any:
    """A fake account whose every quota is out of the way, on a still clock: statuses move
    only when ``settle()`` moves them, so no timed call applies status changes left behind
    by the calls before it."""
    from pytest_personalize_stub.config import StubConfig
    from pytest_personalize_stub.controller import PersonalizeStub
    from pytest_personalize_stub.services.registry import QUOTA_KEYS

    config = StubConfig(quotas=dict.fromkeys(QUOTA_KEYS, NO_LIMITS))
    return PersonalizeStub(config, still_clock=True)


_NAMES = itertools.count()


@functools.cache
def fake_client(service: str) -> Any:
    """One boto3 client per service for every fake of the process: a client is served by
    whichever fake is active, and making one takes milliseconds."""
    import boto3

    return boto3.client(service, **CREDENTIALS)


def _tens(ids: list[str]) -> list[list[str]]:
    """``ids`` ten at a time, the most personalize-events takes in one call."""
    return [ids[start : start + 10] for start in range(0, len(ids), 10)]


class Parents:
    """Builds, untimed and through the fake's own operations, what the measured calls need.

    Use it while the fake is active. Parents shared by many calls are made once (cached
    properties); ``fresh_*`` methods make new ones.
    """

    def __init__(self, stub: Any) -> None:
        self.stub = stub
        self.personalize = fake_client("personalize")
        self.events = fake_client("personalize-events")
        self.runtime = fake_client("personalize-runtime")
        self.cleanroomsml = fake_client("cleanroomsml")

    def client(self, service: str) -> Any:
        """The client of ``service`` (served by whichever fake is active)."""
        return fake_client(service)

    def name(self, prefix: str) -> str:
        """A name no other call of the process uses (moto's account outlives the fakes')."""
        return f"{prefix}-{next(_NAMES)}"

    def fresh_groups(self, count: int, **extra: Any) -> list[str]:
        """``count`` new ACTIVE dataset groups."""
        arns = [
            self.personalize.create_dataset_group(name=self.name("group"), **extra)[
                "datasetGroupArn"
            ]
            for _ in range(count)
        ]
        self.stub.settle()
        return arns

    def dataset(self, group: str, dataset_type: str, schema: str) -> str:
        """A new ACTIVE dataset of ``dataset_type`` in ``group``."""
        arn: str = self.personalize.create_dataset(
            name=self.name(dataset_type.lower()),
            schemaArn=schema,
            datasetGroupArn=group,
            datasetType=dataset_type,
        )["datasetArn"]
        self.stub.settle()
        return arn

    def fresh_shops(self, count: int, **extra: Any) -> list[str]:
        """``count`` new ACTIVE dataset groups, each with an (empty) Interactions dataset."""
        groups = self.fresh_groups(count, **extra)
        for group in groups:
            self.personalize.create_dataset(
                name=self.name("interactions"),
                schemaArn=self.interactions_schema,
                datasetGroupArn=group,
                datasetType="Interactions",
            )
        self.stub.settle()
        return groups

    def fresh_tracker(self, group: str) -> str:
        """A new ACTIVE event tracker of ``group``; its tracking id."""
        tracker = self.personalize.create_event_tracker(
            name=self.name("tracker"), datasetGroupArn=group
        )
        self.stub.settle()
        return str(tracker["trackingId"])

    def _schema(self, text: str) -> str:
        return str(
            self.personalize.create_schema(name=self.name("schema"), schema=text)["schemaArn"]
        )

    @cached_property
    def interactions_schema(self) -> str:
        return self._schema(INTERACTIONS)

    @cached_property
    def items_schema(self) -> str:
        return self._schema(ITEMS)

    @cached_property
    def actions_schema(self) -> str:
        return self._schema(ACTIONS)

    @cached_property
    def shop(self) -> str:
        """A dataset group with an Interactions dataset, shared by the creates in a group."""
        return self.fresh_shops(1)[0]

    @cached_property
    def interactions(self) -> str:
        """The Interactions dataset of ``shop``."""
        listed = self.personalize.list_datasets(datasetGroupArn=self.shop)["datasets"]
        return str(listed[0]["datasetArn"])

    def version(self, group: str, recipe: str) -> str:
        """A new ACTIVE solution version of ``recipe`` trained in ``group``."""
        solution = self.personalize.create_solution(
            name=self.name("solution"), datasetGroupArn=group, recipeArn=RECIPE + recipe
        )["solutionArn"]
        self.stub.settle()
        version: str = self.personalize.create_solution_version(solutionArn=solution)[
            "solutionVersionArn"
        ]
        self.stub.settle()
        return version

    @cached_property
    def shop_solution(self) -> str:
        arn: str = self.personalize.create_solution(
            name=self.name("solution"),
            datasetGroupArn=self.shop,
            recipeArn=RECIPE + "aws-user-personalization",
        )["solutionArn"]
        self.stub.settle()
        return arn

    @cached_property
    def shop_version(self) -> str:
        arn: str = self.personalize.create_solution_version(solutionArn=self.shop_solution)[
            "solutionVersionArn"
        ]
        self.stub.settle()
        return arn

    def campaign(self, recipe: str, known: bool) -> str:
        """An ACTIVE campaign of ``recipe`` in a new group that holds ``KNOWN`` item (or
        action) ids, or none."""
        group = self.fresh_shops(1)[0]
        if known:
            if recipe == "aws-next-best-action":
                actions = self.dataset(group, "Actions", self.actions_schema)
                for ten in _tens(ITEM_IDS):
                    self.events.put_actions(
                        datasetArn=actions, actions=[{"actionId": i} for i in ten]
                    )
            else:
                items = self.dataset(group, "Items", self.items_schema)
                for ten in _tens(ITEM_IDS):
                    self.events.put_items(datasetArn=items, items=[{"itemId": i} for i in ten])
                self.put_events(self.fresh_tracker(group), ITEM_IDS)
        campaign: str = self.personalize.create_campaign(
            name=self.name("campaign"), solutionVersionArn=self.version(group, recipe)
        )["campaignArn"]
        self.stub.settle()
        return campaign

    def put_events(self, tracking_id: str, items: list[str], user: str = "u-1") -> None:
        """Record one interaction with each of ``items`` (ten a call)."""
        for start in range(0, len(items), 10):
            self.events.put_events(
                trackingId=tracking_id,
                userId=user,
                sessionId="s-1",
                eventList=[
                    {"eventType": "click", "itemId": item, "sentAt": 1714564800 + start + n}
                    for n, item in enumerate(items[start : start + 10])
                ],
            )

    @cached_property
    def audience_model(self) -> str:
        arn: str = self.cleanroomsml.create_audience_model(
            name=self.name("model"), trainingDatasetArn=self.training_dataset
        )["audienceModelArn"]
        self.stub.settle()
        return arn

    @cached_property
    def training_dataset(self) -> str:
        return str(
            self.cleanroomsml.create_training_dataset(
                name=self.name("training"), roleArn=ROLE, trainingData=TRAINING_DATA
            )["trainingDatasetArn"]
        )

    @cached_property
    def configured_audience_model(self) -> str:
        return str(
            self.cleanroomsml.create_configured_audience_model(
                name=self.name("cam"),
                audienceModelArn=self.audience_model,
                outputConfig=S3_OUT,
                sharedAudienceMetrics=["ALL"],
            )["configuredAudienceModelArn"]
        )

    @cached_property
    def generation_job(self) -> str:
        arn: str = self.cleanroomsml.start_audience_generation_job(
            name=self.name("audience"),
            configuredAudienceModelArn=self.configured_audience_model,
            seedAudience={"dataSource": {"s3Uri": "s3://bench/seed.jsonl"}, "roleArn": ROLE},
        )["audienceGenerationJobArn"]
        self.stub.settle()
        return arn

    @cached_property
    def algorithm(self) -> str:
        return str(
            self.cleanroomsml.create_configured_model_algorithm(
                name=self.name("algorithm"),
                roleArn=ROLE,
                trainingContainerConfig={"imageUri": IMAGE, "entrypoint": ["python", "t.py"]},
                inferenceContainerConfig={"imageUri": IMAGE},
            )["configuredModelAlgorithmArn"]
        )

    @cached_property
    def association(self) -> str:
        return str(
            self.cleanroomsml.create_configured_model_algorithm_association(
                membershipIdentifier=MEMBERSHIP,
                configuredModelAlgorithmArn=self.algorithm,
                name=self.name("association"),
            )["configuredModelAlgorithmAssociationArn"]
        )

    @cached_property
    def channel(self) -> str:
        arn: str = self.cleanroomsml.create_ml_input_channel(
            membershipIdentifier=MEMBERSHIP,
            configuredModelAlgorithmAssociations=[self.association],
            inputChannel=INPUT_CHANNEL,
            name=self.name("channel"),
            retentionInDays=7,
        )["mlInputChannelArn"]
        self.stub.settle()
        return arn

    @cached_property
    def trained_model(self) -> str:
        arn: str = self.cleanroomsml.create_trained_model(**_trained_model(self, "model"))[
            "trainedModelArn"
        ]
        self.stub.settle()
        return arn


def _trained_model(parents: Parents, name: str) -> Params:
    return {
        "membershipIdentifier": MEMBERSHIP,
        "name": parents.name(name),
        "configuredModelAlgorithmAssociationArn": parents.association,
        "resourceConfig": {"instanceType": "ml.m5.xlarge", "volumeSizeInGB": 10},
        "dataChannels": [{"mlInputChannelArn": parents.channel, "channelName": "train"}],
    }


MakeParams = Callable[[Parents, int], list[Params]]


@dataclass(frozen=True)
class Case:
    """One measured call."""

    operation: str
    family: str
    kind: str
    """describe, create, runtime, events or list: which targets the call has."""
    service: str
    method: str
    params: MakeParams
    """The parameters of the next ``n`` calls, their parents built in the fake."""
    moto: Callable[[Any, Params], None] | None = None
    """Where moto's ``mock_aws`` serves the call (only Personalize's schema operations): what
    moto's account needs first, given a moto client and the call's parameters."""


def _each(make: Callable[[Parents], Params]) -> MakeParams:
    """Parameters made one call at a time."""
    return lambda parents, n: [make(parents) for _ in range(n)]


def _one_group_per_call(make: Callable[[Parents, str], Params], **group: Any) -> MakeParams:
    """Parameters of calls that each need a dataset group of their own (one of a kind per
    group: a dataset type, an event tracker, a metric attribution)."""
    return lambda parents, n: [make(parents, g) for g in parents.fresh_shops(n, **group)]


def _one_group_per_block(make: Callable[[Parents, str], Params], **group: Any) -> MakeParams:
    """Parameters of calls that share a new dataset group (children counted per group)."""

    def params(parents: Parents, n: int) -> list[Params]:
        shared = parents.fresh_shops(1, **group)[0]
        return [make(parents, shared) for _ in range(n)]

    return params


def _same(make: Callable[[Parents], Params]) -> MakeParams:
    """The same parameters for every call (reads, and puts that replace)."""

    def params(parents: Parents, n: int) -> list[Params]:
        made = make(parents)
        return [made] * n

    return params


def _runtime(method: str, recipe: str, known: bool, **extra: Any) -> MakeParams:
    return _same(lambda p: {"campaignArn": p.campaign(recipe, known), "userId": "u-1", **extra})


def _put_events(parents: Parents, n: int) -> list[Params]:
    """Unique interactions into a new group's tracker, so every one is recorded."""
    tracking_id = parents.fresh_tracker(parents.fresh_shops(1)[0])
    return [
        {
            "trackingId": tracking_id,
            "userId": "u-1",
            "sessionId": "s-1",
            "eventList": [
                {"eventType": "click", "itemId": ITEM_IDS[i % KNOWN], "sentAt": 1714564800 + i}
            ],
        }
        for i in range(n)
    ]


def _schemas_page(parents: Parents) -> Params:
    while len(parents.personalize.list_schemas(maxResults=PAGE)["schemas"]) < PAGE:
        parents.personalize.create_schema(name=parents.name("page"), schema=INTERACTIONS)
    return {"maxResults": PAGE}


def _moto_schema(client: Any, params: Params) -> None:
    """The schema the fake describes, by the same name (so the same ARN) in moto."""
    client.create_schema(name=params["schemaArn"].rsplit("/", 1)[1], schema=INTERACTIONS)


def _moto_page(client: Any, params: Params) -> None:
    for n in range(PAGE):
        client.create_schema(name=f"moto-page-{n}", schema=INTERACTIONS)


P, R, E, C = "personalize", "personalize-runtime", "personalize-events", "cleanroomsml"
IO = {
    "jobInput": {"s3DataSource": {"path": "s3://bench/in/users.json"}},
    "jobOutput": {"s3DataDestination": {"path": "s3://bench/out/"}},
    "roleArn": ROLE,
}

DESCRIBES = (
    Case(
        "DescribeSchema",
        "datasets",
        "describe",
        P,
        "describe_schema",
        _same(lambda p: {"schemaArn": p.interactions_schema}),
        moto=_moto_schema,
    ),
    Case(
        "DescribeCampaign",
        "campaigns",
        "describe",
        P,
        "describe_campaign",
        _same(lambda p: {"campaignArn": p.campaign("aws-user-personalization", known=False)}),
    ),
)

RUNTIME = tuple(
    Case(
        f"{operation}, {'known ids' if known else 'no known ids'}",
        "runtime",
        "runtime",
        R,
        method,
        _runtime(method, recipe, known, **extra),
    )
    for operation, method, recipe, extra in (
        ("GetRecommendations", "get_recommendations", "aws-user-personalization", {}),
        (
            "GetPersonalizedRanking",
            "get_personalized_ranking",
            "aws-personalized-ranking",
            {"inputList": ITEM_IDS},
        ),
        ("GetActionRecommendations", "get_action_recommendations", "aws-next-best-action", {}),
    )
    for known in (True, False)
)

EVENTS = (Case("PutEvents", "events", "events", E, "put_events", _put_events),)

CREATES = (
    Case(
        "CreateDatasetGroup",
        "datasets",
        "create",
        P,
        "create_dataset_group",
        _each(lambda p: {"name": p.name("group")}),
    ),
    Case(
        "CreateSchema",
        "datasets",
        "create",
        P,
        "create_schema",
        _each(lambda p: {"name": p.name("schema"), "schema": INTERACTIONS}),
        moto=lambda client, params: None,
    ),
    Case(
        "CreateDataset",
        "datasets",
        "create",
        P,
        "create_dataset",
        _one_group_per_call(
            lambda p, g: {
                "name": p.name("items"),
                "schemaArn": p.items_schema,
                "datasetGroupArn": g,
                "datasetType": "Items",
            }
        ),
    ),
    Case(
        "CreateDatasetImportJob",
        "datasets",
        "create",
        P,
        "create_dataset_import_job",
        _each(
            lambda p: {
                "jobName": p.name("import"),
                "datasetArn": p.interactions,
                "dataSource": {"dataLocation": "s3://bench/interactions.csv"},
                "roleArn": ROLE,
            }
        ),
    ),
    Case(
        "CreateSolution",
        "solutions",
        "create",
        P,
        "create_solution",
        _one_group_per_block(
            lambda p, g: {
                "name": p.name("solution"),
                "datasetGroupArn": g,
                "recipeArn": RECIPE + "aws-user-personalization",
            }
        ),
    ),
    Case(
        "CreateSolutionVersion",
        "solutions",
        "create",
        P,
        "create_solution_version",
        _each(lambda p: {"solutionArn": p.shop_solution}),
    ),
    Case(
        "CreateCampaign",
        "campaigns",
        "create",
        P,
        "create_campaign",
        _each(lambda p: {"name": p.name("campaign"), "solutionVersionArn": p.shop_version}),
    ),
    Case(
        "CreateBatchInferenceJob",
        "batch",
        "create",
        P,
        "create_batch_inference_job",
        _each(lambda p: {"jobName": p.name("batch"), "solutionVersionArn": p.shop_version, **IO}),
    ),
    Case(
        "CreateDatasetExportJob",
        "data_jobs",
        "create",
        P,
        "create_dataset_export_job",
        _each(
            lambda p: {
                "jobName": p.name("export"),
                "datasetArn": p.interactions,
                "roleArn": ROLE,
                "jobOutput": {"s3DataDestination": {"path": "s3://bench/export/"}},
            }
        ),
    ),
    Case(
        "CreateEventTracker",
        "event_trackers",
        "create",
        P,
        "create_event_tracker",
        _one_group_per_call(lambda p, g: {"name": p.name("tracker"), "datasetGroupArn": g}),
    ),
    Case(
        "CreateFilter",
        "filters",
        "create",
        P,
        "create_filter",
        _one_group_per_block(
            lambda p, g: {
                "name": p.name("filter"),
                "datasetGroupArn": g,
                "filterExpression": 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
            }
        ),
    ),
    Case(
        "CreateMetricAttribution",
        "metric_attributions",
        "create",
        P,
        "create_metric_attribution",
        _one_group_per_call(
            lambda p, g: {
                "name": p.name("attribution"),
                "datasetGroupArn": g,
                "metrics": [
                    {"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}
                ],
                "metricsOutputConfig": {
                    "s3DataDestination": {"path": "s3://bench/metrics/"},
                    "roleArn": ROLE,
                },
            }
        ),
    ),
    Case(
        "CreateRecommender",
        "recommenders",
        "create",
        P,
        "create_recommender",
        _one_group_per_block(
            lambda p, g: {
                "name": p.name("recommender"),
                "datasetGroupArn": g,
                "recipeArn": RECIPE + "aws-ecomm-recommended-for-you",
            },
            domain="ECOMMERCE",
        ),
    ),
    Case(
        "CreateTrainingDataset",
        "audiences",
        "create",
        C,
        "create_training_dataset",
        _each(
            lambda p: {"name": p.name("training"), "roleArn": ROLE, "trainingData": TRAINING_DATA}
        ),
    ),
    Case(
        "CreateAudienceModel",
        "audiences",
        "create",
        C,
        "create_audience_model",
        _each(lambda p: {"name": p.name("model"), "trainingDatasetArn": p.training_dataset}),
    ),
    Case(
        "CreateConfiguredAudienceModel",
        "audiences",
        "create",
        C,
        "create_configured_audience_model",
        _each(
            lambda p: {
                "name": p.name("cam"),
                "audienceModelArn": p.audience_model,
                "outputConfig": S3_OUT,
                "sharedAudienceMetrics": ["ALL"],
            }
        ),
    ),
    Case(
        "StartAudienceGenerationJob",
        "audiences",
        "create",
        C,
        "start_audience_generation_job",
        _each(
            lambda p: {
                "name": p.name("audience"),
                "configuredAudienceModelArn": p.configured_audience_model,
                "seedAudience": {
                    "dataSource": {"s3Uri": "s3://bench/seed.jsonl"},
                    "roleArn": ROLE,
                },
            }
        ),
    ),
    Case(
        "StartAudienceExportJob",
        "audiences",
        "create",
        C,
        "start_audience_export_job",
        _each(
            lambda p: {
                "name": p.name("export"),
                "audienceGenerationJobArn": p.generation_job,
                "audienceSize": {"type": "ABSOLUTE", "value": 1000},
            }
        ),
    ),
    Case(
        "PutMLConfiguration",
        "configuration",
        "create",
        C,
        "put_ml_configuration",
        _same(lambda p: {"membershipIdentifier": MEMBERSHIP, "defaultOutputLocation": S3_OUT}),
    ),
    Case(
        "CreateConfiguredModelAlgorithm",
        "algorithms",
        "create",
        C,
        "create_configured_model_algorithm",
        _each(
            lambda p: {
                "name": p.name("algorithm"),
                "roleArn": ROLE,
                "trainingContainerConfig": {"imageUri": IMAGE, "entrypoint": ["python"]},
            }
        ),
    ),
    Case(
        "CreateConfiguredModelAlgorithmAssociation",
        "algorithms",
        "create",
        C,
        "create_configured_model_algorithm_association",
        _each(
            lambda p: {
                "membershipIdentifier": MEMBERSHIP,
                "configuredModelAlgorithmArn": p.algorithm,
                "name": p.name("association"),
            }
        ),
    ),
    Case(
        "CreateMLInputChannel",
        "channels",
        "create",
        C,
        "create_ml_input_channel",
        _each(
            lambda p: {
                "membershipIdentifier": MEMBERSHIP,
                "configuredModelAlgorithmAssociations": [p.association],
                "inputChannel": INPUT_CHANNEL,
                "name": p.name("channel"),
                "retentionInDays": 7,
            }
        ),
    ),
    Case(
        "CreateTrainedModel",
        "trained_models",
        "create",
        C,
        "create_trained_model",
        _each(lambda p: _trained_model(p, "trained")),
    ),
    Case(
        "StartTrainedModelInferenceJob",
        "trained_models",
        "create",
        C,
        "start_trained_model_inference_job",
        _each(
            lambda p: {
                "membershipIdentifier": MEMBERSHIP,
                "name": p.name("inference"),
                "trainedModelArn": p.trained_model,
                "resourceConfig": {"instanceType": "ml.m5.xlarge"},
                "outputConfiguration": RECEIVER,
                "dataSource": {"mlInputChannelArn": p.channel},
            }
        ),
    ),
)

LISTS = (
    Case(
        f"ListSchemas, page of {PAGE}",
        "datasets",
        "list",
        P,
        "list_schemas",
        _same(_schemas_page),
        moto=_moto_page,
    ),
)

CASES = (*DESCRIBES, *RUNTIME, *EVENTS, *CREATES, *LISTS)
"""Every measured call, in the order the report shows them."""
