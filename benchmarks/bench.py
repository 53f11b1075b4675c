"""Benchmark of pytest-personalize-stub against the targets of the issue "Speed".

Run: ``python benchmarks/bench.py > docs/benchmarks.md`` (``--quick`` for a shorter, rougher
run). It prints, as Markdown: every family's calls beside botocore's ``Stubber``, moto's
``mock_aws`` where moto serves the call, and the floor (botocore's client method alone); how
costs grow with the account; memory; whole pytest runs; what the installed plugin costs a
project that does not use it; and the other ways in (mock_personalize, the HTTP server,
wire=True). Every row says its target and whether this run met it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cases import CASES, KNOWN, PAGE
from scale import (
    DEEP_PAGE,
    GROUP_CREATES,
    HELD,
    LARGE,
    RECORDED,
    SETTLED,
    SMALL,
    bytes_per_resource,
)
from suites import SOURCE_ONLY, collection_overhead, compile_plugin, strictness, suites

HERE = Path(__file__).resolve().parent
POLLS = 1_000_000


@dataclass(frozen=True)
class Target:
    """A figure the project promises: ``at_least`` or at most ``bound``."""

    bound: float
    at_least: bool
    text: str

    def met(self, value: float) -> bool:
        return value >= self.bound if self.at_least else value <= self.bound


def faster(times: float) -> Target:
    return Target(times, True, f">= {times:g}x")


def at_most(bound: float, unit: str = "x") -> Target:
    return Target(bound, False, f"<= {bound:g}{unit}")


TARGETS = {
    "describe_vs_stubber": faster(12),
    "describe_vs_moto": faster(100),
    "describe_over_floor": at_most(15),
    "call_vs_stubber": faster(2),
    "deep_page": at_most(3),
    "put_events_recorded": at_most(2),
    "group_create": at_most(1.5),
    "settle_s": at_most(5, " s"),
    "campaign_suite_extra_s": at_most(1.5, " s"),
    "fixture_overhead_us": at_most(200, " us"),
    "bytes_at_rest": at_most(1536, " B"),
    "polling_mb": at_most(300, " MB"),
    "async_over_sync": at_most(1.5),
    "mock_start_stop_us": at_most(1000, " us"),
    "server_describe_us": at_most(1000, " us"),
    "moto_server_over_server": faster(5),
    "wire_over_stubber": at_most(1),
}
"""The targets of the issue "Speed" (its section "The benchmark"); ``group_create`` reads
"creates under per-group quotas are O(1)" as at most 1.5x. The last five are the figures of
the issues "Reach, part 1" (async, mock_personalize) and "Reach, part 2" (server, wire)."""

SECTIONS = {
    "calls": "Per call, every family",
    "scale": "Flat in the account's size",
    "memory": "Memory",
    "suites": "Whole pytest runs",
    "collection": "A project that does not use the plugin",
    "reach": "Other ways in",
    "summary": "Summary",
}
"""The headings of the page, in order."""

VERDICTS: list[tuple[str, bool]] = []
"""Every judged row of this run: (what, met)."""


def judge(what: str, value: float, target: Target) -> str:
    met = target.met(value)
    VERDICTS.append((what, met))
    return "met" if met else "MISSED"


def run_json(*args: str, tries: int = 2) -> dict:  # type: ignore[type-arg]
    """The last line of a fresh Python process running one of these modules, as JSON; a
    process that fails (the loopback servers can, on a loaded machine) is run once more."""
    for _ in range(tries):
        done = subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, cwd=HERE, check=False
        )
        if done.returncode == 0:
            return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]
        sys.stderr.write(done.stderr)
    raise RuntimeError(f"{' '.join(args)} failed {tries} times (its errors are above)")


def pooled(runs: list[dict], name: str) -> dict[str, list[list[float]]]:  # type: ignore[type-arg]
    """Each implementation's block medians of one measure: one list per process."""
    found: dict[str, list[list[float]]] = {}
    for run in runs:
        for impl, medians in run[name].items():
            found.setdefault(impl, []).append(medians)
    return found


