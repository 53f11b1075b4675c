"""The developer guide's "Getting started (SDK for Python (Boto3))" flow, end to end.

A user's pipeline runs the guide's steps with its own ``boto3.client(...)`` clients while the
``personalize_stub`` fixture is active: dataset group -> Interactions/Items/Users schemas ->
datasets -> bulk imports -> User-Personalization solution -> solution version -> metrics ->
campaign -> recommendations -> event tracker and PutEvents -> filters -> batch inference ->
clean-up in the order of "Requirements for deleting Amazon Personalize resources".

The same pipeline runs three ways: letting time pass with ``personalize_stub.settle()``, and
under freezegun polling each ``Describe*`` until ACTIVE, once moving time with
``frozen.tick(...)`` and once with the guide's ``time.sleep`` polling loop made virtual.
Statuses, response members and errors are the ones the guide and the API reference document
(pages: "Creating a dataset group", "Importing bulk data", "Creating a solution", "Creating a
campaign", "Recording real-time events", "Filtering recommendations", "Getting batch
recommendations"). The focused tests after the end-to-end runs check one documented rule each.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import freezegun
import pytest
from support.flows import ROLE
from support.schemas import avro_record, nullable
from support.schemas import field as schema_field

REGION = "us-east-1"
ACCOUNT = "123456789012"
PREFIX = f"arn:aws:personalize:{REGION}:{ACCOUNT}:"
BUCKET = "s3://amzn-s3-demo-bucket"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
GROUP_NAME = "getting-started-dsg"
FROZEN_AT = datetime(2031, 5, 1, tzinfo=timezone.utc)
REAL_SLEEP = time.sleep

SCHEMAS = {
    "Interactions": avro_record(
        "Interactions",
        schema_field("USER_ID"),
        schema_field("ITEM_ID"),
        schema_field("TIMESTAMP", "long"),
    ),
    "Items": avro_record(
        "Items",
        schema_field("ITEM_ID"),
        nullable("GENRES", categorical=True),
        schema_field("CREATION_TIMESTAMP", "long"),
    ),
    "Users": avro_record(
        "Users",
        schema_field("USER_ID"),
        schema_field("AGE", "int"),
        schema_field("GENDER", categorical=True),
    ),
}
"""The guide's Avro schemas: the getting-started Interactions schema and the custom Items and
Users examples of the dataset requirements pages."""

DATA_FILES = {"Interactions": "ratings.csv", "Items": "items.csv", "Users": "users.csv"}

OFFLINE_METRICS = {
    "coverage",
    "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10",
    "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5",
    "precision_at_10",
    "precision_at_25",
}
"""The metrics GetSolutionMetrics documents for a custom solution version."""

EXCLUDE_CLICKED = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")'
INCLUDE_GENRES = "INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)"
EXPLORATION = {"explorationWeight": "0.3", "explorationItemAgeCutOff": "30"}
"""The item exploration a User-Personalization campaign uses unless told otherwise."""

GONE = "gone"
"""What a poll sees once Describe* answers ResourceNotFoundException."""
CREATED = ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
DELETED = ["DELETE PENDING", "DELETE IN_PROGRESS", GONE]
GROUP_DELETED = ["DELETE PENDING", GONE]
"""A dataset group documents no DELETE IN_PROGRESS status."""
FINAL = frozenset({"ACTIVE", "CREATE FAILED", GONE})
MAX_POLLS = 1000
QUICK = 5.0
"""Seconds between polls of resources that take about a minute."""
SLOW = 60.0
"""Seconds between polls of imports, training, campaigns and batch jobs (the guide's loop)."""

Describe = Callable[[], Mapping[str, Any] | None]
"""Reads a resource; None once it is gone."""


# ---------------------------------------------------------------- how the pipeline waits


class Waiting:
    """How time passes while the pipeline waits for a resource to stop changing."""

    exact = True
    """Whether every documented status is seen (polling often enough), or only the ends."""

    def until_settled(self, describe: Describe, interval: float) -> list[str]:
        """The statuses seen, in order and once each, until a final one (or gone)."""
        seen: list[str] = []
        for _ in range(MAX_POLLS):
            status = _status(describe)
            if not seen or seen[-1] != status:
                seen.append(status)
            if status in FINAL:
                return seen
            self.pause(interval)
        raise AssertionError(f"still {seen[-1]} after {MAX_POLLS} polls")

    def pause(self, seconds: float) -> None:
        """Let ``seconds`` pass."""
        raise NotImplementedError


class Settling(Waiting):
    """Wait with ``personalize_stub.settle()``: only the first and the final status are seen."""

    exact = False

    def __init__(self, stub: Any) -> None:
        self.stub = stub

    def until_settled(self, describe: Describe, interval: float) -> list[str]:
        first = _status(describe)
        self.stub.settle()
        final = _status(describe)
        return [first] if final == first else [first, final]


class Ticking(Waiting):
    """Poll under freezegun, moving frozen time with ``frozen.tick(...)`` between polls."""

    def __init__(self, frozen: Any) -> None:
        self.frozen = frozen

    def pause(self, seconds: float) -> None:
        self.frozen.tick(timedelta(seconds=seconds))


class Sleeping(Waiting):
    """Poll with ``time.sleep`` like the guide's loop (virtual sleep makes it instant)."""

    def pause(self, seconds: float) -> None:
        time.sleep(seconds)


def _status(describe: Describe) -> str:
    resource = describe()
    return GONE if resource is None else str(resource["status"])


# ---------------------------------------------------------------- the pipeline


@dataclass
class GettingStarted:
    """The guide's steps as a user's pipeline writes them, with plain boto3 clients."""

    waiting: Waiting
    clock: Callable[[], datetime]
    personalize: Any = field(default_factory=lambda: boto3.client("personalize"))
    runtime: Any = field(default_factory=lambda: boto3.client("personalize-runtime"))
    events: Any = field(default_factory=lambda: boto3.client("personalize-events"))
    arns: dict[str, str] = field(default_factory=dict)
    clicked: list[str] = field(default_factory=list)

    def described(self, operation: str, key: str, **params: str) -> Describe:
        """A reader of one resource through ``Describe*``; None once it is not found."""
        call = getattr(self.personalize, operation)

        def describe() -> Mapping[str, Any] | None:
            try:
                resource: Mapping[str, Any] = call(**params)[key]
            except self.personalize.exceptions.ResourceNotFoundException:
                return None
            return resource

        return describe

    def created(self, describe: Describe, interval: float) -> Mapping[str, Any]:
        """Wait for a new resource to be ACTIVE, checking the documented create sequence."""
        seen = self.waiting.until_settled(describe, interval)
        if self.waiting.exact:
            assert seen == CREATED
        else:
            assert seen == [CREATED[0], CREATED[-1]]
        resource = describe()
        assert resource is not None
        assert "failureReason" not in resource
        assert resource["lastUpdatedDateTime"] > resource["creationDateTime"]
        return resource

    def deleted(self, describe: Describe, interval: float, sequence: list[str]) -> None:
        """Wait for a deleted resource to vanish, checking the documented delete sequence."""
        seen = self.waiting.until_settled(describe, interval)
        if self.waiting.exact:
            assert seen == sequence
        else:
            assert seen == [sequence[0], GONE]

    def in_use(self, call: Callable[..., Any], **params: Any) -> None:
        """The call is refused with ResourceInUseException (something still depends on it)."""
        with pytest.raises(self.personalize.exceptions.ResourceInUseException):
            call(**params)

    # ------------------------------------------------------------ steps

    def check_environment(self) -> None:
        """The guide's first snippet: list the recipes to confirm the clients work."""
        recipes = self.personalize.list_recipes()["recipes"]
        assert USER_PERSONALIZATION in {recipe["recipeArn"] for recipe in recipes}

    def create_dataset_group(self) -> None:
        """Creating a dataset group: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE."""
        asked_at = self.clock()
        response = self.personalize.create_dataset_group(name=GROUP_NAME)
        arn = response["datasetGroupArn"]
        assert arn == f"{PREFIX}dataset-group/{GROUP_NAME}"
        assert "domain" not in response
        describe = self.described("describe_dataset_group", "datasetGroup", datasetGroupArn=arn)
        answered_at = self.clock()
        pending = describe()
        assert pending is not None
        assert pending["name"] == GROUP_NAME
        assert asked_at <= pending["creationDateTime"] <= answered_at
        group = self.created(describe, QUICK)
        assert group["creationDateTime"] == pending["creationDateTime"]
        assert "domain" not in group
        self.arns["group"] = arn
        listed = self.personalize.list_dataset_groups()["datasetGroups"]
        assert [(g["datasetGroupArn"], g["status"]) for g in listed] == [(arn, "ACTIVE")]

    def create_schemas(self) -> None:
        """Create the three schemas from the guide's Avro JSON; schemas have no status."""
        for kind, schema in SCHEMAS.items():
            name = f"getting-started-{kind.lower()}-schema"
            text = json.dumps(schema)
            arn = self.personalize.create_schema(name=name, schema=text)["schemaArn"]
            assert arn == f"{PREFIX}schema/{name}"
            described = self.personalize.describe_schema(schemaArn=arn)["schema"]
            assert described["name"] == name
            assert json.loads(described["schema"]) == schema
            assert "status" not in described
            self.arns[f"{kind} schema"] = arn
        listed = self.personalize.list_schemas()["schemas"]
        assert {s["schemaArn"] for s in listed} == {self.arns[f"{k} schema"] for k in SCHEMAS}

    def create_datasets(self) -> None:
        """One dataset per type; the ARN carries the group's name and the upper-case type."""
        for kind in SCHEMAS:
            arn = self.personalize.create_dataset(
                name=f"getting-started-{kind.lower()}",
                schemaArn=self.arns[f"{kind} schema"],
                datasetGroupArn=self.arns["group"],
                datasetType=kind,
            )["datasetArn"]
            assert arn == f"{PREFIX}dataset/{GROUP_NAME}/{kind.upper()}"
            dataset = self.created(
                self.described("describe_dataset", "dataset", datasetArn=arn), QUICK
            )
            assert dataset["datasetType"] == kind.upper()
            assert dataset["schemaArn"] == self.arns[f"{kind} schema"]
            assert dataset["datasetGroupArn"] == self.arns["group"]
            self.arns[kind] = arn
        listed = self.personalize.list_datasets(datasetGroupArn=self.arns["group"])["datasets"]
        assert {d["datasetArn"] for d in listed} == {self.arns[k] for k in SCHEMAS}
        assert {d["status"] for d in listed} == {"ACTIVE"}
        self.in_use(self.personalize.delete_dataset_group, datasetGroupArn=self.arns["group"])
        for kind in SCHEMAS:
            self.in_use(self.personalize.delete_schema, schemaArn=self.arns[f"{kind} schema"])

    def import_bulk_data(self) -> None:
        """Importing bulk data: one dataset import job per dataset, FULL by default."""
        for kind, file_name in DATA_FILES.items():
            job_name = f"getting-started-{kind.lower()}-import"
            mode = {"importMode": "FULL"} if kind == "Interactions" else {}
            arn = self.personalize.create_dataset_import_job(
                jobName=job_name,
                datasetArn=self.arns[kind],
                dataSource={"dataLocation": f"{BUCKET}/{file_name}"},
                roleArn=ROLE,
                **mode,
            )["datasetImportJobArn"]
            assert arn == f"{PREFIX}dataset-import-job/{job_name}"
            self.in_use(self.personalize.delete_dataset, datasetArn=self.arns[kind])
            job = self.created(
                self.described(
                    "describe_dataset_import_job", "datasetImportJob", datasetImportJobArn=arn
                ),
                SLOW,
            )
            assert job["jobName"] == job_name
            assert job["datasetArn"] == self.arns[kind]
            assert job["dataSource"] == {"dataLocation": f"{BUCKET}/{file_name}"}
            assert job["roleArn"] == ROLE
            assert job["importMode"] == "FULL"
            listed = self.personalize.list_dataset_import_jobs(datasetArn=self.arns[kind])
            assert [j["datasetImportJobArn"] for j in listed["datasetImportJobs"]] == [arn]

        first = f"{PREFIX}dataset-import-job/getting-started-items-import"
        more = self.personalize.create_dataset_import_job(
            jobName="getting-started-more-items",
            datasetArn=self.arns["Items"],
            dataSource={"dataLocation": f"{BUCKET}/more-items.csv"},
            roleArn=ROLE,
            importMode="INCREMENTAL",
        )["datasetImportJobArn"]
        appended = self.created(
            self.described(
                "describe_dataset_import_job", "datasetImportJob", datasetImportJobArn=more
            ),
            SLOW,
        )
        assert appended["importMode"] == "INCREMENTAL"
        listed = self.personalize.list_dataset_import_jobs(datasetArn=self.arns["Items"])
        assert [j["datasetImportJobArn"] for j in listed["datasetImportJobs"]] == [more, first]

    def create_solution(self) -> None:
        """Creating a solution with the User-Personalization recipe."""
        arn = self.personalize.create_solution(
            name="getting-started-solution",
            datasetGroupArn=self.arns["group"],
            recipeArn=USER_PERSONALIZATION,
        )["solutionArn"]
        assert arn == f"{PREFIX}solution/getting-started-solution"
        solution = self.created(
            self.described("describe_solution", "solution", solutionArn=arn), QUICK
        )
        assert solution["recipeArn"] == USER_PERSONALIZATION
        assert solution["datasetGroupArn"] == self.arns["group"]
        assert solution["performHPO"] is False
        assert solution["performAutoML"] is False
        assert solution["performAutoTraining"] is True
        assert "latestSolutionVersion" not in solution
        self.arns["solution"] = arn
        listed = self.personalize.list_solutions(datasetGroupArn=self.arns["group"])["solutions"]
        assert [s["solutionArn"] for s in listed] == [arn]

    def train(self) -> None:
        """Create a solution version (FULL training) and read its offline metrics."""
        solution = self.arns["solution"]
        arn = self.personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        assert arn.startswith(f"{solution}/")
        describe = self.described(
            "describe_solution_version", "solutionVersion", solutionVersionArn=arn
        )
        training = describe()
        assert training is not None
        assert "trainingHours" not in training
        self.in_use(self.personalize.get_solution_metrics, solutionVersionArn=arn)
        self.in_use(self.personalize.delete_solution, solutionArn=solution)
        self.in_use(self.personalize.delete_dataset, datasetArn=self.arns["Interactions"])
        self.in_use(self.personalize.create_campaign, name="too-soon", solutionVersionArn=arn)
        version = self.created(describe, SLOW)
        assert version["solutionArn"] == solution
        assert version["recipeArn"] == USER_PERSONALIZATION
        assert version["trainingMode"] == "FULL"
        assert version["trainingHours"] > 0
        self.arns["version"] = arn

        latest = self.personalize.describe_solution(solutionArn=solution)["solution"]
        assert latest["latestSolutionVersion"]["solutionVersionArn"] == arn
        assert latest["latestSolutionVersion"]["status"] == "ACTIVE"
        listed = self.personalize.list_solution_versions(solutionArn=solution)
        assert [v["solutionVersionArn"] for v in listed["solutionVersions"]] == [arn]

        metrics = self.personalize.get_solution_metrics(solutionVersionArn=arn)
        assert metrics["solutionVersionArn"] == arn
        assert OFFLINE_METRICS <= set(metrics["metrics"])
        assert all(0 <= value <= 1 for value in metrics["metrics"].values())

    def deploy(self) -> None:
        """Creating a campaign with minProvisionedTPS 1; it serves once ACTIVE."""
        arn = self.personalize.create_campaign(
            name="getting-started-campaign",
            solutionVersionArn=self.arns["version"],
            minProvisionedTPS=1,
        )["campaignArn"]
        assert arn == f"{PREFIX}campaign/getting-started-campaign"
        campaign = self.created(
            self.described("describe_campaign", "campaign", campaignArn=arn), SLOW
        )
        assert campaign["solutionVersionArn"] == self.arns["version"]
        assert campaign["minProvisionedTPS"] == 1
        assert campaign["campaignConfig"]["itemExplorationConfig"] == EXPLORATION
        assert "latestCampaignUpdate" not in campaign
        self.arns["campaign"] = arn
        listed = self.personalize.list_campaigns(solutionArn=self.arns["solution"])["campaigns"]
        assert [c["campaignArn"] for c in listed] == [arn]

    def recommend(self) -> Mapping[str, Any]:
        """GetRecommendations for a user: 25 items by default, best score first."""
        response = self.runtime.get_recommendations(campaignArn=self.arns["campaign"], userId="1")
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert response["recommendationId"]
        items: list[Mapping[str, Any]] = response["itemList"]
        assert len(items) == 25
        assert len({item["itemId"] for item in items}) == 25
        scores = [item["score"] for item in items]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < score <= 1 for score in scores)
        fewer = self.runtime.get_recommendations(
            campaignArn=self.arns["campaign"], userId="1", numResults=10
        )
        assert len(fewer["itemList"]) == 10
        return response

    def record_events(self, recommendations: Mapping[str, Any]) -> None:
        """Recording real-time events: an event tracker, then PutEvents with its trackingId."""
        group = self.arns["group"]
        response = self.personalize.create_event_tracker(
            name="getting-started-tracker", datasetGroupArn=group
        )
        arn, tracking_id = response["eventTrackerArn"], response["trackingId"]
        assert arn.startswith(f"{PREFIX}event-tracker/")
        tracker = self.created(
            self.described("describe_event_tracker", "eventTracker", eventTrackerArn=arn), QUICK
        )
        assert tracker["trackingId"] == tracking_id
        assert tracker["accountId"] == ACCOUNT
        assert tracker["datasetGroupArn"] == group
        self.arns["tracker"] = arn
        listed = self.personalize.list_event_trackers(datasetGroupArn=group)["eventTrackers"]
        assert [t["eventTrackerArn"] for t in listed] == [arn]

        self.clicked = [str(item["itemId"]) for item in recommendations["itemList"][:3]]
        answer = self.events.put_events(
            trackingId=tracking_id,
            userId="1",
            sessionId="getting-started-session",
            eventList=[
                {
                    "sentAt": self.clock(),
                    "eventType": "click",
                    "itemId": item_id,
                    "recommendationId": recommendations["recommendationId"],
                }
                for item_id in self.clicked
            ],
        )
        assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert set(answer) == {"ResponseMetadata"}

    def create_filters(self) -> None:
        """Filtering recommendations: a static EXCLUDE filter and an INCLUDE placeholder one."""
        group = self.arns["group"]
        for key, name, expression in (
            ("exclude filter", "getting-started-exclude-clicked", EXCLUDE_CLICKED),
            ("include filter", "getting-started-genres", INCLUDE_GENRES),
        ):
            arn = self.personalize.create_filter(
                name=name, datasetGroupArn=group, filterExpression=expression
            )["filterArn"]
            assert arn == f"{PREFIX}filter/{name}"
            described = self.created(
                self.described("describe_filter", "filter", filterArn=arn), QUICK
            )
            assert described["filterExpression"] == expression
            assert described["datasetGroupArn"] == group
            self.arns[key] = arn
        listed = self.personalize.list_filters(datasetGroupArn=group)["Filters"]
        assert {f["filterArn"] for f in listed} == {
            self.arns["exclude filter"],
            self.arns["include filter"],
        }

    def recommend_filtered(self) -> None:
        """GetRecommendations with filterArn (and filterValues for a placeholder)."""
        campaign = self.arns["campaign"]
        excluded = self.runtime.get_recommendations(
            campaignArn=campaign, userId="1", filterArn=self.arns["exclude filter"]
        )
        assert excluded["recommendationId"]
        included = self.runtime.get_recommendations(
            campaignArn=campaign,
            userId="1",
            filterArn=self.arns["include filter"],
            filterValues={"GENRES": '"Comedy"'},
        )
        assert included["recommendationId"]

    def batch_recommendations(self) -> None:
        """Getting batch recommendations: a batch inference job from S3 to S3."""
        job_input = {"s3DataSource": {"path": f"{BUCKET}/batch/users.json"}}
        job_output = {"s3DataDestination": {"path": f"{BUCKET}/batch/output/"}}
        arn = self.personalize.create_batch_inference_job(
            jobName="getting-started-batch",
            solutionVersionArn=self.arns["version"],
            filterArn=self.arns["exclude filter"],
            numResults=10,
            jobInput=job_input,
            jobOutput=job_output,
            roleArn=ROLE,
            batchInferenceJobConfig={"itemExplorationConfig": EXPLORATION},
        )["batchInferenceJobArn"]
        assert arn == f"{PREFIX}batch-inference-job/getting-started-batch"
        self.in_use(self.personalize.delete_filter, filterArn=self.arns["exclude filter"])
        describe = self.described(
            "describe_batch_inference_job", "batchInferenceJob", batchInferenceJobArn=arn
        )
        seen = self.waiting.until_settled(describe, SLOW)
        assert "PENDING" in seen[0]
        assert seen[-1] == "ACTIVE"
        job = describe()
        assert job is not None
        assert job["solutionVersionArn"] == self.arns["version"]
        assert job["filterArn"] == self.arns["exclude filter"]
        assert job["numResults"] == 10
        assert job["jobInput"] == job_input
        assert job["jobOutput"] == job_output
        assert job["roleArn"] == ROLE
        assert job["batchInferenceJobConfig"] == {"itemExplorationConfig": EXPLORATION}
        assert job["batchInferenceJobMode"] == "BATCH_INFERENCE"
        assert "failureReason" not in job
        listed = self.personalize.list_batch_inference_jobs(
            solutionVersionArn=self.arns["version"]
        )["batchInferenceJobs"]
        assert [(j["batchInferenceJobArn"], j["status"]) for j in listed] == [(arn, "ACTIVE")]

    def delete_too_early(self) -> None:
        """Deleting before the dependents are gone is refused with ResourceInUseException."""
        personalize = self.personalize
        self.in_use(personalize.delete_dataset_group, datasetGroupArn=self.arns["group"])
        self.in_use(personalize.delete_schema, schemaArn=self.arns["Interactions schema"])
        self.in_use(personalize.delete_dataset, datasetArn=self.arns["Interactions"])
        self.in_use(personalize.delete_dataset, datasetArn=self.arns["Items"])
        self.in_use(personalize.delete_solution, solutionArn=self.arns["solution"])

    def delete(self, operation: str, describe: Describe, sequence: list[str], **key: str) -> None:
        """Delete one resource and wait until it is gone."""
        getattr(self.personalize, operation)(**key)
        self.deleted(describe, QUICK, sequence)

    def clean_up(self) -> None:
        """The documented order: campaigns -> solutions -> event tracker -> filters ->
        datasets -> dataset group -> schemas."""
        personalize = self.personalize
        campaign = self.arns["campaign"]
        personalize.delete_campaign(campaignArn=campaign)
        self.in_use(personalize.delete_campaign, campaignArn=campaign)
        self.deleted(
            self.described("describe_campaign", "campaign", campaignArn=campaign), QUICK, DELETED
        )

        solution = self.arns["solution"]
        self.delete(
            "delete_solution",
            self.described("describe_solution", "solution", solutionArn=solution),
            DELETED,
            solutionArn=solution,
        )
        with pytest.raises(personalize.exceptions.ResourceNotFoundException):
            personalize.describe_solution_version(solutionVersionArn=self.arns["version"])

        tracker = self.arns["tracker"]
        self.delete(
            "delete_event_tracker",
            self.described("describe_event_tracker", "eventTracker", eventTrackerArn=tracker),
            DELETED,
            eventTrackerArn=tracker,
        )
        interactions = personalize.describe_dataset(datasetArn=self.arns["Interactions"])
        assert interactions["dataset"]["status"] == "ACTIVE"

        for key in ("exclude filter", "include filter"):
            self.delete(
                "delete_filter",
                self.described("describe_filter", "filter", filterArn=self.arns[key]),
                DELETED,
                filterArn=self.arns[key],
            )

        group = self.arns["group"]
        for kind in SCHEMAS:
            self.in_use(personalize.delete_dataset_group, datasetGroupArn=group)
            self.delete(
                "delete_dataset",
                self.described("describe_dataset", "dataset", datasetArn=self.arns[kind]),
                DELETED,
                datasetArn=self.arns[kind],
            )
        assert personalize.list_datasets(datasetGroupArn=group)["datasets"] == []

        personalize.delete_dataset_group(datasetGroupArn=group)
        self.in_use(personalize.delete_dataset_group, datasetGroupArn=group)
        self.deleted(
            self.described("describe_dataset_group", "datasetGroup", datasetGroupArn=group),
            QUICK,
            GROUP_DELETED,
        )

        for kind in SCHEMAS:
            personalize.delete_schema(schemaArn=self.arns[f"{kind} schema"])
            with pytest.raises(personalize.exceptions.ResourceNotFoundException):
                personalize.describe_schema(schemaArn=self.arns[f"{kind} schema"])
        assert personalize.list_schemas()["schemas"] == []
        assert personalize.list_dataset_groups()["datasetGroups"] == []

    def up_to_campaign(self) -> None:
        """The guide up to a deployed campaign."""
        self.check_environment()
        self.create_dataset_group()
        self.create_schemas()
        self.create_datasets()
        self.import_bulk_data()
        self.create_solution()
        self.train()
        self.deploy()

    def run(self) -> None:
        """Every step of the guide, clean-up included."""
        self.up_to_campaign()
        recommended = self.recommend()
        self.record_events(recommended)
        self.create_filters()
        self.recommend_filtered()
        self.batch_recommendations()
        self.delete_too_early()
        self.clean_up()


