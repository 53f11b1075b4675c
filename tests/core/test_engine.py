"""Engine pieces on their own: the timeline, processes and pagination tokens."""

import gc
import math
import string
import weakref

import boto3
import pytest

from pytest_personalize_stub import mock_personalize
from pytest_personalize_stub.account import Account
from pytest_personalize_stub.lifecycle import Process, Timeline
from pytest_personalize_stub.services.personalize.resources import DATASET_GROUP
from pytest_personalize_stub.store import InvalidToken, Store, decode_token, paginate


def test_timeline_applies_changes_in_time_order_including_ones_they_schedule():
    timeline = Timeline()
    seen = []
    timeline.at(30, lambda at: seen.append(("b", at)))
    timeline.at(
        10, lambda at: (seen.append(("a", at)), timeline.at(20, lambda t: seen.append(("a2", t))))
    )
    timeline.run_until(25)
    assert seen == [("a", 10), ("a2", 20)]
    timeline.run_until(30)
    assert seen[-1] == ("b", 30)
    assert timeline.next_due() is None


def test_next_at_is_when_the_earliest_change_is_due_whatever_changed_the_timeline():
    """A call skips ``run_until`` while the clock reads before ``next_at``, so it must be the
    earliest change due after every schedule and every run, and infinity when none is."""
    timeline = Timeline()
    assert timeline.next_at == math.inf
    timeline.at(30, lambda at: None)
    timeline.at(50, lambda at: None, settles=False)
    assert timeline.next_at == 30
    timeline.at(10, lambda at: timeline.at(20, lambda t: None))  # schedules an earlier one
    assert timeline.next_at == 10
    timeline.run_until(15)
    assert timeline.next_at == 20
    timeline.run_until(40)
    assert timeline.next_at == 50
    timeline.run_until(50)
    assert timeline.next_at == math.inf


def test_a_change_that_raises_leaves_next_at_on_the_next_change():
    """The changes after one that raised are still due: a call must not skip them."""
    timeline = Timeline()

    def broken(at):
        raise RuntimeError("a broken change")

    timeline.at(10, broken)
    timeline.at(20, lambda at: None)
    with pytest.raises(RuntimeError, match="a broken change"):
        timeline.run_until(30)
    assert timeline.next_at == 20


def test_background_changes_do_not_hold_settle_but_happen_when_time_passes(personalize_stub):
    timeline = personalize_stub.state.timeline
    start = personalize_stub.clock.time()
    seen = []
    timeline.at(start + 3600, seen.append, settles=False)
    timeline.at(start + 60, seen.append)
    assert timeline.next_due() == start + 60
    personalize_stub.settle()
    assert seen == [start + 60]
    assert timeline.next_due() is None
    personalize_stub.clock.advance(hours=1)
    timeline.run_until(personalize_stub.clock.time())
    assert seen == [start + 60, start + 3600]


def test_process_spends_a_tenth_in_its_first_status_and_shares_the_rest():
    process = Process(("STOP PENDING", "STOP IN_PROGRESS", "STOPPING"), "INACTIVE")
    assert process.step_times(100, 1000) == [(200, "STOP IN_PROGRESS"), (650, "STOPPING")]
    assert Process(("ONLY",), "DONE").step_times(0, 50) == []
    usual = Process(("CREATE PENDING", "CREATE IN_PROGRESS"), "ACTIVE")
    assert usual.step_times(100, 1000) == [(200, "CREATE IN_PROGRESS")]


def test_pagination_tokens_resume_after_the_last_item_even_when_items_are_added():
    store = Store()
    for n in range(5):
        store.add("thing", f"arn:{n}", {})
    page, token = paginate(store.newest_first("thing"), 2, None)
    assert [r.arn for r in page] == ["arn:4", "arn:3"]
    store.add("thing", "arn:new", {})
    page, token = paginate(store.newest_first("thing"), 2, token)
    assert [r.arn for r in page] == ["arn:2", "arn:1"]
    page, token = paginate(store.newest_first("thing"), 2, token)
    assert [r.arn for r in page] == ["arn:0"]
    assert token is None


