"""Automatic training, as the developer guide's "Configuring automatic training" describes it.

By default a solution trains by itself every 7 days (``rate(N days)`` changes it). The first
automatic training starts within an hour after the solution is ACTIVE, and is skipped if a
version was created manually within that hour. Automatic training occurs only if bulk or
real-time interaction data arrived since the last training.
"""

import pytest
from support.flows import ROLE, USER_PERSONALIZATION, active_dataset_group
from support.schemas import INTERACTIONS_SCHEMA

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


def solution(stub, client, group, **options):
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
    arn = solution(personalize_stub, personalize_client, group)
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
    solution(personalize_stub, personalize_client, group)
    assert (personalize_stub.settle() - before).total_seconds() < HOUR


def test_a_manual_version_within_the_hour_skips_the_first_automatic_training(
    personalize_stub, personalize_client
):
    group, _ = group_with_interactions(personalize_stub, personalize_client)
    arn = solution(personalize_stub, personalize_client, group)
    personalize_client.create_solution_version(solutionArn=arn)
    personalize_stub.clock.advance(hours=2)
    assert [v["trainingType"] for v in versions(personalize_client, arn)] == ["MANUAL"]


def test_no_automatic_training_without_interaction_data(personalize_stub, personalize_client):
    group, _ = group_with_interactions(personalize_stub, personalize_client, imported=False)
    arn = solution(personalize_stub, personalize_client, group)
    personalize_stub.clock.advance(days=30)
    assert versions(personalize_client, arn) == []


def test_later_runs_come_every_seven_days_only_after_new_data(personalize_stub, personalize_client):
    group, dataset = group_with_interactions(personalize_stub, personalize_client)
    arn = solution(personalize_stub, personalize_client, group)
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
    arn = solution(personalize_stub, personalize_client, group)
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
    arn = solution(
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
    arn = solution(personalize_stub, personalize_client, group, performAutoTraining=False)
    personalize_stub.clock.advance(days=30)
    assert versions(personalize_client, arn) == []


def test_turning_automatic_training_off_stops_it(personalize_stub, personalize_client):
    group, dataset = group_with_interactions(personalize_stub, personalize_client)
    arn = solution(personalize_stub, personalize_client, group)
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
    arn = solution(personalize_stub, personalize_client, group)
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
