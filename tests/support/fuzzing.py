"""Fuzz cases built from botocore's input shapes: valid calls and calls with one defect.

A case is a whole set of parameters drawn for one operation, plus what the services
promise for it (from the model and the AWS documentation, not from the fake's code):

- a valid call either succeeds or fails with an error the operation documents;
- a call with one defect that botocore's ``ParamValidator`` checks (wrong type, below a
  ``min``, missing required member, unknown member) raises ``ParamValidationError`` when
  client-side validation is on;
- a defect botocore leaves to the service (over a ``max``, not in the ``enum``, not
  matching the ``pattern``, a timestamp past what the fake can hold), or any defect when client-side validation is off, gets the
  service's own validation error; except an unknown member, which botocore's serializer
  drops when it does not validate, so the call is then as valid as without it.
"""

from __future__ import annotations

import copy
import datetime
import math
import random
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from hypothesis import strategies as st

from pytest_personalize_stub.validation import python_pattern

if sys.version_info >= (3, 11):
    import re._constants as sre_constants
    import re._parser as sre_parse
else:
    import sre_constants
    import sre_parse

ANY_DOCUMENTED = "a success or a documented error"
PARAM_VALIDATION = "ParamValidationError"
SERVICE_VALIDATION = "the service's validation error"

CLIENT_CHECKED = frozenset({"wrong type", "below min", "missing required", "unknown member"})
"""Defects botocore's ParamValidator reports before sending (it checks no max, enum or pattern)."""

WRONG_TYPE: dict[str, Any] = {
    "string": 12345,
    "integer": "not a number",
    "long": "not a number",
    "float": "not a number",
    "double": "not a number",
    "boolean": "yes",
    "structure": "not a structure",
    "list": "not a list",
    "map": ["not", "a", "map"],
    "timestamp": {"not": "a time"},
}

NOT_MATCHING = ("!", "#!", " ", "\n", "x!", "ARN:!", "0")
"""Candidates for a value outside a ``pattern`` (padded to the shape's length bounds)."""

MAX_DEPTH = 6
UNKNOWN_MEMBER = "notAMemberOfThisShape"


@dataclass
class Case:
    """One fuzzed call: parameters, whether botocore validates them, and what is promised."""

    params: dict[str, Any]
    client_validation: bool
    defect: str | None
    member: str | None
    expect: str

    def __repr__(self) -> str:
        return (
            f"Case(defect={self.defect!r}, member={self.member!r}, "
            f"client_validation={self.client_validation}, expect={self.expect!r}, "
            f"params={self.params!r})"
        )


@dataclass
class _Site:
    """A place in the parameters where a defect can go."""

    container: dict[str, Any] | list[Any]
    key: str | int
    shape: Shape
    member: str
    parent: StructureShape | None


Draw = Callable[[st.SearchStrategy[Any]], Any]


def cases(operation: OperationModel, pool: Mapping[str, Sequence[str]]) -> st.SearchStrategy[Case]:
    """Fuzz cases for ``operation``; string members draw often from ``pool`` (values that
    name existing resources, by member name), so calls reach real state."""

    @st.composite
    def build(draw: Draw) -> Case:
        shape = operation.input_shape
        params: dict[str, Any] = (
            _structure(draw, shape, pool, 0) if isinstance(shape, StructureShape) else {}
        )
        client_validation = draw(BOOLEANS)
        defective = draw(BOOLEANS) and isinstance(shape, StructureShape)
        if not defective:
            return Case(params, client_validation, None, None, ANY_DOCUMENTED)
        assert isinstance(shape, StructureShape)
        root = _Site({"": params}, "", shape, "", None)
        sites = list(_sites(params, shape, ""))
        options = [(root, "unknown member")]
        options += [(site, defect) for site in sites for defect in _defects(site)]
        site, defect = _pick(draw, options)
        _apply(site, defect)
        if defect == "unknown member" and not client_validation:
            expect = ANY_DOCUMENTED
        elif defect in CLIENT_CHECKED and client_validation:
            expect = PARAM_VALIDATION
        else:
            expect = SERVICE_VALIDATION
        return Case(params, client_validation, defect, site.member, expect)

    return build()


def _value(
    draw: Draw, shape: Shape, name: str, pool: Mapping[str, Sequence[str]], depth: int
) -> Any:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure(draw, shape, pool, depth)
    if kind == "list":
        assert isinstance(shape, ListShape)
        low = meta.get("min", 0)
        high = min(meta.get("max", low + 3), low + (3 if depth < 3 else 1))
        size = draw(_integers(low, high))
        return [_value(draw, shape.member, name, pool, depth + 1) for _ in range(size)]
    if kind == "map":
        assert isinstance(shape, MapShape)
        low = meta.get("min", 0)
        size = draw(_integers(low, min(meta.get("max", low + 2), low + 2)))
        return {
            _value(draw, shape.key, name, pool, depth + 1): _value(
                draw, shape.value, name, pool, depth + 1
            )
            for _ in range(size)
        }
    if kind == "string":
        return _string(draw, shape, name, pool)
    if kind in ("integer", "long"):
        return draw(_integers(meta.get("min", -(2**31)), meta.get("max", 2**31 - 1)))
    if kind in ("float", "double"):
        return draw(_floats(meta.get("min"), meta.get("max")))
    if kind == "boolean":
        return draw(BOOLEANS)
    if kind == "timestamp":
        return draw(TIMESTAMPS)
    if kind == "blob":
        return draw(BLOBS)
    raise AssertionError(f"no strategy for shape type {kind!r}")


