"""Isolation between tests: nothing the fake changed (botocore, environment, boto3's default
session, sleep, threads, clients) outlives its test, whatever the fixture order, under xdist
too; and a Stubber on a fixture client.

Most of it runs in inner pytest sessions (pytester), as it would in a user's project.
"""

from __future__ import annotations

import os

import pytest
from support.inner import run_inner

import pytest_personalize_stub.intercept  # noqa: F401  (loaded once, not in every inner run)

# --- isolation ----------------------------------------------------------------------------


def test_boto3_default_session_does_not_keep_the_dummy_credentials(
    inner, bare_aws_environment, tmp_path, monkeypatch
):
    """Code under test makes boto3's default session while the fake's dummy credentials are
    in the environment; a later test without the fake signs with the user's own ones, both
    when the fake's test made the default session and when it existed before."""
    credentials = tmp_path / "credentials"
    credentials.write_text("[default]\naws_access_key_id = AKIAREAL\naws_secret_access_key = s\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    inner.makepyfile(
        """
        import boto3
        import pytest

        def signing_key():
            return boto3.client("s3", region_name="us-east-1")._request_signer._credentials.access_key

        def test_fake_makes_the_default_session(personalize_stub):
            assert boto3.DEFAULT_SESSION is None
            assert signing_key() == "testing"

        def test_own_credentials_afterwards():
            assert signing_key() == "AKIAREAL"

        def test_fake_with_an_older_default_session(personalize_stub):
            boto3.setup_default_session()
            personalize_stub.calls.clear()
            assert signing_key() == "testing"

        def test_own_credentials_after_the_older_session():
            assert signing_key() == "AKIAREAL"
        """
    )
    run_inner(inner, "-p", "no:randomly").assert_outcomes(passed=4)


LEAK_CHECKS = """
import os
import time

import pytest
from botocore.client import BaseClient
from conftest import ORIGINAL_MAKE_API_CALL

REAL_SLEEP = time.sleep
NAMES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")


def patch_everything(monkeypatch):
    assert time.sleep is not REAL_SLEEP
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    monkeypatch.setattr(BaseClient, "_make_api_call", BaseClient.__dict__["_make_api_call"])
    for name in NAMES:
        monkeypatch.setenv(name, "mine")


def test_monkeypatch_set_up_before_the_fake(monkeypatch, personalize_stub):
    patch_everything(monkeypatch)


@pytest.mark.personalize_stub(region="us-east-1")  # the marker activates the fake first
def test_monkeypatch_set_up_after_the_fake(personalize_stub, monkeypatch):
    patch_everything(monkeypatch)


def test_monkeypatch_removes_what_the_fake_set(monkeypatch, personalize_stub):
    for name in NAMES:
        monkeypatch.delenv(name)


def test_everything_is_as_before():
    assert time.sleep is REAL_SLEEP
    assert BaseClient.__dict__["_make_api_call"] is ORIGINAL_MAKE_API_CALL
    assert [name for name in NAMES if name in os.environ] == []
"""


@pytest.mark.parametrize(
    "first",
    [
        "test_monkeypatch_set_up_before_the_fake",
        "test_monkeypatch_set_up_after_the_fake",
        "test_monkeypatch_removes_what_the_fake_set",
    ],
)
def test_nothing_the_fake_changed_outlives_its_test_whatever_the_fixture_order(
    inner, bare_aws_environment, first
):
    """``monkeypatch`` undoes its changes after the fake's teardown when it was set up first
    (the inner conftest's autouse fixture uses it), and before it when the fake was."""
    inner.makeini("[pytest]\npersonalize_stub_virtual_sleep = true\n")
    inner.makepyfile(LEAK_CHECKS)
    result = run_inner(inner, "-k", f"{first} or test_everything_is_as_before")
    result.assert_outcomes(passed=2)


def test_moto_stopped_before_the_fake_stays_stopped(bare_aws_environment):
    """Started before the fake and stopped before it (not in reverse order), moto's mock
    takes its credentials away; the fake, which set none, brings none back."""
    from moto import mock_aws

    from pytest_personalize_stub.controller import PersonalizeStub
    from pytest_personalize_stub.intercept import activated

    moto = mock_aws()
    moto.start()
    try:
        fake = activated(PersonalizeStub())
        fake.__enter__()
        assert os.environ["AWS_ACCESS_KEY_ID"] != "testing"
    finally:
        moto.stop()
    fake.__exit__(None, None, None)
    assert "AWS_ACCESS_KEY_ID" not in os.environ
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ


@pytest.mark.parametrize("value", ["testing", "", "caf\u00e9", "bad\udcff"])
def test_the_fake_reads_a_variable_as_os_environ_does(monkeypatch, value):
    """The fake's own lookup (it skips the ``KeyError`` ``os.environ.get`` raises inside)
    answers what ``os.environ.get`` answers: a value set, an empty one, one with letters or
    bytes outside ASCII, and a variable removed again."""
    from pytest_personalize_stub.activation import variable

    monkeypatch.setenv("PERSONALIZE_STUB_PROBE", value)
    assert variable("PERSONALIZE_STUB_PROBE") == os.environ.get("PERSONALIZE_STUB_PROBE") == value
    monkeypatch.delenv("PERSONALIZE_STUB_PROBE")
    assert variable("PERSONALIZE_STUB_PROBE") is os.environ.get("PERSONALIZE_STUB_PROBE") is None


