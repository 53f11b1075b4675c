"""Hypothesis strategies for the params and outputs of any operation, and a comparison of
what went over the wire with what came back.

Values honour the model (``min``/``max``, ``enum``, ``pattern``: patterned strings come from
``tests/fuzzing.py``'s generator) and where a member goes on the wire: a URI label is never
empty, a header holds printable ASCII without surrounding blanks, a query or header list
has at least one item (HTTP has no way to send an empty one), HTTP-dates carry whole
seconds. ``canonical`` turns a value into what the wire keeps of it, so an original and
its round trip compare equal exactly when nothing was lost.
"""

from __future__ import annotations

import datetime
import math
import random
import string
import sys
from functools import cache, partial
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from botocore.serialize import SERIALIZERS
from botocore.utils import parse_timestamp
from hypothesis import strategies as st

from pytest_personalize_stub.validation import python_pattern
from support.fuzzing import _generate

if sys.version_info >= (3, 11):
    import re._parser as sre_parse
else:
    import sre_parse

MAX_DEPTH = 5

TIMESTAMPS = st.datetimes(
    min_value=datetime.datetime(1960, 1, 1),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=-7, minutes=-30))]
    ),
)


def _whole_seconds(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(microsecond=0)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


# No lambdas in strategies: hypothesis reads a lambda's source to describe it, which costs
# more than drawing the examples.
WHOLE_SECONDS = TIMESTAMPS.map(_whole_seconds)

CHARACTERS = st.sampled_from(
    list(string.ascii_letters + string.digits) + list(" /%+&=?#:;,\"'~.-_*()[]{}\\\t") + [
        "é", "ß", "漢", "😀", "\u2028",
    ]
)  # fmt: skip
"""Characters that stress percent-encoding and JSON escaping."""

HEADER_CHARACTERS = string.ascii_letters + string.digits + " !#$%&'()*+-./:;<=>?@[]^_`{|}~"
"""Printable ASCII a header value may hold anywhere but at its ends (no comma, quote or
backslash: botocore's header list parser splits on every comma and its serializer leaves
backslashes unescaped)."""


def _json_containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner)


JSON_VALUES = st.recursive(
    st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8),
    _json_containers,
    max_leaves=6,
)

FLOAT_SPECIALS = st.sampled_from([math.inf, -math.inf, math.nan])


def _header_text(low: int, high: int) -> st.SearchStrategy[str]:
    """Header-safe text of ``low``..``high`` characters, never blank at either end."""
    if high == 0:
        return st.just("")
    edge = st.sampled_from(string.ascii_letters + string.digits)
    if high == 1:
        return edge
    inner = st.text(
        st.sampled_from(HEADER_CHARACTERS), min_size=max(0, low - 2), max_size=min(high, 16) - 2
    )
    return st.tuples(edge, inner, edge).map("".join)


class Place:
    """Where a value goes: its protocol, location and direction."""

    def __init__(self, protocol: str, location: str | None, direction: str) -> None:
        self.protocol = protocol
        self.location = location
        self.direction = direction

    def nested(self) -> Place:
        return Place(self.protocol, None, self.direction)

    def whole_seconds(self, shape: Shape) -> bool:
        """Whether a timestamp here keeps whole seconds only: HTTP-dates, and any header
        (botocore's serializer drops a header timestamp's fraction, whatever its format)."""
        return self.location == "header" or self.time_format(shape) == "rfc822"

    def step(self, shape: Shape) -> int:
        """The microseconds a timestamp here keeps a multiple of: whole seconds (above), or
        in a request what the installed botocore's serializer keeps of the format."""
        if self.whole_seconds(shape):
            return 1_000_000
        if self.direction == "request":
            return sent_step(self.protocol, self.time_format(shape))
        return 1

    def time_format(self, shape: Shape) -> str:
        default = {"header": "rfc822", "querystring": "iso8601", "uri": "iso8601"}.get(
            self.location or "", "unixtimestamp"
        )
        return str(shape.serialization.get("timestampFormat", default)).lower()

    def key(self) -> tuple[str, str | None, str]:
        return (self.protocol, self.location, self.direction)