def figure(blocks: list[list[float]]) -> float:
    """The median of every block of every process."""
    return statistics.median(value for process in blocks for value in process)


def ratio(top: list[list[float]], bottom: list[list[float]]) -> float:
    """The median over every round of every process of ``top / bottom`` in that round."""
    return statistics.median(
        t / b for tops, bottoms in zip(top, bottom) for t, b in zip(tops, bottoms)
    )


def times(value: float) -> str:
    """A ratio with enough digits to tell it from a target (1.99x is not 2x)."""
    return f"{value:.1f}x" if value >= 10 else f"{value:.2f}x"


COMPARED = {"stubber": "Stubber", "moto": "moto `mock_aws`", "floor": "floor"}


def print_calls(block: int, rounds: int, processes: int) -> None:
    runs = [run_json("calls.py", str(block), str(rounds)) for _ in range(processes)]
    print(
        f"## {SECTIONS['calls']}\n\nMicroseconds per call: each figure is the median of "
        f"{rounds} interleaved rounds (after one of warm-up) in each of {processes} fresh "
        f"processes, a block of {block} calls per implementation a round (moto: a tenth, a "
        "fortieth for the list); each ratio is the median of the ratios of the same round's "
        "blocks. `Stubber` answers from queued responses, each the fake's own answer to the "
        "same call less ResponseMetadata, so both have the same shape. The floor is "
        "`BaseClient._make_api_call` patched to return that answer at once, called through "
        "the same client method. The fake answers each block in a new account that holds only "
        "the block's parents (as a test's would): built once, or one per call where a dataset "
        "group takes only one (a dataset type, an event tracker, a metric attribution), with "
        "quotas raised and unique names. Known ids: the group holds "
        f"{KNOWN} items (PutItems and PutEvents) or actions (PutActions); no known ids: its "
        "Interactions dataset is empty.\n"
    )
    print("| call | family | fake us | compared with | their us | ratio | target | verdict |")
    print("|---|---|---:|---|---:|---:|---:|---|")
    for case in CASES:
        impls = pooled(runs, case.operation)
        mine = figure(impls["fake"])
        comparisons = ["stubber"]
        if case.kind == "describe":
            comparisons += ["moto", "floor"]
        elif case.moto is not None:
            comparisons.append("moto")
        for impl in comparisons:
            label = f"| {case.operation} | {case.family} | {mine:.1f} | {COMPARED[impl]} |"
            if impl not in impls:
                unserved = TARGETS["describe_vs_moto"].text
                print(f"{label} | | {unserved} | n/a: moto does not serve it |")
                continue
            theirs = figure(impls[impl])
            if impl == "floor":
                value = ratio(impls["fake"], impls["floor"])
                key, shown = "describe_over_floor", f"{times(value)} the floor"
            else:
                value = ratio(impls[impl], impls["fake"])
                shown = f"{times(value)} faster" if value >= 1 else f"{times(1 / value)} slower"
                key = {"describe": f"describe_vs_{impl}"}.get(case.kind, "call_vs_stubber")
            if impl == "moto" and case.kind != "describe":
                print(f"{label} {theirs:.1f} | {shown} | none | |")
                continue
            target = TARGETS[key]
            verdict = judge(f"{case.operation} vs {COMPARED[impl]}", value, target)
            print(f"{label} {theirs:.1f} | {shown} | {target.text} | {verdict} |")
    print()


