"""The plugin's configuration as pytest sees it: the ``personalize_stub`` marker and the ini
options, their precedence, and the one-line setup errors a bad value gives.

All of it runs in inner pytest sessions (pytester), as it would in a user's project.
"""

from __future__ import annotations

import pytest
from support.inner import assert_clean_setup_error, run_inner, run_marked

import pytest_personalize_stub.intercept  # noqa: F401  (loaded once, not in every inner run)

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
        ("advance_per_call=-1", "*advance_per_call must be a number of seconds from 0 to *"),
        ('advance_per_call="soon"', "*advance_per_call= must be a number of seconds, not 'soon'"),
        ("assert_all_failures_fired=3", "*assert_all_failures_fired= must be True or False*"),
        ("asert_all_failures_fired=False", "*did you mean assert_all_failures_fired=?*"),
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

        pytestmark = pytest.mark.personalize_stub(assert_all_failures_fired=False)

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
