"""Recipe: code that makes its clients at import time (a Lambda handler).

The handler module and its test are run below in a project of their own, once
with the ``personalize_stub_import_time_clients`` ini option and once without.
"""

from pathlib import Path

import pytest

# Loaded once here, not in every inner run:
import pytest_personalize_stub.intercept  # noqa: F401

HANDLER = '''
# --8<-- [start:handler]
import os

import boto3

# Made once, when the module is imported:
runtime = boto3.client("personalize-runtime")
CAMPAIGN_ARN = os.environ.get("CAMPAIGN_ARN", "")


def lambda_handler(event, context):
    """Recommendations for the user of an API Gateway event."""
    answer = runtime.get_recommendations(
        campaignArn=CAMPAIGN_ARN,
        userId=event["pathParameters"]["user"],
        numResults=3,
    )
    items = [item["itemId"] for item in answer["itemList"]]
    return {"statusCode": 200, "items": items}
# --8<-- [end:handler]
'''

INI = """
# --8<-- [start:ini]
[pytest]
personalize_stub_import_time_clients = true
# --8<-- [end:ini]
"""

TESTS = """
# --8<-- [start:tests]
# Imported at collection, before any fixture: its client needs a region.
import handler

RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"


def test_the_handler_recommends(
    personalize_stub, personalize_client, monkeypatch
):
    client = personalize_client
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.settle()
    solution = client.create_solution(
        name="recs", datasetGroupArn=group, recipeArn=RECIPE
    )
    personalize_stub.settle()
    version = client.create_solution_version(
        solutionArn=solution["solutionArn"]
    )
    personalize_stub.settle()
    campaign = client.create_campaign(
        name="home", solutionVersionArn=version["solutionVersionArn"]
    )["campaignArn"]
    personalize_stub.settle()
    personalize_stub.set_recommendations(campaign, ["socks", "shoes"])
    monkeypatch.setattr(handler, "CAMPAIGN_ARN", campaign)

    answer = handler.lambda_handler({"pathParameters": {"user": "u1"}}, None)

    assert answer["statusCode"] == 200
    assert answer["items"][:2] == ["socks", "shoes"]
    assert personalize_stub.calls[-1].operation == "GetRecommendations"
# --8<-- [end:tests]
"""

NO_ENVIRONMENT = (
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_PROFILE",
)
UNNEEDED_PLUGINS = (
    "-p",
    "no:cacheprovider",
    "-p",
    "no:benchmark",
    "-p",
    "no:hypothesispytest",
)


@pytest.fixture
def project(pytester, monkeypatch, tmp_path):
    """A project of the handler and its test, on a machine without AWS."""
    for name in NO_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv(
        "AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials")
    )
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.syspath_prepend(pytester.path)
    monkeypatch.delitem(__import__("sys").modules, "handler", raising=False)
    pytester.makepyfile(handler=HANDLER, test_handler=TESTS)
    return pytester


def test_with_the_option_the_module_level_client_works(project):
    project.makeini(INI)
    result = project.runpytest(*UNNEEDED_PLUGINS)
    result.assert_outcomes(passed=1)
    assert "AWS_DEFAULT_REGION" not in __import__("os").environ


def test_with_the_option_a_call_outside_the_fake_never_reaches_aws(project):
    project.makeini(INI)
    project.makepyfile(
        test_unfaked="""
        import pytest

        import handler
        from pytest_personalize_stub.intercept import NetworkRefused

        def test_no_fake_here():
            with pytest.raises(NetworkRefused, match="no fake is active"):
                handler.lambda_handler({"pathParameters": {"user": "u1"}}, None)
        """
    )
    result = project.runpytest("-p", "no:randomly", *UNNEEDED_PLUGINS)
    result.assert_outcomes(passed=2)


def test_without_it_the_import_fails_for_want_of_a_region(project):
    result = project.runpytest(*UNNEEDED_PLUGINS)
    result.stdout.fnmatch_lines(["*NoRegionError*"])
    assert result.ret != 0


def test_the_recipe_shows_these_files():
    page = (Path(__file__).parent / "import-time-clients.md").read_text()
    for section in ("handler", "ini", "tests"):
        assert f"recipes/test_import_time_clients.py:{section}" in page