def print_scale(block: int, rounds: int, processes: int, polls: int) -> None:
    runs = [run_json("scale.py", str(block), str(rounds)) for _ in range(processes)]
    print(
        f"## {SECTIONS['scale']}\n\nMicroseconds per call, the small and the large "
        f"setting measured in interleaved rounds ({rounds} a process, after one of warm-up, "
        f"{processes} fresh processes, blocks of {block}); the ratio is the median of each "
        "round's large / small. Creates counted by a per-group quota (raised) go into a new "
        f"empty group each call, or into a group holding {HELD:,} of them.\n"
    )
    print("| measure | small | large | small us | large us | ratio | target | verdict |")
    print("|---|---|---|---:|---:|---:|---:|---|")
    rows: list[tuple[str, str, str, str | None]] = [
        (
            "DescribeDatasetGroup",
            f"{SMALL} groups",
            f"{LARGE:,} groups",
            None,
        ),
        (
            "quiet clock step + DescribeDatasetGroup",
            f"{SMALL} groups",
            f"{LARGE:,} groups",
            None,
        ),
        (
            "ListDatasetGroups",
            f"page 1 of {PAGE}, {LARGE:,} groups",
            f"page {DEEP_PAGE}",
            "deep_page",
        ),
        (
            "PutEvents",
            "the first events",
            f"{RECORDED:,} recorded",
            "put_events_recorded",
        ),
        *(
            (create.operation, "empty group", f"{HELD:,} in the group", "group_create")
            for create in GROUP_CREATES
        ),
    ]
    for name, small, large, key in rows:
        sides = pooled(runs, name)
        value = ratio(sides["large"], sides["small"])
        target = TARGETS[key] if key else None
        verdict = judge(name, value, target) if target else ""
        print(
            f"| {name} | {small} | {large} | {figure(sides['small']):.1f} | "
            f"{figure(sides['large']):.1f} | {value:.2f} | {target.text if target else 'none'} "
            f"| {verdict} |"
        )
    settled = run_json("scale.py", "settle", str(SETTLED))
    seconds = settled["seconds"]
    per_change = seconds / settled["changes"] * 1e6
    print(
        f"| settle() of {SETTLED:,} dataset groups in flight | | "
        f"{settled['changes']:,.0f} status changes | | {seconds * 1e6:,.0f} | "
        f"{seconds:.2f} s ({per_change:.1f} us a change) | {TARGETS['settle_s'].text} | "
        f"{judge('settle()', seconds, TARGETS['settle_s'])} |"
    )
    print()
    in_flight, at_rest = bytes_per_resource()
    polled = run_json("polling.py", str(polls))
    grown = polled["peak_mb"] - polled["before_mb"]
    peak = polled["before_mb"] + grown * POLLS / polls
    how = (
        "measured"
        if polls == POLLS
        else f"extrapolated from {polls:,} calls: the RSS before the loop plus "
        f"{POLLS // polls}x what the loop added"
    )
    print(f"## {SECTIONS['memory']}\n")
    print("| measure | figure | target | verdict |")
    print("|---|---:|---:|---|")
    print(
        f"| bytes per dataset group at rest (ACTIVE, no calls held; tracemalloc, {LARGE:,} "
        f"groups) | {at_rest:.0f} B | {TARGETS['bytes_at_rest'].text} | "
        f"{judge('bytes at rest', at_rest, TARGETS['bytes_at_rest'])} |"
    )
    print(f"| bytes per dataset group in flight | {in_flight:.0f} B | none | |")
    print(
        f"| peak RSS of a fresh process making {POLLS:,} DescribeCampaign calls in one fake, "
        f"then reading `stub.calls` ({how}) | {peak:.0f} MB | {TARGETS['polling_mb'].text} "
        f"| {judge('polling loop', peak, TARGETS['polling_mb'])} |"
    )
    print(
        f"\nThe polling process: {polled['before_mb']:.0f} MB before the loop, "
        f"{polled['peak_mb']:.0f} MB at its end; {polled['count']:,} calls in "
        f"{polled['seconds']:.1f} s, `stub.calls` held {polled['recorded']:,} (the last "
        f"answered {polled['last_status']}).\n"
    )


