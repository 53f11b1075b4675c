"""The plugin as pytest sees it: configuration, interception of botocore, isolation, no network.

Anything about markers, ini options, setup errors and isolation between tests runs in an
inner pytest session (pytester), as it would in a user's project.
"""

from __future__ import annotations

import os
import socket

import boto3
import pytest
from botocore.exceptions import ClientError
from support.cleanroomsml_flows import SEED, configured_audience_model
from support.flows import deployed_campaign
from support.inner import assert_clean_setup_error, run_inner, run_marked

import pytest_personalize_stub.intercept  # noqa: F401  (loaded once, not in every inner run)


class ReachedTheNetwork(Exception):
    """Raised by a ``before-send`` handler: botocore was about to send the HTTP request."""


def refuse_to_send(**kwargs):
    raise ReachedTheNetwork(kwargs["request"].url)


# --- configuration marker -----------------------------------------------------------------


def test_config_marker_sets_region_and_account_in_arns_and_clients(inner):
    inner.makepyfile(
        """
        import pytest
        from support.cleanroomsml_flows import TRAINING_DATA, OUTPUT_CONFIG

        @pytest.mark.personalize_stub(region="eu-west-1", account_id="111122223333")
        def test_configured(personalize_stub, personalize_client, cleanroomsml_client,
                            personalize_runtime_client, personalize_events_client):
            assert personalize_client.meta.region_name == "eu-west-1"
            assert cleanroomsml_client.meta.region_name == "eu-west-1"
            assert personalize_runtime_client.meta.region_name == "eu-west-1"
            assert personalize_events_client.meta.region_name == "eu-west-1"
            group = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
            assert group == "arn:aws:personalize:eu-west-1:111122223333:dataset-group/g"
            dataset = cleanroomsml_client.create_training_dataset(
                name="t", roleArn=OUTPUT_CONFIG["roleArn"], trainingData=TRAINING_DATA
            )["trainingDatasetArn"]
            assert dataset.startswith("arn:aws:cleanrooms-ml:eu-west-1:111122223333:training-dataset/")

        def test_defaults(personalize_client):
            assert personalize_client.meta.region_name == "us-east-1"
            group = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
            assert group == "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
        """
    )
    run_inner(inner).assert_outcomes(passed=2)


def test_config_marker_durations_and_virtual_sleep(inner):
    inner.makepyfile(
        """
        import time
        import pytest

        @pytest.mark.personalize_stub(durations={"dataset_group": 30}, virtual_sleep=True)
        def test_configured(personalize_stub, personalize_client):
            arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]

            def status():
                return personalize_client.describe_dataset_group(datasetGroupArn=arn)[
                    "datasetGroup"]["status"]

            started = time.monotonic()
            time.sleep(29)
            assert status() != "ACTIVE"
            time.sleep(1)
            assert status() == "ACTIVE"
            assert time.monotonic() - started < 5

        @pytest.mark.personalize_stub(durations={"dataset_group": 0})
        def test_zero_settles_at_the_next_call(personalize_client):
            arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
            group = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
            assert group["status"] == "ACTIVE"
        """
    )
    run_inner(inner).assert_outcomes(passed=2)


def test_unknown_duration_kind_names_the_known_types(inner):
    result = run_marked(inner, 'personalize_stub(durations={"campain": 5})')
    assert_clean_setup_error(result, "*campain*campaign*")
    line = next(line for line in result.stdout.lines if "campain" in line)
    for kind in ("dataset_group", "solution_version", "campaign", "audience_generation_job"):
        assert kind in line


def test_negative_duration_is_refused(inner):
    result = run_marked(inner, 'personalize_stub(durations={"campaign": -5})')
    assert_clean_setup_error(result, "*campaign*-5*")


