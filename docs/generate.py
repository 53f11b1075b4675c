"""Regenerate the tables and diagrams in docs/ from the code: ``python docs/generate.py``.

The lifecycle table and status diagrams of ``how-it-works.md``, the operation totals and
coverage of ``coverage.md`` and the marker and ini option tables of ``reference.md`` are
written between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->`` markers; the tests
fail when the committed docs differ from what this script writes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from types import ModuleType

from pytest_personalize_stub.clients import service_model
from pytest_personalize_stub.declarations import ResourceType, Walk
from pytest_personalize_stub.lifecycle import Process
from pytest_personalize_stub.options import INI_OPTIONS, SESSION_OPTIONS
from pytest_personalize_stub.plugin import MARKERS
from pytest_personalize_stub.services import cleanroomsml, personalize
from pytest_personalize_stub.services.registry import SERVICES

DOCS = Path(__file__).resolve().parent


def _walk(process: Process | None, ready: str) -> str:
    if process is None:
        return f"{ready} at once" if ready else "exists at once"
    end = process.done or "gone"
    steps = " > ".join((*process.steps, end))
    return f"{steps} / {process.failed}" if process.failed else steps


def _delete(rtype: ResourceType) -> str:
    process = rtype.lifecycle.delete
    if process is None:
        return "gone at once" if _deletable(rtype) else "cannot be deleted"
    return _walk(process, "")


def _deletable(rtype: ResourceType) -> bool:
    return any(
        f"Delete{_noun(rtype)}" in service.operations
        for service in SERVICES.values()
        if rtype in service.resource_types
    )


def _noun(rtype: ResourceType) -> str:
    return "".join(part.capitalize() for part in rtype.kind.split("_"))


def lifecycle_table() -> str:
    """Markdown table of every resource type's processes and default duration."""
    rows = [
        "| service | resource type (`durations` key) | create | default seconds | delete |",
        "| --- | --- | --- | --- | --- |",
    ]
    for service in SERVICES.values():
        for rtype in service.resource_types:
            life = rtype.lifecycle
            rows.append(
                f"| {service.name} | `{rtype.kind}` | {_walk(life.create, life.ready)} | "
                f"{life.seconds:g} | {_delete(rtype)} |"
            )
    return "\n".join(rows)


def _coverage() -> dict[str, tuple[int, int]]:
    """Per service: the operations of its botocore model that the fake serves, and all of them."""
    counts = {}
    for name, service in SERVICES.items():
        operations = service_model(name).operation_names
        counts[name] = (sum(op in service.operations for op in operations), len(operations))
    return counts


def coverage_totals() -> str:
    """What the coverage page says first: the operations served in all, then per service."""
    counts = _coverage()
    served = sum(done for done, _ in counts.values())
    total = sum(known for _, known in counts.values())
    lines = [
        f"The fake serves **{served} of {total} operations** in all:",
        "",
        "| service | operations served |",
        "| --- | --- |",
    ]
    lines += [f"| {name} | {done} of {known} |" for name, (done, known) in counts.items()]
    lines.append(f"| all | {served} of {total} |")
    return "\n".join(lines)


def coverage_table() -> str:
    """Markdown table: every operation of the four services and whether the fake serves it."""
    lines = []
    counts = _coverage()
    for name, service in SERVICES.items():
        served, known = counts[name]
        lines += [
            f"## {name}: {served} of {known} operations served",
            "",
            "| operation | served |",
            "| --- | --- |",
        ]
        lines += [
            f"| {op} | {'yes' if op in service.operations else 'not yet (NotImplementedError)'} |"
            for op in service_model(name).operation_names
        ]
        lines.append("")
    return "\n".join(lines).rstrip()


ENDS = "[*]"
"""Where a walk begins (creation) or ends (the resource is gone), in Mermaid's words."""

FAILED = "fails"
"""Label of the move to a failed status: a failure marker or ``fail()`` (``status=``) asked
for it, or, beside moto, a job's data in S3 did not fit."""


@dataclass(frozen=True)
class Edge:
    """One move of a status diagram: from a status (or ``ENDS``) to another, by an operation."""

    source: str
    target: str
    label: str = ""


@dataclass
class Chart:
    """The status diagram of one resource type, and of the update records it keeps."""

    edges: list[Edge] = field(default_factory=list)
    updates: dict[str, list[Edge]] = field(default_factory=dict)


def _walk_edges(process: Process, origins: Iterable[str], operation: str) -> list[Edge]:
    first, last = process.steps[0], process.steps[-1]
    edges = [Edge(origin, first, operation) for origin in sorted(origins)]
    chain = (*process.steps, process.done or ENDS)
    edges += [Edge(a, b) for a, b in pairwise(chain) if a != b]
    if process.failed:
        edges.append(Edge(last, process.failed, FAILED))
    return edges


def _declared_walk(chart: Chart, name: str, walk: Walk) -> None:
    if walk.slot is not None:
        chart.updates[walk.slot] = _walk_edges(walk.process, (ENDS,), name)
    else:
        chart.edges += _walk_edges(walk.process, walk.origins or (ENDS,), name)


