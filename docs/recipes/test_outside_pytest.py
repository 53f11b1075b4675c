"""Recipe: the fake without pytest's fixtures, in unittest and in a script.

Both are run below as their own programs: the unittest module by
``python -m unittest``, the script by ``python``.
"""

import subprocess
import sys

UNITTEST_MODULE = """
# --8<-- [start:unittest]
import unittest

import boto3

from pytest_personalize_stub import mock_personalize


@mock_personalize(region="eu-west-1", durations={"dataset_group": 0})
class DatasetGroupTests(unittest.TestCase):
    def setUp(self):
        # This runs with the fake active: each test method has a fresh account.
        self.personalize = boto3.client("personalize")

    def test_a_new_group_becomes_active(self):
        created = self.personalize.create_dataset_group(name="shop")
        # The controller, as the personalize_stub fixture gives it:
        self.personalize_stub.settle()
        group = self.personalize.describe_dataset_group(
            datasetGroupArn=created["datasetGroupArn"]
        )
        self.assertEqual(group["datasetGroup"]["status"], "ACTIVE")

    def test_every_method_starts_empty(self):
        groups = self.personalize.list_dataset_groups()["datasetGroups"]
        self.assertEqual(groups, [])


if __name__ == "__main__":
    unittest.main()
# --8<-- [end:unittest]
"""

SCRIPT = """
# --8<-- [start:script]
import time

import boto3

from pytest_personalize_stub import mock_personalize


def status(personalize, arn):
    described = personalize.describe_dataset_group(datasetGroupArn=arn)
    return described["datasetGroup"]["status"]


# time.sleep moves the fake clock:
with mock_personalize(virtual_sleep=True) as stub:
    personalize = boto3.client("personalize")
    arn = personalize.create_dataset_group(name="shop")["datasetGroupArn"]
    while status(personalize, arn) != "ACTIVE":
        time.sleep(10)
    naps = len(stub.calls) - 2
    print(f"ACTIVE after {naps} naps, at {stub.clock.now():%H:%M:%S}")

# Out of the block, botocore and time.sleep are themselves again.
# --8<-- [end:script]
"""


def run(tmp_path, *args):
    """A program run with no AWS configuration of the machine's."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    return subprocess.run(
        [sys.executable, *args],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_unittest_module_passes_under_unittest(tmp_path):
    (tmp_path / "test_groups.py").write_text(UNITTEST_MODULE)
    result = run(tmp_path, "-m", "unittest", "-v", "test_groups")
    assert result.returncode == 0, result.stderr
    assert "Ran 2 tests" in result.stderr


def test_the_script_runs_in_no_time(tmp_path):
    (tmp_path / "script.py").write_text(SCRIPT)
    result = run(tmp_path, "script.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ACTIVE after 6 naps")