@pytest.mark.parametrize("value", ['float("nan")', 'float("inf")', "1e12"])
def test_a_duration_that_is_no_real_span_is_refused(inner, value):
    """NaN (which would freeze every resource), infinity and spans over a century."""
    result = run_marked(inner, f'personalize_stub(durations={{"campaign": {value}}})')
    assert_clean_setup_error(result, "*campaign*0 to*century*")


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_an_ini_duration_that_is_no_real_span_is_refused(inner, value):
    inner.makeini(f"[pytest]\npersonalize_stub_durations =\n    campaign={value}\n")
    inner.makepyfile("def test_ini(personalize_stub):\n    pass\n")
    assert_clean_setup_error(run_inner(inner), f"*campaign*century*{value}*")


def test_a_bool_ini_option_that_is_no_bool_is_a_one_line_setup_error(inner):
    inner.makeini("[pytest]\npersonalize_stub_virtual_sleep = maybe\n")
    inner.makepyfile("def test_ini(personalize_stub):\n    pass\n")
    result = run_inner(inner)
    assert_clean_setup_error(result, "personalize_stub_virtual_sleep: *maybe* (use true or false)")


@pytest.mark.parametrize(
    ("argument", "pattern"),
    [
        ('region="mars"', "*region*mars*"),
        ('region="US-EAST-1"', "*region*US-EAST-1*"),
        ('account_id="1234"', "*account_id*1234*"),
        ('account_id="12345678901a"', "*account_id*12345678901a*"),
        ('regoin="eu-west-1"', "*unknown keyword regoin=; did you mean region=?; known: region,*"),
        ('durations={"campaign": "slow"}', "*durations?'campaign'? must be a number of seconds*"),
        ("quotas=5", "*quotas= must be a dict of quota key to a whole number, not 5"),
        ("virtual_sleep=[]", "*virtual_sleep= must be True or False, not ??"),
    ],
)
def test_bad_configuration_values_are_setup_errors(inner, argument, pattern):
    """Each error names the keyword, what it must be and what it got, in the plugin's words
    (not pydantic's), with a did-you-mean for a misspelled keyword."""
    result = run_marked(inner, f"personalize_stub({argument})")
    assert_clean_setup_error(result, pattern)


def test_positional_configuration_arguments_are_refused(inner):
    result = run_marked(inner, 'personalize_stub("eu-west-1")')
    assert_clean_setup_error(result, "*personalize_stub*keyword*")


def test_bad_configuration_is_an_error_also_with_only_a_client_fixture(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_stub(region="mars")
        def test_configured(personalize_client):
            pass
        """
    )
    assert_clean_setup_error(run_inner(inner), "*region*mars*")


def test_setup_error_shows_the_message_once_without_exception_chaining(inner):
    """The error names the problem once; no chained-exception report around it."""
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_fail("CreateCampain", error="ThrottlingException")
        def test_failure_marker(personalize_stub):
            pass

        @pytest.mark.personalize_stub(region="mars")
        def test_config_marker(personalize_stub):
            pass
        """
    )
    result = run_inner(inner)
    result.assert_outcomes(errors=2)
    output = result.stdout.str()
    assert "During handling of the above exception" not in output
    assert "The above exception was the direct cause" not in output
    full_lines = [line for line in result.stdout.lines if not line.startswith("ERROR ")]
    assert sum("'CreateCampain'" in line for line in full_lines) == 1
    assert sum("'mars'" in line for line in full_lines) == 1


# --- ini options --------------------------------------------------------------------------

INI_BODY = """
personalize_stub_region = eu-west-1
personalize_stub_account_id = 111122223333
personalize_stub_durations =
    dataset_group=7
    campaign = 5
personalize_stub_virtual_sleep = true
"""

