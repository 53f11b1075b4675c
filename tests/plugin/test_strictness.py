"""Strict by default: a failure rule that was not used up fails its test at teardown, naming
the rule (as pytest-httpx fails a test whose registered responses were never requested);
``assert_all_failures_fired=False`` (marker, ini or ``mock_personalize``) turns that off."""

from __future__ import annotations

import pytest
from support.inner import run_inner

from pytest_personalize_stub import mock_personalize

UNUSED = "*failure rule* not used up*"
TURN_OFF = "*turn this check off with assert_all_failures_fired=False*"


def test_a_marker_rule_that_never_fired_fails_the_test_at_teardown(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_fail("CreateCampaign", error="LimitExceededException")
        def test_never_creates_a_campaign(personalize_client):
            personalize_client.list_campaigns()
        """
    )
    result = run_inner(inner)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_never_creates_a_campaign*",
            "pytest-personalize-stub: 1 failure rule was not used up:",
            (
                "  personalize_fail('CreateCampaign', error='LimitExceededException') on "
                "personalize: fired 0 of 1 time"
            ),
            TURN_OFF,
        ]
    )
    assert "pytest_personalize_stub/" not in result.stdout.str()


def test_a_rule_that_fired_fewer_than_its_times_is_named_with_its_count(inner):
    inner.makepyfile(
        """
        import pytest
        from botocore.exceptions import ClientError

        def test_retries_once(personalize_stub, personalize_client):
            personalize_stub.fail("ListCampaigns", error="ThrottlingException", times=3)
            personalize_stub.fail(
                "CreateDatasetGroup", status="CREATE FAILED", reason="no", match={"name": "b"}
            )
            for _ in range(2):
                with pytest.raises(ClientError):
                    personalize_client.list_campaigns()
            personalize_client.create_dataset_group(name="a")
        """
    )
    result = run_inner(inner)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "pytest-personalize-stub: 2 failure rules were not used up:",
            (
                "  fail('ListCampaigns', error='ThrottlingException', times=3) on personalize: "
                "fired 2 of 3 times"
            ),
            (
                "  fail('CreateDatasetGroup', status='CREATE FAILED', reason='no', "
                "match={'name': 'b'}) on personalize: fired 0 of 1 time"
            ),
        ]
    )


def test_rules_used_up_pass(inner):
    inner.makepyfile(
        """
        import pytest
        from botocore.exceptions import ClientError

        @pytest.mark.personalize_fail("ListCampaigns", error="ThrottlingException", times=2)
        @pytest.mark.personalize_fail("CreateDatasetGroup", status="CREATE FAILED", reason="no")
        @pytest.mark.cleanroomsml_fail("ListAudienceModels", error="ThrottlingException")
        def test_every_rule_fires(personalize_stub, personalize_client, cleanroomsml_client):
            personalize_stub.fail("ListSolutions", error="ThrottlingException")
            for call in (personalize_client.list_campaigns, personalize_client.list_campaigns,
                         personalize_client.list_solutions, cleanroomsml_client.list_audience_models):
                with pytest.raises(ClientError):
                    call()
            personalize_client.list_campaigns()
            personalize_client.create_dataset_group(name="a")
            personalize_stub.settle()
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_a_rule_without_times_is_used_up_by_its_first_failure(inner):
    inner.makepyfile(
        """
        import pytest
        from botocore.exceptions import ClientError

        @pytest.mark.personalize_fail("ListCampaigns", error="ThrottlingException")
        def test_fails_every_time(personalize_client):
            for _ in range(3):
                with pytest.raises(ClientError):
                    personalize_client.list_campaigns()
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("marker", "ini"),
    [
        ("@pytest.mark.personalize_stub(assert_all_failures_fired=False)", ""),
        ("", "personalize_stub_assert_all_failures_fired = false"),
        (
            "@pytest.mark.personalize_stub(assert_all_failures_fired=False)",
            "personalize_stub_assert_all_failures_fired = true",
        ),
    ],
    ids=["marker", "ini", "marker-over-ini"],
)
def test_the_check_turns_off(inner, marker, ini):
    if ini:
        inner.makeini(f"[pytest]\n{ini}\n")
    inner.makepyfile(
        f"""
        import pytest

        {marker}
        @pytest.mark.personalize_fail("CreateCampaign", error="LimitExceededException")
        def test_unused_rule(personalize_stub):
            pass
        """
    )
    run_inner(inner).assert_outcomes(passed=1)


def test_the_ini_option_set_true_keeps_it_on_and_a_marker_turns_it_back_on(inner):
    inner.makeini("[pytest]\npersonalize_stub_assert_all_failures_fired = false\n")
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_stub(assert_all_failures_fired=True)
        @pytest.mark.personalize_fail("CreateCampaign", error="LimitExceededException")
        def test_unused_rule(personalize_stub):
            pass
        """
    )
    result = run_inner(inner)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([UNUSED])


def test_a_failing_test_reports_its_own_failure_only(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_fail("CreateCampaign", error="LimitExceededException")
        def test_fails_first(personalize_stub):
            assert 1 == 2
        """
    )
    result = run_inner(inner)
    result.assert_outcomes(failed=1)
    assert "not used up" not in result.stdout.str()


def test_rules_are_named_in_the_order_they_were_set_up(inner):
    inner.makepyfile(
        """
        def test_three_rules(personalize_stub):
            personalize_stub.fail("ListSolutions", error="ThrottlingException")
            personalize_stub.fail("ListCampaigns", error="ThrottlingException")
            personalize_stub.fail("ListSolutions", error="InvalidNextTokenException")
        """
    )
    result = run_inner(inner)
    result.stdout.fnmatch_lines(
        [
            "*3 failure rules were not used up:",
            "  fail('ListSolutions', error='ThrottlingException') on personalize*",
            "  fail('ListCampaigns', error='ThrottlingException') on personalize*",
            "  fail('ListSolutions', error='InvalidNextTokenException') on personalize*",
        ]
    )


def test_mock_personalize_raises_when_it_stops_with_a_rule_not_used_up():
    with (
        pytest.raises(AssertionError, match=r"fail\('CreateCampaign'.*fired 0 of 1 time"),
        mock_personalize() as stub,
    ):
        stub.fail("CreateCampaign", error="LimitExceededException")
    fake = mock_personalize()
    fake.start()
    fake.fail("CreateCampaign", error="LimitExceededException", times=2)
    with pytest.raises(AssertionError, match="fired 0 of 2 times"):
        fake.stop()
    assert fake.stub is None


def test_mock_personalize_leaves_a_block_s_own_exception_alone():
    with pytest.raises(KeyError, match="the block's own"), mock_personalize() as stub:
        stub.fail("CreateCampaign", error="LimitExceededException")
        raise KeyError("the block's own")


def test_mock_personalize_can_turn_the_check_off_and_decorators_check_too():
    with mock_personalize(assert_all_failures_fired=False) as stub:
        stub.fail("CreateCampaign", error="LimitExceededException")

    lenient = mock_personalize(assert_all_failures_fired=False)

    @lenient
    def unused_rule() -> None:
        lenient.fail("CreateCampaign", error="LimitExceededException")

    unused_rule()
    strict = mock_personalize()

    @strict
    def strict_unused_rule() -> None:
        strict.fail("CreateCampaign", error="LimitExceededException")

    with pytest.raises(AssertionError, match="not used up"):
        strict_unused_rule()
