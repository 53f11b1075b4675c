"""What the wire layer costs: ``parse_request`` and ``serialize_response`` alone, and a
whole botocore call answered at ``before-send`` through them, beside botocore alone (canned
bytes at ``before-send``) and botocore's ``Stubber``.

    python benchmarks/wire.py          # prints one Markdown table (us per call)
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import time_calls

from pytest_personalize_stub import wire

WHEN = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.timezone.utc)
CAMPAIGN_ARN = "arn:aws:personalize:us-east-1:123456789012:campaign/c"
CAMPAIGN = {
    "campaign": {
        "name": "c",
        "campaignArn": CAMPAIGN_ARN,
        "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/s/1",
        "minProvisionedTPS": 1,
        "status": "ACTIVE",
        "creationDateTime": WHEN,
        "lastUpdatedDateTime": WHEN,
        "campaignConfig": {"itemExplorationConfig": {"explorationWeight": "0.3"}},
    }
}
RECOMMENDATIONS = {
    "itemList": [{"itemId": f"item-{i}", "score": 0.5 - i / 100} for i in range(25)],
    "recommendationId": "r-1",
}
CASES: list[tuple[str, str, str, str, dict[str, Any], dict[str, Any]]] = [
    (
        "DescribeCampaign (json)",
        "personalize",
        "DescribeCampaign",
        "describe_campaign",
        {"campaignArn": CAMPAIGN_ARN},
        CAMPAIGN,
    ),
    (
        "GetRecommendations (rest-json, 25 items)",
        "personalize-runtime",
        "GetRecommendations",
        "get_recommendations",
        {"campaignArn": CAMPAIGN_ARN, "userId": "u-1", "numResults": 25},
        RECOMMENDATIONS,
    ),
]


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _client(service: str, before_send: Callable[..., Any] | None = None) -> Any:
    client = boto3.client(
        service,
        region_name="us-east-1",
        endpoint_url="http://wire.test",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )
    if before_send is not None:
        client.meta.events.register("before-send", before_send)
    return client


def _http(request: Any) -> wire.HttpRequest:
    url = urlsplit(request.url)
    return wire.HttpRequest(
        request.method, url.path, url.query, request.headers, request.body or b""
    )


def _answer_through_the_wire(output: dict[str, Any]) -> Callable[..., AWSResponse]:
    def answer(request: Any, **_: Any) -> AWSResponse:
        service, operation, _params = wire.parse_request(_http(request))
        response = wire.serialize_response(service, operation, output, "request-1")
        return AWSResponse(request.url, response.status, response.headers, _Raw(response.body))

    return answer


def _answer_canned(service: str, operation: str, output: dict[str, Any]) -> Callable[..., Any]:
    response = wire.serialize_response(service, operation, output, "request-1")

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, response.status, response.headers, _Raw(response.body))

    return answer


def measure(
    label: str,
    service: str,
    operation: str,
    method: str,
    params: dict[str, Any],
    output: dict[str, Any],
    samples: int,
) -> list[tuple[str, str, float, float]]:
    """(operation, measure, median us, quietest block us) of one operation."""
    captured: list[wire.HttpRequest] = []
    canned_answer = _answer_canned(service, operation, output)

    def capture(request: Any, **_: Any) -> AWSResponse:
        captured.append(_http(request))
        return canned_answer(request)

    getattr(_client(service, capture), method)(**params)
    request = captured[0]

    def both() -> None:
        found_service, found_operation, _ = wire.parse_request(request)
        wire.serialize_response(found_service, found_operation, output, "request-1")

    through = getattr(_client(service, _answer_through_the_wire(output)), method)
    canned = getattr(_client(service, canned_answer), method)
    measures: list[tuple[str, Callable[[], Any], int]] = [
        ("parse_request", lambda: wire.parse_request(request), samples),
        (
            "serialize_response",
            lambda: wire.serialize_response(service, operation, output, "request-1"),
            samples,
        ),
        ("both", both, samples),
        ("botocore call, wire at before-send", lambda: through(**params), samples // 5),
        ("botocore call, canned bytes at before-send", lambda: canned(**params), samples // 5),
    ]
    rows = []
    for name, call, count in measures:
        measured = time_calls(call, count)
        rows.append((label, name, measured.median, measured.best_block))
    stubbed_client = _client(service)
    stubbed = getattr(stubbed_client, method)
    with Stubber(stubbed_client) as stubber:  # queued as benchmarks/calls.py queues them

        def refill(count: int) -> None:
            for _ in range(count):
                stubber.add_response(method, output)

        refill(3000)
        for _ in range(3000):
            stubbed(**params)
        measured = time_calls(
            lambda: stubbed(**params), samples // 5, reset=lambda: refill(1000), warm_up_s=0
        )
    rows.append((label, "botocore call, Stubber", measured.median, measured.best_block))
    return rows


def main() -> None:
    samples = 3000 if "--quick" in sys.argv else 10000
    rows = [row for case in CASES for row in measure(*case, samples)]
    print("| operation | measure | median us | quietest block us |")
    print("|---|---|---:|---:|")
    for label, name, median, best in rows:
        print(f"| {label} | {name} | {median:.1f} | {best:.1f} |")


if __name__ == "__main__":
    main()