@pytest.mark.parametrize("token", ["", "not base64!", "cHBzMjox", "cHBzMTp4"])
def test_tokens_the_fake_did_not_hand_out_are_refused(token):
    with pytest.raises(InvalidToken):
        decode_token(token)


def test_settle_first_applies_what_is_already_due_including_what_that_starts(personalize_stub):
    """A background change the clock already passed may start work that settle() must wait for."""
    timeline = personalize_stub.state.timeline
    start = personalize_stub.clock.time()
    seen = []

    def kick_off(at):
        timeline.at(at + 100, seen.append)

    timeline.at(start + 10, kick_off, settles=False)
    personalize_stub.clock.advance(seconds=20)
    personalize_stub.settle()
    assert seen == [start + 110]


def test_settle_completes_with_100000_resources_in_flight(personalize_stub):
    """Each dataset group is due at its own instant: settle() applies every status change
    (two per group) however many there are."""
    state = personalize_stub.state
    start = personalize_stub.clock.time()
    for index in range(100_000):
        arn = state.arn(DATASET_GROUP, name=f"g{index}")
        state.create(DATASET_GROUP, arn, {"name": f"g{index}"}, now=start + index / 1000)
    personalize_stub.settle()
    groups = state.store.all(DATASET_GROUP.kind)
    assert len(groups) == 100_000
    assert {group.status for group in groups} == {"ACTIVE"}


def test_settle_gives_up_on_a_schedule_that_feeds_itself_and_names_it(personalize_stub):
    timeline = personalize_stub.state.timeline

    class Echo:
        def __call__(self, at):
            timeline.at(at + 1, self)

        def __repr__(self):
            return "the echo that never ends"

    timeline.at(personalize_stub.clock.time() + 1, Echo())
    with pytest.raises(RuntimeError, match="settle.. gave up .*the echo that never ends"):
        personalize_stub.settle()


def test_identifiers_are_the_same_from_test_to_test_and_unique_within_one():
    """Each fake draws its generated identifiers (ARN ids, tracking ids) from the same start,
    so a test sees the same ones at every run, whatever ran before; within one fake no two
    are alike."""

    def trackers() -> list[tuple[str, str]]:
        with mock_personalize() as stub:
            client = boto3.client("personalize", region_name="us-east-1")
            made = []
            for name in ("first", "second"):
                group = client.create_dataset_group(name=name)["datasetGroupArn"]
                stub.settle()
                arn = client.create_event_tracker(name=name, datasetGroupArn=group)[
                    "eventTrackerArn"
                ]
                tracker = client.describe_event_tracker(eventTrackerArn=arn)["eventTracker"]
                made.append((arn, tracker["trackingId"]))
            return made

    first_run, second_run = trackers(), trackers()
    assert first_run == second_run
    assert len({part for made in first_run for part in made}) == 4


@pytest.mark.parametrize("alphabet", ["0123456789abcdef", string.ascii_letters + string.digits])
def test_identifiers_are_drawn_from_every_letter_of_their_alphabet(alphabet):
    account = Account("us-east-1", "111122223333", {})
    drawn = [account.new_id(alphabet, 22) for _ in range(300)]
    assert {len(identifier) for identifier in drawn} == {22}
    assert set("".join(drawn)) == set(alphabet)
    assert len(set(drawn)) == len(drawn)


def test_a_finished_fakes_account_goes_with_its_last_reference_not_the_garbage_collector():
    """Nothing in an account refers back in a cycle (a shelf holds its resources, their
    attributes hold the shelves weakly; automatic training holds its account weakly), so a
    whole campaign chain is freed the moment the fake is dropped, with the collector off."""

    def deployed() -> tuple[weakref.ref[object], weakref.ref[object]]:
        with mock_personalize() as stub:
            stub.build.campaign()
            shelf = stub.pipeline.account.store.shelf("campaign")
            assert len(shelf) == 1
            return weakref.ref(stub.pipeline.account), weakref.ref(shelf)

    deployed()  # the first chain of a process compiles what every later one reuses
    gc.collect()
    gc.disable()
    try:
        account, shelf = deployed()
        assert account() is None and shelf() is None
        assert gc.collect() == 0  # nothing was left for the collector to find
    finally:
        gc.enable()