def _structure(
    draw: Draw, shape: StructureShape, pool: Mapping[str, Sequence[str]], depth: int
) -> dict[str, Any]:
    members = shape.members
    if shape.metadata.get("union"):
        chosen = [_pick(draw, sorted(members))]
    else:
        required = set(shape.required_members)
        chosen = [
            name for name in members if name in required or (depth < MAX_DEPTH and draw(BOOLEANS))
        ]
    return {name: _value(draw, members[name], name, pool, depth + 1) for name in chosen}


def _pooled(shape: Shape, name: str, pool: Mapping[str, Sequence[str]]) -> Sequence[str]:
    shape_name = shape.name[:1].lower() + shape.name[1:]
    for key in (name, shape_name):
        if pool.get(key):
            return pool[key]
    if name.endswith(("Arn", "Arns")) or shape.name.endswith("Arn"):
        return pool.get("resourceArn", ())
    return ()


def _string(draw: Draw, shape: Shape, name: str, pool: Mapping[str, Sequence[str]]) -> str:
    meta = shape.metadata
    known = [value for value in _pooled(shape, name, pool) if _fits(value, shape)]
    if known and draw(_integers(0, 4)) > 0:
        return str(_pick(draw, known))
    if shape.enum:
        return str(_pick(draw, shape.enum))
    return str(draw(_strings(meta.get("min", 0), meta.get("max", 64), meta.get("pattern"))))


_pattern = cache(python_pattern)


def _fits(value: str, shape: Shape) -> bool:
    """Whether a pooled value keeps the shape's documented length, enum and pattern."""
    meta = shape.metadata
    if not meta.get("min", 0) <= len(value) <= meta.get("max", len(value)):
        return False
    if shape.enum and value not in shape.enum:
        return False
    return "pattern" not in meta or _pattern(meta["pattern"]).fullmatch(value) is not None


BOOLEANS = st.booleans()
MOMENTS = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.just(datetime.timezone.utc),
)
TIMESTAMPS = st.one_of(
    MOMENTS,
    MOMENTS.map(lambda moment: moment.isoformat()),
    MOMENTS.map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")),
    MOMENTS.map(lambda moment: int(moment.timestamp())),
    MOMENTS.map(lambda moment: moment.timestamp()),
)
"""Every form botocore takes for a timestamp: a datetime, ISO 8601 text, epoch seconds."""

BEYOND_THE_FAKE = "9999-12-31T23:59:59Z"
"""A timestamp botocore takes but that lies past the last instant the fake can hold."""
BLOBS = st.binary(max_size=16)
CHARACTERS = st.characters(min_codepoint=32, max_codepoint=126)
"""Printable ASCII: drawing from all of Unicode costs hypothesis ten times more per string."""


def _pick(draw: Draw, options: Sequence[Any]) -> Any:
    return options[draw(_integers(0, len(options) - 1))]


@cache
def _integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@cache
def _floats(low: float | None, high: float | None) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@cache
def _strings(low: int, high: int, pattern_text: str | None) -> st.SearchStrategy[str]:
    """Strings within the length bounds that fully match the pattern (AWS's Java syntax).

    Hypothesis draws a seed and the string is built from the pattern's parse tree with it:
    ``st.from_regex`` costs milliseconds per string on these patterns."""
    if pattern_text is None:
        return st.text(CHARACTERS, min_size=low, max_size=min(high, low + 24))
    pattern = _pattern(pattern_text)
    tree = sre_parse.parse(pattern.pattern, pattern.flags)

    def build(seed: int) -> str:
        rng = random.Random(seed)
        for _ in range(20):
            text = "".join(_generate(tree, rng))
            if len(text) < low and text:
                text = text * math.ceil(low / len(text))
            text = text[:high]
            if low <= len(text) <= high and pattern.fullmatch(text) is not None:
                return text
        raise AssertionError(f"no string of {low}..{high} characters matches {pattern_text!r}")

    return st.integers(0, 2**32 - 1).map(build)


PRINTABLE = [chr(code) for code in range(32, 127)] + ["é", "ß", "漢", "\t"]
CATEGORY_CHARACTERS = {
    sre_constants.CATEGORY_DIGIT: "0123456789",
    sre_constants.CATEGORY_NOT_DIGIT: "abcXYZ_-.",
    sre_constants.CATEGORY_WORD: "abcxyzABCXYZ0129_",
    sre_constants.CATEGORY_NOT_WORD: " -.:/!",
    sre_constants.CATEGORY_SPACE: " \t",
    sre_constants.CATEGORY_NOT_SPACE: "abcXYZ019-_.:/",
}


