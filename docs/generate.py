"""Regenerate the tables in docs/ from the code: ``python docs/generate.py``.

The lifecycle table of ``how-it-works.md`` and the operation coverage of ``coverage.md`` are
written between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->`` markers; the tests
fail when the committed docs differ from what this script writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pytest_personalize_stub.clients import service_model
from pytest_personalize_stub.engine import ResourceType
from pytest_personalize_stub.lifecycle import Process
from pytest_personalize_stub.services import SERVICES

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


def coverage_table() -> str:
    """Markdown table: every operation of the four services and whether the fake serves it."""
    lines = []
    for name, service in SERVICES.items():
        operations = service_model(name).operation_names
        served = sum(op in service.operations for op in operations)
        lines += [
            f"## {name}: {served} of {len(operations)} operations served",
            "",
            "| operation | served |",
            "| --- | --- |",
        ]
        lines += [
            f"| {op} | {'yes' if op in service.operations else 'not yet (NotImplementedError)'} |"
            for op in operations
        ]
        lines.append("")
    return "\n".join(lines).rstrip()


SECTIONS = {
    "how-it-works.md": {"lifecycle-table": lifecycle_table},
    "coverage.md": {"coverage-table": coverage_table},
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
