"""Both validation layers, driven by botocore's service model.

Client side is botocore's own ``ParamValidator`` (run only when the client validates, as
botocore does). Server side is a type-driven walker compiled once per shape: it checks every
``required``, type, ``min``, ``max``, ``pattern`` and ``enum`` of the input shape and words
each failure the way AWS does.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable, Hashable, Iterable
from functools import partial
from typing import Any, cast

from botocore.client import BaseClient
from botocore.exceptions import ParamValidationError
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from botocore.utils import is_json_value_header, parse_to_aware_datetime
from botocore.validate import ParamValidationDecorator, ParamValidator

from .compiled import CompiledShapes, generated
from .errors import ValidationProblem

Checker = Callable[[Any, str, list[ValidationProblem]], None]

_client_validator = ParamValidator()

# Java regex classes the models use that Python's ``re`` lacks, and their nearest equivalents.
_JAVA_CLASSES = {
    r"\p{ASCII}": r"[\x00-\x7f]",
    r"\p{L}": r"\w",
    r"\p{N}": r"\w",
    r"\p{Z}": r"\s",
}


def validates_client_side(client: BaseClient) -> bool:
    """Whether this client validates parameters (``Config(parameter_validation=...)``).

    botocore records the setting only in the serializer it gives the client: a
    ``ParamValidationDecorator`` when validation is on.
    """
    return isinstance(client._serializer, ParamValidationDecorator)  # type: ignore[attr-defined]


def validate_client_side(params: dict[str, Any], operation_model: OperationModel) -> None:
    """Raise botocore's own ``ParamValidationError`` for what botocore checks before sending."""
    __tracebackhide__ = True
    shape = operation_model.input_shape
    if shape is None:
        return
    report = _client_validator.validate(params, shape)
    if report.has_errors():
        raise ParamValidationError(report=report.generate_report())


REMEMBERED = 4096
"""Most passed parameter sets kept per operation and layer (and values per string shape)."""


def flat_key(params: dict[str, Any]) -> Hashable | None:
    """A key for parameters made only of scalars (with their types), else None.

    Validation is a pure function of the operation and its parameters, so flat parameters
    that passed once (the usual Describe/Get/List call) need not be walked again.
    """
    key: tuple[Any, ...] = ()
    for name, value in params.items():
        kind = type(value)
        if kind is not str and kind is not int and kind is not bool and kind is not float:
            return None
        key += (name, kind, value)  # one flat tuple: quicker to make, hash and compare
    return key


Tokens = list[Any]
KeyMaker = Callable[[Any, Tokens], bool]
"""Adds what botocore's validation reads of a value of one shape to the tokens; False when
the value is one it walks each time (see :func:`alike_key_for`)."""

_key_makers: CompiledShapes[KeyMaker] = CompiledShapes()

SAFE_EPOCHS = (0, 4_102_444_800)
"""Epoch seconds (1970 to 2100) that botocore reads as a timestamp in any local zone."""


def alike_key_for(service: str, shape: Shape) -> Callable[[Any], Hashable | None]:
    """What makes a key equal for parameters of ``shape`` that botocore's ``ParamValidator``
    cannot tell apart, so one that passed vouches for the others: it reads a string only for
    its ``min`` length, a number for its ``min``, a timestamp only for whether it parses (any
    epoch number from 1970 to 2100 or datetime of years 2 to 9998 does), a list for its length
    and members. The key is None for what it reads otherwise (a document, a JSON-value header,
    an unknown member, a value of another type), which validation then walks each time."""
    make = _key_maker(service, shape)

    def alike_key(params: Any) -> Hashable | None:
        tokens: Tokens = []
        return tuple(tokens) if make(params, tokens) else None

    return alike_key


def _key_maker(service: str, shape: Shape) -> KeyMaker:
    return _key_makers.get((service, shape.name), lambda: _compile_key_maker(service, shape))


