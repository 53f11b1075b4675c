"""The fake's clock: advance(), settle(), durations, time-travel libraries and virtual sleep."""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import freezegun
import pytest
import time_machine
from support.flows import (
    active_dataset,
    active_dataset_group,
    active_solution,
    deployed_campaign,
    trained_version,
)
from support.inner import run_inner

REAL_SLEEP = time.sleep
"""``time.sleep`` as it was when this module was imported, before any fixture ran."""

TRANSITIONAL = ("PENDING", "IN_PROGRESS", "STOPPING", "DELETE")
TOLERANCE = timedelta(milliseconds=1)
"""How far two readings of the same virtual instant may differ (float rounding only)."""

JUST = 0.5
"""Seconds before a boundary at which the earlier status must still hold (wall time drifts
forward by a few milliseconds between calls, never backwards)."""

QUIET_INNER = ("-p", "no:hypothesispytest", "-p", "no:benchmark")
"""Inner sessions skip heavy unrelated plugins (only to keep them fast)."""


# ---------------------------------------------------------------- helpers


def ready_version(stub, client, name="clk"):
    """An ACTIVE solution version (and its solution and group), built through the flows."""
    group = active_dataset_group(stub, client, f"{name}-group")
    active_dataset(stub, client, group, f"{name}-data")
    solution = active_solution(stub, client, group, f"{name}-solution")
    version = trained_version(stub, client, solution)
    return {"datasetGroupArn": group, "solutionArn": solution, "solutionVersionArn": version}


def campaign(client, arn):
    return client.describe_campaign(campaignArn=arn)["campaign"]


def campaign_status(client, arn):
    return campaign(client, arn)["status"]


def version_status(client, arn):
    return client.describe_solution_version(solutionVersionArn=arn)["solutionVersion"]["status"]


def group_status(client, arn):
    return client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]


def move_to(stub, instant):
    """Advance the fake's clock to ``instant`` (which must not be in the fake's past)."""
    return stub.clock.advance(instant - stub.clock.now())


def same_instant(a, b):
    return abs(a - b) <= TOLERANCE


def is_transitional(status):
    return any(word in status for word in TRANSITIONAL)


def assert_boundaries(stub, read_status, start, boundaries):
    """At each ``(seconds, before, after)``, ``before`` holds just before and ``after`` from it."""
    for seconds, before, after in boundaries:
        move_to(stub, start + timedelta(seconds=seconds - JUST))
        assert read_status() == before, f"{JUST} s before {seconds} s"
        move_to(stub, start + timedelta(seconds=seconds))
        assert read_status() == after, f"at {seconds} s"


@pytest.fixture
def version(personalize_stub, personalize_client):
    return ready_version(personalize_stub, personalize_client)


@contextmanager
def frozen_by_freezegun(start):
    """freezegun's ``freeze_time``: steps with ``tick()``, jumps with ``move_to()``."""
    with freezegun.freeze_time(start) as frozen:
        yield SimpleNamespace(step=frozen.tick, move_to=frozen.move_to)


@contextmanager
def travelled_by_time_machine(start):
    """time-machine's ``travel`` without ticking: steps with ``shift()``, jumps with
    ``move_to()``."""
    with time_machine.travel(start, tick=False) as traveller:
        yield SimpleNamespace(step=traveller.shift, move_to=traveller.move_to)


TIME_TRAVELS = [
    pytest.param(frozen_by_freezegun, id="freezegun"),
    pytest.param(travelled_by_time_machine, id="time-machine"),
]
"""The time-travel libraries users move time with; the fake follows both alike."""


def new_campaign(stub, client):
    """A campaign created on a fresh ACTIVE version: its status reader and creation time."""
    version = ready_version(stub, client)
    arn = client.create_campaign(name="timed", solutionVersionArn=version["solutionVersionArn"])[
        "campaignArn"
    ]
    return (lambda: campaign_status(client, arn)), campaign(client, arn)["creationDateTime"]


