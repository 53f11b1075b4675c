"""What the other ways in cost, per call: an async (aiobotocore) describe beside the sync one;
starting and stopping ``mock_personalize``; a botocore client's round trip over loopback to
the fake's HTTP server (DescribeCampaign), to a bare server of the same library that sends
the same answer (the floor), and to moto's (DescribeSchema, the operations moto serves); a
``wire=True`` describe beside botocore's ``Stubber`` answering the same call and beside
botocore's whole stack answered at ``before-send`` with no fake (the floor).

Run: ``python benchmarks/reach.py [samples]``; prints one JSON line of medians in
microseconds (async figures only where aiobotocore is installed).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import sys
import threading
import time
from typing import Any

from timing import time_calls

from pytest_personalize_stub import mock_personalize

SCHEMA = (
    '{"type": "record", "name": "Interactions", "fields": [{"name": "USER_ID", "type": "string"},'
    ' {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}]}'
)


def sync_and_async_describe(samples: int) -> dict[str, float]:
    """DescribeSchema through a boto3 client and through an aiobotocore one, same account."""
    import boto3

    figures: dict[str, float] = {}
    with mock_personalize() as stub:
        client = boto3.client("personalize", region_name="us-east-1")
        arn = client.create_schema(name="s", schema=SCHEMA)["schemaArn"]
        figures["sync_describe_us"] = time_calls(
            lambda: client.describe_schema(schemaArn=arn), samples, stub.calls.clear
        ).median
        if importlib.util.find_spec("aiobotocore") is not None:
            figures["async_describe_us"] = _async_describe(arn, samples, stub.calls.clear)
    return figures


def _async_describe(arn: str, samples: int, reset: Any) -> float:
    from aiobotocore.session import get_session

    async def measure() -> float:
        async with get_session().create_client("personalize", region_name="us-east-1") as aio:
            loop = asyncio.get_running_loop()
            times: list[int] = []
            warm_until = time.perf_counter() + 1.0
            while time.perf_counter() < warm_until:
                await aio.describe_schema(schemaArn=arn)
            clock = time.perf_counter_ns
            for index in range(samples):
                if index % 1000 == 0:
                    reset()
                start = clock()
                await aio.describe_schema(schemaArn=arn)
                times.append(clock() - start)
            assert loop.is_running()
            times.sort()
            return times[len(times) // 2] / 1000

    return asyncio.run(measure())


def start_and_stop(samples: int) -> dict[str, float]:
    """``mock_personalize()`` started and stopped: a fresh account, the patches, the environment."""
    fake = mock_personalize()

    def once() -> None:
        fake.start()
        fake.stop()

    return {"mock_start_stop_us": time_calls(once, samples).median}


CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key": "secret",
}


def _campaign(stub: Any, client: Any) -> str:
    """An ACTIVE campaign made through ``client``."""
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    stub.settle()
    solution = client.create_solution(
        name="recs",
        datasetGroupArn=group,
        recipeArn="arn:aws:personalize:::recipe/aws-user-personalization",
    )["solutionArn"]
    stub.settle()
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    stub.settle()
    arn: str = client.create_campaign(name="home", solutionVersionArn=version)["campaignArn"]
    stub.settle()
    return arn


def over_http(samples: int) -> dict[str, float]:
    """DescribeCampaign round trips to the fake's server; DescribeSchema ones to moto's."""
    import boto3
    from moto.server import ThreadedMotoServer

    from pytest_personalize_stub import PersonalizeStub
    from pytest_personalize_stub.server import PersonalizeServer

    stub = PersonalizeStub()
    with PersonalizeServer(stub) as server:
        client = boto3.client("personalize", endpoint_url=server.endpoint_url, **CREDENTIALS)
        arn = _campaign(stub, client)
        fake = time_calls(
            lambda: client.describe_campaign(campaignArn=arn), samples, stub.calls.clear
        )
        answer = client.describe_campaign(campaignArn=arn)
    floor = _loopback_floor(answer, arn, samples)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    try:
        host, port = moto._server.server_address[:2]  # moto exposes no bound port otherwise
        client = boto3.client("personalize", endpoint_url=f"http://{host}:{port}", **CREDENTIALS)
        schema = client.create_schema(name="s", schema=SCHEMA)["schemaArn"]
        moto_time = time_calls(lambda: client.describe_schema(schemaArn=schema), samples // 5)
    finally:
        moto.stop()
    return {
        "server_describe_us": fake.median,
        "loopback_floor_us": floor,
        "moto_server_describe_us": moto_time.median,
    }


def _loopback_floor(answer: dict[str, Any], arn: str, samples: int) -> float:
    """The same round trip to a bare waitress app that sends the fake's answer, already
    serialised, to every request: what the socket, the HTTP server library and botocore's
    whole client stack cost with no fake behind them."""
    import boto3
    from waitress.server import create_server

    from pytest_personalize_stub.server import stop_serving
    from pytest_personalize_stub.wire import serialize_response

    sent = serialize_response("personalize", "DescribeCampaign", answer, "floor")
    status = f"{sent.status} OK"
    headers = [*sent.headers.items(), ("Content-Length", str(len(sent.body)))]

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        environ["wsgi.input"].read()
        start_response(status, headers)
        return [sent.body]

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.effective_port}"
        client = boto3.client("personalize", endpoint_url=url, **CREDENTIALS)
        return time_calls(lambda: client.describe_campaign(campaignArn=arn), samples).median
    finally:
        stop_serving(server, thread)


def wire_and_stubber(samples: int) -> dict[str, float]:
    """DescribeCampaign with ``wire=True``, and the same call answered by ``Stubber``."""
    import boto3
    from botocore.stub import Stubber

    with mock_personalize(wire=True) as stub:
        client = boto3.client("personalize", **CREDENTIALS)
        arn = _campaign(stub, client)
        wire = time_calls(
            lambda: client.describe_campaign(campaignArn=arn), samples, stub.calls.clear
        )
        answer = client.describe_campaign(campaignArn=arn)
    floor = _wire_floor(answer, arn, samples)
    answer.pop("ResponseMetadata")
    stubbed = boto3.client("personalize", **CREDENTIALS)
    stubber = Stubber(stubbed)

    def refill() -> None:
        for _ in range(1000):
            stubber.add_response("describe_campaign", answer)

    with stubber:
        for _ in range(3):
            refill()
        for _ in range(3000):
            stubbed.describe_campaign(campaignArn=arn)
        stubbed_time = time_calls(
            lambda: stubbed.describe_campaign(campaignArn=arn), samples, refill, warm_up_s=0
        )
    return {
        "wire_describe_us": wire.median,
        "wire_floor_us": floor,
        "stubber_describe_us": stubbed_time.median,
    }


class _Sent:
    """A body as botocore reads one from urllib3."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Any:
        yield self._data