def _generate(tree: Any, rng: random.Random) -> Any:
    """Characters of one string the parsed regex ``tree`` may match (lookarounds ignored)."""
    for op, argument in tree:
        if op is sre_constants.LITERAL:
            yield chr(argument)
        elif op is sre_constants.NOT_LITERAL:
            yield rng.choice([c for c in PRINTABLE if ord(c) != argument])
        elif op is sre_constants.ANY:
            yield rng.choice(PRINTABLE)
        elif op is sre_constants.IN:
            yield _one_of_class(argument, rng)
        elif op is sre_constants.BRANCH:
            yield from _generate(rng.choice(argument[1]), rng)
        elif op is sre_constants.SUBPATTERN:
            yield from _generate(argument[-1], rng)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            least, most, item = argument
            most = least + 8 if most is sre_constants.MAXREPEAT else min(most, least + 8)
            for _ in range(rng.randint(least, most)):
                yield from _generate(item, rng)


def _one_of_class(items: Any, rng: random.Random) -> str:
    """One character of a ``[...]`` class: its ranges, literals and categories."""
    negated = bool(items) and items[0][0] is sre_constants.NEGATE
    choices: list[str] = []
    for op, argument in items:
        if op is sre_constants.LITERAL:
            choices.append(chr(argument))
        elif op is sre_constants.RANGE:
            first, last = argument
            choices.extend(chr(rng.randint(first, last)) for _ in range(4))
        elif op is sre_constants.CATEGORY:
            choices.extend(CATEGORY_CHARACTERS.get(argument, "a"))
    if negated:
        excluded = set(choices)
        choices = [c for c in PRINTABLE if c not in excluded]
    return rng.choice(choices)


def _sites(value: Any, shape: Shape, path: str) -> Any:
    """Every place (container, key, shape) in a structure value, depth first."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        for name, item in value.items():
            member = shape.members[name]
            yield _Site(value, name, member, name, shape)
            yield from _sites(item, member, name)
    elif isinstance(shape, ListShape) and isinstance(value, list):
        for index, item in enumerate(value):
            yield _Site(value, index, shape.member, path, None)
            yield from _sites(item, shape.member, path)
    elif isinstance(shape, MapShape) and isinstance(value, dict):
        for item in value.values():
            yield from _sites(item, shape.value, path)


def _defects(site: _Site) -> list[str]:
    shape, meta, value = site.shape, site.shape.metadata, site.container[site.key]  # type: ignore[index]
    kind = shape.type_name
    defects = []
    if kind in WRONG_TYPE:
        defects.append("wrong type")
    if site.parent is not None and site.member in site.parent.required_members:
        defects.append("missing required")
    if isinstance(shape, StructureShape) and not shape.metadata.get("union"):
        defects.append("unknown member")
    if kind == "string":
        if "max" in meta:
            defects.append("over max")
        if meta.get("min", 0) > 0:
            defects.append("below min")
        if shape.enum:
            defects.append("not in enum")
        if "pattern" in meta and _not_matching(shape) is not None:
            defects.append("not matching pattern")
    if kind in ("integer", "long", "float", "double"):
        if "max" in meta:
            defects.append("over max")
        if "min" in meta:
            defects.append("below min")
    if kind == "timestamp":
        defects.append("out of range")
    if kind == "list" and isinstance(value, list) and value:
        if "max" in meta and meta["max"] <= 200:
            defects.append("over max")
        if meta.get("min", 0) > 0:
            defects.append("below min")
    return defects


def _not_matching(shape: Shape) -> str | None:
    meta = shape.metadata
    low, high = meta.get("min", 0), meta.get("max", 1024)
    pattern = _pattern(meta["pattern"])
    for candidate in NOT_MATCHING:
        text = (candidate * max(1, low))[: max(low, len(candidate))]
        if low <= len(text) <= high and pattern.fullmatch(text) is None:
            return text
    return None


def _apply(site: _Site, defect: str) -> None:
    container, key, shape, meta = site.container, site.key, site.shape, site.shape.metadata
    kind = shape.type_name
    current = container[key]  # type: ignore[index]
    if defect == "missing required":
        assert isinstance(container, dict)
        del container[key]  # type: ignore[arg-type]
        return
    if defect == "unknown member":
        current[UNKNOWN_MEMBER] = "surplus"
        return
    if defect == "wrong type":
        replacement: Any = WRONG_TYPE[kind]
    elif defect == "not in enum":
        replacement = "NOT_A_VALUE_OF_THIS_ENUM"
    elif defect == "not matching pattern":
        replacement = _not_matching(shape)
    elif defect == "out of range":
        replacement = BEYOND_THE_FAKE
    elif kind == "string":
        replacement = "a" * (meta["max"] + 1) if defect == "over max" else ""
    elif kind == "list":
        replacement = (
            [copy.deepcopy(current[0]) for _ in range(meta["max"] + 1)]
            if defect == "over max"
            else []
        )
    elif kind in ("integer", "long"):
        replacement = meta["max"] + 1 if defect == "over max" else meta["min"] - 1
    else:
        replacement = meta["max"] + 1.5 if defect == "over max" else meta["min"] - 1.5
    container[key] = replacement  # type: ignore[index]