def new_solution_version(stub, client):
    """A second version of a fresh ACTIVE version's solution: its status reader and creation
    time."""
    version = ready_version(stub, client)
    arn = client.create_solution_version(solutionArn=version["solutionArn"])["solutionVersionArn"]
    created = client.describe_solution_version(solutionVersionArn=arn)["solutionVersion"][
        "creationDateTime"
    ]
    return (lambda: version_status(client, arn)), created


def new_dataset_group(stub, client):
    """A new dataset group: its status reader and creation time."""
    arn = client.create_dataset_group(name="quick")["datasetGroupArn"]
    created = client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["creationDateTime"]
    return (lambda: group_status(client, arn)), created


# ---------------------------------------------------------------- clock.now / advance


def test_now_is_an_aware_utc_datetime_close_to_real_now(personalize_stub):
    now = personalize_stub.clock.now()
    assert isinstance(now, datetime)
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_advance_with_keywords_moves_the_clock_and_returns_the_new_now(personalize_stub):
    clock = personalize_stub.clock
    before = clock.now()
    returned = clock.advance(seconds=5, minutes=4, hours=3, days=2)
    step = timedelta(seconds=5, minutes=4, hours=3, days=2)
    assert isinstance(returned, datetime) and returned.utcoffset() == timedelta(0)
    assert step <= returned - before < step + timedelta(seconds=1)
    assert timedelta(0) <= clock.now() - returned < timedelta(seconds=1)


@pytest.mark.parametrize(
    ("keyword", "step"),
    [
        ("seconds", timedelta(seconds=7)),
        ("minutes", timedelta(minutes=7)),
        ("hours", timedelta(hours=7)),
        ("days", timedelta(days=7)),
    ],
)
def test_each_advance_keyword_has_its_unit(personalize_stub, keyword, step):
    before = personalize_stub.clock.now()
    returned = personalize_stub.clock.advance(**{keyword: 7})
    assert step <= returned - before < step + timedelta(seconds=1)


def test_advance_accepts_a_timedelta(personalize_stub):
    before = personalize_stub.clock.now()
    returned = personalize_stub.clock.advance(timedelta(hours=1, seconds=30))
    assert timedelta(hours=1, seconds=30) <= returned - before < timedelta(hours=1, seconds=31)


def test_advances_accumulate(personalize_stub):
    clock = personalize_stub.clock
    before = clock.now()
    clock.advance(seconds=30)
    clock.advance(timedelta(minutes=1))
    after = clock.advance(hours=1)
    assert timedelta(seconds=3690) <= after - before < timedelta(seconds=3691)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda clock: clock.advance(seconds=-1), id="seconds"),
        pytest.param(lambda clock: clock.advance(days=-1), id="days"),
        pytest.param(lambda clock: clock.advance(timedelta(seconds=-5)), id="timedelta"),
    ],
)
def test_negative_advance_raises_value_error_and_leaves_the_clock(personalize_stub, call):
    clock = personalize_stub.clock
    before = clock.now()
    with pytest.raises(ValueError):
        call(clock)
    assert timedelta(0) <= clock.now() - before < timedelta(seconds=1)


@pytest.mark.parametrize(
    ("call", "named"),
    [
        pytest.param(lambda clock: clock.advance(float("nan")), "nan", id="nan"),
        pytest.param(lambda clock: clock.advance(seconds=float("nan")), "nan", id="seconds-nan"),
        pytest.param(lambda clock: clock.advance(days=float("inf")), "inf", id="days-inf"),
        pytest.param(lambda clock: clock.advance(timedelta.max), "9000", id="timedelta-max"),
        pytest.param(
            lambda clock: clock.advance(seconds=1e300),
            r"advance\(\) by 1e\+300 seconds would take the fake's clock past 9000",
            id="absurd",
        ),
    ],
)
def test_an_advance_that_cannot_be_made_is_refused_and_changes_nothing(
    personalize_stub, personalize_client, call, named
):
    """NaN, infinity and moves past the year 9000 are refused; the clock, the statuses and
    every later timestamp are as if the call had never been made."""
    clock = personalize_stub.clock
    arn = personalize_client.create_dataset_group(name="steady")["datasetGroupArn"]
    before = clock.now()
    with pytest.raises(ValueError, match=named):
        call(clock)
    assert timedelta(0) <= clock.now() - before < timedelta(seconds=1)
    group = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert group["status"] == "CREATE PENDING"
    settled = personalize_stub.settle()
    assert abs(settled - group["creationDateTime"] - timedelta(seconds=60)) < TOLERANCE
    assert group_status(personalize_client, arn) == "ACTIVE"


