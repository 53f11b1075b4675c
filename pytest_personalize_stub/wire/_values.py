"""Scalars on the wire: timestamps, numbers, booleans, blobs, header lists."""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import email.message
import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from botocore.awsrequest import HeadersDict
from botocore.model import Shape

from ._http import Mismatch, Reader, Writer

# --- timestamps -------------------------------------------------------------------------

_UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO8601 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
    r"(?:([Zz])|([+-])([0-9]{2}):?([0-9]{2}))"
)
_HTTP_DATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov"
    r"|Dec) ([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))? GMT"
)
_INTEGER_TEXT = re.compile(r"-?[0-9]{1,20}")
_FLOAT_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_INTEGER_RANGES = {
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
}


def _aware(value: Any) -> datetime.datetime:
    """A datetime from what botocore accepts for a timestamp (naive means UTC)."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=_UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _EPOCH + datetime.timedelta(seconds=value)
    if isinstance(value, str):
        parsed = _parse_iso8601(value)
        if parsed is not None:
            return parsed
    raise TypeError(f"not a timestamp: {value!r}")


def _epoch_seconds(value: Any) -> int | float:
    """Seconds since the epoch, as botocore writes them (a float only when needed). An aware
    datetime's ``timestamp()`` is its microseconds since the epoch over 10**6, correctly
    rounded: the float botocore's serializer computes."""
    seconds = _aware(value).timestamp()
    return int(seconds) if seconds.is_integer() else seconds


def iso8601(value: Any) -> str:
    moment = _aware(value).astimezone(_UTC).replace(tzinfo=None)
    return moment.isoformat() + "Z"


def _http_date(value: Any) -> str:
    """RFC 7231 IMF-fixdate (whole seconds, as botocore writes it)."""
    m = _aware(value).astimezone(_UTC)
    return (
        f"{_DAYS[m.weekday()]}, {m.day:02d} {_MONTHS[m.month - 1]} {m.year:04d} "
        f"{m.hour:02d}:{m.minute:02d}:{m.second:02d} GMT"
    )


def _from_epoch(value: float) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(seconds=value)


def _fraction(digits: str | None) -> int:
    return int((digits or "0")[:6].ljust(6, "0"))


def _parse_iso8601(text: str) -> datetime.datetime | None:
    m = _ISO8601.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = m.groups()
    zone = _UTC
    if not zulu:
        offset = datetime.timedelta(hours=int(off_h), minutes=int(off_m))
        zone = datetime.timezone(-offset if sign == "-" else offset)
    try:
        moment = datetime.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second),
            _fraction(fraction), zone,
        )  # fmt: skip
    except ValueError:
        return None
    return moment if zone is _UTC else moment.astimezone(_UTC)


def _parse_http_date(text: str) -> datetime.datetime | None:
    m = _HTTP_DATE.fullmatch(text)
    if m is None:
        return None
    day, month, year, hour, minute, second, fraction = m.groups()
    try:
        return datetime.datetime(
            int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute),
            int(second), _fraction(fraction), _UTC,
        )  # fmt: skip
    except ValueError:
        return None


def _parse_epoch_text(text: str) -> datetime.datetime | None:
    if _FLOAT_TEXT.fullmatch(text) is None:
        return None
    try:
        return _from_epoch(float(text))
    except (OverflowError, ValueError):
        return None


_TIME_WRITERS: dict[str, Callable[[Any], Any]] = {
    "unixtimestamp": _epoch_seconds,
    "iso8601": iso8601,
    "rfc822": _http_date,
}
_TIME_TEXT_READERS: dict[str, Callable[[str], datetime.datetime | None]] = {
    "unixtimestamp": _parse_epoch_text,
    "iso8601": _parse_iso8601,
    "rfc822": _parse_http_date,
}
_TIME_NAMES = {
    "unixtimestamp": "epoch seconds",
    "iso8601": "an ISO 8601 date-time",
    "rfc822": "an HTTP-date",
}


def timestamp_format(shape: Shape, default: str) -> str:
    return str(shape.serialization.get("timestampFormat", default)).lower()


# --- scalars --------------------------------------------------------------------------


