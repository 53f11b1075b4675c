"""Solutions and solution versions: create, describe, list and delete; UpdateSolution,
StopSolutionVersionCreation, GetSolutionMetrics, trainingMode UPDATE, automatic training, and
the solution and training quotas."""

from __future__ import annotations

import re

import pytest
from support.flows import (
    ITEM_AFFINITY,
    ROLE,
    USER_PERSONALIZATION,
    active_dataset,
    active_dataset_group,
    active_solution,
    deployed_campaign,
    trained_version,
)
from support.schemas import INTERACTIONS_SCHEMA

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
PERSONALIZED_RANKING = "arn:aws:personalize:::recipe/aws-personalized-ranking"
NEXT_BEST_ACTION = "arn:aws:personalize:::recipe/aws-next-best-action"
HRNN_COLDSTART = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
SOLUTION_SECONDS = 60
TRAINING_SECONDS = 3600
METRICS = {
    "coverage",
    "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10",
    "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5",
    "precision_at_10",
    "precision_at_25",
}


@pytest.fixture
def group(personalize_stub, personalize_client):
    arn = active_dataset_group(personalize_stub, personalize_client, "train-group")
    active_dataset(personalize_stub, personalize_client, arn, "train-data")
    return arn


@pytest.fixture
def solution(personalize_stub, personalize_client, group):
    return active_solution(personalize_stub, personalize_client, group, "train-solution")


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def describe_solution(client, arn):
    return client.describe_solution(solutionArn=arn)["solution"]


def version_status(client, arn):
    return client.describe_solution_version(solutionVersionArn=arn)["solutionVersion"]["status"]


# ---------------------------------------------------------------- solutions