class _WordedInstant(float):
    """An instant that counts how often it is written out."""

    worded = 0

    def __format__(self, spec: str) -> str:
        type(self).worded += 1
        return float.__format__(self, spec)


def test_a_move_to_an_instant_words_it_only_to_refuse_it(personalize_stub):
    """``settle()`` moves the clock to each change's instant; the message naming a move is
    written only for a move that is refused (writing out a float at every step cost a fifth
    of ``settle()``)."""
    clock = personalize_stub.clock
    _WordedInstant.worded = 0
    clock.advance_to(_WordedInstant(clock.time() + 60))
    assert _WordedInstant.worded == 0
    with pytest.raises(
        ValueError, match=r"moving to 1e\+300 would take the fake's clock past 9000"
    ):
        clock.advance_to(_WordedInstant(1e300))
    assert _WordedInstant.worded == 1


@pytest.mark.personalize_stub(virtual_sleep=True)
@pytest.mark.parametrize("length", [float("nan"), float("inf"), 1e300])
def test_virtual_sleep_refuses_what_cannot_be_slept_and_keeps_the_clock(personalize_stub, length):
    before = personalize_stub.clock.now()
    with pytest.raises(ValueError, match="nan|inf|9000"):
        time.sleep(length)
    assert timedelta(0) <= personalize_stub.clock.now() - before < timedelta(seconds=1)


@pytest.mark.personalize_stub(virtual_sleep=True)
@pytest.mark.parametrize(
    ("length", "error"),
    [pytest.param(-1, ValueError, id="negative"), pytest.param("10", TypeError, id="no-number")],
)
def test_virtual_sleep_refuses_what_time_sleep_refuses(personalize_stub, length, error):
    with pytest.raises(error):
        time.sleep(length)


def test_travel_backwards_then_forward_leaves_no_offset(personalize_stub, personalize_client):
    """freezegun moving back holds the fake at the latest moment it showed (statuses never
    go back); once the frozen time passes that moment again, the fake reads exactly it."""
    clock = personalize_stub.clock
    with freezegun.freeze_time("2030-01-01 12:00:00") as frozen:
        arn = personalize_client.create_dataset_group(name="back")["datasetGroupArn"]
        frozen.tick(timedelta(seconds=90))
        assert group_status(personalize_client, arn) == "ACTIVE"
        frozen.move_to("2030-01-01 11:00:00")
        assert clock.now() == datetime(2030, 1, 1, 12, 1, 30, tzinfo=timezone.utc)
        personalize_stub.settle()
        frozen.move_to("2030-01-01 13:00:00")
        assert clock.now() == datetime(2030, 1, 1, 13, tzinfo=timezone.utc)
        created = personalize_client.create_dataset_group(name="later")["datasetGroupArn"]
        described = personalize_client.describe_dataset_group(datasetGroupArn=created)
        assert described["datasetGroup"]["creationDateTime"] == datetime(
            2030, 1, 1, 13, tzinfo=timezone.utc
        )


def test_settle_while_travelled_back_moves_on_from_the_latest_moment(
    personalize_stub, personalize_client
):
    """A settle() while the frozen time reads earlier starts from the fake's latest moment:
    the travel back adds nothing to it."""
    with freezegun.freeze_time("2030-01-01 12:00:00") as frozen:
        personalize_client.create_dataset_group(name="held")
        frozen.move_to("2030-01-01 10:00:00")
        settled = personalize_stub.settle()
        assert settled == datetime(2030, 1, 1, 12, 1, tzinfo=timezone.utc)
        frozen.move_to("2030-01-01 14:00:00")
        assert personalize_stub.clock.now() == datetime(2030, 1, 1, 14, 1, tzinfo=timezone.utc)


# ---------------------------------------------------------------- statuses follow the clock


