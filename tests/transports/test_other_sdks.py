"""Clients no one here wrote, against the fake's HTTP endpoint: the AWS SDK for JavaScript v3
(``tests/transports/js``, installed by ``npm ci``) and the AWS CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("waitress", reason="waitress is not installed (the server extra)")

JS = Path(__file__).resolve().parent / "js"


def test_the_javascript_sdk_deploys_a_campaign_and_uses_it(personalize_server):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (JS / "node_modules" / "@aws-sdk" / "client-personalize").is_dir():
        pytest.skip(
            "the JavaScript SDK is not installed: run `npm ci --prefix tests/transports/js`"
        )
    result = subprocess.run(
        [node, str(JS / "deploy.mjs"), personalize_server.endpoint_url],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["statuses"] == ["CREATE PENDING", "ACTIVE"]
    assert seen["created"] is True
    assert len(seen["items"]) == 5
    assert seen["missing"] == {"name": "ResourceNotFoundException", "status": 400}
    stub = personalize_server.stub
    assert ("personalize-events", "PutEvents") in [(c.service, c.operation) for c in stub.calls]
    tracked = stub.state.store.all("dataset")
    (interactions,) = [d for d in tracked if d.attrs["datasetType"] == "INTERACTIONS"]
    from pytest_personalize_stub.services.personalize.contents import events

    assert [event["itemId"] for event in events(interactions)] == ["shoe"]


def aws(server, *arguments):
    """The AWS CLI run against the server; its JSON output."""
    environment = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_PAGER": "",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "awscli",
            *arguments,
            "--endpoint-url",
            server.endpoint_url,
            "--output",
            "json",
        ],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else {}


def test_the_aws_cli_creates_describes_and_lists(personalize_server):
    pytest.importorskip("awscli", reason="the AWS CLI (awscli) is not installed")
    created = aws(personalize_server, "personalize", "create-dataset-group", "--name", "shop")
    arn = created["datasetGroupArn"]
    assert arn == "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop"
    described = aws(
        personalize_server, "personalize", "describe-dataset-group", "--dataset-group-arn", arn
    )
    assert described["datasetGroup"]["status"] == "CREATE PENDING"
    assert described["datasetGroup"]["name"] == "shop"
    personalize_server.stub.settle()
    listed = aws(personalize_server, "personalize", "list-dataset-groups")
    assert [(g["name"], g["status"]) for g in listed["datasetGroups"]] == [("shop", "ACTIVE")]
    datasets = aws(personalize_server, "cleanroomsml", "list-training-datasets")
    assert datasets == {"trainingDatasets": []}
    assert [c.operation for c in personalize_server.stub.calls] == [
        "CreateDatasetGroup",
        "DescribeDatasetGroup",
        "ListDatasetGroups",
        "ListTrainingDatasets",
    ]
