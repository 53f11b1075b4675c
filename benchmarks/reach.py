"""What the other ways in cost: an async (aiobotocore) describe beside the sync one, and
starting and stopping ``mock_personalize``.

Run: ``python benchmarks/reach.py [samples]``; prints one JSON line of medians in
microseconds (async figures only where aiobotocore is installed).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
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


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    figures = {**sync_and_async_describe(samples), **start_and_stop(max(samples // 5, 200))}
    if "async_describe_us" in figures:
        figures["async_over_sync"] = figures["async_describe_us"] / figures["sync_describe_us"]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
