"""``personalize_stub.build``: each documented chain in one call, made through the fake's own
operations, settled, and every resource real (described, listed, deletable, recorded)."""

from __future__ import annotations

import pytest

DESCRIBE = {
    "datasetGroupArn": ("personalize", "describe_dataset_group", "datasetGroup"),
    "schemaArn": ("personalize", "describe_schema", "schema"),
    "datasetArn": ("personalize", "describe_dataset", "dataset"),
    "datasetImportJobArn": ("personalize", "describe_dataset_import_job", "datasetImportJob"),
    "solutionArn": ("personalize", "describe_solution", "solution"),
    "solutionVersionArn": ("personalize", "describe_solution_version", "solutionVersion"),
    "campaignArn": ("personalize", "describe_campaign", "campaign"),
    "recommenderArn": ("personalize", "describe_recommender", "recommender"),
    "batchSegmentJobArn": ("personalize", "describe_batch_segment_job", "batchSegmentJob"),
    "trainingDatasetArn": ("cleanroomsml", "get_training_dataset", None),
    "audienceModelArn": ("cleanroomsml", "get_audience_model", None),
    "configuredAudienceModelArn": ("cleanroomsml", "get_configured_audience_model", None),
    "audienceGenerationJobArn": ("cleanroomsml", "get_audience_generation_job", None),
}
"""How each ARN a builder returns is described: service, operation, answer member."""

CHAINS = {
    "campaign": (
        {"minProvisionedTPS": 2},
        ["datasetGroupArn", "schemaArn", "datasetArn", "datasetImportJobArn", "solutionArn"]
        + ["solutionVersionArn", "campaignArn"],
    ),
    "solution_version": (
        {"trainingMode": "FULL"},
        ["datasetGroupArn", "schemaArn", "datasetArn", "datasetImportJobArn", "solutionArn"]
        + ["solutionVersionArn"],
    ),
    "recommender": (
        {"recommenderConfig": {"minRecommendationRequestsPerSecond": 3}},
        ["datasetGroupArn", "schemaArn", "datasetArn", "datasetImportJobArn", "recommenderArn"],
    ),
    "batch_segment_job": (
        {"numResults": 7},
        ["datasetGroupArn", "schemaArn", "datasetArn", "datasetImportJobArn", "solutionArn"]
        + ["solutionVersionArn", "batchSegmentJobArn"],
    ),
    "configured_audience_model": (
        {"minMatchingSeedSize": 1000},
        ["trainingDatasetArn", "audienceModelArn", "configuredAudienceModelArn"],
    ),
    "audience_generation_job": (
        {"includeSeedInOutput": True},
        ["trainingDatasetArn", "audienceModelArn", "configuredAudienceModelArn"]
        + ["audienceGenerationJobArn"],
    ),
}
"""Each builder: keyword arguments for its last operation, and the ARNs it names, in order."""


def described(stub, key, arn):
    service, operation, member = DESCRIBE[key]
    answer = getattr(stub.client(service), operation)(**{key: arn})
    return answer[member] if member else answer


@pytest.mark.parametrize("chain", CHAINS)
def test_each_chain_is_made_settled_and_every_resource_is_real(personalize_stub, chain):
    kwargs, keys = CHAINS[chain]
    made = getattr(personalize_stub.build, chain)(name="made", **kwargs)
    assert list(made) == keys
    for key, arn in made.items():
        resource = described(personalize_stub, key, arn)
        assert resource.get("status", "ACTIVE") == "ACTIVE", (key, resource)
    final = described(personalize_stub, keys[-1], made[keys[-1]])
    for name, value in kwargs.items():
        if isinstance(value, dict):
            assert value.items() <= final[name].items()
        else:
            assert final[name] == value
    recorded = {(call.service, call.operation) for call in personalize_stub.calls}
    assert ("personalize", "CreateDatasetGroup") in recorded or (
        "cleanroomsml",
        "CreateTrainingDataset",
    ) in recorded
    assert all(call.error is None for call in personalize_stub.calls)


def test_a_built_campaign_is_listed_deletable_and_recommends(
    personalize_stub, personalize_client, personalize_runtime_client
):
    made = personalize_stub.build.campaign(name="home")
    assert made["campaignArn"].endswith(":campaign/home")
    listed = personalize_client.list_campaigns(solutionArn=made["solutionArn"])["campaigns"]
    assert [campaign["campaignArn"] for campaign in listed] == [made["campaignArn"]]
    answer = personalize_runtime_client.get_recommendations(
        campaignArn=made["campaignArn"], userId="u1", numResults=3
    )
    assert len(answer["itemList"]) == 3
    personalize_client.delete_campaign(campaignArn=made["campaignArn"])
    personalize_stub.settle()
    assert personalize_client.list_campaigns()["campaigns"] == []


def test_builds_follow_the_configured_region_and_account(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_stub(region="eu-west-1", account_id="111122223333")
        def test_built(personalize_stub):
            made = personalize_stub.build.recommender(name="shop")
            assert made["recommenderArn"] == (
                "arn:aws:personalize:eu-west-1:111122223333:recommender/shop"
            )
        """
    )
    from support.inner import run_inner

    run_inner(inner).assert_outcomes(passed=1)