def fake_now(stub: Any) -> Callable[[], datetime]:
    """What time the fake believes it is (freezegun's frozen time plus any virtual sleep)."""
    return lambda: stub.clock.now()


# ---------------------------------------------------------------- end to end


def test_getting_started_end_to_end_with_settle(personalize_stub):
    pipeline = GettingStarted(Settling(personalize_stub), fake_now(personalize_stub))
    pipeline.run()


def test_getting_started_end_to_end_under_freezegun_ticks(personalize_stub):
    with freezegun.freeze_time(FROZEN_AT) as frozen:
        pipeline = GettingStarted(Ticking(frozen), fake_now(personalize_stub))
        pipeline.run()
        assert personalize_stub.clock.now() == datetime.now(timezone.utc)
        assert datetime.now(timezone.utc) > FROZEN_AT + timedelta(hours=2)


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_getting_started_end_to_end_under_freezegun_with_virtual_sleep(personalize_stub):
    assert time.sleep is not REAL_SLEEP
    wall = time.perf_counter()
    with freezegun.freeze_time(FROZEN_AT):
        pipeline = GettingStarted(Sleeping(), fake_now(personalize_stub))
        pipeline.run()
        assert datetime.now(timezone.utc) == FROZEN_AT
        assert personalize_stub.clock.now() > FROZEN_AT + timedelta(hours=2)
    assert time.perf_counter() - wall < 10


