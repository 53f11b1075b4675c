"""The benchmark's own pieces measure what they claim (tiny settings; figures not judged here,
except the memory target, which tracemalloc measures exactly), and docs/benchmarks.md is the
output of a full run of the current harness."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# benchmarks/ is on the path through pyproject's pythonpath option.
import bench
import calls
import cases
import polling
import reach
import scale
import suites
import timing

PAGE = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def test_timing_reports_the_median_and_the_quietest_block(monkeypatch):
    monkeypatch.setattr(timing, "WARM_UP_S", 0.0)
    samples = [5_000] * timing.BLOCK + [1_000] * timing.BLOCK + [9_000] * (timing.BLOCK + 1)
    measured = timing.Timing(samples)
    assert measured.median == 5.0
    assert measured.best_block == 1.0
    seen = []
    assert timing.time_block(lambda **p: seen.append(p), [{"a": 1}, {"a": 2}, {"a": 3}]) > 0
    assert seen == [{"a": 1}, {"a": 2}, {"a": 3}]


def test_every_case_is_answered_by_the_fake_stubber_and_where_they_serve_it_moto_and_floor():
    """One round of two calls per case: every case's parents build and its calls succeed."""
    measured = calls.measure(block=2, rounds=1)
    assert list(measured) == [case.operation for case in cases.CASES]
    for case in cases.CASES:
        expected = {"fake", "stubber"}
        expected |= {"floor"} if case.kind == "describe" else set()
        expected |= {"moto"} if case.moto is not None else set()
        assert set(measured[case.operation]) == expected, case.operation
        assert all(len(medians) == 1 for medians in measured[case.operation].values())


def test_every_family_has_a_create_measured():
    from pytest_personalize_stub.services import cleanroomsml, personalize

    measured = {case.family for case in cases.CASES if case.kind == "create"}
    families = {
        family.__name__.rsplit(".", 1)[1]
        for family in (*personalize.FAMILIES, *cleanroomsml.FAMILIES)
        if any(name.startswith(("Create", "Start", "Put")) for name in family.operations())
    }
    assert families <= measured


def test_scale_compares_each_measure_small_and_large(monkeypatch):
    monkeypatch.setattr(scale, "LARGE", 250)
    monkeypatch.setattr(scale, "RECORDED", 30)
    monkeypatch.setattr(scale, "HELD", 5)
    monkeypatch.setattr(scale, "DEEP_PAGE", 2)
    measured = scale.measure(block=2, rounds=1)
    assert {"ListDatasetGroups", "PutEvents", "CreateSolution"} <= set(measured)
    for sides in measured.values():
        assert len(sides["small"]) == len(sides["large"]) == 1


def test_settle_counts_every_status_change_it_applies():
    """New dataset groups each go CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE."""
    settled = scale.settle(50)
    assert settled["changes"] == 100
    assert settled["seconds"] > 0


def test_a_resource_at_rest_takes_at_most_1_5_kib():
    """The issue's memory target."""
    in_flight, at_rest = scale.bytes_per_resource(2000)
    assert at_rest < in_flight
    assert bench.TARGETS["bytes_at_rest"].met(at_rest)


def test_the_polling_loop_reads_every_recorded_call():
    polled = polling.poll(50)
    assert polled["recorded"] >= 50
    assert polled["last_status"] == "ACTIVE"
    assert polled["peak_mb"] >= polled["before_mb"] > 0


def test_the_generated_campaign_suite_deploys_in_every_test():
    body = suites.CAMPAIGN.format(decorator="", tests="{tests}")
    run = suites.run_suite(body, tests=2, repeats=1)
    assert run.wall > run.until_first > 0


def test_the_suites_leave_hypothesis_plugin_out_of_every_run(monkeypatch):
    """hypothesis's plugin imports hypothesis at each run's end, alike in every suite: the
    suites' pytest processes run without it, and with the environment they are given."""
    seen = []

    def fake_run(command, **kwargs):
        seen.append((command, kwargs["env"]))
        Path(kwargs["cwd"], "timing.json").write_text(
            '{"first": 1, "last": 2, "count": 2, "full_collections": 0, "full_collection_s": 0}'
        )

    monkeypatch.setattr(suites.subprocess, "run", fake_run)
    suites.run_suite(suites.EMPTY.format(decorator="", tests="{tests}"), 2, 1, env={"A": "1"})
    ((command, env),) = seen
    assert command[command.index("no:hypothesispytest") - 1] == "-p"
    assert env == {"A": "1"}