def _compile_key_maker(service: str, shape: Shape) -> KeyMaker:
    kind = shape.type_name
    if is_json_value_header(shape) or getattr(shape, "is_document_type", False):
        return lambda value, tokens: False
    if isinstance(shape, StructureShape):
        return _structure_key_maker(service, shape)
    if isinstance(shape, ListShape):
        if shape.member.type_name == "string" and not is_json_value_header(shape.member):
            return _strings_token
        item = _key_maker(service, shape.member)

        def listed(value: Any, tokens: Tokens) -> bool:
            if type(value) is not list:
                return False
            tokens.append(len(value))
            for entry in value:
                if not item(entry, tokens):
                    return False
            return True

        return listed
    if isinstance(shape, MapShape):
        key, entry = _key_maker(service, shape.key), _key_maker(service, shape.value)

        def mapped(value: Any, tokens: Tokens) -> bool:
            if type(value) is not dict:
                return False
            tokens.append(len(value))
            for name, item in value.items():
                if not (key(name, tokens) and entry(item, tokens)):
                    return False
            return True

        return mapped
    if kind == "timestamp":
        return _timestamp_token
    scalar = _SCALARS.get(kind)
    if scalar is None:
        return lambda value, tokens: False
    kinds, read = scalar

    def scalar_token(value: Any, tokens: Tokens) -> bool:
        if type(value) not in kinds:
            return False
        if read is not None:
            tokens.append(read(value))
        return True

    return scalar_token


def _structure_key_maker(service: str, shape: StructureShape) -> KeyMaker:
    """The key maker of a structure, as one generated function: each member given adds its
    name, then a scalar member its token inline, any other through its own key maker."""
    names: dict[str, Any] = {}
    lines = [
        "def make(value, tokens):",
        "    if type(value) is not dict:",
        "        return False",
        "    for name, item in value.items():",
    ]
    for index, (name, member) in enumerate(shape.members.items()):
        lines.append(f"        {'elif' if index else 'if'} name == {name!r}:")
        lines.append("            tokens.append(name)")
        scalar = None if is_json_value_header(member) else _SCALARS.get(member.type_name)
        if scalar is None:
            names[f"make_{index}"] = _key_maker(service, member)
            lines.append(f"            if not make_{index}(item, tokens):")
            lines.append("                return False")
            continue
        names[f"kinds_{index}"], read = scalar
        lines.append(f"            if type(item) not in kinds_{index}:")
        lines.append("                return False")
        if read is not None:
            names[f"read_{index}"] = read
            lines.append(f"            tokens.append(read_{index}(item))")
    lines += (
        ["        else:", "            return False"] if shape.members else ["        return False"]
    )
    lines.append("    tokens.append(None)")
    lines.append("    return True")
    make: KeyMaker = generated("make", lines, names, f"key maker of {service} {shape.name}")
    return make


_SCALARS: dict[str, tuple[tuple[type, ...], Callable[[Any], Any] | None]] = {
    "string": ((str,), len),
    "integer": ((int,), int),
    "long": ((int,), int),
    "float": ((float, int), float),
    "double": ((float, int), float),
    "boolean": ((bool,), None),
    "blob": ((bytes, bytearray), None),
}
"""Per scalar type: the Python types keyed exactly (botocore takes a few more, such as
``Decimal`` or a file for a blob, walked each time) and what its validation reads of a value
(a string's length, a number's value). Written here because botocore's own lists of types
sit in its type-check decorators (``ParamValidator.SCALAR_TYPES`` exists only in newer
releases than the declared floor)."""


_ONLY_STR = frozenset({str})


def _strings_token(value: Any, tokens: Tokens) -> bool:
    """A list of strings: its length, then each string's (as the general case would add)."""
    if type(value) is not list or not _ONLY_STR.issuperset(map(type, value)):
        return False
    tokens.append(len(value))
    tokens.extend(map(len, value))
    return True


def _timestamp_token(value: Any, tokens: Tokens) -> bool:
    kind = type(value)
    if kind is int or kind is float:
        readable = bool(SAFE_EPOCHS[0] <= value <= SAFE_EPOCHS[1])
    elif kind is datetime.datetime:
        readable = bool(2 <= value.year <= 9998)
    elif kind is str:
        tokens.append(("text", value))  # it must parse: only the same text is alike
        return True
    else:
        return False
    tokens.append(True)
    return readable


