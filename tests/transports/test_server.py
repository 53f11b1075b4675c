"""The fake behind a real HTTP endpoint: the ``personalize_server`` fixture, the control API,
AWS's refusals of what it cannot read, concurrency, and the ``serve`` command."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import datetime

import boto3
import pytest
from botocore.config import Config
from support.flows import INTERACTIONS_SCHEMA, deployed_campaign

pytest.importorskip("waitress", reason="waitress is not installed (the server extra)")

NO_RETRIES = Config(retries={"total_max_attempts": 1})


def client_of(server, service, **config):
    """A boto3 client of ``service`` that talks to the server, as a user's would."""
    return boto3.client(
        service,
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="secret",
        config=Config(**config) if config else NO_RETRIES,
    )


def control(server, method, action, body=None):
    """A control API request; its status and JSON answer."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{server.endpoint_url}/_stub/{action}", data=data, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def raw(server, method, path, body=b"", headers=None):
    """A raw HTTP request to the services' side: status, headers, JSON body."""
    request = urllib.request.Request(
        f"{server.endpoint_url}{path}", data=body, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            headers = {key.lower(): value for key, value in answer.headers.items()}
            return answer.status, headers, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        headers = {key.lower(): value for key, value in error.headers.items()}
        return error.code, headers, json.loads(error.read() or b"{}")


def test_all_four_services_answer_on_one_url_from_the_tests_own_account(
    personalize_server, personalize_client
):
    assert personalize_server.endpoint_url.startswith("http://127.0.0.1:")
    stub = personalize_server.stub
    remote = client_of(personalize_server, "personalize")
    arns = deployed_campaign(stub, remote)
    assert (
        personalize_client.describe_campaign(campaignArn=arns["campaignArn"])["campaign"]["status"]
        == "ACTIVE"
    )
    runtime = client_of(personalize_server, "personalize-runtime")
    answer = runtime.get_recommendations(campaignArn=arns["campaignArn"], userId="u1")
    assert len(answer["itemList"]) == 25
    events = client_of(personalize_server, "personalize-events")
    with pytest.raises(events.exceptions.InvalidInputException):
        events.put_events(
            trackingId="ea78ed5a-cff2-491d-844f-a1ee0806d3c6",
            sessionId="s",
            eventList=[{"eventType": "click", "sentAt": 1_700_000_000}],
        )
    cleanroomsml = client_of(personalize_server, "cleanroomsml")
    assert cleanroomsml.list_training_datasets()["trainingDatasets"] == []
    services = {call.service for call in stub.calls}
    assert services == {"personalize", "personalize-runtime", "personalize-events", "cleanroomsml"}


def test_errors_are_the_clients_exceptions_with_the_modelled_status(personalize_server):
    remote = client_of(personalize_server, "personalize")
    with pytest.raises(remote.exceptions.ResourceNotFoundException) as not_found:
        remote.describe_campaign(
            campaignArn="arn:aws:personalize:us-east-1:123456789012:campaign/none"
        )
    assert not_found.value.response["Error"]["Message"].endswith("does not exist.")
    assert not_found.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    cleanroomsml = client_of(personalize_server, "cleanroomsml")
    with pytest.raises(cleanroomsml.exceptions.ResourceNotFoundException) as gone:
        cleanroomsml.get_training_dataset(
            trainingDatasetArn=(
                "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/"
                "AAAAAAAAAAAAAAAAAAAAAA"
            )
        )
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_the_control_api_drives_time_failures_and_the_record(personalize_server):
    remote = client_of(personalize_server, "personalize")
    arn = remote.create_dataset_group(name="shop")["datasetGroupArn"]
    status, answer = control(personalize_server, "POST", "advance", {"seconds": 30})
    assert status == 200 and "now" in answer
    assert remote.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == (
        "CREATE IN_PROGRESS"
    )
    assert control(personalize_server, "POST", "settle")[0] == 200
    assert remote.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == "ACTIVE"

    status, _ = control(
        personalize_server,
        "POST",
        "fail",
        {"operation": "ListDatasetGroups", "error": "ThrottlingException", "times": 1},
    )
    assert status == 200
    with pytest.raises(remote.exceptions.ClientError) as throttled:
        remote.list_dataset_groups()
    assert throttled.value.response["Error"]["Code"] == "ThrottlingException"

    status, calls = control(personalize_server, "GET", "calls")
    assert status == 200
    assert [call["operation"] for call in calls] == [
        "CreateDatasetGroup",
        "DescribeDatasetGroup",
        "DescribeDatasetGroup",
        "ListDatasetGroups",
    ]
    assert calls[0]["params"] == {"name": "shop"}
    assert calls[0]["response"]["datasetGroupArn"] == arn
    assert calls[-1]["error"]["code"] == "ThrottlingException"

    assert control(personalize_server, "POST", "reset")[0] == 200
    assert remote.list_dataset_groups()["datasetGroups"] == []
    assert [call["operation"] for call in control(personalize_server, "GET", "calls")[1]] == [
        "ListDatasetGroups"
    ]


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_stop_closes_the_port_even_when_the_loop_lost_its_trigger(personalize_stub, monkeypatch):
    """The loop's thread ends cleanly too: no socket is closed between the loop choosing its
    sockets and its select() (each select is slowed down here so that window is wide)."""
    import select
    import socket
    import time
    import types

    from waitress import wasyncore

    from pytest_personalize_stub.server import PersonalizeServer

    def slow_select(*args):
        time.sleep(0.05)
        return select.select(*args)

    monkeypatch.setattr(wasyncore, "select", types.SimpleNamespace(select=slow_select))
    server = PersonalizeServer(personalize_stub)
    server.start()
    loop = server._thread
    assert control(server, "GET", "calls")[0] == 200
    trigger = server._server.trigger
    trigger.pull_trigger(trigger.close)  # in the loop's thread, as when polling its pipe fails
    deadline = time.monotonic() + 10
    while not trigger._closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert trigger._closed
    server.stop()
    assert loop is not None and not loop.is_alive()
    port = int(server.endpoint_url.rsplit(":", 1)[1])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5)


