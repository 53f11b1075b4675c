"""``mock_personalize``: the fake outside pytest's fixtures, as a context manager, a decorator
of functions, coroutine functions and classes, and started and stopped by hand."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import time
import unittest
from datetime import timedelta
from typing import ClassVar

import boto3
import pytest
from botocore.client import BaseClient
from botocore.endpoint import Endpoint
from moto import mock_aws

from pytest_personalize_stub import PersonalizeStub, mock_personalize
from pytest_personalize_stub.errors import UsageError

ORIGINALS = {
    (BaseClient, "_make_api_call"): BaseClient.__dict__["_make_api_call"],
    (Endpoint, "_do_get_response"): Endpoint.__dict__["_do_get_response"],
    (Endpoint, "_send"): Endpoint.__dict__["_send"],
}
"""botocore's own methods, taken when this module was imported (no fake was active)."""
REAL_SLEEP = time.sleep
REAL_ASYNC_SLEEP = asyncio.sleep


def assert_botocore_is_itself():
    for (owner, name), original in ORIGINALS.items():
        assert owner.__dict__[name] is original, f"{owner.__name__}.{name} is still patched"
    assert time.sleep is REAL_SLEEP
    assert asyncio.sleep is REAL_ASYNC_SLEEP


def group_names():
    client = boto3.client("personalize", region_name="us-east-1")
    return [group["name"] for group in client.list_dataset_groups()["datasetGroups"]]


def test_as_a_context_manager_it_serves_and_then_puts_everything_back():
    with mock_personalize(virtual_sleep=True, region="eu-west-1") as stub:
        assert isinstance(stub, PersonalizeStub)
        client = boto3.client("personalize")
        arn = client.create_dataset_group(name="shop")["datasetGroupArn"]
        assert arn == "arn:aws:personalize:eu-west-1:123456789012:dataset-group/shop"
        time.sleep(60)
        status = client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]
        assert status == "ACTIVE"
        assert [call.operation for call in stub.calls] == [
            "CreateDatasetGroup",
            "DescribeDatasetGroup",
        ]
    assert_botocore_is_itself()


def test_as_a_decorator_each_call_has_an_account_of_its_own():
    fake = mock_personalize(durations={"dataset_group": 0})

    @fake
    def make_one(name):
        boto3.client("personalize", region_name="us-east-1").create_dataset_group(name=name)
        fake.settle()
        return group_names()

    assert make_one("first") == ["first"]
    assert make_one("second") == ["second"]
    assert fake.stub is None
    assert_botocore_is_itself()


def test_as_a_decorator_of_a_coroutine_function():
    fake = mock_personalize(virtual_sleep=True)

    @fake
    async def waits():
        before = fake.clock.now()
        await asyncio.sleep(3600)
        return fake.clock.now() - before

    waited = asyncio.run(waits())
    assert timedelta(hours=1) <= waited < timedelta(hours=1, seconds=1)
    assert_botocore_is_itself()


def test_started_and_stopped_by_hand_with_the_controller_on_the_mock():
    fake = mock_personalize()
    stub = fake.start()
    try:
        client = boto3.client("personalize", region_name="us-east-1")
        arn = client.create_dataset_group(name="g")["datasetGroupArn"]
        assert fake.calls is stub.calls and len(stub.calls) == 1
        created = client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
        assert fake.settle() - created["creationDateTime"] >= timedelta(seconds=60)
    finally:
        fake.stop()
    assert_botocore_is_itself()
    with pytest.raises(AttributeError, match="only while it is started"):
        _ = fake.calls


def test_only_one_fake_is_active_at_a_time():
    outer = mock_personalize()
    with outer:
        with pytest.raises(UsageError, match="already active .started by mock_personalize"):
            mock_personalize().start()
        with pytest.raises(UsageError, match="already started"):
            outer.start()
    with pytest.raises(UsageError, match="stop.. without start"):
        outer.stop()
    assert_botocore_is_itself()


def test_inside_a_test_that_has_the_fixture_it_is_refused(personalize_stub):
    with pytest.raises(UsageError, match="already active"):
        mock_personalize().start()


@pytest.mark.parametrize(
    ("config", "words"),
    [
        (
            {"regoin": "eu-west-1"},
            r"mock_personalize\(\): unknown keyword regoin=; did you mean region=",
        ),
        ({"durations": {"campain": 5}}, "did you mean campaign"),
        ({"virtual_sleep": "maybe"}, "virtual_sleep= must be True or False"),
    ],
)
def test_its_keyword_arguments_are_checked_as_the_markers_are(config, words):
    with pytest.raises(UsageError, match=words):
        mock_personalize(**config)


@pytest.mark.parametrize("order", ["moto-outside", "moto-inside"])
def test_beside_moto_in_either_order(order):
    def both():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="data")
        s3.put_object(Bucket="data", Key="k", Body=b"v")
        assert s3.get_object(Bucket="data", Key="k")["Body"].read() == b"v"
        assert group_names() == []

    if order == "moto-outside":
        with mock_aws(), mock_personalize():
            both()
    else:
        with mock_personalize(), mock_aws():
            both()
    assert_botocore_is_itself()


UNITTEST_MODULE = """
import unittest

import boto3

from pytest_personalize_stub import mock_personalize


@mock_personalize(region="eu-west-1")
class CampaignTests(unittest.TestCase):
    def setUp(self):
        self.client = boto3.client("personalize")
        self.client.create_dataset_group(name="from-setup")

    def test_first(self):
        self.client.create_dataset_group(name="first")
        self.personalize_stub.settle()
        self.assertEqual(self.names(), ["first", "from-setup"])

    def test_second(self):
        self.assertEqual(self.names(), ["from-setup"])
        self.assertEqual(len(self.personalize_stub.calls), 2)

    def names(self):
        groups = self.client.list_dataset_groups()["datasetGroups"]
        return [group["name"] for group in groups]


class AfterwardsTests(unittest.TestCase):
    def test_botocore_is_itself(self):
        from botocore.client import BaseClient
        self.assertEqual(BaseClient.__dict__["_make_api_call"].__module__, "botocore.client")
"""


def test_a_unittest_testcase_class_run_by_unittest_itself(tmp_path):
    (tmp_path / "test_campaigns.py").write_text(UNITTEST_MODULE)
    env = {"PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "unittest", "-v", "test_campaigns"],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Ran 3 tests" in result.stderr and "OK" in result.stderr


def test_a_testcase_class_in_process_gets_a_fresh_account_per_method():
    @mock_personalize()
    class Tests(unittest.TestCase):
        seen: ClassVar[list[list[str]]] = []

        def test_a(self):
            boto3.client("personalize", region_name="us-east-1").create_dataset_group(name="a")
            self.seen.append(group_names())

        def test_b(self):
            self.seen.append(group_names())

    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Tests)
    )
    assert result.wasSuccessful()
    assert Tests.seen == [["a"], []]
    assert_botocore_is_itself()