def print_suites(tests: int, repeats: int, frozen_repeats: int) -> None:
    compile_plugin()
    runs = suites(tests, repeats, frozen_repeats)

    def per_test_us(name: str, baseline: str) -> float:
        return (runs[name].per_test - runs[baseline].per_test) * 1e6

    print(
        f"## {SECTIONS['suites']}\n\n{tests:,} tests each, fresh processes, quickest of "
        f"{repeats} interleaved rounds (each suite once a round; the three under freezegun, "
        f"which judge no target, in the first {frozen_repeats}); a campaign test makes its "
        "chain with `personalize_stub.build.campaign()` and describes the campaign. The "
        "plugin's modules are byte-compiled first, as `pip install` leaves them (this "
        "machine sets `PYTHONDONTWRITEBYTECODE`, so a checkout has none); the fixtures suite "
        "runs once more a round without that bytecode. hypothesis's pytest plugin is left "
        "out of every run (`-p no:hypothesispytest`): it imports hypothesis at each run's "
        "end, alike in every suite.\n"
    )
    print("| run | wall s | per test after the first, us |")
    print("|---|---:|---:|")
    for name, run in runs.items():
        print(f"| {name} | {run.wall:.2f} | {run.per_test * 1e6:.0f} |")
    print()
    if tests == 1000:
        extra = runs["campaign"].wall - runs["empty"].wall
        how = "measured"
    else:
        first = runs["campaign"].until_first - runs["empty"].until_first
        extra = first + per_test_us("campaign", "empty") * 999 / 1e6
        how = f"extrapolated from {tests:,} tests"
    overhead = per_test_us("fixtures", "empty")
    print("| measure | figure | target | verdict |")
    print("|---|---:|---:|---|")
    target = TARGETS["campaign_suite_extra_s"]
    print(
        f"| 1,000 tests each deploying a campaign, beyond 1,000 empty tests ({how}) | "
        f"{extra:.2f} s | {target.text} | {judge('campaign suite', extra, target)} |"
    )
    target = TARGETS["fixture_overhead_us"]
    print(
        f"| fixture overhead per test after the first | {overhead:.0f} us | {target.text} | "
        f"{judge('fixture overhead', overhead, target)} |"
    )
    first = (runs["fixtures"].until_first - runs["empty"].until_first) * 1000
    compiling = (runs[SOURCE_ONLY].until_first - runs["fixtures"].until_first) * 1000
    floor = per_test_us("floor", "empty")
    print(
        f"\n- the floor of the fixture overhead, two plain fixtures of the same shape in a "
        f"process that has loaded boto3 and made a client: {floor:.0f} us per test; the "
        f"fixtures cost {overhead - floor:.0f} us beyond it\n"
        f"- one-time cost of the first test using the fixtures: {first:.0f} ms; "
        f"{compiling:.0f} ms more where the plugin's modules have no bytecode (a fresh "
        "editable checkout with `PYTHONDONTWRITEBYTECODE` set compiles them in each "
        "process)\n"
        f"- freezegun's freeze_time costs {per_test_us('empty frozen', 'empty'):.0f} us per "
        f"empty test and {per_test_us('fixtures frozen', 'fixtures'):.0f} us per test once "
        "boto3 is loaded (it scans every loaded module at each start); the campaign costs "
        f"{per_test_us('campaign', 'fixtures'):.0f} us per test without it and "
        f"{per_test_us('campaign frozen', 'fixtures frozen'):.0f} us under it\n"
        "- full garbage collections after the first test, in the run with the quickest "
        "figure per test (each walks every object the process holds, some 40 ms where boto3 "
        "is loaded; these figures include them): "
        + "; ".join(
            f"{name} {run.full_collections}"
            + (f" ({run.collecting_per_test * 1e6:.0f} us a test)" if run.full_collections else "")
            for name, run in runs.items()
        )
        + "\n"
    )
    print_strictness(tests, max(3, repeats))


