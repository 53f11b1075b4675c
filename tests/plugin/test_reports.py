"""Failures that explain themselves: the ``personalize-stub calls`` report section, the calls'
repr, tracebacks without the plugin's frames, and the notes on errors about a resource's
status (AWS's own message left as it is)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from support.inner import run_inner

from pytest_personalize_stub.pipeline import Call

SECTION = "*- personalize-stub calls -*"


def test_a_failed_test_that_used_the_fake_lists_its_calls(inner):
    inner.makepyfile(
        """
        def test_deploys(personalize_client):
            personalize_client.create_dataset_group(name="shop")
            personalize_client.describe_campaign(
                campaignArn="arn:aws:personalize:us-east-1:123456789012:campaign/none"
            )
        """
    )
    result = run_inner(inner)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            SECTION,
            "1. <Call personalize.CreateDatasetGroup(name='shop') -> ok>",
            (
                "2. <Call personalize.DescribeCampaign(campaignArn='arn:aws:personalize:us-east-1:"
                "123456789012:campaign/none') -> ResourceNotFoundException>"
            ),
        ]
    )


def test_the_section_says_when_no_call_was_made(inner):
    inner.makepyfile(
        """
        def test_forgets_to_call(personalize_stub):
            assert personalize_stub.calls
        """
    )
    result = run_inner(inner)
    result.stdout.fnmatch_lines([SECTION, "no calls were made to the fake"])


def test_passing_tests_and_tests_without_the_fake_have_no_section(inner):
    inner.makepyfile(
        """
        def test_passes(personalize_client):
            personalize_client.list_campaigns()

        def test_fails_without_the_fake():
            assert 1 == 2
        """
    )
    result = run_inner(inner, "-rA")
    result.assert_outcomes(passed=1, failed=1)
    assert "personalize-stub calls" not in result.stdout.str()


def test_the_section_also_follows_a_teardown_failure(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_fail("CreateCampaign", error="LimitExceededException")
        def test_unused_rule(personalize_client):
            personalize_client.list_solutions()
        """
    )
    result = run_inner(inner)
    result.stdout.fnmatch_lines(
        ["*not used up*", SECTION, "1. <Call personalize.ListSolutions() -> ok>"]
    )


def test_the_section_travels_with_a_report_from_an_xdist_worker(inner):
    """The section is added as the report is logged, before the worker sends it on: the
    controller's summary shows it."""
    inner.makepyfile(
        """
        def test_deploys(personalize_client):
            personalize_client.create_dataset_group(name="shop")
            assert False
        """
    )
    result = run_inner(inner, "-n", "1")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [SECTION, "1. <Call personalize.CreateDatasetGroup(name='shop') -> ok>"]
    )


def test_a_calls_repr_shows_its_parameters_shortened_and_its_outcome():
    schema = '{"type": "record", "fields": [' + ", ".join(["{}"] * 500) + "]}"
    call = Call("personalize", "CreateSchema", {"name": "events", "schema": schema})
    shown = repr(call)
    assert shown.startswith("<Call personalize.CreateSchema(name='events', schema='{\"type\"")
    assert "..." in shown
    assert len(shown) < 200
    assert shown.endswith(" -> unanswered>")
    nested = Call("personalize", "TagResource", {"tags": [{"tagKey": str(n)} for n in range(9)]})
    assert "..." in repr(nested)


def test_a_recorded_error_shows_its_code_and_other_exceptions_their_type(
    personalize_stub, personalize_client
):
    with pytest.raises(ClientError):
        personalize_client.describe_solution(
            solutionArn="arn:aws:personalize:us-east-1:123456789012:solution/none"
        )
    with pytest.raises(Exception, match="Parameter validation failed"):
        personalize_client.create_dataset_group(name=5)
    personalize_client.list_campaigns()
    assert [call.outcome for call in personalize_stub.calls] == [
        "ResourceNotFoundException",
        "ParamValidationError",
        "ok",
    ]
    assert repr(personalize_stub.calls[1]) == (
        "<Call personalize.CreateDatasetGroup(name=5) -> ParamValidationError>"
    )


@pytest.mark.parametrize(
    "failing_call",
    [
        (
            'personalize_client.describe_campaign(campaignArn="arn:aws:personalize:us-east-1:'
            '123456789012:campaign/none")'
        ),
        "personalize_client.create_dataset_group(name=5)",
    ],
    ids=["service-error", "client-side-validation"],
)
def test_tracebacks_show_no_frame_of_the_plugin(inner, failing_call):
    inner.makepyfile(
        f"""
        def test_calls(personalize_client):
            {failing_call}
        """
    )
    result = run_inner(inner, "--tb=long")
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "test_calls" in output
    assert "pytest_personalize_stub/" not in output
    assert "contextlib" not in output


def test_an_async_clients_traceback_shows_no_frame_of_the_plugin(inner):
    pytest.importorskip("aiobotocore", reason="aiobotocore is not installed (async extra)")
    inner.makepyfile(
        """
        import asyncio

        from aiobotocore.session import get_session

        def test_calls(personalize_stub):
            async def main():
                async with get_session().create_client(
                    "personalize", region_name="us-east-1"
                ) as client:
                    await client.describe_campaign(
                        campaignArn="arn:aws:personalize:us-east-1:123456789012:campaign/none"
                    )

            asyncio.run(main())
        """
    )
    result = run_inner(inner, "--tb=long")
    result.assert_outcomes(failed=1)
    assert "ResourceNotFoundException" in result.stdout.str()
    assert "pytest_personalize_stub/" not in result.stdout.str()