# ---------------------------------------------------------------- one documented rule each


@pytest.fixture
def pipeline(personalize_stub):
    """The getting-started pipeline, waiting with settle()."""
    return GettingStarted(Settling(personalize_stub), fake_now(personalize_stub))


def test_a_dataset_waits_for_an_active_dataset_group(pipeline):
    """Creating a dataset group: wait until it is ACTIVE before adding a dataset."""
    personalize = pipeline.personalize
    group = personalize.create_dataset_group(name=GROUP_NAME)["datasetGroupArn"]
    schema = personalize.create_schema(name="early", schema=json.dumps(SCHEMAS["Interactions"]))[
        "schemaArn"
    ]
    pipeline.in_use(
        personalize.create_dataset,
        name="early",
        schemaArn=schema,
        datasetGroupArn=group,
        datasetType="Interactions",
    )


def test_a_dataset_needs_a_schema_with_its_types_required_fields(pipeline):
    """Interactions dataset requirements: the schema must have USER_ID, ITEM_ID and TIMESTAMP;
    the Users schema lacks the last two."""
    pipeline.create_dataset_group()
    personalize = pipeline.personalize
    users = personalize.create_schema(
        name="getting-started-users-schema", schema=json.dumps(SCHEMAS["Users"])
    )["schemaArn"]
    with pytest.raises(personalize.exceptions.InvalidInputException):
        personalize.create_dataset(
            name="getting-started-interactions",
            schemaArn=users,
            datasetGroupArn=pipeline.arns["group"],
            datasetType="Interactions",
        )