def input_params(operation: OperationModel) -> st.SearchStrategy[dict[str, Any]]:
    """Valid params for the operation, as a botocore user passes them."""
    return _top(operation, "request")


def output_values(operation: OperationModel) -> st.SearchStrategy[dict[str, Any]]:
    """Valid outputs of the operation, as botocore returns them (no ResponseMetadata)."""
    return _top(operation, "response")


def error_members(shape: StructureShape, protocol: str) -> st.SearchStrategy[dict[str, Any]]:
    """Members of an error shape (its message aside)."""
    members = {name: m for name, m in shape.members.items() if name.lower() != "message"}
    return _members(shape, members, protocol, "response")


@cache
def _top(operation: OperationModel, direction: str) -> st.SearchStrategy[dict[str, Any]]:
    shape = operation.input_shape if direction == "request" else operation.output_shape
    if shape is None:
        return st.just({})
    assert isinstance(shape, StructureShape)
    static_query = str(operation.http.get("requestUri", "")).partition("?")[2]
    taken = {pair.partition("=")[0] for pair in static_query.split("&") if pair}
    return _members(shape, shape.members, operation.metadata["protocol"], direction, taken)


def _members(
    shape: StructureShape,
    members: dict[str, Shape],
    protocol: str,
    direction: str,
    taken: set[str] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    required = set(shape.required_members)
    payload = shape.serialization.get("payload")
    fixed: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    query_names = set(taken or ()) | {
        m.serialization.get("name", n)
        for n, m in members.items()
        if m.serialization.get("location") == "querystring" and m.type_name != "map"
    }
    for name, member in members.items():
        location = member.serialization.get("location") if protocol == "rest-json" else None
        place = Place(protocol, location, direction)
        if location == "statusCode":
            value: st.SearchStrategy[Any] = st.integers(200, 299)
        elif location == "querystring" and isinstance(member, MapShape):
            value = _query_map(member, query_names)
        elif location == "headers":
            value = st.dictionaries(
                st.text(st.sampled_from(string.ascii_lowercase + "-"), min_size=1, max_size=6),
                _header_text(0, 16),
                min_size=1,
                max_size=3,
            )
        elif name == payload and member.type_name in ("blob", "string"):
            value = (
                st.text(min_size=1, max_size=20).map(_utf8)
                if member.type_name == "blob"
                else st.text(min_size=1, max_size=20)
            )
        else:
            value = values(member, place, 1)
        if name in required or location == "uri" or name == payload:
            fixed[name] = value
        else:
            optional[name] = value
    return st.fixed_dictionaries(fixed, optional=optional)


def _query_map(shape: MapShape, taken: set[str]) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.text(string.ascii_letters + "-_", min_size=1, max_size=6).filter(
        partial(_not_in, frozenset(taken))
    )
    place = Place("rest-json", "querystring", "request")
    if isinstance(shape.value, ListShape):
        item = values(shape.value.member, place, 2)
        return st.dictionaries(keys, st.lists(item, min_size=1, max_size=3), min_size=1)
    return st.dictionaries(keys, values(shape.value, place, 1), min_size=1, max_size=3)


def _later(shape: Shape, place: Place, depth: int) -> Any:
    """What ``st.deferred`` builds a member's strategy with (recursive shapes need it)."""

    def member_values() -> st.SearchStrategy[Any]:
        return values(shape, place, depth)

    return member_values


def _not_in(taken: frozenset[str], key: str) -> bool:
    return key not in taken


def values(shape: Shape, place: Place, depth: int) -> st.SearchStrategy[Any]:
    """Valid values of a shape at this place."""
    return _values(shape, place.key(), depth, shape.serialization.get("timestampFormat"))


@cache
def _values(shape: Shape, key: tuple[str, str | None, str], depth: int, _: Any) -> Any:
    place = Place(*key)
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if shape.is_document_type:
            return JSON_VALUES
        inner = place.nested()
        members = {
            name: st.deferred(_later(member, inner, depth + 1))
            for name, member in shape.members.items()
        }
        if meta.get("union"):
            return st.one_of(
                [st.fixed_dictionaries({name: strategy}) for name, strategy in members.items()]
            )
        required = set(shape.required_members)
        fixed = {name: s for name, s in members.items() if name in required}
        optional = (
            {name: s for name, s in members.items() if name not in required}
            if depth < MAX_DEPTH
            else {}
        )
        return st.fixed_dictionaries(fixed, optional=optional)
    if kind == "list":
        assert isinstance(shape, ListShape)
        low = max(meta.get("min", 0), 1 if place.location in ("querystring", "header") else 0)
        high = min(meta.get("max", low + 3), low + (3 if depth < 3 else 1))
        return st.lists(values(shape.member, place, depth + 1), min_size=low, max_size=high)
    if kind == "map":
        assert isinstance(shape, MapShape)
        low = meta.get("min", 0)
        high = min(meta.get("max", low + 2), low + 2)
        inner = place.nested()
        return st.dictionaries(
            values(shape.key, inner, depth + 1),
            values(shape.value, inner, depth + 1),
            min_size=low,
            max_size=high,
        )
    if kind == "string":
        return _string(shape, place)
    if kind in ("integer", "long", "short", "byte"):
        bits = {"integer": 31, "long": 63, "short": 15, "byte": 7}[kind]
        return st.integers(meta.get("min", -(2**bits)), meta.get("max", 2**bits - 1))
    if kind in ("float", "double"):
        finite = st.floats(meta.get("min"), meta.get("max"), allow_nan=False, allow_infinity=False)
        # botocore's json parser hands "Infinity" back as a string: no specials to parse.
        if (
            "min" in meta
            or "max" in meta
            or (place.protocol == "json" and place.direction == "response")
        ):
            return finite
        return finite | FLOAT_SPECIALS
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return WHOLE_SECONDS if place.whole_seconds(shape) else TIMESTAMPS
    if kind == "blob":
        return st.binary(min_size=1 if place.location else 0, max_size=16)
    raise AssertionError(f"no strategy for shape type {kind!r}")


def _string(shape: Shape, place: Place) -> st.SearchStrategy[Any]:
    meta = shape.metadata
    low, high = meta.get("min", 0), meta.get("max", 64)
    if place.location == "uri":
        low = max(low, 1)
    if shape.serialization.get("jsonvalue") and place.location == "header":
        return JSON_VALUES
    if shape.enum:
        return st.sampled_from(shape.enum)
    if place.location == "header":
        return _header_text(low, high)
    if "pattern" in meta:
        return st.sampled_from(_matching(low, high, meta["pattern"]))
    return st.text(CHARACTERS, min_size=low, max_size=min(high, low + 12))


@cache
def _matching(low: int, high: int, pattern_text: str) -> list[str]:
    """Up to 48 distinct strings of ``low``..``high`` characters that match the pattern,
    built once from its parse tree by ``tests/fuzzing.py``'s generator (drawing them anew
    for every example would cost most of the test's time). Lone surrogates are left out:
    they are no text, and JSON joins an adjacent pair of them into one character."""
    pattern = python_pattern(pattern_text)
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    found: dict[str, None] = {}
    for seed in range(200):
        rng = random.Random(seed)
        text = "".join(_generate(tree, rng))
        if len(text) < low and text:
            text = text * math.ceil(low / len(text))
        text = text[:high]
        if (
            low <= len(text) <= high
            and pattern.fullmatch(text) is not None
            and not any("\ud800" <= c <= "\udfff" for c in text)
        ):
            found[text] = None
            if len(found) == 48:
                break
    assert found, f"no string of {low}..{high} characters matches {pattern_text!r}"
    return sorted(found)


def sample_params(operation: OperationModel, rng: random.Random) -> dict[str, Any]:
    """Valid params without hypothesis (for seeded mutation fuzzing): every member down to
    a depth of 3, values picked with ``rng`` from what the strategies would draw."""
    shape = operation.input_shape
    if shape is None:
        return {}
    value: dict[str, Any] = _sample(shape, rng, 0, operation.metadata["protocol"])
    return value


def _sample(shape: Shape, rng: random.Random, depth: int, protocol: str) -> Any:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if shape.is_document_type:
            return {"a": [1, "b"]}
        names = list(shape.members)
        if meta.get("union"):
            names = [rng.choice(names)]
        elif depth >= 3:
            names = [name for name in names if name in shape.required_members]
        return {name: _sample(shape.members[name], rng, depth + 1, protocol) for name in names}
    if kind == "list":
        assert isinstance(shape, ListShape)
        size = max(meta.get("min", 0), 1)
        return [_sample(shape.member, rng, depth + 1, protocol) for _ in range(size)]
    if kind == "map":
        assert isinstance(shape, MapShape)
        size = max(meta.get("min", 0), 1)
        return {
            _sample(shape.key, rng, depth + 1, protocol): _sample(
                shape.value, rng, depth + 1, protocol
            )
            for _ in range(size)
        }
    if kind == "string":
        low, high = meta.get("min", 0), meta.get("max", 64)
        if shape.enum:
            return rng.choice(shape.enum)
        if "pattern" in meta:
            return rng.choice(_matching(low, high, meta["pattern"]))
        return "".join(rng.choice("ab:/ %é") for _ in range(max(low, 1)))[:high] or ""
    if kind in ("integer", "long"):
        return rng.randint(meta.get("min", 0), meta.get("max", 100))
    if kind in ("float", "double"):
        return rng.uniform(meta.get("min", 0), meta.get("max", 1))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "timestamp":
        return datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc)
    if kind == "blob":
        return rng.randbytes(4)
    raise AssertionError(f"no sample of shape type {kind!r}")