def test_the_fake_reads_an_environment_replaced_by_a_plain_mapping(monkeypatch):
    """``os.environ`` replaced by a dict (``mock.patch("os.environ", {...})``): the fake
    finds its variables there, sets its dummy ones in it and removes them again."""
    from pytest_personalize_stub.controller import PersonalizeStub
    from pytest_personalize_stub.intercept import activated

    replaced = {"AWS_REGION": "eu-west-1"}
    monkeypatch.setattr(os, "environ", replaced)
    with activated(PersonalizeStub()):
        assert replaced == {
            "AWS_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
    assert replaced == {"AWS_REGION": "eu-west-1"}


ORPHAN_THREAD = """
import threading

import pytest

go = threading.Event()
done = threading.Event()
outcome = []


def create_group(client):
    go.wait(10)
    try:
        client.create_dataset_group(name="from-the-past")
    except Exception as error:
        outcome.append(error)
    done.set()


def test_starts_a_thread_and_ends(personalize_client):
    threading.Thread(target=create_group, args=(personalize_client,), name="poller").start()


def test_next(personalize_stub, personalize_client):
    go.set()
    assert done.wait(10)
    (error,) = outcome
    assert type(error).__name__ == "FakeEnded"
    assert "poller" in str(error) and "test_starts_a_thread_and_ends" in str(error)
    assert "test_next" in str(error)
    assert personalize_client.list_dataset_groups()["datasetGroups"] == []
    assert [call.operation for call in personalize_stub.calls] == ["ListDatasetGroups"]
"""


def test_a_thread_that_outlives_its_test_cannot_write_into_the_next_one(inner):
    inner.makepyfile(ORPHAN_THREAD)
    run_inner(inner).assert_outcomes(passed=2)


CLEAN_START = """
from datetime import datetime, timezone


def assert_clean_start(stub, personalize, cleanroomsml):
    assert stub.calls == []
    drift = (stub.clock.now() - datetime.now(timezone.utc)).total_seconds()
    assert abs(drift) < 60
    assert personalize.meta.region_name == "us-east-1"
    assert personalize.list_dataset_groups()["datasetGroups"] == []
    assert personalize.list_campaigns()["campaigns"] == []
    assert personalize.list_solutions()["solutions"] == []
    assert cleanroomsml.list_training_datasets()["trainingDatasets"] == []
    arn = personalize.create_dataset_group(name="g")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
    group = personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert group["status"] == "CREATE PENDING"
"""

DIRTY_TEST = """
import pytest
from support.cleanroomsml_flows import TRAINING_DATA, OUTPUT_CONFIG


@pytest.mark.personalize_stub(region="eu-west-1", account_id="111122223333",
                              durations={"dataset_group": 0}, assert_all_failures_fired=False)
@pytest.mark.personalize_fail("ListCampaigns", error="ThrottlingException")
def test_dirty(personalize_stub, personalize_client, cleanroomsml_client):
    personalize_client.create_dataset_group(name="g")
    cleanroomsml_client.create_training_dataset(
        name="t", roleArn=OUTPUT_CONFIG["roleArn"], trainingData=TRAINING_DATA
    )
    personalize_stub.fail("ListSolutions", error="ThrottlingException")
    personalize_stub.fail("ListDatasetGroups", error="ThrottlingException")
    personalize_stub.clock.advance(days=30)
    {ending}
"""


@pytest.mark.parametrize(
    ("ending", "outcome"),
    [
        ("pass", {"passed": 2}),
        ("personalize_client.list_campaigns()", {"passed": 1, "failed": 1}),
        ("raise RuntimeError('boom')", {"passed": 1, "failed": 1}),
    ],
    ids=["first-passes", "first-fails-mid-call", "first-raises"],
)
def test_nothing_leaks_into_the_next_test(inner, ending, outcome):
    inner.makepyfile(
        DIRTY_TEST.replace("{ending}", ending)
        + CLEAN_START
        + """

def test_clean(personalize_stub, personalize_client, cleanroomsml_client):
    assert_clean_start(personalize_stub, personalize_client, cleanroomsml_client)
"""
    )
    run_inner(inner).assert_outcomes(**outcome)


def test_nothing_leaks_under_xdist(inner):
    tests = "".join(
        f"""

@pytest.mark.personalize_stub(assert_all_failures_fired=False)
def test_clean_{number}(personalize_stub, personalize_client, cleanroomsml_client):
    assert_clean_start(personalize_stub, personalize_client, cleanroomsml_client)
    personalize_stub.fail("ListCampaigns", error="ThrottlingException")
    personalize_stub.clock.advance(days=30)
"""
        for number in range(6)
    )
    inner.makepyfile(DIRTY_TEST.replace("{ending}", "pass") + CLEAN_START + tests)
    result = run_inner(inner, "-p", "xdist", "-n", "2")
    result.stdout.fnmatch_lines(["*2 workers*"])
    result.assert_outcomes(passed=7)


def test_changed_fixture_clients_are_not_handed_on(inner):
    inner.makepyfile(
        """
        import pytest
        from botocore.stub import Stubber

        CAMPAIGN = "arn:aws:personalize:us-east-1:123456789012:campaign/stubbed"


        def test_stubber_answers(personalize_client):
            stubber = Stubber(personalize_client)
            stubber.add_response(
                "list_campaigns", {"campaigns": [{"name": "stubbed", "campaignArn": CAMPAIGN}]}
            )
            stubber.add_client_error(
                "describe_campaign", service_error_code="ResourceNotFoundException",
                expected_params={"campaignArn": CAMPAIGN},
            )
            leaked = {"campaigns": [{"name": "leaked", "campaignArn": CAMPAIGN}]}
            stubber.add_response("list_campaigns", leaked)  # left queued
            stubber.activate()
            campaigns = personalize_client.list_campaigns()["campaigns"]
            assert [c["name"] for c in campaigns] == ["stubbed"]
            with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
                personalize_client.describe_campaign(campaignArn=CAMPAIGN)
            # never deactivated: the test leaves the client with the Stubber's handlers


        def test_next_test_gets_the_fake(personalize_stub, personalize_client):
            personalize_client.create_dataset_group(name="g")
            assert personalize_client.list_campaigns()["campaigns"] == []
            assert personalize_client.list_campaigns()["campaigns"] == []
            assert [c.operation for c in personalize_stub.calls] == [
                "CreateDatasetGroup", "ListCampaigns", "ListCampaigns"
            ]


        def rename(params, **kwargs):
            params["name"] = "renamed"


        def test_custom_handler(personalize_client):
            personalize_client.meta.events.register(
                "provide-client-params.personalize.CreateDatasetGroup", rename
            )
            arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
            assert arn.endswith(":dataset-group/renamed")


        def test_after_custom_handler(personalize_client):
            arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
            assert arn.endswith(":dataset-group/g")
        """
    )
    run_inner(inner).assert_outcomes(passed=4)


def test_stubber_on_a_fixture_client_answers_calls(personalize_stub, personalize_client):
    from botocore.stub import Stubber

    with Stubber(personalize_client) as stubber:
        stubber.add_response("list_solutions", {"solutions": [], "nextToken": "t"})
        stubber.add_client_error("list_solutions", service_error_code="InvalidNextTokenException")
        assert personalize_client.list_solutions()["nextToken"] == "t"
        with pytest.raises(personalize_client.exceptions.InvalidNextTokenException):
            personalize_client.list_solutions()
        stubber.assert_no_pending_responses()
    assert personalize_client.list_solutions()["solutions"] == []
    assert "nextToken" not in personalize_client.list_solutions()


def test_a_finished_tests_account_is_let_go(inner):
    """pytest keeps every item until the session ends: the fake a test used must not stay
    reachable from it (a thousand tests would keep a thousand accounts, and the garbage
    collector would walk them all)."""
    inner.makepyfile(
        """
        import gc
        import weakref

        STUBS = []

        def test_first(personalize_stub, personalize_client):
            personalize_client.create_dataset_group(name="kept-too-long")
            STUBS.append(weakref.ref(personalize_stub))

        def test_second(personalize_stub):
            STUBS.append(weakref.ref(personalize_stub))

        def test_both_are_gone():
            gc.collect()
            assert [ref() for ref in STUBS] == [None, None]
        """
    )
    run_inner(inner).assert_outcomes(passed=3)


def test_a_settled_fake_is_freed_as_soon_as_nothing_refers_to_it():
    """A settled fake holds no reference cycle, not even through the schedule of automatic
    training a campaign's solution keeps: the whole account goes when the test lets it go,
    without waiting for the garbage collector (which would otherwise walk every ended test's
    objects, over the heap botocore brings, in the tests that follow)."""
    import gc
    import weakref

    from pytest_personalize_stub import mock_personalize

    gc.disable()
    try:
        with mock_personalize() as stub:
            stub.build.campaign()
        ended = weakref.ref(stub.pipeline.account)
        del stub
        assert ended() is None
    finally:
        gc.enable()


def test_a_tests_account_is_freed_at_its_teardown_without_the_garbage_collector(inner):
    """The account of a test that used the fixtures is gone once the test is over, before
    any collection: the report hook lets it go and no reference cycle holds it."""
    inner.makepyfile(
        """
        import gc
        import weakref

        accounts = []

        def test_deploys(personalize_stub, personalize_client):
            gc.disable()
            personalize_stub.build.campaign()
            accounts.append(weakref.ref(personalize_stub.pipeline.account))

        def test_the_account_is_gone():
            try:
                assert accounts[0]() is None
            finally:
                gc.enable()
        """
    )
    run_inner(inner, "-p", "no:randomly").assert_outcomes(passed=2)