def test_solution_documented_defaults(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = personalize_client.create_solution(
        name="sol", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION
    )["solutionArn"]
    assert arn == PREFIX + "solution/sol"
    solution = personalize_client.describe_solution(solutionArn=arn)["solution"]
    assert solution["status"] == "CREATE PENDING"
    assert solution["performHPO"] is False
    assert solution["performAutoML"] is False
    assert solution["performAutoTraining"] is True
    assert solution["solutionConfig"]["autoTrainingConfig"]["schedulingExpression"] == (
        "rate(7 days)"
    )
    assert solution["recipeArn"] == USER_PERSONALIZATION
    assert solution["datasetGroupArn"] == group
    assert "latestSolutionVersion" not in solution
    personalize_stub.settle()
    assert personalize_client.describe_solution(solutionArn=arn)["solution"]["status"] == "ACTIVE"


def test_solution_keeps_a_given_training_schedule(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    arn = personalize_client.create_solution(
        name="sol",
        datasetGroupArn=group,
        recipeArn=USER_PERSONALIZATION,
        solutionConfig={"autoTrainingConfig": {"schedulingExpression": "rate(3 days)"}},
    )["solutionArn"]
    solution = personalize_client.describe_solution(solutionArn=arn)["solution"]
    assert solution["solutionConfig"]["autoTrainingConfig"]["schedulingExpression"] == (
        "rate(3 days)"
    )


def test_solution_with_unknown_recipe_is_not_found(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.create_solution(
            name="sol", datasetGroupArn=group, recipeArn="arn:aws:personalize:::recipe/aws-nope"
        )


def test_solution_needs_an_active_dataset_group(personalize_stub, personalize_client):
    group = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.create_solution(
            name="sol", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION
        )


def test_solution_name_is_unique(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    active_solution(personalize_stub, personalize_client, group, "sol")
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        active_solution(personalize_stub, personalize_client, group, "sol")


def test_describe_solution_shows_the_latest_version(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group)
    first = trained_version(personalize_stub, personalize_client, solution)
    second = personalize_client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    latest = personalize_client.describe_solution(solutionArn=solution)["solution"][
        "latestSolutionVersion"
    ]
    assert latest["solutionVersionArn"] == second != first
    assert latest["status"] == "CREATE PENDING"
    assert latest["trainingMode"] == "FULL"


def test_list_solutions_filters_by_dataset_group(personalize_stub, personalize_client):
    first = active_dataset_group(personalize_stub, personalize_client, "first")
    second = active_dataset_group(personalize_stub, personalize_client, "second")
    mine = active_solution(personalize_stub, personalize_client, first, "mine")
    theirs = active_solution(personalize_stub, personalize_client, second, "theirs")
    listed = personalize_client.list_solutions(datasetGroupArn=first)["solutions"]
    assert [s["solutionArn"] for s in listed] == [mine]
    assert listed[0]["recipeArn"] == USER_PERSONALIZATION
    assert {s["solutionArn"] for s in personalize_client.list_solutions()["solutions"]} == {
        mine,
        theirs,
    }


def test_solution_delete_blocked_while_a_version_trains(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group)
    personalize_client.create_solution_version(solutionArn=solution)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_solution(solutionArn=solution)


def test_solution_delete_blocked_while_a_campaign_deploys_it(personalize_stub, personalize_client):
    arns = deployed_campaign(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.delete_solution(solutionArn=arns["solutionArn"])


@pytest.mark.personalize_stub(durations={"solution": 100})
def test_solution_delete_walks_delete_statuses_and_takes_its_versions(
    personalize_stub, personalize_client
):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group)
    version = trained_version(personalize_stub, personalize_client, solution)
    personalize_client.delete_solution(solutionArn=solution)
    assert personalize_client.describe_solution(solutionArn=solution)["solution"]["status"] == (
        "DELETE PENDING"
    )
    personalize_stub.clock.advance(seconds=30)
    assert personalize_client.describe_solution(solutionArn=solution)["solution"]["status"] == (
        "DELETE IN_PROGRESS"
    )
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_solution(solutionArn=solution)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_solution_version(solutionVersionArn=version)
    assert personalize_client.list_solution_versions()["solutionVersions"] == []


# ---------------------------------------------------------------- solution versions


def test_solution_version_arn_defaults_and_training_hours(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group, "sol")
    arn = personalize_client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert re.fullmatch(re.escape(solution) + r"/[0-9a-f]{8}", arn)
    version = personalize_client.describe_solution_version(solutionVersionArn=arn)[
        "solutionVersion"
    ]
    assert version["status"] == "CREATE PENDING"
    assert version["trainingMode"] == "FULL"
    assert version["trainingType"] == "MANUAL"
    assert version["recipeArn"] == USER_PERSONALIZATION
    assert version["solutionArn"] == solution
    assert "trainingHours" not in version
    assert "failureReason" not in version
    personalize_stub.settle()
    trained = personalize_client.describe_solution_version(solutionVersionArn=arn)[
        "solutionVersion"
    ]
    assert trained["status"] == "ACTIVE"
    assert trained["trainingHours"] > 0


def test_failed_solution_version_has_no_training_hours(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group)
    personalize_stub.fail("CreateSolutionVersion", status="CREATE FAILED", reason="Too few users")
    arn = personalize_client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    personalize_stub.settle()
    version = personalize_client.describe_solution_version(solutionVersionArn=arn)[
        "solutionVersion"
    ]
    assert (version["status"], version["failureReason"]) == ("CREATE FAILED", "Too few users")
    assert "trainingHours" not in version


def test_solution_version_copies_the_solutions_recipe(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group, recipe=ITEM_AFFINITY)
    arn = personalize_client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    version = personalize_client.describe_solution_version(solutionVersionArn=arn)
    assert version["solutionVersion"]["recipeArn"] == ITEM_AFFINITY


def test_solution_version_needs_an_active_solution(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = personalize_client.create_solution(
        name="sol", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION
    )["solutionArn"]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.create_solution_version(solutionArn=solution)
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.create_solution_version(solutionArn=PREFIX + "solution/none")


def test_list_solution_versions_filters_newest_first(personalize_stub, personalize_client):
    group = active_dataset_group(personalize_stub, personalize_client)
    solution = active_solution(personalize_stub, personalize_client, group, "one")
    other = active_solution(personalize_stub, personalize_client, group, "two")
    first = trained_version(personalize_stub, personalize_client, solution)
    foreign = trained_version(personalize_stub, personalize_client, other)
    second = trained_version(personalize_stub, personalize_client, solution)
    listed = personalize_client.list_solution_versions(solutionArn=solution)["solutionVersions"]
    assert [v["solutionVersionArn"] for v in listed] == [second, first]
    assert {(v["trainingMode"], v["trainingType"]) for v in listed} == {("FULL", "MANUAL")}
    everything = personalize_client.list_solution_versions()["solutionVersions"]
    assert [v["solutionVersionArn"] for v in everything] == [second, foreign, first]


def test_list_solution_versions_of_unknown_solution_is_not_found(
    personalize_stub, personalize_client
):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.list_solution_versions(solutionArn=PREFIX + "solution/none")


# ---------------------------------------------------------------- UpdateSolution


def test_update_solution_walks_latest_solution_update(
    personalize_stub, personalize_client, solution
):
    client = personalize_client
    assert "latestSolutionUpdate" not in describe_solution(client, solution)
    new_events = {"eventParametersList": [{"eventType": "click", "weight": 0.4}]}
    answer = client.update_solution(
        solutionArn=solution,
        performAutoTraining=True,
        solutionUpdateConfig={
            "autoTrainingConfig": {"schedulingExpression": "rate(3 days)"},
            "eventsConfig": new_events,
        },
    )
    assert answer["solutionArn"] == solution
    pending = describe_solution(client, solution)
    update = pending["latestSolutionUpdate"]
    assert update["status"] == "CREATE PENDING"
    assert update["performAutoTraining"] is True
    assert update["solutionUpdateConfig"] == {
        "autoTrainingConfig": {"schedulingExpression": "rate(3 days)"},
        "eventsConfig": new_events,
    }
    assert pending["status"] == "ACTIVE"
    assert pending["solutionConfig"]["autoTrainingConfig"] == {
        "schedulingExpression": "rate(7 days)"
    }
    assert "eventsConfig" not in pending["solutionConfig"]

    personalize_stub.clock.advance(seconds=SOLUTION_SECONDS / 2)
    assert describe_solution(client, solution)["latestSolutionUpdate"]["status"] == (
        "CREATE IN_PROGRESS"
    )
    personalize_stub.settle()
    done = describe_solution(client, solution)
    assert done["latestSolutionUpdate"]["status"] == "ACTIVE"
    assert done["solutionConfig"]["autoTrainingConfig"] == {"schedulingExpression": "rate(3 days)"}
    assert done["solutionConfig"]["eventsConfig"] == new_events


def test_update_solution_turns_automatic_training_off_when_active(
    personalize_stub, personalize_client, solution
):
    client = personalize_client
    client.update_solution(solutionArn=solution, performAutoTraining=False)
    assert describe_solution(client, solution)["performAutoTraining"] is True
    personalize_stub.settle()
    done = describe_solution(client, solution)
    assert done["performAutoTraining"] is False
    assert done["latestSolutionUpdate"]["performAutoTraining"] is False


def test_update_solution_needs_an_active_solution(personalize_stub, personalize_client, group):
    client = personalize_client
    creating = client.create_solution(
        name="young", datasetGroupArn=group, recipeArn=PERSONALIZED_RANKING
    )["solutionArn"]
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.update_solution(solutionArn=creating, performAutoTraining=False)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_solution(solutionArn=creating + "-none", performAutoTraining=False)


def test_update_solution_refuses_while_an_update_is_pending(
    personalize_stub, personalize_client, solution
):
    client = personalize_client
    client.update_solution(solutionArn=solution, performAutoTraining=False)
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.update_solution(solutionArn=solution, performAutoTraining=True)
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.delete_solution(solutionArn=solution)
    personalize_stub.settle()
    client.update_solution(solutionArn=solution, performAutoTraining=True)


def test_update_solution_failure_leaves_the_solution_as_it_was(
    personalize_stub, personalize_client, solution
):
    client = personalize_client
    personalize_stub.fail("UpdateSolution", status="CREATE FAILED", reason="Bad schedule")
    client.update_solution(solutionArn=solution, performAutoTraining=False)
    personalize_stub.settle()
    described = describe_solution(client, solution)
    assert described["latestSolutionUpdate"]["status"] == "CREATE FAILED"
    assert described["latestSolutionUpdate"]["failureReason"] == "Bad schedule"
    assert described["performAutoTraining"] is True


def test_update_solution_rejects_a_malformed_schedule(personalize_client, solution):
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.update_solution(
            solutionArn=solution,
            solutionUpdateConfig={"autoTrainingConfig": {"schedulingExpression": "every week"}},
        )


# ---------------------------------------------------------------- StopSolutionVersionCreation


def test_stop_a_pending_version_stops_at_once(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert client.stop_solution_version_creation(solutionVersionArn=version).keys() == {
        "ResponseMetadata"
    }
    assert version_status(client, version) == "CREATE STOPPED"
    personalize_stub.settle()
    stopped = client.describe_solution_version(solutionVersionArn=version)["solutionVersion"]
    assert stopped["status"] == "CREATE STOPPED"
    assert "trainingHours" not in stopped


def test_stop_a_training_version_goes_through_stopping(
    personalize_stub, personalize_client, solution
):
    client = personalize_client
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    personalize_stub.clock.advance(seconds=TRAINING_SECONDS / 2)
    assert version_status(client, version) == "CREATE IN_PROGRESS"
    client.stop_solution_version_creation(solutionVersionArn=version)
    assert version_status(client, version) == "CREATE STOPPING"
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.delete_solution(solutionArn=solution)
    personalize_stub.clock.advance(seconds=59)
    assert version_status(client, version) == "CREATE STOPPING"
    personalize_stub.clock.advance(seconds=1)
    assert version_status(client, version) == "CREATE STOPPED"
    personalize_stub.clock.advance(seconds=TRAINING_SECONDS)
    assert version_status(client, version) == "CREATE STOPPED"
    listed = client.list_solution_versions(solutionArn=solution)["solutionVersions"]
    assert [v["status"] for v in listed] == ["CREATE STOPPED"]


@pytest.mark.parametrize("when", ["trained", "stopping", "stopped"])
def test_stop_refuses_other_statuses(personalize_stub, personalize_client, solution, when):
    client = personalize_client
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    if when == "trained":
        personalize_stub.settle()
    else:
        personalize_stub.clock.advance(seconds=TRAINING_SECONDS / 2)
        client.stop_solution_version_creation(solutionVersionArn=version)
        if when == "stopped":
            personalize_stub.settle()
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.stop_solution_version_creation(solutionVersionArn=version)


def test_stop_an_unknown_version_is_not_found(personalize_client, solution):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.stop_solution_version_creation(solutionVersionArn=solution + "/0000")


def test_a_stopped_version_cannot_be_deployed(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    client.stop_solution_version_creation(solutionVersionArn=version)
    personalize_stub.settle()
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.create_campaign(name="never", solutionVersionArn=version)


# ---------------------------------------------------------------- GetSolutionMetrics


def test_solution_metrics_of_a_trained_version(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = trained_version(personalize_stub, client, solution)
    answer = client.get_solution_metrics(solutionVersionArn=version)
    assert answer["solutionVersionArn"] == version
    metrics = answer["metrics"]
    assert set(metrics) == METRICS
    assert all(0 <= value <= 1 for value in metrics.values())
    assert client.get_solution_metrics(solutionVersionArn=version)["metrics"] == metrics
    other = trained_version(personalize_stub, client, solution)
    assert client.get_solution_metrics(solutionVersionArn=other)["metrics"] != metrics


def test_solution_metrics_need_an_active_version(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.get_solution_metrics(solutionVersionArn=version)
    personalize_stub.fail("CreateSolutionVersion", status="CREATE FAILED", reason="No data")
    failed = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    personalize_stub.settle()
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.get_solution_metrics(solutionVersionArn=failed)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_solution_metrics(solutionVersionArn=solution + "/0000")


def test_next_best_action_versions_report_average_rewards(
    personalize_stub, personalize_client, group
):
    solution = active_solution(
        personalize_stub, personalize_client, group, "actions", NEXT_BEST_ACTION
    )
    version = trained_version(personalize_stub, personalize_client, solution)
    metrics = personalize_client.get_solution_metrics(solutionVersionArn=version)["metrics"]
    assert set(metrics) == METRICS | {"average_rewards_at_k"}


# ---------------------------------------------------------------- trainingMode


def test_update_training_needs_an_active_full_version(
    personalize_stub, personalize_client, solution
):
    client = personalize_client
    with pytest.raises(client.exceptions.InvalidInputException):
        client.create_solution_version(solutionArn=solution, trainingMode="UPDATE")
    trained_version(personalize_stub, client, solution)
    update = client.create_solution_version(solutionArn=solution, trainingMode="UPDATE")[
        "solutionVersionArn"
    ]
    listed = client.list_solution_versions(solutionArn=solution)["solutionVersions"]
    assert (listed[0]["solutionVersionArn"], listed[0]["trainingMode"]) == (update, "UPDATE")


def test_update_training_only_for_user_personalization_or_hrnn_coldstart(
    personalize_stub, personalize_client, group
):
    client = personalize_client
    ranking = active_solution(personalize_stub, client, group, "ranking", PERSONALIZED_RANKING)
    trained_version(personalize_stub, client, ranking)
    with pytest.raises(client.exceptions.InvalidInputException):
        client.create_solution_version(solutionArn=ranking, trainingMode="UPDATE")
    coldstart = active_solution(personalize_stub, client, group, "coldstart", HRNN_COLDSTART)
    trained_version(personalize_stub, client, coldstart)
    client.create_solution_version(solutionArn=coldstart, trainingMode="UPDATE")


def test_update_training_does_not_count_update_versions_as_full(
    personalize_stub, personalize_client, solution
):
    client = personalize_client
    personalize_stub.fail("CreateSolutionVersion", status="CREATE FAILED", times=1)
    client.create_solution_version(solutionArn=solution)
    personalize_stub.settle()
    with pytest.raises(client.exceptions.InvalidInputException):
        client.create_solution_version(solutionArn=solution, trainingMode="UPDATE")


def test_autotrain_mode_is_reserved_for_the_service(personalize_client, solution):
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.create_solution_version(solutionArn=solution, trainingMode="AUTOTRAIN")


# ---------------------------------------------------------------- automatic training
#
# Automatic training, as the developer guide's "Configuring automatic training" describes it.
#
# By default a solution trains by itself every 7 days (``rate(N days)`` changes it). The first
# automatic training starts within an hour after the solution is ACTIVE, and is skipped if a
# version was created manually within that hour. Automatic training occurs only if bulk or
# real-time interaction data arrived since the last training.


HOUR = 3600
DAY = 86400


def group_with_interactions(stub, client, imported=True):
    """An ACTIVE dataset group with an Interactions dataset (and, if asked, one import)."""
    group = active_dataset_group(stub, client)
    schema = client.create_schema(name="interactions", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = client.create_dataset(
        name="interactions", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )["datasetArn"]
    stub.settle()
    if imported:
        import_interactions(stub, client, dataset)
    return group, dataset


def import_interactions(stub, client, dataset, name="import"):
    client.create_dataset_import_job(
        jobName=name,
        datasetArn=dataset,
        dataSource={"dataLocation": "s3://bucket/interactions.csv"},
        roleArn=ROLE,
    )
    stub.settle()


def settled_solution(stub, client, group, **options):
    """An ACTIVE User-Personalization solution of the group (automatic training unless
    ``options`` say otherwise)."""
    arn = client.create_solution(
        name="recs", datasetGroupArn=group, recipeArn=USER_PERSONALIZATION, **options
    )["solutionArn"]
    stub.settle()
    return arn


def versions(client, solution_arn):
    return client.list_solution_versions(solutionArn=solution_arn)["solutionVersions"]


def test_first_automatic_training_starts_an_hour_after_the_solution_is_active(
    personalize_stub, personalize_client
):
    group, _ = group_with_interactions(personalize_stub, personalize_client)
    arn = settled_solution(personalize_stub, personalize_client, group)
    personalize_stub.clock.advance(seconds=HOUR - 1)
    assert versions(personalize_client, arn) == []
    personalize_stub.clock.advance(seconds=1)
    [version] = versions(personalize_client, arn)
    assert (version["trainingType"], version["trainingMode"]) == ("AUTOMATIC", "AUTOTRAIN")
    assert version["status"] == "CREATE PENDING"
    personalize_stub.settle()
    assert versions(personalize_client, arn)[0]["status"] == "ACTIVE"


def test_settle_does_not_wait_for_the_schedule(personalize_stub, personalize_client):
    group, _ = group_with_interactions(personalize_stub, personalize_client)
    before = personalize_stub.clock.now()
    settled_solution(personalize_stub, personalize_client, group)
    assert (personalize_stub.settle() - before).total_seconds() < HOUR


def test_a_manual_version_within_the_hour_skips_the_first_automatic_training(
    personalize_stub, personalize_client
):
    group, _ = group_with_interactions(personalize_stub, personalize_client)
    arn = settled_solution(personalize_stub, personalize_client, group)
    personalize_client.create_solution_version(solutionArn=arn)
    personalize_stub.clock.advance(hours=2)
    assert [v["trainingType"] for v in versions(personalize_client, arn)] == ["MANUAL"]


def test_no_automatic_training_without_interaction_data(personalize_stub, personalize_client):
    group, _ = group_with_interactions(personalize_stub, personalize_client, imported=False)
    arn = settled_solution(personalize_stub, personalize_client, group)
    personalize_stub.clock.advance(days=30)
    assert versions(personalize_client, arn) == []


def test_later_runs_come_every_seven_days_only_after_new_data(personalize_stub, personalize_client):
    group, dataset = group_with_interactions(personalize_stub, personalize_client)
    arn = settled_solution(personalize_stub, personalize_client, group)
    personalize_stub.clock.advance(seconds=HOUR)
    personalize_stub.settle()
    assert len(versions(personalize_client, arn)) == 1
    personalize_stub.clock.advance(days=7)
    assert len(versions(personalize_client, arn)) == 1, "no new data, no new training"
    import_interactions(personalize_stub, personalize_client, dataset, "fresh")
    personalize_stub.clock.advance(days=7)
    assert [v["trainingType"] for v in versions(personalize_client, arn)] == [
        "AUTOMATIC",
        "AUTOMATIC",
    ]


def test_events_count_as_new_data(personalize_stub, personalize_client, personalize_events_client):
    group, _ = group_with_interactions(personalize_stub, personalize_client, imported=False)
    tracking = personalize_client.create_event_tracker(name="web", datasetGroupArn=group)[
        "trackingId"
    ]
    personalize_stub.settle()
    arn = settled_solution(personalize_stub, personalize_client, group)
    personalize_events_client.put_events(
        trackingId=tracking,
        userId="u1",
        sessionId="s1",
        eventList=[{"eventType": "click", "itemId": "i1", "sentAt": personalize_stub.clock.now()}],
    )
    personalize_stub.clock.advance(hours=1)
    assert [v["trainingType"] for v in versions(personalize_client, arn)] == ["AUTOMATIC"]


@pytest.mark.personalize_stub(durations={"solution_version": 60})
def test_the_scheduling_expression_sets_the_interval(personalize_stub, personalize_client):
    group, dataset = group_with_interactions(personalize_stub, personalize_client)
    arn = settled_solution(
        personalize_stub,
        personalize_client,
        group,
        solutionConfig={"autoTrainingConfig": {"schedulingExpression": "rate(2 days)"}},
    )
    personalize_stub.clock.advance(seconds=HOUR)
    import_interactions(personalize_stub, personalize_client, dataset, "fresh")
    personalize_stub.clock.advance(days=2)
    assert len(versions(personalize_client, arn)) == 2


def test_solutions_without_automatic_training_never_train_by_themselves(
    personalize_stub, personalize_client
):
    group, _ = group_with_interactions(personalize_stub, personalize_client)
    arn = settled_solution(personalize_stub, personalize_client, group, performAutoTraining=False)
    personalize_stub.clock.advance(days=30)
    assert versions(personalize_client, arn) == []


def test_turning_automatic_training_off_stops_it(personalize_stub, personalize_client):
    group, dataset = group_with_interactions(personalize_stub, personalize_client)
    arn = settled_solution(personalize_stub, personalize_client, group)
    personalize_client.update_solution(solutionArn=arn, performAutoTraining=False)
    personalize_stub.settle()
    import_interactions(personalize_stub, personalize_client, dataset, "fresh")
    personalize_stub.clock.advance(days=30)
    assert versions(personalize_client, arn) == []


@pytest.mark.parametrize("expression", ["rate(0 days)", "rate(31 days)"])
def test_the_interval_must_be_1_to_30_days(personalize_stub, personalize_client, expression):
    group = active_dataset_group(personalize_stub, personalize_client)
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.create_solution(
            name="recs",
            datasetGroupArn=group,
            recipeArn=USER_PERSONALIZATION,
            solutionConfig={"autoTrainingConfig": {"schedulingExpression": expression}},
        )


def test_a_latest_campaign_follows_an_automatic_version(personalize_stub, personalize_client):
    group, _ = group_with_interactions(personalize_stub, personalize_client)
    arn = settled_solution(personalize_stub, personalize_client, group)
    personalize_client.create_solution_version(solutionArn=arn)
    personalize_stub.settle()
    campaign = personalize_client.create_campaign(
        name="home",
        solutionVersionArn=f"{arn}/$LATEST",
        campaignConfig={"syncWithLatestSolutionVersion": True},
    )["campaignArn"]
    personalize_stub.settle()
    import_interactions(
        personalize_stub, personalize_client, _dataset(personalize_client, group), "fresh"
    )
    personalize_stub.clock.advance(days=7)
    personalize_stub.settle()
    automatic = versions(personalize_client, arn)[0]
    assert automatic["trainingType"] == "AUTOMATIC"
    deployed = personalize_client.describe_campaign(campaignArn=campaign)["campaign"]
    assert deployed["solutionVersionArn"] == automatic["solutionVersionArn"]


def _dataset(client, group):
    return client.list_datasets(datasetGroupArn=group)["datasets"][0]["datasetArn"]


# ---------------------------------------------------------------- quotas


def test_ten_active_solutions_per_dataset_group(personalize_stub, personalize_client, group):
    client = personalize_client
    for number in range(10):
        client.create_solution(
            name=f"s{number}", datasetGroupArn=group, recipeArn=PERSONALIZED_RANKING
        )
    with pytest.raises(client.exceptions.LimitExceededException):
        client.create_solution(name="s10", datasetGroupArn=group, recipeArn=PERSONALIZED_RANKING)
    other = active_dataset_group(personalize_stub, client, "other-group")
    client.create_solution(name="elsewhere", datasetGroupArn=other, recipeArn=PERSONALIZED_RANKING)
    personalize_stub.settle()
    first = client.list_solutions(datasetGroupArn=group)["solutions"][0]["solutionArn"]
    client.delete_solution(solutionArn=first)
    assert describe_solution(client, first)["status"] == "DELETE PENDING"
    client.create_solution(name="s10", datasetGroupArn=group, recipeArn=PERSONALIZED_RANKING)


@pytest.mark.personalize_stub(quotas={"solution_versions_in_progress": 2})
def test_solution_versions_in_progress_quota(personalize_stub, personalize_client, solution):
    client = personalize_client
    first = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    client.create_solution_version(solutionArn=solution)
    with pytest.raises(client.exceptions.LimitExceededException):
        client.create_solution_version(solutionArn=solution)
    personalize_stub.clock.advance(seconds=TRAINING_SECONDS / 2)
    client.stop_solution_version_creation(solutionVersionArn=first)
    with pytest.raises(client.exceptions.LimitExceededException):
        client.create_solution_version(solutionArn=solution)
    personalize_stub.clock.advance(seconds=60)
    client.create_solution_version(solutionArn=solution)


def test_twenty_solution_versions_train_at_once_by_default(
    personalize_stub, personalize_client, group
):
    client = personalize_client
    solutions = [
        active_solution(personalize_stub, client, group, f"sol-{n}", PERSONALIZED_RANKING)
        for n in range(2)
    ]
    for number in range(20):
        client.create_solution_version(solutionArn=solutions[number % 2])
    with pytest.raises(client.exceptions.LimitExceededException):
        client.create_solution_version(solutionArn=solutions[0])
