"""The language of filter expressions: parsing them into clauses, and narrowing ids by them.

An expression is one or more ``INCLUDE|EXCLUDE ItemID|UserID|ActionID WHERE ...`` clauses
joined by ``|`` (developer guide, "Filter expression elements"). The runtime narrows its
candidates with :func:`narrow`, reading the :class:`Facts` it gathered for the request.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import eq, ge, gt, le, lt, ne
from typing import Any

ACTIONS = ("INCLUDE", "EXCLUDE")
TARGETS = {"ITEMID": "ItemID", "USERID": "UserID", "ACTIONID": "ActionID"}
DATASETS = {
    name.upper(): name
    for name in ("Items", "Interactions", "Users", "Actions", "Action_Interactions")
}
OPERATORS = ("IN", "NOT IN", "=", "!=", "<", "<=", ">", ">=")
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "=": eq,
    "!=": ne,
    "<": lt,
    "<=": le,
    ">": gt,
    ">=": ge,
}
NEGATIONS = ("NOT IN", "!=")
"""Operators that cannot take a placeholder (docs: use IN with the opposite action)."""


@dataclass(frozen=True)
class Condition:
    """``Dataset.FIELD op value``: literal ``values``, a ``placeholder`` or ``CurrentItem.X``."""

    dataset: str
    field: str
    operator: str
    values: tuple[str, ...] = ()
    placeholder: str | None = None
    current: str | None = None


@dataclass(frozen=True)
class Clause:
    """One ``INCLUDE|EXCLUDE`` expression: conditions joined by AND/OR, then IF conditions."""

    action: str
    target: str
    conditions: tuple[Condition, ...]
    joins: tuple[str, ...]
    if_conditions: tuple[Condition, ...] = ()


class ExpressionError(ValueError):
    """A filter expression that breaks the documented grammar."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"[^"]*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<placeholder>\$[A-Za-z0-9_]+)
      | (?P<operator><=|>=|!=|=|<|>)
      | (?P<punct>[(),|*])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    text = text.rstrip()
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"unexpected text at {text[position:].strip()[:20]!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("the expression ends too early")
        self.index += 1
        return token

    def keyword(self, *words: str) -> str:
        kind, value = self.take()
        if kind != "word" or value.upper() not in words:
            raise ExpressionError(f"expected {' or '.join(words)}, found {value!r}")
        return value.upper()

    def at_keyword(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].upper() in words

    def at_punct(self, value: str) -> bool:
        return self.peek() == ("punct", value)

    def expression(self) -> list[Clause]:
        clauses = [self.clause()]
        while self.at_punct("|"):
            self.take()
            clauses.append(self.clause())
        extra = self.peek()
        if extra is not None:
            raise ExpressionError(f"unexpected {extra[1]!r}")
        return clauses

    def clause(self) -> Clause:
        action = self.keyword(*ACTIONS)
        target = TARGETS[self.keyword(*TARGETS)]
        self.keyword("WHERE")
        conditions = [self.condition(DATASETS)]
        joins: list[str] = []
        while self.at_keyword("AND", "OR"):
            joins.append(self.keyword("AND", "OR"))
            conditions.append(self.condition(DATASETS))
        if_conditions: list[Condition] = []
        if self.at_keyword("IF"):
            self.take()
            if_conditions.append(self.condition({"CURRENTUSER": "CurrentUser"}))
            while self.at_keyword("AND"):
                self.take()
                if_conditions.append(self.condition({"CURRENTUSER": "CurrentUser"}))
        return Clause(action, target, tuple(conditions), tuple(joins), tuple(if_conditions))

    def condition(self, datasets: dict[str, str]) -> Condition:
        kind, name = self.take()
        dataset, _, field = name.partition(".")
        if kind != "word" or not field or dataset.upper() not in datasets:
            raise ExpressionError(
                f"expected Dataset.FIELD with a dataset among {', '.join(datasets.values())}, "
                f"found {name!r}"
            )
        operator = self.operator()
        condition = self.operand(Condition(datasets[dataset.upper()], field, operator))
        if condition.placeholder is not None and operator in NEGATIONS:
            raise ExpressionError(
                f"the placeholder ${condition.placeholder} cannot be used with {operator}; "
                "use IN with the opposite action instead"
            )
        return condition

    def operator(self) -> str:
        kind, value = self.take()
        if kind == "operator":
            return value
        if kind == "word" and value.upper() == "IN":
            return "IN"
        if kind == "word" and value.upper() == "NOT":
            self.keyword("IN")
            return "NOT IN"
        raise ExpressionError(f"expected one of {', '.join(OPERATORS)}, found {value!r}")

    def operand(self, condition: Condition) -> Condition:
        kind, value = self.peek() or ("", "")
        if kind == "word" and value.upper().startswith("CURRENTITEM."):
            self.take()
            return replace(condition, current=value.split(".", 1)[1])
        if self.at_punct("("):
            self.take()
            items = [self.value()]
            while self.at_punct(","):
                self.take()
                items.append(self.value())
            if self.take() != ("punct", ")"):
                raise ExpressionError("expected ) after the values")
        else:
            items = [self.value()]
        placeholders = [item[1:] for item in items if item.startswith("$")]
        if placeholders and len(items) > 1:
            raise ExpressionError("a placeholder must be the only value of its condition")
        if condition.operator not in ("IN", "NOT IN") and len(items) > 1:
            raise ExpressionError(f"{condition.operator} takes a single value")
        if placeholders:
            return replace(condition, placeholder=placeholders[0])
        return replace(condition, values=tuple(items))

    def value(self) -> str:
        kind, value = self.take()
        if kind == "string":
            return value[1:-1]
        if kind in ("number", "placeholder") or (kind, value) == ("punct", "*"):
            return value
        raise ExpressionError(f"expected a value, found {value!r}")


@functools.lru_cache(maxsize=256)
def parse_expression(text: str) -> tuple[Clause, ...]:
    """The clauses of a filter expression, parsed once per text (they are immutable);
    ExpressionError names what is wrong."""
    return tuple(_Parser(text).expression())


def placeholders_of(clauses: Sequence[Clause]) -> dict[str, str]:
    """Each ``$NAME`` of the expression and the action (INCLUDE/EXCLUDE) of its clause."""
    found: dict[str, str] = {}
    for clause in clauses:
        for condition in (*clause.conditions, *clause.if_conditions):
            if condition.placeholder is not None:
                found.setdefault(condition.placeholder, clause.action)
    return found


def fields_of(clauses: Sequence[Clause]) -> frozenset[str]:
    """The distinct dataset fields an expression reads (``CurrentUser`` fields are Users')."""
    return frozenset(
        f"{'Users' if c.dataset == 'CurrentUser' else c.dataset}.{c.field}".upper()
        for clause in clauses
        for c in (*clause.conditions, *clause.if_conditions)
    )


Properties = Mapping[str, Any]
"""The properties of one item, action or user, as PutItems, PutActions or PutUsers gave them."""


@dataclass(frozen=True)
class Facts:
    """What a filter reads while it narrows one answer, by dataset name (e.g. ``Items``)."""

    catalogs: Mapping[str, Mapping[str, Properties]] = field(default_factory=dict)
    """``Items`` or ``Actions``: each id's properties."""
    interactions: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    """``Interactions`` or ``Action_Interactions``: the event types of the requesting user's
    interactions with each id."""
    user: Properties = field(default_factory=dict)
    """The requesting user's properties (``CurrentUser``; ``Users`` conditions)."""
    current: Properties | None = None
    """The properties of the item the request names (``CurrentItem``), if it names one."""


def filter_values(text: str) -> tuple[str, ...]:
    """The values one ``filterValues`` entry gives: ``"a","b"`` -> ("a", "b"); ``10`` -> ("10",)."""
    return tuple(next(csv.reader([text], skipinitialspace=True), []))


def narrow(
    clauses: Sequence[Clause],
    ids: Iterable[str],
    values: Mapping[str, str],
    facts: Facts,
) -> list[str]:
    """The ``ids`` the clauses keep, in their order.

    A clause applies when every placeholder it uses has a value and its IF conditions hold.
    Items pass when they match any applying INCLUDE clause (all pass without one) and no
    applying EXCLUDE clause. A condition on a field an id has no value for is false.
    """
    given = {name: filter_values(text) for name, text in values.items()}
    applying = [clause for clause in clauses if _applies(clause, given, facts)]
    includes = [clause for clause in applying if clause.action == "INCLUDE"]
    excludes = [clause for clause in applying if clause.action == "EXCLUDE"]
    return [
        key
        for key in ids
        if (not includes or any(_matches(clause, key, given, facts) for clause in includes))
        and not any(_matches(clause, key, given, facts) for clause in excludes)
    ]


def _applies(clause: Clause, given: Mapping[str, tuple[str, ...]], facts: Facts) -> bool:
    conditions = (*clause.conditions, *clause.if_conditions)
    if any(c.placeholder is not None and c.placeholder not in given for c in conditions):
        return False
    return all(_holds(condition, "", given, facts) for condition in clause.if_conditions)


def _matches(clause: Clause, key: str, given: Mapping[str, tuple[str, ...]], facts: Facts) -> bool:
    """The WHERE conditions of ``clause`` for ``key``; AND binds before OR."""
    alternatives: list[list[Condition]] = [[]]
    for index, condition in enumerate(clause.conditions):
        if index and clause.joins[index - 1] == "OR":
            alternatives.append([])
        alternatives[-1].append(condition)
    return any(
        all(_holds(condition, key, given, facts) for condition in alternative)
        for alternative in alternatives
    )


def _holds(
    condition: Condition, key: str, given: Mapping[str, tuple[str, ...]], facts: Facts
) -> bool:
    found = _found(condition, key, facts)
    if condition.placeholder is not None:
        wanted = given[condition.placeholder]
    elif condition.current is not None:
        wanted = _field(facts.current or {}, condition.current)
    else:
        wanted = condition.values
    if not found or not wanted:
        return False
    if condition.operator in ("IN", "NOT IN"):
        hit = "*" in wanted or any(value in wanted for value in found)
        return hit == (condition.operator == "IN")
    return any(_compare(value, condition.operator, wanted[0]) for value in found)


def _found(condition: Condition, key: str, facts: Facts) -> tuple[str, ...]:
    """The values the condition's dataset field has for ``key`` (or for the current user)."""
    if condition.dataset in ("Users", "CurrentUser"):
        return _field(facts.user, condition.field)
    if condition.dataset in facts.interactions:
        if condition.field.upper() != "EVENT_TYPE":
            return ()
        return tuple(sorted(facts.interactions[condition.dataset].get(key, frozenset())))
    properties = facts.catalogs.get(condition.dataset, {}).get(key)
    return _field(properties, condition.field) if properties is not None else ()


def _field(properties: Properties, name: str) -> tuple[str, ...]:
    """A field's values: schema names match property keys without case or ``_``, and a
    categorical string holds several values separated by ``|``."""
    plain = name.replace("_", "").lower()
    value = next((v for k, v in properties.items() if k.replace("_", "").lower() == plain), None)
    if value is None:
        return ()
    if isinstance(value, bool):
        return ("true" if value else "false",)
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return tuple(str(value).split("|"))


def _compare(value: str, operator: str, other: str) -> bool:
    """Numbers compare as numbers; other text only with = and !=."""
    compare = COMPARISONS[operator]
    try:
        return compare(float(value), float(other))
    except ValueError:
        return operator in ("=", "!=") and compare(value, other)
