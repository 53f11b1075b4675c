"""Typing: the package passes ``mypy --strict`` (it ships ``py.typed``), and with the
``typing`` extra, tests written against the fixtures and ``personalize_stub.client(...)``
are checked against the mypy-boto3 client types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

TYPED_TESTS = """
from mypy_boto3_cleanroomsml import CleanRoomsMLClient
from mypy_boto3_personalize import PersonalizeClient
from mypy_boto3_personalize_runtime import PersonalizeRuntimeClient

from pytest_personalize_stub import PersonalizeStub


def test_a_typed_test(personalize_stub: PersonalizeStub, personalize_client: PersonalizeClient) -> None:
    arn = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
    personalize_stub.settle()
    group = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    status: str = group["status"]
    assert status == "ACTIVE"


def test_clients_from_the_controller(
    personalize_stub: PersonalizeStub, cleanroomsml_client: CleanRoomsMLClient
) -> None:
    runtime: PersonalizeRuntimeClient = personalize_stub.client("personalize-runtime")
    models = personalize_stub.client("cleanroomsml").list_audience_models()
    assert models["audienceModels"] == cleanroomsml_client.list_audience_models()["audienceModels"]
    assert runtime.meta.service_model.service_name == "personalize-runtime"
"""


WRONG_CALLS = {
    "personalize_client.describe_dataset_group(datasetGroupArn=1)": (
        'to "describe_dataset_group" of "PersonalizeClient" has incompatible type "int"'
    ),
    'personalize_stub.client("personalize").describe_campaign(campaign="x")': (
        'Unexpected keyword argument "campaign" for "describe_campaign" of "PersonalizeClient"'
    ),
    'personalize_stub.client("cleanroomsml").describe_campaign(campaignArn="x")': (
        '"CleanRoomsMLClient" has no attribute "describe_campaign"'
    ),
}
"""Calls that run but are wrong for the service, and what mypy says of each."""


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for this module's runs: the stubs are analysed once."""
    return tmp_path_factory.mktemp("mypy-cache")


def mypy(cache: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache)),
            *("--config-file", str(ROOT / "pyproject.toml"), *args),
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def test_the_package_passes_mypy_strict(mypy_cache: Path) -> None:
    result = mypy(mypy_cache, "pytest_personalize_stub")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ROOT / "pytest_personalize_stub" / "py.typed").exists()


def test_tests_typed_with_the_stubs_pass_mypy_strict_and_pytest(
    pytester: pytest.Pytester, mypy_cache: Path
) -> None:
    path = pytester.makepyfile(test_typed=TYPED_TESTS)
    result = mypy(mypy_cache, str(path), cwd=pytester.path)
    assert result.returncode == 0, result.stdout + result.stderr
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_mypy_catches_wrong_calls(pytester: pytest.Pytester, mypy_cache: Path) -> None:
    calls = "".join(f"    {call}\n" for call in WRONG_CALLS)
    body = TYPED_TESTS + (
        "\n\ndef test_wrong(personalize_stub: PersonalizeStub, "
        f"personalize_client: PersonalizeClient) -> None:\n{calls}"
    )
    path = pytester.makepyfile(test_wrong=body)
    result = mypy(mypy_cache, str(path), cwd=pytester.path)
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(errors) == len(WRONG_CALLS), result.stdout
    for complaint in WRONG_CALLS.values():
        assert complaint in result.stdout, result.stdout