def test_statuses_move_only_as_the_clock_moves(personalize_stub, personalize_client, version):
    client = personalize_client
    arn = client.create_campaign(name="still", solutionVersionArn=version["solutionVersionArn"])[
        "campaignArn"
    ]
    for _ in range(5):
        assert campaign_status(client, arn) == "CREATE PENDING"
    listed = client.list_campaigns()["campaigns"]
    assert [c["status"] for c in listed] == ["CREATE PENDING"]

    personalize_stub.clock.advance(seconds=60)
    assert campaign_status(client, arn) == "CREATE IN_PROGRESS"
    assert campaign_status(client, arn) == "CREATE IN_PROGRESS"

    personalize_stub.clock.advance(minutes=9)
    assert campaign_status(client, arn) == "ACTIVE"


@pytest.mark.parametrize(
    ("create", "boundaries"),
    [
        pytest.param(
            new_campaign,
            [(60, "CREATE PENDING", "CREATE IN_PROGRESS"), (600, "CREATE IN_PROGRESS", "ACTIVE")],
            id="campaign-600s-a-tenth-pending",
        ),
        pytest.param(
            new_solution_version,
            [
                (360, "CREATE PENDING", "CREATE IN_PROGRESS"),
                (3600, "CREATE IN_PROGRESS", "ACTIVE"),
            ],
            id="solution-version-3600s",
        ),
        pytest.param(
            new_dataset_group,
            [(6, "CREATE PENDING", "CREATE IN_PROGRESS"), (60, "CREATE IN_PROGRESS", "ACTIVE")],
            id="dataset-group-60s",
        ),
    ],
)
def test_statuses_change_at_the_default_durations(
    personalize_stub, personalize_client, create, boundaries
):
    """A tenth of the default duration in the first status, the rest in the second."""
    read_status, created = create(personalize_stub, personalize_client)
    assert read_status() == "CREATE PENDING"
    assert_boundaries(personalize_stub, read_status, created, boundaries)


def test_creation_time_is_the_fake_clock_reading(personalize_stub, personalize_client):
    personalize_stub.clock.advance(days=3)
    before = personalize_stub.clock.now()
    arn = personalize_client.create_dataset_group(name="later")["datasetGroupArn"]
    after = personalize_stub.clock.now()
    created = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"][
        "creationDateTime"
    ]
    assert before <= created <= after


def test_last_updated_is_the_virtual_moment_of_the_last_status_change(
    personalize_stub, personalize_client, version
):
    client = personalize_client
    arn = client.create_campaign(name="stamps", solutionVersionArn=version["solutionVersionArn"])[
        "campaignArn"
    ]
    first = campaign(client, arn)
    created = first["creationDateTime"]
    assert same_instant(first["lastUpdatedDateTime"], created)

    # observed well after the change: the stamp is when it changed, not when we looked
    move_to(personalize_stub, created + timedelta(seconds=250))
    middle = campaign(client, arn)
    assert middle["status"] == "CREATE IN_PROGRESS"
    assert same_instant(middle["lastUpdatedDateTime"], created + timedelta(seconds=60))
    assert middle["creationDateTime"] == created

    move_to(personalize_stub, created + timedelta(hours=5))
    done = campaign(client, arn)
    assert done["status"] == "ACTIVE"
    assert same_instant(done["lastUpdatedDateTime"], created + timedelta(seconds=600))
    assert done["creationDateTime"] == created

    listed = client.list_campaigns()["campaigns"][0]
    assert listed["creationDateTime"] == created
    assert same_instant(listed["lastUpdatedDateTime"], created + timedelta(seconds=600))


# ---------------------------------------------------------------- settle()


def test_settle_returns_the_new_now(personalize_stub, personalize_client):
    personalize_client.create_dataset_group(name="g")
    settled = personalize_stub.settle()
    assert isinstance(settled, datetime) and settled.utcoffset() == timedelta(0)
    assert timedelta(0) <= personalize_stub.clock.now() - settled < timedelta(seconds=1)


