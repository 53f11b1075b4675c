"""The failure markers (`personalize_fail`, `cleanroomsml_fail`) and `personalize_stub.fail()`.

Marker behaviour is checked in inner pytest sessions (pytester), so the markers go through
pytest's own collection and setup exactly as in a user's project.
"""

from __future__ import annotations

import botocore.session
import pytest

import pytest_personalize_stub.intercept  # noqa: F401  (loaded once, not in every inner run)
from pytest_personalize_stub.errors import UsageError

VERSION_ARN = "arn:aws:personalize:us-east-1:123456789012:solution/sol/0123456789abcdef"

from support.inner import assert_clean_setup_error, run_inner, run_marked


def documented_errors(service, operation):
    model = botocore.session.get_session().get_service_model(service)
    return [shape.name for shape in model.operation_model(operation).error_shapes]


# --- the marker forms ---------------------------------------------------------------------


def test_error_marker_makes_the_call_raise_the_modelled_exception(inner):
    inner.makepyfile(
        """
        import pytest
        from support.flows import (
            active_dataset,
            active_dataset_group,
            active_solution,
            trained_version,
        )

        @pytest.mark.personalize_fail("CreateCampaign", error="LimitExceededException")
        def test_create_campaign_raises(personalize_stub, personalize_client):
            group = active_dataset_group(personalize_stub, personalize_client)
            active_dataset(personalize_stub, personalize_client, group)
            solution = active_solution(personalize_stub, personalize_client, group)
            version = trained_version(personalize_stub, personalize_client, solution)
            for _ in range(3):
                with pytest.raises(personalize_client.exceptions.LimitExceededException) as caught:
                    personalize_client.create_campaign(name="c", solutionVersionArn=version)
                assert caught.value.response["Error"]["Code"] == "LimitExceededException"
                assert caught.value.operation_name == "CreateCampaign"
            assert personalize_client.list_campaigns()["campaigns"] == []
            # other operations are untouched
            assert personalize_client.describe_solution_version(
                solutionVersionArn=version
            )["solutionVersion"]["status"] == "ACTIVE"
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_times_marker_fails_that_many_calls_then_answers_normally(inner):
    inner.makepyfile(
        """
        import pytest
        from botocore.exceptions import ClientError
        from support.flows import deployed_campaign

        @pytest.mark.personalize_fail("DescribeCampaign", error="ThrottlingException", times=2)
        def test_two_failures_then_normal(personalize_stub, personalize_client):
            arn = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
            for _ in range(2):
                with pytest.raises(ClientError) as caught:
                    personalize_client.describe_campaign(campaignArn=arn)
                assert caught.value.response["Error"]["Code"] == "ThrottlingException"
            for _ in range(2):
                campaign = personalize_client.describe_campaign(campaignArn=arn)["campaign"]
                assert campaign["status"] == "ACTIVE"
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_status_marker_ends_the_solution_version_failed_after_its_normal_time(inner):
    inner.makepyfile(
        """
        import pytest
        from support.flows import active_dataset, active_dataset_group, active_solution

        @pytest.mark.personalize_stub(durations={"solution_version": 100})
        @pytest.mark.personalize_fail(
            "CreateSolutionVersion", status="CREATE FAILED", reason="Not enough interactions"
        )
        def test_version_fails(personalize_stub, personalize_client):
            group = active_dataset_group(personalize_stub, personalize_client)
            active_dataset(personalize_stub, personalize_client, group)
            solution = active_solution(personalize_stub, personalize_client, group)
            arn = personalize_client.create_solution_version(solutionArn=solution)[
                "solutionVersionArn"
            ]

            def version():
                return personalize_client.describe_solution_version(solutionVersionArn=arn)[
                    "solutionVersion"
                ]

            assert version()["status"] == "CREATE PENDING"
            personalize_stub.clock.advance(seconds=50)
            assert version()["status"] == "CREATE IN_PROGRESS"
            assert "failureReason" not in version()
            personalize_stub.clock.advance(seconds=49)
            assert version()["status"] == "CREATE IN_PROGRESS"
            personalize_stub.clock.advance(seconds=1)
            failed = version()
            assert failed["status"] == "CREATE FAILED"
            assert failed["failureReason"] == "Not enough interactions"
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_cleanroomsml_status_marker_ends_the_job_failed_with_status_details(inner):
    inner.makepyfile(
        """
        import pytest
        from support.cleanroomsml_flows import SEED, configured_audience_model

        @pytest.mark.personalize_stub(durations={"audience_generation_job": 60})
        @pytest.mark.cleanroomsml_fail(
            "StartAudienceGenerationJob", status="CREATE_FAILED", reason="Seed too small"
        )
        def test_job_fails(personalize_stub, cleanroomsml_client):
            cam = configured_audience_model(personalize_stub, cleanroomsml_client)
            arn = cleanroomsml_client.start_audience_generation_job(
                name="job",
                configuredAudienceModelArn=cam["configuredAudienceModelArn"],
                seedAudience=SEED,
            )["audienceGenerationJobArn"]

            def job():
                return cleanroomsml_client.get_audience_generation_job(
                    audienceGenerationJobArn=arn
                )

            assert job()["status"] == "CREATE_PENDING"
            personalize_stub.clock.advance(seconds=59)
            assert job()["status"] == "CREATE_IN_PROGRESS"
            personalize_stub.clock.advance(seconds=1)
            failed = job()
            assert failed["status"] == "CREATE_FAILED"
            assert failed["statusDetails"]["message"] == "Seed too small"
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_match_marker_fails_only_calls_with_those_parameters(inner):
    inner.makepyfile(
        """
        import pytest
        from support.flows import deployed_campaign

        @pytest.mark.personalize_fail(
            "CreateCampaign", error="ResourceInUseException", match={"name": "blue"}
        )
        def test_only_blue_fails(personalize_stub, personalize_client):
            arns = deployed_campaign(personalize_stub, personalize_client, name="green")
            version = arns["solutionVersionArn"]
            with pytest.raises(personalize_client.exceptions.ResourceInUseException):
                personalize_client.create_campaign(name="blue", solutionVersionArn=version)
            created = personalize_client.create_campaign(name="teal", solutionVersionArn=version)
            assert created["campaignArn"].endswith(":campaign/teal")
            names = {c["name"] for c in personalize_client.list_campaigns()["campaigns"]}
            assert names == {"green", "teal"}
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_snake_case_operation_name_is_accepted(inner):
    inner.makepyfile(
        """
        import pytest

        VERSION = "arn:aws:personalize:us-east-1:123456789012:solution/s/0123456789abcdef"

        @pytest.mark.personalize_fail("create_campaign", error="LimitExceededException")
        def test_snake(personalize_stub, personalize_client):
            with pytest.raises(personalize_client.exceptions.LimitExceededException):
                personalize_client.create_campaign(name="c", solutionVersionArn=VERSION)
            assert personalize_stub.calls[-1].operation == "CreateCampaign"

        @pytest.mark.cleanroomsml_fail("get_audience_model", error="AccessDeniedException")
        def test_snake_cleanroomsml(cleanroomsml_client):
            arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/" + "a" * 36
            with pytest.raises(cleanroomsml_client.exceptions.AccessDeniedException):
                cleanroomsml_client.get_audience_model(audienceModelArn=arn)
        """
    )
    run_inner(inner).assert_outcomes(passed=2)


def test_personalize_fail_reaches_runtime_operations(inner):
    inner.makepyfile(
        """
        import pytest
        from botocore.exceptions import ClientError
        from support.flows import deployed_campaign

        @pytest.mark.personalize_fail("GetRecommendations", error="ThrottlingException", times=1)
        def test_runtime(personalize_stub, personalize_client, personalize_runtime_client):
            arn = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
            with pytest.raises(ClientError) as caught:
                personalize_runtime_client.get_recommendations(campaignArn=arn, userId="u1")
            assert caught.value.response["Error"]["Code"] == "ThrottlingException"
            assert caught.value.operation_name == "GetRecommendations"
            items = personalize_runtime_client.get_recommendations(campaignArn=arn, userId="u1")
            assert items["itemList"]
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


@pytest.mark.parametrize(
    "code", ["ThrottlingException", "InternalServerError", "ServiceUnavailable"]
)
def test_common_error_codes_are_allowed_on_any_operation(inner, code):
    inner.makepyfile(
        f"""
        import pytest
        from botocore.exceptions import ClientError

        CODE = {code!r}
        MODEL = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/" + "a" * 36
        CAMPAIGN = "arn:aws:personalize:us-east-1:123456789012:campaign/c"

        def raised(call, **params):
            with pytest.raises(ClientError) as caught:
                call(**params)
            return caught.value.response["Error"]["Code"]

        @pytest.mark.personalize_fail("DescribeDatasetGroup", error=CODE)
        def test_control_plane(personalize_client):
            group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
            assert raised(personalize_client.describe_dataset_group, datasetGroupArn=group) == CODE

        @pytest.mark.personalize_fail("GetRecommendations", error=CODE)
        def test_runtime(personalize_runtime_client):
            call = personalize_runtime_client.get_recommendations
            assert raised(call, campaignArn=CAMPAIGN, userId="u") == CODE

        @pytest.mark.personalize_fail("PutEvents", error=CODE)
        def test_events(personalize_events_client):
            import datetime
            event = {{"eventType": "click", "sentAt": datetime.datetime(2024, 1, 1)}}
            call = personalize_events_client.put_events
            assert raised(call, trackingId="t", sessionId="s", eventList=[event]) == CODE

        @pytest.mark.cleanroomsml_fail("GetAudienceModel", error=CODE)
        def test_cleanroomsml(cleanroomsml_client):
            assert raised(cleanroomsml_client.get_audience_model, audienceModelArn=MODEL) == CODE
        """
    )
    run_inner(inner).assert_outcomes(passed=4)


def test_modelled_common_errors_are_catchable_through_client_exceptions(inner):
    """Clean Rooms ML models ThrottlingException, so it is catchable as that class."""
    inner.makepyfile(
        """
        import pytest

        MODEL = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/" + "a" * 36

        @pytest.mark.cleanroomsml_fail("StartAudienceGenerationJob", error="ThrottlingException")
        def test_throttled(cleanroomsml_client):
            seed = {"dataSource": {"s3Uri": "s3://b/seed"},
                    "roleArn": "arn:aws:iam::123456789012:role/R"}
            cam = "arn:aws:cleanrooms-ml:us-east-1:123456789012:configured-audience-model/" + "b" * 36
            with pytest.raises(cleanroomsml_client.exceptions.ThrottlingException):
                cleanroomsml_client.start_audience_generation_job(
                    name="j", configuredAudienceModelArn=cam, seedAudience=seed
                )
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_several_markers_on_one_test_all_apply(inner):
    inner.makepyfile(
        """
        import pytest
        from botocore.exceptions import ClientError

        @pytest.mark.personalize_fail("ListCampaigns", error="ThrottlingException", times=1)
        @pytest.mark.personalize_fail("ListSolutions", error="InternalServerError", times=1)
        def test_both(personalize_client):
            with pytest.raises(ClientError, match="ThrottlingException"):
                personalize_client.list_campaigns()
            with pytest.raises(ClientError, match="InternalServerError"):
                personalize_client.list_solutions()
            assert personalize_client.list_campaigns()["campaigns"] == []
            assert personalize_client.list_solutions()["solutions"] == []
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_markers_work_with_only_a_client_fixture(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_fail("ListDatasetGroups", error="ThrottlingException")
        def test_client_only(personalize_client):
            with pytest.raises(personalize_client.exceptions.ClientError) as caught:
                personalize_client.list_dataset_groups()
            assert caught.value.response["Error"]["Code"] == "ThrottlingException"
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_markers_activate_the_fake_when_no_fixture_is_requested(inner):
    inner.makepyfile(
        """
        import boto3
        import pytest

        def code_under_test():
            client = boto3.client("personalize", region_name="us-east-1")
            return client.list_dataset_groups()

        @pytest.mark.personalize_fail("ListDatasetGroups", error="ThrottlingException", times=1)
        def test_autouse():
            from botocore.exceptions import ClientError
            with pytest.raises(ClientError) as caught:
                code_under_test()
            assert caught.value.response["Error"]["Code"] == "ThrottlingException"
            assert code_under_test()["datasetGroups"] == []

        @pytest.mark.cleanroomsml_fail("ListAudienceModels", error="ThrottlingException")
        def test_autouse_cleanroomsml():
            client = boto3.client("cleanroomsml", region_name="us-east-1")
            with pytest.raises(client.exceptions.ThrottlingException):
                client.list_audience_models()

        @pytest.mark.personalize_stub(region="eu-west-1")
        def test_autouse_config_marker():
            client = boto3.client("personalize", region_name="eu-west-1")
            arn = client.create_dataset_group(name="g")["datasetGroupArn"]
            assert arn == "arn:aws:personalize:eu-west-1:123456789012:dataset-group/g"
        """
    )
    run_inner(inner).assert_outcomes(passed=3)


def test_the_fixture_serves_its_own_test_after_a_session_run_inside_it(inner, request):
    """The fixture reads the markers of the test being run: a pytest session run inside a
    test (pytester, in-process) runs tests of its own, and once it ends, the fixture asked
    for by the outer test is that test's, with that test's markers."""
    from pytest_personalize_stub.activation import current

    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_stub(region="ap-south-1")
        def test_inner(personalize_stub):
            assert personalize_stub.config.region == "ap-south-1"
        """
    )
    run_inner(inner).assert_outcomes(passed=1)
    stub = request.getfixturevalue("personalize_stub")
    assert current().owner == request.node.nodeid
    assert stub.config.region == "us-east-1"


# --- fail() at run time -------------------------------------------------------------------


def test_fail_makes_later_calls_raise(personalize_stub, personalize_client):
    personalize_stub.fail("CreateDatasetGroup", error="LimitExceededException", times=1)
    with pytest.raises(personalize_client.exceptions.LimitExceededException):
        personalize_client.create_dataset_group(name="g")
    arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
    assert arn.endswith(":dataset-group/g")


def test_fail_with_snake_case_and_match(personalize_stub, personalize_client):
    personalize_stub.fail(
        "create_dataset_group", error="ResourceAlreadyExistsException", match={"name": "blue"}
    )
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        personalize_client.create_dataset_group(name="blue")
    with pytest.raises(personalize_client.exceptions.ResourceAlreadyExistsException):
        personalize_client.create_dataset_group(name="blue")
    personalize_client.create_dataset_group(name="green")
    names = [g["name"] for g in personalize_client.list_dataset_groups()["datasetGroups"]]
    assert names == ["green"]


def test_fail_reaches_runtime_operations(personalize_stub, personalize_runtime_client):
    personalize_stub.fail("GetRecommendations", error="ServiceUnavailable")
    campaign = "arn:aws:personalize:us-east-1:123456789012:campaign/c"
    with pytest.raises(personalize_runtime_client.exceptions.ClientError) as caught:
        personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u")
    assert caught.value.response["Error"]["Code"] == "ServiceUnavailable"


def test_fail_with_status_ends_the_solution_version_failed(personalize_stub, personalize_client):
    from support.flows import active_dataset, active_dataset_group, active_solution

    group = active_dataset_group(personalize_stub, personalize_client)
    active_dataset(personalize_stub, personalize_client, group)
    solution = active_solution(personalize_stub, personalize_client, group)
    personalize_stub.fail("CreateSolutionVersion", status="CREATE FAILED", reason="Too few users")
    arn = personalize_client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    personalize_stub.settle()
    version = personalize_client.describe_solution_version(solutionVersionArn=arn)[
        "solutionVersion"
    ]
    assert version["status"] == "CREATE FAILED"
    assert version["failureReason"] == "Too few users"


def test_fail_on_cleanroomsml(personalize_stub, cleanroomsml_client):
    from support.cleanroomsml_flows import SEED, configured_audience_model

    cam = configured_audience_model(personalize_stub, cleanroomsml_client)
    personalize_stub.fail(
        "StartAudienceGenerationJob",
        service="cleanroomsml",
        status="CREATE_FAILED",
        reason="Seed too small",
    )
    arn = cleanroomsml_client.start_audience_generation_job(
        name="job", configuredAudienceModelArn=cam["configuredAudienceModelArn"], seedAudience=SEED
    )["audienceGenerationJobArn"]
    personalize_stub.settle()
    job = cleanroomsml_client.get_audience_generation_job(audienceGenerationJobArn=arn)
    assert job["status"] == "CREATE_FAILED"
    assert job["statusDetails"]["message"] == "Seed too small"


def test_fail_on_cleanroomsml_with_error(personalize_stub, cleanroomsml_client):
    personalize_stub.fail(
        "ListTrainingDatasets", service="cleanroomsml", error="AccessDeniedException", times=1
    )
    with pytest.raises(cleanroomsml_client.exceptions.AccessDeniedException):
        cleanroomsml_client.list_training_datasets()
    assert cleanroomsml_client.list_training_datasets()["trainingDatasets"] == []


# --- bad marker arguments -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "pattern"),
    [
        pytest.param(
            'personalize_fail("CreateCampain", error="ThrottlingException")',
            "*unknown operation 'CreateCampain'*did you mean*CreateCampaign*",
            id="unknown-operation-with-a-hint",
        ),
        # cleanroomsml_fail looks the operation up in Clean Rooms ML only.
        pytest.param(
            'cleanroomsml_fail("CreateCampaign", error="ThrottlingException")',
            "*unknown operation 'CreateCampaign'*",
            id="operation-of-the-other-service",
        ),
        pytest.param(
            'personalize_fail("DescribeCampaign", status="CREATE FAILED", reason="x")',
            "*DescribeCampaign*status=*CreateSolutionVersion*",
            id="status-on-an-operation-that-starts-nothing",
        ),
        pytest.param(
            'personalize_fail("CreateSolutionVersion", status="FAILED", reason="x")',
            "*CreateSolutionVersion*'CREATE FAILED'*'FAILED'*",
            id="wrong-failed-status",
        ),
        # Clean Rooms ML spells it CREATE_FAILED, Personalize CREATE FAILED.
        pytest.param(
            'cleanroomsml_fail("StartAudienceGenerationJob", status="CREATE FAILED")',
            "*StartAudienceGenerationJob*'CREATE_FAILED'*",
            id="cleanroomsml-wrong-failed-status",
        ),
        pytest.param(
            'personalize_fail("CreateSolutionVersion", error="ThrottlingException", '
            'status="CREATE FAILED")',
            "*either error= or status=*",
            id="error-together-with-status",
        ),
        pytest.param(
            'personalize_fail("CreateCampaign", error="ThrottlingException", match="blue")',
            "*match= must be a dict*'blue'*",
            id="match-not-a-dict",
        ),
        pytest.param(
            'personalize_fail("CreateCampaign", error="ThrottlingException", match={1: 2})',
            "*match= must be a dict of parameter names*{1: 2}*",
            id="match-keys-not-names",
        ),
        pytest.param(
            'personalize_fail("CreateCampaign", error="ThrottlingException", match={"nmae": "blue"})',
            "*CreateCampaign*nmae*solutionVersionArn*",
            id="match-unknown-parameter-names",
        ),
        pytest.param(
            'personalize_fail("CreateCampaign")',
            "*error=*status=*",
            id="neither-error-nor-status",
        ),
        pytest.param(
            'personalize_fail("CreateCampaign", error="ThrottlingException", tmes=2)',
            "*unknown argument*tmes*allowed*times*",
            id="unknown-keyword",
        ),
        pytest.param(
            'personalize_fail(error="ThrottlingException")',
            "*operation*CreateCampaign*",
            id="missing-operation",
        ),
    ],
)
def test_a_bad_marker_argument_is_a_clean_setup_error(inner, marker, pattern):
    result = run_marked(inner, marker)
    assert_clean_setup_error(result, pattern)


def test_unknown_operation_is_an_error_without_the_fixture(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_fail("DescribeCampain", error="ThrottlingException")
        def test_marked():
            pass
        """
    )
    result = run_inner(inner)
    assert_clean_setup_error(result, "*unknown operation 'DescribeCampain'*DescribeCampaign*")


def test_unknown_error_code_lists_the_allowed_codes(inner):
    result = run_marked(inner, 'personalize_fail("CreateCampaign", error="NoSuchBucket")')
    assert_clean_setup_error(result, "*CreateCampaign*'NoSuchBucket'*")
    message = next(line for line in result.stdout.lines if "NoSuchBucket" in line)
    allowed = documented_errors("personalize", "CreateCampaign") + [
        "ThrottlingException",
        "InternalServerError",
        "ServiceUnavailable",
    ]
    for code in allowed:
        assert code in message


def test_error_code_of_another_operation_is_refused(inner):
    """TooManyTagsException is documented for CreateCampaign but not for DescribeCampaign."""
    assert "TooManyTagsException" not in documented_errors("personalize", "DescribeCampaign")
    result = run_marked(inner, 'personalize_fail("DescribeCampaign", error="TooManyTagsException")')
    assert_clean_setup_error(
        result, "*DescribeCampaign*'TooManyTagsException'*ResourceNotFoundException*"
    )


@pytest.mark.parametrize("times", ["0", "-1", '"2"', "1.5", "True"])
def test_times_must_be_a_positive_whole_number(inner, times):
    result = run_marked(
        inner, f'personalize_fail("DescribeCampaign", error="ThrottlingException", times={times})'
    )
    assert_clean_setup_error(result, "*times=*at least 1*")


def test_a_bad_marker_fails_only_its_own_test(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_fail("CreateCampain", error="ThrottlingException")
        def test_bad(personalize_client):
            pass

        def test_good(personalize_client):
            assert personalize_client.list_campaigns()["campaigns"] == []
        """
    )
    result = run_inner(inner)
    result.assert_outcomes(passed=1, errors=1)


# --- fail() misuse ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"operation": "CreateCampain", "error": "ThrottlingException"}, "CreateCampaign"),
        ({"operation": "CreateCampaign", "error": "NoSuchBucket"}, "LimitExceededException"),
        ({"operation": "CreateCampaign", "error": "ThrottlingException", "times": 0}, "times"),
        ({"operation": "DescribeCampaign", "status": "CREATE FAILED"}, "DescribeCampaign"),
        ({"operation": "CreateSolutionVersion", "status": "FAILED"}, "CREATE FAILED"),
        ({"operation": "CreateCampaign"}, "error="),
        (
            {"operation": "CreateCampaign", "error": "ThrottlingException", "match": {"x": 1}},
            "solutionVersionArn",
        ),
        (
            {"operation": "CreateCampaign", "error": "ThrottlingException", "service": "s3"},
            "cleanroomsml",
        ),
        (
            {"operation": "StartAudienceGenerationJob", "error": "ThrottlingException"},
            "StartAudienceGenerationJob",
        ),
    ],
)
def test_fail_misuse_raises_usage_error(personalize_stub, personalize_client, arguments, message):
    arguments = dict(arguments)
    operation = arguments.pop("operation")
    with pytest.raises(UsageError, match=message) as caught:
        personalize_stub.fail(operation, **arguments)
    assert isinstance(caught.value, ValueError)
    # nothing half-registered: calls answer normally
    assert personalize_client.list_campaigns()["campaigns"] == []