def remember(passed: set[Hashable], key: Hashable) -> None:
    """Add a passed key, forgetting all of them once there are too many."""
    if len(passed) >= REMEMBERED:
        passed.clear()
    passed.add(key)


def python_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a model pattern (Java syntax) for Python's ``re``."""
    for java, python in _JAVA_CLASSES.items():
        pattern = pattern.replace(java, python)
    return re.compile(pattern)


_checkers: CompiledShapes[Checker] = CompiledShapes()


def checker_for(service: str, shape: Shape) -> Checker:
    """The compiled check of a shape, cached per service and shape name."""
    return _checkers.get((service, shape.name), lambda: _compile(service, shape))


def _compile(service: str, shape: Shape) -> Checker:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure(service, shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _list(service, shape)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _map(service, shape)
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long"):
        return _number(shape, (int,), "integer")
    if kind in ("float", "double"):
        return _number(shape, (int, float), "number")
    if kind == "boolean":
        return _typed(bool, "boolean")
    if kind == "timestamp":
        return _timestamp
    if kind == "blob":
        return _typed((bytes, bytearray, str), "blob")
    return _typed(object, kind)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _structure(service: str, shape: StructureShape) -> Checker:
    """The check of a structure, as one generated function: a member that plainly passes (a
    string that passed before, a number within its bounds, a boolean) is passed over inline;
    any other goes to its own check, in the members' order, so the problems come out as that
    check words them."""
    required = frozenset(shape.required_members)
    names: dict[str, Any] = {"Problem": ValidationProblem, "join": _join}
    lines = [
        "def check(value, path, problems):",
        "    if not isinstance(value, dict):",
        "        problems.append(Problem(path, value, 'Member must be a structure'))",
        "        return",
        "    get = value.get",
    ]
    for index, (name, member) in enumerate(shape.members.items()):
        check = names[f"check_{index}"] = checker_for(service, member)
        passes = _passes(member, check, f"passed_{index}", names)
        lines.append(f"    item = get({name!r})")
        if name in required:
            lines.append("    if item is None:")
            lines.append(
                f"        problems.append(Problem(join(path, {name!r}), None, "
                "'Member must not be null'))"
            )
            lines.append(f"    elif not ({passes}):" if passes else "    else:")
        else:
            lines.append(
                f"    if item is not None and not ({passes}):"
                if passes
                else "    if item is not None:"
            )
        lines.append(f"        check_{index}(item, join(path, {name!r}), problems)")
    return generated("check", lines, names, f"check of {service} {shape.name}")


def _passes(member: Shape, check: Checker, passed: str, names: dict[str, Any]) -> str:
    """A condition on ``item`` under which ``check`` finds nothing wrong with it, or "" when
    only the check can tell; ``passed``: the name to give a string check's passed values."""
    kind = member.type_name
    if kind == "string" and check in _strings_passed:
        names[passed] = _strings_passed[check]
        return f"item.__class__ is str and item in {passed}"
    if kind == "boolean":
        return "item.__class__ is bool"
    if kind in ("integer", "long", "float", "double"):
        typed = "item.__class__ is int"
        if kind in ("float", "double"):
            typed = f"({typed} or item.__class__ is float)"
        low, high = member.metadata.get("min"), member.metadata.get("max")
        bounds = [
            f"{low!r} <= item" if low is not None else "",
            f"item <= {high!r}" if high is not None else "",
        ]
        return " and ".join([typed, *filter(None, bounds)])
    return ""


Bound = tuple[Callable[[float], bool], str]


def _length_rules(shape: Shape, what: str) -> list[Bound]:
    """The ``min``/``max`` of a shape as checks on a length or a value, with their wording."""
    rules: list[Bound] = []
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")
    if low is not None:
        rules.append(
            (partial(operator.le, low), f"Member must have {what} greater than or equal to {low}")
        )
    if high is not None:
        rules.append(
            (partial(operator.ge, high), f"Member must have {what} less than or equal to {high}")
        )
    return rules


def _list(service: str, shape: ListShape) -> Checker:
    member_check = checker_for(service, shape.member)
    sizes = _length_rules(shape, "length")
    strings_passed = _strings_passed.get(member_check)

    def check(value: Any, path: str, problems: list[ValidationProblem]) -> None:
        if not isinstance(value, (list, tuple)):
            problems.append(ValidationProblem(path, value, "Member must be a list"))
            return
        for ok, message in sizes:
            if not ok(len(value)):
                problems.append(ValidationProblem(path, value, message))
        if strings_passed is not None and _all_in(strings_passed, value):
            return
        found: list[ValidationProblem] = []
        for index, item in enumerate(value, start=1):
            member_check(item, "", found)
            if found:  # checked again where it is, so the problems name their paths
                found.clear()
                member_check(item, f"{path}.{index}.member", problems)

    return check


def _map(service: str, shape: MapShape) -> Checker:
    key_check = checker_for(service, shape.key)
    value_check = checker_for(service, shape.value)
    sizes = _length_rules(shape, "length")

    def check(value: Any, path: str, problems: list[ValidationProblem]) -> None:
        if not isinstance(value, dict):
            problems.append(ValidationProblem(path, value, "Member must be a map"))
            return
        for ok, message in sizes:
            if not ok(len(value)):
                problems.append(ValidationProblem(path, value, message))
        key_problems: list[ValidationProblem] = []
        value_problems: list[ValidationProblem] = []
        for key, item in value.items():
            key_check(key, path, key_problems)
            if item is None:
                value_problems.append(ValidationProblem(path, None, "Member must not be null"))
            else:
                value_check(item, path, value_problems)
        for found, label in ((key_problems, "Map keys"), (value_problems, "Map value")):
            if found:
                inner = ", ".join(dict.fromkeys(p.constraint for p in found))
                problems.append(
                    ValidationProblem(path, value, f"{label} must satisfy constraint: [{inner}]")
                )

    return check


def _string(shape: Shape) -> Checker:
    lengths = _length_rules(shape, "length")
    enum = tuple(shape.enum) if shape.enum else ()  # type: ignore[attr-defined]
    raw_pattern = shape.metadata.get("pattern")
    pattern = python_pattern(raw_pattern) if raw_pattern else None
    enum_message = "Member must satisfy enum value set: [" + ", ".join(enum) + "]"
    pattern_message = f"Member must satisfy regular expression pattern: {raw_pattern}"
    passed: set[Hashable] = set()
    """Values that passed (an ARN a create names again and again is matched once)."""

    def check(value: Any, path: str, problems: list[ValidationProblem]) -> None:
        if not isinstance(value, str):
            problems.append(ValidationProblem(path, value, "Member must be a string"))
            return
        if value in passed:
            return
        before = len(problems)
        for ok, message in lengths:
            if not ok(len(value)):
                problems.append(ValidationProblem(path, value, message))
        if enum and value not in enum:
            problems.append(ValidationProblem(path, value, enum_message))
        if pattern is not None and pattern.fullmatch(value) is None:
            problems.append(ValidationProblem(path, value, pattern_message))
        if len(problems) == before:
            remember(passed, value)

    _strings_passed[check] = passed
    return check


_strings_passed: dict[Checker, set[Hashable]] = {}
"""The values that passed each string shape's check, by checker (a list of such strings
that all passed is checked at once)."""


def _all_in(passed: set[Hashable], values: Iterable[Any]) -> bool:
    """Whether every one of ``values`` is in ``passed`` (False when one cannot be hashed)."""
    try:
        return passed.issuperset(values)
    except TypeError:
        return False


def _number(shape: Shape, types: tuple[type, ...], what: str) -> Checker:
    bounds = _length_rules(shape, "value")

    def check(value: Any, path: str, problems: list[ValidationProblem]) -> None:
        if isinstance(value, bool) or not isinstance(value, types):
            problems.append(
                ValidationProblem(path, value, f"Member must be {_article(what)} {what}")
            )
            return
        number = cast(float, value)
        for ok, message in bounds:
            if not ok(number):
                problems.append(ValidationProblem(path, value, message))

    return check


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


EARLIEST = datetime.datetime(1, 1, 2, tzinfo=datetime.timezone.utc)
LATEST = datetime.datetime(9999, 12, 30, tzinfo=datetime.timezone.utc)
"""The range of timestamps the fake takes: any zone's reading of them is still a datetime."""


_read_timestamp: Callable[[Any], datetime.datetime] = parse_to_aware_datetime
"""botocore's reader of timestamp parameters (its stubs say it takes text only)."""


def epoch_seconds(value: Any) -> float | None:
    """A timestamp member as botocore takes it (a datetime, epoch seconds, ISO 8601 text) in
    epoch seconds; None for what is no timestamp or lies outside EARLIEST..LATEST."""
    kind = type(value)
    if (kind is int or kind is float) and SAFE_EPOCHS[0] <= value <= SAFE_EPOCHS[1]:
        # what botocore's reading gives, to the microsecond, without a local zone's lookups
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc).timestamp()
    if isinstance(value, bool) or not isinstance(value, (datetime.datetime, int, float, str)):
        return None
    try:
        moment = _read_timestamp(value)
    except (TypeError, ValueError, AttributeError, OverflowError, OSError, RuntimeError):
        return None  # what botocore and dateutil raise for what they cannot read
    if not EARLIEST <= moment <= LATEST:
        return None
    return moment.timestamp()