def test_a_schema_field_needs_a_supported_avro_type(pipeline):
    """Schema data types: float, double, int, long, string, boolean and null only."""
    fields = [*SCHEMAS["Items"]["fields"][:2], {"name": "CREATION_TIMESTAMP", "type": "date"}]
    personalize = pipeline.personalize
    with pytest.raises(personalize.exceptions.InvalidInputException):
        personalize.create_schema(
            name="getting-started-items-schema",
            schema=json.dumps({**SCHEMAS["Items"], "fields": fields}),
        )


def test_incremental_import_needs_an_earlier_bulk_import(pipeline):
    """importMode: "If you haven't imported bulk records into the dataset previously, you can
    only specify FULL"."""
    pipeline.create_dataset_group()
    pipeline.create_schemas()
    pipeline.create_datasets()
    personalize = pipeline.personalize
    with pytest.raises(personalize.exceptions.InvalidInputException):
        personalize.create_dataset_import_job(
            jobName="first-import-incremental",
            datasetArn=pipeline.arns["Items"],
            dataSource={"dataLocation": f"{BUCKET}/items.csv"},
            roleArn=ROLE,
            importMode="INCREMENTAL",
        )


def test_a_solution_version_waits_for_an_active_solution(pipeline):
    pipeline.create_dataset_group()
    pipeline.create_schemas()
    pipeline.create_datasets()
    personalize = pipeline.personalize
    solution = personalize.create_solution(
        name="getting-started-solution",
        datasetGroupArn=pipeline.arns["group"],
        recipeArn=USER_PERSONALIZATION,
    )["solutionArn"]
    pipeline.in_use(personalize.create_solution_version, solutionArn=solution)


