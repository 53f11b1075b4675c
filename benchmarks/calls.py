"""Per-call cost of the fake, side by side with moto's ``mock_aws`` and botocore's ``Stubber``.

The three answer the same Personalize schema calls (the operations moto serves): a describe,
a create and a list page of 100, one after the other in one process. ``bench.py`` runs this
module in several fresh processes: a process's hash seed alone moves this machine's
per-call times by up to half, so one process is not a fair sample. It builds its state with the
test suite's flows (``support.flows``), so it runs with ``tests`` on ``PYTHONPATH``, which
``bench.py`` sets for it.
"""

from __future__ import annotations

import datetime
import itertools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from support.flows import deployed_campaign
from support.schemas import INTERACTIONS_SCHEMA as SCHEMA
from timing import Timing, time_calls

PAGE = 100
"""Items in the list page measured."""

CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key": "benchmark",
}


def _schema_names() -> Iterator[str]:
    return (f"bench-{n}" for n in itertools.count())


def fake_calls(samples: int) -> dict[str, Timing]:
    """The fake's describe, create and list page, and a campaign describe and group create."""
    from pytest_personalize_stub.clients import fixture_client
    from pytest_personalize_stub.config import StubConfig
    from pytest_personalize_stub.controller import PersonalizeStub
    from pytest_personalize_stub.intercept import activated

    config = StubConfig.model_validate({"quotas": {"dataset_groups": 10**9, "schemas": 10**9}})
    stub = PersonalizeStub(config)
    reset = stub.calls.clear
    with activated(stub):
        client = fixture_client("personalize", "us-east-1")
        campaign = deployed_campaign(stub, client)["campaignArn"]
        schemas = [
            client.create_schema(name=f"page-{n}", schema=SCHEMA)["schemaArn"] for n in range(PAGE)
        ]
        names = _schema_names()
        groups = (f"group-{n}" for n in itertools.count())
        results = {
            "describe": time_calls(
                lambda: client.describe_schema(schemaArn=schemas[0]), samples, reset
            ),
            "list": time_calls(lambda: client.list_schemas(maxResults=PAGE), samples, reset),
            "describe campaign": time_calls(
                lambda: client.describe_campaign(campaignArn=campaign), samples, reset
            ),
            "create": time_calls(
                lambda: client.create_schema(name=next(names), schema=SCHEMA), samples, reset
            ),
            "create group": time_calls(
                lambda: client.create_dataset_group(name=next(groups)), samples, reset
            ),
        }
    return results


def moto_calls(samples: int) -> dict[str, Timing]:
    """The same describe, create and list page through moto's ``mock_aws``."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("personalize", **CREDENTIALS)
        schemas = [
            client.create_schema(name=f"page-{n}", schema=SCHEMA)["schemaArn"] for n in range(PAGE)
        ]
        names = _schema_names()
        warm = 0.3
        return {
            "describe": time_calls(
                lambda: client.describe_schema(schemaArn=schemas[0]), samples, warm_up_s=warm
            ),
            "list": time_calls(
                lambda: client.list_schemas(maxResults=PAGE), samples // 5, warm_up_s=warm
            ),
            "create": time_calls(
                lambda: client.create_schema(name=next(names), schema=SCHEMA),
                samples,
                warm_up_s=warm,
            ),
        }


def stubber_calls(samples: int) -> dict[str, Timing]:
    """The same calls answered by botocore's ``Stubber`` from queued responses."""
    import boto3

    client = boto3.client("personalize", **CREDENTIALS)
    now = datetime.datetime.now(datetime.timezone.utc)
    arn = "arn:aws:personalize:us-east-1:123456789012:schema/page-0"
    schema = {"name": "page-0", "schemaArn": arn, "schema": SCHEMA, "creationDateTime": now}
    summary = {"name": "page-0", "schemaArn": arn, "creationDateTime": now}
    answers: dict[str, tuple[str, dict[str, Any], Callable[[], Any]]] = {
        "describe": (
            "describe_schema",
            {"schema": schema},
            lambda: client.describe_schema(schemaArn=arn),
        ),
        "list": (
            "list_schemas",
            {"schemas": [summary] * PAGE},
            lambda: client.list_schemas(maxResults=PAGE),
        ),
        "create": (
            "create_schema",
            {"schemaArn": arn},
            lambda: client.create_schema(name="page-0", schema=SCHEMA),
        ),
    }
    results = {}
    for key, (method, response, call) in answers.items():
        with _stubbed(client, method, response) as refill:
            refill(3000)
            for _ in range(3000):
                call()
            results[key] = time_calls(call, samples, reset=lambda: refill(1000), warm_up_s=0)
    return results


@contextmanager
def _stubbed(client: Any, method: str, response: dict[str, Any]) -> Iterator[Callable[[int], None]]:
    """An active ``Stubber``; what it yields queues ``n`` more copies of the response."""
    from botocore.stub import Stubber

    stubber = Stubber(client)

    def refill(count: int) -> None:
        for _ in range(count):
            stubber.add_response(method, response)

    with stubber:
        yield refill


def main() -> None:
    """Print this process's per-call medians (us) as JSON: ``{impl: {call: median}}``."""
    samples = int(sys.argv[1])
    measured = {
        "fake": fake_calls(samples),
        "moto": moto_calls(max(300, samples // 20)),
        "stubber": stubber_calls(max(1000, samples // 5)),
    }
    print(
        json.dumps(
            {impl: {k: t.median for k, t in rows.items()} for impl, rows in measured.items()}
        )
    )


if __name__ == "__main__":
    main()
