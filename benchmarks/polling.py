"""A polling loop's memory: ``COUNT`` DescribeCampaign calls inside one fake, as code that
polls a campaign's status would make them, every call recorded until the end.

Run in a fresh process (``bench.py`` starts one), so the peak RSS is this loop's: it prints
one JSON line with the peak RSS (MB) before and after the loop, the loop's seconds, and what
``stub.calls`` held at the end (its length and the last call's response), read as a test
would read them.

    python benchmarks/polling.py COUNT
"""

from __future__ import annotations

import json
import resource
import sys
import time


def peak_rss_mb() -> float:
    """This process's peak resident set so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def poll(count: int) -> dict[str, float | str]:
    from pytest_personalize_stub import PersonalizeStub
    from pytest_personalize_stub.intercept import activated

    stub = PersonalizeStub()
    with activated(stub):
        campaign = stub.build.campaign()["campaignArn"]
        client = stub.client("personalize")
        describe = client.describe_campaign
        describe(campaignArn=campaign)
        before = peak_rss_mb()
        start = time.perf_counter()
        for _ in range(count):
            describe(campaignArn=campaign)
        seconds = time.perf_counter() - start
        calls = stub.calls
        recorded = len(calls)
        last = calls[-1].response
        assert last is not None and last["campaign"]["status"] == "ACTIVE"
    return {
        "count": count,
        "recorded": recorded,
        "last_status": last["campaign"]["status"],
        "before_mb": before,
        "peak_mb": peak_rss_mb(),
        "seconds": seconds,
    }


def main() -> None:
    print(json.dumps(poll(int(sys.argv[1]))))


if __name__ == "__main__":
    main()