def test_settle_advances_a_lone_dataset_group_exactly_60_seconds(
    personalize_stub, personalize_client
):
    arn = personalize_client.create_dataset_group(name="lone")["datasetGroupArn"]
    created = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"][
        "creationDateTime"
    ]
    settled = personalize_stub.settle()
    assert timedelta(seconds=60) <= settled - created < timedelta(seconds=60, milliseconds=500)
    assert group_status(personalize_client, arn) == "ACTIVE"


def test_settle_with_nothing_in_flight_does_not_move_the_clock(personalize_stub):
    before = personalize_stub.clock.now()
    settled = personalize_stub.settle()
    assert timedelta(0) <= settled - before < timedelta(seconds=1)


def test_settle_waits_for_the_slowest_process_and_no_longer(
    personalize_stub, personalize_client, version
):
    client = personalize_client
    campaign_arn = client.create_campaign(
        name="slow", solutionVersionArn=version["solutionVersionArn"]
    )["campaignArn"]
    created = campaign(client, campaign_arn)["creationDateTime"]
    group_arn = client.create_dataset_group(name="fast")["datasetGroupArn"]
    settled = personalize_stub.settle()
    assert timedelta(seconds=600) <= settled - created < timedelta(seconds=601)
    assert campaign_status(client, campaign_arn) == "ACTIVE"
    assert group_status(client, group_arn) == "ACTIVE"


def test_after_settle_nothing_is_transitional(personalize_stub, personalize_client, version):
    client = personalize_client
    client.create_campaign(name="c1", solutionVersionArn=version["solutionVersionArn"])
    client.create_solution_version(solutionArn=version["solutionArn"])
    client.create_dataset_group(name="other")
    client.delete_dataset_group(
        datasetGroupArn=active_dataset_group(personalize_stub, client, "doomed")
    )
    client.create_dataset_group(name="more")

    personalize_stub.settle()

    statuses = (
        [g["status"] for g in client.list_dataset_groups()["datasetGroups"]]
        + [c["status"] for c in client.list_campaigns()["campaigns"]]
        + [
            v["status"]
            for v in client.list_solution_versions(solutionArn=version["solutionArn"])[
                "solutionVersions"
            ]
        ]
    )
    assert statuses
    assert not [status for status in statuses if is_transitional(status)], statuses
    names = {g["name"] for g in client.list_dataset_groups()["datasetGroups"]}
    assert "doomed" not in names


def test_settle_finishes_a_delete(personalize_stub, personalize_client):
    arns = deployed_campaign(personalize_stub, personalize_client, "gone")
    personalize_client.delete_campaign(campaignArn=arns["campaignArn"])
    personalize_stub.settle()
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
        personalize_client.describe_campaign(campaignArn=arns["campaignArn"])


# ---------------------------------------------------------------- freezegun / time-machine


@pytest.mark.parametrize("travel", TIME_TRAVELS)
def test_a_time_travel_step_moves_statuses(personalize_stub, personalize_client, travel):
    client = personalize_client
    start = datetime(2030, 1, 1, tzinfo=timezone.utc)
    with travel(start) as time_travel:
        arn = client.create_dataset_group(name="frozen")["datasetGroupArn"]
        group = client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
        assert group["creationDateTime"] == start
        assert personalize_stub.clock.now() == start
        assert group_status(client, arn) == "CREATE PENDING"

        time_travel.step(timedelta(seconds=5))
        assert group_status(client, arn) == "CREATE PENDING"
        time_travel.step(timedelta(seconds=1))
        assert group_status(client, arn) == "CREATE IN_PROGRESS"
        time_travel.step(timedelta(seconds=53))
        assert group_status(client, arn) == "CREATE IN_PROGRESS"
        time_travel.step(timedelta(seconds=1))
        group = client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
        assert group["status"] == "ACTIVE"
        assert group["lastUpdatedDateTime"] == start + timedelta(seconds=60)
        assert group["creationDateTime"] == start


