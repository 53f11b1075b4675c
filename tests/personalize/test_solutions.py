"""Solutions and versions: UpdateSolution, StopSolutionVersionCreation, GetSolutionMetrics,
trainingMode UPDATE, and the solution, training and campaign quotas."""

from __future__ import annotations

import pytest
from support.flows import active_dataset, active_dataset_group, active_solution, trained_version

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


def test_five_active_campaigns_per_dataset_group(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = trained_version(personalize_stub, client, solution)
    for number in range(5):
        client.create_campaign(name=f"c{number}", solutionVersionArn=version)
    with pytest.raises(client.exceptions.LimitExceededException) as caught:
        client.create_campaign(name="c5", solutionVersionArn=version)
    assert caught.value.response["Error"]["Message"] == (
        "Cannot create a campaign. More than 5 resources in ACTIVE state. "
        "Please delete some and try again."
    )
    personalize_stub.settle()
    with pytest.raises(client.exceptions.LimitExceededException):
        client.create_campaign(name="c5", solutionVersionArn=version)
    client.delete_campaign(campaignArn=client.list_campaigns()["campaigns"][0]["campaignArn"])
    personalize_stub.settle()
    client.create_campaign(name="c5", solutionVersionArn=version)


@pytest.mark.personalize_stub(quotas={"active_campaigns_per_dataset_group": 1})
def test_campaign_quota_counts_per_dataset_group(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = trained_version(personalize_stub, client, solution)
    client.create_campaign(name="mine", solutionVersionArn=version)
    with pytest.raises(client.exceptions.LimitExceededException) as caught:
        client.create_campaign(name="second", solutionVersionArn=version)
    assert "More than 1 resources" in caught.value.response["Error"]["Message"]
    other = active_dataset_group(personalize_stub, client, "other-group")
    other_solution = active_solution(personalize_stub, client, other, "other-solution")
    other_version = trained_version(personalize_stub, client, other_solution)
    client.create_campaign(name="theirs", solutionVersionArn=other_version)


def test_failed_campaigns_do_not_count(personalize_stub, personalize_client, solution):
    client = personalize_client
    version = trained_version(personalize_stub, client, solution)
    personalize_stub.fail("CreateCampaign", status="CREATE FAILED", reason="Capacity", times=5)
    for number in range(5):
        client.create_campaign(name=f"broken{number}", solutionVersionArn=version)
    personalize_stub.settle()
    client.create_campaign(name="works", solutionVersionArn=version)