def test_the_floor_suite_runs_its_plain_fixtures_without_the_fake():
    body = suites.FLOOR.format(decorator="", tests="{tests}")
    run = suites.run_suite(body, tests=2, repeats=1, options=("-p", "no:personalize_stub"))
    assert run.wall > run.until_first > 0


COLLECTING = """
import gc


@pytest.mark.parametrize("n", range({tests}))
def test_case(n):
    if n == {collects_at}:
        gc.collect()
"""


def test_a_run_counts_the_full_collections_after_its_first_test_only():
    """A full collection in the first test is start-up, as the first test's imports are; one
    in a later test is counted, with its time per test after the first."""
    later = suites.run_suite(COLLECTING.format(tests="{tests}", collects_at=1), 3, 1)
    assert later.full_collections >= 1 and 0 < later.collecting_per_test < later.per_test
    first = suites.run_suite(COLLECTING.format(tests="{tests}", collects_at=0), 3, 1)
    assert first.full_collections == 0 and first.collecting_per_test == 0


def test_the_check_and_the_hook_are_judged_less_the_full_collections(monkeypatch, capsys):
    """A full collection that falls after the first test in one variant's runs and inside
    it in another's is no cost of the check."""

    def runs(per_test_us, collecting_us):
        return [
            suites.Run(1.0, (us + index) / 1e6, 0.1, 1 if collecting_us else 0, collecting_us / 1e6)
            for index, us in enumerate([per_test_us] * 4)
        ]

    measured = {
        "fixtures": runs(500, 40),
        "check off": runs(460, 0),
        "check off, no report hook": runs(455, 0),
    }
    monkeypatch.setattr(bench, "strictness", lambda tests, repeats: measured)
    monkeypatch.setattr(bench, "VERDICTS", [])
    bench.print_strictness(2, 4)
    rows = {line.split(" | ")[0]: line for line in capsys.readouterr().out.splitlines()}
    check = rows[
        "| what the unused-rule check at teardown (`assert_all_failures_fired`) adds to a passing test"
    ]
    assert check.split(" | ")[1] == "0 us" and check.endswith("| met |")
    hook = rows["| what the report hook (`personalize-stub calls`) adds to a passing test"]
    assert hook.split(" | ")[1] == "5 us" and hook.endswith("| MISSED |")


STRICTNESS = """
def test_unfired(personalize_stub):
    personalize_stub.fail("ListCampaigns", error="ThrottlingException")


def test_fails(personalize_client):
    personalize_client.list_campaigns()
    assert False
"""


def test_the_suites_run_in_interleaved_rounds_and_keep_each_ones_quickest(monkeypatch):
    order = []
    figures = iter(range(100, 0, -1))

    environments = []

    def run(text, tests, repeats, env=None):
        order.append(text)
        environments.append(env)
        figure = next(figures)
        return suites.Run(figure, figure / 1000, figure / 10)

    monkeypatch.setattr(suites, "run_suite", run)
    runs = suites.suites(tests=2, repeats=3, frozen_repeats=1)
    names = [
        "empty",
        "fixtures",
        "campaign",
        "floor",
        "fixtures, no bytecode",
        "empty frozen",
        "fixtures frozen",
        "campaign frozen",
    ]
    assert list(runs) == names
    first, second, third = order[:8], order[8:13], order[13:]
    assert second == third == first[:5] and len(set(order)) == 7 and first[4] == first[1]
    assert [runs[name].wall for name in names] == [87, 86, 85, 84, 83, 95, 94, 93]
    assert runs["empty"] == suites.Run(87, 0.087, 8.7)
    assert environments[:4] == [None] * 4 and environments[4]["PYTHONDONTWRITEBYTECODE"] == "1"


def test_a_run_without_bytecode_imports_the_plugin_from_a_copy_of_its_sources_alone(tmp_path):
    suites.compile_plugin()
    assert list(suites.PACKAGE.glob("__pycache__/*.pyc"))
    with suites.without_bytecode() as env:
        shown = subprocess.run(
            [sys.executable, "-c", "import pytest_personalize_stub.store as m; print(m.__file__)"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        ).stdout.strip()
        copy = Path(env["PYTHONPATH"].split(os.pathsep)[0], "pytest_personalize_stub")
        assert Path(shown).parent == copy
        assert not list(copy.rglob("*.pyc"))


def test_the_strictness_runs_turn_the_check_and_the_report_hook_off(monkeypatch, tmp_path):
    made = []
    monkeypatch.setattr(suites, "run_suite", lambda *args: made.append(args[3]) or args)
    assert list(suites.strictness(tests=2, repeats=1)) == [
        "fixtures",
        "check off",
        "check off, no report hook",
    ]
    assert made == [(), suites.UNCHECKED, (*suites.UNCHECKED, *suites.NO_REPORTS)]
    (tmp_path / "test_strictness.py").write_text(STRICTNESS)
    seen = {}
    for options in made[::2]:
        seen[options] = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        ).stdout
    checked, unchecked = seen.values()
    assert "1 failed, 1 passed, 1 error" in checked and "personalize-stub calls" in checked
    assert "1 failed, 1 passed in" in unchecked and "personalize-stub calls" not in unchecked


