"""The calls the fake records: each shows what the code received at the time, stays intact
whatever the code does with its answers, and a long polling loop keeps little per call."""

from __future__ import annotations

import gc
import tracemalloc


def test_a_record_shows_each_answer_as_the_code_received_it(personalize_stub, personalize_client):
    arns = personalize_stub.build.solution_version()
    campaign = personalize_client.create_campaign(
        name="polled", solutionVersionArn=arns["solutionVersionArn"]
    )["campaignArn"]
    start = len(personalize_stub.calls)
    seen = []
    for _ in range(6):
        answer = personalize_client.describe_campaign(campaignArn=campaign)
        seen.append((answer["campaign"]["status"], answer["ResponseMetadata"]["RequestId"]))
        personalize_stub.clock.advance(minutes=3)
    recorded = [
        (call.response["campaign"]["status"], call.response["ResponseMetadata"]["RequestId"])
        for call in personalize_stub.calls[start:]
    ]
    assert recorded == seen
    statuses = [status for status, _ in seen]
    assert statuses[0] == "CREATE PENDING" and "CREATE IN_PROGRESS" in statuses
    assert statuses[-1] == "ACTIVE"
    assert len({request for _, request in seen}) == 6


def test_changing_an_answer_or_a_record_changes_nothing_else(personalize_stub, personalize_client):
    arn = personalize_client.create_dataset_group(name="kept")["datasetGroupArn"]
    personalize_stub.settle()
    first = personalize_client.describe_dataset_group(datasetGroupArn=arn)
    second = personalize_client.describe_dataset_group(datasetGroupArn=arn)
    first["datasetGroup"]["name"] = "scribbled"
    record = personalize_stub.calls[-1]
    record.response["datasetGroup"]["status"] = "scribbled"
    assert record.response["datasetGroup"]["status"] == "ACTIVE"
    assert record.response == second
    assert personalize_stub.calls[-2].response["datasetGroup"]["name"] == "kept"
    again = personalize_client.describe_dataset_group(datasetGroupArn=arn)
    assert again["datasetGroup"]["name"] == "kept"
    assert again["datasetGroup"]["status"] == "ACTIVE"
    assert record.params == {"datasetGroupArn": arn}


def test_a_polling_loop_keeps_little_per_call(personalize_stub, personalize_client):
    """The issue's figure: a million describes under 300 MB, so under 300 bytes a call."""
    arn = personalize_client.create_dataset_group(name="polled")["datasetGroupArn"]
    personalize_stub.settle()
    for _ in range(100):
        personalize_client.describe_dataset_group(datasetGroupArn=arn)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(10_000):
            personalize_client.describe_dataset_group(datasetGroupArn=arn)
        gc.collect()
        kept = (tracemalloc.get_traced_memory()[0] - before) / 10_000
    finally:
        tracemalloc.stop()
    assert kept < 300, f"{kept:.0f} bytes a call"
    assert personalize_stub.calls[-1].response["datasetGroup"]["status"] == "ACTIVE"