@pytest.mark.parametrize("travel", TIME_TRAVELS)
def test_a_time_travel_jump_moves_a_campaign_like_advance(
    personalize_stub, personalize_client, travel
):
    client = personalize_client
    with travel(datetime(2030, 1, 1, tzinfo=timezone.utc)) as time_travel:
        version = ready_version(personalize_stub, client)  # settles: the fake is ahead
        start = personalize_stub.clock.now()
        travelled_to = datetime.now(timezone.utc)  # the library's time, behind the fake's clock
        arn = client.create_campaign(name="ice", solutionVersionArn=version["solutionVersionArn"])[
            "campaignArn"
        ]
        assert campaign(client, arn)["creationDateTime"] == start

        time_travel.move_to(travelled_to + timedelta(seconds=59))
        assert personalize_stub.clock.now() == start + timedelta(seconds=59)
        assert campaign_status(client, arn) == "CREATE PENDING"
        time_travel.move_to(travelled_to + timedelta(seconds=60))
        assert campaign_status(client, arn) == "CREATE IN_PROGRESS"
        time_travel.move_to(travelled_to + timedelta(seconds=599))
        assert campaign_status(client, arn) == "CREATE IN_PROGRESS"
        time_travel.move_to(travelled_to + timedelta(seconds=600))
        described = campaign(client, arn)
        assert described["status"] == "ACTIVE"
        assert described["lastUpdatedDateTime"] == start + timedelta(seconds=600)


def test_freezegun_and_advance_combine(personalize_stub, personalize_client):
    """A tick and an advance add up: statuses see both."""
    client = personalize_client
    with freezegun.freeze_time("2030-06-01 12:00:00") as frozen:
        arn = client.create_dataset_group(name="mixed")["datasetGroupArn"]
        frozen.tick(timedelta(seconds=30))
        personalize_stub.clock.advance(seconds=29)
        assert group_status(client, arn) == "CREATE IN_PROGRESS"
        frozen.tick(timedelta(seconds=1))
        assert group_status(client, arn) == "ACTIVE"
        assert personalize_stub.clock.now() == datetime(2030, 6, 1, 12, 1, tzinfo=timezone.utc)


def test_settle_under_freezegun_advances_exactly_60_seconds(personalize_stub, personalize_client):
    with freezegun.freeze_time("2030-01-01"):
        personalize_client.create_dataset_group(name="exact")
        settled = personalize_stub.settle()
        assert settled == datetime(2030, 1, 1, 0, 1, tzinfo=timezone.utc)


@freezegun.freeze_time("2031-05-05 08:00:00")
def test_freezegun_decorator_freezes_the_fake_clock(personalize_stub, personalize_client):
    frozen_at = datetime(2031, 5, 5, 8, tzinfo=timezone.utc)
    assert personalize_stub.clock.now() == frozen_at
    arn = personalize_client.create_dataset_group(name="decorated")["datasetGroupArn"]
    group = personalize_client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert group["creationDateTime"] == frozen_at
    assert group["status"] == "CREATE PENDING"

    assert personalize_stub.clock.advance(seconds=6) == frozen_at + timedelta(seconds=6)
    assert group_status(personalize_client, arn) == "CREATE IN_PROGRESS"
    assert personalize_stub.settle() == frozen_at + timedelta(seconds=60)
    assert group_status(personalize_client, arn) == "ACTIVE"


# ---------------------------------------------------------------- virtual sleep


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_virtual_sleep_makes_a_polling_loop_finish_at_once(personalize_stub, personalize_client):
    client = personalize_client
    version = ready_version(personalize_stub, client)
    arn = client.create_campaign(name="poll", solutionVersionArn=version["solutionVersionArn"])[
        "campaignArn"
    ]
    created = campaign(client, arn)["creationDateTime"]

    wall = time.perf_counter()
    polls = 0
    status = campaign_status(client, arn)
    while status != "ACTIVE":
        assert polls < 100, "the loop never finished"
        time.sleep(30)
        polls += 1
        status = campaign_status(client, arn)
    elapsed = time.perf_counter() - wall

    assert elapsed < 1.0
    assert polls == 20  # 600 s of creation in 30 s naps
    advanced = personalize_stub.clock.now() - created
    assert timedelta(seconds=600) <= advanced < timedelta(seconds=601)