# --- what the wire keeps of a value --------------------------------------------------


_PROBE = datetime.datetime(2000, 1, 1, 0, 0, 0, 123456, tzinfo=datetime.timezone.utc)


@cache
def sent_step(protocol: str, time_format: str) -> int:
    """The microseconds a timestamp botocore's serializer of ``protocol`` sends in
    ``time_format`` keeps a multiple of (older botocores send whole unix seconds, newer ones
    milliseconds or microseconds): found by serializing a probe."""
    sent = SERIALIZERS[protocol]()._convert_timestamp_to_str(_PROBE, time_format)
    micros = parse_timestamp(sent).microsecond
    return {123456: 1, 123000: 1000}.get(micros, 1_000_000)


def as_sent(value: datetime.datetime, protocol: str, time_format: str) -> datetime.datetime:
    """A timestamp as botocore's serializer of ``protocol`` sends it in ``time_format``."""
    step = sent_step(protocol, time_format)
    return value.replace(microsecond=value.microsecond // step * step)


def canonical(value: Any, shape: Shape | None, place: Place) -> Any:
    """``value`` reduced to what survives the wire at ``place``: timestamps as instants in
    microseconds (whole seconds for HTTP-dates), NaN as a marker, blobs as bytes."""
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if shape.is_document_type or not isinstance(value, dict):
            return value
        out = {}
        for name, item in value.items():
            if name == "ResponseMetadata" or item is None:
                continue
            member = shape.members[name]
            location = (
                member.serialization.get("location")
                if place.location is None and place.protocol == "rest-json" and _top_level(place)
                else None
            )
            out[name] = canonical(item, member, _member_place(place, location))
        return out
    if kind == "list" and isinstance(value, list):
        assert isinstance(shape, ListShape)
        return [canonical(item, shape.member, place) for item in value]
    if kind == "map" and isinstance(value, dict):
        assert isinstance(shape, MapShape)
        return {key: canonical(item, shape.value, place) for key, item in value.items()}
    if kind == "timestamp" and isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
        delta = moment - EPOCH
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        if place.whole_seconds(shape):
            return ("seconds", micros // 1_000_000)
        step = place.step(shape)
        return ("micros", micros // step * step)
    if kind in ("float", "double") and isinstance(value, float) and math.isnan(value):
        return "NaN"
    if kind == "blob" and isinstance(value, (bytes, bytearray, str)):
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return value


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class _TopPlace(Place):
    """The place of a top-level structure, whose members carry locations."""


def top_place(protocol: str, direction: str) -> Place:
    """The place of an operation's input or output structure."""
    return _TopPlace(protocol, None, direction)


def _top_level(place: Place) -> bool:
    return isinstance(place, _TopPlace)


def _member_place(place: Place, location: str | None) -> Place:
    return Place(place.protocol, location, place.direction)