def print_strictness(tests: int, repeats: int) -> None:
    """What the unused-rule check at teardown and the report hook cost a passing test."""
    runs = strictness(tests, repeats)
    per_test = {
        name: [(run.per_test - run.collecting_per_test) * 1e6 for run in found]
        for name, found in runs.items()
    }
    low, _, high = statistics.quantiles(per_test["fixtures"], n=4, method="inclusive")
    noise = high - low
    median = {name: statistics.median(values) for name, values in per_test.items()}
    costs = {
        "the unused-rule check at teardown (`assert_all_failures_fired`)": median["fixtures"]
        - median["check off"],
        "the report hook (`personalize-stub calls`)": median["check off"]
        - median["check off, no report hook"],
    }
    print(
        f"The fixtures suite in {repeats} interleaved runs each: as it is, with "
        "`-o personalize_stub_assert_all_failures_fired=false`, and with the report hook "
        "blocked too "
        "(`-p no:personalize_stub_reports`); medians per test after the first, less each "
        "run's full garbage collections (the ini option imports pydantic at the first test, "
        "which moves the full collection that a 1,000-test run has after its first test "
        "without the option into its first test: some 40 us a test that the check does not "
        f"cost): " + ", ".join(f"{name} {value:.0f} us" for name, value in median.items()) + ".\n"
    )
    print("| measure | figure | target | verdict |")
    print("|---|---:|---:|---|")
    for what, cost in costs.items():
        met = cost <= noise
        VERDICTS.append((what, met))
        print(
            f"| what {what} adds to a passing test | {cost:.0f} us | invisible: within the "
            f"runs' spread ({noise:.0f} us) | {'met' if met else 'MISSED'} |"
        )
    print()


def print_collection(repeats: int) -> None:
    found = collection_overhead(repeats)
    met = found.added_ms <= found.noise_ms
    VERDICTS.append(("unused plugin", met))
    print(
        f"## {SECTIONS['collection']}\n\n`pytest --co` of 100 plain tests, "
        f"{repeats} interleaved runs with the plugin installed and with it left out "
        "(`-p no:personalize_stub`).\n"
    )
    print("| measure | figure | target | verdict |")
    print("|---|---:|---:|---|")
    print(
        f"| median run with it, beyond the median without | {found.added_ms:.1f} ms | within "
        f"the noise: {found.noise_ms:.1f} ms (interquartile range of the runs without) | "
        f"{'met' if met else 'MISSED'} |"
    )
    print(f"| its modules' import time (`-X importtime`) | {found.imports_ms:.1f} ms | none | |")
    print()


def print_reach(samples: int) -> None:
    found = run_json("reach.py", str(samples))
    print(
        f"## {SECTIONS['reach']}\n\nMicroseconds, the median of one process each, against the "
        'figures of the issues "Reach, part 1" and "Reach, part 2".\n'
    )
    print("| measure | figure | compared with | figure | ratio | target | verdict |")
    print("|---|---:|---|---:|---:|---:|---|")

    def row(
        what: str,
        figure: str,
        other: str,
        other_figure: str,
        ratio: str,
        key: str,
        floor: float | None = None,
    ) -> None:
        """One judged row; ``floor``: what the target's measure would read were the fake to
        cost nothing (its verdict then says when even that misses the target)."""
        target = TARGETS[key]
        verdict = judge(what, found[key], target)
        if verdict == "MISSED" and floor is not None and not target.met(floor):
            verdict += f": the floor alone gives {floor:.2f}"
        print(
            f"| {what} | {figure} | {other} | {other_figure} | {ratio} | {target.text} | "
            f"{verdict} |"
        )

    sync = f"{found['sync_describe_us']:.1f}"
    if "async_describe_us" in found:
        row(
            "DescribeSchema, aiobotocore client",
            f"{found['async_describe_us']:.1f}",
            "boto3 client",
            sync,
            f"{found['async_over_sync']:.2f}x",
            "async_over_sync",
        )
    else:
        print(
            "| DescribeSchema, aiobotocore client | not measured: aiobotocore is not installed "
            f"| boto3 client | {sync} | | {TARGETS['async_over_sync'].text} | n/a |"
        )
    start_stop = f"{found['mock_start_stop_us']:.0f}"
    row("mock_personalize() start + stop", start_stop, "", "", "", "mock_start_stop_us")
    server = f"{found['server_describe_us']:.0f}"
    moto = f"{found['moto_server_describe_us']:.0f}"
    row(
        "DescribeCampaign over loopback HTTP to the fake's server",
        server,
        "a bare waitress app sending the same answer (the floor)",
        f"{found['loopback_floor_us']:.0f}",
        f"{found['server_describe_us'] / found['loopback_floor_us']:.2f}x the floor",
        "server_describe_us",
        found["loopback_floor_us"],
    )
    row(
        "the same, beside moto's server",
        server,
        "DescribeSchema to moto's server",
        moto,
        f"{found['moto_server_over_server']:.1f}x faster",
        "moto_server_over_server",
        found["moto_server_describe_us"] / found["loopback_floor_us"],
    )
    print(
        f"| the floor of wire=True: botocore's whole stack answered at before-send with the "
        f"same bytes, no fake | {found['wire_floor_us']:.1f} | Stubber | "
        f"{found['stubber_describe_us']:.1f} | "
        f"{found['wire_floor_us'] / found['stubber_describe_us']:.2f}x Stubber's time | none | |"
    )
    row(
        "DescribeCampaign with wire=True",
        f"{found['wire_describe_us']:.1f}",
        "Stubber, same answer",
        f"{found['stubber_describe_us']:.1f}",
        f"{found['wire_over_stubber']:.2f}x Stubber's time",
        "wire_over_stubber",
        found["wire_floor_us"] / found["stubber_describe_us"],
    )
    print(
        "\nA floor is the same client call answered with no fake behind it: a verdict that "
        "says what the floor alone gives marks a target this machine's botocore misses by "
        "itself, whatever the fake does.\n"
    )