@pytest.mark.personalize_stub(virtual_sleep=True)
def test_virtual_sleep_advances_the_clock_by_the_nap(personalize_stub):
    assert time.sleep is not REAL_SLEEP
    before = personalize_stub.clock.now()
    wall = time.perf_counter()
    time.sleep(3600)
    assert time.perf_counter() - wall < 1.0
    assert (
        timedelta(hours=1) <= personalize_stub.clock.now() - before < timedelta(hours=1, seconds=1)
    )


def test_without_virtual_sleep_time_sleep_is_the_real_one(personalize_stub):
    assert time.sleep is REAL_SLEEP
    before = personalize_stub.clock.now()
    wall = time.perf_counter()
    time.sleep(0.02)
    assert time.perf_counter() - wall >= 0.02
    assert personalize_stub.clock.now() - before < timedelta(seconds=1)


def test_virtual_sleep_is_undone_after_the_test(pytester):
    pytester.makepyfile(
        """
        import time

        import pytest

        REAL_SLEEP = time.sleep


        @pytest.mark.personalize_stub(virtual_sleep=True)
        def test_virtual(personalize_stub):
            assert time.sleep is not REAL_SLEEP
            before = personalize_stub.clock.now()
            time.sleep(100)
            assert (personalize_stub.clock.now() - before).total_seconds() >= 100


        @pytest.mark.personalize_stub(virtual_sleep=True)
        def test_virtual_failing(personalize_stub):
            assert False, "a failing test must not leave the virtual sleep behind"


        def test_after_the_virtual_ones():
            assert time.sleep is REAL_SLEEP
            started = time.perf_counter()
            time.sleep(0.02)
            assert time.perf_counter() - started >= 0.02
        """
    )
    result = pytester.runpytest(*QUIET_INNER)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*test_virtual_failing*"])


def test_virtual_sleep_from_the_ini_option(pytester):
    pytester.makeini(
        """
        [pytest]
        personalize_stub_virtual_sleep = true
        """
    )
    pytester.makepyfile(
        """
        import time


        def test_sleeps_virtually(personalize_stub):
            before = personalize_stub.clock.now()
            started = time.perf_counter()
            time.sleep(600)
            assert time.perf_counter() - started < 1
            assert (personalize_stub.clock.now() - before).total_seconds() >= 600
        """
    )
    result = pytester.runpytest(*QUIET_INNER)
    result.assert_outcomes(passed=1)


# ---------------------------------------------------------------- durations


@pytest.mark.personalize_stub(durations={"campaign": 0})
def test_zero_campaign_duration_is_active_at_the_next_call(personalize_stub, personalize_client):
    client = personalize_client
    version = ready_version(personalize_stub, client)
    before = personalize_stub.clock.now()
    arn = client.create_campaign(name="instant", solutionVersionArn=version["solutionVersionArn"])[
        "campaignArn"
    ]
    assert campaign_status(client, arn) == "ACTIVE"
    assert personalize_stub.clock.now() - before < timedelta(seconds=1)


@pytest.mark.personalize_stub(durations={"solution_version": 7200})
def test_solution_version_duration_changes_training_time(personalize_stub, personalize_client):
    client = personalize_client
    version = ready_version(personalize_stub, client)
    arn = client.create_solution_version(solutionArn=version["solutionArn"])["solutionVersionArn"]
    created = client.describe_solution_version(solutionVersionArn=arn)["solutionVersion"][
        "creationDateTime"
    ]
    assert_boundaries(
        personalize_stub,
        lambda: version_status(client, arn),
        created,
        [
            (720, "CREATE PENDING", "CREATE IN_PROGRESS"),
            (3600, "CREATE IN_PROGRESS", "CREATE IN_PROGRESS"),
            (7200, "CREATE IN_PROGRESS", "ACTIVE"),
        ],
    )


@pytest.mark.personalize_stub(durations={"solution_version": 7200})
def test_configured_duration_leaves_other_types_at_their_defaults(
    personalize_stub, personalize_client
):
    client = personalize_client
    version = ready_version(personalize_stub, client)
    arn = client.create_campaign(name="usual", solutionVersionArn=version["solutionVersionArn"])[
        "campaignArn"
    ]
    created = campaign(client, arn)["creationDateTime"]
    settled = personalize_stub.settle()
    assert timedelta(seconds=600) <= settled - created < timedelta(seconds=601)