def test_the_other_ways_in_and_their_floors_are_measured(monkeypatch):
    """Each figure of "Other ways in", floors included, comes from calls that succeed."""
    monkeypatch.setattr(timing, "WARM_UP_S", 0.0)
    monkeypatch.setattr(timing, "BLOCK", 1)
    figures = {
        **reach.sync_and_async_describe(5),
        **reach.start_and_stop(5),
        **reach.over_http(5),
        **reach.wire_and_stubber(5),
    }
    expected = {
        "sync_describe_us",
        "mock_start_stop_us",
        "server_describe_us",
        "loopback_floor_us",
        "moto_server_describe_us",
        "wire_describe_us",
        "wire_floor_us",
        "stubber_describe_us",
    }
    assert expected <= set(figures)
    assert all(figures[name] > 0 for name in expected)


def test_a_missed_target_that_its_floor_misses_too_says_so(monkeypatch, capsys):
    """A Reach verdict names the floor's own figure when even a fake costing nothing would
    miss the target, and only then."""
    figures = {
        "sync_describe_us": 10.0,
        "mock_start_stop_us": 50.0,
        "server_describe_us": 1200.0,
        "loopback_floor_us": 1100.0,  # over 1000 us by itself
        "moto_server_describe_us": 6000.0,  # 5.5x the floor: 5x was within reach
        "moto_server_over_server": 6000 / 1200,
        "wire_describe_us": 300.0,
        "wire_floor_us": 250.0,  # 2.5x Stubber's time by itself
        "stubber_describe_us": 100.0,
        "wire_over_stubber": 3.0,
    }
    monkeypatch.setattr(bench, "run_json", lambda *args: figures)
    monkeypatch.setattr(bench, "VERDICTS", [])
    bench.print_reach(5)
    rows = {line.split(" | ")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert rows["| DescribeCampaign over loopback HTTP to the fake's server"].endswith(
        "| MISSED: the floor alone gives 1100.00 |"
    )
    assert rows["| the same, beside moto's server"].endswith("| met |")
    assert rows["| DescribeCampaign with wire=True"].endswith(
        "| MISSED: the floor alone gives 2.50 |"
    )
    figures["server_describe_us"] = 1500.0
    figures["moto_server_over_server"] = 6000 / 1500  # 4x, where the floor gives 5.5x
    bench.print_reach(5)
    rows = {line.split(" | ")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert rows["| the same, beside moto's server"].endswith("| MISSED |")


def test_the_header_names_the_processor_the_figures_were_taken_on(monkeypatch, capsys, tmp_path):
    """Ratios move from one processor to another, so the page says which one it ran on."""
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9R14\n")
    assert bench._processor(str(info)) == "AMD EPYC 9R14"
    monkeypatch.setattr(bench.platform, "processor", lambda: "")
    assert bench._processor(str(tmp_path / "absent")) == "an unnamed processor"
    monkeypatch.setattr(bench, "_processor", lambda: "AMD EPYC 9R14")
    bench.print_header(quick=False)
    assert f"({bench.platform.machine()}, AMD EPYC 9R14), botocore " in capsys.readouterr().out


def test_the_page_is_the_output_of_a_full_run_of_the_harness():
    text = PAGE.read_text()
    assert text.startswith("# Benchmarks\n")
    assert "one full run of" in text.split("\n## ")[0], "not the output of a full run"
    assert re.findall(r"^## (.+)$", text, re.MULTILINE) == list(bench.SECTIONS.values())
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| ")]
    operations = {row[0].removeprefix("| ") for row in rows}
    assert {case.operation for case in cases.CASES} <= operations
    verdicts = [  # "MISSED: the floor alone gives ..." is a miss too
        found[1]
        for row in rows
        if (found := re.fullmatch(r"(met|MISSED)(: the floor alone gives [\d.]+)? \|", row[-1]))
    ]
    judged = re.search(r"(\d+) of (\d+) targets met", text)
    assert judged is not None
    assert int(judged[2]) == len(verdicts)
    assert int(judged[1]) == verdicts.count("met")