@pytest.mark.parametrize(
    ("method", "action", "body", "words"),
    [
        ("POST", "fail", {"operation": "CreateCampain", "error": "X"}, "did you mean"),
        ("POST", "fail", {"error": "ThrottlingException"}, "operation"),
        ("POST", "advance", {"seconds": -1}, "only moves forward"),
        ("POST", "advance", {"weeks": 1}, "seconds, minutes, hours and days"),
        ("GET", "settle", None, "known: POST /_stub/settle"),
        ("POST", "nothing", None, "known:"),
    ],
)
def test_control_api_misuse_is_a_4xx_naming_the_problem(
    personalize_server, method, action, body, words
):
    status, answer = control(personalize_server, method, action, body)
    assert 400 <= status < 500
    assert words in answer["message"]


JSON_11 = {"Content-Type": "application/x-amz-json-1.1"}


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "code"),
    [
        (
            "POST",
            "/",
            b"{not json",
            {**JSON_11, "X-Amz-Target": "AmazonPersonalize.ListCampaigns"},
            400,
            "SerializationException",
        ),
        (
            "POST",
            "/",
            b"{}",
            {**JSON_11, "X-Amz-Target": "AmazonPersonalize.DoSomething"},
            400,
            "UnknownOperationException",
        ),
        ("GET", "/no/such/path", b"", {}, 404, "UnknownOperationException"),
        (
            "POST",
            "/",
            b'{"maxResults": "ten"}',
            {**JSON_11, "X-Amz-Target": "AmazonPersonalize.ListCampaigns"},
            400,
            "SerializationException",
        ),
        ("POST", "/recommendations", b"\xff\xfe", {}, 400, "SerializationException"),
    ],
    ids=["malformed-body", "unknown-target", "unknown-path", "wrong-type", "not-utf8"],
)
def test_what_cannot_be_read_gets_aws_refusal_never_a_500(
    personalize_server, method, path, body, headers, status, code
):
    got, answer_headers, answer = raw(personalize_server, method, path, body or None, headers)
    assert got == status
    assert code in (answer.get("__type", ""), answer_headers.get("x-amzn-errortype", ""))
    assert "Traceback" not in json.dumps(answer)