def _wire_floor(answer: dict[str, Any], arn: str, samples: int) -> float:
    """The same call through botocore's whole stack (serialise, sign, parse), answered at
    ``before-send`` with the fake's answer already serialised: wire=True with no fake."""
    import boto3
    from botocore.awsrequest import AWSResponse

    from pytest_personalize_stub.wire import serialize_response

    sent = serialize_response("personalize", "DescribeCampaign", answer, "floor")
    client = boto3.client("personalize", **CREDENTIALS)

    def respond(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, sent.status, sent.headers, _Sent(sent.body))

    client.meta.events.register_first("before-send.personalize", respond)
    return time_calls(lambda: client.describe_campaign(campaignArn=arn), samples).median


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    figures = {
        **sync_and_async_describe(samples),
        **start_and_stop(max(samples // 5, 200)),
        **over_http(max(samples // 5, 200)),
        **wire_and_stubber(max(samples // 5, 200)),
    }
    if "async_describe_us" in figures:
        figures["async_over_sync"] = figures["async_describe_us"] / figures["sync_describe_us"]
    figures["moto_server_over_server"] = (
        figures["moto_server_describe_us"] / figures["server_describe_us"]
    )
    figures["wire_over_stubber"] = figures["wire_describe_us"] / figures["stubber_describe_us"]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