INI_TESTS = """
import time
import pytest

REAL_SLEEP = time.sleep


def group_status(client, arn):
    return client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]


def test_ini_values(personalize_stub, personalize_client):
    assert personalize_client.meta.region_name == "eu-west-1"
    arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:eu-west-1:111122223333:dataset-group/g"
    personalize_stub.clock.advance(seconds=6.5)
    assert group_status(personalize_client, arn) != "ACTIVE"
    before, started = personalize_stub.clock.now(), time.monotonic()
    time.sleep(0.5)
    assert group_status(personalize_client, arn) == "ACTIVE"
    time.sleep(3600)
    assert time.monotonic() - started < 5
    assert (personalize_stub.clock.now() - before).total_seconds() >= 3600.5


@pytest.mark.personalize_stub(
    region="ap-southeast-2",
    account_id="444455556666",
    durations={"dataset_group": 20},
    virtual_sleep=False,
)
def test_marker_overrides_ini(personalize_stub, personalize_client):
    assert time.sleep is REAL_SLEEP
    assert personalize_client.meta.region_name == "ap-southeast-2"
    arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:ap-southeast-2:444455556666:dataset-group/g"
    personalize_stub.clock.advance(seconds=19)
    assert group_status(personalize_client, arn) != "ACTIVE"
    personalize_stub.clock.advance(seconds=1)
    assert group_status(personalize_client, arn) == "ACTIVE"
"""


@pytest.mark.parametrize("ini_file", ["pytest.ini", "tox.ini"])
def test_ini_options_take_effect_and_the_marker_overrides_them(inner, ini_file):
    (inner.path / ini_file).write_text("[pytest]" + INI_BODY)
    inner.makepyfile(INI_TESTS)
    run_inner(inner).assert_outcomes(passed=2)


def test_bad_ini_duration_line_is_a_setup_error(inner):
    inner.makeini("[pytest]\npersonalize_stub_durations =\n    campaign 5\n")
    inner.makepyfile("def test_ini(personalize_stub):\n    pass\n")
    assert_clean_setup_error(run_inner(inner), "*personalize_stub_durations*kind=seconds*")


def test_unknown_ini_duration_kind_is_a_setup_error(inner):
    inner.makeini("[pytest]\npersonalize_stub_durations =\n    campain=5\n")
    inner.makepyfile("def test_ini(personalize_stub):\n    pass\n")
    assert_clean_setup_error(run_inner(inner), "*campain*campaign*")


def test_markers_are_listed_with_help_text(inner):
    result = run_inner(inner, "--markers")
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.personalize_fail*operation*error=*status=*times=*match=*",
            "@pytest.mark.cleanroomsml_fail*operation*",
            "@pytest.mark.personalize_stub*region*account_id*durations*virtual_sleep*",
        ]
    )


def test_ini_options_are_listed_in_help(inner):
    result = run_inner(inner, "--help")
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "*personalize_stub_region*",
            "*personalize_stub_account_id*",
            "*personalize_stub_durations*",
            "*personalize_stub_virtual_sleep*",
        ]
    )