def _versions() -> str:
    """The versions of the libraries the figures depend on, as installed."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("botocore", "aiobotocore", "moto"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"no {name}")
    return ", ".join(found)


def _processor(cpuinfo: str = "/proc/cpuinfo") -> str:
    """The processor's model name (ratios move with it: botocore's stack and the fake do not
    speed up alike from one processor to another), from Linux's cpuinfo where it has one."""
    try:
        with open(cpuinfo) as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "an unnamed processor"


def print_header(quick: bool) -> None:
    print("# Benchmarks\n")
    print(
        'How fast the fake is against the targets of the issue "Speed", beside botocore\'s '
        "`Stubber`, moto and the floor of a botocore client call. This page is the output of "
        f"one {'quick (rough)' if quick else 'full'} run of `python benchmarks/bench.py`, on "
        f"{datetime.date.today():%Y-%m-%d} with Python {platform.python_version()} on "
        f"{os.cpu_count()} cpus ({platform.machine()}, {_processor()}), {_versions()}, a machine "
        "whose timings are noisy: other jobs run beside it.\n"
    )
    print(
        "```bash\n"
        'python -m pip install -e ".[test]"\n'
        "python benchmarks/bench.py > docs/benchmarks.md  # full run\n"
        "python benchmarks/bench.py --quick               # rougher\n"
        "```\n"
    )


def print_summary(seconds: float) -> None:
    missed = [what for what, met in VERDICTS if not met]
    met = len(VERDICTS) - len(missed)
    print(f"## {SECTIONS['summary']}\n")
    print(f"{met} of {len(VERDICTS)} targets met; this run took {seconds / 60:.0f} minutes.")
    if missed:
        print(f"Missed: {'; '.join(missed)}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples, smaller suites")
    quick = parser.parse_args().quick
    start = time.perf_counter()
    sections: list[Callable[[], None]] = [
        lambda: print_calls(100 if quick else 300, 2 if quick else 4, 2 if quick else 3),
        lambda: print_scale(
            100 if quick else 200,
            2 if quick else 4,
            1 if quick else 3,
            POLLS // 10 if quick else POLLS,
        ),
        lambda: print_suites(300 if quick else 1000, 1 if quick else 8, 1 if quick else 2),
        lambda: print_collection(4 if quick else 10),
        lambda: print_reach(1000 if quick else 5000),
    ]
    print_header(quick)
    for section in sections:
        section()
        sys.stdout.flush()
    print_summary(time.perf_counter() - start)


if __name__ == "__main__":
    main()
