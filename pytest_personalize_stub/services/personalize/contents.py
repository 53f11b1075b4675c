"""What a dataset holds, in one place: the rows bulk-imported from moto's S3, the records and
interactions put through personalize-events, and the fields of its schema; and the ids a
dataset group knows from all of them.

personalize-events writes here, import and export jobs read and write here, and the runtime
and the batch jobs rank what they find here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar, cast

from ...account import Account
from ...declarations import Body
from ...store import Resource
from .common import Fields, plain_name, schema_fields
from .resources import (
    DATASET,
    DATASET_GROUP,
    GROUP,
    SCHEMA,
    DatasetExtra,
    DatasetGroupExtra,
    Row,
)

RECORD_IDS = {"ITEMS": "itemId", "USERS": "userId", "ACTIONS": "actionId"}
"""The catalogue dataset types PutItems, PutUsers and PutActions fill, and their id member."""


def records(dataset: Resource) -> dict[str, Body]:
    """The items, users or actions put into a dataset: id -> properties."""
    return dataset.extra(DatasetExtra).records


def events(dataset: Resource) -> list[Body]:
    """The interactions put into an Interactions or Action_Interactions dataset, oldest first."""
    return dataset.extra(DatasetExtra).events


def imported_rows(dataset: Resource) -> list[Row]:
    """The rows bulk-imported into a dataset, in file order."""
    return dataset.extra(DatasetExtra).imported_rows


def dataset_fields(account: Account, dataset: Resource) -> Fields | None:
    """The fields of the schema a dataset uses now; None if that schema is gone."""
    schema = account.store.get(SCHEMA.kind, dataset.attrs.get("schemaArn", ""))
    return schema_fields(schema) if schema is not None else None


def group_dataset(account: Account, group_arn: str, dataset_type: str) -> Resource | None:
    """The dataset of ``dataset_type`` (e.g. ``ITEMS``) in a dataset group, if it has one."""
    for dataset in account.having(DATASET, datasetGroupArn=group_arn):
        if dataset.attrs.get("datasetType") == dataset_type:
            return dataset
    return None


def add_events(dataset: Resource, accepted: Iterable[Body], *, once: bool = False) -> None:
    """Record interactions in a dataset after those it holds; ``once``: an interaction equal
    to one it holds (or to one before it in ``accepted``) is not recorded again."""
    extra = dataset.extra(DatasetExtra)
    for record in accepted:
        if not once or not _holds(extra, record):
            extra.events.append(record)
    extra.changes += 1


def _holds(extra: DatasetExtra, record: Body) -> bool:
    """Whether a dataset holds an interaction equal to ``record``, compared only with those of
    the same digest; if not, the one about to be recorded is positioned."""
    stored, positions = extra.events, extra.event_positions
    if extra.positioned > len(stored):
        positions.clear()
        extra.positioned = 0
    for index in range(extra.positioned, len(stored)):
        positions.setdefault(_digest(stored[index]), []).append(index)
    digest = _digest(record)
    same = positions.setdefault(digest, [])
    if any(index < len(stored) and stored[index] == record for index in same):
        return True
    same.append(len(stored))
    extra.positioned = len(stored) + 1
    return False


def _digest(value: Any) -> int:
    """A hash of request data that equal data shares (dicts and lists hashed by content)."""
    return hash(_frozen(value))


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return frozenset((key, _frozen(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


def put_records(dataset: Resource, accepted: Mapping[str, Body]) -> None:
    """Keep items, users or actions in a dataset by id (a record replaces its id's)."""
    extra = dataset.extra(DatasetExtra)
    extra.records.update(accepted)
    extra.changes += 1


Derived = TypeVar("Derived")


def derived(
    account: Account,
    group_arn: str,
    dataset_types: tuple[str, ...],
    key: Hashable,
    make: Callable[[], Derived],
) -> Derived:
    """What ``make()`` derives from a dataset group's datasets of ``dataset_types``, made
    once and kept on the group (under ``key``) until one of them is created or deleted, or
    changes what it holds."""
    group = account.store.get(DATASET_GROUP.kind, group_arn)
    if group is None:
        return make()
    holding = tuple(
        (dataset.seq, *_held(dataset.extra(DatasetExtra)))
        for dataset in account.store.shelf(DATASET.kind, GROUP, group_arn)
        if dataset.attrs.get("datasetType") in dataset_types
    )
    extra = group.extra(DatasetGroupExtra)
    kept = extra.derived
    if kept is None:
        kept = extra.derived = {}
    found = kept.get(key)
    if found is not None and found[0] == holding:
        return cast(Derived, found[1])
    value = make()
    kept[key] = (holding, value)
    return value


def _held(extra: DatasetExtra) -> tuple[int, int, int, int, bool]:
    """What says whether a dataset still holds what it held: its count of changes, and the
    sizes of what it holds (a change made around this module shows too)."""
    return (
        extra.changes,
        len(extra.records),
        len(extra.events),
        len(extra.imported_rows),
        extra.unseen_bulk_data,
    )


def received_interactions(account: Account, group_arn: str, at: float) -> None:
    """Note that a dataset group received interaction data (bulk or streamed) at ``at``."""
    group = account.store.get(DATASET_GROUP.kind, group_arn)
    if group is not None:
        group.extra(DatasetGroupExtra).interactions_at = at


def keep_imported(dataset: Resource, rows: list[Row] | None, mode: str) -> None:
    """Make an ACTIVE import job's rows part of its dataset (FULL replaces, INCREMENTAL adds);
    rows imported without moto (None) stay out of sight, and the dataset is marked as holding
    bulk data the fake cannot see."""
    extra = dataset.extra(DatasetExtra)
    extra.changes += 1
    if mode == "FULL":
        extra.imported_rows.clear()
        extra.unseen_bulk_data = False
    if rows is None:
        extra.unseen_bulk_data = True
    else:
        extra.imported_rows.extend(rows)


def group_holds_unseen_data(account: Account, group: str, dataset_types: Iterable[str]) -> bool:
    """Whether one of the group's ``dataset_types`` holds bulk data the fake never read."""
    return any(
        dataset is not None and dataset.extra(DatasetExtra).unseen_bulk_data
        for dataset in (group_dataset(account, group, kind) for kind in dataset_types)
    )


def known_ids(account: Account, group: str, catalog: str, interactions: str, key: str) -> list[str]:
    """Ids the group knows, in the order first seen: put into its ``catalog`` dataset or seen
    in its ``interactions`` through personalize-events, or bulk-imported into either."""
    found: dict[str, None] = {}
    dataset = group_dataset(account, group, catalog)
    if dataset is not None:
        found.update(dict.fromkeys(records(dataset)))
    dataset = group_dataset(account, group, interactions)
    if dataset is not None:
        found.update(dict.fromkeys(e[key] for e in events(dataset) if e.get(key) is not None))
    for kind in (catalog, interactions):
        dataset = group_dataset(account, group, kind)
        if dataset is not None:
            found.update(dict.fromkeys(_imported_ids(dataset, key)))
    return list(found)


def _imported_ids(dataset: Resource, id_member: str) -> list[str]:
    """The ids in the bulk-imported rows' column for ``id_member`` (``itemId`` is ITEM_ID)."""
    rows = imported_rows(dataset)
    wanted = plain_name(id_member)
    columns = {column for row in rows[:1] for column in row if plain_name(column) == wanted}
    return [row[column] for row in rows for column in columns if row[column]]