FREEZEGUN_STARTS = """
import freezegun.api
import pytest

starts = []
original_start = freezegun.api._freeze_time.start


def counting_start(self):
    starts.append(self)
    return original_start(self)


freezegun.api._freeze_time.start = counting_start


def pytest_sessionfinish(session):
    with open("freezegun_starts.txt", "w") as out:
        out.write(str(len(starts)))
"""

USES_EVERYTHING = """
import time

import pytest
from freezegun import freeze_time
from support.flows import deployed_campaign


@pytest.mark.personalize_stub(virtual_sleep=True, durations={"campaign": 30})
@pytest.mark.personalize_fail("ListRecipes", error="ThrottlingException")
def test_everything(personalize_stub, personalize_client, personalize_runtime_client,
                    personalize_events_client, cleanroomsml_client):
    arns = deployed_campaign(personalize_stub, personalize_client)
    time.sleep(3600)
    personalize_stub.clock.advance(days=1)
    personalize_stub.settle()
    personalize_runtime_client.get_recommendations(campaignArn=arns["campaignArn"], userId="u")
    with pytest.raises(personalize_client.exceptions.ClientError, match="Throttling"):
        personalize_client.list_recipes()


@freeze_time("2026-01-01")
def test_users_own_freeze(personalize_stub, personalize_client):
    deployed_campaign(personalize_stub, personalize_client)
"""


def test_the_plugin_never_starts_freezegun_of_its_own(inner):
    """Only the user's own ``freeze_time`` starts freezegun: the plugin reads time.time()."""
    inner.makeconftest(inner.path.joinpath("conftest.py").read_text() + FREEZEGUN_STARTS)
    inner.makepyfile(USES_EVERYTHING)
    run_inner(inner).assert_outcomes(passed=2)
    assert inner.path.joinpath("freezegun_starts.txt").read_text() == "1"


CAMPAIGN_SECONDS = 600
"""How long a campaign takes to deploy in the busy-poll tests below."""


@pytest.mark.parametrize(
    "marker",
    [
        pytest.param(
            pytest.mark.personalize_stub(
                advance_per_call=30, durations={"campaign": CAMPAIGN_SECONDS}
            ),
            id="fast-path",
        ),
        pytest.param(
            pytest.mark.personalize_stub(
                advance_per_call=30, durations={"campaign": CAMPAIGN_SECONDS}, wire=True
            ),
            id="wire",
        ),
    ],
)
def test_a_loop_that_polls_without_sleeping_finishes_at_once(request, marker):
    """Some of AWS's own samples poll ``describe_*`` in a bare loop, with no sleep between
    calls: with ``advance_per_call``, each call moves the clock, so the loop ends at once."""
    request.applymarker(marker)
    personalize_stub = request.getfixturevalue("personalize_stub")
    personalize_client = request.getfixturevalue("personalize_client")
    arns = personalize_stub.build.solution_version()
    campaign = personalize_client.create_campaign(
        name="polled", solutionVersionArn=arns["solutionVersionArn"]
    )["campaignArn"]
    started, polls = time.perf_counter(), 0
    while True:
        polls += 1
        status = personalize_client.describe_campaign(campaignArn=campaign)["campaign"]["status"]
        if status == "ACTIVE":
            break
    assert time.perf_counter() - started < 0.5
    assert polls == pytest.approx(CAMPAIGN_SECONDS / 30, abs=1)


@pytest.mark.personalize_stub(advance_per_call=90)
def test_every_served_call_moves_the_clock_first(personalize_stub, personalize_client):
    before = personalize_stub.clock.time()
    personalize_client.list_campaigns()
    personalize_client.list_solutions()
    assert 180 <= personalize_stub.clock.time() - before < 181
    with pytest.raises(Exception, match="Parameter validation failed"):
        personalize_client.list_campaigns(maxResults="many")
    assert personalize_stub.clock.time() - before < 181, "a call botocore refused is not served"