def json_scalar_reader(shape: Shape, time_format: str) -> Reader:
    """The reader of a scalar in a JSON document."""
    kind = shape.type_name
    if kind == "string":

        def string(value: Any) -> Any:
            if type(value) is str:
                return value
            raise Mismatch("a string", value)

        return string
    if kind in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[kind]

        def integer(value: Any) -> Any:
            if type(value) is int and low <= value <= high:
                return value
            if type(value) is float and value.is_integer() and low <= value <= high:
                return int(value)
            raise Mismatch(f"a {kind} number", value)

        return integer
    if kind in ("float", "double"):

        def number(value: Any) -> Any:
            if type(value) is float or type(value) is int:
                return value
            if type(value) is str and value in _NON_FINITE:
                return _NON_FINITE[value]
            raise Mismatch("a number", value)

        return number
    if kind == "boolean":

        def boolean(value: Any) -> Any:
            if value is True or value is False:
                return value
            raise Mismatch("a boolean", value)

        return boolean
    if kind == "timestamp":
        form = timestamp_format(shape, time_format)
        if form == "unixtimestamp":

            def epoch(value: Any) -> Any:
                if type(value) is float or type(value) is int:
                    try:
                        return _from_epoch(value)
                    except (OverflowError, ValueError):
                        pass
                raise Mismatch("epoch seconds", value)

            return epoch
        parse = _TIME_TEXT_READERS[form]
        expected = _TIME_NAMES[form]

        def text_time(value: Any) -> Any:
            if type(value) is str:
                parsed = parse(value)
                if parsed is not None:
                    return parsed
            raise Mismatch(expected, value)

        return text_time
    if kind == "blob":
        return _base64_reader
    raise ValueError(f"no wire reader for shape type {kind!r}")


def _base64_reader(value: Any) -> Any:
    if type(value) is str:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            pass
    raise Mismatch("a base64 string", value)


def text_scalar_reader(shape: Shape, place: str) -> Reader:
    """The reader of a scalar written as text in ``place``: "uri", "querystring" or "header"
    (where timestamps default to HTTP-dates and blobs are base64)."""
    kind = shape.type_name
    time_format = "rfc822" if place == "header" else "iso8601"
    if kind == "string":
        if shape.serialization.get("jsonvalue"):
            return _json_value_header
        return identity
    if kind in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[kind]

        def integer(text: str) -> Any:
            if _INTEGER_TEXT.fullmatch(text) is not None:
                value = int(text)
                if low <= value <= high:
                    return value
            raise Mismatch(f"a {kind} number", text)

        return integer
    if kind in ("float", "double"):

        def number(text: str) -> Any:
            if _FLOAT_TEXT.fullmatch(text) is not None:
                return float(text)
            if text in _NON_FINITE:
                return _NON_FINITE[text]
            raise Mismatch("a number", text)

        return number
    if kind == "boolean":

        def boolean(text: str) -> Any:
            if text == "true":
                return True
            if text == "false":
                return False
            raise Mismatch("true or false", text)

        return boolean
    if kind == "timestamp":
        form = timestamp_format(shape, time_format)
        parse = _TIME_TEXT_READERS[form]
        expected = _TIME_NAMES[form]

        def timestamp(text: str) -> Any:
            parsed = parse(text)
            if parsed is None:
                raise Mismatch(expected, text)
            return parsed

        return timestamp
    if kind == "blob":
        # Labels and query values are raw bytes, read by the caller; headers carry base64.
        return _base64_reader if place == "header" else identity
    raise ValueError(f"no wire reader for a {kind!r} outside the body")


def _json_value_header(text: str) -> Any:
    try:
        return load_json(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError, RecursionError):
        raise Mismatch("base64-encoded JSON", text) from None


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


_DECODE = json.JSONDecoder(parse_constant=_no_constant).decode


def load_json(data: bytes) -> Any:
    """A JSON document (UTF-8, as the AWS protocols send them); NaN and the infinities are
    no JSON, as for AWS's parsers. Raises ValueError (or RecursionError) for anything else."""
    return _DECODE(data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data)


def identity(value: Any) -> Any:
    return value


def _float_writer(value: Any) -> Any:
    if type(value) is float and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if type(value) is int or type(value) is float:
        return value
    return float(value)  # a Decimal, as botocore accepts


def blob_writer(value: Any) -> str:
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(data).decode("ascii")