def _timestamp(value: Any, path: str, problems: list[ValidationProblem]) -> None:
    if epoch_seconds(value) is None:
        problems.append(ValidationProblem(path, value, "Member must be a valid timestamp"))


Normalizer = Callable[[Any], Any]

_normalizers: CompiledShapes[Normalizer] = CompiledShapes()


def normalizer_for(service: str, shape: Shape) -> Normalizer | None:
    """What turns every timestamp member of a checked value of ``shape`` into epoch seconds,
    as the fake stores time; None when the shape holds no timestamp."""
    if not _holds_timestamps(shape, frozenset()):
        return None
    return _normalizers.get((service, shape.name), lambda: _compile_normalizer(service, shape))


def _holds_timestamps(shape: Shape, seen: frozenset[str]) -> bool:
    if shape.type_name == "timestamp":
        return True
    if shape.name in seen:
        return False
    seen = seen | {shape.name}
    if isinstance(shape, StructureShape):
        return any(_holds_timestamps(member, seen) for member in shape.members.values())
    if isinstance(shape, ListShape):
        return _holds_timestamps(shape.member, seen)
    if isinstance(shape, MapShape):
        return _holds_timestamps(shape.value, seen)
    return False


def _compile_normalizer(service: str, shape: Shape) -> Normalizer:
    if shape.type_name == "timestamp":
        return epoch_seconds
    if isinstance(shape, StructureShape):
        members = [
            (name, normalize)
            for name, member in shape.members.items()
            if (normalize := normalizer_for(service, member)) is not None
        ]

        def structure(value: Any) -> Any:
            copy = dict(value)
            for name, normalize in members:
                item = copy.get(name)
                if item is not None:
                    copy[name] = normalize(item)
            return copy

        return structure
    if isinstance(shape, ListShape):
        item = normalizer_for(service, shape.member)
        assert item is not None
        return lambda value: [item(entry) for entry in value]
    assert isinstance(shape, MapShape)
    entry = normalizer_for(service, shape.value)
    assert entry is not None
    return lambda value: {key: entry(item) for key, item in value.items()}


def _typed(types: type | tuple[type, ...], what: str) -> Checker:
    def check(value: Any, path: str, problems: list[ValidationProblem]) -> None:
        if not isinstance(value, types) or (what != "boolean" and isinstance(value, bool)):
            problems.append(
                ValidationProblem(path, value, f"Member must be {_article(what)} {what}")
            )

    return check