def family_charts(family: ModuleType, rtypes: Iterable[ResourceType]) -> dict[str, Chart]:
    """The status diagram of every resource type that a family module creates, by kind."""
    operations = family.operations()
    charts = {}
    for rtype in rtypes:
        chart, life, noun = Chart(), rtype.lifecycle, _noun(rtype)
        if life.create is None and f"Create{noun}" in operations:
            chart.edges.append(Edge(ENDS, life.ready, f"Create{noun}"))
        for name, served in operations.items():
            for walk in served.walks:
                if walk.rtype is rtype:
                    _declared_walk(chart, name, walk)
        if life.delete is None and f"Delete{noun}" in operations:
            chart.edges += [Edge(s, ENDS, f"Delete{noun}") for s in sorted(life.settled)]
        if chart.edges:
            charts[rtype.kind] = chart
    return charts


def lifecycle_families() -> list[tuple[str, str, dict[str, Chart]]]:
    """Each family module that creates resources: service, family name and its charts."""
    families = []
    for package in (personalize, cleanroomsml):
        rtypes = package.SERVICE.resource_types
        for family in package.FAMILIES:
            charts = family_charts(family, rtypes)
            if charts:
                name = family.__name__.rsplit(".", 1)[1].replace("_", " ")
                families.append((package.SERVICE.name, name, charts))
    return families


NOT_WORD = re.compile(r"\W+")


def _state_id(prefix: str, status: str) -> str:
    return status if status == ENDS else f"{prefix}__{NOT_WORD.sub('_', status).lower()}"


def _mermaid_lines(prefix: str, edges: list[Edge], indent: str) -> list[str]:
    statuses = dict.fromkeys(s for e in edges for s in (e.source, e.target) if s != ENDS)
    lines = [f'{indent}state "{status}" as {_state_id(prefix, status)}' for status in statuses]
    for edge in dict.fromkeys(edges):
        label = f" : {edge.label}" if edge.label else ""
        source, target = _state_id(prefix, edge.source), _state_id(prefix, edge.target)
        lines.append(f"{indent}{source} --> {target}{label}")
    return lines


def mermaid(kind: str, chart: Chart) -> str:
    """The Mermaid state diagram of one resource type, each update record a composite state
    (one small diagram a type, so each renders at a legible size)."""
    lines = ["```mermaid", "stateDiagram-v2"]
    lines += _mermaid_lines(kind, chart.edges, " " * 4)
    for slot, edges in chart.updates.items():
        lines.append(f"    state {slot} {{")
        lines += _mermaid_lines(f"{kind}__{slot}", edges, " " * 8)
        lines.append("    }")
    lines.append("```")
    return "\n".join(lines)


def lifecycle_diagrams() -> str:
    """A heading per resource family, and a Mermaid state diagram per resource type."""
    drawn = {}
    parts = []
    for service, name, charts in lifecycle_families():
        parts += [f"#### {service}: {name}", ""]
        for kind, chart in charts.items():
            parts += [f"`{kind}`", "", mermaid(kind, chart), ""]
        drawn[name] = charts
    _check_every_process_drawn(drawn)
    return "\n".join(parts).rstrip()


def _check_every_process_drawn(drawn: dict[str, dict[str, Chart]]) -> None:
    for package in (personalize, cleanroomsml):
        for family in package.FAMILIES:
            name = family.__name__.rsplit(".", 1)[1].replace("_", " ")
            targets = {
                edge.target
                for chart in drawn.get(name, {}).values()
                for edges in (chart.edges, *chart.updates.values())
                for edge in edges
            }
            for attribute, value in vars(family).items():
                if isinstance(value, Process) and not {*value.steps, value.done or ENDS} <= targets:
                    raise SystemExit(f"generate.py: {family.__name__}.{attribute} is not drawn")


def marker_table() -> str:
    """Markdown table of the markers the plugin registers, with their help text."""
    rows = ["| marker | signature and meaning |", "| --- | --- |"]
    for name, text in MARKERS.items():
        signature, _, meaning = text.partition("): ")
        rows.append(f"| `{name}` | `{signature})`: {meaning} |")
    return "\n".join(rows)


def ini_table() -> str:
    """Markdown table of the ini options the plugin adds, with their type and help text."""
    rows = ["| ini option | type | meaning |", "| --- | --- | --- |"]
    for name, (help_text, kind, *_) in {**INI_OPTIONS, **SESSION_OPTIONS}.items():
        rows.append(f"| `personalize_stub_{name}` | {kind} | {help_text} |")
    return "\n".join(rows)


SECTIONS = {
    "how-it-works.md": {
        "lifecycle-table": lifecycle_table,
        "lifecycle-diagrams": lifecycle_diagrams,
    },
    "coverage.md": {"coverage-totals": coverage_totals, "coverage-table": coverage_table},
    "reference.md": {"marker-table": marker_table, "ini-table": ini_table},
}


def rendered(path: Path) -> str:
    """The file's text with every generated section written anew."""
    text = path.read_text()
    for name, make in SECTIONS[path.name].items():
        pattern = re.compile(
            rf"(<!-- generated: {name} -->\n)(?:.*?\n)?(<!-- end: {name} -->)", re.DOTALL
        )
        if not pattern.search(text):
            raise SystemExit(f"{path.name}: no markers for the generated section {name!r}")
        text = pattern.sub(rf"\g<1>{_escaped(make())}\n\g<2>", text)
    return text


def _escaped(replacement: str) -> str:
    return replacement.replace("\\", "\\\\")


def main() -> None:
    for file_name in SECTIONS:
        path = DOCS / file_name
        path.write_text(rendered(path))
        print(f"wrote {path.relative_to(DOCS.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main()