def json_scalar_writer(shape: Shape, time_format: str) -> Writer | None:
    """The writer of a scalar in a JSON document; None when the value goes as it is (floats
    too: ``dump_json`` writes NaN and the infinities as the protocols want them)."""
    kind = shape.type_name
    if kind == "timestamp":
        return _TIME_WRITERS[timestamp_format(shape, time_format)]
    if kind == "blob":
        return blob_writer
    return None


def text_scalar_writer(shape: Shape, time_format: str) -> Callable[[Any], str]:
    """The writer of a scalar as text (a header; query values only in tests' eyes)."""
    kind = shape.type_name
    if kind == "boolean":
        return lambda value: "true" if value else "false"
    if kind in ("float", "double"):
        return lambda value: str(_float_writer(value))
    if kind == "timestamp":
        write = _TIME_WRITERS[timestamp_format(shape, time_format)]
        return lambda value: str(write(value))
    if kind == "blob":
        return blob_writer
    if kind == "string" and shape.serialization.get("jsonvalue"):
        return lambda value: base64.b64encode(
            json.dumps(value, separators=(",", ":")).encode("utf-8")
        ).decode("ascii")
    return str


def _finite(value: Any) -> Any:
    """``value`` with NaN and the infinities as the strings the JSON protocols send."""
    if type(value) is float and not math.isfinite(value):
        return _float_writer(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def decimal_float(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)  # as botocore's serializer takes them
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_ENCODE = json.JSONEncoder(
    separators=(",", ":"), allow_nan=False, check_circular=False, default=decimal_float
).encode


def dump_json(data: Any, encode: Callable[[Any], str] = _ENCODE) -> bytes:
    """Compact JSON, NaN and the infinities written as "NaN", "Infinity" and "-Infinity"
    (as the Smithy JSON protocols say); a separate walk is taken only when there are any."""
    try:
        return encode(data).encode("utf-8")
    except ValueError:  # Out of range float values are not JSON compliant
        return encode(_finite(data)).encode("utf-8")


# --- headers ---------------------------------------------------------------------------


Headers = Mapping[str, "str | bytes"]
"""Header values are text; bytes are taken too (botocore encodes them before ``before-send``)."""


def header_text(value: str | bytes) -> str:
    """A header value as text (bytes read as UTF-8, which ASCII headers are too)."""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


_CASE_INSENSITIVE = (HeadersDict, email.message.Message)
"""Header mappings whose ``get`` ignores case: botocore's, and http.server's (``HTTPMessage``)."""


def header_value(headers: Headers, name: str, lower: str) -> str | None:
    """A header's value, looked up case-insensitively (fast for the usual spellings)."""
    value = headers.get(name)
    if value is None:
        if isinstance(headers, _CASE_INSENSITIVE):
            return None
        value = headers.get(lower)
        if value is None:
            for key, item in headers.items():
                if key.lower() == lower:
                    return header_text(item)
            return None
    return value if type(value) is str else header_text(value)


def lowered_headers(headers: Headers) -> dict[str, str]:
    """Headers by lower-case name; repeated headers joined with commas (RFC 9110)."""
    lowered: dict[str, str] = {}
    for key, value in headers.items():
        key = key.lower()
        value = header_text(value)
        lowered[key] = f"{lowered[key]},{value}" if key in lowered else value
    return lowered


def split_header_list(text: str, http_dates: bool) -> list[str]:
    """The items of a header list: commas split, double quotes group (RFC 7230)."""
    if http_dates:  # an HTTP-date has a comma of its own: "Mon, 16 Dec 2019 ..., Tue, ..."
        parts = text.split(",")
        return [f"{a.strip()}, {b.strip()}" for a, b in zip(parts[::2], parts[1::2])] + (
            [parts[-1].strip()] if len(parts) % 2 else []
        )
    items: list[str] = []
    index, size = 0, len(text)
    while index <= size:
        while index < size and text[index] in " \t":
            index += 1
        if index < size and text[index] == '"':
            chars: list[str] = []
            index += 1
            while index < size and text[index] != '"':
                if text[index] == "\\" and index + 1 < size:
                    index += 1
                chars.append(text[index])
                index += 1
            items.append("".join(chars))
            comma = text.find(",", index)
            index = size + 1 if comma < 0 else comma + 1
        else:
            comma = text.find(",", index)
            end = size if comma < 0 else comma
            items.append(text[index:end].strip())
            index = end + 1
    return items


def quote_header_item(value: str) -> str:
    if '"' in value or "," in value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value
