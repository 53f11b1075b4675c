"""The data Personalize jobs move through S3, while moto's ``mock_aws`` serves S3.

- A dataset import job reads the CSV files at ``dataSource.dataLocation`` when it is
  created: a missing location, or a CSV whose header or values do not fit the dataset's
  schema, ends the job in CREATE FAILED with a ``failureReason`` naming the problem. Rows
  that fit join the dataset when the job is ACTIVE (FULL replaces, INCREMENTAL adds).
- A dataset export job, once ACTIVE, writes the dataset's rows as one CSV file
  (``<path>/<jobName>/part-00000.csv``): bulk-imported rows, the records put through
  personalize-events, or both, as ``ingestionMode`` asks.
- Batch inference and batch segment jobs read their JSON Lines input when created (a
  missing input or a line that is not a JSON object fails them) and, once ACTIVE, write one
  ``<input file name>.out`` per input file in the documented output format.

Without moto active none of this happens: jobs move on the clock alone and touch no S3.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ...account import Request, fail_created
from ...declarations import Body
from ...moto_s3 import (
    S3Location,
    S3Problem,
    bucket_exists,
    moto_serves_s3,
    read_objects,
    write_object,
)
from ...store import Resource
from .common import Fields, plain_name
from .contents import RECORD_IDS, dataset_fields, events, imported_rows, records
from .ranking import DEFAULT_RESULTS, scores
from .resources import Row

_CHECKED_TYPES = {"int": int, "long": int, "float": float, "double": float}


class DataProblem(Exception):
    """Why a job cannot use the data it found; the text is the job's ``failureReason``."""


T = TypeVar("T")


@dataclass(frozen=True)
class JobData(Generic[T]):
    """What a job being created found to work on, or why it cannot work (its failure)."""

    data: T | None
    problem: str | None


def job_data(read: Callable[[], T]) -> JobData[T]:
    """What ``read`` finds for the job being created; a DataProblem is the reason the job will
    fail with (after its normal run time)."""
    try:
        return JobData(read(), None)
    except DataProblem as problem:
        return JobData(None, str(problem))


def read_import(request: Request, dataset: Resource, path: str | None) -> list[Row] | None:
    """The rows of the CSV files at ``path`` checked against the dataset's schema, or None
    when moto is not serving S3; DataProblem when they cannot be imported."""
    if not moto_serves_s3(request.account.region):
        return None
    fields = dataset_fields(request.account, dataset) or ()
    files = _files(request, path)
    rows: list[Row] = []
    for key, content in files.items():
        rows.extend(_checked_csv(key, _text(key, content), fields))
    return rows


def check_output(request: Request, path: str) -> None:
    """DataProblem when moto serves S3 and the bucket a job would write its output to is
    missing: the job fails instead of finishing without its output."""
    location = S3Location.parse(path)
    region = request.account.region
    if location is not None and moto_serves_s3(region) and not bucket_exists(location, region):
        raise DataProblem(f"The output bucket {location.bucket} of {path} does not exist.")