def deploying(personalize_stub, personalize_client):
    """A campaign just created (CREATE PENDING) on a trained solution version."""
    arns = personalize_stub.build.solution_version()
    arns["campaignArn"] = personalize_client.create_campaign(
        name="deploying", solutionVersionArn=arns["solutionVersionArn"]
    )["campaignArn"]
    return arns


def test_a_not_found_for_a_campaign_not_yet_active_carries_a_note(
    personalize_stub, personalize_client, personalize_runtime_client
):
    """GetRecommendations answers for an active campaign only; AWS's message says no more than
    that the resource does not exist (https://docs.aws.amazon.com/personalize/latest/dg/API_RS_GetRecommendations.html
    lists ResourceNotFoundException: "The specified resource does not exist")."""
    campaign = deploying(personalize_stub, personalize_client)["campaignArn"]
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException) as raised:
        personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u")
    message = raised.value.response["Error"]["Message"]
    assert message == f"Resource Arn {campaign} does not exist."
    [note] = raised.value.__notes__
    assert note.startswith(
        f"pytest-personalize-stub: the account holds the campaign {campaign} in status "
        "CREATE PENDING (this call needs ACTIVE) until "
    )
    assert "then ACTIVE" in note
    assert "personalize_stub.settle()" in note
    personalize_stub.settle()
    personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u")


def test_a_not_found_for_an_arn_the_account_does_not_know_has_no_note(
    personalize_runtime_client,
):
    with pytest.raises(ClientError) as raised:
        personalize_runtime_client.get_recommendations(
            campaignArn="arn:aws:personalize:us-east-1:123456789012:campaign/none", userId="u"
        )
    assert not hasattr(raised.value, "__notes__")


def test_a_refusal_for_a_resource_in_transit_says_when_it_arrives(
    personalize_stub, personalize_client
):
    arns = personalize_stub.build.solution_version()
    version = personalize_client.create_solution_version(solutionArn=arns["solutionArn"])[
        "solutionVersionArn"
    ]
    with pytest.raises(personalize_client.exceptions.ResourceInUseException) as raised:
        personalize_client.create_campaign(name="early", solutionVersionArn=version)
    [note] = raised.value.__notes__
    assert f"the solution version {version} in status CREATE PENDING" in note
    assert "personalize_stub.clock.advance(seconds=" in note
    seconds = int(note.split("clock.advance(seconds=")[1].split(")")[0])
    personalize_stub.clock.advance(seconds=seconds)
    personalize_client.create_campaign(name="early", solutionVersionArn=version)


def test_a_refusal_for_a_resource_that_will_not_change_says_so(
    personalize_stub, personalize_client
):
    arns = personalize_stub.build.solution_version()
    personalize_stub.fail("CreateSolutionVersion", status="CREATE FAILED", reason="bad data")
    version = personalize_client.create_solution_version(solutionArn=arns["solutionArn"])[
        "solutionVersionArn"
    ]
    personalize_stub.settle()
    with pytest.raises(ClientError) as raised:
        personalize_client.create_campaign(name="never", solutionVersionArn=version)
    [note] = raised.value.__notes__
    assert "in status CREATE FAILED (this call needs ACTIVE); it will not change by itself" in note


def test_pytest_shows_the_note_under_the_error(inner):
    inner.makepyfile(
        """
        def test_too_early(personalize_stub, personalize_client, personalize_runtime_client):
            arns = personalize_stub.build.solution_version()
            campaign = personalize_client.create_campaign(
                name="c", solutionVersionArn=arns["solutionVersionArn"]
            )["campaignArn"]
            personalize_runtime_client.get_recommendations(campaignArn=campaign, userId="u")
        """
    )
    result = run_inner(inner)
    result.stdout.fnmatch_lines(
        ["*ResourceNotFoundException*does not exist*", "*CREATE PENDING (this call needs ACTIVE)*"]
    )


@pytest.mark.personalize_stub(wire=True)
def test_over_the_wire_the_note_travels_in_a_header(personalize_stub, personalize_client):
    arns = personalize_stub.build.solution_version()
    version = personalize_client.create_solution_version(solutionArn=arns["solutionArn"])[
        "solutionVersionArn"
    ]
    with pytest.raises(ClientError) as raised:
        personalize_client.create_campaign(name="early", solutionVersionArn=version)
    headers = raised.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert "in status CREATE PENDING" in headers["x-personalize-stub-note"]


def test_set_recommendations_refuses_an_arn_that_is_no_campaign_or_recommender(
    personalize_stub,
):
    from pytest_personalize_stub.errors import UsageError

    group = personalize_stub.build.solution_version()["datasetGroupArn"]
    with pytest.raises(UsageError, match="is no campaign or recommender of this fake account"):
        personalize_stub.set_recommendations(group, ["a"])