def test_strict_markers_accepts_the_markers(inner):
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.personalize_stub(region="eu-west-1")
        def test_config():
            pass

        @pytest.mark.personalize_fail("CreateCampaign", error="ThrottlingException")
        def test_personalize():
            pass

        @pytest.mark.cleanroomsml_fail("StartAudienceGenerationJob", error="ThrottlingException")
        def test_cleanroomsml():
            pass
        """
    )
    result = run_inner(inner, "--strict-markers")
    result.assert_outcomes(passed=3)


# --- interception -------------------------------------------------------------------------


@pytest.fixture
def bare_aws_environment(monkeypatch, tmp_path):
    """No region, credentials or config files from the machine running the tests."""
    for name in (
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


def test_clients_made_by_the_code_under_test_are_served(bare_aws_environment, personalize_stub):
    personalize = boto3.client("personalize", region_name="us-east-1")
    arn = personalize.create_dataset_group(name="mine")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:us-east-1:123456789012:dataset-group/mine"
    assert personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == (
        "CREATE PENDING"
    )
    personalize_stub.settle()
    assert personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == (
        "ACTIVE"
    )

    cleanroomsml = boto3.client("cleanroomsml")
    assert cleanroomsml.list_audience_models()["audienceModels"] == []
    assert [call.operation for call in personalize_stub.calls] == [
        "CreateDatasetGroup",
        "DescribeDatasetGroup",
        "DescribeDatasetGroup",
        "ListAudienceModels",
    ]


def test_fixture_and_own_clients_share_one_account(personalize_stub, personalize_client):
    own = boto3.client("personalize", region_name="us-east-1")
    arn = own.create_dataset_group(name="shared")["datasetGroupArn"]
    names = [g["name"] for g in personalize_client.list_dataset_groups()["datasetGroups"]]
    assert names == ["shared"]
    group = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert group["name"] == "shared"


def test_other_services_go_through_botocore_untouched(personalize_stub):
    s3 = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    s3.meta.events.register("before-send.s3", refuse_to_send)
    with pytest.raises(ReachedTheNetwork):
        s3.list_buckets()
    assert personalize_stub.calls == []


def test_moto_serves_s3_beside_the_fake(personalize_stub, personalize_client):
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="audiences")
        s3.put_object(Bucket="audiences", Key="seed.jsonl", Body=b'{"user_id": "u1"}\n')
        body = s3.get_object(Bucket="audiences", Key="seed.jsonl")["Body"].read()
        assert body == b'{"user_id": "u1"}\n'

        arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
        own = boto3.client("personalize", region_name="us-east-1")
        group = own.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
        assert group["status"] == "CREATE PENDING"
        personalize_stub.settle()
        group = own.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
        assert group["status"] == "ACTIVE"

    assert [(c.service, c.operation) for c in personalize_stub.calls] == [
        ("personalize", "CreateDatasetGroup"),
        ("personalize", "DescribeDatasetGroup"),
        ("personalize", "DescribeDatasetGroup"),
    ]


@pytest.fixture
def moto_first():
    from moto import mock_aws

    with mock_aws():
        yield


def test_moto_started_before_the_fake(moto_first, personalize_stub, personalize_client):
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="bucket")
    s3.put_object(Bucket="bucket", Key="k", Body=b"v")
    assert s3.get_object(Bucket="bucket", Key="k")["Body"].read() == b"v"
    arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
    assert [c.operation for c in personalize_stub.calls] == ["CreateDatasetGroup"]


def test_calls_are_recorded(personalize_stub, personalize_client, personalize_runtime_client):
    params = {"name": "g", "tags": [{"tagKey": "team", "tagValue": "recs"}]}
    response = personalize_client.create_dataset_group(**params)
    missing = "arn:aws:personalize:us-east-1:123456789012:campaign/none"
    with pytest.raises(personalize_runtime_client.exceptions.ResourceNotFoundException) as caught:
        personalize_runtime_client.get_recommendations(campaignArn=missing, userId="u")

    first, second = personalize_stub.calls
    assert first.service == "personalize"
    assert first.operation == "CreateDatasetGroup"
    assert first.params == params
    assert first.response["datasetGroupArn"] == response["datasetGroupArn"]
    assert first.error is None
    assert second.service == "personalize-runtime"
    assert second.operation == "GetRecommendations"
    assert second.params == {"campaignArn": missing, "userId": "u"}
    assert second.error is caught.value
    assert second.response is None


def test_injected_failures_and_param_errors_are_recorded(personalize_stub, personalize_client):
    from botocore.exceptions import ParamValidationError

    personalize_stub.fail("list_campaigns", error="ThrottlingException", times=1)
    with pytest.raises(ClientError):
        personalize_client.list_campaigns(maxResults=5)
    with pytest.raises(ParamValidationError):
        personalize_client.create_dataset_group()
    throttled, invalid = personalize_stub.calls
    assert throttled.operation == "ListCampaigns"
    assert throttled.params == {"maxResults": 5}
    assert throttled.error.response["Error"]["Code"] == "ThrottlingException"
    assert invalid.operation == "CreateDatasetGroup"
    assert isinstance(invalid.error, ParamValidationError)


def test_botocore_is_restored_after_passing_failing_and_erroring_tests(inner):
    inner.makepyfile(
        """
        import boto3
        import pytest
        from botocore.client import BaseClient
        from conftest import ORIGINAL_MAKE_API_CALL


        class ReachedTheNetwork(Exception):
            pass


        def refuse_to_send(**kwargs):
            raise ReachedTheNetwork()


        def assert_botocore_is_itself():
            method = BaseClient.__dict__["_make_api_call"]
            assert method is ORIGINAL_MAKE_API_CALL
            assert method.__module__ == "botocore.client"
            assert method.__qualname__ == "BaseClient._make_api_call"
            client = boto3.client("personalize", region_name="us-east-1",
                                  aws_access_key_id="k", aws_secret_access_key="s")
            client.meta.events.register("before-send", refuse_to_send)
            with pytest.raises(ReachedTheNetwork):
                client.list_campaigns()


        def test_passes(personalize_stub):
            assert BaseClient.__dict__["_make_api_call"] is not ORIGINAL_MAKE_API_CALL


        def test_after_passing():
            assert_botocore_is_itself()


        def test_fails(personalize_client):
            personalize_client.create_dataset_group(name="g")
            assert False, "the test fails"


        def test_after_failing():
            assert_botocore_is_itself()


        @pytest.fixture
        def broken(personalize_stub):
            raise RuntimeError("a fixture of the user breaks")


        def test_errors(broken):
            pass


        def test_after_erroring():
            assert_botocore_is_itself()


        @pytest.fixture
        def breaks_at_teardown(personalize_stub):
            yield
            raise RuntimeError("teardown breaks")


        def test_teardown_errors(breaks_at_teardown, personalize_client):
            personalize_client.list_campaigns()


        def test_after_teardown_error():
            assert_botocore_is_itself()


        @pytest.mark.personalize_fail("CreateCampain", error="ThrottlingException")
        def test_bad_marker(personalize_stub):
            pass


        def test_after_bad_marker():
            assert_botocore_is_itself()
        """
    )
    result = run_inner(inner)
    result.assert_outcomes(passed=7, failed=1, errors=3)


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
                              durations={"dataset_group": 0})
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


# --- no network ---------------------------------------------------------------------------


@pytest.fixture
def guarded_network(monkeypatch):
    """Any connection attempt fails the test; credentials look like real ones."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("a test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLETOKEN")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    return attempts