def write_export(job: Resource, dataset: Resource, fields: Fields, at: float) -> None:
    """Write an ACTIVE export job's CSV file of the dataset's rows (when moto serves S3)."""
    mode = job.attrs["ingestionMode"]
    rows: list[Row] = []
    if mode in ("BULK", "ALL"):
        rows.extend(imported_rows(dataset))
    if mode in ("PUT", "ALL"):
        rows.extend(_schema_row(fields, record) for record in _put_records(dataset))
    out = io.StringIO()
    writer = csv.DictWriter(out, [field["name"] for field in fields], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _write(job, at, {f"{job.attrs['jobName']}/part-00000.csv": out.getvalue()})


def read_batch_input(request: Request, path: str) -> dict[str, list[Body]] | None:
    """A batch job's input lines per input file, or None when moto is not active;
    DataProblem when there is no input or a line is not a JSON object."""
    if not moto_serves_s3(request.account.region):
        return None
    found: dict[str, list[Body]] = {}
    for key, content in _files(request, path).items():
        lines = [line for line in _text(key, content).splitlines() if line.strip()]
        found[key] = [_json_object(key, number, line) for number, line in enumerate(lines, 1)]
    return found


def write_batch_output(
    job: Resource,
    at: float,
    inputs: dict[str, list[Body]] | None,
    answer: str,
    rank: Callable[[str], list[str]],
    scored: bool,
) -> None:
    """Write an ACTIVE batch job's ``<input file>.out`` files (when its input was read from
    moto's S3): for each input line, ``{"input": ..., "output": {answer: [ids], "scores":
    [...]}, "error": null}`` with the ids ``rank`` gives for the line, or ``{"input": ...,
    "output": {answer: [ids]}}`` when not ``scored`` (an Item-Attribute-Affinity line keeps
    its ``itemAttributes`` key instead of ``input``, as documented)."""
    if inputs is None:
        return
    count = job.attrs.get("numResults") or DEFAULT_RESULTS
    files = {}
    for key, lines in inputs.items():
        results = []
        for line in lines:
            ranked = rank(json.dumps(line, sort_keys=True))[:count]
            output: Body = {answer: ranked}
            if scored:
                output["scores"] = [round(score, 7) for score in scores(len(ranked))]
                results.append({"input": line, "output": output, "error": None})
            elif "itemAttributes" in line:
                results.append({"itemAttributes": line["itemAttributes"], "output": output})
            else:
                results.append({"input": line, "output": output})
        files[f"{key.rsplit('/', 1)[-1]}.out"] = "".join(json.dumps(r) + "\n" for r in results)
    _write(job, at, files)


def _write(job: Resource, at: float, files: dict[str, str]) -> None:
    """Write a job's output files under its ``jobOutput`` path while moto serves S3; when S3
    refuses, the job ends in CREATE FAILED with S3's answer, as the service's would."""
    location = S3Location.parse(job.attrs["jobOutput"]["s3DataDestination"]["path"])
    region = job.arn.split(":")[3]
    if location is None or not moto_serves_s3(region):
        return
    try:
        for name, text in files.items():
            write_object(location.joined(name), text.encode(), region)
    except S3Problem as problem:
        fail_created(job, f"The output could not be written: {problem}", at)


def _files(request: Request, path: str | None) -> dict[str, bytes]:
    location = S3Location.parse(path) if path is not None else None
    try:
        files = read_objects(location, request.account.region) if location is not None else {}
    except S3Problem as problem:
        raise DataProblem(f"The input could not be read: {problem}") from None
    if not files:
        raise DataProblem(f"No data found at {path}: the S3 location has no files to read.")
    return files


def _text(key: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataProblem(f"The file {key} is not UTF-8 encoded text.") from None


def _checked_csv(key: str, text: str, fields: Fields) -> list[Row]:
    """The rows of one CSV file, as ``{column: value}``; DataProblem at the first misfit."""
    lines = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(lines, [])]
    names = [field["name"] for field in fields]
    missing = [f["name"] for f in fields if not _nullable(f) and f["name"] not in header]
    if missing:
        raise DataProblem(f"Input CSV is missing the following columns: [{', '.join(missing)}]")
    unknown = [name for name in header if name not in names]
    if unknown:
        raise DataProblem(
            f"Input CSV has columns that are not in the schema: [{', '.join(unknown)}]"
        )
    rows = []
    for values in lines:
        line = lines.line_num
        if not values:
            continue
        if len(values) != len(header):
            raise DataProblem(
                f"Input CSV {key} line {line} has {len(values)} values where the header has "
                f"{len(header)} columns."
            )
        row = dict(zip(header, values))
        for field in fields:
            _check_value(key, line, field, row.get(field["name"], ""))
        rows.append(row)
    return rows


def _nullable(field: Mapping[str, Any]) -> bool:
    types = field["type"]
    return isinstance(types, list) and "null" in types


def _check_value(key: str, line: int, field: Mapping[str, Any], value: str) -> None:
    name = field["name"]
    if value == "":
        if not _nullable(field):
            raise DataProblem(
                f"Input CSV {key} line {line}: {name} has no value, and the schema does not "
                "allow null for it."
            )
        return
    types = field["type"] if isinstance(field["type"], list) else [field["type"]]
    kinds = [kind for kind in types if kind != "null"]
    if not any(_fits(value, kind) for kind in kinds):
        raise DataProblem(
            f"Input CSV {key} line {line}: the value {value!r} of {name} is not a "
            f"{' or '.join(kinds)}."
        )


def _fits(value: str, kind: str) -> bool:
    """Whether a CSV value can be read as the Avro type ``kind``."""
    if kind == "boolean":
        return value.lower() in ("true", "false")
    convert = _CHECKED_TYPES.get(kind)
    if convert is None:
        return True
    try:
        convert(value)
    except ValueError:
        return False
    return "_" not in value


def _put_records(dataset: Resource) -> list[Body]:
    """What personalize-events put into ``dataset``: its interactions, or its catalogue
    records with their ids."""
    id_key = RECORD_IDS.get(dataset.attrs["datasetType"])
    if id_key is None:
        # An event's sentAt is its TIMESTAMP field.
        return [{"timestamp": event.get("sentAt"), **event} for event in events(dataset)]
    return [{id_key: id_, "properties": props} for id_, props in records(dataset).items()]


def _schema_row(fields: Fields, record: Body) -> Row:
    """A record put through personalize-events as a CSV row of the schema's fields (names
    compared without case or underscores, as personalize-events matches them)."""
    flat = {
        **record.get("properties", {}),
        **{k: v for k, v in record.items() if k != "properties"},
    }
    by_plain = {plain_name(key): value for key, value in flat.items()}
    row: Row = {}
    for field in fields:
        value = by_plain.get(plain_name(field["name"]))
        row[field["name"]] = _cell(value)
    return row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "|".join(str(item) for item in value)
    return str(value)


def _json_object(key: str, number: int, line: str) -> Body:
    try:
        parsed = json.loads(line)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise DataProblem(f"Input file {key} line {number} is not a JSON object.")
    return parsed