def test_one_event_tracker_per_dataset_group(pipeline):
    """CreateEventTracker: "Only one event tracker can be associated with a dataset group"."""
    pipeline.create_dataset_group()
    personalize = pipeline.personalize
    personalize.create_event_tracker(name="first", datasetGroupArn=pipeline.arns["group"])
    with pytest.raises(personalize.exceptions.ResourceAlreadyExistsException):
        personalize.create_event_tracker(name="second", datasetGroupArn=pipeline.arns["group"])


def test_put_events_waits_for_an_active_event_tracker(pipeline):
    """The event tracker must be ACTIVE before its tracking ID is used."""
    pipeline.create_dataset_group()
    pipeline.create_schemas()
    pipeline.create_datasets()
    tracking_id = pipeline.personalize.create_event_tracker(
        name="getting-started-tracker", datasetGroupArn=pipeline.arns["group"]
    )["trackingId"]
    with pytest.raises(pipeline.events.exceptions.InvalidInputException):
        pipeline.events.put_events(
            trackingId=tracking_id,
            userId="1",
            sessionId="s",
            eventList=[{"sentAt": pipeline.clock(), "eventType": "click", "itemId": "i"}],
        )


def test_recommendations_stay_numerous_after_recording_events(pipeline):
    """Real-time events adjust recommendations; they do not shrink the catalogue a trained
    campaign recommends from (numResults, default 25, still holds)."""
    pipeline.up_to_campaign()
    pipeline.record_events(pipeline.recommend())
    after = pipeline.runtime.get_recommendations(campaignArn=pipeline.arns["campaign"], userId="1")
    assert len(after["itemList"]) == 25