def test_full_campaign_flow_never_touches_the_network(
    guarded_network, personalize_stub, personalize_client, personalize_runtime_client
):
    arns = deployed_campaign(personalize_stub, personalize_client)
    campaign = personalize_client.describe_campaign(campaignArn=arns["campaignArn"])["campaign"]
    assert campaign["status"] == "ACTIVE"
    items = personalize_runtime_client.get_recommendations(
        campaignArn=arns["campaignArn"], userId="u1", numResults=5
    )["itemList"]
    assert len(items) == 5

    own = boto3.client("personalize-runtime")
    again = own.get_recommendations(campaignArn=arns["campaignArn"], userId="u1", numResults=5)
    assert again["itemList"] == items
    assert guarded_network == []


def test_clients_of_all_four_services_never_touch_the_network(guarded_network, personalize_stub):
    """Clients the code makes itself, with real-looking credentials, for every stubbed service."""
    personalize = boto3.client("personalize")
    cleanroomsml = boto3.client("cleanroomsml")
    events = boto3.client("personalize-events")
    runtime = boto3.client("personalize-runtime")

    arns = deployed_campaign(personalize_stub, personalize)
    tracker = personalize.create_event_tracker(
        name="clicks", datasetGroupArn=arns["datasetGroupArn"]
    )
    personalize_stub.settle()
    events.put_events(
        trackingId=tracker["trackingId"],
        sessionId="s1",
        eventList=[{"eventType": "click", "sentAt": 1700000000, "itemId": "i1"}],
    )
    assert runtime.get_recommendations(campaignArn=arns["campaignArn"], userId="u1")["itemList"]
    configured = configured_audience_model(personalize_stub, cleanroomsml)
    job = cleanroomsml.start_audience_generation_job(
        name="audience",
        configuredAudienceModelArn=configured["configuredAudienceModelArn"],
        seedAudience=SEED,
    )
    personalize_stub.settle()
    answer = cleanroomsml.get_audience_generation_job(
        audienceGenerationJobArn=job["audienceGenerationJobArn"]
    )
    assert answer["status"] == "ACTIVE"
    with pytest.raises(personalize.exceptions.ResourceNotFoundException):
        personalize.describe_campaign(campaignArn=arns["campaignArn"] + "-gone")
    assert guarded_network == []