@pytest.mark.personalize_stub(quotas={"schemas": 10_000})
def test_eight_concurrent_clients_of_500_calls_each_lose_nothing(personalize_server):
    failures = []

    def work(worker):
        remote = client_of(personalize_server, "personalize")
        try:
            for index in range(250):
                arn = remote.create_schema(name=f"w{worker}-{index}", schema=INTERACTIONS_SCHEMA)[
                    "schemaArn"
                ]
                remote.describe_schema(schemaArn=arn)
        except Exception as error:  # noqa: BLE001 - collected and reported below
            failures.append(repr(error))

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    calls = personalize_server.stub.calls
    assert len(calls) == 8 * 500
    assert all(call.error is None for call in calls)
    schemas = personalize_server.stub.state.store.all("schema")
    assert len({schema.arn for schema in schemas}) == 2000


@pytest.mark.parametrize(
    "command",
    [
        ["pytest-personalize-stub"],
        [sys.executable, "-m", "pytest_personalize_stub"],
    ],
    ids=["script", "module"],
)
def test_the_serve_command_prints_its_url_first_and_serves(command, tmp_path):
    if command[0] == "pytest-personalize-stub":  # this interpreter's own, else the PATH's
        from pathlib import Path
        from shutil import which

        beside = Path(sys.executable).with_name("pytest-personalize-stub")
        found = str(beside) if beside.exists() else which("pytest-personalize-stub")
        assert found is not None, "the package's script is installed"
        command = [found]
    process = subprocess.Popen(
        [*command, "serve", "--port", "0", "--region", "eu-west-1", "--virtual-time"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        server = type("Server", (), {"endpoint_url": url})()
        remote = client_of(server, "personalize")
        arn = remote.create_dataset_group(name="shop")["datasetGroupArn"]
        assert arn.startswith("arn:aws:personalize:eu-west-1:")
        before = control(server, "GET", "now")[1]["now"]
        assert control(server, "GET", "now")[1]["now"] == before, "virtual time stands still"
        assert remote.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == (
            "CREATE PENDING"
        )
        control(server, "POST", "advance", {"minutes": 1})
        assert remote.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == (
            "ACTIVE"
        )
    finally:
        process.terminate()
        process.wait(10)


def test_a_bad_flag_of_the_serve_command_is_a_one_line_error():
    result = subprocess.run(
        [sys.executable, "-m", "pytest_personalize_stub", "serve", "--region", "mars"],
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        (
            "pytest-personalize-stub: serve: region= must be an AWS region name such as "
            "us-east-1, not 'mars'"
        )
    ]


def test_the_serve_command_takes_advance_per_call():
    """A client of any SDK that polls in a bare loop sees the clock move with each call."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest_personalize_stub", "serve", "--port", "0"]
        + ["--virtual-time", "--advance-per-call", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        server = type("Server", (), {"endpoint_url": process.stdout.readline().strip()})()
        remote = client_of(server, "personalize")
        before = control(server, "GET", "now")[1]["now"]
        arn = remote.create_dataset_group(name="shop")["datasetGroupArn"]
        assert remote.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == (
            "ACTIVE"
        )
        after = control(server, "GET", "now")[1]["now"]
        elapsed = datetime.fromisoformat(after) - datetime.fromisoformat(before)
        assert elapsed.total_seconds() == 120
    finally:
        process.terminate()
        process.wait(10)