def test_exclude_filter_removes_the_items_the_user_clicked(pipeline):
    """Filtering recommendations: EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")
    excludes items that the user clicked."""
    pipeline.up_to_campaign()
    pipeline.record_events(pipeline.recommend())
    pipeline.create_filters()
    filtered = pipeline.runtime.get_recommendations(
        campaignArn=pipeline.arns["campaign"], userId="1", filterArn=pipeline.arns["exclude filter"]
    )
    recommended = {item["itemId"] for item in filtered["itemList"]}
    assert recommended.isdisjoint(pipeline.clicked)
    assert recommended


def test_include_filter_needs_a_value_for_every_placeholder(pipeline):
    """filterValues: with an INCLUDE element, values for all parameters must be provided."""
    pipeline.up_to_campaign()
    pipeline.create_filters()
    runtime = pipeline.runtime
    with pytest.raises(runtime.exceptions.InvalidInputException):
        runtime.get_recommendations(
            campaignArn=pipeline.arns["campaign"],
            userId="1",
            filterArn=pipeline.arns["include filter"],
        )


def test_a_resource_cannot_be_deleted_while_it_is_being_created(pipeline):
    """Requirements for deleting: a resource whose status is changing cannot be deleted."""
    personalize = pipeline.personalize
    group = personalize.create_dataset_group(name=GROUP_NAME)["datasetGroupArn"]
    described = personalize.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]
    assert described["status"] == "CREATE PENDING"
    pipeline.in_use(personalize.delete_dataset_group, datasetGroupArn=group)
